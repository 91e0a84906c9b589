/* Process groups and sessions, and prctl (the ids themselves: cred.c). */
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "seccomp.h"
#include "signal.h"
#include "uaccess.h"

long sys_getpgid(pid_t pid)
{
    struct task *t = pid ? task_find(pid) : current_task();
    return t ? t->group_leader->pgid : -ESRCH;
}

long sys_getpgrp(void) { return current_task()->group_leader->pgid; }

long sys_getsid(pid_t pid)
{
    struct task *t = pid ? task_find(pid) : current_task();
    return t ? t->group_leader->sid : -ESRCH;
}

long sys_setpgid(pid_t pid, pid_t pgid)
{
    struct task *me = current_task()->group_leader;
    if (pgid < 0)
        return -EINVAL;
    struct task *t = pid ? task_find(pid) : me;
    if (!t || (t != me && t->parent != me))
        return -ESRCH;
    t = t->group_leader;
    if (t->sid == t->pid)
        return -EPERM; /* a session leader stays where it is */
    if (t->sid != me->sid)
        return -EPERM;
    if (!pgid)
        pgid = t->pid;
    if (pgid != t->pid) {
        bool group_in_session = false;
        for (struct task *o = task_first(); o; o = task_next(o))
            if (o->pgid == pgid && o->sid == me->sid && o->state != TASK_DEAD)
                group_in_session = true;
        if (!group_in_session)
            return -EPERM;
    }
    for (struct task *o = task_first(); o; o = task_next(o))
        if (o->tgid == t->tgid)
            o->pgid = pgid;
    return 0;
}

long sys_setsid(void)
{
    struct task *me = current_task()->group_leader;
    for (struct task *o = task_first(); o; o = task_next(o))
        if (o->pgid == me->pid && o->state != TASK_DEAD)
            return -EPERM; /* already a group leader */
    for (struct task *o = task_first(); o; o = task_next(o))
        if (o->tgid == me->tgid)
            o->pgid = o->sid = me->pid;
    return me->pid;
}

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_GET_SECCOMP 21
#define PR_SET_SECCOMP 22
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39

long sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
    struct task *t = current_task();
    switch (option) {
    case PR_SET_PDEATHSIG:
        if (arg2 > NSIG)
            return -EINVAL;
        t->pdeath_signal = (int)arg2;
        return 0;
    case PR_GET_PDEATHSIG:
        return put_user(t->pdeath_signal, (int __user *)arg2) ? -EFAULT : 0;
    case PR_SET_NAME: {
        char name[16];
        long n = strncpy_from_user(name, (const char __user *)arg2, sizeof(name));
        if (n == -EFAULT)
            return -EFAULT;
        name[15] = 0;
        strlcpy(t->comm, name, sizeof(t->comm));
        return 0;
    }
    case PR_GET_NAME:
        return copy_to_user((void __user *)arg2, t->comm, sizeof(t->comm)) ? -EFAULT : 0;
    case PR_GET_SECCOMP: return seccomp_prctl_get();
    case PR_SET_SECCOMP: return seccomp_prctl_set(arg2, arg3);
    case PR_SET_NO_NEW_PRIVS:
        if (arg2 != 1 || arg3 || arg4 || arg5)
            return -EINVAL;
        t->no_new_privs = true; /* for good: nothing clears it */
        return 0;
    case PR_GET_NO_NEW_PRIVS:
        if (arg2 || arg3 || arg4 || arg5)
            return -EINVAL;
        return t->no_new_privs;
    default:
        return -EINVAL;
    }
}
