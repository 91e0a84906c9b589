/*
 * flock(2): advisory whole-file locks that belong to an open file
 * description (shared by its dup()s and fork()s), as on Linux: any number of
 * shared holders or one exclusive one; a conflicting request waits, or fails
 * with EWOULDBLOCK under LOCK_NB; changing a lock's kind drops it first; the
 * last close of the description releases it. Waiters sleep on the inode's
 * queue, with interrupts off guarding the holder list.
 */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "x86.h"

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define LOCK_MAND 32

struct flock_holder {
    struct file *file;
    bool exclusive;
    struct flock_holder *next;
};

static struct flock_holder **holder_link(struct inode *inode, struct file *f)
{
    struct flock_holder **link = &inode->flocks;
    while (*link && (*link)->file != f)
        link = &(*link)->next;
    return link;
}

static void unlock(struct file *f)
{
    struct flock_holder **link = holder_link(f->inode, f);
    if (*link) {
        struct flock_holder *h = *link;
        *link = h->next;
        kfree(h);
        wake_up_all(&f->inode->flock_waiters);
    }
}

static bool conflicts(struct inode *inode, struct file *f, bool exclusive)
{
    for (struct flock_holder *h = inode->flocks; h; h = h->next)
        if (h->file != f && (exclusive || h->exclusive))
            return true;
    return false;
}

static long flock_file(struct file *f, unsigned op)
{
    if (op & LOCK_MAND)
        return 0; /* Linux ignores the long-broken mandatory flocks, successfully */
    unsigned kind = op & ~LOCK_NB;
    if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN)
        return -EINVAL;
    u64 flags = irq_save();
    struct flock_holder **link = holder_link(f->inode, f);
    if (kind == LOCK_UN || (*link && (*link)->exclusive != (kind == LOCK_EX)))
        unlock(f);
    if (kind == LOCK_UN || *holder_link(f->inode, f)) {
        irq_restore(flags);
        return 0; /* unlocked, or already held as asked */
    }
    struct flock_holder *h = kzalloc(sizeof(*h));
    if (!h) {
        irq_restore(flags);
        return -ENOLCK;
    }
    while (conflicts(f->inode, f, kind == LOCK_EX)) {
        int err = (op & LOCK_NB) ? -EWOULDBLOCK : wait_sleep(&f->inode->flock_waiters, NULL, WAIT_NO_DEADLINE);
        if (err) {
            kfree(h);
            irq_restore(flags);
            return err;
        }
    }
    *h = (struct flock_holder){f, kind == LOCK_EX, f->inode->flocks};
    f->inode->flocks = h;
    irq_restore(flags);
    return 0;
}

/* The call's reference keeps f alive while it waits, even if another thread
 * closes the descriptor. */
long sys_flock(int fd, unsigned op)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long err = flock_file(f, op);
    fdput(f);
    return err;
}

void flock_release(struct file *f)
{
    u64 flags = irq_save();
    unlock(f);
    irq_restore(flags);
}
