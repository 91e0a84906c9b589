/*
 * Priority-inheritance futexes (FUTEX_LOCK_PI, FUTEX_LOCK_PI2,
 * FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI), the kernel half of glibc's
 * PTHREAD_PRIO_INHERIT mutexes. The word holds the owner's thread id, with
 * FUTEX_WAITERS set while the kernel holds waiters; user space takes and
 * releases an uncontended lock by itself and calls in only otherwise.
 *
 * The kernel hands the lock over on unlock (the word names the new owner
 * before it runs), so a waiter never has to race for it. sysgate's scheduler
 * has no priorities, so there is nothing to lend the owner: waiters are
 * served in arrival order.
 */
#include "errno.h"
#include "futex_queue.h"
#include "proc.h"
#include "signal.h"
#include "uaccess.h"

static struct futex_q *first_pi_waiter(struct futex_bucket *b, const struct futex_key *key)
{
    for (struct futex_q *q = b->head; q; q = q->next)
        if (q->pi && futex_key_equal(&q->key, key))
            return q;
    return NULL;
}

static bool owner_alive(u32 tid)
{
    struct task *owner = task_find((pid_t)tid);
    return owner && owner->state != TASK_ZOMBIE;
}

long futex_lock_pi(u64 uaddr, bool shared, const struct futex_deadline *deadline, bool try_only)
{
    struct task *me = current_task();
    u32 tid = (u32)me->pid;
    struct futex_sleeper s = {.task = me};
    struct futex_q q = {.sleeper = &s, .bitset = FUTEX_BITSET_MATCH_ANY, .pi = true};
    long err = futex_key_get(uaddr, shared, &q.key);
    if (err)
        return err;
    struct futex_bucket *b = futex_bucket_of(&q.key);
    u64 flags = spin_lock_irqsave(&b->lock);
    for (;;) {
        u32 word, found;
        if (get_user(word, (const u32 __user *)uaddr)) {
            err = -EFAULT;
            break;
        }
        u32 owner = word & FUTEX_TID_MASK;
        if (owner == tid) {
            err = -EDEADLK;
            break;
        }
        if (!owner) {
            /* Free (perhaps after its owner died: the flag stays for the new
             * owner to see). Others still queued keep FUTEX_WAITERS set. */
            u32 mine = tid | (word & FUTEX_OWNER_DIED) | (first_pi_waiter(b, &q.key) ? FUTEX_WAITERS : 0);
            if (user_cmpxchg_u32((u32 __user *)uaddr, word, mine, &found)) {
                err = -EFAULT;
                break;
            }
            if (found == word) {
                err = 0;
                break;
            }
            continue;
        }
        if (!owner_alive(owner)) {
            err = -ESRCH;
            break;
        }
        if (try_only) {
            err = -EWOULDBLOCK;
            break;
        }
        if (!(word & FUTEX_WAITERS)) {
            if (user_cmpxchg_u32((u32 __user *)uaddr, word, word | FUTEX_WAITERS, &found)) {
                err = -EFAULT;
                break;
            }
            if (found != word)
                continue;
        }
        s.woken = false;
        futex_enqueue(b, &q);
        err = futex_sleep(&s, deadline, &b->lock);
        futex_dequeue(b, &q);
        if (q.woken) {
            err = 0; /* the unlocker made us the owner */
            break;
        }
        if (err == -ERESTARTSYS)
            err = -ERESTARTNOINTR; /* a lock attempt is always taken up again after a handler */
        break;
    }
    spin_unlock_irqrestore(&b->lock, flags);
    futex_key_put(&q.key);
    return err;
}

/* Gives the lock at uaddr, held by `from` (a thread id), to the longest
 * waiting PI waiter, or frees it. With `owner_died` the new owner (or the
 * next taker) sees FUTEX_OWNER_DIED. The bucket is locked. Returns 0,
 * -EPERM when `from` does not hold it, -EFAULT. */
static long hand_over(struct futex_bucket *b, const struct futex_key *key, u64 uaddr, u32 from, bool owner_died)
{
    for (;;) {
        u32 word, found;
        if (get_user(word, (const u32 __user *)uaddr))
            return -EFAULT;
        if ((word & FUTEX_TID_MASK) != from)
            return -EPERM;
        struct futex_q *next = first_pi_waiter(b, key);
        u32 died = owner_died ? FUTEX_OWNER_DIED : 0;
        /* Linux keeps FUTEX_WAITERS on a hand-over, so the new owner's unlock
         * always comes to the kernel, which knows whether others wait. */
        u32 handed = next ? (u32)next->sleeper->task->pid | FUTEX_WAITERS | died : died;
        if (user_cmpxchg_u32((u32 __user *)uaddr, word, handed, &found))
            return -EFAULT;
        if (found != word)
            continue;
        if (next)
            futex_wake_q(b, next);
        return 0;
    }
}

long futex_unlock_pi(u64 uaddr, bool shared)
{
    struct futex_key key;
    long err = futex_key_get(uaddr, shared, &key);
    if (err)
        return err;
    struct futex_bucket *b = futex_bucket_of(&key);
    u64 flags = spin_lock_irqsave(&b->lock);
    err = hand_over(b, &key, uaddr, (u32)current_task()->pid, false);
    spin_unlock_irqrestore(&b->lock, flags);
    futex_key_put(&key);
    return err;
}

/* A PI lock whose owner `tid` is ending goes to its next waiter with
 * FUTEX_OWNER_DIED, as Linux does for robust and plain PI locks alike. The
 * waiters may have come as private or as shared futexes: whichever has one. */
void futex_pi_owner_died(u64 uaddr, u32 tid)
{
    for (int shared = 0; shared <= 1; shared++) {
        struct futex_key key;
        if (futex_key_get(uaddr, shared, &key))
            return;
        struct futex_bucket *b = futex_bucket_of(&key);
        u64 flags = spin_lock_irqsave(&b->lock);
        bool here = shared || first_pi_waiter(b, &key);
        if (here)
            hand_over(b, &key, uaddr, tid, true);
        spin_unlock_irqrestore(&b->lock, flags);
        futex_key_put(&key);
        if (here)
            return;
    }
}

/* PI locks held by an ending thread of this address space that others wait
 * for: handed on. Only private keys name an address to look at. */
void futex_pi_exit(struct task *t)
{
    /* Collected first: the hand-over takes the buckets' locks itself. */
    enum { MAX_HELD = 32 };
    u64 words[MAX_HELD];
    int n = futex_pi_waited_words(t->mm, words, MAX_HELD);
    for (int i = 0; i < n; i++) {
        u32 word;
        if (!get_user(word, (const u32 __user *)words[i]) && (word & FUTEX_TID_MASK) == (u32)t->pid)
            futex_pi_owner_died(words[i], (u32)t->pid);
    }
}
