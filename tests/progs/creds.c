/*
 * Credentials as Linux has them, run as root on both sides: the set*id
 * rules for root and for ordinary users (each case in a child that drops
 * to it), the capabilities that go with the uids, capget/capset, the
 * permission checks of the file calls, ownership of new files, set-group-ID
 * directories, set-user-ID programs, kill across users and
 * /proc/PID/status. i386 builds also call the 16-bit *id16 calls directly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CAP_V1 0x19980330
#define CAP_V3 0x20080522
#define SYS_RESOURCE_BIT (1u << 24) /* some hosts' root lacks it: never printed */

struct cap_header {
    uint32_t version;
    int pid;
};
struct cap_data {
    uint32_t effective, permitted, inheritable;
};

static char dir[64];

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 errno %d\n", what, errno);
    else
        printf("%s: %ld\n", what, r);
}

static void ids(const char *when)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u %u %u fsuid %d gid %u %u %u fsgid %d\n", when, r, e, s, setfsuid(-1), gr, ge, gs, setfsgid(-1));
}

/* The capability sets' low 32 bits, without CAP_SYS_RESOURCE. */
static void caps(const char *when)
{
    struct cap_header h = {CAP_V3, 0};
    struct cap_data d[2];
    if (syscall(SYS_capget, &h, d)) {
        show(when, -1);
        return;
    }
    printf("%s: caps eff %08x prm %08x inh %08x high %x\n", when, d[0].effective & ~SYS_RESOURCE_BIT,
           d[0].permitted & ~SYS_RESOURCE_BIT, d[0].inheritable, d[1].effective ? 1 : 0);
}

static void path(char *out, const char *name) { snprintf(out, 128, "%s/%s", dir, name); }

static void mode_of(const char *what, const char *name)
{
    char p[128];
    struct stat st;
    path(p, name);
    if (stat(p, &st))
        show(what, -1);
    else
        printf("%s: mode %o uid %u gid %u\n", what, st.st_mode & 07777, st.st_uid, st.st_gid);
}

typedef void (*scenario)(void);

static void run(const char *name, scenario fn)
{
    printf("== %s\n", name);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        printf("%s: child status %x\n", name, status);
}

static void become(uid_t uid, gid_t gid)
{
    gid_t none[1] = {0};
    if (setgroups(0, none) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
        printf("become %u failed: errno %d\n", uid, errno);
}

/* ---- ids ---- */

static void root_switches(void)
{
    ids("start");
    caps("start");
    show("setresgid 100 200 300", setresgid(100, 200, 300));
    ids("after setresgid");
    show("setresuid 1000 2000 0", setresuid(1000, 2000, 0));
    ids("after setresuid");
    caps("euid 2000, saved 0");
    show("seteuid 0 (the saved id)", seteuid(0));
    caps("back to euid 0");
    show("setuid 1000 (as euid 0)", setuid(1000));
    ids("after setuid");
    caps("all ids 1000");
    show("setuid 0", setuid(0));
    show("seteuid 0", seteuid(0));
    show("setresuid -1 0 -1", setresuid(-1, 0, -1));
    show("setuid -1", setuid(-1));
}

static void user_rules(void)
{
    show("setresuid 1000 2000 3000", setresuid(1000, 2000, 3000));
    caps("no uid is root");
    ids("start");
    show("setuid 3000 (saved)", setuid(3000));
    ids("after setuid 3000");
    show("setuid 2000 (gone)", setuid(2000));
    show("setresuid 1000 -1 -1", setresuid(1000, -1, -1));
    show("setresuid -1 -1 4000", setresuid(-1, -1, 4000));
    show("setreuid 3000 1000", setreuid(3000, 1000));
    ids("after setreuid 3000 1000");
    show("setreuid -1 3000", setreuid(-1, 3000));
    ids("after setreuid -1 3000");
    show("setreuid 5000 -1", setreuid(5000, -1));
    show("setfsuid 1000", setfsuid(1000));
    show("setfsuid 7000 (refused, returns the old)", setfsuid(7000));
    ids("after setfsuid");
    show("setgroups as user", setgroups(0, NULL));
    show("setgid 0 as user", setgid(0));
}

static void gid_rules(void)
{
    show("setregid 10 20", setregid(10, 20));
    ids("after setregid 10 20");
    show("setgid 30", setgid(30));
    ids("after setgid 30 as root");
    show("setresuid 1000 1000 1000", setresuid(1000, 1000, 1000));
    show("setgid 30 (own)", setgid(30));
    show("setgid 20 (was saved, now gone)", setgid(20));
    show("setregid 30 -1", setregid(30, -1));
    show("setresgid -1 40 -1", setresgid(-1, 40, -1));
    show("setfsgid 30", setfsgid(30));
    show("setfsgid 40", setfsgid(40));
    ids("end");
}

static void groups(void)
{
    gid_t list[] = {3000, 10, 2000, 10, 50};
    show("setgroups 5", setgroups(5, list));
    gid_t got[16];
    int n = getgroups(16, got);
    printf("getgroups: %d:", n);
    for (int i = 0; i < n; i++)
        printf(" %u", got[i]);
    printf("\n");
    show("getgroups 0", getgroups(0, NULL));
    show("getgroups too small", getgroups(2, got));
    show("getgroups -1", syscall(SYS_getgroups, -1, got));
    show("setgroups -1", syscall(SYS_setgroups, -1, list));
    show("setgroups 65537", syscall(SYS_setgroups, 65537, list));
    show("setgroups bad pointer", syscall(SYS_setgroups, 2, (void *)8));
    show("getgroups bad pointer", syscall(SYS_getgroups, 5, (void *)8));
}

/* ---- capabilities ---- */

static void capget_capset(void)
{
    struct cap_header h = {0x12345678, 0};
    struct cap_data d[2];
    show("capget bad version", syscall(SYS_capget, &h, d));
    printf("version written back: %x\n", h.version);
    h.version = 0x12345678;
    show("capget bad version, no data", syscall(SYS_capget, &h, NULL));
    h = (struct cap_header){CAP_V3, -1};
    show("capget pid -1", syscall(SYS_capget, &h, d));
    h = (struct cap_header){CAP_V3, 999999};
    show("capget no such pid", syscall(SYS_capget, &h, d));
    h = (struct cap_header){CAP_V3, 0};
    show("capget data bad", syscall(SYS_capget, &h, (void *)8));
    show("capget header bad", syscall(SYS_capget, (void *)8, d));
    memset(d, 0xee, sizeof(d));
    h = (struct cap_header){CAP_V1, 0};
    show("capget v1", syscall(SYS_capget, &h, d));
    printf("v1 effective %08x, second word untouched %d\n", d[0].effective & ~SYS_RESOURCE_BIT,
           d[1].effective == 0xeeeeeeee);
    h = (struct cap_header){CAP_V3, getppid()};
    show("capset another pid", syscall(SYS_capset, &h, d));
    h = (struct cap_header){CAP_V3, 0};
    syscall(SYS_capget, &h, d);
    d[0].effective &= ~1u; /* CAP_CHOWN */
    show("capset without CAP_CHOWN", syscall(SYS_capset, &h, d));
    caps("after capset");
    char p[128];
    path(p, "capfile");
    close(open(p, O_CREAT | O_WRONLY, 0644));
    show("chown without CAP_CHOWN", chown(p, 1234, -1));
    d[0].effective |= 1u;
    show("capset it back (still permitted)", syscall(SYS_capset, &h, d));
    show("chown with CAP_CHOWN", chown(p, 1234, -1));
    d[0].permitted &= ~1u;
    show("capset effective beyond permitted", syscall(SYS_capset, &h, d));
    d[0].effective &= ~1u;
    show("capset drop permitted", syscall(SYS_capset, &h, d));
    d[0].permitted |= 1u;
    show("capset regain permitted", syscall(SYS_capset, &h, d));
    unlink(p);
}

/* ---- permissions ---- */

static void make(const char *name, mode_t mode, uid_t uid, gid_t gid, bool is_dir)
{
    char p[128];
    path(p, name);
    if (is_dir)
        mkdir(p, mode);
    else
        close(open(p, O_CREAT | O_WRONLY | O_TRUNC, mode));
    chown(p, uid, gid);
    chmod(p, mode);
}

static void file_checks(void)
{
    become(1000, 1000);
    char p[128];
    path(p, "rootfile");
    show("open root's 0644 for reading", close(open(p, O_RDONLY)) ? -1 : 0);
    show("open root's 0644 for writing", open(p, O_WRONLY));
    show("open root's 0644 O_RDONLY|O_TRUNC", open(p, O_RDONLY | O_TRUNC));
    show("access R_OK", access(p, R_OK));
    show("access W_OK", access(p, W_OK));
    show("access X_OK", access(p, X_OK));
    show("truncate", truncate(p, 0));
    show("chmod someone else's", chmod(p, 0666));
    show("chown someone else's to me", chown(p, 1000, 1000));
    show("utimensat NULL (no write permission)", utimensat(AT_FDCWD, p, NULL, 0));
    path(p, "rootfile666");
    show("utimensat NULL (write permission)", utimensat(AT_FDCWD, p, NULL, 0));
    struct timespec t[2] = {{1, 0}, {2, 0}};
    show("utimensat explicit (not the owner)", utimensat(AT_FDCWD, p, t, 0));
    struct timespec now_omit[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    show("utimensat both UTIME_NOW", utimensat(AT_FDCWD, p, now_omit, 0));
    path(p, "rootdir/new");
    show("create in root's 0755 directory", open(p, O_CREAT | O_WRONLY, 0644));
    show("mkdir in root's 0755 directory", mkdir(p, 0755));
    path(p, "rootdir/existing");
    show("mkdir over an existing name", mkdir(p, 0755));
    show("unlink in root's 0755 directory", unlink(p));
    char q[128];
    path(q, "open/moved");
    show("rename out of root's directory", rename(p, q));
    path(p, "noexec_dir/inside");
    show("open through a directory without x", open(p, O_RDONLY));
    struct stat st;
    show("stat through a directory without x", stat(p, &st));
    path(p, "noexec_dir");
    show("stat the directory itself", stat(p, &st));
    show("chdir into it", chdir(p));
    int dfd = open(p, O_RDONLY | O_DIRECTORY);
    show("fchdir into it", fchdir(dfd));
    close(dfd);
    path(p, "script644");
    show("execve a file without x", execve(p, (char *[]){p, NULL}, (char *[]){NULL}));
    path(p, "script700root");
    show("execve root's 0700", execve(p, (char *[]){p, NULL}, (char *[]){NULL}));
    path(p, "open/mine");
    int fd = open(p, O_CREAT | O_WRONLY, 02755);
    show("create in a 0777 directory", fd >= 0 ? 0 : -1);
    close(fd);
    mode_of("my new file", "open/mine");
    char their[128];
    path(their, "open/their");
    show("chmod setgid, not in the file's group", chmod(their, 02755));
    mode_of("after chmod", "open/their");
    show("chmod mine", chmod(p, 0600));
    mode_of("after chmod", "open/mine");
    show("chmod setgid, group mine", chmod(p, 02750));
    mode_of("after chmod setgid", "open/mine");
    show("open my 0600 for writing", close(open(p, O_WRONLY)) ? -1 : 0);
    show("chown mine to another user", chown(p, 2000, -1));
    show("chown mine to my own uid", chown(p, 1000, -1));
    show("chgrp mine to a group I am not in", chown(p, -1, 2000));
    show("chgrp mine to my group", chown(p, -1, 1000));
    show("utimensat explicit (the owner)", utimensat(AT_FDCWD, p, t, 0));
    path(q, "open/mine-chgrp");
    show("mkdir in 0777", mkdir(q, 0777));
    mode_of("my new directory", "open/mine-chgrp");
}

static void access_real_ids(void)
{
    show("setresuid 1000 0 0", setresuid(1000, 0, 0));
    char p[128];
    path(p, "rootonly");
    show("access as real 1000", access(p, R_OK));
    show("faccessat AT_EACCESS as effective root", faccessat(AT_FDCWD, p, R_OK, AT_EACCESS));
    show("faccessat2 no flags", syscall(SYS_faccessat2, AT_FDCWD, p, R_OK, 0));
    show("faccessat2 AT_EACCESS", syscall(SYS_faccessat2, AT_FDCWD, p, R_OK, AT_EACCESS));
    show("open as effective root", close(open(p, O_RDONLY)) ? -1 : 0);
    show("faccessat2 bad flag", syscall(SYS_faccessat2, AT_FDCWD, p, R_OK, 0x4000));
}

static void root_overrides(void)
{
    char p[128];
    path(p, "rootonly");
    show("root reads 0000", close(open(p, O_RDONLY)) ? -1 : 0);
    path(p, "script644");
    show("root access X_OK without x bits", access(p, X_OK));
    show("root execve without x bits", execve(p, (char *[]){p, NULL}, (char *[]){NULL}));
    path(p, "script100");
    show("root access X_OK with one x bit", access(p, X_OK));
    path(p, "noexec_dir/inside");
    show("root through a directory without x", close(open(p, O_RDONLY)) ? -1 : 0);
}

static void sticky(void)
{
    char p[128], q[128];
    pid_t pid = fork();
    if (pid == 0) {
        become(1000, 1000);
        path(p, "sticky/of1000");
        close(open(p, O_CREAT | O_WRONLY, 0666));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    become(2000, 2000);
    path(p, "sticky/of1000");
    path(q, "sticky/taken");
    show("another user unlinks in a sticky directory", unlink(p));
    show("another user renames in a sticky directory", rename(p, q));
    show("writes the file (0666)", close(open(p, O_WRONLY)) ? -1 : 0);
    path(p, "sticky/of2000");
    show("creates its own", close(open(p, O_CREAT | O_WRONLY, 0600)) ? -1 : 0);
    show("unlinks its own", unlink(p));
    path(p, "plain/of1000");
    show("unlinks another's in a plain 0777 directory", unlink(p));
}

static void setgid_dir(void)
{
    become(1000, 1000);
    char p[128];
    path(p, "sgid/file");
    close(open(p, O_CREAT | O_WRONLY, 02775));
    mode_of("file in a set-group-ID directory", "sgid/file");
    path(p, "sgid/sub");
    mkdir(p, 0755);
    mode_of("directory in a set-group-ID directory", "sgid/sub");
    path(p, "sgid/sub/deeper");
    close(open(p, O_CREAT | O_WRONLY, 0644));
    mode_of("file two levels down", "sgid/sub/deeper");
}

static void fsuid_owner(void)
{
    show("setfsuid 1234", setfsuid(1234));
    show("setfsgid 4321", setfsgid(4321));
    caps("fsuid not root");
    char p[128];
    path(p, "open/by-fsuid");
    close(open(p, O_CREAT | O_WRONLY, 0640));
    mode_of("file made with fsuid 1234", "open/by-fsuid");
    path(p, "rootonly");
    show("fsuid 1234 opens root's 0000", open(p, O_RDONLY));
    show("setfsuid 0", setfsuid(0));
    show("fsuid 0 again opens it", close(open(p, O_RDONLY)) ? -1 : 0);
}

static void chown_clears(void)
{
    make("suid", 04755, 0, 0, false);
    char p[128];
    path(p, "suid");
    show("chown a set-user-ID file", chown(p, 1000, -1));
    mode_of("after chown", "suid");
    make("sgidx", 02755, 0, 0, false);
    path(p, "sgidx");
    show("chown a set-group-ID (g+x) file", chown(p, -1, 1000));
    mode_of("after chown", "sgidx");
    make("sgidnox", 02745, 0, 0, false);
    path(p, "sgidnox");
    show("chown a set-group-ID (g-x) file as root", chown(p, -1, 1000));
    mode_of("after chown", "sgidnox");
}

/* ---- exec of set-user-ID programs ---- */

static void report_exec_ids(void)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("exec'd: uid %u %u %u gid %u %u %u secure %lu\n", r, e, s, gr, ge, gs, getauxval(AT_SECURE));
    caps("exec'd");
}

static void copy_self(const char *to)
{
    int in = open("/proc/self/exe", O_RDONLY), out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof(buf))) > 0)
        write(out, buf, n);
    close(in);
    close(out);
}

static void exec_as(uid_t uid, const char *prog)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (uid)
            become(uid, uid);
        char p[128];
        path(p, prog);
        execve(p, (char *[]){p, "report", NULL}, (char *[]){NULL});
        printf("execve %s as %u: errno %d\n", prog, uid, errno);
        fflush(stdout);
        _exit(1);
    }
    waitpid(pid, NULL, 0);
}

static void setuid_exec(void)
{
    char p[128];
    path(p, "prog");
    copy_self(p);
    chown(p, 2000, 3000);
    chmod(p, 06755);
    exec_as(1000, "prog");
    exec_as(0, "prog");
    chown(p, 0, 0);
    chmod(p, 04755);
    exec_as(1000, "prog");
    chmod(p, 0755);
    exec_as(1000, "prog");
    exec_as(0, "prog");
    chmod(p, 02745); /* set-group-ID without group execute: not honoured */
    chown(p, 0, 3000);
    exec_as(1000, "prog");
}

/* ---- kill ---- */

static pid_t sleeper(uid_t uid)
{
    int ready[2];
    pipe(ready);
    pid_t pid = fork();
    if (pid == 0) {
        become(uid, uid);
        close(ready[1]);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1); /* end of file once it has its ids */
    close(ready[0]);
    return pid;
}

static void kill_checks(void)
{
    pid_t target = sleeper(1000);
    pid_t pid = fork();
    if (pid == 0) {
        become(2000, 2000);
        show("kill 0 another user's", kill(target, 0));
        show("kill SIGTERM another user's", kill(target, SIGTERM));
        show("kill SIGCONT in the session", kill(target, SIGCONT));
        show("tgkill another user's", syscall(SYS_tgkill, target, target, SIGTERM));
        show("kill no such process", kill(999999, 0));
        show("kill -1 (nobody of mine)", kill(-1, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0) {
        show("setresuid 3000 1000 3000", setresuid(3000, 1000, 3000));
        show("kill 0 with euid matching its uid", kill(target, 0));
        show("setresuid 1000 3000 3000", setresuid(1000, 3000, 3000));
        show("kill 0 with uid matching its uid", kill(target, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("root kills it", kill(target, SIGKILL));
    int status;
    waitpid(target, &status, 0);
    printf("it died of signal %d\n", WTERMSIG(status));
}

/* ---- /proc ---- */

static void proc_lines(void)
{
    gid_t list[] = {30, 20, 10};
    setgroups(3, list);
    setresgid(100, 200, 300);
    setresuid(1000, 2000, 3000);
    setfsuid(1000);
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7))
            fputs(line, stdout);
    if (f)
        fclose(f);
    struct stat st;
    if (stat("/proc/self", &st) == 0)
        printf("/proc/self owned by %u\n", st.st_uid);
    if (stat("/proc/1", &st) == 0)
        printf("/proc/1 owned by %u\n", st.st_uid);
}

#ifdef __i386__
/* The 16-bit calls: -1 in 16 bits means unchanged, and an id beyond 16 bits
 * reads as 65534. */
static void calls16(void)
{
    show("setresuid32 70000 1000 0", syscall(SYS_setresuid32, 70000, 1000, 0));
    show("getuid16", syscall(SYS_getuid));
    show("geteuid16", syscall(SYS_geteuid));
    unsigned short r = 0, e = 0, s = 0;
    show("getresuid16", syscall(SYS_getresuid, &r, &e, &s));
    printf("16-bit ids: %u %u %u\n", r, e, s);
    show("setreuid16 0xffff 0", syscall(SYS_setreuid, 0xffff, 0));
    show("setuid16 0x10005 (5)", syscall(SYS_setuid, 0x10005));
    ids("after setuid16");
    show("setgid16 7", syscall(SYS_setgid, 7));
    show("getgid16", syscall(SYS_getgid));
    show("setuid16 as 5 to 0", syscall(SYS_setuid, 0));
}

static void groups16(void)
{
    unsigned short g16[3] = {9, 8, 0xffff};
    show("setgroups16 with -1", syscall(SYS_setgroups, 3, g16));
    show("setgroups16", syscall(SYS_setgroups, 2, g16));
    gid_t got[4];
    int n = getgroups(4, got);
    printf("groups:");
    for (int i = 0; i < n; i++)
        printf(" %u", got[i]);
    printf("\n");
    gid_t big[1] = {70000};
    setgroups(1, big);
    unsigned short back[2] = {0};
    show("getgroups16", syscall(SYS_getgroups, 2, back));
    printf("16-bit group: %u\n", back[0]);
}
#endif

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "report")) {
        report_exec_ids();
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(022);
    strcpy(dir, "/tmp/credsXXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    chmod(dir, 0755);
    make("rootfile", 0644, 0, 0, false);
    make("rootfile666", 0666, 0, 0, false);
    make("rootonly", 0000, 0, 0, false);
    make("script644", 0644, 0, 0, false);
    make("script700root", 0700, 0, 0, false);
    make("script100", 0100, 0, 0, false);
    make("rootdir", 0755, 0, 0, true);
    make("rootdir/existing", 0644, 0, 0, false);
    make("noexec_dir", 0666, 0, 0, true);
    make("noexec_dir/inside", 0644, 0, 0, false);
    make("open", 0777, 0, 0, true);
    make("sticky", 01777, 0, 0, true);
    make("plain", 0777, 0, 0, true);
    make("plain/of1000", 0644, 1000, 1000, false);
    make("sgid", 02777, 0, 4000, true);
    make("open/their", 0644, 1000, 0, false);

    run("root switches ids", root_switches);
    run("an ordinary user's rules", user_rules);
    run("gids", gid_rules);
    run("supplementary groups", groups);
    run("capget and capset", capget_capset);
    run("file permissions as a user", file_checks);
    run("access uses the real ids", access_real_ids);
    run("root's overrides", root_overrides);
    run("sticky directories", sticky);
    run("set-group-ID directories", setgid_dir);
    run("the filesystem uid", fsuid_owner);
    run("chown clears set-ID bits", chown_clears);
    run("set-user-ID programs", setuid_exec);
    run("kill across users", kill_checks);
    run("/proc/self/status", proc_lines);
#ifdef __i386__
    run("16-bit calls", calls16);
    run("16-bit groups", groups16);
#endif
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/rm", "rm", "-rf", dir, (char *)NULL);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
