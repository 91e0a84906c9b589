/*
 * The clocks of both vDSOs (vdso64.c, vdso32.c) as seconds and nanoseconds,
 * computed as vdso_data.h explains: straight from the TSC on x86-64, from the
 * last tick's split-up time on i386. Each vDSO wraps them in its ABI's
 * structures and system-call fallback.
 */
#ifndef SYSGATE_VCLOCK_H
#define SYSGATE_VCLOCK_H

#include "vdso_data.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

/* The page before the vDSO's first byte (vdso64.lds, vdso32.lds). */
extern const volatile struct vdso_data vvar_page __attribute__((visibility("hidden")));

struct vclock_time {
    uint64_t sec;
    uint32_t nsec;
};

#if defined(__x86_64__)
static inline struct vclock_time vclock_now(int realtime)
{
    uint64_t ns = vdso_monotonic_ns(&vvar_page) + (realtime ? vvar_page.realtime_offset_ns : 0);
    return (struct vclock_time){ns / NSEC_PER_SEC, (uint32_t)(ns % NSEC_PER_SEC)};
}
#else
static inline struct vclock_time vclock_now(int realtime)
{
    const volatile struct vdso_data *d = &vvar_page;
    uint32_t seq, nsec;
    uint64_t sec, delta_ns;
    do {
        seq = d->seq;
        __asm__ volatile("" ::: "memory");
        delta_ns = vdso_mul_shr32(vdso_read_tsc() - d->cycle_last, d->mult);
        sec = realtime ? d->real_sec : d->mono_sec;
        nsec = realtime ? d->real_nsec : d->mono_nsec;
        __asm__ volatile("" ::: "memory");
    } while ((seq & 1) || seq != d->seq);
    /* A tick is 10 ms, so this adds at most one second but for long stalls. */
    uint64_t ns = nsec + delta_ns;
    while (ns >= NSEC_PER_SEC) {
        ns -= NSEC_PER_SEC;
        sec++;
    }
    return (struct vclock_time){sec, (uint32_t)ns};
}
#endif

/* 0 and the time, or -1 for a clock the vDSO does not serve. The kernel
 * patches the entry points into their system-call twins at boot when it has
 * no usable TSC clock (proc/vdso.c), so nothing here checks for that. */
static inline int vclock_read(int clock, struct vclock_time *t)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *t = vclock_now(1);
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *t = vclock_now(0);
        return 0;
    default:
        return -1;
    }
}

/* 0 and the resolution clock_getres gives, or -1 for a clock the vDSO does
 * not serve (the same clocks as vclock_read). */
static inline int vclock_resolution(int clock, uint32_t *ns)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_BOOTTIME:
        *ns = HRES_CLOCK_RESOLUTION_NS;
        return 0;
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
        *ns = COARSE_CLOCK_RESOLUTION_NS;
        return 0;
    default:
        return -1;
    }
}

#endif
