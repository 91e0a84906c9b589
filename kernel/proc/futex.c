/*
 * futex(2) and futex_waitv(2): sleeping on a user word until another task
 * changes it and says so. The queues, keys and sleeping are here; the
 * priority-inheritance locks are in futex_pi.c and the robust lists in
 * futex_robust.c.
 *
 * Keys follow Linux: a private futex is (address space, address) and needs
 * no look at the memory; a shared one is the page's identity, (inode, offset)
 * when the address lies in a shared mapping of a file or of a shared
 * anonymous object, else (address space, address) as well.
 */
#include "errno.h"
#include "fs.h"
#include "futex_queue.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "vdso.h"
#include "proc.h"
#include "signal.h"
#include "time.h"
#include "apic.h"
#include "uaccess.h"
#include "wait.h"
#include "x86.h"

#define FUTEX_BUCKETS 64

static struct futex_bucket buckets[FUTEX_BUCKETS];

/* ---- keys ---- */

int futex_key_get(u64 uaddr, bool shared, struct futex_key *key)
{
    if (uaddr % sizeof(u32))
        return -EINVAL;
    if (!user_range_ok(uaddr, sizeof(u32)))
        return -EFAULT;
    struct mm *mm = current_task()->mm;
    *key = (struct futex_key){.object = mm, .offset = uaddr, .kind = FUTEX_KEY_PRIVATE};
    if (!shared)
        return 0;
    /* Shared: the word must be in memory the caller can reach. */
    struct vma *v = vma_find(mm, uaddr);
    if (!v || v->prot == PROT_NONE)
        return -EFAULT;
    key->kind = FUTEX_KEY_SHARED_MM;
    if ((v->flags & MAP_SHARED) && v->file) {
        key->object = v->file;
        key->offset = v->file_offset + (uaddr - v->start);
        key->kind = FUTEX_KEY_INODE;
        inode_get(v->file);
    }
    return 0;
}

void futex_key_put(struct futex_key *key)
{
    if (key->kind != FUTEX_KEY_INODE)
        return;
    inode_put((struct inode *)key->object);
    key->kind = FUTEX_KEY_SHARED_MM; /* released: nothing more to drop */
}

bool futex_key_equal(const struct futex_key *a, const struct futex_key *b)
{
    return a->object == b->object && a->offset == b->offset && a->kind == b->kind;
}

struct futex_bucket *futex_bucket_of(const struct futex_key *key)
{
    u64 h = ((u64)key->object >> 4) ^ (key->offset >> 2) * 0x9e3779b97f4a7c15ull;
    return &buckets[(h >> 32) % FUTEX_BUCKETS];
}

/* ---- queues ---- */

void futex_enqueue(struct futex_bucket *b, struct futex_q *q)
{
    struct futex_q **link = &b->head;
    while (*link)
        link = &(*link)->next;
    q->next = NULL;
    *link = q;
}

bool futex_dequeue(struct futex_bucket *b, struct futex_q *q)
{
    for (struct futex_q **link = &b->head; *link; link = &(*link)->next) {
        if (*link == q) {
            *link = q->next;
            q->next = NULL;
            return true;
        }
    }
    return false;
}

/* The waker holds the bucket's lock, under which the sleeper checked its
 * word and queued itself: the wake cannot come between check and sleep. */
static void sleeper_wake(struct futex_sleeper *s)
{
    s->woken = true;
    task_wake(s->task);
}

void futex_wake_q(struct futex_bucket *b, struct futex_q *q)
{
    futex_dequeue(b, q);
    q->woken = true;
    sleeper_wake(q->sleeper);
}

static u64 clock_now(bool realtime) { return realtime ? realtime_ns() : monotonic_ns(); }

/* Timers run on CLOCK_MONOTONIC: a CLOCK_REALTIME deadline is converted with
 * the clocks' offset as it is now, and again after each clock_settime. */
static u64 monotonic_deadline(const struct futex_deadline *deadline)
{
    if (!deadline || !deadline->set)
        return WAIT_NO_DEADLINE;
    if (!deadline->realtime)
        return deadline->ns ? deadline->ns : 1;
    u64 offset = realtime_ns() - monotonic_ns();
    return deadline->ns > offset ? deadline->ns - offset : 1;
}

long futex_sleep(struct futex_sleeper *s, const struct futex_deadline *deadline, struct spinlock *held)
{
    bool realtime = deadline && deadline->set && deadline->realtime;
    long err = 0;
    while (!s->woken && !err)
        err = wait_sleep(realtime ? clock_set_queue() : NULL, held, monotonic_deadline(deadline));
    return s->woken ? 0 : err;
}

/* Locks two buckets (once when they are the same) in address order, so two
 * tasks requeueing in opposite directions cannot deadlock. */
static u64 lock_pair(struct futex_bucket *a, struct futex_bucket *b)
{
    if (a > b) {
        struct futex_bucket *t = a;
        a = b;
        b = t;
    }
    u64 flags = spin_lock_irqsave(&a->lock);
    if (b != a)
        spin_lock(&b->lock);
    return flags;
}

static void unlock_pair(struct futex_bucket *a, struct futex_bucket *b, u64 flags)
{
    if (b != a)
        spin_unlock(&b->lock);
    spin_unlock_irqrestore(&a->lock, flags);
}

/* ---- user words ---- */

/* ---- timeouts ---- */

struct timespec32_k {
    s32 tv_sec, tv_nsec;
};

long futex_deadline_from_user(u64 utime, bool time32, bool relative, bool realtime, struct futex_deadline *d)
{
    *d = (struct futex_deadline){0};
    if (!utime)
        return 0;
    s64 sec, nsec;
    if (time32) {
        struct timespec32_k ts;
        if (copy_from_user(&ts, (const void __user *)utime, sizeof(ts)))
            return -EFAULT;
        sec = ts.tv_sec, nsec = ts.tv_nsec;
    } else {
        struct timespec_k ts;
        if (copy_from_user(&ts, (const void __user *)utime, sizeof(ts)))
            return -EFAULT;
        sec = ts.tv_sec, nsec = ts.tv_nsec;
    }
    if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
        return -EINVAL;
    /* Past the year 2262 a deadline is as good as never. */
    u64 ns = (u64)sec > UINT64_MAX / NSEC_PER_SEC - 1 ? UINT64_MAX : (u64)sec * NSEC_PER_SEC + (u64)nsec;
    d->set = true;
    d->realtime = realtime;
    if (relative) {
        u64 now = clock_now(realtime);
        ns = ns > UINT64_MAX - now ? UINT64_MAX : ns + now;
    }
    d->ns = ns;
    return 0;
}

/* ---- FUTEX_WAIT, FUTEX_WAKE and their bitset forms ---- */

#define RESTART_SHARED 1
#define RESTART_REALTIME 2
static long futex_wait_restart(struct restart_block *block);

static long futex_wait(u64 uaddr, bool shared, u32 expected, const struct futex_deadline *deadline, u32 bitset)
{
    if (!bitset)
        return -EINVAL;
    struct futex_sleeper s = {.task = current_task()};
    struct futex_q q = {.sleeper = &s, .bitset = bitset};
    long err = futex_key_get(uaddr, shared, &q.key);
    if (err)
        return err;
    struct futex_bucket *b = futex_bucket_of(&q.key);
    u64 flags = spin_lock_irqsave(&b->lock);
    u32 value;
    if (get_user(value, (const u32 __user *)uaddr))
        err = -EFAULT;
    else if (value != expected)
        err = -EAGAIN;
    if (err) {
        spin_unlock_irqrestore(&b->lock, flags);
        futex_key_put(&q.key);
        return err;
    }
    futex_enqueue(b, &q);
    err = futex_sleep(&s, deadline, &b->lock);
    futex_dequeue(b, &q);
    spin_unlock_irqrestore(&b->lock, flags);
    futex_key_put(&q.key);
    if (q.woken)
        return 0;
    /* An untimed wait interrupted by a handler is restarted when it has
     * SA_RESTART; a timed one reports EINTR when a handler runs, and carries
     * on to the same deadline when none does (a stop and continue), as Linux
     * does. */
    if (err == -ERESTARTSYS && deadline && deadline->set) {
        struct restart_block *block = &current_task()->restart;
        block->fn = futex_wait_restart;
        block->arg[0] = uaddr;
        block->arg[1] = (shared ? RESTART_SHARED : 0) | (deadline->realtime ? RESTART_REALTIME : 0);
        block->arg[2] = expected;
        block->arg[3] = deadline->ns;
        block->arg[4] = bitset;
        return -ERESTART_RESTARTBLOCK;
    }
    return err;
}

static long futex_wait_restart(struct restart_block *block)
{
    struct futex_deadline deadline = {.set = true, .realtime = block->arg[1] & RESTART_REALTIME, .ns = block->arg[3]};
    return futex_wait(block->arg[0], block->arg[1] & RESTART_SHARED, (u32)block->arg[2], &deadline,
                      (u32)block->arg[4]);
}

/* Wakes up to `count` waiters of key whose bitset meets `bitset`. A PI waiter
 * on the word means the caller mixed the two kinds of futex: EINVAL. */
static long wake_keyed(struct futex_bucket *b, const struct futex_key *key, int count, u32 bitset)
{
    long woken = 0;
    for (struct futex_q *q = b->head, *next; q && woken < count; q = next) {
        next = q->next;
        if (!futex_key_equal(&q->key, key))
            continue;
        if (q->pi)
            return -EINVAL;
        if (q->bitset & bitset) {
            futex_wake_q(b, q);
            woken++;
        }
    }
    return woken;
}

static long futex_wake_words(u64 uaddr, bool shared, int count, u32 bitset)
{
    if (!bitset)
        return -EINVAL;
    struct futex_key key;
    long err = futex_key_get(uaddr, shared, &key);
    if (err)
        return err;
    struct futex_bucket *b = futex_bucket_of(&key);
    u64 flags = spin_lock_irqsave(&b->lock);
    long woken = wake_keyed(b, &key, count, bitset);
    spin_unlock_irqrestore(&b->lock, flags);
    futex_key_put(&key);
    return woken;
}

/* Linux wakes a thread's clear_child_tid word as a shared futex (pthread_join
 * waits on it so), which in private memory is the same key as a private one. */
int futex_wake(struct mm *mm, u64 uaddr, int count)
{
    struct futex_key key = {.object = mm, .offset = uaddr, .kind = FUTEX_KEY_SHARED_MM};
    if (mm == current_task()->mm && futex_key_get(uaddr, true, &key))
        return 0;
    struct futex_bucket *b = futex_bucket_of(&key);
    u64 flags = spin_lock_irqsave(&b->lock);
    long woken = wake_keyed(b, &key, count, FUTEX_BITSET_MATCH_ANY);
    spin_unlock_irqrestore(&b->lock, flags);
    futex_key_put(&key);
    return woken < 0 ? 0 : (int)woken;
}

/* ---- FUTEX_REQUEUE and FUTEX_CMP_REQUEUE ---- */

/* The keys of the two words of a requeue or wake-op: both, or neither. */
static long futex_key_pair_get(u64 uaddr, u64 uaddr2, bool shared, struct futex_key *key1, struct futex_key *key2)
{
    long err = futex_key_get(uaddr, shared, key1);
    if (err)
        return err;
    err = futex_key_get(uaddr2, shared, key2);
    if (err)
        futex_key_put(key1);
    return err;
}

static long futex_requeue(u64 uaddr, u64 uaddr2, bool shared, int nr_wake, int nr_requeue, const u32 *cmpval)
{
    if (nr_wake < 0 || nr_requeue < 0)
        return -EINVAL;
    struct futex_key key1, key2;
    long err = futex_key_pair_get(uaddr, uaddr2, shared, &key1, &key2);
    if (err)
        return err;
    struct futex_bucket *b1 = futex_bucket_of(&key1), *b2 = futex_bucket_of(&key2);
    u64 flags = lock_pair(b1, b2);
    long done = 0;
    u32 value;
    if (cmpval && get_user(value, (const u32 __user *)uaddr))
        err = -EFAULT;
    else if (cmpval && value != *cmpval)
        err = -EAGAIN;
    for (struct futex_q *q = b1->head, *next; q && !err; q = next) {
        next = q->next;
        if (!futex_key_equal(&q->key, &key1))
            continue;
        if (q->pi) {
            err = -EINVAL;
        } else if (done < nr_wake) {
            futex_wake_q(b1, q);
            done++;
        } else if (done - nr_wake < nr_requeue) {
            /* The waiter's own reference moves to the new key; in the same
             * bucket it keeps its place (and this walk does not meet it again). */
            futex_key_put(&q->key);
            q->key = key2;
            if (key2.kind == FUTEX_KEY_INODE)
                inode_get((struct inode *)key2.object);
            if (b2 != b1) {
                futex_dequeue(b1, q);
                futex_enqueue(b2, q);
            }
            done++;
        } else {
            break;
        }
    }
    unlock_pair(b1, b2, flags);
    futex_key_put(&key1);
    futex_key_put(&key2);
    return err ? err : done;
}

/* ---- FUTEX_WAKE_OP ---- */

#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

static s32 sign_extend12(u32 v) { return (s32)(v << 20) >> 20; }

/* Applies the encoded operation to the user word; its old value in *old. */
static long wake_op_modify(u64 uaddr, u32 encoded, u32 *old)
{
    u32 op = (encoded >> 28) & 7;
    s32 oparg = sign_extend12(encoded >> 12);
    if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
        oparg = (s32)(1u << (oparg & 31));
    u32 cur;
    if (get_user(cur, (const u32 __user *)uaddr))
        return -EFAULT;
    for (;;) {
        u32 next;
        switch (op) {
        case FUTEX_OP_SET: next = (u32)oparg; break;
        case FUTEX_OP_ADD: next = cur + (u32)oparg; break;
        case FUTEX_OP_OR: next = cur | (u32)oparg; break;
        case FUTEX_OP_ANDN: next = cur & ~(u32)oparg; break;
        case FUTEX_OP_XOR: next = cur ^ (u32)oparg; break;
        default: return -ENOSYS;
        }
        u32 found;
        if (user_cmpxchg_u32((u32 __user *)uaddr, cur, next, &found))
            return -EFAULT;
        if (found == cur) {
            *old = cur;
            return 0;
        }
        cur = found;
    }
}

static long wake_op_compare(u32 encoded, u32 old)
{
    s32 cmparg = sign_extend12(encoded), value = (s32)old;
    switch ((encoded >> 24) & 15) {
    case FUTEX_OP_CMP_EQ: return value == cmparg;
    case FUTEX_OP_CMP_NE: return value != cmparg;
    case FUTEX_OP_CMP_LT: return value < cmparg;
    case FUTEX_OP_CMP_LE: return value <= cmparg;
    case FUTEX_OP_CMP_GT: return value > cmparg;
    case FUTEX_OP_CMP_GE: return value >= cmparg;
    default: return -ENOSYS;
    }
}

static long futex_wake_op(u64 uaddr, u64 uaddr2, bool shared, int nr_wake, int nr_wake2, u32 encoded)
{
    struct futex_key key1, key2;
    long err = futex_key_pair_get(uaddr, uaddr2, shared, &key1, &key2);
    if (err)
        return err;
    struct futex_bucket *b1 = futex_bucket_of(&key1), *b2 = futex_bucket_of(&key2);
    u64 flags = lock_pair(b1, b2);
    u32 old;
    /* The operation is done before anything is woken, and an unknown
     * comparison is an error after it, as on Linux. */
    long result = wake_op_modify(uaddr2, encoded, &old);
    long cmp = result ? result : wake_op_compare(encoded, old);
    if (cmp >= 0) {
        long woken = wake_keyed(b1, &key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
        long woken2 = cmp && woken >= 0 ? wake_keyed(b2, &key2, nr_wake2, FUTEX_BITSET_MATCH_ANY) : 0;
        result = woken < 0 ? woken : woken2 < 0 ? woken2 : woken + woken2;
    } else {
        result = cmp;
    }
    unlock_pair(b1, b2, flags);
    futex_key_put(&key1);
    futex_key_put(&key2);
    return result;
}

/* ---- futex(2) ---- */

static bool takes_timeout(int cmd)
{
    return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
           cmd == FUTEX_WAIT_REQUEUE_PI;
}

static long do_futex(u64 uaddr, int op, u32 val, u64 utime, u64 uaddr2, u32 val3, bool time32)
{
    int cmd = op & FUTEX_CMD_MASK;
    bool shared = !(op & FUTEX_PRIVATE_FLAG);
    bool realtime = op & FUTEX_CLOCK_REALTIME;
    if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
        return -ENOSYS;
    struct futex_deadline deadline = {0};
    if (takes_timeout(cmd)) {
        /* FUTEX_WAIT's timeout is relative; the others' absolute, and
         * FUTEX_LOCK_PI's always on CLOCK_REALTIME. */
        long err = futex_deadline_from_user(utime, time32, cmd == FUTEX_WAIT, realtime || cmd == FUTEX_LOCK_PI,
                                            &deadline);
        if (err)
            return err;
    }
    /* The requeue and wake-op forms carry a second count in the timeout's place. */
    int val2 = (int)(u32)utime;
    switch (cmd) {
    case FUTEX_WAIT:
        return futex_wait(uaddr, shared, val, &deadline, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAIT_BITSET:
        return futex_wait(uaddr, shared, val, &deadline, val3);
    case FUTEX_WAKE:
        return futex_wake_words(uaddr, shared, (int)val, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAKE_BITSET:
        return futex_wake_words(uaddr, shared, (int)val, val3);
    case FUTEX_REQUEUE:
        return futex_requeue(uaddr, uaddr2, shared, (int)val, val2, NULL);
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(uaddr, uaddr2, shared, (int)val, val2, &val3);
    case FUTEX_WAKE_OP:
        return futex_wake_op(uaddr, uaddr2, shared, (int)val, val2, val3);
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
        return futex_lock_pi(uaddr, shared, &deadline, false);
    case FUTEX_TRYLOCK_PI:
        return futex_lock_pi(uaddr, shared, NULL, true);
    case FUTEX_UNLOCK_PI:
        return futex_unlock_pi(uaddr, shared);
    default:
        /* FUTEX_FD (gone from Linux since 2.6.26) and the requeue-to-PI pair,
         * which only condition variables over PI mutexes use. */
        return -ENOSYS;
    }
}

long sys_futex(u64 uaddr, int op, u32 val, u64 utime, u64 uaddr2, u32 val3)
{
    return do_futex(uaddr, op, val, utime, uaddr2, val3, false);
}

/* i386's futex takes a 32-bit timespec; futex_time64 (422) the 64-bit one. */
long compat_sys_futex(u32 uaddr, int op, u32 val, u32 utime, u32 uaddr2, u32 val3)
{
    return do_futex(uaddr, op, val, utime, uaddr2, val3, true);
}

/* ---- futex_waitv(2) ---- */

struct futex_waitv {
    u64 val;
    u64 uaddr;
    u32 flags;
    u32 reserved;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

long sys_futex_waitv(const struct futex_waitv __user *uwaiters, u32 count, u32 flags, u64 utimeout, int clock)
{
    if (flags)
        return -EINVAL;
    if (!count || count > FUTEX_WAITV_MAX || !uwaiters)
        return -EINVAL;
    struct futex_deadline deadline = {0};
    if (utimeout) {
        if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
            return -EINVAL;
        long err = futex_deadline_from_user(utimeout, false, false, clock == CLOCK_REALTIME, &deadline);
        if (err)
            return err;
    }
    struct futex_waitv *w = kmalloc(sizeof(*w) * count);
    struct futex_q *qs = kzalloc(sizeof(*qs) * count);
    long err = 0;
    if (!w || !qs)
        err = -ENOMEM;
    else if (copy_from_user(w, uwaiters, sizeof(*w) * count))
        err = -EFAULT;
    for (u32 i = 0; i < count && !err; i++) {
        if ((w[i].flags & ~(FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_PRIVATE)) || w[i].reserved)
            err = -EINVAL;
        else if ((w[i].flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || (w[i].flags & FUTEX2_NUMA))
            err = -EINVAL; /* only 32-bit words, and no NUMA node in the word */
        else if (w[i].val > UINT32_MAX)
            err = -EINVAL;
    }
    u32 keyed = 0;
    for (; keyed < count && !err; keyed++)
        err = futex_key_get(w[keyed].uaddr, !(w[keyed].flags & FUTEX2_PRIVATE), &qs[keyed].key);
    if (err) {
        if (keyed)
            keyed--; /* the failing one holds no key */
        goto out;
    }
    struct futex_sleeper s = {.task = current_task()};
    /* Interrupts stay off from the first check to the sleep: no wake can
     * slip between the checks and the queueing on one CPU, and each bucket
     * is locked while its word is checked and its entry queued. */
    u64 irq = irq_save();
    u32 queued = 0;
    for (; queued < count && !err; queued++) {
        struct futex_q *q = &qs[queued];
        q->sleeper = &s;
        q->bitset = FUTEX_BITSET_MATCH_ANY;
        struct futex_bucket *b = futex_bucket_of(&q->key);
        spin_lock(&b->lock);
        u32 value;
        if (get_user(value, (const u32 __user *)w[queued].uaddr))
            err = -EFAULT;
        else if (value != (u32)w[queued].val)
            err = -EAGAIN;
        else
            futex_enqueue(b, q);
        spin_unlock(&b->lock);
    }
    if (!err)
        err = futex_sleep(&s, &deadline, NULL);
    long woken = -1;
    for (u32 i = 0; i < queued; i++) {
        struct futex_bucket *b = futex_bucket_of(&qs[i].key);
        spin_lock(&b->lock);
        futex_dequeue(b, &qs[i]);
        spin_unlock(&b->lock);
        if (qs[i].woken)
            woken = i;
    }
    irq_restore(irq);
    if (woken >= 0)
        err = woken;
out:
    for (u32 i = 0; qs && i < keyed; i++)
        futex_key_put(&qs[i].key);
    kfree(w);
    kfree(qs);
    return err;
}

int futex_pi_waited_words(const struct mm *mm, u64 *words, int max)
{
    int n = 0;
    for (int i = 0; i < FUTEX_BUCKETS; i++) {
        struct futex_bucket *b = &buckets[i];
        u64 flags = spin_lock_irqsave(&b->lock);
        for (struct futex_q *q = b->head; q && n < max; q = q->next) {
            if (!q->pi || q->key.kind == FUTEX_KEY_INODE || q->key.object != mm)
                continue;
            bool seen = false;
            for (int j = 0; j < n && !seen; j++)
                seen = words[j] == q->key.offset;
            if (!seen)
                words[n++] = q->key.offset;
        }
        spin_unlock_irqrestore(&b->lock, flags);
    }
    return n;
}
