/*
 * The page of data the kernel shares read-only with every process (the "vvar"
 * page, just below the 64-bit vDSO), and the clock arithmetic both sides use,
 * so that the vDSO's time and the system call's are the same function of the
 * time stamp counter. Included by the kernel and by the vDSO.
 */
#ifndef SYSGATE_VDSO_DATA_H
#define SYSGATE_VDSO_DATA_H

#include <stdint.h>

/* ns = (tsc - tsc_base) * mult >> VDSO_CLOCK_SHIFT; a constant shift keeps
 * the arithmetic to one multiplication and one double shift. */
#define VDSO_CLOCK_SHIFT 32

struct vdso_data {
    uint64_t tsc_base;      /* TSC at boot */
    uint64_t mult;

    int64_t realtime_offset_ns; /* CLOCK_REALTIME = CLOCK_MONOTONIC + this */
};

static inline uint64_t vdso_read_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t vdso_monotonic_ns(const volatile struct vdso_data *d)
{
    uint64_t delta = vdso_read_tsc() - d->tsc_base;
    return (uint64_t)(((unsigned __int128)delta * d->mult) >> VDSO_CLOCK_SHIFT);
}

#endif
