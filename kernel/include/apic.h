#ifndef SYSGATE_APIC_H
#define SYSGATE_APIC_H

#include "types.h"

#define HZ 100
#define TICK_NS (1000000000ull / HZ)
#define VECTOR_TIMER 32
#define VECTOR_SERIAL 36
#define VECTOR_SPURIOUS 255

void apic_init(void);
void apic_eoi(void);
u64 jiffies(void);
u64 apic_monotonic_ns(void); /* since boot, from the timer alone */
u32 apic_timer_count(void);
u64 monotonic_ns(void);     /* since boot: time/tsc.c */
void sched_tick(void);

#endif
