/*
 * eventfd: a 64-bit counter as a file (Linux's semantics). A write adds to
 * it, waiting while the sum would reach 2^64 - 1; a read takes all of it
 * (or one, with EFD_SEMAPHORE), waiting while it is zero. Readers, writers,
 * poll and epoll all wait on the one queue, woken on every change.
 */
#include "anon_inodes.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "uaccess.h"

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK
#define EFD_FLAGS (EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)
#define EVENTFD_MAX ((u64)-1) /* reached only as an error: writes stop one below */

struct eventfd {
    struct spinlock lock; /* count */
    u64 count;
    bool semaphore;
    struct wait_queue wait;
};

static ssize_t eventfd_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct eventfd *e = f->private;
    if (len < sizeof(u64))
        return -EINVAL;
    u64 flags = spin_lock_irqsave(&e->lock);
    while (e->count == 0) {
        if (f->flags & O_NONBLOCK) {
            spin_unlock_irqrestore(&e->lock, flags);
            return -EAGAIN;
        }
        int err = wait_sleep(&e->wait, &e->lock, WAIT_NO_DEADLINE);
        if (err) {
            spin_unlock_irqrestore(&e->lock, flags);
            return err;
        }
    }
    u64 value = e->semaphore ? 1 : e->count;
    e->count -= value;
    spin_unlock_irqrestore(&e->lock, flags);
    wake_up_all(&e->wait);
    /* As on Linux, the value is consumed even if it cannot be handed over. */
    if (copy_to_user(buf, &value, sizeof(value)))
        return -EFAULT;
    return sizeof(value);
}

static ssize_t eventfd_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct eventfd *e = f->private;
    u64 value;
    if (len < sizeof(value))
        return -EINVAL;
    if (copy_from_user(&value, buf, sizeof(value)))
        return -EFAULT;
    if (value == EVENTFD_MAX)
        return -EINVAL;
    u64 flags = spin_lock_irqsave(&e->lock);
    while (EVENTFD_MAX - e->count <= value) {
        if (f->flags & O_NONBLOCK) {
            spin_unlock_irqrestore(&e->lock, flags);
            return -EAGAIN;
        }
        int err = wait_sleep(&e->wait, &e->lock, WAIT_NO_DEADLINE);
        if (err) {
            spin_unlock_irqrestore(&e->lock, flags);
            return err;
        }
    }
    e->count += value;
    spin_unlock_irqrestore(&e->lock, flags);
    if (value)
        wake_up_all(&e->wait);
    return sizeof(value);
}

static unsigned eventfd_poll(struct file *f, struct poll_table *table)
{
    struct eventfd *e = f->private;
    poll_wait(f, &e->wait, table);
    u64 count = __atomic_load_n(&e->count, __ATOMIC_RELAXED);
    unsigned events = 0;
    if (count > 0)
        events |= POLLIN | POLLRDNORM;
    if (count == EVENTFD_MAX)
        events |= POLLERR;
    if (EVENTFD_MAX - 1 > count)
        events |= POLLOUT | POLLWRNORM;
    return events;
}

/* Linux's noop_llseek: anonymous files accept a seek and stay where they are. */
s64 anon_noop_llseek(struct file *f, s64 offset, unsigned whence)
{
    (void)offset, (void)whence;
    return (s64)f->pos;
}

static void eventfd_release(struct file *f) { kfree(f->private); }

static const struct file_ops eventfd_ops = {
    .read = eventfd_read,
    .write = eventfd_write,
    .poll = eventfd_poll,
    .release = eventfd_release,
    .llseek = anon_noop_llseek,
};

long sys_eventfd2(unsigned count, int flags)
{
    if (flags & ~EFD_FLAGS)
        return -EINVAL;
    struct eventfd *e = kzalloc(sizeof(*e));
    if (!e)
        return -ENOMEM;
    e->count = count;
    e->semaphore = flags & EFD_SEMAPHORE;
    int fd = anon_inode_getfd("[eventfd]", &eventfd_ops, e, O_RDWR | (flags & (EFD_NONBLOCK | EFD_CLOEXEC)));
    if (fd < 0)
        kfree(e);
    return fd;
}

long sys_eventfd(unsigned count) { return sys_eventfd2(count, 0); }
