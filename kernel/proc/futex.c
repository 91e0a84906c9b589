/*
 * futex: FUTEX_WAIT sleeps while the word at an address holds the expected
 * value; FUTEX_WAKE wakes sleepers on that word. A waiter is identified by its
 * address space and user address (private and shared futexes alike, since
 * shared memory between processes is only anonymous MAP_SHARED for now).
 */
#include "apic.h"
#include "errno.h"
#include "futex.h"
#include "lib.h"
#include "proc.h"
#include "time.h"
#include "uaccess.h"
#include "x86.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)

struct futex_waiter {
    struct mm *mm;
    u64 uaddr;
    struct task *task;
    bool woken;
    struct futex_waiter *next;
};

static struct futex_waiter *waiters;

int futex_wake(struct mm *mm, u64 uaddr, int count)
{
    int woken = 0;
    u64 flags = irq_save();
    for (struct futex_waiter *w = waiters; w && woken < count; w = w->next) {
        if (w->mm == mm && w->uaddr == uaddr && !w->woken) {
            w->woken = true;
            task_wake(w->task);
            woken++;
        }
    }
    irq_restore(flags);
    return woken;
}

/* A task ended while it waited: its entry (on its own stack) goes away. */
void futex_forget(struct task *t)
{
    u64 flags = irq_save();
    for (struct futex_waiter **link = &waiters; *link;) {
        if ((*link)->task == t)
            *link = (*link)->next;
        else
            link = &(*link)->next;
    }
    irq_restore(flags);
}

/* deadline: monotonic ns, or WAIT_NO_DEADLINE */
static long futex_wait(u64 uaddr, u32 expected, u64 deadline)
{
    struct task *t = current_task();
    struct futex_waiter me = {.mm = t->mm, .uaddr = uaddr, .task = t};
    u64 flags = irq_save();
    u32 value;
    if (get_user(value, (const u32 __user *)uaddr)) {
        irq_restore(flags);
        return -EFAULT;
    }
    if (value != expected) {
        irq_restore(flags);
        return -EAGAIN;
    }
    me.next = waiters;
    waiters = &me;
    long err = 0;
    while (!me.woken && !err)
        err = wait_sleep(NULL, NULL, deadline);
    if (me.woken)
        err = 0;
    for (struct futex_waiter **link = &waiters; *link; link = &(*link)->next) {
        if (*link == &me) {
            *link = me.next;
            break;
        }
    }
    irq_restore(flags);
    return err;
}

/* FUTEX_WAIT's timeout is relative, FUTEX_WAIT_BITSET's absolute on
 * CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME, CLOCK_REALTIME. */
static long futex_deadline(int op, bool has_timeout, s64 sec, s64 nsec, u64 *deadline)
{
    *deadline = WAIT_NO_DEADLINE;
    if (!has_timeout)
        return 0;
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    u64 ns = (u64)sec * 1000000000ull + (u64)nsec;
    u64 now = monotonic_ns();
    if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT)
        *deadline = now + ns;
    else if (op & FUTEX_CLOCK_REALTIME)
        *deadline = now + (ns > realtime_ns() ? ns - realtime_ns() : 0);
    else
        *deadline = ns;
    *deadline = MAX(*deadline, 1ull); /* 0 would mean no deadline */
    return 0;
}

static long do_futex(u64 uaddr, int op, u32 val, bool has_timeout, s64 sec, s64 nsec, u32 val3)
{
    if (uaddr & 3)
        return -EINVAL;
    int cmd = op & FUTEX_CMD_MASK;
    if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
        return -ENOSYS; /* Linux allows the flag on the absolute waits only */
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        if (cmd == FUTEX_WAIT_BITSET && val3 == 0)
            return -EINVAL;
        u64 deadline;
        long err = futex_deadline(op, has_timeout, sec, nsec, &deadline);
        return err ?: futex_wait(uaddr, val, deadline);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        return futex_wake(current_task()->mm, uaddr, (int)MIN(val, 0x7fffffffu));
    default:
        return -ENOSYS;
    }
}

static bool waits(int op) { return (op & FUTEX_CMD_MASK) == FUTEX_WAIT || (op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET; }

long sys_futex(u64 uaddr, int op, u32 val, u64 timeout, u64 uaddr2, u32 val3)
{
    (void)uaddr2;
    struct timespec_k ts = {0, 0};
    if (timeout && waits(op) && copy_from_user(&ts, (const void __user *)timeout, sizeof(ts)))
        return -EFAULT;
    return do_futex(uaddr, op, val, timeout && waits(op), ts.tv_sec, ts.tv_nsec, val3);
}

/* i386's futex: a timeout of two 32-bit words (futex_time64 is sys_futex). */
long compat_sys_futex(u32 uaddr, int op, u32 val, u32 timeout, u32 uaddr2, u32 val3)
{
    (void)uaddr2;
    s32 ts[2] = {0, 0};
    if (timeout && waits(op) && copy_from_user(ts, (const void __user *)(u64)timeout, sizeof(ts)))
        return -EFAULT;
    return do_futex(uaddr, op, val, timeout && waits(op), ts[0], ts[1], val3);
}
