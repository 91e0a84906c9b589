/* Process groups and sessions, and the user and group ids (everything runs as
 * root: the ids can be read and set to 0, as root may). */
#include "errno.h"
#include "lib.h"
#include "proc.h"
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

/* Root may set any id; sysgate has only root, so only 0 keeps that true. */
static long only_root(u32 id) { return id == 0 || id == (u32)-1 ? 0 : -EINVAL; }

long sys_setuid(u32 uid) { return only_root(uid); }
long sys_setgid(u32 gid) { return only_root(gid); }
long sys_setreuid(u32 r, u32 e) { return only_root(r) ?: only_root(e); }
long sys_setregid(u32 r, u32 e) { return only_root(r) ?: only_root(e); }
long sys_setresuid(u32 r, u32 e, u32 s) { return only_root(r) ?: only_root(e) ?: only_root(s); }
long sys_setresgid(u32 r, u32 e, u32 s) { return only_root(r) ?: only_root(e) ?: only_root(s); }
long sys_setfsuid(u32 uid) { (void)uid; return 0; /* returns the previous fsuid: 0 */ }
long sys_setfsgid(u32 gid) { (void)gid; return 0; }

static long three_zeros(u32 __user *a, u32 __user *b, u32 __user *c)
{
    return put_user(0u, a) || put_user(0u, b) || put_user(0u, c) ? -EFAULT : 0;
}
long sys_getresuid(u32 __user *r, u32 __user *e, u32 __user *s) { return three_zeros(r, e, s); }
long sys_getresgid(u32 __user *r, u32 __user *e, u32 __user *s) { return three_zeros(r, e, s); }

/* Root's supplementary groups: none (as after setgroups(0, NULL)). */
long sys_getgroups(int size, u32 __user *list)
{
    (void)list;
    return size < 0 ? -EINVAL : 0;
}

long sys_setgroups(int size, const u32 __user *list)
{
    (void)list;
    if (size < 0 || size > 65536)
        return -EINVAL;
    return size == 0 ? 0 : -EINVAL; /* no group database to keep them in yet */
}

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_SET_NAME 15
#define PR_GET_NAME 16

long sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
    (void)arg3, (void)arg4, (void)arg5;
    struct task *t = current_task();
    switch (option) {
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
    default:
        return -EINVAL;
    }
}
