/*
 * mounts.c - mount and umount2 as an init and its users make them: a tmpfs
 * over a directory (its mode=, files inside, getcwd and ".." through the
 * mount point, its line in /proc/mounts), stacked mounts, a bind mount, proc
 * at a second place, and the errors: unknown type (ENODEV), a file as mount
 * point (ENOTDIR), a missing one (ENOENT), umount of what is not mounted
 * (EINVAL), bad umount2 flags (EINVAL). On the host it runs in a mount
 * namespace of its own. Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];

static void show(const char *what, int result)
{
    printf("%s: %d%s%s\n", what, result, result < 0 ? " " : "", result < 0 ? strerror(errno) : "");
}

static char *at(const char *name)
{
    static char paths[4][128];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 128, "%s/%s", base, name);
    return p;
}

static void list(const char *label, const char *dir)
{
    DIR *d = opendir(dir);
    printf("%s:", label);
    if (!d) {
        printf(" (%s)\n", strerror(errno));
        return;
    }
    const char *names[16];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 16;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    for (int i = 0; i < n; i++) /* sorted: the order of readdir is the file system's */
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                const char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("\n");
    closedir(d);
}

/* This test's own lines of /proc/mounts: source, mount point (base shown as
 * BASE), type and the first option. */
static void show_mounts(void)
{
    FILE *f = fopen("/proc/mounts", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char source[128], point[256], type[64], options[256];
        if (sscanf(line, "%127s %255s %63s %255s", source, point, type, options) != 4)
            continue;
        if (strncmp(point, base, strlen(base)))
            continue;
        options[strcspn(options, ",")] = 0;
        printf("mounts: %s BASE%s %s %s\n", source, point + strlen(base), type, options);
    }
    if (f)
        fclose(f);
}

int main(void)
{
    snprintf(base, sizeof base, "/tmp/sysgate-mounts-%d", (int)getpid());
    mkdir(base, 0755);
    mkdir(at("t"), 0755);
    close(open(at("t/under"), O_CREAT | O_WRONLY, 0644));
    list("before", at("t"));

    show("mount tmpfs", mount("scratch", at("t"), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0710"));
    struct stat st;
    stat(at("t"), &st);
    printf("mode %o\n", st.st_mode);
    list("mounted", at("t"));
    close(open(at("t/inside"), O_CREAT | O_WRONLY, 0644));
    mkdir(at("t/sub"), 0755);
    list("written", at("t"));
    chdir(at("t/sub"));
    char cwd[256];
    getcwd(cwd, sizeof cwd);
    printf("getcwd: BASE%s\n", cwd + strlen(base));
    struct stat up, dir;
    stat("../..", &up);
    stat(base, &dir);
    printf(".. of the mounted root is the mount point's parent: %d\n", up.st_ino == dir.st_ino && up.st_dev == dir.st_dev);
    chdir("/");
    show_mounts();

    show("stacked tmpfs", mount("top", at("t"), "tmpfs", 0, NULL));
    list("stacked", at("t"));
    show("umount the top", umount(at("t")));
    list("after umount", at("t"));

    mkdir(at("b"), 0755);
    show("bind", mount(at("t"), at("b"), NULL, MS_BIND, NULL));
    list("bound", at("b"));
    show("umount bind", umount2(at("b"), 0));

    mkdir(at("p"), 0755);
    show("mount proc", mount("proc", at("p"), "proc", 0, NULL));
    char link[64] = "", self[64];
    readlink(at("p/self"), link, sizeof link - 1);
    snprintf(self, sizeof self, "%d", (int)getpid());
    printf("proc/self: %d\n", !strcmp(link, self));
    show("umount proc", umount(at("p")));

    show("unknown type", mount("x", at("b"), "nosuchfs", 0, NULL));
    show("unknown tmpfs option", mount("x", at("b"), "tmpfs", 0, "nosuchoption=1"));
    show("a file as mount point", mount("x", at("t/inside"), "tmpfs", 0, NULL));
    show("missing mount point", mount("x", at("missing"), "tmpfs", 0, NULL));
    show("umount what is not mounted", umount(at("b")));
    show("umount2 bad flags", umount2(at("t"), 0x100));
    show("umount2 missing", umount2(at("missing"), 0));
    show("umount", umount(at("t")));
    list("back to the directory", at("t"));
    show("umount again", umount(at("t")));

    unlink(at("t/under"));
    rmdir(at("t"));
    rmdir(at("b"));
    rmdir(at("p"));
    rmdir(base);
    return 0;
}
