/*
 * POSIX record locks (fcntl F_GETLK/F_SETLK/F_SETLKW) and open file
 * description locks (F_OFD_*), with Linux's semantics. A lock covers a
 * byte range [start, end] of an inode and belongs to an owner: for POSIX
 * locks the process's descriptor table (so threads share them, and any
 * close of any descriptor of the file by the process releases them all);
 * for OFD locks the open file itself (released when its last reference
 * goes). An owner's locks never overlap: setting one replaces, splits or
 * merges what the owner held in that range. Locks of different owners
 * conflict when they overlap and one is a write lock. A blocked F_SETLKW
 * sleeps on the inode's queue, woken by every unlock, after checking that
 * the owners it waits for are not, through a chain, waiting for it
 * (EDEADLK, POSIX locks only).
 */
#include "compat.h"
#include "errno.h"
#include "fcntl.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "posix_lock.h"
#include "proc.h"
#include "spinlock.h"
#include "uaccess.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define OFFSET_MAX 0x7fffffffffffffffll
#define DEADLOCK_CHAIN_MAX 10 /* Linux's MAX_DEADLK_ITERATIONS */

struct file_lock {
    struct file_lock *next;
    const void *owner; /* a struct files (POSIX) or a struct file (OFD) */
    bool ofd;
    pid_t pid;         /* what F_GETLK reports: the POSIX owner's process, -1 for OFD */
    short type;
    s64 start, end;    /* inclusive; end OFFSET_MAX: to the end of the file, however far */
};

/* A blocked F_SETLKW: who waits, and for whom (the deadlock check's graph). */
struct lock_waiter {
    struct lock_waiter *next;
    const void *owner, *blocker;
};

static struct spinlock locks_lock; /* every inode's lock list, and the waiters */
static struct lock_waiter *waiters;

/* The lock a request is, in the kernel's form. */
struct lock_request {
    short type;
    s64 start, end;
};

static bool overlap(const struct file_lock *l, s64 start, s64 end) { return l->start <= end && start <= l->end; }

static bool same_owner(const struct file_lock *l, const void *owner, bool ofd)
{
    return l->owner == owner && l->ofd == ofd;
}

static struct file_lock *first_conflict(struct inode *inode, const void *owner, bool ofd, const struct lock_request *r)
{
    for (struct file_lock *l = inode->posix_locks; l; l = l->next)
        if (!same_owner(l, owner, ofd) && overlap(l, r->start, r->end) && (l->type == F_WRLCK || r->type == F_WRLCK))
            return l;
    return NULL;
}

/* Whether `blocker` waits, through a chain of waiting owners, for `owner`. */
static bool would_deadlock(const void *owner, const void *blocker)
{
    for (int i = 0; i < DEADLOCK_CHAIN_MAX && blocker; i++) {
        if (blocker == owner)
            return true;
        const void *next = NULL;
        for (struct lock_waiter *w = waiters; w; w = w->next)
            if (w->owner == blocker)
                next = w->blocker;
        blocker = next;
    }
    return false;
}

static struct file_lock *lock_new(const void *owner, bool ofd, pid_t pid, short type, s64 start, s64 end)
{
    struct file_lock *l = kmalloc(sizeof(*l));
    if (l)
        *l = (struct file_lock){.owner = owner, .ofd = ofd, .pid = pid, .type = type, .start = start, .end = end};
    return l;
}

/* One of the two locks set_lock allocated before taking the lock list's lock. */
static struct file_lock *take_spare(struct file_lock **spare)
{
    int i = spare[0] ? 0 : 1;
    struct file_lock *l = spare[i];
    spare[i] = NULL;
    return l;
}

/* Applies a request to the owner's locks: what it covers becomes the new
 * type (nothing for F_UNLCK), the rest of each lock stays, and locks of the
 * same type that touch merge. Uses at most the two spare locks given
 * (taking them: NULL once used), since a lock split in two needs one more. */
static void apply(struct inode *inode, const void *owner, bool ofd, pid_t pid, struct lock_request r,
                  struct file_lock **spare)
{
    for (struct file_lock **link = &inode->posix_locks; *link;) {
        struct file_lock *l = *link;
        bool touches = l->start <= (r.end == OFFSET_MAX ? r.end : r.end + 1) &&
                       (r.start == 0 ? true : r.start - 1 <= l->end);
        if (!same_owner(l, owner, ofd) || !touches) {
            link = &l->next;
            continue;
        }
        if (l->type == r.type && r.type != F_UNLCK) {
            r.start = MIN(r.start, l->start); /* merge */
            r.end = MAX(r.end, l->end);
        } else if (overlap(l, r.start, r.end)) {
            if (l->start < r.start && l->end > r.end) { /* the request splits it */
                struct file_lock *upper = take_spare(spare);
                *upper = *l;
                upper->start = r.end + 1;
                upper->next = l->next;
                l->end = r.start - 1;
                l->next = upper;
                link = &upper->next;
                continue;
            }
            if (l->start < r.start) { /* keeps its lower part */
                l->end = r.start - 1;
                link = &l->next;
                continue;
            }
            if (l->end > r.end) { /* keeps its upper part */
                l->start = r.end + 1;
                link = &l->next;
                continue;
            }
        } else {
            link = &l->next; /* only adjacent, of another type */
            continue;
        }
        *link = l->next; /* merged into the request, or wholly covered */
        kfree(l);
    }
    if (r.type != F_UNLCK) {
        struct file_lock *l = take_spare(spare);
        *l = (struct file_lock){.owner = owner, .ofd = ofd, .pid = pid, .type = r.type, .start = r.start,
                                .end = r.end};
        l->next = inode->posix_locks;
        inode->posix_locks = l;
    }
}

/* The list in order of start: F_GETLK reports the lowest conflicting lock, as Linux's does. */
static void sort_by_start(struct inode *inode)
{
    struct file_lock *sorted = NULL;
    while (inode->posix_locks) {
        struct file_lock *l = inode->posix_locks;
        inode->posix_locks = l->next;
        struct file_lock **link = &sorted;
        while (*link && (*link)->start <= l->start)
            link = &(*link)->next;
        l->next = *link;
        *link = l;
    }
    inode->posix_locks = sorted;
}

/* The byte range of a struct flock, from its whence, start and length, as Linux computes it. */
static int request_from(struct file *f, short type, short whence, s64 start, s64 len, struct lock_request *r)
{
    if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK)
        return -EINVAL;
    s64 base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (s64)f->pos; break;
    case SEEK_END: base = (s64)f->inode->size; break;
    default: return -EINVAL;
    }
    if (__builtin_add_overflow(start, base, &start))
        return -EOVERFLOW;
    if (start < 0)
        return -EINVAL;
    s64 end;
    if (len > 0) {
        if (__builtin_add_overflow(start, len - 1, &end))
            return -EOVERFLOW;
    } else if (len < 0) {
        end = start - 1;
        start += len;
        if (start < 0)
            return -EINVAL;
    } else {
        end = OFFSET_MAX;
    }
    *r = (struct lock_request){.type = type, .start = start, .end = end};
    return 0;
}

/* F_GETLK: the first lock in the way, or F_UNLCK. */
static void test_lock(struct file *f, const void *owner, bool ofd, struct lock_request *r, pid_t *pid)
{
    u64 flags = spin_lock_irqsave(&locks_lock);
    struct file_lock *l = first_conflict(f->inode, owner, ofd, r);
    if (l) {
        *r = (struct lock_request){.type = l->type, .start = l->start, .end = l->end};
        *pid = l->pid;
    } else {
        r->type = F_UNLCK;
    }
    spin_unlock_irqrestore(&locks_lock, flags);
}

static long set_lock(struct file *f, const void *owner, bool ofd, const struct lock_request *r, bool wait)
{
    u32 access = f->flags & O_ACCMODE;
    if ((r->type == F_RDLCK && access == O_WRONLY) || (r->type == F_WRLCK && access == O_RDONLY))
        return -EBADF;
    struct file_lock *spare[2] = {lock_new(owner, ofd, 0, 0, 0, 0), lock_new(owner, ofd, 0, 0, 0, 0)};
    if (!spare[0] || !spare[1]) {
        kfree(spare[0]);
        kfree(spare[1]);
        return -ENOLCK;
    }
    struct inode *inode = f->inode;
    pid_t pid = ofd ? -1 : current_task()->tgid;
    struct lock_waiter me = {.owner = owner};
    long err = 0;
    u64 flags = spin_lock_irqsave(&locks_lock);
    for (;;) {
        struct file_lock *blocker = r->type == F_UNLCK ? NULL : first_conflict(inode, owner, ofd, r);
        if (!blocker)
            break;
        if (!wait) {
            err = -EAGAIN;
            break;
        }
        if (!ofd && !blocker->ofd && would_deadlock(owner, blocker->owner)) {
            err = -EDEADLK;
            break;
        }
        me.blocker = blocker->owner;
        me.next = waiters;
        waiters = &me;
        err = wait_sleep(&inode->posix_waiters, &locks_lock, WAIT_NO_DEADLINE);
        for (struct lock_waiter **link = &waiters; *link; link = &(*link)->next) {
            if (*link == &me) {
                *link = me.next;
                break;
            }
        }
        if (err)
            break;
    }
    if (!err) {
        apply(inode, owner, ofd, pid, *r, spare);
        sort_by_start(inode);
        wake_up_all(&inode->posix_waiters);
    }
    spin_unlock_irqrestore(&locks_lock, flags);
    kfree(spare[0]);
    kfree(spare[1]);
    return err;
}

/* Every lock of `owner` on the inode goes (a close by the process, or an OFD lock's file's last put). */
static void remove_owner(struct inode *inode, const void *owner, bool ofd)
{
    u64 flags = spin_lock_irqsave(&locks_lock);
    bool removed = false;
    for (struct file_lock **link = &inode->posix_locks; *link;) {
        struct file_lock *l = *link;
        if (same_owner(l, owner, ofd)) {
            *link = l->next;
            kfree(l);
            removed = true;
        } else {
            link = &l->next;
        }
    }
    if (removed)
        wake_up_all(&inode->posix_waiters);
    spin_unlock_irqrestore(&locks_lock, flags);
}

void posix_locks_remove(struct inode *inode, struct files *owner)
{
    if (inode->posix_locks)
        remove_owner(inode, owner, false);
}

void ofd_locks_remove(struct file *f)
{
    if (f->inode->posix_locks)
        remove_owner(f->inode, f, true);
}

/* ---- the user's structures ---- */

struct flock64_native { /* x86-64's struct flock */
    s16 type, whence;
    s64 start, len;
    s32 pid;
};

struct flock_i386 { /* i386's struct flock: 32-bit offsets */
    s16 type, whence;
    s32 start, len;
    s32 pid;
};

struct flock64_i386 { /* i386's struct flock64: 64-bit offsets, 4-byte aligned */
    s16 type, whence;
    s64 start, len;
    s32 pid;
} __attribute__((packed));

/* A flock in whichever layout: `layout` says which. */
enum flock_layout { FLOCK_NATIVE, FLOCK_I386, FLOCK64_I386 };

static int flock_read(void __user *uarg, enum flock_layout layout, struct flock64_native *out)
{
    if (layout == FLOCK_NATIVE)
        return copy_from_user(out, uarg, sizeof(*out)) ? -EFAULT : 0;
    if (layout == FLOCK_I386) {
        struct flock_i386 in;
        if (copy_from_user(&in, uarg, sizeof(in)))
            return -EFAULT;
        *out = (struct flock64_native){in.type, in.whence, in.start, in.len, in.pid};
        return 0;
    }
    struct flock64_i386 in;
    if (copy_from_user(&in, uarg, sizeof(in)))
        return -EFAULT;
    *out = (struct flock64_native){in.type, in.whence, in.start, in.len, in.pid};
    return 0;
}

static int flock_write(void __user *uarg, enum flock_layout layout, const struct flock64_native *in)
{
    if (layout == FLOCK_NATIVE)
        return copy_to_user(uarg, in, sizeof(*in)) ? -EFAULT : 0;
    if (layout == FLOCK_I386) {
        if (in->start != (s32)in->start || in->len != (s32)in->len)
            return -EOVERFLOW;
        struct flock_i386 out = {in->type, in->whence, (s32)in->start, (s32)in->len, in->pid};
        return copy_to_user(uarg, &out, sizeof(out)) ? -EFAULT : 0;
    }
    struct flock64_i386 out = {in->type, in->whence, in->start, in->len, in->pid};
    return copy_to_user(uarg, &out, sizeof(out)) ? -EFAULT : 0;
}

long fcntl_lock(struct file *f, unsigned cmd, void __user *uarg, enum fcntl_lock_kind kind, bool i386_flock64)
{
    enum flock_layout layout = !in_compat_syscall() ? FLOCK_NATIVE : i386_flock64 ? FLOCK64_I386 : FLOCK_I386;
    struct flock64_native fl;
    int err = flock_read(uarg, layout, &fl);
    if (err)
        return err;
    bool ofd = kind != LOCK_POSIX_GET && kind != LOCK_POSIX_SET && kind != LOCK_POSIX_SETW;
    if (ofd && fl.pid != 0)
        return -EINVAL; /* OFD requests must say no process */
    struct lock_request r;
    err = request_from(f, fl.type, fl.whence, fl.start, fl.len, &r);
    if (err)
        return err;
    const void *owner = ofd ? (const void *)f : (const void *)current_task()->files;
    if (kind == LOCK_POSIX_GET || kind == LOCK_OFD_GET) {
        if (r.type == F_UNLCK)
            return -EINVAL;
        pid_t pid = 0;
        test_lock(f, owner, ofd, &r, &pid);
        fl.type = r.type;
        if (r.type != F_UNLCK) {
            fl.whence = SEEK_SET;
            fl.start = r.start;
            fl.len = r.end == OFFSET_MAX ? 0 : r.end - r.start + 1;
            fl.pid = pid;
        }
        return flock_write(uarg, layout, &fl);
    }
    (void)cmd;
    return set_lock(f, owner, ofd, &r, kind == LOCK_POSIX_SETW || kind == LOCK_OFD_SETW);
}
