/*
 * The clock: the time stamp counter, calibrated at boot against the APIC timer
 * (which counts nanoseconds under QEMU). The kernel reads it with the formula
 * of vdso_data.h; at each time slice and when the CPU leaves idle it
 * refreshes the split-up time the 32-bit vDSO adds to, so the two always
 * agree. That vDSO multiplies the TSC ticks since the refresh by mult with
 * four 32x32 products (exact to 2^64 ns), and carries whole seconds one at a
 * time: a refresh at least every slice keeps that to one step while a task
 * runs, and a task runs again only after the idle exit's refresh.
 */
#include "apic.h"
#include "kernel.h"
#include "lib.h"
#include "time.h"
#include "vdso.h"
#include "x86.h"

#define CALIBRATION_NS 250000 /* 250 us of APIC timer: a few ppm of error */

struct vdso_data *vdso_data;
static bool tsc_ready;
static u64 realtime_offset_ns; /* CLOCK_REALTIME = CLOCK_MONOTONIC + this */

bool tsc_init(struct vdso_data *data)
{
    vdso_data = data;
    u64 flags = irq_save();
    /* Count TSC ticks while the APIC timer counts CALIBRATION_NS down,
     * staying within one timer period. */
    while (apic_timer_count() < CALIBRATION_NS + 1000)
        cpu_relax();
    u32 start_count = apic_timer_count();
    u64 start_tsc = rdtsc();
    u32 now;
    do {
        now = apic_timer_count();
    } while (start_count - now < CALIBRATION_NS && now <= start_count);
    u64 end_tsc = rdtsc();
    u64 elapsed_ns = start_count - now;
    irq_restore(flags);
    u64 ticks = end_tsc - start_tsc;
    if (!ticks || now > start_count) {
        kprintf(KERN_WARN "clock: TSC calibration failed; the vDSO will ask the kernel\n");
        return false;
    }
    u64 mono_now = apic_monotonic_ns();
    /* elapsed_ns < 2^21 and mono_now is a few milliseconds: no overflow. */
    data->mult = (elapsed_ns << VDSO_CLOCK_SHIFT) / ticks;
    /* Continue from the APIC-based clock without a jump. */
    data->tsc_base = rdtsc() - mono_now * ticks / elapsed_ns;
    tsc_ready = true;
    clock_tick();
    apic_timer_one_shot();
    kprintf(KERN_INFO "clock: TSC at %lu kHz\n", ticks * 1000000 / elapsed_ns);
    return true;
}

u64 monotonic_ns(void)
{
    if (!tsc_ready)
        return apic_monotonic_ns();
    return vdso_monotonic_ns(vdso_data);
}

u64 realtime_ns(void) { return monotonic_ns() + realtime_offset_ns; }
s64 realtime_seconds(void) { return (s64)(realtime_ns() / NSEC_PER_SEC); }

struct timespec_k realtime_timespec(void)
{
    u64 ns = realtime_ns();
    return (struct timespec_k){(s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC)};
}

void clock_set_realtime(u64 now_ns)
{
    realtime_offset_ns = now_ns - monotonic_ns();
    if (vdso_data)
        vdso_data->realtime_offset_ns = (s64)realtime_offset_ns;
    clock_tick();
    timerfd_clock_was_set();
    posix_timers_clock_was_set();
}

void clock_tick(void)
{
    if (!tsc_ready)
        return;
    struct vdso_data *d = vdso_data;
    u64 flags = irq_save();
    d->seq++; /* odd: readers retry */
    __asm__ volatile("" ::: "memory");
    u64 tsc = rdtsc();
    u64 mono = vdso_mul_shr32(tsc - d->tsc_base, d->mult);
    u64 real = mono + realtime_offset_ns;
    d->cycle_last = tsc;
    d->mono_sec = mono / NSEC_PER_SEC;
    d->mono_nsec = (u32)(mono % NSEC_PER_SEC);
    d->real_sec = real / NSEC_PER_SEC;
    d->real_nsec = (u32)(real % NSEC_PER_SEC);
    __asm__ volatile("" ::: "memory");
    d->seq++;
    irq_restore(flags);
}
