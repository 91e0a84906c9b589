/*
 * reclocks.c - fcntl record locks and OFD locks: ranges, splitting and
 * merging (seen through F_GETLK from another process), conflicts, F_SETLKW
 * waiting for an unlock, EDEADLK, the release of a process's locks by any
 * close of the file, OFD locks' own rules, and bad arguments. Prints one
 * line per check; the same on the host and on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[] = "/tmp/reclocks-XXXXXX";
static int to_child[2], to_parent[2];

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "ok";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EDEADLK: return "EDEADLK";
    case EOVERFLOW: return "EOVERFLOW";
    case EINTR: return "EINTR";
    default: return strerror(e);
    }
}

static int lock(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl) ? errno : 0;
}

static void show_set(const char *what, int fd, int cmd, short type, off_t start, off_t len)
{
    printf("%s: %s\n", what, err_name(lock(fd, cmd, type, start, len)));
}

static const char *type_name(short t) { return t == F_RDLCK ? "RD" : t == F_WRLCK ? "WR" : "UN"; }

/* What F_GETLK (or F_OFD_GETLK) says of a request. */
static void show_get(const char *what, int fd, int cmd, short type, off_t start, off_t len, pid_t owner)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    if (fcntl(fd, cmd, &fl)) {
        printf("%s: %s\n", what, err_name(errno));
        return;
    }
    if (fl.l_type == F_UNLCK)
        printf("%s: free\n", what);
    else
        printf("%s: %s %ld+%ld by %s\n", what, type_name(fl.l_type), (long)fl.l_start, (long)fl.l_len,
               fl.l_pid == owner ? "the owner" : fl.l_pid == -1 ? "-1" : "someone else");
}

/* Until the process sleeps (its state in /proc/PID/stat is S). */
static void wait_until_sleeping(pid_t pid)
{
    char statpath[64], buf[512];
    snprintf(statpath, sizeof(statpath), "/proc/%d/stat", pid);
    for (;;) {
        int fd = open(statpath, O_RDONLY);
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        buf[n > 0 ? n : 0] = 0;
        char *paren = strrchr(buf, ')');
        if (!paren || paren[2] == 'S')
            return;
        usleep(1000);
    }
}

static void child_says(char c) { write(to_parent[1], &c, 1); }
static char wait_for(int fd)
{
    char c = 0;
    read(fd, &c, 1);
    return c;
}

/* The parent holds locks; a child looks at them from outside. */
static void ranges(int fd)
{
    pid_t me = getpid();
    show_set("lock WR 10+10", fd, F_SETLK, F_WRLCK, 10, 10);
    show_set("lock RD 30+10", fd, F_SETLK, F_RDLCK, 30, 10);
    show_set("unlock 14+2 (splits)", fd, F_SETLK, F_UNLCK, 14, 2);
    show_set("lock RD 40+5 (merges with 30+10)", fd, F_SETLK, F_RDLCK, 40, 5);
    show_set("lock RD 100 to the end", fd, F_SETLK, F_RDLCK, 100, 0);
    show_set("lock WR 120+5 (inside the read lock)", fd, F_SETLK, F_WRLCK, 120, 5);
    pid_t child = fork();
    if (child == 0) {
        int cfd = open(path, O_RDWR);
        show_get("child: WR 0+100", cfd, F_GETLK, F_WRLCK, 0, 100, me);
        show_get("child: WR 14+2", cfd, F_GETLK, F_WRLCK, 14, 2, me);
        show_get("child: WR 16+100", cfd, F_GETLK, F_WRLCK, 16, 100, me);
        show_get("child: RD 30+20", cfd, F_GETLK, F_RDLCK, 30, 20, me);
        show_get("child: WR 41+1", cfd, F_GETLK, F_WRLCK, 41, 1, me);
        show_get("child: WR 45+55", cfd, F_GETLK, F_WRLCK, 45, 55, me);
        show_get("child: RD 110+5", cfd, F_GETLK, F_RDLCK, 110, 5, me);
        show_get("child: RD 121+1", cfd, F_GETLK, F_RDLCK, 121, 1, me);
        show_get("child: WR 126+1000", cfd, F_GETLK, F_WRLCK, 126, 1000, me);
        show_set("child: SETLK WR 12+1", cfd, F_SETLK, F_WRLCK, 12, 1);
        show_set("child: SETLK RD 32+1 (shares)", cfd, F_SETLK, F_RDLCK, 32, 1);
        show_set("child: SETLK WR 200+1", cfd, F_SETLK, F_WRLCK, 200, 1);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    show_get("parent's own locks never conflict", fd, F_GETLK, F_WRLCK, 0, 0, me);
    show_set("unlock everything", fd, F_SETLK, F_UNLCK, 0, 0);
}

/* F_SETLKW sleeps until the holder unlocks; two processes waiting for each other get EDEADLK. */
static void waiting(int fd)
{
    show_set("parent: WR 0+1", fd, F_SETLK, F_WRLCK, 0, 1);
    pid_t child = fork();
    if (child == 0) {
        int cfd = open(path, O_RDWR);
        show_set("child: WR 1+1", cfd, F_SETLK, F_WRLCK, 1, 1);
        child_says('a');
        int err = lock(cfd, F_SETLKW, F_WRLCK, 0, 1); /* waits for the parent */
        printf("child: SETLKW 0+1 after the parent's unlock: %s\n", err_name(err));
        _exit(0);
    }
    wait_for(to_parent[0]);
    wait_until_sleeping(child); /* in its F_SETLKW: then the parent's request closes the cycle */
    show_set("parent: SETLKW 1+1 (the child waits for the parent)", fd, F_SETLKW, F_WRLCK, 1, 1);
    int unlocked = lock(fd, F_SETLK, F_UNLCK, 0, 1);
    waitpid(child, NULL, 0); /* the child's line first, whichever runs first */
    printf("parent: unlock 0+1: %s\n", err_name(unlocked));
    show_set("parent: unlock all", fd, F_SETLK, F_UNLCK, 0, 0);
}

/* Closing any descriptor of the file releases the process's locks on it. */
static void close_releases(int fd)
{
    show_set("lock WR 0+10 through fd", fd, F_SETLK, F_WRLCK, 0, 10);
    int other = open(path, O_RDONLY);
    close(other);
    pid_t child = fork();
    if (child == 0) {
        int cfd = open(path, O_RDWR);
        show_get("child: after closing another descriptor", cfd, F_GETLK, F_WRLCK, 0, 10, getppid());
        _exit(0);
    }
    waitpid(child, NULL, 0);
    /* a dup shares the locks' owner: closing it releases too */
    show_set("lock WR 0+10 again", fd, F_SETLK, F_WRLCK, 0, 10);
    int copy = dup(fd);
    close(copy);
    show_get("own view after closing a dup", fd, F_GETLK, F_WRLCK, 0, 10, getpid());
}

static void ofd(int fd)
{
    int a = open(path, O_RDWR), b = open(path, O_RDWR);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    printf("OFD lock on a: %s\n", err_name(fcntl(a, F_OFD_SETLK, &fl) ? errno : 0));
    fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1};
    printf("OFD lock on b (same process, other file): %s\n", err_name(fcntl(b, F_OFD_SETLK, &fl) ? errno : 0));
    show_get("OFD getlk on b", b, F_OFD_GETLK, F_WRLCK, 0, 0, -2);
    show_get("POSIX getlk sees the OFD lock", fd, F_GETLK, F_RDLCK, 0, 0, -2);
    fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1, .l_pid = 1};
    printf("OFD lock with l_pid set: %s\n", err_name(fcntl(b, F_OFD_SETLK, &fl) ? errno : 0));
    close(fd); /* a POSIX close does not drop OFD locks */
    show_get("after a close of another descriptor", b, F_OFD_GETLK, F_WRLCK, 0, 0, -2);
    close(a);
    show_get("after a's close", b, F_OFD_GETLK, F_WRLCK, 0, 0, -2);
    close(b);
}

static void bad_arguments(int fd)
{
    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
    show_set("WR lock on a read-only descriptor", ro, F_SETLK, F_WRLCK, 0, 1);
    show_set("RD lock on a write-only descriptor", wo, F_SETLK, F_RDLCK, 0, 1);
    show_set("type 7", fd, F_SETLK, 7, 0, 1);
    show_set("negative start", fd, F_SETLK, F_WRLCK, -1, 1);
    show_set("negative length reaching below 0", fd, F_SETLK, F_WRLCK, 2, -5);
    show_set("negative length", fd, F_SETLK, F_WRLCK, 10, -5);
    show_get("the lock a negative length made", ro, F_GETLK, F_RDLCK, 0, 0, getpid());
    show_get("GETLK with F_UNLCK", fd, F_GETLK, F_UNLCK, 0, 1, 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = 3};
    printf("whence 3: %s\n", err_name(fcntl(fd, F_SETLK, &fl) ? errno : 0));
    printf("flock at NULL: %s\n", err_name(fcntl(fd, F_SETLK, NULL) ? errno : 0));
    printf("flock at an unmapped address: %s\n", err_name(fcntl(fd, F_GETLK, (void *)16) ? errno : 0));
    printf("closed descriptor: %s\n", err_name(fcntl(999, F_SETLK, &fl) ? errno : 0));
    close(ro);
    close(wo);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    pipe(to_child);
    pipe(to_parent);
    ranges(fd);
    waiting(fd);
    close_releases(fd);
    ofd(fd);
    fd = open(path, O_RDWR);
    bad_arguments(fd);
    unlink(path);
    return 0;
}
