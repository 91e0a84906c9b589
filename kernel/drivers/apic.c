/*
 * The local APIC timer drives the scheduler tick and the clock. QEMU (TCG and
 * KVM alike) counts the APIC timer at 1 GHz with divide-by-1, so the count
 * register doubles as a nanosecond clock between ticks.
 */
#include "apic.h"
#include "cpu.h"
#include "mm.h"
#include "proc.h"
#include "time.h"
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


static volatile u32 *apic;
static volatile u64 ticks;

extern void (*irq_handlers[256])(struct regs *);

static u32 apic_read(u32 reg) { return apic[reg / 4]; }
static void apic_write(u32 reg, u32 value) { apic[reg / 4] = value; }

void apic_eoi(void) { apic_write(APIC_EOI, 0); }

static void timer_interrupt(struct regs *r)
{
    ticks++;
    struct task *t = current_task();
    bool user = regs_from_user(r);
    if (user)
        t->user_ticks++;
    else if (t->pid)
        t->system_ticks++;
    if (user || t->pid)
        cpu_itimers_tick(t, user);
    clock_tick();
    wake_up(clock_channel());
    itimers_tick();
    apic_eoi();
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
    apic_write(APIC_TIMER_INITIAL, (u32)TICK_NS);
}

u64 jiffies(void) { return ticks; }

u32 apic_timer_count(void) { return apic_read(APIC_TIMER_CURRENT); }

u64 apic_monotonic_ns(void)
{
    u64 flags = irq_save();
    u64 t = ticks;
    u32 current = apic_read(APIC_TIMER_CURRENT);
    /* A tick that expired with interrupts off is pending in the IRR, not yet
     * counted; the count register has already started the next period. */
    if (apic_read(APIC_IRR + VECTOR_TIMER / 32 * 0x10) & (1u << (VECTOR_TIMER % 32)))
        t++;
    u64 ns = t * TICK_NS + (TICK_NS - current);
    irq_restore(flags);
    return ns;
}
