/*
 * The 32-bit vDSO's clocks: clock_gettime and clock_getres (32-bit and
 * 64-bit time), gettimeofday, time and getcpu without entering the kernel,
 * for i386 programs. The
 * arithmetic is vclock.h's, shared with the 64-bit vDSO; the fallback is
 * int $0x80 (the vDSO's own __kernel_vsyscall is in vdso32.S).
 */
#include "vclock.h"

struct timespec64 {
    int64_t tv_sec, tv_nsec;
};
struct timespec32 {
    int32_t tv_sec, tv_nsec;
};
struct timeval32 {
    int32_t tv_sec, tv_usec;
};

#define NR_time 13
#define NR_gettimeofday 78
#define NR_clock_gettime 265
#define NR_clock_getres 266
#define NR_getcpu 318
#define NR_clock_getres_time64 406
#define NR_clock_gettime64 403

static long int80_3(long nr, long a, long b, long c)
{
    long ret;
    /* ebx may be the PIC register: swapped in and out by hand. */
    __asm__ volatile("xchgl %%ebx, %k2\n\tint $0x80\n\txchgl %%ebx, %k2"
                     : "=a"(ret)
                     : "a"(nr), "r"(a), "c"(b), "d"(c)
                     : "memory");
    return ret;
}

static long int80_2(long nr, long a, long b) { return int80_3(nr, a, b, 0); }

int vdso_clock_gettime64_syscall(int clock, struct timespec64 *ts)
{
    return (int)int80_2(NR_clock_gettime64, clock, (long)ts);
}
int vdso_clock_gettime_syscall(int clock, struct timespec32 *ts)
{
    return (int)int80_2(NR_clock_gettime, clock, (long)ts);
}
int vdso_gettimeofday_syscall(struct timeval32 *tv, void *tz)
{
    return (int)int80_2(NR_gettimeofday, (long)tv, (long)tz);
}
long vdso_time_syscall(int32_t *t) { return int80_2(NR_time, (long)t, 0); }

int __vdso_clock_gettime64(int clock, struct timespec64 *ts)
{
    struct vclock_time t;
    if (__builtin_expect(clock == CLOCK_MONOTONIC, 1))
        t = vclock_now(0);
    else if (vclock_read(clock, &t))
        return vdso_clock_gettime64_syscall(clock, ts);
    ts->tv_sec = (int64_t)t.sec;
    ts->tv_nsec = t.nsec;
    return 0;
}

int __vdso_clock_gettime(int clock, struct timespec32 *ts)
{
    struct vclock_time t;
    if (vclock_read(clock, &t))
        return vdso_clock_gettime_syscall(clock, ts);
    ts->tv_sec = (int32_t)t.sec;
    ts->tv_nsec = (int32_t)t.nsec;
    return 0;
}

int __vdso_gettimeofday(struct timeval32 *tv, void *tz)
{
    if (tz)
        return vdso_gettimeofday_syscall(tv, tz);
    if (tv) {
        struct vclock_time t = vclock_now(1);
        tv->tv_sec = (int32_t)t.sec;
        tv->tv_usec = (int32_t)(t.nsec / 1000);
    }
    return 0;
}

long __vdso_time(int32_t *t)
{
    int32_t seconds = (int32_t)vvar_page.real_sec;
    if (t)
        *t = seconds;
    return seconds;
}

int vdso_clock_getres_syscall(int clock, struct timespec32 *res)
{
    return (int)int80_2(NR_clock_getres, clock, (long)res);
}
int vdso_clock_getres_time64_syscall(int clock, struct timespec64 *res)
{
    return (int)int80_2(NR_clock_getres_time64, clock, (long)res);
}

int __vdso_clock_getres(int clock, struct timespec32 *res)
{
    uint32_t ns;
    if (vclock_resolution(clock, &ns))
        return vdso_clock_getres_syscall(clock, res);
    if (res) {
        res->tv_sec = 0;
        res->tv_nsec = (int32_t)ns;
    }
    return 0;
}

int __vdso_clock_getres_time64(int clock, struct timespec64 *res)
{
    uint32_t ns;
    if (vclock_resolution(clock, &ns))
        return vdso_clock_getres_time64_syscall(clock, res);
    if (res) {
        res->tv_sec = 0;
        res->tv_nsec = ns;
    }
    return 0;
}

/* One CPU, one node; still the real call when asked for the unused cache. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
    if (cache)
        return int80_3(NR_getcpu, (long)cpu, (long)node, (long)cache);
    if (cpu)
        *cpu = 0;
    if (node)
        *node = 0;
    return 0;
}
