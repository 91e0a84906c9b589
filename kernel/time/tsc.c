/*
 * The clock: the time stamp counter, calibrated at boot against the APIC timer
 * (which counts nanoseconds under QEMU). The kernel and the vDSO compute time
 * with the same formula from the same data page, so they always agree.
 */
#include "apic.h"
#include "kernel.h"
#include "lib.h"
#include "vdso.h"
#include "x86.h"

#define CALIBRATION_NS 250000 /* 250 us of APIC timer: a few ppm of error */

struct vdso_data *vdso_data;
static bool tsc_ready;

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
    kprintf(KERN_INFO "clock: TSC at %lu kHz\n", ticks * 1000000 / elapsed_ns);
    return true;
}

u64 monotonic_ns(void)
{
    if (!tsc_ready)
        return apic_monotonic_ns();
    return vdso_monotonic_ns(vdso_data);
}
