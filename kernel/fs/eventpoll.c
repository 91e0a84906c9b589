/*
 * epoll, Linux's design. An instance keeps its items (one per watched file
 * and descriptor) and a ready list. Adding an item asks the file's poll with
 * an epoll table, whose queue callback hangs a wait entry of the item on each
 * queue the file announces changes on; when such a queue is woken, the
 * entry's wake function puts the item on the ready list and wakes the
 * instance's waiters, so epoll_wait looks only at items that may have
 * changed, never at all of them. epoll_wait asks each ready item's file for
 * its events (without a table) and reports those the item wants; a
 * level-triggered item goes back on the list to be asked again next time,
 * an edge-triggered one waits for the next wake-up, a one-shot one is
 * disabled until EPOLL_CTL_MOD.
 *
 * An item does not hold its file: it goes when the file is released (the
 * last reference, not the descriptor's close), through
 * eventpoll_release_file, or with its instance, or by EPOLL_CTL_DEL.
 *
 * Locks: the instance's lock guards its items and ready list; a wake
 * function runs under the woken queue's lock and takes the instance's. The
 * files' poll operations are called without the instance's lock.
 */
#include "anon_inodes.h"
#include "apic.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "time.h"
#include "uaccess.h"

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLRDNORM 0x040
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
/* Bits that steer the item rather than name events. */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLEXCLUSIVE_OK_BITS (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC O_CLOEXEC

/* Linux's limit on epoll instances inside epoll instances. */
#define EP_MAX_NESTS 4
/* Queues one file announces its events on (a pipe end: two). */
#define EP_ITEM_QUEUES 2
#define INT_MAX 0x7fffffff
/* Events reported per pass: copied out in batches of this many. */
#define EP_BATCH 32

/* Packed on x86, so 12 bytes in both ABIs. */
struct epoll_event {
    u32 events;
    u64 data;
} __attribute__((packed));

#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))

struct epitem;

struct ep_wait {
    struct wait_entry wait; /* first: the wake function gets this */
    struct wait_queue *queue;
    struct epitem *item;
};

struct epitem {
    struct eventpoll *ep;
    struct file *file; /* not held: the item goes when the file is released */
    int fd;
    u32 events;        /* wanted, with the private bits; none but those: disabled (one-shot) */
    u64 data;
    struct epitem *next;       /* the instance's items */
    struct epitem *file_next;  /* the items watching file (file->epitems) */
    struct epitem *ready_next;
    bool ready;                /* on the instance's ready list */
    int nwaits;
    struct ep_wait waits[EP_ITEM_QUEUES];
};

struct eventpoll {
    struct spinlock lock; /* items, the ready list */
    struct epitem *items;
    struct epitem *ready_head, *ready_tail;
    struct wait_queue waiters;      /* epoll_wait's callers, exclusive */
    struct wait_queue poll_waiters; /* poll, select and other instances watching this one */
    struct file *file;
};

/* The table a file's poll sees when an item is added: collects the queues. */
struct ep_queue_table {
    struct poll_table pt;
    struct epitem *item;
};

static const struct file_ops eventpoll_ops;

bool file_is_epoll(const struct file *f) { return f->ops == &eventpoll_ops; }

/* Under ep->lock. */
static void ready_add(struct eventpoll *ep, struct epitem *item)
{
    if (item->ready)
        return;
    item->ready = true;
    item->ready_next = NULL;
    if (ep->ready_tail)
        ep->ready_tail->ready_next = item;
    else
        ep->ready_head = item;
    ep->ready_tail = item;
}

/* Under ep->lock. */
static void ready_remove(struct eventpoll *ep, struct epitem *item)
{
    if (!item->ready)
        return;
    struct epitem *prev = NULL;
    for (struct epitem *i = ep->ready_head; i; prev = i, i = i->ready_next) {
        if (i != item)
            continue;
        if (prev)
            prev->ready_next = i->ready_next;
        else
            ep->ready_head = i->ready_next;
        if (ep->ready_tail == i)
            ep->ready_tail = prev;
        break;
    }
    item->ready = false;
}

/* A watched queue was woken: the item may be ready. Runs under that queue's
 * lock with interrupts off. */
static bool ep_item_wake(struct wait_entry *entry)
{
    struct ep_wait *w = (struct ep_wait *)entry;
    struct epitem *item = w->item;
    struct eventpoll *ep = item->ep;
    spin_lock(&ep->lock);
    bool enabled = item->events & ~EP_PRIVATE_BITS;
    if (enabled)
        ready_add(ep, item);
    spin_unlock(&ep->lock);
    if (!enabled)
        return false;
    /* EPOLLEXCLUSIVE counts as a woken waiter only if it woke one. */
    int woken = wake_up_nr(&ep->waiters, 1);
    wake_up_all(&ep->poll_waiters);
    return entry->exclusive ? woken > 0 : false;
}

static void ep_queue_proc(struct file *f, struct wait_queue *q, struct poll_table *table)
{
    (void)f;
    struct epitem *item = ((struct ep_queue_table *)table)->item;
    if (item->nwaits == EP_ITEM_QUEUES)
        return;
    struct ep_wait *w = &item->waits[item->nwaits++];
    wait_entry_init(&w->wait, NULL);
    w->wait.wake = ep_item_wake;
    w->wait.exclusive = item->events & EPOLLEXCLUSIVE;
    w->queue = q;
    w->item = item;
    wait_queue_add(q, &w->wait);
}

static unsigned file_poll(struct file *f, struct poll_table *table)
{
    return f->ops && f->ops->poll ? f->ops->poll(f, table) : 0;
}

/* The events of the item's file it wants now (0 for a disabled one). */
static u32 item_events(struct epitem *item)
{
    u32 wanted = item->events & ~EP_PRIVATE_BITS;
    if (!wanted)
        return 0;
    return file_poll(item->file, NULL) & wanted;
}

/* Unhooks and frees an item. Under nothing: takes the locks it needs. */
static void item_free(struct epitem *item)
{
    struct eventpoll *ep = item->ep;
    for (int i = 0; i < item->nwaits; i++)
        wait_queue_remove(item->waits[i].queue, &item->waits[i].wait);
    u64 flags = spin_lock_irqsave(&ep->lock);
    ready_remove(ep, item);
    for (struct epitem **link = &ep->items; *link; link = &(*link)->next)
        if (*link == item) {
            *link = item->next;
            break;
        }
    for (struct epitem **link = &item->file->epitems; *link; link = &(*link)->file_next)
        if (*link == item) {
            *link = item->file_next;
            break;
        }
    spin_unlock_irqrestore(&ep->lock, flags);
    kfree(item);
}

void eventpoll_release_file(struct file *f)
{
    while (f->epitems)
        item_free(f->epitems);
}

static struct epitem *item_find(struct eventpoll *ep, struct file *f, int fd)
{
    for (struct epitem *i = ep->items; i; i = i->next)
        if (i->file == f && i->fd == fd)
            return i;
    return NULL;
}

/* The deepest chain of instances below ep (0: it watches none); INT_MAX
 * when `target` is among them (a loop). */
static int depth_below(struct eventpoll *ep, struct eventpoll *target, int depth)
{
    if (depth > EP_MAX_NESTS)
        return INT_MAX;
    int deepest = 0;
    for (struct epitem *i = ep->items; i; i = i->next) {
        if (!file_is_epoll(i->file))
            continue;
        struct eventpoll *child = i->file->private;
        int d = child == target ? INT_MAX : depth_below(child, target, depth + 1);
        if (d == INT_MAX)
            return INT_MAX;
        deepest = MAX(deepest, d + 1);
    }
    return deepest;
}

/* The deepest chain of instances above ep (0: none watches it). */
static int depth_above(struct eventpoll *ep, int depth)
{
    if (depth > EP_MAX_NESTS)
        return depth;
    int deepest = 0;
    for (struct epitem *i = ep->file->epitems; i; i = i->file_next)
        deepest = MAX(deepest, depth_above(i->ep, depth + 1) + 1);
    return deepest;
}

/* Adding `target` into ep: a loop or more than EP_MAX_NESTS levels is ELOOP. */
static bool nesting_too_deep(struct eventpoll *ep, struct eventpoll *target)
{
    int below = depth_below(target, ep, 0);
    if (below == INT_MAX || below > EP_MAX_NESTS)
        return true;
    return below + 1 + depth_above(ep, 0) > EP_MAX_NESTS;
}

static long item_insert(struct eventpoll *ep, struct file *f, int fd, const struct epoll_event *ev)
{
    struct epitem *item = kzalloc(sizeof(*item));
    if (!item)
        return -ENOMEM;
    item->ep = ep;
    item->file = f;
    item->fd = fd;
    item->events = ev->events | EPOLLERR | EPOLLHUP;
    item->data = ev->data;
    u64 flags = spin_lock_irqsave(&ep->lock);
    item->next = ep->items;
    ep->items = item;
    item->file_next = f->epitems;
    f->epitems = item;
    spin_unlock_irqrestore(&ep->lock, flags);
    struct ep_queue_table table = {{ep_queue_proc}, item};
    unsigned events = file_poll(f, &table.pt) & item->events;
    if (events) {
        flags = spin_lock_irqsave(&ep->lock);
        ready_add(ep, item);
        spin_unlock_irqrestore(&ep->lock, flags);
        wake_up_nr(&ep->waiters, 1);
        wake_up_all(&ep->poll_waiters);
    }
    return 0;
}

static long item_modify(struct eventpoll *ep, struct epitem *item, const struct epoll_event *ev)
{
    u64 flags = spin_lock_irqsave(&ep->lock);
    item->events = ev->events | EPOLLERR | EPOLLHUP;
    item->data = ev->data;
    spin_unlock_irqrestore(&ep->lock, flags);
    if (item_events(item)) {
        flags = spin_lock_irqsave(&ep->lock);
        ready_add(ep, item);
        spin_unlock_irqrestore(&ep->lock, flags);
        wake_up_nr(&ep->waiters, 1);
        wake_up_all(&ep->poll_waiters);
    }
    return 0;
}

static long epoll_ctl(int epfd, int op, int fd, const struct epoll_event *ev)
{
    struct file *f = fdget(epfd);
    if (!f)
        return -EBADF;
    long err = -EBADF;
    struct file *target = fdget(fd);
    if (!target)
        goto out;
    err = -EPERM;
    if (!target->ops || !target->ops->poll)
        goto out;
    err = -EINVAL;
    if (f == target || !file_is_epoll(f))
        goto out;
    if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE)) {
        if (op == EPOLL_CTL_MOD)
            goto out;
        if (op == EPOLL_CTL_ADD && (file_is_epoll(target) || (ev->events & ~EPOLLEXCLUSIVE_OK_BITS)))
            goto out;
    }
    struct eventpoll *ep = f->private;
    if (op == EPOLL_CTL_ADD && file_is_epoll(target) && nesting_too_deep(ep, target->private)) {
        err = -ELOOP;
        goto out;
    }
    struct epitem *item = item_find(ep, target, fd);
    err = -EINVAL;
    switch (op) {
    case EPOLL_CTL_ADD:
        err = item ? -EEXIST : item_insert(ep, target, fd, ev);
        break;
    case EPOLL_CTL_DEL:
        if (item)
            item_free(item), err = 0;
        else
            err = -ENOENT;
        break;
    case EPOLL_CTL_MOD:
        if (!item)
            err = -ENOENT;
        else if (!(item->events & EPOLLEXCLUSIVE))
            err = item_modify(ep, item, ev);
        break;
    }
out:
    fdput(target);
    fdput(f);
    return err;
}

long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event __user *uevent)
{
    struct epoll_event ev = {0, 0};
    if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uevent, sizeof(ev)))
        return -EFAULT;
    return epoll_ctl(epfd, op, fd, &ev);
}

/* Takes up to `max` events off the ready list into out[]; level-triggered
 * items go back on it. */
static int collect_events(struct eventpoll *ep, struct epoll_event *out, int max)
{
    u64 flags = spin_lock_irqsave(&ep->lock);
    struct epitem *list = ep->ready_head;
    ep->ready_head = ep->ready_tail = NULL;
    for (struct epitem *i = list; i; i = i->ready_next)
        i->ready = false;
    spin_unlock_irqrestore(&ep->lock, flags);
    /* The files' poll runs without the instance's lock; nothing here
     * sleeps, and the kernel is not preempted, so no item goes meanwhile. */
    int count = 0;
    struct epitem *again = NULL, **again_tail = &again, *left = NULL;
    for (struct epitem *i = list, *next; i; i = next) {
        next = i->ready_next;
        i->ready_next = NULL;
        if (count == max) {
            left = i;
            i->ready_next = next;
            break;
        }
        u32 events = item_events(i);
        if (!events)
            continue;
        out[count++] = (struct epoll_event){events, i->data};
        if (i->events & EPOLLONESHOT)
            i->events &= EP_PRIVATE_BITS;
        else if (!(i->events & EPOLLET))
            *again_tail = i, again_tail = &i->ready_next;
    }
    flags = spin_lock_irqsave(&ep->lock);
    /* The unexamined ones first, in their order, then the level-triggered. */
    struct epitem *requeue[2] = {left, again};
    for (int r = 0; r < 2; r++)
        for (struct epitem *i = requeue[r], *next; i; i = next) {
            next = i->ready_next;
            ready_add(ep, i);
        }
    spin_unlock_irqrestore(&ep->lock, flags);
    return count;
}

/* timeout_ns: 0 forever, -1 not at all, else nanoseconds (poll_timed's convention). */
static long epoll_wait_ns(int epfd, struct epoll_event __user *uevents, int maxevents, s64 timeout_ns)
{
    if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
        return -EINVAL;
    if (!user_range_ok((u64)uevents, (u64)maxevents * sizeof(struct epoll_event)))
        return -EFAULT;
    struct file *f = fdget(epfd);
    if (!f)
        return -EBADF;
    if (!file_is_epoll(f)) {
        fdput(f);
        return -EINVAL;
    }
    struct eventpoll *ep = f->private;
    u64 deadline = timeout_ns > 0 ? monotonic_ns() + (u64)timeout_ns : WAIT_NO_DEADLINE;
    struct epoll_event batch[EP_BATCH];
    long result;
    for (;;) {
        int count = collect_events(ep, batch, MIN(maxevents, EP_BATCH));
        if (count) {
            result = copy_to_user(uevents, batch, count * sizeof(batch[0])) ? -EFAULT : count;
            break;
        }
        if (timeout_ns < 0) {
            result = 0;
            break;
        }
        u64 flags = spin_lock_irqsave(&ep->lock);
        int err = ep->ready_head ? 0 : wait_sleep_exclusive(&ep->waiters, &ep->lock, deadline);
        spin_unlock_irqrestore(&ep->lock, flags);
        if (err == -ETIMEDOUT) {
            timeout_ns = -1; /* one last look */
            continue;
        }
        if (err) {
            result = -EINTR;
            break;
        }
    }
    fdput(f);
    return result;
}

static unsigned eventpoll_poll(struct file *f, struct poll_table *table)
{
    struct eventpoll *ep = f->private;
    poll_wait(f, &ep->poll_waiters, table);
    /* Only the ready list may hold items with events; they stay on it. */
    for (struct epitem *i = ep->ready_head; i; i = i->ready_next)
        if (item_events(i))
            return POLLIN | POLLRDNORM;
    return 0;
}

static void eventpoll_release(struct file *f)
{
    struct eventpoll *ep = f->private;
    while (ep->items)
        item_free(ep->items);
    kfree(ep);
}

static const struct file_ops eventpoll_ops = {
    .poll = eventpoll_poll,
    .release = eventpoll_release,
    .stream = true,
};

long sys_epoll_create1(int flags)
{
    if (flags & ~EPOLL_CLOEXEC)
        return -EINVAL;
    struct eventpoll *ep = kzalloc(sizeof(*ep));
    if (!ep)
        return -ENOMEM;
    struct file *f = anon_inode_getfile("[eventpoll]", &eventpoll_ops, ep, O_RDWR);
    if (!f) {
        kfree(ep);
        return -ENFILE;
    }
    ep->file = f;
    int fd = fd_install(f, 0, flags & EPOLL_CLOEXEC);
    if (fd < 0)
        file_put(f); /* releases ep */
    return fd;
}

long sys_epoll_create(int size)
{
    if (size <= 0)
        return -EINVAL;
    return sys_epoll_create1(0);
}

long sys_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, int timeout_ms)
{
    return epoll_wait_ns(epfd, events, maxevents,
                         timeout_ms < 0 ? 0 : timeout_ms == 0 ? -1 : (s64)timeout_ms * 1000000);
}

struct epoll_wait_args {
    int epfd;
    struct epoll_event __user *events;
    int maxevents;
    s64 timeout_ns;
};

static long epoll_wait_call(void *arg)
{
    struct epoll_wait_args *a = arg;
    return epoll_wait_ns(a->epfd, a->events, a->maxevents, a->timeout_ns);
}

long epoll_pwait_ns(int epfd, struct epoll_event __user *events, int maxevents, s64 timeout_ns,
                    const u64 __user *sigmask, u64 sigsetsize)
{
    struct epoll_wait_args a = {epfd, events, maxevents, timeout_ns};
    return poll_with_sigmask(sigmask, sigsetsize, epoll_wait_call, &a);
}

long sys_epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, int timeout_ms,
                     const u64 __user *sigmask, u64 sigsetsize)
{
    return epoll_pwait_ns(epfd, events, maxevents, timeout_ms < 0 ? 0 : timeout_ms == 0 ? -1 : (s64)timeout_ms * 1000000,
                          sigmask, sigsetsize);
}

long sys_epoll_pwait2(int epfd, struct epoll_event __user *events, int maxevents,
                      const struct timespec_k __user *timeout, const u64 __user *sigmask, u64 sigsetsize)
{
    s64 ns = 0;
    if (timeout) {
        struct timespec_k ts;
        if (copy_from_user(&ts, timeout, sizeof(ts)))
            return -EFAULT;
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
            return -EINVAL;
        ns = ts.tv_sec * 1000000000ll + ts.tv_nsec;
        if (ns == 0)
            ns = -1;
    }
    return epoll_pwait_ns(epfd, events, maxevents, ns, sigmask, sigsetsize);
}
