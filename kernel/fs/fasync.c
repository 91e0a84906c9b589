/*
 * O_ASYNC: a file's owner (a thread, a process or a process group, set by
 * F_SETOWN/F_SETOWN_EX) gets SIGIO when the file becomes ready, or the
 * F_SETSIG signal with a siginfo saying why (si_code POLL_IN..., si_band,
 * si_fd), as Linux's fs/fcntl.c.
 *
 * Each file with an owner or a signal has a record, allocated on first use
 * and freed with the file. The records are on one list under one lock: a
 * driver announces readiness of its object (fasync_notify) without knowing
 * which files are open on it, and a file's release takes its record off the
 * list under the same lock, so a notification never sees a freed file.
 */
#include "cred.h"
#include "errno.h"
#include "fasync.h"
#include "fcntl.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "spinlock.h"
#include "uaccess.h"

#ifndef INT_MIN
#define INT_MIN (-2147483647 - 1)
#endif

/* struct f_owner_ex's type: what the pid names. */
enum owner_type { F_OWNER_TID = 0, F_OWNER_PID = 1, F_OWNER_PGRP = 2 };

struct f_owner_ex {
    s32 type;
    s32 pid;
};

struct fasync {
    struct fasync *next;
    struct file *file;
    const void *object; /* the driver's, whose readiness it follows (the file's private) */
    pid_t owner;        /* 0: nobody */
    enum owner_type owner_type;
    u32 owner_uid, owner_euid; /* the setter's, for the permission to signal (sigio_perm) */
    int signum;                /* F_SETSIG's; 0 is plain SIGIO */
    int fd;                    /* the descriptor O_ASYNC was turned on through: si_fd */
};

static struct spinlock fasync_lock;
static struct fasync *records;

/* What each POLL_* reason tells in si_band (Linux's band_table). */
static const long reason_band[NSIGPOLL] = {
    [POLL_IN - 1] = POLLIN | POLLRDNORM,
    [POLL_OUT - 1] = POLLOUT | POLLWRNORM | 0x200 /* POLLWRBAND */,
    [POLL_MSG - 1] = POLLIN | POLLRDNORM | 0x400 /* POLLMSG */,
    [POLL_ERR - 1] = POLLERR,
    [POLL_PRI - 1] = POLLPRI | 0x080 /* POLLRDBAND */,
    [POLL_HUP - 1] = POLLHUP | POLLERR,
};

/* f's record, made on first use. */
static struct fasync *record_of(struct file *f)
{
    if (f->fasync)
        return f->fasync;
    struct fasync *fresh = kzalloc(sizeof(*fresh));
    if (!fresh)
        return NULL;
    fresh->file = f;
    fresh->object = f->private;
    fresh->owner_type = F_OWNER_TID;
    u64 flags = spin_lock_irqsave(&fasync_lock);
    if (!f->fasync) { /* another thread of the process may have made it meanwhile */
        fresh->next = records;
        records = fresh;
        f->fasync = fresh;
        fresh = NULL;
    }
    spin_unlock_irqrestore(&fasync_lock, flags);
    kfree(fresh);
    return f->fasync;
}

static bool is_live_process(const struct task *t)
{
    return t && t->group_leader == t && t->state != TASK_DEAD;
}

/* Whether the owner still names something (F_GETOWN shows 0 once it is gone, as Linux's pid_task). */
static bool owner_exists(const struct fasync *r)
{
    if (!r->owner)
        return false;
    if (r->owner_type == F_OWNER_TID) {
        struct task *t = task_find(r->owner);
        return t && t->state != TASK_DEAD;
    }
    if (r->owner_type == F_OWNER_PID)
        return is_live_process(task_find(r->owner));
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->pgid == r->owner && is_live_process(t))
            return true;
    return false;
}

/* The owner and the setter's credentials, which the signal is later
 * checked against; `replace` false keeps an owner already set (Linux's
 * f_modown without force). */
static long store_owner(struct file *f, pid_t pid, enum owner_type type, bool replace)
{
    struct fasync *r = record_of(f);
    if (!r)
        return -ENOMEM;
    const struct cred *c = current_cred();
    u64 flags = spin_lock_irqsave(&fasync_lock);
    if (replace || !r->owner) {
        r->owner = pid;
        r->owner_type = type;
        r->owner_uid = c->uid;
        r->owner_euid = c->euid;
    }
    spin_unlock_irqrestore(&fasync_lock, flags);
    return 0;
}

/* Linux's f_setown: the pid must name something (ESRCH). */
static long set_owner(struct file *f, pid_t pid, enum owner_type type)
{
    if (pid) {
        struct task *t = task_find(pid);
        bool found = type == F_OWNER_PGRP ? false : t && t->state != TASK_DEAD;
        for (struct task *p = task_first(); p && type == F_OWNER_PGRP && !found; p = task_next(p))
            found = p->pgid == pid && is_live_process(p);
        if (!found)
            return -ESRCH;
    }
    return store_owner(f, pid, type, true);
}

int fasync_claim_owner(struct file *f) { return fasync_default_owner(f, 0); }

int fasync_default_owner(struct file *f, pid_t pgrp)
{
    return pgrp ? store_owner(f, pgrp, F_OWNER_PGRP, false)
                : store_owner(f, current_task()->tgid, F_OWNER_PID, false);
}

void fasync_drop_owner(struct file *f)
{
    struct fasync *r = f->fasync;
    if (!r)
        return;
    const struct cred *c = current_cred();
    u64 flags = spin_lock_irqsave(&fasync_lock);
    r->owner = 0;
    r->owner_type = F_OWNER_PID;
    r->owner_uid = c->uid;
    r->owner_euid = c->euid;
    r->signum = 0;
    spin_unlock_irqrestore(&fasync_lock, flags);
}

/* F_GETOWN: a process group as a negative number. */
static long get_owner(struct file *f)
{
    struct fasync *r = f->fasync;
    if (!r || !owner_exists(r))
        return 0;
    return r->owner_type == F_OWNER_PGRP ? -r->owner : r->owner;
}

/* F_SETOWN: a positive pid is a process, a negative one a process group. */
static long setown_legacy(struct file *f, int who)
{
    if (who == INT_MIN)
        return -EINVAL; /* its negation does not fit */
    return who < 0 ? set_owner(f, -who, F_OWNER_PGRP) : set_owner(f, who, F_OWNER_PID);
}

long fasync_fcntl(struct file *f, unsigned cmd, u64 arg)
{
    switch (cmd) {
    case F_GETOWN: return get_owner(f);
    case F_SETOWN: return setown_legacy(f, (int)arg);
    case F_GETSIG: return f->fasync ? f->fasync->signum : 0;
    case F_SETSIG: {
        if (arg > NSIG)
            return -EINVAL;
        struct fasync *r = record_of(f);
        if (!r)
            return -ENOMEM;
        r->signum = (int)arg;
        return 0;
    }
    case F_SETOWN_EX: {
        struct f_owner_ex ex;
        if (copy_from_user(&ex, (const void __user *)arg, sizeof(ex)))
            return -EFAULT;
        if (ex.type != F_OWNER_TID && ex.type != F_OWNER_PID && ex.type != F_OWNER_PGRP)
            return -EINVAL;
        return set_owner(f, ex.pid, (enum owner_type)ex.type);
    }
    case F_GETOWN_EX: {
        struct f_owner_ex ex = {.type = F_OWNER_TID};
        if (f->fasync) {
            ex.type = f->fasync->owner_type;
            ex.pid = owner_exists(f->fasync) ? f->fasync->owner : 0;
        }
        return copy_to_user((void __user *)arg, &ex, sizeof(ex)) ? -EFAULT : 0;
    }
    default: return -EINVAL;
    }
}

int fasync_set(struct file *f, int fd, bool on)
{
    if (!f->ops || !f->ops->fasync)
        return 0; /* as Linux's F_SETFL: the flag stays off where nothing would come of it */
    if (on) {
        struct fasync *r = record_of(f);
        if (!r)
            return -ENOMEM;
        r->fd = fd;
        if (!(f->flags & O_ASYNC) && f->ops->async_on) {
            int err = f->ops->async_on(f);
            if (err)
                return err;
        }
    }
    if (on)
        f->flags |= O_ASYNC;
    else
        f->flags &= ~O_ASYNC;
    return 0;
}

long fasync_ioctl_async(struct file *f, int fd, const int __user *arg)
{
    int on;
    if (get_user(on, arg))
        return -EFAULT;
    bool was_on = f->flags & O_ASYNC;
    if (was_on == (on != 0))
        return 0;
    if (!f->ops || !f->ops->fasync)
        return -ENOTTY;
    return fasync_set(f, fd, on);
}

long fasync_ioctl_owner(struct file *f, bool set, int __user *arg)
{
    if (!set)
        return put_user((int)get_owner(f), arg) ? -EFAULT : 0;
    int who;
    if (get_user(who, arg))
        return -EFAULT;
    return setown_legacy(f, who);
}

void fasync_release(struct file *f)
{
    struct fasync *r = f->fasync;
    if (!r)
        return;
    u64 flags = spin_lock_irqsave(&fasync_lock);
    struct fasync **link = &records;
    while (*link != r)
        link = &(*link)->next;
    *link = r->next;
    spin_unlock_irqrestore(&fasync_lock, flags);
    f->fasync = NULL;
    kfree(r);
}

/* Linux's sigio_perm: the owner's setter may signal its own processes, root anyone. */
static bool may_signal_owner(const struct fasync *r, const struct task *t)
{
    const struct cred *c = task_cred(t);
    return r->owner_euid == 0 || r->owner_euid == c->suid || r->owner_euid == c->uid || r->owner_uid == c->suid ||
           r->owner_uid == c->uid;
}

/* Linux's send_sigio_to_task: the F_SETSIG signal with its siginfo, or
 * plain SIGIO (also when that signal cannot be queued). */
static void signal_owner_task(const struct fasync *r, struct task *t, int fd, int reason)
{
    if (!may_signal_owner(r, t))
        return;
    bool thread = r->owner_type == F_OWNER_TID;
    if (r->signum) {
        struct ksiginfo info;
        memset(&info, 0, sizeof(info));
        info.si_signo = r->signum;
        info.si_code = reason;
        info.poll.band = reason_band[reason - 1];
        info.poll.fd = fd;
        if (!(thread ? signal_send_info(t, &info) : signal_send_process_info(t, &info)))
            return;
    }
    if (thread)
        signal_send(t, SIGIO);
    else
        signal_send_process(t, SIGIO);
}

static void signal_owner(const struct fasync *r, int fd, int reason)
{
    if (r->owner_type == F_OWNER_PGRP) {
        for (struct task *t = task_first(); t; t = task_next(t))
            if (t->pgid == r->owner && is_live_process(t))
                signal_owner_task(r, t, fd, reason);
        return;
    }
    struct task *t = task_find(r->owner);
    if (r->owner_type == F_OWNER_TID ? t && t->state != TASK_DEAD : is_live_process(t))
        signal_owner_task(r, t, fd, reason);
}

void fasync_signal(struct file *f, int fd, int reason)
{
    u64 flags = spin_lock_irqsave(&fasync_lock);
    struct fasync *r = f->fasync;
    if (r && r->owner)
        signal_owner(r, fd, reason);
    spin_unlock_irqrestore(&fasync_lock, flags);
}

static bool concerns(const struct fasync *r, int reason)
{
    u32 mode = r->file->flags & O_ACCMODE;
    if (reason == POLL_IN)
        return mode != O_WRONLY;
    if (reason == POLL_OUT)
        return mode != O_RDONLY;
    return true;
}

void fasync_notify(const void *object, int reason)
{
    if (!object || reason < POLL_IN || reason > NSIGPOLL)
        return;
    u64 flags = spin_lock_irqsave(&fasync_lock);
    for (struct fasync *r = records; r; r = r->next)
        if (r->object == object && (r->file->flags & O_ASYNC) && r->owner && concerns(r, reason))
            signal_owner(r, r->fd, reason);
    spin_unlock_irqrestore(&fasync_lock, flags);
}
