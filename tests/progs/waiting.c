/*
 * waiting.c - blocking and waking between processes, and timeouts: pipe
 * ping-pong with blocking reads, with poll and with select (every message
 * checked, in order); poll and select seeing a pipe become readable, writable
 * and hung up because of another process; poll, select, ppoll and pselect
 * timeouts that expire; sleepers waking in the order of their deadlines;
 * nanosleep interrupted by a signal (EINTR, a sane remaining time); futex
 * waits that time out (relative, absolute monotonic, absolute realtime) and
 * their errors; interval timers; the CPU-time clocks and clock_getres;
 * a process killed by a fault while its other threads sleep (in read, poll,
 * nanosleep, a futex), after which what they waited on still works.
 * Prints deterministic lines only: no wall-clock limits are checked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 200
#define MS 1000000L

static void show(const char *what, long r)
{
    printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

enum wait_style { BLOCKING, POLLING, SELECTING };

static void wait_readable(int fd, enum wait_style style)
{
    if (style == POLLING) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, -1) != 1 || !(p.revents & POLLIN))
            printf("poll: unexpected %x\n", p.revents);
    } else if (style == SELECTING) {
        fd_set in;
        FD_ZERO(&in);
        FD_SET(fd, &in);
        if (select(fd + 1, &in, NULL, NULL, NULL) != 1 || !FD_ISSET(fd, &in))
            printf("select: unexpected result\n");
    }
}

/* Parent and child pass a counter back and forth, each adding one. */
static void ping_pong(const char *name, enum wait_style style)
{
    int there[2], back[2];
    if (pipe(there) || pipe(back))
        return;
    pid_t child = fork();
    if (child == 0) {
        int bad = 0;
        for (int i = 0; i < ROUNDS; i++) {
            int n;
            wait_readable(there[0], style);
            if (read(there[0], &n, sizeof n) != sizeof n || n != 2 * i)
                bad++;
            n++;
            write(back[1], &n, sizeof n);
        }
        _exit(bad);
    }
    int bad = 0, n = 0;
    for (int i = 0; i < ROUNDS; i++) {
        write(there[1], &n, sizeof n);
        wait_readable(back[0], style);
        if (read(back[0], &n, sizeof n) != sizeof n || n != 2 * i + 1)
            bad++;
        n++;
    }
    int status;
    waitpid(child, &status, 0);
    printf("%s ping-pong: %d rounds, final %d, parent errors %d, child errors %d\n", name, ROUNDS, n, bad,
           WEXITSTATUS(status));
    close(there[0]), close(there[1]), close(back[0]), close(back[1]);
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, ms % 1000 * MS};
    while (nanosleep(&t, &t) && errno == EINTR)
        ;
}

/* poll and select wake when another process makes the pipe ready. */
static void readiness_from_another_process(void)
{
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(20);
        write(p[1], "x", 1);
        sleep_ms(20);
        _exit(0); /* the last writer goes: hang-up */
    }
    close(p[1]);
    struct pollfd fd = {p[0], POLLIN, 0};
    show("poll until written", poll(&fd, 1, -1));
    printf("revents POLLIN %d POLLHUP %d\n", !!(fd.revents & POLLIN), !!(fd.revents & POLLHUP));
    char c;
    read(p[0], &c, 1);
    show("poll until hang-up", poll(&fd, 1, -1));
    printf("revents POLLIN %d POLLHUP %d\n", !!(fd.revents & POLLIN), !!(fd.revents & POLLHUP));
    waitpid(child, NULL, 0);
    close(p[0]);

    /* A full pipe becomes writable when the reader drains it. */
    pipe(p);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    char block[4096];
    memset(block, 'y', sizeof block);
    long filled = 0;
    ssize_t n;
    while ((n = write(p[1], block, sizeof block)) > 0)
        filled += n;
    printf("filled %ld bytes, then %s\n", filled, strerror(errno));
    struct pollfd out = {p[1], POLLOUT, 0};
    show("poll on the full pipe, no wait", poll(&out, 1, 0));
    child = fork();
    if (child == 0) {
        sleep_ms(20);
        long got = 0;
        while (got < filled && (n = read(p[0], block, sizeof block)) > 0)
            got += n;
        _exit(got == filled ? 0 : 1);
    }
    fd_set set;
    FD_ZERO(&set);
    FD_SET(p[1], &set);
    show("select until drained", select(p[1] + 1, NULL, &set, NULL, NULL));
    printf("writable %d\n", FD_ISSET(p[1], &set));
    int status;
    waitpid(child, &status, 0);
    printf("reader status %d\n", WEXITSTATUS(status));
    close(p[0]);
    /* The reader is gone: POLLERR for the writer. */
    show("poll with no reader", poll(&out, 1, -1));
    printf("revents POLLOUT %d POLLERR %d\n", !!(out.revents & POLLOUT), !!(out.revents & POLLERR));
    close(p[1]);
}

static void timeouts_expire(void)
{
    int p[2];
    pipe(p);
    struct pollfd fd = {p[0], POLLIN, 0};
    show("poll 30 ms on an empty pipe", poll(&fd, 1, 30));
    struct timespec ts = {0, 30 * MS};
    show("ppoll 30 ms", ppoll(&fd, 1, &ts, NULL));
    fd_set in;
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    struct timeval tv = {0, 30000};
    show("select 30 ms", select(p[0] + 1, &in, NULL, NULL, &tv));
    printf("select left the set empty: %d\n", !FD_ISSET(p[0], &in));
    /* Linux writes the time left back (the C library may hide it). */
    printf("select's timeout after it expired: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
    write(p[1], "r", 1);
    FD_SET(p[0], &in);
    tv = (struct timeval){5, 0};
    show("select 5 s on a readable pipe", select(p[0] + 1, &in, NULL, NULL, &tv));
    printf("select's timeout after an early return: under 5 s %d\n", tv.tv_sec < 5);
    char drained;
    read(p[0], &drained, 1);
    FD_SET(p[0], &in);
    show("pselect 30 ms", pselect(p[0] + 1, &in, NULL, NULL, &ts, NULL));
    show("poll with no descriptors, 20 ms", poll(NULL, 0, 20));
    close(p[0]), close(p[1]);
}

/* Sleepers report in the order of their deadlines, not of their starts. */
static void wake_order(void)
{
    int p[2];
    pipe(p);
    static const long delays[] = {50, 10, 30};
    for (int i = 0; i < 3; i++) {
        if (fork() == 0) {
            char id = (char)('0' + delays[i] / 10);
            if (i == 2) {
                struct timespec when;
                clock_gettime(CLOCK_MONOTONIC, &when);
                when.tv_nsec += delays[i] * MS;
                if (when.tv_nsec >= 1000000000)
                    when.tv_sec++, when.tv_nsec -= 1000000000;
                while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR)
                    ;
            } else {
                sleep_ms(delays[i]);
            }
            write(p[1], &id, 1);
            _exit(0);
        }
    }
    close(p[1]);
    char order[4] = {0};
    for (int i = 0; i < 3; i++)
        read(p[0], &order[i], 1);
    printf("woke in the order (tens of ms): %s\n", order);
    while (wait(NULL) > 0)
        ;
    close(p[0]);
}

static volatile sig_atomic_t alarms, vtalarms;
static void on_alarm(int sig) { (void)sig, alarms++; }
static void on_vtalarm(int sig) { (void)sig, vtalarms++; }

static void interrupted_sleep(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec want = {5, 0}, left = {0, 0};
    int r = nanosleep(&want, &left);
    printf("nanosleep interrupted: %d %s, handler ran %d\n", r, r ? strerror(errno) : "", alarms);
    printf("remaining time sane: %d\n", left.tv_sec < 5 && (left.tv_sec > 0 || left.tv_nsec > 0) &&
                                            left.tv_nsec >= 0 && left.tv_nsec < 1000000000);

    /* A periodic timer wakes pause() again and again. */
    alarms = 0;
    struct itimerval every = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &every, NULL);
    while (alarms < 3)
        pause();
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("periodic SIGALRM woke pause at least 3 times\n");

    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    alarms = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    sigsuspend(&old);
    printf("sigsuspend woken by the alarm: %d\n", alarms);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* ITIMER_VIRTUAL counts user time only: busy work makes it fire. */
    sa.sa_handler = on_vtalarm;
    sigaction(SIGVTALRM, &sa, NULL);
    struct itimerval virt = {{0, 0}, {0, 10000}};
    setitimer(ITIMER_VIRTUAL, &virt, NULL);
    volatile unsigned long spin = 0;
    while (!vtalarms)
        spin++;
    printf("ITIMER_VIRTUAL fired after busy work: %d\n", vtalarms);
}

/* <linux/futex.h>'s values: musl has no kernel headers. */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAIT_BITSET_PRIVATE (9 | 128)
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* The raw timespec of SYS_futex on either ABI: two longs. */
struct futex_timespec {
    long tv_sec, tv_nsec;
};

static long futex(uint32_t *word, int op, uint32_t val, const struct futex_timespec *ts, uint32_t val3)
{
    return syscall(SYS_futex, word, op, val, ts, NULL, val3);
}

static void futex_timeouts(void)
{
    static uint32_t word;
    struct futex_timespec rel = {0, 20 * MS};
    show("FUTEX_WAIT, 20 ms", futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, 0));
    show("FUTEX_WAIT, value differs", futex(&word, FUTEX_WAIT_PRIVATE, 1, &rel, 0));
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct futex_timespec abs = {now.tv_sec, now.tv_nsec + 20 * MS};
    if (abs.tv_nsec >= 1000000000)
        abs.tv_sec++, abs.tv_nsec -= 1000000000;
    show("FUTEX_WAIT_BITSET, monotonic deadline", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, FUTEX_BITSET_MATCH_ANY));
    clock_gettime(CLOCK_REALTIME, &now);
    abs = (struct futex_timespec){now.tv_sec, now.tv_nsec + 20 * MS};
    if (abs.tv_nsec >= 1000000000)
        abs.tv_sec++, abs.tv_nsec -= 1000000000;
    show("FUTEX_WAIT_BITSET, realtime deadline",
         futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, FUTEX_BITSET_MATCH_ANY));
    struct futex_timespec past = {1, 0};
    show("FUTEX_WAIT_BITSET, deadline passed", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &past, FUTEX_BITSET_MATCH_ANY));
    struct futex_timespec bad = {0, 1000000000};
    show("FUTEX_WAIT, bad timeout", futex(&word, FUTEX_WAIT_PRIVATE, 0, &bad, 0));
    show("FUTEX_WAIT with FUTEX_CLOCK_REALTIME", futex(&word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &rel, 0));
}

static long long ns_of(clockid_t clock)
{
    struct timespec t;
    if (clock_gettime(clock, &t))
        return -1;
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void cpu_clocks(void)
{
    long long process0 = ns_of(CLOCK_PROCESS_CPUTIME_ID), thread0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
    volatile unsigned long spin = 0;
    long long previous = thread0;
    int monotonic = 1;
    for (int i = 0; i < 200; i++) {
        for (int j = 0; j < 20000; j++)
            spin++;
        long long now = ns_of(CLOCK_THREAD_CPUTIME_ID);
        monotonic &= now >= previous;
        previous = now;
    }
    long long process1 = ns_of(CLOCK_PROCESS_CPUTIME_ID), thread1 = ns_of(CLOCK_THREAD_CPUTIME_ID);
    printf("CPU clocks nonzero: %d, grew with busy work: %d %d, monotonic: %d\n", process0 > 0 && thread0 > 0,
           process1 > process0, thread1 > thread0, monotonic);
    clockid_t own;
    printf("clock_getcpuclockid(0): %d\n", clock_getcpuclockid(0, &own));
    printf("own process clock grew: %d\n", ns_of(own) >= process1);

    static const struct {
        clockid_t id;
        const char *name;
    } clocks[] = {
        {CLOCK_REALTIME, "REALTIME"},         {CLOCK_MONOTONIC, "MONOTONIC"},
        {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"}, {CLOCK_BOOTTIME, "BOOTTIME"},
        {CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID"}, {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"},
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec res;
        int r = clock_getres(clocks[i].id, &res);
        printf("clock_getres(%s): %d %ld.%09ld\n", clocks[i].name, r, (long)res.tv_sec, res.tv_nsec);
    }
    struct timespec coarse;
    clock_getres(CLOCK_MONOTONIC_COARSE, &coarse);
    printf("coarse resolution a jiffy (1 to 10 ms): %d\n", coarse.tv_sec == 0 && coarse.tv_nsec >= MS &&
                                                             coarse.tv_nsec <= 10 * MS);
    show("clock_getres(bad clock)", clock_getres(99, &coarse) ? -errno : 0);
    /* CLOCK_TAI is CLOCK_REALTIME plus an offset NTP may have set. */
    struct timespec tai, real;
    clock_gettime(CLOCK_REALTIME, &real);
    int tai_read = clock_gettime(CLOCK_TAI, &tai);
    printf("CLOCK_TAI read: %d, not behind CLOCK_REALTIME: %d\n", tai_read, tai.tv_sec >= real.tv_sec);
    int tai_res = clock_getres(CLOCK_TAI, &coarse);
    printf("clock_getres(CLOCK_TAI): %d %ld\n", tai_res, coarse.tv_nsec);

    /* Which clocks clock_nanosleep sleeps on (it returns the error itself). */
    struct timespec short_sleep = {0, 1000};
    static const struct {
        clockid_t id;
        const char *name;
    } sleep_clocks[] = {
        {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"}, {CLOCK_REALTIME_COARSE, "REALTIME_COARSE"},
        {CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"}, {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"},
        {CLOCK_BOOTTIME, "BOOTTIME"}, {CLOCK_TAI, "TAI"}, {99, "clock 99"},
    };
    for (unsigned i = 0; i < sizeof sleep_clocks / sizeof sleep_clocks[0]; i++) {
        int r = clock_nanosleep(sleep_clocks[i].id, 0, &short_sleep, NULL);
        printf("clock_nanosleep(%s): %s\n", sleep_clocks[i].name, r ? strerror(r) : "slept");
    }
    int r = clock_nanosleep(CLOCK_MONOTONIC, 2, &short_sleep, NULL);
    printf("clock_nanosleep with an unknown flag: %s\n", r ? strerror(r) : "slept");

    /* Setting the time: only the refusals, which come before any
     * permission check (the host's clock must not change). */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    show("clock_settime(CLOCK_MONOTONIC)", clock_settime(CLOCK_MONOTONIC, &now));
    show("clock_settime(CLOCK_PROCESS_CPUTIME_ID)", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &now));
    struct timespec bad = {now.tv_sec, 1000000000};
    show("clock_settime(CLOCK_REALTIME, 10^9 ns)", clock_settime(CLOCK_REALTIME, &bad));
    bad = (struct timespec){-1, 0};
    show("clock_settime(CLOCK_REALTIME, negative)", clock_settime(CLOCK_REALTIME, &bad));
    struct timeval tv = {1, 1000001};
    show("settimeofday, 1000001 us", settimeofday(&tv, NULL));
    tv = (struct timeval){-1, 0};
    show("settimeofday, negative", settimeofday(&tv, NULL));
    struct timezone zone;
    show("gettimeofday's zone", gettimeofday(&tv, &zone));
}

static int shared_pipe[2];

static void *sleep_in_read(void *arg)
{
    (void)arg;
    char c;
    read(shared_pipe[0], &c, 1);
    return NULL;
}

static void *sleep_in_poll(void *arg)
{
    (void)arg;
    struct pollfd p = {shared_pipe[0], POLLIN, 0};
    poll(&p, 1, 10000);
    return NULL;
}

static void *sleep_in_nanosleep(void *arg)
{
    (void)arg;
    struct timespec t = {0, 60 * MS};
    nanosleep(&t, NULL);
    return NULL;
}

static void *sleep_in_futex(void *arg)
{
    static uint32_t word;
    (void)arg;
    struct futex_timespec t = {0, 70 * MS};
    futex(&word, FUTEX_WAIT_PRIVATE, 0, &t, 0);
    return NULL;
}

/* A fault ends the whole process at once, sleeping threads and all. */
static void killed_while_threads_sleep(void)
{
    pipe(shared_pipe);
    pid_t child = fork();
    if (child == 0) {
        void *(*sleepers[])(void *) = {sleep_in_read, sleep_in_poll, sleep_in_nanosleep, sleep_in_futex};
        for (unsigned i = 0; i < sizeof sleepers / sizeof sleepers[0]; i++) {
            pthread_t t;
            pthread_create(&t, NULL, sleepers[i], NULL);
        }
        sleep_ms(20);
        *(volatile int *)0 = 0;
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("process with sleeping threads killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    write(shared_pipe[1], "z", 1);
    struct pollfd p = {shared_pipe[0], POLLIN, 0};
    show("the pipe still polls", poll(&p, 1, -1));
    sleep_ms(100); /* past the dead threads' deadlines */
    printf("slept past the dead sleepers' deadlines\n");

    /* A process that ends with its alarm set: the alarm goes with it. */
    pid_t alarmed = fork();
    if (alarmed == 0) {
        struct itimerval soon = {{0, 10000}, {0, 30000}};
        setitimer(ITIMER_REAL, &soon, NULL);
        _exit(3);
    }
    waitpid(alarmed, &status, 0);
    sleep_ms(60);
    printf("a reaped process's alarm did not fire: status %d\n", WEXITSTATUS(status));
    close(shared_pipe[0]), close(shared_pipe[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    ping_pong("blocking", BLOCKING);
    ping_pong("poll", POLLING);
    ping_pong("select", SELECTING);
    readiness_from_another_process();
    timeouts_expire();
    wake_order();
    interrupted_sleep();
    futex_timeouts();
    cpu_clocks();
    killed_while_threads_sleep();
    return 0;
}
