/*
 * The local APIC timer. QEMU (TCG and KVM alike) counts it at 1 GHz with
 * divide-by-1, so a count is a number of nanoseconds. It ticks periodically
 * only until the TSC clock is calibrated against it (time/tsc.c); from then
 * on it is a one-shot timer programmed for the earliest pending timer of the
 * queue (time/timer.c), and silent while none is pending.
 */
#include "apic.h"
#include "cpu.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "time.h"
#include "timer.h"
#include "x86.h"

#define APIC_PHYS 0xfee00000
#define APIC_EOI 0x0b0
#define APIC_IRR 0x200
#define APIC_SVR 0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0
#define LVT_PERIODIC (1u << 17)
#define LVT_ONE_SHOT 0
#define BOOT_TICK_NS 10000000u /* the calibration period's length */
#define MAX_ONE_SHOT_NS 0xffffffffu /* the count register's width */

static volatile u32 *apic;
static volatile u64 boot_ticks;
static bool one_shot;

extern void (*irq_handlers[256])(struct regs *);

static u32 apic_read(u32 reg) { return apic[reg / 4]; }
static void apic_write(u32 reg, u32 value) { apic[reg / 4] = value; }

void apic_eoi(void) { apic_write(APIC_EOI, 0); }

static void timer_interrupt(struct regs *r)
{
    if (!one_shot)
        boot_ticks++;
    cpu_time_sample(current_task(), regs_from_user(r));
    apic_eoi();
    timers_run_expired();
    /* A callback may have woken a task: it gets the CPU on the way out,
     * as it did at every tick before. */
    sched_tick();
}

void apic_init(void)
{
    /* The legacy PICs stay masked: every interrupt comes through the APICs. */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    apic = map_mmio(APIC_PHYS, PAGE_SIZE);
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
    irq_handlers[VECTOR_TIMER] = timer_interrupt;
    apic_write(APIC_TIMER_DIVIDE, 0xb); /* divide by 1 */
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER | LVT_PERIODIC);
    apic_write(APIC_TIMER_INITIAL, BOOT_TICK_NS);
}

#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

/* With the TSC clock running, the periodic boot tick stops for good.
 * TSC-deadline mode would spare the conversion to a count, but QEMU's TCG
 * does not offer it; the count at 1 GHz is as exact. */
void apic_timer_one_shot(void)
{
    u32 a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    kprintf(KERN_INFO "apic: one-shot timer%s\n", c & CPUID_1_ECX_TSC_DEADLINE ? " (TSC-deadline offered, unused)" : "");
    u64 flags = irq_save();
    apic_write(APIC_TIMER_INITIAL, 0);
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER | LVT_ONE_SHOT);
    one_shot = true;
    timers_run_expired();
    irq_restore(flags);
}

/* A deadline beyond the count's reach (4.3 s) gets an early interrupt that
 * finds nothing due and programs the rest. */
void apic_timer_arm(u64 expires)
{
    if (!one_shot)
        return; /* the boot tick looks at the queue anyway */
    if (!expires) {
        apic_write(APIC_TIMER_INITIAL, 0);
        return;
    }
    u64 now = monotonic_ns();
    u64 delta = expires > now ? expires - now : 1;
    apic_write(APIC_TIMER_INITIAL, (u32)MIN(delta, (u64)MAX_ONE_SHOT_NS));
}

u32 apic_timer_count(void) { return apic_read(APIC_TIMER_CURRENT); }

/* Before the TSC is calibrated: boot ticks and the count within the current one. */
u64 apic_monotonic_ns(void)
{
    if (!apic)
        return 0; /* before the timer runs (the kernel log's first messages), as Linux's early ones */
    u64 flags = irq_save();
    u64 t = boot_ticks;
    u32 current = apic_read(APIC_TIMER_CURRENT);
    /* A tick that expired with interrupts off is pending in the IRR, not yet
     * counted; the count register has already started the next period. */
    if (apic_read(APIC_IRR + VECTOR_TIMER / 32 * 0x10) & (1u << (VECTOR_TIMER % 32)))
        t++;
    u64 ns = t * BOOT_TICK_NS + (BOOT_TICK_NS - current);
    irq_restore(flags);
    return ns;
}
