/*
 * tracecalls.c - system calls whose trace is compared with the host's strace.
 *
 * tracecalls DIR [blocking]: works in DIR (a directory of the caller's). The
 * calls to compare lie between two marker calls, write(-1, "trace-begin", 11)
 * and write(-1, "trace-end", 9), both failing with EBADF: what the C library
 * does to start up differs between the host and sysgate and stays outside.
 * Inside: files (open, write, read, fstat, lseek, close, writev, pread,
 * readv, fcntl, access, mkdir, rename, rmdir, getcwd), errors (ENOENT,
 * ENOTDIR, EBADF, EINVAL, EPROTONOSUPPORT), memory (mmap, mprotect, munmap),
 * a string cut at strace's 32 characters with bytes that need escaping,
 * signals (rt_sigaction, rt_sigprocmask, kill of self with the signal
 * ignored), a socket, a pipe, nanosleep, futex and an unknown system call;
 * epoll, poll, select, itimers, set*id and getresuid, uname, prctl and madvise.
 * With "blocking", a child and the parent hand a byte each way over two
 * pipes, a vfork child makes a call while its parent's vfork waits, a
 * signal reaches a handler, and children exit or are killed.
 * Exits 0; prints nothing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FILE_NAME "trace.tmp"
#define UNKNOWN_CALL 1000 /* no ABI has a call with this number */
#define FUTEX_WAIT_PRIVATE 128 /* <linux/futex.h>'s, which musl's headers lack */
#define FUTEX_WAKE_PRIVATE 129

static void marker(const char *text) { (void)!write(-1, text, strlen(text)); }

static void files(void)
{
    int fd = open(FILE_NAME, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    (void)!write(fd, "hello, world\n", 13);
    static const char awkward[] = "tab\there\nnul\0quote\"back\\slash\x01\x7f\xff and a long tail past the cut";
    (void)!write(fd, awkward, sizeof awkward - 1);
    close(fd);
    fd = open(FILE_NAME, O_RDONLY | O_CLOEXEC);
    char buffer[128];
    (void)!read(fd, buffer, 5);
    lseek(fd, 0, SEEK_SET);
    (void)!read(fd, buffer, sizeof buffer);
    (void)!read(fd, buffer, sizeof buffer);
    lseek(fd, 0, 42);
    struct stat status;
    fstat(fd, &status);
    close(fd);
    open("no-such-file", O_RDONLY);
    open(FILE_NAME "/below", O_RDONLY);
    close(-1);
    fd = open(FILE_NAME, O_RDWR | O_APPEND);
    struct iovec pieces[2] = {{"gather", 6}, {"ed\n", 3}};
    (void)!writev(fd, pieces, 2);
    (void)!pread(fd, buffer, 4, 2);
    char first[4], second[64];
    struct iovec into[2] = {{first, sizeof first}, {second, sizeof second}};
    lseek(fd, 0, SEEK_SET);
    (void)!readv(fd, into, 2);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    close(fd);
    access(FILE_NAME, R_OK | W_OK);
    access("no-such-file", F_OK);
    mkdir("trace.dir", 0750);
    rename("trace.dir", "trace.dir2");
    rmdir("trace.dir2");
    (void)!getcwd(buffer, sizeof buffer);
    unlink(FILE_NAME);
}

static void memory(void)
{
    char *area = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    area[0] = 1;
    mprotect(area, 4096, PROT_READ);
    munmap(area, 3 * 4096);
}

static void signals(void)
{
    struct sigaction action = {.sa_handler = SIG_IGN};
    syscall(SYS_rt_sigaction, SIGUSR1, &action, NULL, 8);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), SIGUSR1);
}

static void descriptors(void)
{
    int ends[2];
    pipe2(ends, O_CLOEXEC);
    close(ends[0]);
    close(ends[1]);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    close(sock);
    socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP);
    dup2(1, 10);
    fcntl(10, F_GETFD);
    close(10);
    struct timespec nap = {0, 1000};
    nanosleep(&nap, NULL);
    static int word;
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &nap, NULL, 0); /* EAGAIN: the word is 0 */
    syscall(UNKNOWN_CALL, 1, 2, 3);
}

/* The structures of the poll family, timers, ids and the system. */
static void structures(void)
{
    int ends[2];
    pipe(ends);
    (void)!write(ends[1], "z", 1);
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 0x100000007ull};
    epoll_ctl(epoll, EPOLL_CTL_ADD, ends[0], &event);
    struct epoll_event ready[4];
    epoll_wait(epoll, ready, 4, 0);
    epoll_ctl(epoll, EPOLL_CTL_DEL, ends[0], NULL);
    close(epoll);
    struct pollfd fds[2] = {{ends[0], POLLIN, 0}, {ends[1], POLLIN, 0}};
    poll(fds, 2, 0);
    fds[0].fd = ends[1];
    poll(fds, 1, 0);
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_SET(ends[0], &readable);
    FD_SET(ends[1], &writable);
    struct timeval none = {0, 0};
    select(ends[1] + 1, &readable, &writable, NULL, &none);
    FD_ZERO(&readable);
    FD_SET(ends[1], &readable);
    none.tv_usec = 0;
    select(ends[1] + 1, &readable, NULL, NULL, &none);
    close(ends[0]);
    close(ends[1]);
    struct itimerval timer = {{0, 0}, {100, 250000}}, old;
    setitimer(ITIMER_REAL, &timer, NULL);
    timer.it_value.tv_sec = 0;
    timer.it_value.tv_usec = 0;
    setitimer(ITIMER_REAL, &timer, &old);
    getitimer(ITIMER_VIRTUAL, &old);
    syscall(SYS_setresuid, -1, -1, -1);
    syscall(SYS_setuid, 0);
    syscall(SYS_setgid, 0);
    uid_t r, e, saved;
    getresuid(&r, &e, &saved);
    struct utsname name;
    uname(&name);
    prctl(PR_SET_NAME, "traced");
    char comm[16];
    prctl(PR_GET_NAME, comm);
    madvise(NULL, 0, MADV_NORMAL);
    syscall(SYS_sched_getscheduler, 0);
}

static volatile sig_atomic_t handled;
static void on_signal(int sig) { handled = sig; }

/* A signal delivered to a handler, and children that end: one exits with
 * a status, one is killed by a signal that has its default action, one by
 * SIGKILL. */
static void ends_of_processes(void)
{
    struct sigaction action = {.sa_handler = on_signal};
    sigaction(SIGUSR2, &action, NULL);
    syscall(SYS_kill, getpid(), SIGUSR2);
    int status;
    pid_t child = fork();
    if (child == 0)
        _exit(3);
    wait4(child, &status, 0, NULL);
    child = fork();
    if (child == 0) {
        syscall(SYS_kill, getpid(), SIGTERM);
        _exit(0);
    }
    wait4(child, &status, 0, NULL);
    child = fork();
    if (child == 0) {
        syscall(SYS_kill, getpid(), SIGKILL);
        _exit(0);
    }
    wait4(child, &status, 0, NULL);
}

/* Two processes hand a byte each way (one may block in read), then a vfork
 * child makes a call while its parent waits in vfork. */
static void blocking(void)
{
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    char byte;
    pid_t child = fork();
    if (child == 0) {
        (void)!read(to_child[0], &byte, 1);
        (void)!write(to_parent[1], "y", 1);
        _exit(0);
    }
    (void)!write(to_child[1], "x", 1);
    (void)!read(to_parent[0], &byte, 1);
    wait4(child, NULL, 0, NULL);
    /* the parent's vfork lasts until the child's exit: always unfinished */
    child = vfork();
    if (child == 0) {
        (void)!write(-1, "vfork-child", 11);
        _exit(0);
    }
    wait4(child, NULL, 0, NULL);
    ends_of_processes();
}

int main(int argc, char **argv)
{
    if (argc < 2 || chdir(argv[1]) != 0)
        return 2;
    umask(022);
    /* A call in both ABIs' tables that neither Linux nor sysgate implements:
       the trace still names it. */
    syscall(SYS_uselib, NULL);
    marker("trace-begin");
    files();
    memory();
    signals();
    descriptors();
    structures();
    if (argc > 2 && strcmp(argv[2], "blocking") == 0)
        blocking();
    marker("trace-end");
    return 0;
}
