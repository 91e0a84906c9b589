/*
 * The futex wait queues, shared by the futex files of kernel/proc: waiters
 * hang in hash buckets by key, each bucket with its own lock, and every check
 * of a user word that decides whether to sleep is made under that lock, so a
 * wake that follows the user's change of the word cannot be missed.
 */
#ifndef SYSGATE_FUTEX_QUEUE_H
#define SYSGATE_FUTEX_QUEUE_H

#include "futex.h"
#include "spinlock.h"
#include "types.h"

/* One task's wait: a single futex, or all of futex_waitv's at once. */
struct futex_sleeper {
    struct task *task;
    bool woken;
};

struct futex_q {
    struct futex_key key;
    struct futex_sleeper *sleeper;
    u32 bitset;
    bool pi;            /* a FUTEX_LOCK_PI waiter: only UNLOCK_PI's hand-over wakes it */
    bool woken;         /* this entry was the one woken */
    struct futex_q *next;
};

struct futex_bucket {
    struct spinlock lock;
    struct futex_q *head; /* in arrival order: the first woken is the longest waiting */
};

/* When a wait gives up: an absolute time on a clock, or never. */
struct futex_deadline {
    bool set;
    bool realtime;      /* CLOCK_REALTIME, else CLOCK_MONOTONIC */
    u64 ns;
};

/* The key of the word at uaddr: 0, -EINVAL (misaligned) or -EFAULT. A shared
 * key holds a reference on its inode until futex_key_put. */
int futex_key_get(u64 uaddr, bool shared, struct futex_key *key);
void futex_key_put(struct futex_key *key);
bool futex_key_equal(const struct futex_key *a, const struct futex_key *b);

struct futex_bucket *futex_bucket_of(const struct futex_key *key);
void futex_enqueue(struct futex_bucket *b, struct futex_q *q);
/* Takes q off its bucket's list; false when a waker already did. */
bool futex_dequeue(struct futex_bucket *b, struct futex_q *q);
/* Takes q off the list and wakes its task. */
void futex_wake_q(struct futex_bucket *b, struct futex_q *q);
/* The current task sleeps until its sleeper is woken, the deadline passes or
 * a signal comes: 0, -ETIMEDOUT or -ERESTARTSYS. Entered with `held` locked
 * (NULL: interrupts off guard the check) and returns with it locked again. */
long futex_sleep(struct futex_sleeper *s, const struct futex_deadline *deadline, struct spinlock *held);

/* Reads a timeout (struct timespec of the caller's ABI: 64-bit, or 32-bit
 * for time32) and makes it a deadline, relative to now when `relative`. */
long futex_deadline_from_user(u64 utime, bool time32, bool relative, bool realtime, struct futex_deadline *d);

/* The words of the PI futexes that tasks of mm wait on, at most max. */
int futex_pi_waited_words(const struct mm *mm, u64 *words, int max);
void futex_pi_owner_died(u64 uaddr, u32 tid);
void futex_pi_exit(struct task *t);
long futex_lock_pi(u64 uaddr, bool shared, const struct futex_deadline *deadline, bool try_only);
long futex_unlock_pi(u64 uaddr, bool shared);

#endif
