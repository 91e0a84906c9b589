/*
 * The timer queue: callbacks due at a CLOCK_MONOTONIC time, run from the
 * timer interrupt with interrupts off. The local APIC timer is programmed for
 * the earliest one only (one-shot), so nothing fires while nothing is due.
 */
#ifndef SYSGATE_TIMER_H
#define SYSGATE_TIMER_H

#include "types.h"

struct timer;
/* Runs with interrupts off, the timer already off the queue: it may start
 * itself (or any timer) again. */
typedef void (*timer_callback)(struct timer *timer);

struct timer {
    u64 expires;            /* monotonic ns */
    timer_callback callback;
    struct timer *next;     /* the queue, earliest first */
    bool pending;
};

/* (Re)starts a timer for `expires`; a time already past runs it at the next
 * interrupt, which comes at once. */
void timer_start(struct timer *timer, u64 expires, timer_callback callback);
/* Takes a timer off the queue; returns whether it was still pending. */
bool timer_cancel(struct timer *timer);
/* From the timer interrupt: runs the callbacks that are due and programs the
 * APIC for the next one. */
void timers_run_expired(void);

#endif
