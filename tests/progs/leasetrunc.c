/*
 * leasetrunc.c - leases broken by truncation, as Linux's fs/locks.c and
 * vfs_truncate: truncate(2) by another process breaks a read or a write
 * lease and waits (whatever O_NONBLOCK) until the holder lets go; while it
 * waits it counts as a writer, so the holder cannot take or keep a read
 * lease; the holder's own ftruncate breaks nothing. open with O_TRUNC breaks
 * leases as an open of its access mode does (a read-only O_TRUNC open
 * still truncates, as Linux does, and breaks only a write lease),
 * O_NONBLOCK making it EWOULDBLOCK with the file left whole. The holder's
 * lines come before the truncating child's, which waits for them: the
 * order shows who waited. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char path[64];
static int lease_signal;

static const char *lease_name(long type)
{
    switch (type) {
    case F_RDLCK: return "F_RDLCK";
    case F_WRLCK: return "F_WRLCK";
    case F_UNLCK: return "F_UNLCK";
    default: return "?";
    }
}

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static long size_now(void)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long)st.st_size;
}

static void reset_file(void)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "contents", 8);
    close(fd);
}

/* Waits for the break's signal and says what it carried. */
static void break_signal(const char *what)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, lease_signal);
    siginfo_t info;
    sigwaitinfo(&set, &info);
    printf("%s: signal with %s\n", what, info.si_code == POLL_MSG ? "POLL_MSG" : "another code");
}

static void no_signal(const char *what)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, lease_signal);
    struct timespec zero = {0, 0};
    printf("%s: %s\n", what, sigtimedwait(&set, NULL, &zero) < 0 ? "no signal" : "a signal");
}

static pid_t truncator(long length)
{
    pid_t pid = fork();
    if (pid == 0) {
        long r = truncate(path, length);
        printf("child's truncate returned %ld, size %ld\n", r, size_now());
        _exit(0);
    }
    return pid;
}

static pid_t opener(int flags, const char *what)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, flags);
        printf("child's %s: %s, size %ld\n", what, fd < 0 ? strerror(errno) : "opened", size_now());
        _exit(0);
    }
    return pid;
}

static int holder(int flags, int type)
{
    int h = open(path, flags);
    fcntl(h, F_SETSIG, lease_signal);
    show(type == F_RDLCK ? "F_SETLEASE F_RDLCK" : "F_SETLEASE F_WRLCK", fcntl(h, F_SETLEASE, type));
    return h;
}

static void truncate_breaks(int flags, int type)
{
    reset_file();
    int h = holder(flags, type);
    pid_t child = truncator(3);
    break_signal("truncate by another process");
    printf("F_GETLEASE while broken: %s\n", lease_name(fcntl(h, F_GETLEASE)));
    printf("size while the truncate waits: %ld\n", size_now());
    show("F_SETLEASE F_RDLCK while the truncate waits", fcntl(h, F_SETLEASE, F_RDLCK));
    long r = fcntl(h, F_SETLEASE, F_UNLCK);
    waitpid(child, NULL, 0);
    show("F_UNLCK", r);
    close(h);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    lease_signal = SIGRTMIN + 3;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, lease_signal);
    sigaddset(&set, SIGIO);
    sigprocmask(SIG_BLOCK, &set, NULL);
    snprintf(path, sizeof path, "/tmp/sysgate-leasetrunc-%d", (int)getpid());

    printf("-- a read lease\n");
    truncate_breaks(O_RDONLY, F_RDLCK);
    printf("-- a write lease\n");
    truncate_breaks(O_RDONLY, F_WRLCK);

    printf("-- the holder's own ftruncate\n");
    reset_file();
    int h = holder(O_RDWR, F_WRLCK);
    show("ftruncate", ftruncate(h, 2));
    no_signal("after it");
    printf("F_GETLEASE: %s, size %ld\n", lease_name(fcntl(h, F_GETLEASE)), size_now());
    close(h);

    printf("-- O_TRUNC opens\n");
    reset_file();
    int plain = open(path, O_RDONLY | O_TRUNC);
    printf("a read-only O_TRUNC open: %s, size %ld\n", plain < 0 ? strerror(errno) : "opened", size_now());
    close(plain);
    reset_file();
    h = holder(O_RDONLY, F_RDLCK);
    waitpid(opener(O_RDONLY | O_TRUNC | O_NONBLOCK, "non-blocking read-only O_TRUNC open"), NULL, 0);
    no_signal("after it");
    close(h);
    reset_file();
    h = holder(O_RDONLY, F_WRLCK);
    waitpid(opener(O_RDONLY | O_TRUNC | O_NONBLOCK, "non-blocking read-only O_TRUNC open"), NULL, 0);
    break_signal("then");
    show("F_UNLCK", fcntl(h, F_SETLEASE, F_UNLCK));
    close(h);
    reset_file();
    h = holder(O_RDONLY, F_RDLCK);
    pid_t child = opener(O_WRONLY | O_TRUNC, "blocking O_TRUNC open");
    break_signal("a blocking O_TRUNC open");
    printf("size while the open waits: %ld\n", size_now());
    long r = fcntl(h, F_SETLEASE, F_UNLCK);
    waitpid(child, NULL, 0);
    show("F_UNLCK", r);
    close(h);

    printf("-- no lease\n");
    /* O_TRUNC changes the times even of an empty file, as a truncate does */
    struct timespec old[2] = {{1000, 0}, {1000, 0}};
    for (int empty = 0; empty < 2; empty++) {
        if (!empty)
            reset_file();
        utimensat(AT_FDCWD, path, old, 0);
        close(open(path, O_WRONLY | O_TRUNC));
        struct stat st;
        stat(path, &st);
        printf("O_TRUNC of %s file: mtime changed %d, ctime after the old mtime %d\n", empty ? "an empty" : "a",
               st.st_mtime != 1000, st.st_ctime > 1000);
    }
    reset_file();
    show("truncate", truncate(path, 5));
    printf("size %ld\n", size_now());
    unlink(path);
    return 0;
}
