/*
 * The page of data the kernel shares read-only with every process (the "vvar"
 * page, just below each vDSO), and the clock arithmetic the vDSOs use.
 *
 * The kernel's clock is ns = (tsc - tsc_base) * mult >> 32 since boot; the
 * 64-bit vDSO computes exactly that, and splits it into seconds with a
 * multiplication. i386 has no cheap 64-bit division, so at every timer tick
 * the kernel also stores the time already split, with the TSC value it was
 * taken at, and the 32-bit vDSO only adds the nanoseconds since the tick (the
 * same clock to within a nanosecond). A sequence count tells that reader a
 * tick updated the page while it was reading. Included by the kernel and by
 * the vDSOs.
 */
#ifndef SYSGATE_VDSO_DATA_H
#define SYSGATE_VDSO_DATA_H

#include <stdint.h>

#define VDSO_CLOCK_SHIFT 32
#define NSEC_PER_SEC 1000000000u

/* What clock_getres gives, the system call (time/clock.c) and the vDSOs
 * alike: 1 ns for the high-resolution clocks, a jiffy for the coarse ones
 * (Linux at HZ=250). */
#define HRES_CLOCK_RESOLUTION_NS 1u
#define COARSE_CLOCK_RESOLUTION_NS 4000000u

struct vdso_data {
    volatile uint32_t seq;  /* odd while the kernel writes */
    uint32_t unused;
    uint64_t tsc_base;      /* TSC at boot */
    uint64_t mult;          /* ns per TSC tick, << 32 */
    int64_t realtime_offset_ns; /* CLOCK_REALTIME = CLOCK_MONOTONIC + this */
    uint64_t cycle_last;    /* TSC at the last tick's update */
    uint64_t mono_sec;      /* CLOCK_MONOTONIC at cycle_last */
    uint64_t real_sec;      /* CLOCK_REALTIME at cycle_last */
    uint32_t mono_nsec, real_nsec;
};

static inline uint64_t vdso_read_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* (a * b) >> 32 without overflow. i386 has no 128-bit type: four 32x32
 * products do it (the result's top bits are beyond any uptime). */
static inline uint64_t vdso_mul_shr32(uint64_t a, uint64_t b)
{
#if defined(__x86_64__)
    return (uint64_t)(((unsigned __int128)a * b) >> VDSO_CLOCK_SHIFT);
#else
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    return ((ah * bh) << 32) + ah * bl + al * bh + ((al * bl) >> 32);
#endif
}

/* The kernel's clock: nanoseconds since boot. */
static inline uint64_t vdso_monotonic_ns(const volatile struct vdso_data *d)
{
    return vdso_mul_shr32(vdso_read_tsc() - d->tsc_base, d->mult);
}

#endif
