/*
 * POSIX timers (timer_create and its calls), Linux's semantics. A process's
 * timers are a list in its leader, with ids from 0 counted up (Linux's
 * per-process counter). A timer on a wall or monotonic clock is an entry of
 * the kernel's timer queue; one on a CPU-time clock is checked where CPU
 * time is charged (time/cputime.c), as Linux checks them at the tick.
 *
 * Each timer has one signal at a time: while the one it sent is still
 * pending, further expirations only count as overruns in that queued
 * siginfo, which the receiver finds in si_overrun and timer_getoverrun. A
 * timer reset or deleted takes its pending signal back (Linux drops it at
 * delivery). Everything here runs with interrupts off: the expiry callbacks
 * come from the timer interrupt on this one CPU.
 */
#include "apic.h"
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "seq_buf.h"
#include "signal.h"
#include "time.h"
#include "timer.h"
#include "uaccess.h"
#include "x86.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11
/* Another task's CPU clock: ~pid << 3, whether a thread's, and what it counts. */
#define CPUCLOCK_PER_THREAD 4
#define CPUCLOCK_WHICH_MASK 3
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_MAX 3

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2 /* glibc's: the kernel sends a signal as for SIGEV_SIGNAL */
#define SIGEV_THREAD_ID 4

#define TIMER_ABSTIME 1
#define DELAYTIMER_MAX 0x7fffffff /* si_overrun and timer_getoverrun saturate here */
#define MAX_TIMER_ID 0x7fffffff
#define MAX_TIMERS_PER_PROCESS 4096 /* a bound on kernel memory */
#define NS_PER_SEC 1000000000ull

enum timer_base { BASE_MONOTONIC, BASE_REALTIME, BASE_CPU };

struct posix_timer {
    struct timer timer;        /* first: the queue's callback gets this */
    int id;
    int clock;
    enum timer_base base;
    pid_t owner;               /* the process (tgid) */
    pid_t cpu_target;          /* BASE_CPU: the process or thread whose CPU time counts */
    bool cpu_per_thread, cpu_user_only;
    int notify;                /* SIGEV_SIGNAL, SIGEV_NONE or SIGEV_SIGNAL | SIGEV_THREAD_ID */
    int asked_notify;          /* as given (SIGEV_THREAD stays itself), for /proc/PID/timers */
    int signo;
    pid_t target_tid;          /* SIGEV_THREAD_ID's thread */
    u64 value;                 /* si_value */
    bool armed;
    u64 expires;               /* in the clock's ns, while armed */
    u64 interval;              /* ns; 0: one-shot */
    int overrun_last;          /* timer_getoverrun: the count of the last signal taken */
    struct posix_timer *next;        /* the process's timers */
    struct posix_timer *next_global; /* every timer, for clock_was_set and the CPU-time checks */
};

static struct posix_timer *all_timers;

struct sigevent_k {
    u64 value;
    s32 signo, notify;
    s32 tid;
};

/* ---- clocks ---- */

static u64 process_cpu_time(pid_t tgid, bool user_only)
{
    u64 ns = 0;
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->tgid == tgid && t->state != TASK_DEAD)
            ns += user_only ? t->user_ns : task_cpu_ns(t);
    return ns;
}

static u64 timer_clock_now(const struct posix_timer *pt)
{
    switch (pt->base) {
    case BASE_REALTIME: return realtime_ns();
    case BASE_MONOTONIC: return monotonic_ns();
    case BASE_CPU: break;
    }
    if (!pt->cpu_per_thread)
        return process_cpu_time(pt->cpu_target, pt->cpu_user_only);
    struct task *t = task_find(pt->cpu_target);
    if (!t)
        return 0;
    return pt->cpu_user_only ? t->user_ns : task_cpu_ns(t);
}

/* Linux's clockid_to_kclock: -EINVAL for no such clock, -EOPNOTSUPP for
 * one Linux reads but cannot time (the raw and coarse ones). Checked before
 * the timer takes an id; a CPU clock's task only after (clock_base). */
static long clock_check(int clock)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_TAI:
    case CLOCK_REALTIME_ALARM:
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
    case CLOCK_BOOTTIME_ALARM:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID: return 0;
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE: return -EOPNOTSUPP;
    default: return clock < 0 ? 0 : -EINVAL;
    }
}

/* The timer's base for a clock clock_check let through: -EINVAL for a CPU
 * clock of no task it may time. */
static long clock_base(struct posix_timer *pt, int clock)
{
    struct task *me = current_task();
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_TAI:
    case CLOCK_REALTIME_ALARM: /* the alarm clocks would wake a suspended machine: this one never is */
        pt->base = BASE_REALTIME;
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
    case CLOCK_BOOTTIME_ALARM:
        pt->base = BASE_MONOTONIC;
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
        pt->base = BASE_CPU;
        pt->cpu_target = me->tgid;
        return 0;
    case CLOCK_THREAD_CPUTIME_ID:
        pt->base = BASE_CPU;
        pt->cpu_target = me->pid;
        pt->cpu_per_thread = true;
        return 0;
    }
    if ((clock & CPUCLOCK_WHICH_MASK) == CPUCLOCK_MAX)
        return -EINVAL;
    pid_t pid = ~(clock >> 3);
    bool per_thread = clock & CPUCLOCK_PER_THREAD;
    struct task *t = pid ? task_find(pid) : me;
    if (!t || t->state == TASK_ZOMBIE)
        return -EINVAL;
    if (per_thread ? t->tgid != me->tgid : t != t->group_leader)
        return -EINVAL;
    pt->base = BASE_CPU;
    pt->cpu_target = per_thread ? t->pid : t->tgid;
    pt->cpu_per_thread = per_thread;
    pt->cpu_user_only = (clock & CPUCLOCK_WHICH_MASK) == CPUCLOCK_VIRT;
    return 0;
}

/* The monotonic time a wall-clock expiry comes to, as the clock stands now. */
static u64 monotonic_deadline(const struct posix_timer *pt)
{
    if (pt->base == BASE_MONOTONIC)
        return pt->expires;
    u64 offset = realtime_ns() - monotonic_ns();
    return pt->expires > offset ? pt->expires - offset : 1;
}

/* ---- the signal ---- */

static bool is_timer_signal(const struct ksiginfo *info, const struct posix_timer *pt)
{
    return info->si_code == SI_TIMER && info->si_signo == pt->signo && info->timer.tid == pt->id;
}

static struct sigqueue *queued_at(struct sigpending *p, const struct posix_timer *pt)
{
    for (struct sigqueue *q = p->queue; q; q = q->next)
        if (is_timer_signal(&q->info, pt))
            return q;
    return NULL;
}

/* The timer's signal still queued at its process or at one of its threads, if any. */
static struct sigqueue *queued_signal(const struct posix_timer *pt, struct sigpending **holder)
{
    for (struct task *t = task_first(); t; t = task_next(t)) {
        if (t->tgid != pt->owner || t->state == TASK_DEAD)
            continue;
        struct sigpending *places[2] = {&t->pending, &t->shared_pending};
        for (int i = 0; i < 2; i++) {
            struct sigqueue *q = queued_at(places[i], pt);
            if (q) {
                *holder = places[i];
                return q;
            }
        }
    }
    return NULL;
}

static void take_back_signal(const struct posix_timer *pt)
{
    struct sigpending *p;
    struct sigqueue *q = queued_signal(pt, &p);
    if (!q)
        return;
    bool others = false;
    for (struct sigqueue **link = &p->queue; *link;) {
        if (*link == q) {
            *link = q->next;
            continue;
        }
        others |= (*link)->info.si_signo == pt->signo;
        link = &(*link)->next;
    }
    kfree(q);
    p->len--;
    if (!others)
        p->set &= ~SIGBIT(pt->signo);
}

static void add_overruns(struct ksiginfo *info, u64 count)
{
    u64 total = (u64)(u32)info->timer.overrun + count;
    info->timer.overrun = total > DELAYTIMER_MAX ? DELAYTIMER_MAX : (s32)total;
}

/* The timer expired `missed` + 1 times since it last did. */
static void timer_fire(struct posix_timer *pt, u64 missed)
{
    if (pt->notify == SIGEV_NONE)
        return;
    struct sigpending *holder;
    struct sigqueue *pending = queued_signal(pt, &holder);
    if (pending) {
        add_overruns(&pending->info, missed + 1);
        return;
    }
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = pt->signo;
    info.si_code = SI_TIMER;
    info.timer.tid = pt->id;
    info.timer.value = pt->value;
    add_overruns(&info, missed);
    if (pt->notify & SIGEV_THREAD_ID) {
        struct task *t = task_find(pt->target_tid);
        if (t && t->tgid == pt->owner)
            signal_send_info(t, &info);
        return;
    }
    struct task *leader = task_find(pt->owner);
    if (leader)
        signal_send_process_info(leader, &info);
}

/* Past its expiry at `now`: the signal, and the next period if any. */
static void timer_due(struct posix_timer *pt, u64 now)
{
    u64 missed = 0;
    if (pt->interval) {
        missed = (now - pt->expires) / pt->interval;
        pt->expires += (missed + 1) * pt->interval;
    } else {
        pt->armed = false;
    }
    timer_fire(pt, missed);
}

static void start_queue_timer(struct posix_timer *pt);

static void queue_timer_expired(struct timer *timer)
{
    struct posix_timer *pt = (struct posix_timer *)timer;
    u64 now = timer_clock_now(pt);
    if (now >= pt->expires)
        timer_due(pt, now);
    /* else the realtime clock went back since it was started */
    if (pt->armed)
        start_queue_timer(pt);
}

static void start_queue_timer(struct posix_timer *pt)
{
    if (pt->base != BASE_CPU && pt->notify != SIGEV_NONE)
        timer_start(&pt->timer, monotonic_deadline(pt), queue_timer_expired);
}

void posix_cpu_timers_charged(struct task *t)
{
    for (struct posix_timer *pt = all_timers; pt; pt = pt->next_global) {
        if (pt->base != BASE_CPU || !pt->armed || pt->notify == SIGEV_NONE)
            continue;
        if (pt->cpu_target != (pt->cpu_per_thread ? t->pid : t->tgid))
            continue;
        u64 now = timer_clock_now(pt);
        if (now >= pt->expires)
            timer_due(pt, now);
    }
}

void posix_timers_clock_was_set(void)
{
    u64 flags = irq_save();
    for (struct posix_timer *pt = all_timers; pt; pt = pt->next_global)
        if (pt->base == BASE_REALTIME && pt->armed)
            start_queue_timer(pt);
    irq_restore(flags);
}

void posix_timer_signal_taken(struct task *t, const struct ksiginfo *info)
{
    for (struct posix_timer *pt = t->group_leader->posix_timers; pt; pt = pt->next)
        if (is_timer_signal(info, pt)) {
            pt->overrun_last = info->timer.overrun;
            return;
        }
}

/* ---- the process's timers ---- */

static struct posix_timer *find_timer(int id)
{
    for (struct posix_timer *pt = current_task()->group_leader->posix_timers; pt; pt = pt->next)
        if (pt->id == id)
            return pt;
    return NULL;
}

static long allocate_id(struct task *leader)
{
    int count = 0;
    for (struct posix_timer *pt = leader->posix_timers; pt; pt = pt->next)
        count++;
    if (count >= MAX_TIMERS_PER_PROCESS)
        return -EAGAIN;
    for (;;) {
        int id = leader->next_posix_timer_id;
        leader->next_posix_timer_id = id == MAX_TIMER_ID ? 0 : id + 1;
        bool used = false;
        for (struct posix_timer *pt = leader->posix_timers; pt && !used; pt = pt->next)
            used = pt->id == id;
        if (!used)
            return id;
    }
}

static void timer_destroy(struct posix_timer *pt)
{
    timer_cancel(&pt->timer);
    take_back_signal(pt);
    for (struct posix_timer **link = &all_timers; *link; link = &(*link)->next_global)
        if (*link == pt) {
            *link = pt->next_global;
            break;
        }
    kfree(pt);
}

void posix_timers_exit(struct task *leader)
{
    u64 flags = irq_save();
    while (leader->posix_timers) {
        struct posix_timer *pt = leader->posix_timers;
        leader->posix_timers = pt->next;
        timer_destroy(pt);
    }
    irq_restore(flags);
}

/* Linux's good_sigevent: what the notification asks for is possible. */
static long check_sigevent(const struct sigevent_k *ev)
{
    switch (ev->notify) {
    case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
        struct task *t = task_find(ev->tid);
        if (!t || t->tgid != current_task()->tgid || t->state == TASK_ZOMBIE)
            return -EINVAL;
    }
        /* fallthrough */
    case SIGEV_SIGNAL:
    case SIGEV_THREAD:
        if (ev->signo <= 0 || ev->signo > NSIG)
            return -EINVAL;
        /* fallthrough */
    case SIGEV_NONE: return 0;
    default: return -EINVAL;
    }
}

/* As Linux, the timer has its id before the event and the CPU clock's task
 * are checked: a timer_create that fails there still uses one up. */
static long timer_create(int clock, const struct sigevent_k *ev, int __user *uid)
{
    long err = clock_check(clock);
    if (err)
        return err;
    struct posix_timer *pt = kzalloc(sizeof(*pt));
    if (!pt)
        return -EAGAIN;
    struct task *leader = current_task()->group_leader;
    u64 flags = irq_save();
    long id = allocate_id(leader);
    irq_restore(flags);
    if (id < 0) {
        kfree(pt);
        return id;
    }
    err = ev ? check_sigevent(ev) : 0;
    if (!err)
        err = clock_base(pt, clock);
    if (err) {
        kfree(pt);
        return err;
    }
    pt->id = (int)id;
    pt->clock = clock;
    pt->owner = leader->tgid;
    if (ev) {
        pt->notify = ev->notify == SIGEV_THREAD ? SIGEV_SIGNAL : ev->notify;
        pt->asked_notify = ev->notify;
        pt->signo = ev->signo;
        pt->value = ev->value;
        pt->target_tid = ev->tid;
    } else {
        pt->notify = pt->asked_notify = SIGEV_SIGNAL;
        pt->signo = SIGALRM;
        pt->value = (u64)id;
    }
    flags = irq_save();
    pt->next = leader->posix_timers;
    leader->posix_timers = pt;
    pt->next_global = all_timers;
    all_timers = pt;
    irq_restore(flags);
    int user_id = (int)id;
    if (copy_to_user(uid, &user_id, sizeof(user_id))) {
        flags = irq_save();
        for (struct posix_timer **link = &leader->posix_timers; *link; link = &(*link)->next)
            if (*link == pt) {
                *link = pt->next;
                break;
            }
        timer_destroy(pt);
        irq_restore(flags);
        return -EFAULT;
    }
    return 0;
}

long sys_timer_create(int clock, const void __user *usevp, int __user *uid)
{
    struct {
        u64 value;
        s32 signo, notify, tid;
    } user_ev;
    struct sigevent_k ev;
    if (usevp) {
        if (copy_from_user(&user_ev, usevp, sizeof(user_ev)))
            return -EFAULT;
        ev = (struct sigevent_k){user_ev.value, user_ev.signo, user_ev.notify, user_ev.tid};
    }
    return timer_create(clock, usevp ? &ev : NULL, uid);
}

/* i386's struct sigevent: a 32-bit sigval. */
long compat_sys_timer_create(int clock, const void __user *usevp, int __user *uid)
{
    struct {
        u32 value;
        s32 signo, notify, tid;
    } user_ev;
    struct sigevent_k ev;
    if (usevp) {
        if (copy_from_user(&user_ev, usevp, sizeof(user_ev)))
            return -EFAULT;
        ev = (struct sigevent_k){user_ev.value, user_ev.signo, user_ev.notify, user_ev.tid};
    }
    return timer_create(clock, usevp ? &ev : NULL, uid);
}

/* /proc/PID/timers, as Linux's show_timer, newest first. */
void proc_pid_timers(struct task *t, struct seq_buf *s)
{
    static const char *const notify_names[] = {[SIGEV_SIGNAL] = "signal", [SIGEV_NONE] = "none", [SIGEV_THREAD] = "thread"};
    u64 flags = irq_save();
    for (struct posix_timer *pt = t->group_leader->posix_timers; pt; pt = pt->next) {
        int how = pt->asked_notify & ~SIGEV_THREAD_ID;
        bool thread = pt->asked_notify & SIGEV_THREAD_ID;
        seq_printf(s, "ID: %d\nsignal: %d/%016lx\nnotify: %s/%s.%d\nClockID: %d\n", pt->id, pt->signo, pt->value,
                   notify_names[how], thread ? "tid" : "pid", thread ? pt->target_tid : pt->owner, pt->clock);
    }
    irq_restore(flags);
}

/* ---- setting and reading ---- */

struct itimerspec_k {
    struct timespec_k interval, value;
};

static u64 timespec_ns(const struct timespec_k *ts) { return (u64)ts->tv_sec * NS_PER_SEC + (u64)ts->tv_nsec; }

static struct timespec_k ns_timespec(u64 ns) { return (struct timespec_k){(s64)(ns / NS_PER_SEC), (s64)(ns % NS_PER_SEC)}; }

static bool timespec_valid(const struct timespec_k *ts)
{
    return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (u64)ts->tv_nsec < NS_PER_SEC;
}

/* Linux's common_timer_get: a timer that sends signals and is past its
 * expiry (the signal not yet sent) shows 1 ns left; an expired one-shot
 * SIGEV_NONE timer 0; a periodic SIGEV_NONE timer its next period. */
static void current_setting(struct posix_timer *pt, struct itimerspec_k *out)
{
    out->interval = ns_timespec(pt->interval);
    out->value = ns_timespec(0);
    if (!pt->armed)
        return;
    u64 now = timer_clock_now(pt);
    if (pt->notify == SIGEV_NONE && pt->interval && now >= pt->expires)
        pt->expires += ((now - pt->expires) / pt->interval + 1) * pt->interval;
    if (pt->expires > now)
        out->value = ns_timespec(pt->expires - now);
    else if (pt->notify != SIGEV_NONE)
        out->value = ns_timespec(1);
}

static long timer_settime(int id, int flags, const struct itimerspec_k *new, struct itimerspec_k *old)
{
    if (!timespec_valid(&new->interval) || !timespec_valid(&new->value))
        return -EINVAL;
    u64 irq = irq_save();
    struct posix_timer *pt = find_timer(id);
    if (!pt) {
        irq_restore(irq);
        return -EINVAL;
    }
    current_setting(pt, old);
    timer_cancel(&pt->timer);
    take_back_signal(pt);
    pt->overrun_last = 0;
    u64 value = timespec_ns(&new->value);
    pt->armed = value != 0;
    pt->interval = pt->armed ? timespec_ns(&new->interval) : 0;
    if (pt->armed) {
        pt->expires = flags & TIMER_ABSTIME ? value : timer_clock_now(pt) + value;
        if (pt->base == BASE_CPU) {
            u64 now = timer_clock_now(pt);
            if (now >= pt->expires && pt->notify != SIGEV_NONE)
                timer_due(pt, now);
        } else {
            start_queue_timer(pt);
        }
    }
    irq_restore(irq);
    return 0;
}

static long timer_gettime(int id, struct itimerspec_k *out)
{
    u64 irq = irq_save();
    struct posix_timer *pt = find_timer(id);
    if (pt)
        current_setting(pt, out);
    irq_restore(irq);
    return pt ? 0 : -EINVAL;
}

long sys_timer_settime(int id, int flags, const struct itimerspec_k __user *unew, struct itimerspec_k __user *uold)
{
    struct itimerspec_k new, old;
    if (!unew)
        return -EINVAL;
    if (copy_from_user(&new, unew, sizeof(new)))
        return -EFAULT;
    long err = timer_settime(id, flags, &new, &old);
    if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
        return -EFAULT;
    return err;
}

long sys_timer_gettime(int id, struct itimerspec_k __user *ucur)
{
    struct itimerspec_k cur;
    long err = timer_gettime(id, &cur);
    if (!err && copy_to_user(ucur, &cur, sizeof(cur)))
        return -EFAULT;
    return err;
}

long sys_timer_getoverrun(int id)
{
    u64 irq = irq_save();
    struct posix_timer *pt = find_timer(id);
    long overrun = pt ? pt->overrun_last : -EINVAL;
    irq_restore(irq);
    return overrun;
}

long sys_timer_delete(int id)
{
    struct task *leader = current_task()->group_leader;
    u64 irq = irq_save();
    for (struct posix_timer **link = &leader->posix_timers; *link; link = &(*link)->next) {
        struct posix_timer *pt = *link;
        if (pt->id == id) {
            *link = pt->next;
            timer_destroy(pt);
            irq_restore(irq);
            return 0;
        }
    }
    irq_restore(irq);
    return -EINVAL;
}

/* i386's time32 calls: struct itimerspec of 32-bit timespecs. */
struct compat_itimerspec {
    s32 interval_sec, interval_nsec, value_sec, value_nsec;
};

static void itimerspec_to_compat(const struct itimerspec_k *k, struct compat_itimerspec *c)
{
    *c = (struct compat_itimerspec){(s32)k->interval.tv_sec, (s32)k->interval.tv_nsec, (s32)k->value.tv_sec,
                                    (s32)k->value.tv_nsec};
}

long compat_sys_timer_settime(int id, int flags, const struct compat_itimerspec __user *unew,
                              struct compat_itimerspec __user *uold)
{
    struct compat_itimerspec c;
    struct itimerspec_k new, old;
    if (!unew)
        return -EINVAL;
    if (copy_from_user(&c, unew, sizeof(c)))
        return -EFAULT;
    new = (struct itimerspec_k){{c.interval_sec, c.interval_nsec}, {c.value_sec, c.value_nsec}};
    long err = timer_settime(id, flags, &new, &old);
    if (!err && uold) {
        itimerspec_to_compat(&old, &c);
        if (copy_to_user(uold, &c, sizeof(c)))
            return -EFAULT;
    }
    return err;
}

long compat_sys_timer_gettime(int id, struct compat_itimerspec __user *ucur)
{
    struct itimerspec_k cur;
    long err = timer_gettime(id, &cur);
    if (err)
        return err;
    struct compat_itimerspec c;
    itimerspec_to_compat(&cur, &c);
    return copy_to_user(ucur, &c, sizeof(c)) ? -EFAULT : 0;
}
