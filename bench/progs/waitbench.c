/*
 * waitbench.c - waiting and waking (SPEC section 11): a pipe ping-pong round
 * trip between two processes with blocking reads and with poll before each
 * read, a futex wake-to-run round trip between two threads, and the actual
 * length of a 1 ms nanosleep (the median of SLEEPS). Runs on sysgate and on
 * Linux alike.
 *
 * Prints "NAME TSC_PER_UNIT NS_PER_UNIT" lines like nullcall: under -icount
 * shift=0 the TSC counts guest instructions. The sleep's line is meaningful
 * in wall time only (with -icount the guest's clock follows instructions).
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "benchclock.h"
#include "poweroff.h"

#define ROUND_TRIPS 2000
#define SLEEPS 101

static void report(const char *name, uint64_t t0, uint64_t t1, uint64_t n0, uint64_t n1, double units)
{
    printf("%s %.3f %.3f\n", name, (double)(t1 - t0) / units, (double)(n1 - n0) / units);
}

static void wait_readable(int fd, int use_poll)
{
    if (use_poll) {
        struct pollfd p = {fd, POLLIN, 0};
        poll(&p, 1, -1);
    }
}

static int pipe_ping_pong(const char *name, int use_poll)
{
    int there[2], back[2];
    if (pipe(there) || pipe(back))
        return 1;
    char c = 0;
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            wait_readable(there[0], use_poll);
            if (read(there[0], &c, 1) != 1)
                _exit(1);
            write(back[1], &c, 1);
        }
        _exit(0);
    }
    /* One round first: the child is running and its pages are in. */
    write(there[1], &c, 1);
    read(back[0], &c, 1);
    uint64_t n0 = now_ns(), t0 = tsc();
    for (int i = 1; i < ROUND_TRIPS; i++) {
        write(there[1], &c, 1);
        wait_readable(back[0], use_poll);
        if (read(back[0], &c, 1) != 1)
            return 1;
    }
    uint64_t t1 = tsc(), n1 = now_ns();
    int status;
    waitpid(child, &status, 0);
    report(name, t0, t1, n0, n1, ROUND_TRIPS - 1);
    close(there[0]), close(there[1]), close(back[0]), close(back[1]);
    return status != 0;
}

/* Two words: the main thread's turn and the partner's. */
static uint32_t turn_main, turn_partner;

static void futex_wait_for(uint32_t *word)
{
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == 0)
        syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    __atomic_store_n(word, 0, __ATOMIC_RELAXED);
}

static void futex_hand_over(uint32_t *word)
{
    __atomic_store_n(word, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *partner(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUND_TRIPS; i++) {
        futex_wait_for(&turn_partner);
        futex_hand_over(&turn_main);
    }
    return NULL;
}

static int futex_ping_pong(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, partner, NULL))
        return 1;
    futex_hand_over(&turn_partner);
    futex_wait_for(&turn_main);
    uint64_t n0 = now_ns(), t0 = tsc();
    for (int i = 1; i < ROUND_TRIPS; i++) {
        futex_hand_over(&turn_partner);
        futex_wait_for(&turn_main);
    }
    uint64_t t1 = tsc(), n1 = now_ns();
    pthread_join(t, NULL);
    report("futex_wake_to_run", t0, t1, n0, n1, ROUND_TRIPS - 1);
    return 0;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void one_ms_sleep(void)
{
    static uint64_t ns[SLEEPS], ticks[SLEEPS];
    for (int i = 0; i < SLEEPS; i++) {
        struct timespec ms = {0, 1000000};
        uint64_t n0 = now_ns(), t0 = tsc();
        nanosleep(&ms, NULL);
        ticks[i] = tsc() - t0, ns[i] = now_ns() - n0;
    }
    qsort(ns, SLEEPS, sizeof ns[0], by_value);
    qsort(ticks, SLEEPS, sizeof ticks[0], by_value);
    printf("nanosleep_1ms_median %.3f %.3f\n", (double)ticks[SLEEPS / 2], (double)ns[SLEEPS / 2]);
}

int main(void)
{
    int failed = pipe_ping_pong("pipe_pingpong_read", 0);
    failed |= pipe_ping_pong("pipe_pingpong_poll", 1);
    failed |= futex_ping_pong();
    one_ms_sleep();
    bench_finish(failed);
}
