/*
 * Wait queues and the sleep that goes with them (wait.h). With interrupts
 * off from the moment the sleeper looks at its condition until it is off the
 * CPU, nothing on this CPU can slip a wake-up in between; the condition's
 * lock is released only after the task is on the queue and marked asleep.
 */
#include "apic.h"
#include "errno.h"
#include "proc.h"
#include "signal.h"
#include "time.h"
#include "timer.h"
#include "wait.h"

void wait_queue_init(struct wait_queue *q) { *q = (struct wait_queue){{0}, NULL, NULL}; }

void wait_entry_init(struct wait_entry *entry, struct task *task)
{
    *entry = (struct wait_entry){.task = task, .wake = wake_task_entry};
}

static void link_entry(struct wait_queue *q, struct wait_entry *e)
{
    if (e->exclusive || !q->head) {
        e->prev = q->tail, e->next = NULL;
        if (q->tail)
            q->tail->next = e;
        else
            q->head = e;
        q->tail = e;
    } else {
        e->prev = NULL, e->next = q->head;
        q->head->prev = e;
        q->head = e;
    }
}

static void unlink_entry(struct wait_queue *q, struct wait_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else if (q->head == e)
        q->head = e->next;
    else
        return; /* not on the queue */
    if (e->next)
        e->next->prev = e->prev;
    else
        q->tail = e->prev;
    e->prev = e->next = NULL;
}

void wait_queue_add(struct wait_queue *q, struct wait_entry *entry)
{
    u64 flags = spin_lock_irqsave(&q->lock);
    link_entry(q, entry);
    spin_unlock_irqrestore(&q->lock, flags);
}

void wait_queue_remove(struct wait_queue *q, struct wait_entry *entry)
{
    u64 flags = spin_lock_irqsave(&q->lock);
    unlink_entry(q, entry);
    spin_unlock_irqrestore(&q->lock, flags);
}

bool wake_task_entry(struct wait_entry *entry)
{
    entry->woken = true;
    bool was_asleep = entry->task->state == TASK_SLEEPING;
    task_wake(entry->task);
    return was_asleep;
}

/* Waiters stay queued when woken: each removes its own entry when it runs. */
static int wake_queue(struct wait_queue *q, int exclusive_count)
{
    int woken = 0;
    u64 flags = spin_lock_irqsave(&q->lock);
    for (struct wait_entry *e = q->head, *next; e; e = next) {
        next = e->next;
        if (e->exclusive && woken >= exclusive_count)
            break;
        if (e->woken && e->exclusive)
            continue; /* already owed the CPU by an earlier wake-up */
        if (e->wake(e) && e->exclusive)
            woken++;
    }
    spin_unlock_irqrestore(&q->lock, flags);
    return woken;
}

void wake_up(struct wait_queue *q) { wake_queue(q, 1); }
void wake_up_all(struct wait_queue *q) { wake_queue(q, 0x7fffffff); }
int wake_up_nr(struct wait_queue *q, int count) { return wake_queue(q, count); }

struct deadline_timer {
    struct timer timer;
    struct task *task;
    bool expired;
};

static void deadline_expired(struct timer *timer)
{
    struct deadline_timer *d = (struct deadline_timer *)timer;
    d->expired = true;
    task_wake(d->task);
}

static int sleep_common(struct wait_queue *q, struct spinlock *lock, u64 deadline, bool exclusive)
{
    struct task *t = current_task();
    u64 flags = irq_save();
    if (signal_pending()) {
        irq_restore(flags);
        return -ERESTARTSYS;
    }
    struct deadline_timer d = {.task = t};
    if (deadline) {
        if (monotonic_ns() >= deadline) {
            irq_restore(flags);
            return -ETIMEDOUT;
        }
        timer_start(&d.timer, deadline, deadline_expired);
    }
    struct wait_entry entry;
    wait_entry_init(&entry, t);
    entry.exclusive = exclusive;
    if (q)
        wait_queue_add(q, &entry);
    t->state = TASK_SLEEPING;
    if (lock)
        spin_unlock_irqs_off(lock);
    cpu_time_switch_out(t);
    schedule();
    if (lock)
        spin_lock_irqs_off(lock);
    if (q)
        wait_queue_remove(q, &entry);
    if (deadline)
        timer_cancel(&d.timer);
    irq_restore(flags);
    if (signal_pending())
        return -ERESTARTSYS;
    return d.expired && !entry.woken ? -ETIMEDOUT : 0;
}

int wait_sleep(struct wait_queue *q, struct spinlock *lock, u64 deadline)
{
    return sleep_common(q, lock, deadline, false);
}

int wait_sleep_exclusive(struct wait_queue *q, struct spinlock *lock, u64 deadline)
{
    return sleep_common(q, lock, deadline, true);
}
