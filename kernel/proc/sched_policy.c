/*
 * Scheduling policies and priorities as Linux's calls see them: nice values
 * (getpriority, setpriority, i386's nice), policies and real-time priorities
 * (sched_setscheduler and friends, sched_setattr/getattr), and the two
 * process properties next to them, personality and getcpu. The scheduler
 * runs a runnable real-time task (SCHED_FIFO, SCHED_RR) before any other,
 * the highest priority first; among the others it is round-robin, so a nice
 * value is kept and reported but does not weigh the time slices.
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "time.h"
#include "uaccess.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define NICE_MIN (-20)
#define NICE_MAX 19
#define RT_PRIO_MAX 99
#define RR_TIMESLICE_NS (100 * 1000000ull) /* Linux's RR_TIMESLICE */
#define SCHED_RESET_ON_FORK 0x40000000
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_ATTR_SIZE_VER0 48
#define SCHED_ATTR_SIZE_VER1 56
#define PERSONALITY_QUERY 0xffffffffu

static bool policy_known(int policy)
{
    return policy == SCHED_NORMAL || policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_BATCH ||
           policy == SCHED_IDLE;
}

static bool policy_rt(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }

/* The thread a pid-taking call means: 0 is the caller. */
static struct task *sched_target(pid_t pid, long *err)
{
    if (pid < 0) {
        *err = -EINVAL;
        return NULL;
    }
    struct task *t = pid ? task_find(pid) : current_task();
    if (!t || t->state == TASK_DEAD) {
        *err = -ESRCH;
        return NULL;
    }
    return t;
}

/* ---- nice ---- */

static bool prio_matches(struct task *t, int which, int who)
{
    if (t->state == TASK_DEAD || t->group_leader != t)
        return false;
    struct task *me = current_task();
    switch (which) {
    case PRIO_PROCESS: return t->tgid == (who ? who : me->tgid);
    case PRIO_PGRP: return t->pgid == (who ? who : me->pgid);
    default: return task_cred(t)->euid == (u32)(who ? who : (int)task_cred(me)->euid);
    }
}

long sys_getpriority(int which, int who)
{
    if (which < PRIO_PROCESS || which > PRIO_USER)
        return -EINVAL;
    long best = -ESRCH;
    for (struct task *t = task_first(); t; t = t->next_task)
        if (prio_matches(t, which, who) && 20 - t->nice > best)
            best = 20 - t->nice; /* the kernel's 40..1, which libc turns back into a nice value */
    return best;
}

long sys_setpriority(int which, int who, int niceval)
{
    if (which < PRIO_PROCESS || which > PRIO_USER)
        return -EINVAL;
    niceval = MAX(NICE_MIN, MIN(NICE_MAX, niceval));
    long err = -ESRCH;
    for (struct task *t = task_first(); t; t = t->next_task) {
        if (!prio_matches(t, which, who))
            continue;
        if (niceval < t->nice && !capable(CAP_SYS_NICE)) {
            err = -EACCES;
            continue;
        }
        for (struct task *thread = task_first(); thread; thread = thread->next_task)
            if (thread->group_leader == t)
                thread->nice = niceval;
        err = 0;
    }
    return err;
}

long sys_nice(int increment)
{
    struct task *me = current_task();
    int niceval = MAX(NICE_MIN, MIN(NICE_MAX, me->nice + MAX(-40, MIN(40, increment))));
    if (niceval < me->nice && !capable(CAP_SYS_NICE))
        return -EPERM;
    me->nice = niceval;
    return 0;
}

/* ---- policies ---- */

static long set_policy(struct task *t, int policy, u32 priority, bool reset_on_fork)
{
    if (!policy_known(policy))
        return -EINVAL;
    if (policy_rt(policy) ? priority < 1 || priority > RT_PRIO_MAX : priority != 0)
        return -EINVAL;
    if (policy_rt(policy) && !capable(CAP_SYS_NICE))
        return -EPERM;
    t->policy = policy;
    t->rt_priority = priority;
    t->reset_on_fork = reset_on_fork;
    return 0;
}

/* The thread and the struct sched_param's priority a set call names, in Linux's order of checks. */
static struct task *sched_param_target(pid_t pid, const int __user *param, int *priority, long *err)
{
    if (!param || pid < 0) {
        *err = -EINVAL;
        return NULL;
    }
    if (copy_from_user(priority, param, sizeof(*priority))) {
        *err = -EFAULT;
        return NULL;
    }
    return sched_target(pid, err);
}

long sys_sched_setscheduler(pid_t pid, int policy, const int __user *param)
{
    int priority;
    long err;
    struct task *t = sched_param_target(pid, param, &priority, &err);
    if (!t)
        return err;
    if (policy < 0)
        return -EINVAL;
    return set_policy(t, policy & ~SCHED_RESET_ON_FORK, (u32)priority, policy & SCHED_RESET_ON_FORK);
}

long sys_sched_getscheduler(pid_t pid)
{
    long err;
    struct task *t = sched_target(pid, &err);
    return t ? t->policy | (t->reset_on_fork ? SCHED_RESET_ON_FORK : 0) : err;
}

long sys_sched_setparam(pid_t pid, const int __user *param)
{
    int priority;
    long err;
    struct task *t = sched_param_target(pid, param, &priority, &err);
    return t ? set_policy(t, t->policy, (u32)priority, t->reset_on_fork) : err;
}

long sys_sched_getparam(pid_t pid, int __user *param)
{
    if (!param || pid < 0)
        return -EINVAL;
    long err;
    struct task *t = sched_target(pid, &err);
    if (!t)
        return err;
    int priority = (int)t->rt_priority;
    return copy_to_user(param, &priority, sizeof(priority)) ? -EFAULT : 0;
}

long sys_sched_get_priority_max(int policy)
{
    return policy_rt(policy) ? RT_PRIO_MAX : policy_known(policy) ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(int policy)
{
    return policy_rt(policy) ? 1 : policy_known(policy) ? 0 : -EINVAL;
}

/* The time slice of a SCHED_RR thread; 0 for the others (SCHED_FIFO runs
 * until it yields; a time-shared thread's slice is not fixed, and Linux
 * reports 0 for one that has the CPU to itself). */
static long rr_interval(pid_t pid, u64 *ns)
{
    long err;
    struct task *t = sched_target(pid, &err);
    if (!t)
        return err;
    *ns = t->policy == SCHED_RR ? RR_TIMESLICE_NS : 0;
    return 0;
}

long sys_sched_rr_get_interval(pid_t pid, struct timespec_k __user *interval)
{
    u64 ns;
    long err = rr_interval(pid, &ns);
    if (err)
        return err;
    struct timespec_k ts = {(s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC)};
    return copy_to_user(interval, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long compat_sys_sched_rr_get_interval_time32(pid_t pid, s32 __user *interval)
{
    u64 ns;
    long err = rr_interval(pid, &ns);
    if (err)
        return err;
    s32 ts[2] = {(s32)(ns / NSEC_PER_SEC), (s32)(ns % NSEC_PER_SEC)};
    return copy_to_user(interval, ts, sizeof(ts)) ? -EFAULT : 0;
}

struct sched_attr {
    u32 size, policy;
    u64 flags;
    s32 nice;
    u32 priority;
    u64 runtime, deadline, period; /* SCHED_DEADLINE's: not supported */
    u32 util_min, util_max;
};

long sys_sched_setattr(pid_t pid, void __user *uattr, u32 flags)
{
    if (!uattr || pid < 0 || flags)
        return -EINVAL;
    u32 size;
    if (copy_from_user(&size, uattr, sizeof(size)))
        return -EFAULT;
    if (size == 0)
        size = SCHED_ATTR_SIZE_VER0;
    if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
        goto too_big;
    struct sched_attr attr = {0};
    if (copy_from_user(&attr, uattr, MIN(size, (u32)sizeof(attr))))
        return -EFAULT;
    for (u32 off = sizeof(attr); off < size; off++) { /* a newer layout's fields must be zero */
        u8 byte;
        if (copy_from_user(&byte, (u8 __user *)uattr + off, 1))
            return -EFAULT;
        if (byte)
            goto too_big;
    }
    if (attr.flags & ~(u64)SCHED_FLAG_RESET_ON_FORK)
        return -EINVAL;
    long err;
    struct task *t = sched_target(pid, &err);
    if (!t)
        return err;
    attr.nice = MAX(NICE_MIN, MIN(NICE_MAX, attr.nice)); /* clamped, as Linux's sched_copy_attr */
    err = set_policy(t, (int)attr.policy, attr.priority, attr.flags & SCHED_FLAG_RESET_ON_FORK);
    if (!err && !policy_rt((int)attr.policy))
        t->nice = attr.nice;
    return err;
too_big:
    size = sizeof(struct sched_attr);
    copy_to_user(uattr, &size, sizeof(size)); /* says the size it knows, as Linux's E2BIG does */
    return -E2BIG;
}

long sys_sched_getattr(pid_t pid, void __user *uattr, u32 size, u32 flags)
{
    if (!uattr || pid < 0 || size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0 || flags)
        return -EINVAL;
    long err;
    struct task *t = sched_target(pid, &err);
    if (!t)
        return err;
    struct sched_attr attr = {
        .size = MIN(size, (u32)sizeof(attr)),
        .policy = (u32)t->policy,
        .flags = t->reset_on_fork ? SCHED_FLAG_RESET_ON_FORK : 0,
        .nice = policy_rt(t->policy) ? 0 : t->nice,
        .priority = t->rt_priority,
        .util_max = 1024, /* SCHED_CAPACITY_SCALE: no clamping */
    };
    return copy_to_user(uattr, &attr, attr.size) ? -EFAULT : 0;
}

/* ---- personality, getcpu ---- */

long sys_personality(u32 persona)
{
    struct task *leader = current_task()->group_leader;
    u32 old = leader->personality;
    if (persona != PERSONALITY_QUERY)
        leader->personality = persona;
    return old;
}

/* sysgate runs every task on CPU 0, node 0. */
long sys_getcpu(u32 __user *cpu, u32 __user *node, void __user *cache)
{
    (void)cache;
    u32 zero = 0;
    if (cpu && copy_to_user(cpu, &zero, sizeof(zero)))
        return -EFAULT;
    if (node && copy_to_user(node, &zero, sizeof(zero)))
        return -EFAULT;
    return 0;
}
