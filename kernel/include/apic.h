#ifndef SYSGATE_APIC_H
#define SYSGATE_APIC_H

#include "types.h"

#define VECTOR_TIMER 32
#define VECTOR_SERIAL 36
#define VECTOR_STDIO_KICK 37 /* COM2: the monitor's kick for the stdio rings */
#define VECTOR_SPURIOUS 255

void apic_init(void);
void apic_eoi(void);
/* Interrupts at monotonic time `expires` (0: never), replacing any earlier setting. */
void apic_timer_arm(u64 expires);
void apic_timer_one_shot(void);
u64 apic_monotonic_ns(void); /* since boot, from the timer alone (before the TSC is calibrated) */
u32 apic_timer_count(void);
u64 monotonic_ns(void);     /* since boot: time/tsc.c */
void sched_tick(void);

#endif
