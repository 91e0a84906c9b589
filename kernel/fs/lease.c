/*
 * Leases (F_SETLEASE, F_GETLEASE) on regular files, as Linux's fs/locks.c.
 *
 * A lease belongs to an open file. An open by anyone that conflicts with it
 * (a write open with any lease, any open with a write lease) breaks it: the
 * holder's owner gets SIGIO (or its F_SETSIG signal, si_code POLL_MSG) and
 * the opener sleeps until the holder unlocks, or downgrades a write lease to
 * a read lease for a reader, or the break time passes and the kernel does it
 * for the holder. F_GETLEASE during a break shows the type the break wants.
 * truncate(2) breaks leases as a write open does, waiting whatever O_NONBLOCK
 * (Linux's vfs_truncate); ftruncate needs a writable descriptor, whose open
 * broke them already.
 */
#include "apic.h" /* monotonic_ns */
#include "cred.h"
#include "errno.h"
#include "fasync.h"
#include "fcntl.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "spinlock.h"
#include "time.h"
#include "wait.h"

#define LEASE_BREAK_SECONDS 45 /* Linux's /proc/sys/fs/lease-break-time */

enum lease_break { LEASE_UNBROKEN, LEASE_DOWNGRADING, LEASE_UNLOCKING };

struct lease {
    struct lease *next;
    struct file *file; /* the holder */
    int type;          /* F_RDLCK or F_WRLCK */
    int fd;            /* the descriptor F_SETLEASE came through: the break signal's si_fd */
    enum lease_break breaking;
    u64 break_deadline; /* CLOCK_MONOTONIC ns when the kernel finishes the break itself */
};

static struct spinlock lease_lock;
static struct wait_queue lease_changed; /* openers waiting for a break to finish */

static bool is_writer(u32 flags) { return (flags & O_ACCMODE) != O_RDONLY; }

static bool counted(const struct file *f) { return S_ISREG(f->inode->mode) && !(f->flags & O_PATH); }

void lease_file_opened(struct file *f)
{
    if (!counted(f))
        return;
    u64 flags = spin_lock_irqsave(&lease_lock);
    if (is_writer(f->flags))
        f->inode->open_writers++;
    else
        f->inode->open_readers++;
    spin_unlock_irqrestore(&lease_lock, flags);
}

static bool conflicts(const struct lease *l, bool want_write) { return want_write || l->type == F_WRLCK; }

/* What F_GETLEASE shows: where a break is taking the lease. */
static int target_type(const struct lease *l)
{
    if (l->breaking == LEASE_UNLOCKING)
        return F_UNLCK;
    return l->breaking == LEASE_DOWNGRADING ? F_RDLCK : l->type;
}

static void remove_locked(struct inode *inode, struct lease *victim)
{
    for (struct lease **link = &inode->leases; *link; link = &(*link)->next)
        if (*link == victim) {
            *link = victim->next;
            fasync_drop_owner(victim->file);
            kfree(victim);
            break;
        }
    wake_up_all(&lease_changed);
}

/* Breaks whose time has passed are finished as the holder should have. */
static void time_out_locked(struct inode *inode)
{
    u64 now = monotonic_ns();
    struct lease *next;
    for (struct lease *l = inode->leases; l; l = next) {
        next = l->next;
        if (l->breaking == LEASE_UNBROKEN || now < l->break_deadline)
            continue;
        if (l->breaking == LEASE_UNLOCKING) {
            remove_locked(inode, l);
        } else {
            l->type = F_RDLCK;
            l->breaking = LEASE_UNBROKEN;
            wake_up_all(&lease_changed);
        }
    }
}

/* The earliest deadline among the leases that still conflict; 0 when none does. */
static u64 conflicting_deadline(struct inode *inode, bool want_write)
{
    u64 deadline = 0;
    for (struct lease *l = inode->leases; l; l = l->next)
        if (conflicts(l, want_write) && (!deadline || l->break_deadline < deadline))
            deadline = l->break_deadline;
    return deadline;
}

/* Linux's __break_lease, under lease_lock (dropped while it sleeps). */
static int break_locked(struct inode *inode, bool want_write, bool nonblocking)
{
    time_out_locked(inode);
    bool any = false;
    for (struct lease *l = inode->leases; l; l = l->next) {
        if (!conflicts(l, want_write))
            continue;
        any = true;
        enum lease_break wanted = want_write ? LEASE_UNLOCKING : LEASE_DOWNGRADING;
        if (l->breaking >= wanted)
            continue; /* already told */
        l->breaking = wanted;
        l->break_deadline = monotonic_ns() + LEASE_BREAK_SECONDS * NSEC_PER_SEC;
        fasync_signal(l->file, l->fd, POLL_MSG);
    }
    int err = 0;
    if (any && nonblocking)
        err = -EWOULDBLOCK;
    u64 deadline;
    while (!err && any && (deadline = conflicting_deadline(inode, want_write))) {
        err = wait_sleep(&lease_changed, &lease_lock, deadline);
        if (err == -ETIMEDOUT) {
            time_out_locked(inode);
            err = 0;
        }
    }
    return err;
}

int lease_break_for_open(struct file *f)
{
    if (!counted(f))
        return 0;
    u64 flags = spin_lock_irqsave(&lease_lock);
    int err = break_locked(f->inode, is_writer(f->flags), f->flags & O_NONBLOCK);
    spin_unlock_irqrestore(&lease_lock, flags);
    return err;
}

int lease_break_for_truncate(struct inode *inode)
{
    if (!S_ISREG(inode->mode))
        return 0;
    u64 flags = spin_lock_irqsave(&lease_lock);
    /* A writer while it waits, as Linux's get_write_access: no read lease meanwhile. */
    inode->open_writers++;
    int err = break_locked(inode, true, false);
    inode->open_writers--;
    spin_unlock_irqrestore(&lease_lock, flags);
    return err;
}

/* Linux's check_conflicting_open: a read lease wants no writer anywhere, a
 * write lease no other open at all. */
static bool open_elsewhere(const struct file *f, int type)
{
    const struct inode *inode = f->inode;
    if (type == F_RDLCK)
        return inode->open_writers > 0;
    u32 my_writers = is_writer(f->flags) ? 1 : 0;
    return inode->open_writers != my_writers || inode->open_readers != 1 - my_writers;
}

static long set_lease(struct file *f, int fd, int type)
{
    struct inode *inode = f->inode;
    if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK)
        return -EINVAL;
    if (current_cred()->fsuid != inode->uid && !capable(CAP_LEASE))
        return -EACCES;
    if (!S_ISREG(inode->mode))
        return -EINVAL;
    if (type != F_UNLCK) {
        int err = fasync_claim_owner(f);
        if (err)
            return err;
    }
    u64 flags = spin_lock_irqsave(&lease_lock);
    struct lease *mine = NULL;
    long err = 0;
    for (struct lease *l = inode->leases; l; l = l->next) {
        if (l->file == f)
            mine = l;
        else if (type == F_WRLCK || l->breaking == LEASE_UNLOCKING)
            err = -EAGAIN; /* someone else's lease, or an open for writing waiting */
    }
    if (type == F_UNLCK) {
        if (mine)
            remove_locked(inode, mine);
        spin_unlock_irqrestore(&lease_lock, flags);
        return mine ? 0 : -EAGAIN;
    }
    if (!err && open_elsewhere(f, type))
        err = -EAGAIN;
    if (!err && !mine) {
        mine = kzalloc(sizeof(*mine));
        if (mine) {
            mine->file = f;
            mine->next = inode->leases;
            inode->leases = mine;
        } else {
            err = -ENOMEM;
        }
    }
    if (!err) {
        mine->type = type;
        mine->fd = fd;
        if (mine->breaking == LEASE_DOWNGRADING)
            mine->breaking = LEASE_UNBROKEN; /* a read lease is what the break wanted */
        wake_up_all(&lease_changed);
    }
    spin_unlock_irqrestore(&lease_lock, flags);
    return err;
}

static long get_lease(struct file *f)
{
    u64 flags = spin_lock_irqsave(&lease_lock);
    time_out_locked(f->inode);
    int type = F_UNLCK;
    for (struct lease *l = f->inode->leases; l; l = l->next)
        if (l->file == f)
            type = target_type(l);
    spin_unlock_irqrestore(&lease_lock, flags);
    return type;
}

long lease_fcntl(struct file *f, int fd, unsigned cmd, u64 arg)
{
    return cmd == F_GETLEASE ? get_lease(f) : set_lease(f, fd, (int)arg);
}

void lease_file_closed(struct file *f)
{
    if (!counted(f))
        return;
    struct inode *inode = f->inode;
    u64 flags = spin_lock_irqsave(&lease_lock);
    if (is_writer(f->flags))
        inode->open_writers--;
    else
        inode->open_readers--;
    for (struct lease *l = inode->leases; l; l = l->next)
        if (l->file == f) {
            remove_locked(inode, l);
            break;
        }
    spin_unlock_irqrestore(&lease_lock, flags);
}
