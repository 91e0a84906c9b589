/*
 * Wait queues: everything a task can block on owns one, and whoever changes
 * the object's state wakes it. A sleeper checks its condition under the lock
 * that protects it, and wait_sleep() drops that lock only once the task is
 * queued and marked asleep, so a wake-up between the check and the sleep is
 * never lost (xv6's sleep(chan, lk), Linux's prepare_to_wait).
 */
#ifndef SYSGATE_WAIT_H
#define SYSGATE_WAIT_H

#include "spinlock.h"
#include "types.h"

struct task;
struct wait_entry;

/* Called with the queue's lock held and interrupts off. Returns whether a
 * task was woken: an exclusive wake-up stops at the first that was. */
typedef bool (*wake_function)(struct wait_entry *entry);

struct wait_entry {
    struct task *task;
    wake_function wake;
    bool exclusive;         /* woken one at a time (wake_up), not all at once */
    bool woken;
    struct wait_entry *prev, *next;
};

/* All zero is an empty queue, so objects from kzalloc need no init. */
struct wait_queue {
    struct spinlock lock;   /* the list only: the waited-for state has its own */
    struct wait_entry *head, *tail; /* shared waiters first, exclusive ones after */
};

void wait_queue_init(struct wait_queue *q);
/* An entry for `task` that makes it runnable when woken. */
void wait_entry_init(struct wait_entry *entry, struct task *task);
void wait_queue_add(struct wait_queue *q, struct wait_entry *entry);
void wait_queue_remove(struct wait_queue *q, struct wait_entry *entry);
/* The default wake function: a sleeping task becomes runnable. */
bool wake_task_entry(struct wait_entry *entry);

/* Wakes every shared waiter and the first exclusive one that wakes. */
void wake_up(struct wait_queue *q);
void wake_up_all(struct wait_queue *q);
/* Wakes up to `count` exclusive waiters (and every shared one); returns how many woke. */
int wake_up_nr(struct wait_queue *q, int count);

/* Makes a sleeping task runnable (and gives the CPU a time slice to share). */
void task_wake(struct task *t);

/* poll and select (fs/poll.c) keep a table of entries that put the polling
 * task on the queues of the files it looks at. A file's poll callback calls
 * this for each queue that announces a change of its events; the table is
 * NULL when the caller only looks. The file is held until the poll ends. */
struct file;
struct poll_table;
/* What a table does with each queue: poll and select queue the caller,
 * epoll an entry of the item that wakes it (fs/eventpoll.c). */
typedef void (*poll_queue_proc)(struct file *f, struct wait_queue *q, struct poll_table *table);
struct poll_table {
    poll_queue_proc queue;
};
void poll_wait(struct file *f, struct wait_queue *q, struct poll_table *table);

#define WAIT_NO_DEADLINE 0

/*
 * Sleeps on `q` (may be NULL: only a signal or the deadline end the sleep)
 * until woken, a signal is pending (-ERESTARTSYS) or CLOCK_MONOTONIC reaches
 * `deadline` in ns (-ETIMEDOUT; WAIT_NO_DEADLINE for none). Called with
 * `lock` held, taken with spin_lock_irqsave, and returns with it held again;
 * `lock` may be NULL when the condition is guarded by interrupts being off
 * (the kernel runs on one CPU and is not preempted). Wake-ups may be
 * spurious: the caller checks its condition again.
 */
int wait_sleep(struct wait_queue *q, struct spinlock *lock, u64 deadline);
/* The same, as an exclusive waiter of q. */
int wait_sleep_exclusive(struct wait_queue *q, struct spinlock *lock, u64 deadline);

/* Waits until `condition` holds, checked under `lock`: 0, -ERESTARTSYS or -ETIMEDOUT. */
#define wait_event_locked(q, lock, condition, deadline)                                                                \
    ({                                                                                                                 \
        int wait_result_ = 0;                                                                                          \
        while (!(condition) && !(wait_result_ = wait_sleep((q), (lock), (deadline))))                                  \
            ;                                                                                                          \
        (condition) ? 0 : wait_result_;                                                                                \
    })

#endif
