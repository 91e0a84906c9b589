/*
 * vfs.c - what Linux shows of its file systems being separate objects:
 * statfs's f_type per mount (tmpfs, proc), mmap of /proc files refused,
 * st_dev the same within one file
 * system and different between the root, /proc and a tmpfs, st_ino the same
 * on every stat, rename and link between file systems refused (EXDEV),
 * /proc/PID there while a child lives (zombie too) and gone once it is
 * reaped, both in readdir and by name, and hard links sharing one file's
 * data: written through one name, mapped through the other, and back.
 * On the host it runs in a mount namespace of its own. Prints deterministic
 * lines.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

static char base[64];

static char *at(const char *name)
{
    static char paths[4][128];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 128, "%s/%s", base, name);
    return p;
}

static void show(const char *what, int result)
{
    printf("%s: %d%s%s\n", what, result, result < 0 ? " " : "", result < 0 ? strerror(errno) : "");
}

static void show_fs_type(const char *label, const char *path)
{
    struct statfs s;
    if (statfs(path, &s) < 0)
        printf("statfs %s: %s\n", label, strerror(errno));
    else
        printf("statfs %s: f_type %#lx\n", label, (unsigned long)s.f_type);
}

static dev_t dev_of(const char *path)
{
    struct stat st;
    return stat(path, &st) < 0 ? (dev_t)-1 : st.st_dev;
}

static int proc_lists(pid_t pid)
{
    char name[16];
    snprintf(name, sizeof name, "%d", (int)pid);
    DIR *d = opendir("/proc");
    int found = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (!strcmp(e->d_name, name))
            found = e->d_type == DT_DIR ? 1 : 2;
    if (d)
        closedir(d);
    return found;
}

static int proc_has(pid_t pid)
{
    char path[32];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    return stat(path, &st) == 0;
}

static void file_systems(void)
{
    mkdir(at("t"), 0755);
    mkdir(at("p"), 0755);
    show("mount tmpfs", mount("vfs", at("t"), "tmpfs", 0, NULL));
    show("mount proc", mount("proc", at("p"), "proc", 0, NULL));
    show_fs_type("tmpfs", at("t"));
    show_fs_type("proc", at("p"));
    show_fs_type("/proc", "/proc");
    show_fs_type("/proc/self/stat", "/proc/self/stat");

    mkdir(at("t/sub"), 0755);
    close(open(at("t/sub/file"), O_CREAT | O_WRONLY, 0644));
    printf("st_dev within the tmpfs equal: %d\n",
           dev_of(at("t")) == dev_of(at("t/sub")) && dev_of(at("t/sub")) == dev_of(at("t/sub/file")));
    printf("st_dev within /proc equal: %d\n", dev_of("/proc") == dev_of("/proc/self/stat"));
    dev_t root = dev_of("/"), proc = dev_of("/proc"), tmp = dev_of(at("t"));
    printf("st_dev of /, /proc and a tmpfs differ: %d\n", root != proc && proc != tmp && root != tmp);
    struct stat other;
    mkdir(at("u"), 0755);
    mount("vfs2", at("u"), "tmpfs", 0, NULL);
    stat(at("u"), &other);
    printf("st_dev of two tmpfs mounts differ: %d\n", other.st_dev != tmp);

    struct stat a, b;
    stat(at("t/sub/file"), &a);
    stat(at("t/sub/file"), &b);
    printf("st_ino stable (tmpfs): %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    stat("/proc/self/stat", &a);
    stat("/proc/self/stat", &b);
    printf("st_ino stable (/proc/self/stat): %d\n", a.st_ino == b.st_ino);
    stat("/proc/meminfo", &a);
    stat("/proc/meminfo", &b);
    printf("st_ino stable (/proc/meminfo): %d\n", a.st_ino == b.st_ino);

    const char *unmappable[] = {"/proc/meminfo", "/proc/self/stat"};
    for (int i = 0; i < 2; i++) {
        int fd = open(unmappable[i], O_RDONLY);
        void *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
        printf("mmap %s: %s\n", unmappable[i], map == MAP_FAILED ? strerror(errno) : "mapped");
        close(fd);
    }
    show("rename between file systems", rename(at("t/sub/file"), at("u/file")));
    show("link between file systems", link(at("t/sub/file"), at("u/file")));
    show("rename within one", rename(at("t/sub/file"), at("t/moved")));

    umount(at("u"));
    umount(at("p"));
}

static void proc_entries(void)
{
    int go[2], ready[2];
    pipe(go);
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(go[1]);
        write(ready[1], "r", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    printf("/proc lists the live child: %d, /proc/PID/stat: %d\n", proc_lists(child), proc_has(child));
    close(go[1]);
    siginfo_t info;
    waitid(P_PID, child, &info, WEXITED | WNOWAIT); /* a zombie, not reaped */
    printf("/proc lists the zombie: %d, /proc/PID/stat: %d\n", proc_lists(child), proc_has(child));
    waitpid(child, NULL, 0);
    printf("/proc lists the reaped child: %d, /proc/PID/stat: %d\n", proc_lists(child), proc_has(child));
    printf("/proc lists itself: %d\n", proc_lists(getpid()));
}

static void hard_links(void)
{
    int fd = open(at("t/a"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "written through a\n", 18);
    show("link", link(at("t/a"), at("t/b")));
    struct stat sa, sb;
    stat(at("t/a"), &sa);
    stat(at("t/b"), &sb);
    printf("one inode: %d, nlink %d\n", sa.st_ino == sb.st_ino, (int)sb.st_nlink);
    int other = open(at("t/b"), O_RDWR);
    char *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, other, 0);
    if (map == MAP_FAILED) {
        printf("mmap: %s\n", strerror(errno));
        return;
    }
    printf("mapped through b: %.18s", map);
    pwrite(fd, "WRITTEN", 7, 0);
    printf("after a write through a: %.18s", map);
    memcpy(map + 10, "b's map", 7);
    char buf[19] = "";
    pread(fd, buf, 18, 0);
    printf("read through a: %s", buf);
    munmap(map, 4096);
    close(other);
    close(fd);
    unlink(at("t/a"));
    printf("after unlinking a, b reads: ");
    fd = open(at("t/b"), O_RDONLY);
    memset(buf, 0, sizeof buf);
    read(fd, buf, 18);
    printf("%s", buf);
    fstat(fd, &sb);
    printf("nlink %d\n", (int)sb.st_nlink);
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(base, sizeof base, "/tmp/sysgate-vfs-%d", (int)getpid());
    mkdir(base, 0755);
    file_systems();
    proc_entries();
    hard_links();
    umount(at("t"));
    rmdir(at("t"));
    rmdir(at("u"));
    rmdir(at("p"));
    rmdir(base);
    return 0;
}
