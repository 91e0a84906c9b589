/*
 * futex: FUTEX_WAIT sleeps while the word at an address holds the expected
 * value; FUTEX_WAKE wakes sleepers on that word. A waiter is identified by its
 * address space and user address (private and shared futexes alike, since
 * shared memory between processes is only anonymous MAP_SHARED for now).
 */
#include "errno.h"
#include "futex.h"
#include "lib.h"
#include "proc.h"
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
            wake_up(w);
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

static long futex_wait(u64 uaddr, u32 expected)
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
        err = sleep_on(&me);
    for (struct futex_waiter **link = &waiters; *link; link = &(*link)->next) {
        if (*link == &me) {
            *link = me.next;
            break;
        }
    }
    irq_restore(flags);
    return err;
}

long sys_futex(u64 uaddr, int op, u32 val, u64 timeout, u64 uaddr2, u32 val3)
{
    (void)uaddr2;
    if (uaddr & 3)
        return -EINVAL;
    switch (op & FUTEX_CMD_MASK) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        if (timeout)
            return -ENOSYS; /* timed waits come with the timer queue */
        if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET && val3 == 0)
            return -EINVAL;
        return futex_wait(uaddr, val);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        return futex_wake(current_task()->mm, uaddr, (int)MIN(val, 0x7fffffffu));
    default:
        return -ENOSYS;
    }
}
