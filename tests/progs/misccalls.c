/*
 * Smaller behaviours a system-call test suite checks, run on the host and
 * on sysgate alike; every line printed must match: execve finds its file
 * before it reads argv; PR_SET_PDEATHSIG fires when the parent thread ends;
 * preadv2 and pwritev2 with their flags; i386's oldstat, oldlstat and
 * oldfstat.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void *volatile bad_pointer = (void *)1;
#define BAD_POINTER bad_pointer

static const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ESPIPE: return "ESPIPE";
    case EAGAIN: return "EAGAIN";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOSYS: return "ENOSYS";
    default: return "other";
    }
}

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void exec_order(void)
{
    show("execve missing file, bad argv", syscall(SYS_execve, "/nonexistent/program", BAD_POINTER, NULL));
    show("execve missing file, bad envp", syscall(SYS_execve, "/nonexistent/program", NULL, BAD_POINTER));
    show("execve a directory, bad argv", syscall(SYS_execve, "/", BAD_POINTER, NULL));
    show("execve bad path", syscall(SYS_execve, BAD_POINTER, NULL, NULL));
    show("execve a program, bad argv", syscall(SYS_execve, "/proc/self/exe", BAD_POINTER, NULL));
}

/* ---- PR_SET_PDEATHSIG and the parent thread ---- */

static int report[2];

static void on_parent_death(int sig, siginfo_t *info, void *context)
{
    (void)context;
    char line[64];
    int n = snprintf(line, sizeof(line), "child: signal %d, from the parent %d\n", sig, info->si_pid == getppid());
    write(report[1], line, (size_t)n);
    _exit(0);
}

static void *fork_and_end(void *arg)
{
    (void)arg;
    pid_t child = fork();
    if (child == 0) {
        struct sigaction sa = {.sa_sigaction = on_parent_death, .sa_flags = SA_SIGINFO};
        sigaction(SIGUSR1, &sa, NULL);
        prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
        write(report[1], "child: ready\n", 13);
        for (;;)
            pause();
    }
    char line[64];
    ssize_t n = read(report[0], line, sizeof(line)); /* the child is ready */
    (void)n;
    return (void *)(long)child;
}

static void pdeath_thread(void)
{
    pipe(report);
    pthread_t thread;
    pthread_create(&thread, NULL, fork_and_end, NULL);
    void *child;
    pthread_join(thread, &child);
    printf("the thread that forked ended; the process lives on\n");
    char line[64];
    ssize_t n = read(report[0], line, sizeof(line));
    printf("%.*s", (int)(n > 0 ? n : 0), line);
    int status;
    waitpid((pid_t)(long)child, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
}

/* ---- preadv2 and pwritev2 ---- */

static long preadv2_raw(int fd, struct iovec *iov, int count, long long offset, int flags)
{
#ifdef __i386__
    return syscall(SYS_preadv2, fd, iov, count, (unsigned)offset, (unsigned)((unsigned long long)offset >> 32), flags);
#else
    return syscall(SYS_preadv2, fd, iov, count, offset, 0, flags);
#endif
}

static long pwritev2_raw(int fd, struct iovec *iov, int count, long long offset, int flags)
{
#ifdef __i386__
    return syscall(SYS_pwritev2, fd, iov, count, (unsigned)offset, (unsigned)((unsigned long long)offset >> 32), flags);
#else
    return syscall(SYS_pwritev2, fd, iov, count, offset, 0, flags);
#endif
}

#define RWF_HIPRI_ 0x01
#define RWF_DSYNC_ 0x02
#define RWF_SYNC_ 0x04
#define RWF_NOWAIT_ 0x08
#define RWF_APPEND_ 0x10
#define RWF_NOAPPEND_ 0x20

static void show_file(int fd, const char *what)
{
    char buf[64];
    ssize_t n = pread(fd, buf, sizeof(buf), 0);
    printf("%s: \"%.*s\" position %ld\n", what, (int)(n > 0 ? n : 0), buf, (long)lseek(fd, 0, SEEK_CUR));
}

static void vector_flags(void)
{
    char path[] = "/tmp/misccalls-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    struct iovec iov = {"hello", 5};
    show("pwritev2 at 0", pwritev2_raw(fd, &iov, 1, 0, 0));
    show_file(fd, "after");
    iov = (struct iovec){"ab", 2};
    show("pwritev2 at -1 (the position)", pwritev2_raw(fd, &iov, 1, -1, RWF_HIPRI_));
    show_file(fd, "after");
    iov = (struct iovec){"XY", 2};
    show("pwritev2 RWF_DSYNC at 1", pwritev2_raw(fd, &iov, 1, 1, RWF_DSYNC_));
    show("pwritev2 RWF_SYNC at 3", pwritev2_raw(fd, &iov, 1, 3, RWF_SYNC_));
    show_file(fd, "after");
    iov = (struct iovec){"++", 2};
    show("pwritev2 RWF_APPEND at 0", pwritev2_raw(fd, &iov, 1, 0, RWF_APPEND_));
    show_file(fd, "after (the position stays)");
    show("pwritev2 RWF_APPEND at -1", pwritev2_raw(fd, &iov, 1, -1, RWF_APPEND_));
    show_file(fd, "after (the position moves to the end)");
    show("pwritev2 unknown flag", pwritev2_raw(fd, &iov, 1, 0, 0x10000));
    show("pwritev2 APPEND|NOAPPEND", pwritev2_raw(fd, &iov, 1, 0, RWF_APPEND_ | RWF_NOAPPEND_));
    struct iovec empty = {"", 0};
    show("pwritev2 nothing, unknown flag", pwritev2_raw(fd, &empty, 1, 0, 0x10000));
    show("pwritev2 offset -2", pwritev2_raw(fd, &iov, 1, -2, 0));
    show("pwritev2 bad fd", pwritev2_raw(-1, &iov, 1, 0, 0));
    /* O_APPEND: pwritev2 appends, unless RWF_NOAPPEND. */
    char fdpath[64];
    snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
    int appending = open(fdpath, O_WRONLY | O_APPEND);
    iov = (struct iovec){"<>", 2};
    show("pwritev2 O_APPEND at 0", pwritev2_raw(appending, &iov, 1, 0, 0));
    show_file(fd, "after");
    show("pwritev2 O_APPEND RWF_NOAPPEND at 0", pwritev2_raw(appending, &iov, 1, 0, RWF_NOAPPEND_));
    show_file(fd, "after");
    close(appending);

    char buf[8] = {0};
    struct iovec in = {buf, 4};
    lseek(fd, 2, SEEK_SET);
    show("preadv2 at -1", preadv2_raw(fd, &in, 1, -1, RWF_HIPRI_));
    printf("read \"%.4s\", position %ld\n", buf, (long)lseek(fd, 0, SEEK_CUR));
    show("preadv2 at 0 RWF_NOWAIT", preadv2_raw(fd, &in, 1, 0, RWF_NOWAIT_));
    printf("read \"%.4s\"\n", buf);
    show("preadv2 unknown flag", preadv2_raw(fd, &in, 1, 0, 0x10000));
    show("preadv2 bad iovec", preadv2_raw(fd, BAD_POINTER, 1, 0, 0));
    show("preadv2 offset -2", preadv2_raw(fd, &in, 1, -2, 0));
    close(fd);

    int pipes[2];
    pipe(pipes);
    show("preadv2 empty pipe RWF_NOWAIT", preadv2_raw(pipes[0], &in, 1, -1, RWF_NOWAIT_));
    show("preadv2 pipe at 0", preadv2_raw(pipes[0], &in, 1, 0, 0));
    write(pipes[1], "pipe", 4);
    show("preadv2 pipe at -1", preadv2_raw(pipes[0], &in, 1, -1, RWF_NOWAIT_));
    printf("read \"%.4s\"\n", buf);
    close(pipes[0]);
    close(pipes[1]);
}

#ifdef __i386__
struct old_kernel_stat {
    unsigned short dev, ino, mode, nlink, uid, gid, rdev;
    unsigned long size, atime, mtime, ctime;
};

static void old_stat_calls(void)
{
    struct old_kernel_stat st;
    memset(&st, 0, sizeof(st));
    long r = syscall(18, "/", &st);
    show("oldstat /", r);
    printf("directory %d uid %u\n", S_ISDIR(st.mode), st.uid);
    show("oldstat missing", syscall(18, "/nonexistent", &st));
    show("oldstat bad buffer", syscall(18, "/", BAD_POINTER));
    show("oldlstat missing", syscall(84, "/nonexistent", &st));
    int fd = open("/", O_RDONLY | O_DIRECTORY);
    memset(&st, 0, sizeof(st));
    show("oldfstat /", syscall(28, fd, &st));
    printf("directory %d\n", S_ISDIR(st.mode));
    show("oldfstat bad fd", syscall(28, -1, &st));
    close(fd);
}
#endif

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    exec_order();
    pdeath_thread();
    vector_flags();
#ifdef __i386__
    old_stat_calls();
#endif
    return 0;
}
