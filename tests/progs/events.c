/*
 * The event interfaces servers use: eventfd, epoll (and timerfd and signalfd
 * where built in), run on the host and on sysgate alike; every line printed
 * must match. Watched files are pipes, FIFOs, eventfds and other epoll
 * instances. Usage: events eventfd|epoll|timerfd|timerfd-clock-set|signalfd|pingpong|stress
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Hidden from the compiler, which would refuse the calls that pass it. */
static void *volatile bad_pointer = (void *)1;
#define BAD_POINTER bad_pointer
static volatile int minus_one = -1;

static int failures;

struct timespec64 {
    int64_t tv_sec, tv_nsec;
};

/* musl has no strerrorname_np. */
static const char *errno_name(int e)
{
    static const struct {
        int value;
        const char *name;
    } names[] = {{EINVAL, "EINVAL"}, {EBADF, "EBADF"},   {EFAULT, "EFAULT"}, {EAGAIN, "EAGAIN"},
                 {EPERM, "EPERM"},   {EEXIST, "EEXIST"}, {ENOENT, "ENOENT"}, {ELOOP, "ELOOP"},
                 {EINTR, "EINTR"},   {ESPIPE, "ESPIPE"}, {ECANCELED, "ECANCELED"}, {ENOSYS, "ENOSYS"},
                 {EMFILE, "EMFILE"}, {EBUSY, "EBUSY"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].value == e)
            return names[i].name;
    return "other";
}

/* "name: result" with errno's name for a failure, so both sides compare. */
static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void check(bool ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

static long raw(long nr, long a, long b, long c, long d, long e, long f)
{
    long r = syscall(nr, a, b, c, d, e, f);
    return r;
}

/* ---- eventfd ---- */

static void eventfd_cases(void)
{
    uint64_t v;
    int e = eventfd(3, 0);
    show("eventfd(3)", e >= 0);
    show("read 4 bytes", read(e, &v, 4));
    show("read 8", read(e, &v, 8));
    printf("value %llu\n", (unsigned long long)v);
    show("bad flags", eventfd(0, 0x10));
    show("eventfd2 bad flags raw", raw(SYS_eventfd2, 0, ~(long)0, 0, 0, 0, 0));
    int nb = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    show("nonblocking read of 0", read(nb, &v, 8));
    show("cloexec", fcntl(nb, F_GETFD));
    show("status flags nonblock", (fcntl(nb, F_GETFL) & O_NONBLOCK) != 0);
    show("status flags rdwr", fcntl(nb, F_GETFL) & O_ACCMODE);
    v = UINT64_MAX;
    show("write max", write(nb, &v, 8));
    v = UINT64_MAX - 1;
    show("write max-1", write(nb, &v, 8));
    struct pollfd p = {nb, POLLIN | POLLOUT, 0};
    show("poll full", poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    v = 1;
    show("write 1 to full", write(nb, &v, 8));
    show("write 3 bytes", write(nb, &v, 3));
    show("write bad pointer", write(nb, BAD_POINTER, 8));
    show("read full", read(nb, &v, 8));
    printf("value %llu\n", (unsigned long long)v);
    p.revents = 0;
    show("poll empty", poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    v = 5;
    write(nb, &v, 8);
    show("read bad pointer (consumes)", read(nb, BAD_POINTER, 8));
    show("read after", read(nb, &v, 8));
    show("write 0", write(nb, &(uint64_t){0}, 8));
    show("read after writing 0", read(nb, &v, 8));
    int sem = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    for (int i = 0; i < 4; i++) {
        v = 0;
        uint64_t two[2] = {0, 0};
        long r = read(sem, two, 16);
        v = two[0];
        printf("semaphore read %d: %ld value %llu\n", i, r, (unsigned long long)v);
    }
    show("lseek", lseek(sem, 0, SEEK_SET) < 0 ? -1 : 0);
    struct stat st;
    fstat(sem, &st);
    printf("mode %o\n", st.st_mode);
    close(e), close(nb), close(sem);

    /* A blocked reader is woken by a writer, a blocked writer by a reader. */
    int b = eventfd(0, 0);
    pid_t child = fork();
    if (child == 0) {
        uint64_t x = 7;
        write(b, &x, 8);
        x = UINT64_MAX - 1;
        write(b, &x, 8); /* blocks until the parent reads */
        _exit(0);
    }
    read(b, &v, 8);
    printf("blocked reader got %llu\n", (unsigned long long)v);
    read(b, &v, 8);
    printf("then %llu\n", (unsigned long long)v);
    int status;
    waitpid(child, &status, 0);
    printf("writer exited %d\n", WEXITSTATUS(status));
    close(b);
}

/* ---- epoll ---- */

static void show_events(const char *what, int n, struct epoll_event *ev)
{
    if (n < 0) {
        show(what, n);
        return;
    }
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++)
        printf(" [%llu %#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
    printf("\n");
}

static int ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
    struct epoll_event ev = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, op, fd, &ev);
}

static void epoll_errors(void)
{
    struct epoll_event ev[4];
    show("epoll_create(0)", epoll_create(0));
    show("epoll_create(-1)", epoll_create(-1));
    show("epoll_create1(bad)", epoll_create1(1));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    show("cloexec", fcntl(ep, F_GETFD));
    int pfd[2];
    pipe(pfd);
    show("add bad fd", ctl(ep, EPOLL_CTL_ADD, 999, EPOLLIN, 0));
    show("bad epfd", ctl(999, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 0));
    show("epfd not epoll", ctl(pfd[1], EPOLL_CTL_ADD, pfd[0], EPOLLIN, 0));
    show("add itself", ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0));
    int reg = open("/proc/self/exe", O_RDONLY);
    if (reg < 0)
        reg = open(".", O_RDONLY);
    show("add regular file", ctl(ep, EPOLL_CTL_ADD, reg, EPOLLIN, 0));
    show("bad op", ctl(ep, 7, pfd[0], EPOLLIN, 0));
    show("bad op bad pointer", epoll_ctl(ep, 7, pfd[0], BAD_POINTER));
    show("add bad pointer", epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], BAD_POINTER));
    show("del bad pointer", epoll_ctl(ep, EPOLL_CTL_DEL, pfd[0], BAD_POINTER));
    show("mod absent", ctl(ep, EPOLL_CTL_MOD, pfd[0], EPOLLIN, 0));
    show("add", ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 1));
    show("add again", ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 1));
    show("mod exclusive", ctl(ep, EPOLL_CTL_MOD, pfd[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
    show("add exclusive bad bits", ctl(ep, EPOLL_CTL_ADD, pfd[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 2));
    show("add exclusive", ctl(ep, EPOLL_CTL_ADD, pfd[1], EPOLLOUT | EPOLLEXCLUSIVE, 2));
    show("mod exclusive item", ctl(ep, EPOLL_CTL_MOD, pfd[1], EPOLLOUT, 2));
    show("del", ctl(ep, EPOLL_CTL_DEL, pfd[0], 0, 0));
    show("del again", ctl(ep, EPOLL_CTL_DEL, pfd[0], 0, 0));
    show("wait maxevents 0", epoll_wait(ep, ev, 0, 0));
    show("wait maxevents -1", epoll_wait(ep, ev, minus_one, 0));
    show("wait not epoll", epoll_wait(pfd[0], ev, 1, 0));
    show("wait bad epfd", epoll_wait(999, ev, 1, 0));
    show("wait bad pointer", epoll_wait(ep, BAD_POINTER, 1, 0));
    show("wait kernel pointer", epoll_wait(ep, (void *)-4096L, 1, 0));
    show("pwait bad sigsetsize", epoll_pwait(ep, ev, 1, 0, &(sigset_t){0}));
    show("pwait bad sigsetsize raw", raw(SYS_epoll_pwait, ep, (long)ev, 1, 0, (long)&(sigset_t){0}, 4));
    show("pwait bad mask pointer", raw(SYS_epoll_pwait, ep, (long)ev, 1, 0, (long)BAD_POINTER, 8));
    /* epoll_pwait2 takes the 64-bit timespec in both ABIs. */
    struct timespec64 bad = {0, 1000000000};
    show("pwait2 bad timespec", raw(SYS_epoll_pwait2, ep, (long)ev, 1, (long)&bad, 0, 8));
    show("pwait2 timespec pointer", raw(SYS_epoll_pwait2, ep, (long)ev, 1, (long)BAD_POINTER, 0, 8));
    struct timespec64 zero = {0, 0};
    show_events("pwait2 zero", (int)raw(SYS_epoll_pwait2, ep, (long)ev, 4, (long)&zero, 0, 8), ev);
    /* A nested epoll instance: a loop and depth limits are ELOOP. */
    int chain[7];
    for (int i = 0; i < 7; i++)
        chain[i] = epoll_create1(0);
    for (int i = 0; i < 6; i++) {
        char what[32];
        snprintf(what, sizeof(what), "nest %d in %d", i + 1, i);
        show(what, ctl(chain[i], EPOLL_CTL_ADD, chain[i + 1], EPOLLIN, i));
    }
    show("loop", ctl(chain[2], EPOLL_CTL_ADD, chain[0], EPOLLIN, 0));
    show("exclusive on epoll", ctl(ep, EPOLL_CTL_ADD, chain[6], EPOLLIN | EPOLLEXCLUSIVE, 0));
    for (int i = 0; i < 7; i++)
        close(chain[i]);
    close(reg), close(pfd[0]), close(pfd[1]), close(ep);
}

static void epoll_modes(void)
{
    struct epoll_event ev[8];
    int ep = epoll_create(1);
    int pfd[2];
    pipe2(pfd, O_NONBLOCK);
    int efd = eventfd(0, EFD_NONBLOCK);
    ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 10);
    ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLET, 20);
    show_events("nothing ready", epoll_wait(ep, ev, 8, 0), ev);
    write(pfd[1], "ab", 2);
    uint64_t one = 1;
    write(efd, &one, 8);
    show_events("both", epoll_wait(ep, ev, 8, 0), ev);
    show_events("level-triggered again", epoll_wait(ep, ev, 8, 0), ev);
    write(efd, &one, 8);
    show_events("edge again after a write", epoll_wait(ep, ev, 8, 0), ev);
    show_events("maxevents 1", epoll_wait(ep, ev, 1, 0), ev);
    char buf[8];
    read(pfd[0], buf, sizeof(buf));
    show_events("pipe drained", epoll_wait(ep, ev, 8, 0), ev);
    show("mod oneshot", ctl(ep, EPOLL_CTL_MOD, pfd[0], EPOLLIN | EPOLLONESHOT, 11));
    write(pfd[1], "c", 1);
    show_events("oneshot", epoll_wait(ep, ev, 8, 0), ev);
    show_events("oneshot disabled", epoll_wait(ep, ev, 8, 0), ev);
    write(pfd[1], "d", 1);
    show_events("still disabled", epoll_wait(ep, ev, 8, 0), ev);
    show("mod re-arms", ctl(ep, EPOLL_CTL_MOD, pfd[0], EPOLLIN, 12));
    show_events("re-armed", epoll_wait(ep, ev, 8, 0), ev);
    /* Write end watched for output, then its reader goes: EPOLLERR. */
    ctl(ep, EPOLL_CTL_ADD, pfd[1], EPOLLOUT | EPOLLRDHUP | EPOLLWAKEUP, 30);
    show_events("writable", epoll_wait(ep, ev, 8, 0), ev);
    ctl(ep, EPOLL_CTL_DEL, pfd[0], 0, 0);
    close(pfd[0]);
    show_events("reader gone", epoll_wait(ep, ev, 8, 0), ev);
    ctl(ep, EPOLL_CTL_DEL, pfd[1], 0, 0);
    close(pfd[1]);

    /* Writer gone: EPOLLHUP on the read end. */
    pipe(pfd);
    ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 40);
    close(pfd[1]);
    show_events("writer gone", epoll_wait(ep, ev, 8, 0), ev);
    /* An item lives while its file does: closing a dup'ed fd keeps it. */
    int dup_fd = dup(pfd[0]);
    close(pfd[0]);
    show_events("closed fd, file alive", epoll_wait(ep, ev, 8, 0), ev);
    show("del of closed fd", ctl(ep, EPOLL_CTL_DEL, pfd[0], 0, 0));
    close(dup_fd);
    show_events("file released", epoll_wait(ep, ev, 8, 0), ev);
    /* Reusing the number: a new item, the old one is gone. */
    pipe(pfd);
    show("add reused number", ctl(ep, EPOLL_CTL_ADD, pfd[0], EPOLLIN, 41));
    close(pfd[0]), close(pfd[1]);

    /* A FIFO. */
    char path[64];
    snprintf(path, sizeof(path), "/tmp/events-fifo-%d", getpid());
    mkfifo(path, 0600);
    int r = open(path, O_RDONLY | O_NONBLOCK), w = open(path, O_WRONLY);
    show("add fifo", ctl(ep, EPOLL_CTL_ADD, r, EPOLLIN, 50));
    show_events("fifo empty", epoll_wait(ep, ev, 8, 0), ev);
    write(w, "x", 1);
    show_events("fifo data", epoll_wait(ep, ev, 8, 0), ev);
    close(r), close(w);
    unlink(path);

    /* Nested: an epoll fd is readable when an item inside is ready. */
    int outer = epoll_create1(0);
    show("nest", ctl(outer, EPOLL_CTL_ADD, ep, EPOLLIN, 60));
    show_events("inner idle", epoll_wait(outer, ev, 8, 0), ev);
    write(efd, &one, 8);
    show_events("inner ready", epoll_wait(outer, ev, 8, 0), ev);
    struct pollfd p = {ep, POLLIN, 0};
    show("poll on epoll", poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    fd_set set;
    FD_ZERO(&set);
    FD_SET(ep, &set);
    struct timeval tv = {0, 0};
    show("select on epoll", select(ep + 1, &set, NULL, NULL, &tv));
    show_events("inner", epoll_wait(ep, ev, 8, 0), ev);
    show_events("outer after inner consumed", epoll_wait(outer, ev, 8, 0), ev);
    close(outer);

    /* Sleeping: a child's write wakes the wait; a timeout ends an idle one. */
    int pp[2];
    pipe(pp);
    ctl(ep, EPOLL_CTL_ADD, pp[0], EPOLLIN, 70);
    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        write(pp[1], "z", 1);
        _exit(0);
    }
    show_events("woken by child", epoll_wait(ep, ev, 8, -1), ev);
    waitpid(child, NULL, 0);
    read(pp[0], buf, 1);
    show_events("timeout", epoll_wait(ep, ev, 8, 10), ev);
    struct timespec64 ts = {0, 5000000};
    show_events("pwait2 timeout", (int)raw(SYS_epoll_pwait2, ep, (long)ev, 8, (long)&ts, 0, 8), ev);
    close(pp[0]), close(pp[1]), close(efd), close(ep);
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig, got_usr1 = 1; }

static void epoll_signals(void)
{
    struct epoll_event ev[2];
    sigaction(SIGUSR1, &(struct sigaction){.sa_handler = on_usr1}, NULL);
    sigset_t block, empty;
    sigemptyset(&block), sigaddset(&block, SIGUSR1), sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    int ep = epoll_create1(0);
    raise(SIGUSR1);
    show("pwait with USR1 unblocked", epoll_pwait(ep, ev, 2, -1, &empty));
    printf("handler ran %d\n", got_usr1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("mask restored %d\n", sigismember(&now, SIGUSR1));
    got_usr1 = 0;
    raise(SIGUSR1);
    show("wait with USR1 blocked, timeout", epoll_wait(ep, ev, 2, 5));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("handler ran %d\n", got_usr1);
    close(ep);
}

/* Two processes bounce a token through pipes, each waiting in epoll. */
static void pingpong(int rounds)
{
    int to_child[2], to_parent[2];
    pipe(to_child), pipe(to_parent);
    pid_t child = fork();
    int in = child ? to_parent[0] : to_child[0], out = child ? to_child[1] : to_parent[1];
    int ep = epoll_create1(0);
    ctl(ep, EPOLL_CTL_ADD, in, EPOLLIN, 1);
    long sum = 0;
    if (child)
        write(out, &(int){0}, sizeof(int));
    for (int i = 0; i < rounds; i++) {
        struct epoll_event ev;
        if (epoll_wait(ep, &ev, 1, -1) != 1)
            break;
        int v;
        if (read(in, &v, sizeof(v)) != sizeof(v))
            break;
        sum += v;
        v++;
        if (!child || i + 1 < rounds)
            write(out, &v, sizeof(v));
    }
    if (!child)
        _exit(sum % 256);
    int status;
    waitpid(child, &status, 0);
    printf("pingpong %d rounds: parent sum %ld, child status %d\n", rounds, sum, WEXITSTATUS(status));
}


/* ---- timerfd ---- */

#define MS 1000000LL

static struct itimerspec its(long long value_ns, long long interval_ns)
{
    return (struct itimerspec){{interval_ns / 1000000000, interval_ns % 1000000000},
                               {value_ns / 1000000000, value_ns % 1000000000}};
}

static void show_ticks(const char *what, int fd)
{
    uint64_t ticks = 0;
    long r = read(fd, &ticks, sizeof(ticks));
    if (r < 0)
        show(what, r);
    else
        printf("%s: %ld bytes, %llu expirations\n", what, r, (unsigned long long)ticks);
}

/* The time left is the clock's: shown as whether it is in (0, limit]. */
static void show_setting(const char *what, const struct itimerspec *cur, long long limit_ns)
{
    long long left = cur->it_value.tv_sec * 1000000000LL + cur->it_value.tv_nsec;
    printf("%s: value %s, interval %ld.%09ld\n", what, left == 0 ? "0" : left <= limit_ns ? "in range" : "too long",
           (long)cur->it_interval.tv_sec, cur->it_interval.tv_nsec);
}

static void timerfd_cases(void)
{
    show("create bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
    show("create bad clock 42", timerfd_create(42, 0));
    show("create bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
    int clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM};
    for (int i = 0; i < 5; i++) {
        int fd = timerfd_create(clocks[i], TFD_NONBLOCK);
        char what[40];
        snprintf(what, sizeof(what), "clock %d", clocks[i]);
        show(what, fd >= 0);
        struct itimerspec t = its(1 * MS, 0), cur;
        timerfd_settime(fd, 0, &t, NULL);
        struct pollfd p = {fd, POLLIN, 0};
        poll(&p, 1, -1);
        show_ticks(what, fd);
        timerfd_gettime(fd, &cur);
        show_setting(what, &cur, 0);
        close(fd);
    }
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    show("cloexec", fcntl(fd, F_GETFD));
    struct itimerspec t = its(0, 0), old, cur;
    show("settime bad flags", timerfd_settime(fd, 4, &t, NULL));
    t.it_value.tv_nsec = 1000000000;
    show("settime bad nsec", timerfd_settime(fd, 0, &t, NULL));
    t = its(0, 0);
    t.it_interval.tv_sec = -1;
    show("settime negative interval", timerfd_settime(fd, 0, &t, NULL));
    t = its(0, 0);
    int efd = eventfd(0, 0);
    show("settime on an eventfd", timerfd_settime(efd, 0, &t, NULL));
    show("gettime on an eventfd", timerfd_gettime(efd, &cur));
    show("settime bad fd", timerfd_settime(999, 0, &t, NULL));
    /* Raw: i386 glibc converts the structures itself and would fault first. */
    show("settime bad pointer", syscall(SYS_timerfd_settime, fd, 0, BAD_POINTER, NULL));
    show("gettime bad pointer", syscall(SYS_timerfd_gettime, fd, BAD_POINTER));
    show("gettime bad fd", timerfd_gettime(999, &cur));
    t = its(100000 * MS, 0);
    show("settime bad old pointer", syscall(SYS_timerfd_settime, fd, 0, &t, BAD_POINTER));
    timerfd_gettime(fd, &cur);
    show_setting("armed anyway", &cur, 100000 * MS);
    t = its(0, 250 * MS);
    show("disarm with an interval", timerfd_settime(fd, 0, &t, &old));
    show_setting("old", &old, 100000 * MS);
    timerfd_gettime(fd, &cur);
    show_setting("disarmed", &cur, 0);
    show_ticks("nonblocking read", fd);
    uint64_t v;
    show("read 4 bytes", read(fd, &v, 4));
    show("write", write(fd, &v, 8));
    show("lseek", lseek(fd, 0, SEEK_SET));
    /* Absolute, in the past, with an interval: every missed expiration
     * counts (on the realtime clock, which is far from 0 on both sides). */
    close(fd);
    fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    t = its(0, 1000 * MS);
    t.it_value.tv_sec = now.tv_sec - 10;
    t.it_value.tv_nsec = now.tv_nsec;
    if (t.it_value.tv_nsec >= 500 * MS)
        t.it_value.tv_nsec -= 500 * MS;
    else
        t.it_value.tv_sec--, t.it_value.tv_nsec += 500 * MS;
    show("settime absolute past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
    struct pollfd p = {fd, POLLIN, 0};
    show("poll", poll(&p, 1, -1));
    show_ticks("missed expirations", fd);
    timerfd_gettime(fd, &cur);
    show_setting("interval running", &cur, 1000 * MS);
    p.revents = 0;
    show("poll after read", poll(&p, 1, 0));
    /* A blocking read sleeps until the expiration; epoll sees it too. */
    int blocking = timerfd_create(CLOCK_REALTIME, 0);
    t = its(5 * MS, 0);
    timerfd_settime(blocking, 0, &t, NULL);
    show_ticks("blocking read", blocking);
    int ep = epoll_create1(0);
    ctl(ep, EPOLL_CTL_ADD, blocking, EPOLLIN, 5);
    timerfd_settime(blocking, 0, &t, NULL);
    struct epoll_event ev[2];
    show_events("epoll on a timerfd", epoll_wait(ep, ev, 2, -1), ev);
    show_ticks("then read", blocking);
    /* Re-setting clears the count. */
    t = its(1 * MS, 0);
    timerfd_settime(fd, 0, &t, NULL);
    usleep(10000);
    t = its(0, 0);
    timerfd_settime(fd, 0, &t, NULL);
    show_ticks("count cleared by settime", fd);
#ifdef __i386__
    /* The time32 calls (their numbers in glibc's headers name them). */
    struct {
        int32_t interval_sec, interval_nsec, value_sec, value_nsec;
    } t32 = {0, 0, 100, 0}, old32;
    show("settime time32", syscall(325, fd, 0, &t32, NULL));
    show("gettime time32", syscall(326, fd, &old32));
    printf("time32: interval %d.%09d, value %s\n", old32.interval_sec, old32.interval_nsec,
           old32.value_sec <= 100 && (old32.value_sec || old32.value_nsec) ? "in range" : "wrong");
    t32.value_nsec = 1000000000;
    show("settime time32 bad nsec", syscall(325, fd, 0, &t32, NULL));
    struct {
        int64_t interval_sec, interval_nsec, value_sec, value_nsec;
    } t64 = {1, 0, 50, 0}, old64;
    show("settime64", syscall(411, fd, 0, &t64, &old64));
    printf("time64 old: interval %lld, value %s\n", (long long)old64.interval_sec,
           old64.value_sec <= 100 && old64.value_sec > 0 ? "in range" : "wrong");
    show("gettime64", syscall(410, fd, &old64));
    printf("time64: interval %lld, value %s\n", (long long)old64.interval_sec,
           old64.value_sec <= 50 && old64.value_sec >= 0 ? "in range" : "wrong");
#endif
    close(ep), close(blocking), close(efd), close(fd);
}

/* Sets CLOCK_REALTIME: sysgate only, never on the host. An absolute
 * realtime timer moves with the clock; with TFD_TIMER_CANCEL_ON_SET its
 * read fails with ECANCELED once. */
static void timerfd_clock_set(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int moved = timerfd_create(CLOCK_REALTIME, 0);
    int cancel = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    struct itimerspec t = its(0, 0);
    t.it_value.tv_sec = now.tv_sec + 1000;
    show("absolute realtime", timerfd_settime(moved, TFD_TIMER_ABSTIME, &t, NULL));
    show("cancel on set", timerfd_settime(cancel, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &t, NULL));
    show_ticks("before the clock is set", cancel);
    struct timespec later = {now.tv_sec + 2000, 0};
    show("clock_settime", clock_settime(CLOCK_REALTIME, &later));
    show_ticks("moved timer expired", moved);
    show_ticks("canceled", cancel);
    show_ticks("canceled once", cancel);
    clock_settime(CLOCK_REALTIME, &now);
    close(moved), close(cancel);
}


/* ---- signalfd ---- */

static volatile sig_atomic_t delivered;
static void on_signal(int sig) { delivered = sig; }

static void show_siginfo(const char *what, const struct signalfd_siginfo *si)
{
    bool self = si->ssi_pid == (uint32_t)getpid();
    printf("%s: signo %u code %d errno %d pid %s uid %u int %d ptr %llu status %d\n", what, si->ssi_signo,
           si->ssi_code, si->ssi_errno, self ? "self" : si->ssi_pid ? "other" : "0", si->ssi_uid, si->ssi_int,
           (unsigned long long)si->ssi_ptr, si->ssi_status);
}

static void signalfd_cases(void)
{
    sigset_t mask, none;
    sigemptyset(&mask), sigemptyset(&none);
    sigaddset(&mask, SIGUSR1), sigaddset(&mask, SIGUSR2), sigaddset(&mask, SIGRTMIN), sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    uint64_t raw_mask = 1ull << (SIGUSR1 - 1);
    show("bad flags", raw(SYS_signalfd4, -1, (long)&raw_mask, 8, 1, 0, 0));
    show("bad size", raw(SYS_signalfd4, -1, (long)&raw_mask, 4, 0, 0, 0));
    show("bad mask pointer", raw(SYS_signalfd4, -1, (long)BAD_POINTER, 8, 0, 0, 0));
    show("bad fd", raw(SYS_signalfd4, 999, (long)&raw_mask, 8, 0, 0, 0));
    show("fd -2", raw(SYS_signalfd4, -2, (long)&raw_mask, 8, 0, 0, 0));
    int efd = eventfd(0, 0);
    show("not a signalfd", raw(SYS_signalfd4, efd, (long)&raw_mask, 8, 0, 0, 0));
    int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    show("signalfd", fd >= 0);
    show("cloexec", fcntl(fd, F_GETFD));
    struct signalfd_siginfo si[4];
    show("nothing pending", read(fd, si, sizeof(si)));
    show("read too small", read(fd, si, sizeof(si[0]) - 1));
    struct pollfd p = {fd, POLLIN, 0};
    show("poll nothing", poll(&p, 1, 0));
    raise(SIGUSR1);
    kill(getpid(), SIGUSR2);
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 42});
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 43});
    show("poll pending", poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    long n = read(fd, si, 3 * sizeof(si[0]) + 5);
    show("read three", n);
    for (long i = 0; i < n / (long)sizeof(si[0]); i++)
        show_siginfo("got", &si[i]);
    show("read the fourth", read(fd, si, sizeof(si)));
    show_siginfo("got", &si[0]);
    show("then none", read(fd, si, sizeof(si)));
    raise(SIGUSR1);
    show("read bad pointer", read(fd, BAD_POINTER, sizeof(si[0])));
    show("lost", read(fd, si, sizeof(si)));
    /* Changing the mask through the descriptor. */
    sigset_t only_usr2;
    sigemptyset(&only_usr2), sigaddset(&only_usr2, SIGUSR2);
    show("update mask", signalfd(fd, &only_usr2, 0) == fd);
    raise(SIGUSR1);
    show("USR1 not in the mask", read(fd, si, sizeof(si)));
    sigset_t pending;
    sigpending(&pending);
    printf("USR1 still pending %d\n", sigismember(&pending, SIGUSR1));
    /* Not read: delivered normally once unblocked. */
    sigaction(SIGUSR1, &(struct sigaction){.sa_handler = on_signal}, NULL);
    sigset_t usr1;
    sigemptyset(&usr1), sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    printf("delivered %s\n", delivered == SIGUSR1 ? "USR1" : "nothing");
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    /* epoll on a signalfd; a blocking read woken by another process. */
    int sfd = signalfd(-1, &mask, 0);
    int ep = epoll_create1(0);
    ctl(ep, EPOLL_CTL_ADD, sfd, EPOLLIN, 9);
    struct epoll_event ev[2];
    show_events("epoll idle", epoll_wait(ep, ev, 2, 0), ev);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        kill(parent, SIGUSR2);
        _exit(3);
    }
    show_events("epoll woken", epoll_wait(ep, ev, 2, -1), ev);
    show("blocking read", read(sfd, si, sizeof(si[0])));
    show_siginfo("from the child", &si[0]);
    /* The child's exit: SIGCHLD with its status. */
    show("blocking read", read(sfd, si, sizeof(si[0])));
    show_siginfo("child ended", &si[0]);
    waitpid(child, NULL, 0);
    close(ep), close(sfd), close(fd), close(efd);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* ---- stress: threads change items and write while others wait ---- */

#define STRESS_PIPES 4
#define STRESS_WRITERS 2
#define STRESS_WAITERS 2

static int stress_ep;
static int stress_pipes[STRESS_PIPES][2];
static int stress_efd;
static long stress_rounds;
static long bytes_read, counts_read;
static volatile int writers_left;
static pthread_mutex_t totals = PTHREAD_MUTEX_INITIALIZER;

static void *stress_writer(void *arg)
{
    long id = (long)arg;
    for (long i = 0; i < stress_rounds; i++) {
        int p = (int)((i + id) % STRESS_PIPES);
        if (i % 3 == 0) {
            uint64_t one = 1;
            write(stress_efd, &one, 8);
        } else {
            write(stress_pipes[p][1], "x", 1);
        }
        /* Items come and go and change while the waiters wait. */
        if (i % 7 == 0) {
            ctl(stress_ep, EPOLL_CTL_DEL, stress_pipes[p][0], 0, 0);
            ctl(stress_ep, EPOLL_CTL_ADD, stress_pipes[p][0], EPOLLIN, (uint64_t)p);
        } else if (i % 5 == 0) {
            ctl(stress_ep, EPOLL_CTL_MOD, stress_pipes[p][0], EPOLLIN | (i % 2 ? EPOLLET : 0), (uint64_t)p);
        }
        if (i % 101 == 0) {
            /* A short-lived extra item, released by close. */
            int extra = eventfd(1, 0);
            ctl(stress_ep, EPOLL_CTL_ADD, extra, EPOLLIN, 1000);
            close(extra);
        }
    }
    __atomic_fetch_sub(&writers_left, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void drain(int fd, bool counter)
{
    if (counter) {
        uint64_t v;
        if (read(fd, &v, 8) == 8) {
            pthread_mutex_lock(&totals);
            counts_read += (long)v;
            pthread_mutex_unlock(&totals);
        }
        return;
    }
    char buf[256];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        pthread_mutex_lock(&totals);
        bytes_read += n;
        pthread_mutex_unlock(&totals);
    }
}

static void *stress_waiter(void *arg)
{
    (void)arg;
    struct epoll_event ev[4];
    while (__atomic_load_n(&writers_left, __ATOMIC_SEQ_CST) > 0) {
        int n = epoll_wait(stress_ep, ev, 4, 20);
        for (int i = 0; i < n; i++) {
            uint64_t d = ev[i].data.u64;
            if (d == 1000)
                continue; /* the short-lived one may already be closed */
            drain(d == STRESS_PIPES ? stress_efd : stress_pipes[d][0], d == STRESS_PIPES);
        }
    }
    return NULL;
}

static int stress_round(long rounds)
{
    stress_rounds = rounds;
    bytes_read = counts_read = 0;
    stress_ep = epoll_create1(0);
    stress_efd = eventfd(0, EFD_NONBLOCK);
    for (int p = 0; p < STRESS_PIPES; p++) {
        pipe2(stress_pipes[p], O_NONBLOCK);
        ctl(stress_ep, EPOLL_CTL_ADD, stress_pipes[p][0], EPOLLIN, (uint64_t)p);
    }
    ctl(stress_ep, EPOLL_CTL_ADD, stress_efd, EPOLLIN, STRESS_PIPES);
    writers_left = STRESS_WRITERS;
    pthread_t w[STRESS_WRITERS], r[STRESS_WAITERS];
    for (long i = 0; i < STRESS_WAITERS; i++)
        pthread_create(&r[i], NULL, stress_waiter, NULL);
    for (long i = 0; i < STRESS_WRITERS; i++)
        pthread_create(&w[i], NULL, stress_writer, (void *)i);
    for (int i = 0; i < STRESS_WRITERS; i++)
        pthread_join(w[i], NULL);
    for (int i = 0; i < STRESS_WAITERS; i++)
        pthread_join(r[i], NULL);
    for (int p = 0; p < STRESS_PIPES; p++)
        drain(stress_pipes[p][0], false);
    drain(stress_efd, true);
    long want_counts = 0, want_bytes = 0;
    for (long id = 0; id < STRESS_WRITERS; id++)
        for (long i = 0; i < rounds; i++)
            i % 3 == 0 ? want_counts++ : want_bytes++;
    bool exact = bytes_read == want_bytes && counts_read == want_counts;
    if (!exact)
        printf("FAIL totals: bytes %ld of %ld, counts %ld of %ld\n", bytes_read, want_bytes, counts_read, want_counts);
    for (int p = 0; p < STRESS_PIPES; p++)
        close(stress_pipes[p][0]), close(stress_pipes[p][1]);
    close(stress_efd), close(stress_ep);
    return !exact;
}

static unsigned long free_kib(void)
{
    struct sysinfo si;
    sysinfo(&si);
    return si.freeram / 1024 * si.mem_unit;
}

static void stress(long rounds)
{
    int bad = stress_round(rounds / 10); /* what the first round makes stays (the heap's pages) */
    unsigned long before = free_kib();
    bad += stress_round(rounds);
    unsigned long after = free_kib();
    check(!bad, "stress: exact totals read");
    bool kept = after + 64 >= before;
    printf("%s free memory within 64 KiB of where it started (%lu KiB before, %lu after)\n", kept ? "ok" : "FAIL",
           before, after);
    failures += !kept;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "eventfd"))
        eventfd_cases();
    else if (!strcmp(what, "epoll"))
        epoll_errors(), epoll_modes(), epoll_signals();
    else if (!strcmp(what, "timerfd"))
        timerfd_cases();
    else if (!strcmp(what, "timerfd-clock-set"))
        timerfd_clock_set();
    else if (!strcmp(what, "signalfd"))
        signalfd_cases();
    else if (!strcmp(what, "pingpong"))
        pingpong(argc > 2 ? atoi(argv[2]) : 1000);
    else if (!strcmp(what, "stress"))
        stress(argc > 2 ? atol(argv[2]) : 20000);
    else {
        fprintf(stderr, "usage: events eventfd|epoll|timerfd|timerfd-clock-set|signalfd|pingpong|stress [N]\n");
        return 2;
    }
    return failures != 0;
}
