/*
 * restart.c - calls interrupted by a signal, as Linux finishes them: a stop
 * and continue (no handler runs) leaves sleeps, polls, sigsuspend and timed
 * futex waits to carry on (restart_syscall for the relative ones), while a
 * handler, even with SA_RESTART, ends them with EINTR; a read interrupted by
 * an SA_RESTART handler goes on; restart_syscall called for nothing is EINTR.
 * Each case runs in a child that the parent stops and continues (or signals)
 * while it waits. Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT 0
#define FUTEX_WAIT_BITSET 9
#define SLEEP_MS 300

static int pipe_fds[2];
static uint32_t futex_word;

static void on_usr1(int sig) { (void)sig; }

static const char *outcome(long r, int err)
{
    static char buf[64];
    if (r >= 0)
        snprintf(buf, sizeof buf, "%ld", r);
    else
        snprintf(buf, sizeof buf, "-1 %s", err == EINTR ? "EINTR" : err == ETIMEDOUT ? "ETIMEDOUT" : strerror(err));
    return buf;
}

static struct timespec after_ms(clockid_t clock, long ms)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_nsec += ms % 1000 * 1000000;
    t.tv_sec += ms / 1000 + t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

/* The calls, each waiting about SLEEP_MS or until the parent acts. */
static long call(int which, int *err)
{
    struct timespec ts = {0, SLEEP_MS * 1000000}, rem = {0, 0}, abs;
    struct timeval tv = {0, SLEEP_MS * 1000};
    struct pollfd pfd = {pipe_fds[0], POLLIN, 0};
    char c;
    long r;
    sigset_t none;
    sigemptyset(&none);
    errno = 0;
    switch (which) {
    case 0: r = nanosleep(&ts, &rem); break;
    case 1: r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &rem); break;
    case 2:
        abs = after_ms(CLOCK_MONOTONIC, SLEEP_MS);
        r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
        break;
    case 3: r = poll(&pfd, 1, SLEEP_MS); break;
    case 4: r = poll(&pfd, 1, -1); if (r > 0) r = read(pipe_fds[0], &c, 1) == 1 ? 1 : -1; break;
    case 5: r = select(0, NULL, NULL, NULL, &tv); break;
    case 6: r = ppoll(&pfd, 1, &ts, NULL); break;
    case 7: r = pselect(0, NULL, NULL, NULL, &ts, NULL); break;
    case 8: r = sigsuspend(&none); break;
    case 9: r = pause(); break;
    case 10: r = syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, &ts, NULL, 0); break;
    case 11: abs = after_ms(CLOCK_MONOTONIC, SLEEP_MS); r = syscall(SYS_futex, &futex_word, FUTEX_WAIT_BITSET, 0, &abs, NULL, ~0u); break;
    case 12: r = read(pipe_fds[0], &c, 1); break;
    default: r = -1; errno = EINVAL;
    }
    *err = errno;
    return r;
}

static const char *const names[] = {
    "nanosleep", "clock_nanosleep relative", "clock_nanosleep absolute", "poll 300 ms", "poll for ever",
    "select", "ppoll", "pselect", "sigsuspend", "pause", "futex wait relative", "futex wait absolute", "read",
};
#define CALLS (int)(sizeof(names) / sizeof(names[0]))

/* Whether the call only ends by the parent's hand (a byte or a signal with a handler). */
static bool ends_by_parent(int which) { return which == 4 || which == 8 || which == 9 || which == 12; }

/* mode 0: stopped and continued, then (if it waits for the parent) a byte or
 * SIGUSR1 ends it; mode 1: SIGUSR1 with an SA_RESTART handler while it
 * waits, then a byte where it still waits. */
static void run(int which, int mode)
{
    pid_t child = fork();
    if (child == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        int err;
        long r = call(which, &err);
        printf("%s, %s: %s\n", names[which], mode ? "SA_RESTART handler" : "stopped and continued", outcome(r, err));
        fflush(stdout);
        _exit(0);
    }
    usleep(60000);
    if (mode == 0) {
        kill(child, SIGSTOP);
        usleep(60000);
        kill(child, SIGCONT);
        usleep(60000);
        if (ends_by_parent(which)) {
            if (which == 4 || which == 12)
                write(pipe_fds[1], "x", 1);
            else
                kill(child, SIGUSR1);
        }
    } else {
        kill(child, SIGUSR1);
        usleep(60000);
        if (which == 4 || which == 12)
            write(pipe_fds[1], "x", 1);
    }
    int status;
    waitpid(child, &status, 0);
    /* Anything a child left unread goes, so the next one starts empty. */
    struct pollfd pfd = {pipe_fds[0], POLLIN, 0};
    char c;
    while (poll(&pfd, 1, 0) == 1)
        read(pipe_fds[0], &c, 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(pipe_fds))
        return 1;
    for (int which = 0; which < CALLS; which++)
        run(which, 0);
    for (int which = 0; which < CALLS; which++)
        if (which != 8 && which != 9) /* a handler always ends those */
            run(which, 1);
    errno = 0;
    long r = syscall(SYS_restart_syscall);
    printf("restart_syscall with nothing to restart: %s\n", outcome(r, errno));
    return 0;
}
