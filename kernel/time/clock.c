/* Clocks and sleeping. */
#include "apic.h"
#include "errno.h"
#include "lib.h"
#include "time.h"
#include "proc.h"
#include "signal.h"
#include "timer.h"
#include "uaccess.h"
#include "vdso_data.h"
#include "wait.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11 /* CLOCK_REALTIME plus a TAI offset nobody has set: 0 */

struct timespec {
    s64 tv_sec, tv_nsec;
};

#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
/* Another task's CPU clock: ~pid << 3, then whether a thread's (4) and what
 * it counts (Linux's CPUCLOCK_PROF, _VIRT, _SCHED). */
#define CPUCLOCK_PER_THREAD 4
#define CPUCLOCK_WHICH_MASK 3
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_MAX 3

static u64 process_cpu_ns(struct task *leader, bool user_only)
{
    u64 ns = 0;
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->tgid == leader->tgid && t->state != TASK_DEAD)
            ns += user_only ? t->user_ns : task_cpu_ns(t);
    return ns;
}

static long cpu_clock_read(int clock, u64 *ns)
{
    struct task *me = current_task();
    if (clock == CLOCK_PROCESS_CPUTIME_ID) {
        *ns = process_cpu_ns(me->group_leader, false);
        return 0;
    }
    if (clock == CLOCK_THREAD_CPUTIME_ID) {
        *ns = task_cpu_ns(me);
        return 0;
    }
    int which = clock & CPUCLOCK_WHICH_MASK;
    pid_t pid = ~(clock >> 3);
    if (which == CPUCLOCK_MAX)
        return -EINVAL;
    struct task *t = pid ? task_find(pid) : me;
    if (!t || t->state == TASK_DEAD)
        return -EINVAL;
    bool user_only = which == CPUCLOCK_VIRT;
    if (clock & CPUCLOCK_PER_THREAD) {
        if (t->tgid != me->tgid)
            return -EINVAL; /* a thread clock of another process (Linux) */
        *ns = user_only ? t->user_ns : task_cpu_ns(t);
    } else {
        if (t != t->group_leader)
            return -EINVAL;
        *ns = process_cpu_ns(t, user_only);
    }
    return 0;
}

long clock_read(int clock, u64 *ns)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
        *ns = realtime_ns();
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ns = monotonic_ns();
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        return cpu_clock_read(clock, ns);
    default:
        return clock < 0 ? cpu_clock_read(clock, ns) : -EINVAL;
    }
}

/* Linux's: 1 ns for the high-resolution and CPU-time clocks, a jiffy for the
 * coarse ones. */
long clock_resolution(int clock, u64 *ns)
{
    u64 now;
    long err = clock_read(clock, &now);
    if (err)
        return err;
    bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
    _Static_assert(COARSE_CLOCK_RESOLUTION_NS == TIME_SLICE_NS, "the coarse clocks move at each time slice");
    *ns = coarse ? COARSE_CLOCK_RESOLUTION_NS : HRES_CLOCK_RESOLUTION_NS;
    return 0;
}

static long put_timespec(u64 ns, struct timespec __user *ts)
{
    struct timespec t = {(s64)(ns / 1000000000), (s64)(ns % 1000000000)};
    return copy_to_user(ts, &t, sizeof(t));
}

long sys_clock_gettime(int clock, struct timespec __user *ts)
{
    u64 ns;
    long err = clock_read(clock, &ns);
    return err ?: put_timespec(ns, ts);
}

long sys_clock_getres(int clock, struct timespec __user *ts)
{
    u64 ns;
    long err = clock_resolution(clock, &ns);
    return err ?: (ts ? put_timespec(ns, ts) : 0);
}

/* What settimeofday stored, for gettimeofday to give back (Linux keeps it
 * for the few programs that still ask). */
static struct timezone_k system_timezone;

const struct timezone_k *clock_timezone(void) { return &system_timezone; }

long sys_gettimeofday(struct timeval __user *tv, struct timezone_k __user *tz)
{
    u64 ns = realtime_ns();
    struct timeval t = {(s64)(ns / 1000000000), (s64)(ns % 1000000000 / 1000)};
    if (tv && copy_to_user(tv, &t, sizeof(t)))
        return -EFAULT;
    if (tz && copy_to_user(tz, &system_timezone, sizeof(system_timezone)))
        return -EFAULT;
    return 0;
}

/* Only CLOCK_REALTIME can be set; the check comes before the time is read,
 * as on Linux. Everybody is root here, so nobody gets EPERM. */
long clock_set_check(int clock) { return clock == CLOCK_REALTIME ? 0 : -EINVAL; }

/* Sleepers until an absolute time wait here besides their deadline: a new
 * CLOCK_REALTIME moves the moment they wait for, so they measure again. */
static struct wait_queue clock_was_set;

struct wait_queue *clock_set_queue(void) { return &clock_was_set; }

long clock_set(s64 sec, s64 nsec)
{
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    clock_set_realtime((u64)sec * 1000000000ull + (u64)nsec);
    wake_up_all(&clock_was_set);
    return 0;
}

long sys_clock_settime(int clock, const struct timespec __user *ts)
{
    long err = clock_set_check(clock);
    if (err)
        return err;
    struct timespec t;
    if (copy_from_user(&t, ts, sizeof(t)))
        return -EFAULT;
    return clock_set(t.tv_sec, t.tv_nsec);
}

#define MAX_TIMEZONE_MINUTES (15 * 60)

/* settimeofday once its arguments are read (time: NULL for none), checked
 * in Linux's order: the microseconds before the zone is read, the rest after. */
long clock_set_time_and_zone(const struct timeval *time, const struct timezone_k *tz)
{
    if (time && (time->tv_sec < 0 || time->tv_usec >= 1000000))
        return -EINVAL;
    if (tz && (tz->minuteswest > MAX_TIMEZONE_MINUTES || tz->minuteswest < -MAX_TIMEZONE_MINUTES))
        return -EINVAL;
    if (tz)
        system_timezone = *tz;
    return time ? clock_set(time->tv_sec, time->tv_usec * 1000) : 0;
}

long sys_settimeofday(const struct timeval __user *tv, const struct timezone_k __user *tz)
{
    struct timeval t;
    struct timezone_k zone;
    if (tv && copy_from_user(&t, tv, sizeof(t)))
        return -EFAULT;
    if (tv && (t.tv_usec < 0 || t.tv_usec > 1000000))
        return -EINVAL;
    if (tz && copy_from_user(&zone, tz, sizeof(zone)))
        return -EFAULT;
    return clock_set_time_and_zone(tv ? &t : NULL, tz ? &zone : NULL);
}

long sys_time(s64 __user *tloc)
{
    s64 now = realtime_seconds();
    if (tloc && copy_to_user(tloc, &now, sizeof(now)))
        return -EFAULT;
    return now;
}

/* Sleeps until the monotonic deadline or a signal: 0, or -EINTR. */
static long sleep_until(u64 deadline)
{
    int err;
    while ((err = wait_sleep(NULL, NULL, deadline)) == 0)
        ; /* woken for nothing */
    return err == -ETIMEDOUT ? 0 : -EINTR;
}

struct compat_timespec_k {
    s32 tv_sec, tv_nsec;
};

static int put_remaining(u64 left, void __user *rem, bool time32)
{
    if (!time32)
        return put_timespec(left, rem);
    struct compat_timespec_k t = {(s32)(left / NSEC_PER_SEC), (s32)(left % NSEC_PER_SEC)};
    return copy_to_user(rem, &t, sizeof(t));
}

static long relative_sleep_restart(struct restart_block *block);

/* A relative sleep until the monotonic `deadline`. Interrupted, it reports
 * the time left in *rem and leaves its deadline for restart_syscall, which
 * goes on when no handler ran (a stop and continue): the program sees EINTR
 * only when a handler ran, as on Linux. */
static long relative_sleep(u64 deadline, void __user *rem, bool time32)
{
    if (!sleep_until(deadline))
        return 0;
    u64 now = monotonic_ns();
    if (rem && put_remaining(deadline > now ? deadline - now : 0, rem, time32))
        return -EFAULT;
    struct restart_block *block = &current_task()->restart;
    block->fn = relative_sleep_restart;
    block->arg[0] = deadline;
    block->arg[1] = (u64)rem;
    block->arg[2] = time32;
    return -ERESTART_RESTARTBLOCK;
}

static long relative_sleep_restart(struct restart_block *block)
{
    return relative_sleep(block->arg[0], (void __user *)block->arg[1], block->arg[2]);
}

long nanosleep_for(s64 sec, s64 nsec, void __user *rem, bool time32)
{
    if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
        return -EINVAL;
    return relative_sleep(monotonic_ns() + (u64)sec * NSEC_PER_SEC + (u64)nsec, rem, time32);
}

long sys_nanosleep(const struct timespec __user *req, struct timespec __user *rem)
{
    struct timespec t;
    if (copy_from_user(&t, req, sizeof(t)))
        return -EFAULT;
    return nanosleep_for(t.tv_sec, t.tv_nsec, rem, false);
}

#define TIMER_ABSTIME 1

/* After the clock and flags were checked and the request read: the sleep.
 * An absolute one interrupted without a handler is simply made again
 * (ERESTARTNOHAND); a relative one carries on to its deadline. */
long clock_sleep(int clock, int flags, s64 sec, s64 nsec, void __user *rem, bool time32)
{
    if (!(flags & TIMER_ABSTIME))
        return nanosleep_for(sec, nsec, rem, time32);
    if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
        return -EINVAL;
    /* Timers run on CLOCK_MONOTONIC: the time left on the sleep's own clock
     * becomes a monotonic deadline, measured again whenever the real-time
     * clock is set (Linux moves absolute CLOCK_REALTIME sleeps with it). */
    u64 target = (u64)sec * NSEC_PER_SEC + (u64)nsec;
    u64 irqs = irq_save();
    int err;
    for (;;) {
        u64 now = 0;
        clock_read(clock, &now);
        if (now >= target) {
            err = 0;
            break;
        }
        err = wait_sleep(&clock_was_set, NULL, monotonic_ns() + (target - now));
        if (err == -ERESTARTSYS)
            break;
    }
    irq_restore(irqs);
    return err ? -ERESTARTNOHAND : 0;
}

/* Which clocks clock_nanosleep takes, as Linux: not the raw and coarse ones
 * (EOPNOTSUPP), never a thread's CPU clock (EINVAL). Flags other than
 * TIMER_ABSTIME are ignored, as Linux ignores them. */
long clock_sleep_check(int clock, int flags)
{
    (void)flags;
    u64 now;
    long err = clock_read(clock, &now);
    if (err)
        return err;
    if (clock == CLOCK_THREAD_CPUTIME_ID || (clock < 0 && (clock & CPUCLOCK_PER_THREAD)))
        return -EINVAL;
    if (clock == CLOCK_PROCESS_CPUTIME_ID || clock < 0)
        return -ENOSYS; /* sleeping until a process has used some CPU time is not implemented */
    if (clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE)
        return -EOPNOTSUPP;
    return 0;
}

long sys_clock_nanosleep(int clock, int flags, const struct timespec __user *req, struct timespec __user *rem)
{
    long err = clock_sleep_check(clock, flags);
    if (err)
        return err;
    struct timespec t;
    if (copy_from_user(&t, req, sizeof(t)))
        return -EFAULT;
    return clock_sleep(clock, flags, t.tv_sec, t.tv_nsec, rem, false);
}

/* ---- alarm and the real-time interval timer (SIGALRM) ---- */

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

static struct timeval ns_to_timeval(u64 ns)
{
    return (struct timeval){(s64)(ns / 1000000000), (s64)(ns % 1000000000 / 1000)};
}

static u64 timeval_to_ns(struct timeval tv) { return (u64)tv.tv_sec * 1000000000ull + (u64)tv.tv_usec * 1000; }

static void alarm_set(struct task *leader, u64 deadline, u64 interval);

static void read_itimer(struct task *leader, struct itimerval_k *out)
{
    u64 now = monotonic_ns();
    u64 left = leader->alarm_deadline > now ? leader->alarm_deadline - now : 0;
    if (leader->alarm_deadline && !left)
        left = 1000; /* due but not yet delivered */
    *out = (struct itimerval_k){ns_to_timeval(leader->alarm_interval), ns_to_timeval(leader->alarm_deadline ? left : 0)};
}

/* The CPU-time timers count down the process's CPU time: ITIMER_VIRTUAL in
 * user mode only, ITIMER_PROF in user and kernel mode (time/cputime.c). */
static void read_cpu_itimer(struct task *leader, int index, struct itimerval_k *out)
{
    *out = (struct itimerval_k){ns_to_timeval(leader->cpu_timer_interval[index]),
                                ns_to_timeval(leader->cpu_timer_left[index])};
}

long itimer_get(int which, struct itimerval_k *out)
{
    struct task *leader = current_task()->group_leader;
    if (which == ITIMER_VIRTUAL || which == ITIMER_PROF)
        read_cpu_itimer(leader, which - ITIMER_VIRTUAL, out);
    else if (which == ITIMER_REAL)
        read_itimer(leader, out);
    else
        return -EINVAL;
    return 0;
}

long itimer_set(int which, const struct itimerval_k *v, struct itimerval_k *old)
{
    if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
        return -EINVAL;
    if (v->value.tv_usec < 0 || v->value.tv_usec >= 1000000 || v->interval.tv_usec < 0 ||
        v->interval.tv_usec >= 1000000 || v->value.tv_sec < 0 || v->interval.tv_sec < 0)
        return -EINVAL;
    struct task *leader = current_task()->group_leader;
    u64 value_ns = timeval_to_ns(v->value);
    if (which != ITIMER_REAL) {
        int index = which - ITIMER_VIRTUAL;
        read_cpu_itimer(leader, index, old);
        leader->cpu_timer_left[index] = value_ns;
        leader->cpu_timer_interval[index] = timeval_to_ns(v->interval);
        return 0;
    }
    read_itimer(leader, old);
    alarm_set(leader, value_ns ? monotonic_ns() + value_ns : 0, timeval_to_ns(v->interval));
    return 0;
}

long sys_getitimer(int which, struct itimerval_k __user *value)
{
    struct itimerval_k v;
    long err = itimer_get(which, &v);
    return err ?: (copy_to_user(value, &v, sizeof(v)) ? -EFAULT : 0);
}

long sys_setitimer(int which, const struct itimerval_k __user *value, struct itimerval_k __user *old)
{
    struct itimerval_k v = {{0, 0}, {0, 0}}, previous;
    if (value && copy_from_user(&v, value, sizeof(v)))
        return -EFAULT;
    long err = itimer_set(which, &v, &previous);
    if (err)
        return err;
    return old && copy_to_user(old, &previous, sizeof(previous)) ? -EFAULT : 0;
}

long sys_alarm(unsigned seconds)
{
    struct task *leader = current_task()->group_leader;
    u64 now = monotonic_ns();
    u64 left = leader->alarm_deadline > now ? leader->alarm_deadline - now : 0;
    alarm_set(leader, seconds ? now + seconds * 1000000000ull : 0, 0);
    /* Remaining whole seconds, rounded to nearest, at least 1 if any is left (Linux). */
    return left ? (long)MAX((left + 500000000) / 1000000000, 1ull) : 0;
}

/* The alarm timer of a process: SIGALRM, and the next period if any. */
static void alarm_expired(struct timer *timer)
{
    struct task *leader = (struct task *)((char *)timer - __builtin_offsetof(struct task, alarm_timer));
    if (leader->state == TASK_ZOMBIE || leader->state == TASK_DEAD) {
        leader->alarm_deadline = 0;
        return;
    }
    u64 now = monotonic_ns();
    leader->alarm_deadline = leader->alarm_interval ? now + leader->alarm_interval : 0;
    if (leader->alarm_deadline)
        timer_start(timer, leader->alarm_deadline, alarm_expired);
    signal_send_process(leader, SIGALRM);
}

static void alarm_set(struct task *leader, u64 deadline, u64 interval)
{
    u64 flags = irq_save();
    leader->alarm_deadline = deadline;
    leader->alarm_interval = interval;
    if (deadline)
        timer_start(&leader->alarm_timer, deadline, alarm_expired);
    else
        timer_cancel(&leader->alarm_timer);
    irq_restore(flags);
}

/* An ended process's alarm must not fire into freed memory. */
void alarm_cancel(struct task *leader) { alarm_set(leader, 0, 0); }
