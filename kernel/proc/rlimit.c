/* Resource limits: the values sysgate actually enforces or reports. */
#include "errno.h"
#include "layout.h"
#include "lib.h"
#include "proc.h"
#include "uaccess.h"

#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIM_INFINITY (~0ul)

struct rlimit {
    u64 cur, max;
};

#define UNLIMITED {RLIM_INFINITY, RLIM_INFINITY}

/* One table for the whole system until processes can change their own. */
static const struct rlimit limits[RLIM_NLIMITS] = {
    UNLIMITED,                   /* RLIMIT_CPU */
    UNLIMITED,                   /* RLIMIT_FSIZE */
    UNLIMITED,                   /* RLIMIT_DATA */
    {USER_STACK_MAX, RLIM_INFINITY}, /* RLIMIT_STACK */
    {0, RLIM_INFINITY},          /* RLIMIT_CORE */
    UNLIMITED,                   /* RLIMIT_RSS */
    UNLIMITED,                   /* RLIMIT_NPROC */
    {MAX_FDS, MAX_FDS},          /* RLIMIT_NOFILE */
    {8 << 20, 8 << 20},          /* RLIMIT_MEMLOCK */
    UNLIMITED,                   /* RLIMIT_AS */
    UNLIMITED,                   /* RLIMIT_LOCKS */
    UNLIMITED,                   /* RLIMIT_SIGPENDING */
    {819200, 819200},            /* RLIMIT_MSGQUEUE */
    {0, 0},                      /* RLIMIT_NICE */
    {0, 0},                      /* RLIMIT_RTPRIO */
    UNLIMITED,                   /* RLIMIT_RTTIME */
};

void task_rlimit(struct task *t, unsigned resource, u64 *cur, u64 *max)
{
    (void)t; /* one table for every process, for now */
    *cur = limits[resource].cur;
    *max = limits[resource].max;
}

long sys_prlimit64(int pid, unsigned resource, const struct rlimit __user *new_limit, struct rlimit __user *old_limit)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    if (pid != 0 && pid != current_task()->tgid)
        return -ESRCH;
    if (new_limit)
        return -EPERM; /* changing limits is not supported yet */
    if (old_limit && copy_to_user(old_limit, &limits[resource], sizeof(struct rlimit)))
        return -EFAULT;
    return 0;
}

long sys_getrlimit(unsigned resource, struct rlimit __user *old_limit)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    return copy_to_user(old_limit, &limits[resource], sizeof(struct rlimit)) ? -EFAULT : 0;
}

/* i386's struct rlimit has 32-bit fields; anything larger reads as infinity. */
long compat_sys_getrlimit(unsigned resource, u32 __user *old_limit)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    u32 pair[2];
    for (int i = 0; i < 2; i++) {
        u64 v = i ? limits[resource].max : limits[resource].cur;
        pair[i] = v > 0xffffffffu ? 0xffffffffu : (u32)v;
    }
    return copy_to_user(old_limit, pair, sizeof(pair)) ? -EFAULT : 0;
}
