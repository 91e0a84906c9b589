/*
 * The 64-bit vDSO: clock_gettime, gettimeofday, time and getcpu without
 * entering the kernel. Built as a shared object (vdso64.lds), embedded in the
 * kernel, mapped into every 64-bit process and announced by AT_SYSINFO_EHDR.
 * Clocks it cannot serve fall back to the real system call.
 */
#include "vdso_data.h"

struct timespec {
    long tv_sec, tv_nsec;
};
struct timeval {
    long tv_sec, tv_usec;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

#define NR_gettimeofday 96
#define NR_time 201
#define NR_clock_gettime 228
#define NR_getcpu 309

/* The page before the vDSO's first byte (vdso64.lds). */
extern const volatile struct vdso_data vvar_page __attribute__((visibility("hidden")));

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

/* The kernel patches the entry points below into jumps to their *_syscall
 * twins at boot when it has no usable TSC clock (vdso.c), so the fast paths
 * never check for that. */
static int read_clock(int clock, uint64_t *ns)
{
    const volatile struct vdso_data *d = &vvar_page;
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *ns = vdso_monotonic_ns(d) + d->realtime_offset_ns;
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ns = vdso_monotonic_ns(d);
        return 0;
    default:
        return -1;
    }
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
    uint64_t ns;
    /* The clock programs ask for most, first. */
    if (__builtin_expect(clock == CLOCK_MONOTONIC, 1))
        ns = vdso_monotonic_ns(&vvar_page);
    else if (read_clock(clock, &ns))
        return vdso_clock_gettime_syscall(clock, ts);
    ts->tv_sec = (long)(ns / 1000000000);
    ts->tv_nsec = (long)(ns % 1000000000);
    return 0;
}

int __vdso_gettimeofday(struct timeval *tv, void *tz)
{
    uint64_t ns;
    if (tz || read_clock(CLOCK_REALTIME, &ns))
        return vdso_gettimeofday_syscall(tv, tz);
    if (tv) {
        tv->tv_sec = (long)(ns / 1000000000);
        tv->tv_usec = (long)(ns % 1000000000 / 1000);
    }
    return 0;
}

long __vdso_time(long *t)
{
    uint64_t ns;
    if (read_clock(CLOCK_REALTIME, &ns))
        return vdso_time_syscall(t);
    long seconds = (long)(ns / 1000000000);
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
int gettimeofday(struct timeval *, void *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
