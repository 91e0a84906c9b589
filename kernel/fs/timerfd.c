/*
 * timerfd: a timer as a file (Linux's semantics). The timer is an entry of
 * the kernel's timer queue, due at the CLOCK_MONOTONIC time its clock's
 * expiry comes to; its callback counts expirations (with an interval it
 * re-arms itself, counting any it missed) and wakes readers, poll and epoll.
 * A read takes the count. CLOCK_REALTIME timers keep their expiry in
 * realtime: setting the clock moves them, and one armed with
 * TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET makes its next read fail with
 * ECANCELED instead.
 */
#include "anon_inodes.h"
#include "apic.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "time.h"
#include "timer.h"
#include "uaccess.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9

#define TFD_CLOEXEC O_CLOEXEC
#define TFD_NONBLOCK O_NONBLOCK
#define TFD_CREATE_FLAGS (TFD_CLOEXEC | TFD_NONBLOCK)
#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_SETTIME_FLAGS (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)

#define NS_PER_SEC 1000000000ll

struct itimerspec_k {
    struct timespec_k interval, value;
};

struct timerfd {
    struct timer timer;      /* first: the callback gets this */
    struct spinlock lock;    /* everything below; the callback runs with interrupts off */
    bool realtime;           /* its clock is CLOCK_REALTIME: the expiry is in realtime */
    bool armed;
    bool might_cancel;       /* TFD_TIMER_CANCEL_ON_SET on an absolute realtime timer */
    bool canceled;           /* the clock was set since: the next read is ECANCELED */
    u64 expires;             /* in its clock's ns, while armed */
    u64 interval;            /* ns; 0 for a one-shot timer */
    u64 ticks;               /* expirations not yet read */
    struct wait_queue wait;
    struct timerfd *next_realtime; /* realtime_timers, for clock_was_set */
};

/* Every CLOCK_REALTIME timerfd, which setting the clock concerns; guarded
 * by interrupts being off (one CPU). */
static struct timerfd *realtime_timers;

static u64 clock_now(const struct timerfd *t) { return t->realtime ? realtime_ns() : monotonic_ns(); }

static u64 monotonic_deadline(const struct timerfd *t)
{
    if (!t->realtime)
        return t->expires;
    u64 offset = realtime_ns() - monotonic_ns();
    return t->expires > offset ? t->expires - offset : 1;
}

static void timerfd_expired(struct timer *timer)
{
    struct timerfd *t = (struct timerfd *)timer;
    spin_lock(&t->lock);
    u64 now = clock_now(t);
    if (now < t->expires) {
        /* The realtime clock went back since it was started. */
        timer_start(&t->timer, monotonic_deadline(t), timerfd_expired);
        spin_unlock(&t->lock);
        return;
    }
    if (t->interval) {
        u64 missed = (now - t->expires) / t->interval;
        t->ticks += missed + 1;
        t->expires += (missed + 1) * t->interval;
        timer_start(&t->timer, monotonic_deadline(t), timerfd_expired);
    } else {
        t->ticks++;
        t->armed = false;
    }
    spin_unlock(&t->lock);
    wake_up_all(&t->wait);
}

void timerfd_clock_was_set(void)
{
    u64 flags = irq_save();
    for (struct timerfd *t = realtime_timers; t; t = t->next_realtime) {
        spin_lock(&t->lock);
        bool wake = false;
        if (t->might_cancel && !t->canceled) {
            t->canceled = true;
            t->ticks++;
            wake = true;
        }
        if (t->armed)
            timer_start(&t->timer, monotonic_deadline(t), timerfd_expired);
        spin_unlock(&t->lock);
        if (wake)
            wake_up_all(&t->wait);
    }
    irq_restore(flags);
}

static ssize_t timerfd_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct timerfd *t = f->private;
    if (len < sizeof(u64))
        return -EINVAL;
    u64 flags = spin_lock_irqsave(&t->lock);
    int err = 0;
    if (!t->ticks && (f->flags & O_NONBLOCK))
        err = -EAGAIN;
    else
        err = wait_event_locked(&t->wait, &t->lock, t->ticks, WAIT_NO_DEADLINE);
    u64 ticks = t->ticks;
    if (!err && t->canceled) {
        t->canceled = false;
        err = -ECANCELED;
    }
    if (!err)
        t->ticks = 0;
    else if (err == -ECANCELED)
        t->ticks = 0;
    spin_unlock_irqrestore(&t->lock, flags);
    if (err)
        return err;
    if (copy_to_user(buf, &ticks, sizeof(ticks)))
        return -EFAULT;
    return sizeof(ticks);
}

static unsigned timerfd_poll(struct file *f, struct poll_table *table)
{
    struct timerfd *t = f->private;
    poll_wait(f, &t->wait, table);
    return __atomic_load_n(&t->ticks, __ATOMIC_RELAXED) ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct file *f)
{
    struct timerfd *t = f->private;
    u64 flags = irq_save();
    timer_cancel(&t->timer);
    for (struct timerfd **link = &realtime_timers; *link; link = &(*link)->next_realtime)
        if (*link == t) {
            *link = t->next_realtime;
            break;
        }
    irq_restore(flags);
    kfree(t);
}

static const struct file_ops timerfd_ops = {
    .read = timerfd_read,
    .poll = timerfd_poll,
    .release = timerfd_release,
    .llseek = anon_noop_llseek,
};

long sys_timerfd_create(int clock, int flags)
{
    if ((flags & ~TFD_CREATE_FLAGS) || (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC &&
                                        clock != CLOCK_BOOTTIME && clock != CLOCK_REALTIME_ALARM &&
                                        clock != CLOCK_BOOTTIME_ALARM))
        return -EINVAL;
    /* The alarm clocks would wake a suspended machine, which this one
     * never is: they run as their plain clocks (root has CAP_WAKE_ALARM). */
    struct timerfd *t = kzalloc(sizeof(*t));
    if (!t)
        return -ENOMEM;
    t->realtime = clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_ALARM;
    int fd = anon_inode_getfd("[timerfd]", &timerfd_ops, t, O_RDWR | (flags & TFD_CREATE_FLAGS));
    if (fd < 0) {
        kfree(t);
        return fd;
    }
    if (t->realtime) {
        u64 irq = irq_save();
        t->next_realtime = realtime_timers;
        realtime_timers = t;
        irq_restore(irq);
    }
    return fd;
}

static u64 timespec_ns(const struct timespec_k *ts) { return (u64)ts->tv_sec * NS_PER_SEC + (u64)ts->tv_nsec; }

static struct timespec_k ns_timespec(u64 ns) { return (struct timespec_k){(s64)(ns / NS_PER_SEC), (s64)(ns % NS_PER_SEC)}; }

static bool timespec_valid(const struct timespec_k *ts)
{
    return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NS_PER_SEC;
}

/* Under t->lock. */
static void current_setting(const struct timerfd *t, struct itimerspec_k *out)
{
    u64 now = clock_now(t);
    u64 left = t->armed && t->expires > now ? t->expires - now : 0;
    out->value = ns_timespec(left);
    out->interval = ns_timespec(t->interval);
}

static struct timerfd *timerfd_of(struct file *f) { return f && f->ops == &timerfd_ops ? f->private : NULL; }

static long timerfd_settime(int fd, int flags, const struct itimerspec_k *new, struct itimerspec_k *old)
{
    if ((flags & ~TFD_SETTIME_FLAGS) || !timespec_valid(&new->value) || !timespec_valid(&new->interval))
        return -EINVAL;
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    struct timerfd *t = timerfd_of(f);
    if (!t) {
        fdput(f);
        return -EINVAL;
    }
    u64 irq = spin_lock_irqsave(&t->lock);
    timer_cancel(&t->timer);
    current_setting(t, old);
    t->ticks = 0;
    t->canceled = false;
    t->might_cancel = t->realtime && (flags & TFD_TIMER_ABSTIME) && (flags & TFD_TIMER_CANCEL_ON_SET);
    t->interval = timespec_ns(&new->interval);
    u64 value = timespec_ns(&new->value);
    t->armed = value != 0;
    if (t->armed) {
        t->expires = flags & TFD_TIMER_ABSTIME ? value : clock_now(t) + value;
        timer_start(&t->timer, monotonic_deadline(t), timerfd_expired);
    }
    spin_unlock_irqrestore(&t->lock, irq);
    fdput(f);
    return 0;
}

static long timerfd_gettime(int fd, struct itimerspec_k *out)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    struct timerfd *t = timerfd_of(f);
    if (!t) {
        fdput(f);
        return -EINVAL;
    }
    u64 irq = spin_lock_irqsave(&t->lock);
    current_setting(t, out);
    spin_unlock_irqrestore(&t->lock, irq);
    fdput(f);
    return 0;
}

long sys_timerfd_settime(int fd, int flags, const struct itimerspec_k __user *unew, struct itimerspec_k __user *uold)
{
    struct itimerspec_k new, old;
    if (copy_from_user(&new, unew, sizeof(new)))
        return -EFAULT;
    long err = timerfd_settime(fd, flags, &new, &old);
    if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
        return -EFAULT;
    return err;
}

long sys_timerfd_gettime(int fd, struct itimerspec_k __user *ucur)
{
    struct itimerspec_k cur;
    long err = timerfd_gettime(fd, &cur);
    if (!err && copy_to_user(ucur, &cur, sizeof(cur)))
        return -EFAULT;
    return err;
}

/* i386's time32 calls: struct itimerspec of 32-bit timespecs. */
struct compat_itimerspec {
    s32 interval_sec, interval_nsec, value_sec, value_nsec;
};

static void itimerspec_from_compat(const struct compat_itimerspec *c, struct itimerspec_k *k)
{
    *k = (struct itimerspec_k){{c->interval_sec, c->interval_nsec}, {c->value_sec, c->value_nsec}};
}

static void itimerspec_to_compat(const struct itimerspec_k *k, struct compat_itimerspec *c)
{
    *c = (struct compat_itimerspec){(s32)k->interval.tv_sec, (s32)k->interval.tv_nsec, (s32)k->value.tv_sec,
                                    (s32)k->value.tv_nsec};
}

long compat_sys_timerfd_settime(int fd, int flags, const struct compat_itimerspec __user *unew,
                                struct compat_itimerspec __user *uold)
{
    struct compat_itimerspec c;
    struct itimerspec_k new, old;
    if (copy_from_user(&c, unew, sizeof(c)))
        return -EFAULT;
    itimerspec_from_compat(&c, &new);
    long err = timerfd_settime(fd, flags, &new, &old);
    if (!err && uold) {
        itimerspec_to_compat(&old, &c);
        if (copy_to_user(uold, &c, sizeof(c)))
            return -EFAULT;
    }
    return err;
}

long compat_sys_timerfd_gettime(int fd, struct compat_itimerspec __user *ucur)
{
    struct itimerspec_k cur;
    long err = timerfd_gettime(fd, &cur);
    if (err)
        return err;
    struct compat_itimerspec c;
    itimerspec_to_compat(&cur, &c);
    return copy_to_user(ucur, &c, sizeof(c)) ? -EFAULT : 0;
}
