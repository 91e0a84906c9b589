/*
 * The 64-bit vDSO: clock_gettime, clock_getres, gettimeofday, time and getcpu without
 * entering the kernel. Built as a shared object (vdso64.lds), embedded in the
 * kernel, mapped into every 64-bit process and announced by AT_SYSINFO_EHDR.
 * Clocks it cannot serve fall back to the real system call.
 */
#include "vclock.h"

struct timespec {
    long tv_sec, tv_nsec;
};
struct timeval {
    long tv_sec, tv_usec;
};

#define NR_gettimeofday 96
#define NR_time 201
#define NR_clock_gettime 228
#define NR_clock_getres 229
#define NR_getcpu 309

static long syscall2(long nr, long a, long b)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return ret;
}

static long syscall3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

int vdso_clock_gettime_syscall(int clock, struct timespec *ts)
{
    return (int)syscall2(NR_clock_gettime, clock, (long)ts);
}

int vdso_gettimeofday_syscall(struct timeval *tv, void *tz)
{
    return (int)syscall2(NR_gettimeofday, (long)tv, (long)tz);
}

long vdso_time_syscall(long *t) { return syscall2(NR_time, (long)t, 0); }

int __vdso_clock_gettime(int clock, struct timespec *ts)
{
    struct vclock_time t;
    /* The clock programs ask for most, first. */
    if (__builtin_expect(clock == CLOCK_MONOTONIC, 1))
        t = vclock_now(0);
    else if (vclock_read(clock, &t))
        return vdso_clock_gettime_syscall(clock, ts);
    ts->tv_sec = (long)t.sec;
    ts->tv_nsec = t.nsec;
    return 0;
}

int vdso_clock_getres_syscall(int clock, struct timespec *res)
{
    return (int)syscall2(NR_clock_getres, clock, (long)res);
}

int __vdso_clock_getres(int clock, struct timespec *res)
{
    uint32_t ns;
    if (vclock_resolution(clock, &ns))
        return vdso_clock_getres_syscall(clock, res);
    if (res) {
        res->tv_sec = 0;
        res->tv_nsec = ns;
    }
    return 0;
}

int __vdso_gettimeofday(struct timeval *tv, void *tz)
{
    if (tz)
        return vdso_gettimeofday_syscall(tv, tz);
    if (tv) {
        struct vclock_time t = vclock_now(1);
        tv->tv_sec = (long)t.sec;
        tv->tv_usec = t.nsec / 1000;
    }
    return 0;
}

long __vdso_time(long *t)
{
    long seconds = (long)vclock_now(1).sec;
    if (t)
        *t = seconds;
    return seconds;
}

/* One CPU, one node; still the real call when asked for the unused cache. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
    if (cache)
        return syscall3(NR_getcpu, (long)cpu, (long)node, (long)cache);
    if (cpu)
        *cpu = 0;
    if (node)
        *node = 0;
    return 0;
}

int clock_gettime(int, struct timespec *) __attribute__((weak, alias("__vdso_clock_gettime")));
int clock_getres(int, struct timespec *) __attribute__((weak, alias("__vdso_clock_getres")));
int gettimeofday(struct timeval *, void *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
