/*
 * The timer queue, a list sorted by expiry. Few timers are ever pending (a
 * sleeper's deadline, each process's alarm, the time slice), so insertion in
 * order is cheaper than any tree. The queue is touched with interrupts off:
 * its only other user is the timer interrupt, on this CPU.
 */
#include "apic.h"
#include "timer.h"
#include "x86.h"

static struct timer *queue;

static void program_earliest(void) { apic_timer_arm(queue ? queue->expires : 0); }

static void unlink(struct timer *timer)
{
    for (struct timer **link = &queue; *link; link = &(*link)->next) {
        if (*link == timer) {
            *link = timer->next;
            break;
        }
    }
    timer->next = NULL;
    timer->pending = false;
}

void timer_start(struct timer *timer, u64 expires, timer_callback callback)
{
    u64 flags = irq_save();
    bool was_first = queue == timer;
    if (timer->pending)
        unlink(timer);
    timer->expires = expires;
    timer->callback = callback;
    timer->pending = true;
    struct timer **link = &queue;
    while (*link && (*link)->expires <= expires)
        link = &(*link)->next;
    timer->next = *link;
    *link = timer;
    if (queue == timer || was_first)
        program_earliest();
    irq_restore(flags);
}

bool timer_cancel(struct timer *timer)
{
    u64 flags = irq_save();
    bool was_pending = timer->pending;
    if (was_pending) {
        bool was_first = queue == timer;
        unlink(timer);
        /* Leaving the APIC armed for a timer that is gone costs one spurious
         * interrupt; reprogramming it costs an MMIO write on every cancel.
         * Only the head matters, and only when nothing else is due sooner. */
        if (was_first && !queue)
            program_earliest();
    }
    irq_restore(flags);
    return was_pending;
}

void timers_run_expired(void)
{
    u64 now = monotonic_ns();
    while (queue && queue->expires <= now) {
        struct timer *due = queue;
        queue = due->next;
        due->next = NULL;
        due->pending = false;
        due->callback(due);
        if (queue && queue->expires > now)
            now = monotonic_ns(); /* a callback may have taken a while */
    }
    program_earliest();
}
