/*
 * POSIX timers, run on the host and on sysgate alike; every line printed must
 * match. The calls go through syscall() so that timer ids are the kernel's
 * on every libc; the C library's own timer_create serves SIGEV_THREAD.
 * Usage: posixtimer [after-exec]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Hidden from the compiler, which would refuse the calls that pass it. */
static void *volatile bad_pointer = (void *)1;
#define BAD_POINTER bad_pointer

#define SIGEV_THREAD_ID_VALUE 4
#define MS 1000000LL

/* The kernel's struct sigevent: glibc and musl name the thread id differently. */
struct ksigevent {
    union sigval value;
    int signo, notify;
    union {
        int tid;
        char pad[64 - sizeof(union sigval) - 2 * sizeof(int)];
    };
};

static const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EAGAIN: return "EAGAIN";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOSYS: return "ENOSYS";
    case EINTR: return "EINTR";
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

static long create(clockid_t clock, struct ksigevent *ev, int *id) { return syscall(SYS_timer_create, clock, ev, id); }

static long settime(int id, int flags, long long value_ns, long long interval_ns, struct itimerspec *old)
{
    struct itimerspec its = {{interval_ns / 1000000000, interval_ns % 1000000000},
                             {value_ns / 1000000000, value_ns % 1000000000}};
    return syscall(SYS_timer_settime, id, flags, &its, old);
}

static long long ts_ns(struct timespec ts) { return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec; }

static void sleep_ns(long long ns)
{
    struct timespec ts = {ns / 1000000000, ns % 1000000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static void block(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Waits for sig; prints what its siginfo says of the timer. */
static siginfo_t wait_timer_signal(const char *what, int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int got = sigwaitinfo(&set, &info);
    printf("%s: signal %d code %s timerid %d value %d\n", what, got, info.si_code == SI_TIMER ? "SI_TIMER" : "other",
           info.si_timerid, info.si_value.sival_int);
    return info;
}

static int nothing_pending(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    struct timespec zero = {0, 0};
    return sigtimedwait(&set, NULL, &zero) < 0 && errno == EAGAIN;
}

static void errors(void)
{
    int id;
    struct ksigevent ev = {.notify = SIGEV_SIGNAL, .signo = SIGUSR1};
    show("create bad clock", create(100, &ev, &id));
    show("create CLOCK_MONOTONIC_RAW", create(CLOCK_MONOTONIC_RAW, &ev, &id));
    show("create CLOCK_REALTIME_COARSE", create(CLOCK_REALTIME_COARSE, &ev, &id));
    show("create bad sevp", create(CLOCK_MONOTONIC, BAD_POINTER, &id));
    ev.notify = 99;
    show("create bad notify", create(CLOCK_MONOTONIC, &ev, &id));
    ev.notify = SIGEV_SIGNAL;
    ev.signo = 0;
    show("create signal 0", create(CLOCK_MONOTONIC, &ev, &id));
    ev.signo = 65;
    show("create signal 65", create(CLOCK_MONOTONIC, &ev, &id));
    ev.signo = SIGUSR1;
    ev.notify = SIGEV_SIGNAL | SIGEV_THREAD_ID_VALUE;
    ev.tid = 0x3fffffff;
    show("create no such thread", create(CLOCK_MONOTONIC, &ev, &id));
    pid_t other = fork();
    if (other == 0) {
        pause();
        _exit(0);
    }
    ev.tid = other;
    show("create thread of another process", create(CLOCK_MONOTONIC, &ev, &id));
    kill(other, SIGKILL);
    waitpid(other, NULL, 0);
    ev.notify = SIGEV_NONE;
    ev.signo = 0;
    show("create SIGEV_NONE signal 0", create(CLOCK_MONOTONIC, &ev, &id));
    show("delete it", syscall(SYS_timer_delete, id));
    struct itimerspec its = {{0, 0}, {1, 0}};
    show("settime no timer", syscall(SYS_timer_settime, 12345, 0, &its, NULL));
    show("gettime no timer", syscall(SYS_timer_gettime, 12345, &its));
    show("getoverrun no timer", syscall(SYS_timer_getoverrun, 12345));
    show("delete no timer", syscall(SYS_timer_delete, 12345));
    show("delete negative", syscall(SYS_timer_delete, -1));
    ev.notify = SIGEV_SIGNAL;
    ev.signo = SIGUSR1;
    show("create", create(CLOCK_MONOTONIC, &ev, &id));
    show("settime NULL", syscall(SYS_timer_settime, id, 0, NULL, NULL));
    show("settime bad pointer", syscall(SYS_timer_settime, id, 0, BAD_POINTER, NULL));
    its.it_value.tv_nsec = 1000000000;
    show("settime nsec 1e9", syscall(SYS_timer_settime, id, 0, &its, NULL));
    its.it_value.tv_nsec = 0;
    its.it_interval.tv_nsec = -1;
    show("settime interval nsec -1", syscall(SYS_timer_settime, id, 0, &its, NULL));
    its.it_interval.tv_nsec = 0;
    its.it_value.tv_sec = -1;
    show("settime sec -1", syscall(SYS_timer_settime, id, 0, &its, NULL));
    its.it_value.tv_sec = 100;
    show("settime bad old pointer", syscall(SYS_timer_settime, id, 0, &its, BAD_POINTER));
    show("gettime bad pointer", syscall(SYS_timer_gettime, id, BAD_POINTER));
    struct itimerspec cur;
    show("gettime", syscall(SYS_timer_gettime, id, &cur));
    printf("armed by the call that failed to write the old value: %d\n", cur.it_value.tv_sec > 90);
    show("delete", syscall(SYS_timer_delete, id));
    show("delete again", syscall(SYS_timer_delete, id));
}

static void ids_and_default_event(void)
{
    int first, second;
    show("create NULL sevp", create(CLOCK_REALTIME, NULL, &first));
    show("create NULL sevp", create(CLOCK_MONOTONIC, NULL, &second));
    printf("ids %d %d\n", first, second);
    block(SIGALRM);
    show("settime 5 ms", settime(second, 0, 5 * MS, 0, NULL));
    siginfo_t info = wait_timer_signal("default event", SIGALRM);
    printf("si_timerid is the id: %d, si_overrun %d\n", info.si_timerid == second, info.si_overrun);
    struct itimerspec cur;
    show("gettime after expiry", syscall(SYS_timer_gettime, second, &cur));
    printf("value %lld interval %lld\n", ts_ns(cur.it_value), ts_ns(cur.it_interval));
    show("getoverrun", syscall(SYS_timer_getoverrun, second));
    show("delete", syscall(SYS_timer_delete, first));
    show("delete", syscall(SYS_timer_delete, second));
}

static void settings(void)
{
    int id;
    struct ksigevent ev = {.notify = SIGEV_SIGNAL, .signo = SIGUSR2, .value.sival_int = 1234};
    block(SIGUSR2);
    show("create", create(CLOCK_MONOTONIC, &ev, &id));
    struct itimerspec old;
    show("settime 10 s every 3 s", settime(id, 0, 10000 * MS, 3000 * MS, &old));
    printf("old: value %lld interval %lld\n", ts_ns(old.it_value), ts_ns(old.it_interval));
    struct itimerspec cur;
    show("gettime", syscall(SYS_timer_gettime, id, &cur));
    printf("value in (9 s, 10 s]: %d, interval %lld\n", ts_ns(cur.it_value) > 9000 * MS && ts_ns(cur.it_value) <= 10000 * MS,
           ts_ns(cur.it_interval));
    show("disarm", settime(id, 0, 0, 5000 * MS, &old));
    printf("old: value in (9 s, 10 s]: %d, interval %lld\n", ts_ns(old.it_value) > 9000 * MS && ts_ns(old.it_value) <= 10000 * MS,
           ts_ns(old.it_interval));
    show("gettime", syscall(SYS_timer_gettime, id, &cur));
    printf("disarmed: value %lld interval %lld\n", ts_ns(cur.it_value), ts_ns(cur.it_interval));

    /* Absolute: a time just ahead, then one already past. */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    show("settime absolute", settime(id, TIMER_ABSTIME, ts_ns(now) + 10 * MS, 0, NULL));
    wait_timer_signal("absolute", SIGUSR2);
    show("settime absolute in the past", settime(id, TIMER_ABSTIME, ts_ns(now), 0, NULL));
    wait_timer_signal("past", SIGUSR2);

    /* A signal pending when the timer is set again is taken back. */
    show("settime 1 ms", settime(id, 0, 1 * MS, 0, NULL));
    sleep_ns(20 * MS);
    show("settime again 1 hour", settime(id, 0, 3600000 * MS, 0, NULL));
    printf("the earlier signal is gone: %d\n", nothing_pending(SIGUSR2));
    show("settime 1 ms", settime(id, 0, 1 * MS, 0, NULL));
    sleep_ns(20 * MS);
    show("delete with its signal pending", syscall(SYS_timer_delete, id));
    printf("the signal is gone: %d\n", nothing_pending(SIGUSR2));
}

static void overruns(void)
{
    int id;
    struct ksigevent ev = {.notify = SIGEV_SIGNAL, .signo = SIGRTMIN + 2, .value.sival_int = 99};
    block(SIGRTMIN + 2);
    show("create", create(CLOCK_MONOTONIC, &ev, &id));
    show("getoverrun before", syscall(SYS_timer_getoverrun, id));
    show("settime every 1 ms", settime(id, 0, 1 * MS, 1 * MS, NULL));
    sleep_ns(60 * MS);
    siginfo_t info = wait_timer_signal("periodic", SIGRTMIN + 2);
    long overrun = syscall(SYS_timer_getoverrun, id);
    printf("one signal queued, the rest overruns: %d; getoverrun is si_overrun: %d\n", info.si_overrun >= 10,
           overrun == info.si_overrun);
    wait_timer_signal("next period", SIGRTMIN + 2);
    show("delete", syscall(SYS_timer_delete, id));
}

static void none_event(void)
{
    int id;
    struct ksigevent ev = {.notify = SIGEV_NONE};
    show("create SIGEV_NONE", create(CLOCK_MONOTONIC, &ev, &id));
    show("settime 1 ms", settime(id, 0, 1 * MS, 0, NULL));
    sleep_ns(10 * MS);
    struct itimerspec cur;
    show("gettime", syscall(SYS_timer_gettime, id, &cur));
    printf("expired one-shot: value %lld\n", ts_ns(cur.it_value));
    show("settime 2 ms every 5 ms", settime(id, 0, 2 * MS, 5 * MS, NULL));
    sleep_ns(20 * MS);
    show("gettime", syscall(SYS_timer_gettime, id, &cur));
    printf("periodic: value in (0, 5 ms]: %d\n", ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 5 * MS);
    show("delete", syscall(SYS_timer_delete, id));
}

static volatile sig_atomic_t handled, handled_code, handled_value;

static void on_timer(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    handled_code = info->si_code;
    handled_value = info->si_value.sival_int;
    handled++;
}

static void clocks(void)
{
    struct sigaction sa = {.sa_sigaction = on_timer, .sa_flags = SA_SIGINFO};
    sigaction(SIGRTMIN + 3, &sa, NULL);
    static const struct {
        clockid_t clock;
        const char *name;
    } list[] = {{CLOCK_REALTIME, "CLOCK_REALTIME"},
                {CLOCK_MONOTONIC, "CLOCK_MONOTONIC"},
                {CLOCK_BOOTTIME, "CLOCK_BOOTTIME"},
                {CLOCK_TAI, "CLOCK_TAI"},
                {CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"},
                {CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"}};
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
        int id;
        struct ksigevent ev = {.notify = SIGEV_SIGNAL, .signo = SIGRTMIN + 3, .value.sival_int = (int)i};
        if (create(list[i].clock, &ev, &id) < 0) {
            printf("%s: create failed %s\n", list[i].name, errno_name(errno));
            continue;
        }
        handled = 0;
        settime(id, 0, 5 * MS, 0, NULL);
        /* Spinning burns CPU time for the CPU clocks; the others come anyway. */
        for (long long spins = 0; !handled && spins < 4000000000LL; spins++)
            __asm__ volatile("" ::: "memory");
        printf("%s: handled %d code %s value %d\n", list[i].name, handled,
               handled_code == SI_TIMER ? "SI_TIMER" : "other", handled_value);
        syscall(SYS_timer_delete, id);
    }
}

static int target_tid;
static sem_t thread_ready;

static void *wait_in_thread(void *arg)
{
    (void)arg;
    target_tid = (int)syscall(SYS_gettid);
    sem_post(&thread_ready);
    wait_timer_signal("in the target thread", SIGRTMIN + 4);
    return NULL;
}

static void thread_id_event(void)
{
    block(SIGRTMIN + 4);
    sem_init(&thread_ready, 0, 0);
    pthread_t thread;
    pthread_create(&thread, NULL, wait_in_thread, NULL);
    sem_wait(&thread_ready);
    int id;
    struct ksigevent ev = {.notify = SIGEV_SIGNAL | SIGEV_THREAD_ID_VALUE, .signo = SIGRTMIN + 4,
                           .value.sival_int = 77, .tid = target_tid};
    show("create SIGEV_THREAD_ID", create(CLOCK_MONOTONIC, &ev, &id));
    show("settime 5 ms", settime(id, 0, 5 * MS, 0, NULL));
    pthread_join(thread, NULL);
    printf("not pending at the main thread: %d\n", nothing_pending(SIGRTMIN + 4));
    show("delete", syscall(SYS_timer_delete, id));
}

static sem_t notified;
static volatile int notified_value;

static void notify(union sigval value)
{
    notified_value = value.sival_int;
    sem_post(&notified);
}

/* The C library's SIGEV_THREAD: a helper thread takes the signal (SIGEV_THREAD_ID). */
static void libc_thread_event(void)
{
    sem_init(&notified, 0, 0);
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = notify;
    ev.sigev_value.sival_int = 42;
    timer_t timer;
    show("libc timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &ev, &timer));
    struct itimerspec its = {{0, 2 * MS}, {0, 5 * MS}};
    show("libc timer_settime", timer_settime(timer, 0, &its, NULL));
    sem_wait(&notified);
    sem_wait(&notified);
    printf("notified twice with value %d\n", notified_value);
    show("libc timer_delete", timer_delete(timer));
}

static void fork_and_exec(const char *self)
{
    int id;
    show("create", create(CLOCK_MONOTONIC, NULL, &id));
    show("settime 1 hour", settime(id, 0, 3600000 * MS, 0, NULL));
    pid_t child = fork();
    if (child == 0) {
        struct itimerspec cur;
        show("child: gettime of the parent's timer", syscall(SYS_timer_gettime, id, &cur));
        int child_id;
        show("child: create", create(CLOCK_MONOTONIC, NULL, &child_id));
        printf("child: first id %d\n", child_id);
        fflush(stdout);
        execl("/proc/self/exe", self, "after-exec", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
    show("delete", syscall(SYS_timer_delete, id));
}

static void after_exec(void)
{
    struct itimerspec cur;
    show("after exec: gettime of timer 0", syscall(SYS_timer_gettime, 0, &cur));
    exit(3);
}

/* /proc/self/timers, with this process's pid and the thread's tid named. */
static void proc_timers(void)
{
    int first, second;
    create(CLOCK_MONOTONIC, NULL, &first);
    struct ksigevent ev = {.notify = SIGEV_SIGNAL | SIGEV_THREAD_ID_VALUE, .signo = SIGRTMIN + 5,
                           .value.sival_int = 0x1234, .tid = (int)syscall(SYS_gettid)};
    create(CLOCK_BOOTTIME, &ev, &second);
    FILE *f = fopen("/proc/self/timers", "r");
    char line[128];
    /* musl's timer_delete of a SIGEV_THREAD timer leaves the kernel's timer to its helper
     * thread, which may not have run yet: show only this function's two timers. */
    bool ours = false;
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "ID:", 3) == 0) {
            int id = atoi(line + 3);
            ours = id == first || id == second;
        }
        if (!ours)
            continue;
        char *dot = strrchr(line, '.');
        if (strncmp(line, "notify:", 7) == 0 && dot && atoi(dot + 1) == getpid())
            strcpy(dot + 1, "self\n");
        printf("timers: %s", line);
    }
    if (f)
        fclose(f);
    syscall(SYS_timer_delete, first);
    syscall(SYS_timer_delete, second);
}

#ifdef __i386__
struct itimerspec64 {
    int64_t interval_sec, interval_nsec, value_sec, value_nsec;
};

/* i386's timer_settime64 and timer_gettime64 (glibc names them by number). */
static void time64_calls(void)
{
    int id;
    show("create", create(CLOCK_MONOTONIC, NULL, &id));
    struct itimerspec64 t = {0, 500000000, 100, 0}, old;
    show("settime64", syscall(409, id, 0, &t, NULL));
    show("gettime64", syscall(408, id, &old));
    printf("time64: interval %lld.%09lld, value in (99, 100]: %d\n", (long long)old.interval_sec,
           (long long)old.interval_nsec, old.value_sec == 99 || (old.value_sec == 100 && old.value_nsec == 0));
    t.value_nsec = 1000000000;
    show("settime64 bad nsec", syscall(409, id, 0, &t, NULL));
    t = (struct itimerspec64){0, 0, 0, 0};
    show("settime64 disarm", syscall(409, id, 0, &t, &old));
    printf("time64 old: interval %lld.%09lld\n", (long long)old.interval_sec, (long long)old.interval_nsec);
    show("delete", syscall(SYS_timer_delete, id));
}
#endif

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0)
        after_exec();
    ids_and_default_event();
    errors();
    settings();
    overruns();
    none_event();
    clocks();
    thread_id_event();
    libc_thread_event();
    proc_timers();
#ifdef __i386__
    time64_calls();
#endif
    fork_and_exec(argv[0]);
    return 0;
}
