/*
 * Resource limits: each process's own (kept in its leader, copied by fork,
 * kept across exec), the calls that read and change them with Linux's rules
 * (kernel/sys.c: lowering is always allowed, raising a hard limit needs
 * CAP_SYS_RESOURCE), and the checks the rest of the kernel makes against
 * them.
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "layout.h"
#include "lib.h"
#include "mman.h"
#include "proc.h"
#include "signal.h"
#include "uaccess.h"

#define NR_OPEN_MAX (1024 * 1024) /* Linux's fs.nr_open: NOFILE's ceiling even for root */
#define DEFAULT_NOFILE_SOFT 1024  /* Linux's INR_OPEN_CUR */
#define DEFAULT_NOFILE_HARD 4096  /* and INR_OPEN_MAX */
#define DEFAULT_MEMLOCK (8 << 20)
#define DEFAULT_MSGQUEUE 819200
#define COMPAT_RLIM_INFINITY 0xffffffffu
#define COMPAT_RLIM_OLD_INFINITY 0x7fffffffu /* i386's original getrlimit (76) */
#define NSEC_PER_SEC 1000000000ull

#define UNLIMITED {RLIM_INFINITY, RLIM_INFINITY}

/* What Linux gives its first process (include/asm-generic/resource.h). */
static const struct rlimit_k initial_limits[RLIM_NLIMITS] = {
    UNLIMITED,                                    /* RLIMIT_CPU */
    UNLIMITED,                                    /* RLIMIT_FSIZE */
    UNLIMITED,                                    /* RLIMIT_DATA */
    {USER_STACK_MAX, RLIM_INFINITY},              /* RLIMIT_STACK */
    {0, RLIM_INFINITY},                           /* RLIMIT_CORE */
    UNLIMITED,                                    /* RLIMIT_RSS */
    UNLIMITED,                                    /* RLIMIT_NPROC */
    {DEFAULT_NOFILE_SOFT, DEFAULT_NOFILE_HARD},   /* RLIMIT_NOFILE */
    {DEFAULT_MEMLOCK, DEFAULT_MEMLOCK},           /* RLIMIT_MEMLOCK */
    UNLIMITED,                                    /* RLIMIT_AS */
    UNLIMITED,                                    /* RLIMIT_LOCKS */
    UNLIMITED,                                    /* RLIMIT_SIGPENDING */
    {DEFAULT_MSGQUEUE, DEFAULT_MSGQUEUE},         /* RLIMIT_MSGQUEUE */
    {0, 0},                                       /* RLIMIT_NICE */
    {0, 0},                                       /* RLIMIT_RTPRIO */
    UNLIMITED,                                    /* RLIMIT_RTTIME */
};

void rlimit_set_defaults(struct task *t) { memcpy(t->rlim, initial_limits, sizeof(t->rlim)); }

static struct rlimit_k *limits_of(struct task *t) { return t->group_leader ? t->group_leader->rlim : t->rlim; }

void task_rlimit(struct task *t, unsigned resource, u64 *cur, u64 *max)
{
    *cur = limits_of(t)[resource].cur;
    *max = limits_of(t)[resource].max;
}

u64 rlimit(unsigned resource) { return limits_of(current_task())[resource].cur; }

/* check_prlimit_permission: another process's limits are the caller's to
 * see and change only when all its ids are the caller's real ones. */
static int may_touch_limits(struct task *t)
{
    if (t->group_leader == current_task()->group_leader)
        return 0;
    const struct cred *me = current_cred(), *it = task_cred(t);
    bool ids_match = me->uid == it->euid && me->uid == it->suid && me->uid == it->uid && me->gid == it->egid &&
                     me->gid == it->sgid && me->gid == it->gid;
    return ids_match || capable(CAP_SYS_RESOURCE) ? 0 : -EPERM;
}

static long do_prlimit(struct task *t, unsigned resource, const struct rlimit_k *new_limit, struct rlimit_k *old)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    if (new_limit) {
        if (new_limit->cur > new_limit->max)
            return -EINVAL;
        if (resource == RLIMIT_NOFILE && new_limit->max > NR_OPEN_MAX)
            return -EPERM;
    }
    struct rlimit_k *limit = &limits_of(t)[resource];
    if (old)
        *old = *limit;
    if (new_limit) {
        if (new_limit->max > limit->max && !capable(CAP_SYS_RESOURCE))
            return -EPERM;
        *limit = *new_limit;
    }
    return 0;
}

long sys_prlimit64(int pid, unsigned resource, const struct rlimit_k __user *new_limit, struct rlimit_k __user *old_limit)
{
    struct rlimit_k new_value, old_value;
    if (new_limit && copy_from_user(&new_value, new_limit, sizeof(new_value)))
        return -EFAULT;
    struct task *t = pid ? task_find(pid) : current_task();
    if (!t || t->state == TASK_DEAD)
        return -ESRCH;
    long err = may_touch_limits(t);
    err = err ?: do_prlimit(t, resource, new_limit ? &new_value : NULL, old_limit ? &old_value : NULL);
    if (!err && old_limit && copy_to_user(old_limit, &old_value, sizeof(old_value)))
        return -EFAULT;
    return err;
}

long sys_getrlimit(unsigned resource, struct rlimit_k __user *old_limit)
{
    struct rlimit_k value;
    long err = do_prlimit(current_task(), resource, NULL, &value);
    return err ?: (copy_to_user(old_limit, &value, sizeof(value)) ? -EFAULT : 0);
}

long sys_setrlimit(unsigned resource, const struct rlimit_k __user *new_limit)
{
    struct rlimit_k value;
    if (copy_from_user(&value, new_limit, sizeof(value)))
        return -EFAULT;
    return do_prlimit(current_task(), resource, &value, NULL);
}

/* i386's struct rlimit has 32-bit fields: the largest one reads and writes
 * as infinity. ugetrlimit (191) uses 0xffffffff, the original getrlimit
 * (76) 0x7fffffff. */
static long compat_getrlimit(unsigned resource, u32 __user *old_limit, u32 infinity)
{
    struct rlimit_k value;
    long err = do_prlimit(current_task(), resource, NULL, &value);
    if (err)
        return err;
    u32 pair[2] = {value.cur > infinity ? infinity : (u32)value.cur, value.max > infinity ? infinity : (u32)value.max};
    return copy_to_user(old_limit, pair, sizeof(pair)) ? -EFAULT : 0;
}

long compat_sys_getrlimit(unsigned resource, u32 __user *old_limit)
{
    return compat_getrlimit(resource, old_limit, COMPAT_RLIM_INFINITY);
}

long compat_sys_old_getrlimit(unsigned resource, u32 __user *old_limit)
{
    return compat_getrlimit(resource, old_limit, COMPAT_RLIM_OLD_INFINITY);
}

long compat_sys_setrlimit(unsigned resource, const u32 __user *new_limit)
{
    u32 pair[2];
    if (copy_from_user(pair, new_limit, sizeof(pair)))
        return -EFAULT;
    struct rlimit_k value = {pair[0] == COMPAT_RLIM_INFINITY ? RLIM_INFINITY : pair[0],
                             pair[1] == COMPAT_RLIM_INFINITY ? RLIM_INFINITY : pair[1]};
    return do_prlimit(current_task(), resource, &value, NULL);
}

/* ---- enforcement ---- */

/* Linux counts a user's tasks (threads too) against RLIMIT_NPROC; root's
 * own user and CAP_SYS_RESOURCE are exempt. */
int rlimit_nproc_check(void)
{
    const struct cred *me = current_cred();
    u64 limit = rlimit(RLIMIT_NPROC);
    if (limit == RLIM_INFINITY || me->uid == 0 || capable(CAP_SYS_RESOURCE) || capable(CAP_SYS_ADMIN))
        return 0;
    u64 count = 0;
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->state != TASK_DEAD && task_cred(t)->uid == me->uid)
            count++;
    return count >= limit ? -EAGAIN : 0;
}

/* Private writable memory that is not the stack: what RLIMIT_DATA counts. */
static bool is_data(u32 prot, u32 flags)
{
    return (prot & PROT_WRITE) && (flags & MAP_TYPE) != MAP_SHARED && !(flags & VMA_STACK);
}

int rlimit_vm_check(struct mm *mm, u64 start, u64 size, u32 prot, u32 flags)
{
    u64 total = 0, data = 0;
    for (struct vma *v = mm->vmas; v; v = v->next) {
        /* What the new mapping replaces (MAP_FIXED) is not counted twice. */
        u64 overlap_start = MAX(v->start, start), overlap_end = MIN(v->end, start + size);
        u64 kept = v->end - v->start - (overlap_end > overlap_start ? overlap_end - overlap_start : 0);
        total += kept;
        if (is_data(v->prot, v->flags))
            data += kept;
    }
    u64 as = rlimit(RLIMIT_AS), data_limit = rlimit(RLIMIT_DATA);
    if (as != RLIM_INFINITY && total + size > as)
        return -ENOMEM;
    if (data_limit != RLIM_INFINITY && is_data(prot, flags) && data + size > data_limit)
        return -ENOMEM;
    return 0;
}

long rlimit_fsize_check(u64 pos, u64 len)
{
    u64 limit = rlimit(RLIMIT_FSIZE);
    if (limit == RLIM_INFINITY)
        return (long)len;
    if (pos >= limit) {
        signal_send(current_task(), SIGXFSZ);
        return -EFBIG;
    }
    return (long)MIN(len, limit - pos);
}

/* Each second past the soft limit brings SIGXCPU and moves the soft limit
 * one second on (as Linux does); the hard limit brings SIGKILL. */
void rlimit_cpu_check(struct task *leader)
{
    struct rlimit_k *cpu = &leader->rlim[RLIMIT_CPU];
    if (cpu->cur == RLIM_INFINITY)
        return;
    u64 seconds = leader->group_cpu_ns / NSEC_PER_SEC;
    if (cpu->max != RLIM_INFINITY && seconds >= cpu->max) {
        signal_send_process(leader, SIGKILL);
        return;
    }
    if (seconds >= cpu->cur) {
        signal_send_process(leader, SIGXCPU);
        if (cpu->cur < cpu->max)
            cpu->cur++;
    }
}

/* Signals queued for the receiver's user, against the receiver's limit. */
bool rlimit_sigpending_ok(struct task *t)
{
    u64 limit = limits_of(t)[RLIMIT_SIGPENDING].cur;
    if (limit == RLIM_INFINITY)
        return true;
    u32 uid = task_cred(t)->uid;
    u64 queued = 0;
    for (struct task *o = task_first(); o; o = task_next(o))
        if (o->state != TASK_DEAD && task_cred(o)->uid == uid)
            queued += (u64)(o->pending.len + o->shared_pending.len);
    return queued < limit;
}
