/*
 * System V semaphores, as Linux's ipc/sem.c. A semop that cannot complete
 * queues itself on its set, in arrival order; whoever changes the set then
 * completes the queued operations that can now complete, on their callers'
 * behalf and in that order (Linux's update_queue), and wakes the queue so
 * each sleeper finds its result. Removal completes every queued one with
 * EIDRM. SEM_UNDO adjustments are kept per process (by thread group id)
 * and applied when its last thread exits (sem_exit).
 */
#include "apic.h"
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "ipc.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "refcount.h"
#include "seq_buf.h"
#include "time.h"
#include "uaccess.h"
#include "wait.h"

/* Linux's limits (linux/sem.h), and what IPC_INFO reports of them. */
#define SEM_MAX_SETS 32000     /* SEMMNI */
#define SEM_MAX_PER_SET 32000  /* SEMMSL */
#define SEM_MAX_TOTAL 1024000000 /* SEMMNS */
#define SEM_MAX_OPS 500        /* SEMOPM */
#define SEM_MAX_VALUE 32767    /* SEMVMX */
#define SEM_MAX_ADJUST SEM_MAX_VALUE /* SEMAEM */
#define SEM_UNDO_STRUCT_SIZE 20 /* SEMUSZ */

/* semctl commands beyond the common ones. */
#define GETPID 11
#define GETVAL 12
#define GETALL 13
#define GETNCNT 14
#define GETZCNT 15
#define SETVAL 16
#define SETALL 17
#define SEM_STAT 18
#define SEM_INFO 19
#define SEM_STAT_ANY 20
#define SEM_UNDO 0x1000

#define S_IRUGO 0444
#define S_IWUGO 0222

struct sembuf_k {
    u16 sem_num;
    s16 sem_op;
    s16 sem_flg;
};

struct semaphore {
    int value;
    pid_t pid;
};

struct sem_waiter;

struct sem_set {
    struct ipc_object perm; /* first: the table's objects are sets */
    refcount_t users;       /* the table, and each caller asleep on it */
    int nsems;
    s64 otime, ctime;
    struct sem_waiter *waiters; /* in arrival order */
    struct wait_queue queue;
    struct semaphore sems[];
};

/* One process's adjustments for one set. */
struct sem_undo {
    struct sem_undo *next;
    pid_t tgid;
    int semid;
    int nsems;
    s16 adjust[];
};

#define WAITING 1

struct sem_waiter {
    struct sem_waiter *next;
    const struct sembuf_k *sops;
    int nsops;
    bool alters;
    pid_t tgid;
    struct sem_undo *undo;
    const struct sembuf_k *blocking; /* the operation it waits on: GETNCNT and GETZCNT count by it */
    long status;                     /* WAITING, or the call's result */
};

static struct ipc_ids sem_ids = {.last_idx = -1, .max_objects = SEM_MAX_SETS};
static int sems_in_use;
static struct sem_undo *undos;

/* x86's struct semid64_ds: the i386 one has the high halves of the times
 * where x86-64 has padding; both are all longs after the perm. */
#define IPC64_PERM_NATIVE_SIZE 48
#define IPC64_PERM_COMPAT_SIZE 36
#define SEMID64_LONGS 7

/* i386's old struct semid_ds (Linux's compat_semid_ds). */
struct semid_old {
    u8 perm[IPC_OLD_PERM_SIZE];
    s32 otime, ctime;
    u32 base, pending, pending_last, undo; /* kernel pointers once, zero */
    u16 nsems;
};
_Static_assert(sizeof(struct semid_old) == 44, "i386 old semid_ds");

static struct sem_set *set_of(struct ipc_object *o) { return (struct sem_set *)o; }

static void set_put(struct sem_set *set)
{
    if (refcount_put(&set->users))
        kfree(set);
}

static struct sem_undo *undo_find(pid_t tgid, int semid)
{
    for (struct sem_undo *u = undos; u; u = u->next)
        if (u->tgid == tgid && u->semid == semid)
            return u;
    return NULL;
}

static struct sem_undo *undo_find_or_add(pid_t tgid, struct sem_set *set)
{
    int semid = ipc_id(&set->perm);
    struct sem_undo *u = undo_find(tgid, semid);
    if (u)
        return u;
    u = kzalloc(sizeof(*u) + (size_t)set->nsems * sizeof(s16));
    if (!u)
        return NULL;
    u->tgid = tgid, u->semid = semid, u->nsems = set->nsems;
    u->next = undos;
    undos = u;
    return u;
}

/* Drops the adjustments for a set (removed), or for one semaphore of it (num >= 0: SETVAL) or all (SETALL). */
static void undo_forget(int semid, int num, bool free_them)
{
    for (struct sem_undo **link = &undos, *u; (u = *link);) {
        if (u->semid != semid) {
            link = &u->next;
            continue;
        }
        if (free_them) {
            *link = u->next;
            kfree(u);
            continue;
        }
        for (int i = 0; i < u->nsems; i++)
            if (num < 0 || i == num)
                u->adjust[i] = 0;
        link = &u->next;
    }
}

/* Linux's perform_atomic_semop: all of the operations or none. 0 done, 1
 * would block (*blocking: the one), or -EAGAIN (it has IPC_NOWAIT) or -ERANGE. */
static long try_ops(struct sem_set *set, const struct sembuf_k *sops, int nsops, struct sem_undo *undo, pid_t tgid,
                    const struct sembuf_k **blocking)
{
    long result;
    int i;
    for (i = 0; i < nsops; i++) {
        const struct sembuf_k *sop = &sops[i];
        struct semaphore *sem = &set->sems[sop->sem_num];
        int value = sem->value;
        if (!sop->sem_op && value)
            goto would_block;
        value += sop->sem_op;
        if (value < 0)
            goto would_block;
        if (value > SEM_MAX_VALUE) {
            result = -ERANGE;
            goto back_out;
        }
        if (sop->sem_flg & SEM_UNDO) {
            int adjust = undo->adjust[sop->sem_num] - sop->sem_op;
            if (adjust < -SEM_MAX_ADJUST - 1 || adjust > SEM_MAX_ADJUST) {
                result = -ERANGE;
                goto back_out;
            }
            undo->adjust[sop->sem_num] = (s16)adjust;
        }
        sem->value = value;
    }
    for (i = 0; i < nsops; i++)
        set->sems[sops[i].sem_num].pid = tgid;
    set->otime = realtime_seconds();
    return 0;
would_block:
    *blocking = &sops[i];
    result = (sops[i].sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
back_out:
    while (--i >= 0) {
        set->sems[sops[i].sem_num].value -= sops[i].sem_op;
        if (sops[i].sem_flg & SEM_UNDO)
            undo->adjust[sops[i].sem_num] += sops[i].sem_op;
    }
    return result;
}

static void unlink_waiter(struct sem_set *set, struct sem_waiter *w)
{
    for (struct sem_waiter **link = &set->waiters; *link; link = &(*link)->next)
        if (*link == w) {
            *link = w->next;
            return;
        }
}

/* After a change: the queued operations that can complete now, in order;
 * a completed change may let an earlier one complete, so the scan restarts. */
static void complete_waiters(struct sem_set *set)
{
    bool restart;
    do {
        restart = false;
        for (struct sem_waiter *w = set->waiters, *next; w; w = next) {
            next = w->next;
            long result = try_ops(set, w->sops, w->nsops, w->undo, w->tgid, &w->blocking);
            if (result > 0)
                continue;
            unlink_waiter(set, w);
            w->status = result;
            if (!result && w->alters) {
                restart = true;
                break;
            }
        }
    } while (restart);
    wake_up_all(&set->queue);
}

long sys_semget(s32 key, int nsems, int flags)
{
    if (nsems < 0 || nsems > SEM_MAX_PER_SET)
        return -EINVAL;
    struct ipc_object *o = key == IPC_PRIVATE ? NULL : ipc_find_key(&sem_ids, key);
    if (o) {
        if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
            return -EEXIST;
        if (nsems > set_of(o)->nsems)
            return -EINVAL;
        int err = ipc_permitted(o, (u32)flags);
        return err ? err : ipc_id(o);
    }
    if (key != IPC_PRIVATE && !(flags & IPC_CREAT))
        return -ENOENT;
    if (!nsems)
        return -EINVAL;
    if (sems_in_use + nsems > SEM_MAX_TOTAL)
        return -ENOSPC;
    struct sem_set *set = kzalloc(sizeof(*set) + (size_t)nsems * sizeof(struct semaphore));
    if (!set)
        return -ENOMEM;
    int err = ipc_add(&sem_ids, &set->perm, key, flags);
    if (err) {
        kfree(set);
        return err;
    }
    refcount_set(&set->users, 1);
    set->nsems = nsems;
    set->ctime = realtime_seconds();
    sems_in_use += nsems;
    return ipc_id(&set->perm);
}

static long semop_common(int semid, const void __user *user_sops, u32 nsops, const struct timespec_k *timeout)
{
    if (nsops < 1 || semid < 0)
        return -EINVAL;
    if (nsops > SEM_MAX_OPS)
        return -E2BIG;
    struct sembuf_k *sops = kmalloc(nsops * sizeof(*sops));
    if (!sops)
        return -ENOMEM;
    long ret;
    if (copy_from_user(sops, user_sops, nsops * sizeof(*sops))) {
        ret = -EFAULT;
        goto out;
    }
    u64 deadline = 0;
    if (timeout) {
        if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= NSEC_PER_SEC) {
            ret = -EINVAL;
            goto out;
        }
        u64 wait = (u64)timeout->tv_sec > (~0ull >> 2) / NSEC_PER_SEC
                       ? ~0ull >> 2
                       : (u64)timeout->tv_sec * NSEC_PER_SEC + (u64)timeout->tv_nsec;
        deadline = monotonic_ns() + wait;
    }
    int max_num = 0;
    bool undo_wanted = false, alters = false;
    for (u32 i = 0; i < nsops; i++) {
        max_num = MAX(max_num, (int)sops[i].sem_num);
        undo_wanted |= sops[i].sem_flg & SEM_UNDO;
        alters |= sops[i].sem_op != 0;
    }
    struct ipc_object *o = ipc_find_id(&sem_ids, semid);
    if (!o) {
        ret = -EINVAL;
        goto out;
    }
    struct sem_set *set = set_of(o);
    if (max_num >= set->nsems) {
        ret = -EFBIG;
        goto out;
    }
    if ((ret = ipc_permitted(o, alters ? S_IWUGO : S_IRUGO)))
        goto out;
    pid_t tgid = current_task()->tgid;
    struct sem_undo *undo = NULL;
    if (undo_wanted && !(undo = undo_find_or_add(tgid, set))) {
        ret = -ENOMEM;
        goto out;
    }
    struct sem_waiter w = {.sops = sops, .nsops = (int)nsops, .alters = alters, .tgid = tgid, .undo = undo,
                           .status = WAITING};
    ret = try_ops(set, sops, (int)nsops, undo, tgid, &w.blocking);
    if (ret <= 0) {
        if (!ret && alters)
            complete_waiters(set);
        goto out;
    }
    struct sem_waiter **tail = &set->waiters;
    while (*tail)
        tail = &(*tail)->next;
    *tail = &w;
    refcount_get(&set->users);
    for (;;) {
        int err = wait_sleep(&set->queue, NULL, deadline);
        if (w.status != WAITING) {
            ret = w.status;
            break;
        }
        if (err) {
            unlink_waiter(set, &w);
            ret = err == -ETIMEDOUT ? -EAGAIN : -EINTR; /* semop is never restarted, as on Linux */
            break;
        }
    }
    set_put(set);
out:
    kfree(sops);
    return ret;
}

long sys_semop(int semid, const void __user *sops, u32 nsops) { return semop_common(semid, sops, nsops, NULL); }

long sys_semtimedop(int semid, const void __user *sops, u32 nsops, const void __user *timeout)
{
    struct timespec_k ts = {0, 0};
    if (timeout && copy_from_user(&ts, timeout, sizeof(ts)))
        return -EFAULT;
    return semop_common(semid, sops, nsops, timeout ? &ts : NULL);
}

/* i386's semtimedop_time64: a 64-bit timespec whose tv_nsec's upper half is ignored. */
long compat_sys_semtimedop_time64(int semid, u32 sops, u32 nsops, u32 timeout)
{
    struct timespec_k ts = {0, 0};
    if (timeout && copy_from_user(&ts, compat_ptr(timeout), sizeof(ts)))
        return -EFAULT;
    ts.tv_nsec = (s32)ts.tv_nsec;
    return semop_common(semid, compat_ptr(sops), nsops, timeout ? &ts : NULL);
}

/* ipc()'s SEMTIMEDOP: the old 32-bit timespec. */
long compat_semtimedop_time32(int semid, u32 sops, u32 nsops, u32 timeout)
{
    s32 old[2] = {0, 0};
    if (timeout && copy_from_user(old, compat_ptr(timeout), sizeof(old)))
        return -EFAULT;
    struct timespec_k ts = {old[0], old[1]};
    return semop_common(semid, compat_ptr(sops), nsops, timeout ? &ts : NULL);
}

/* An array of `count` longs of the calling ABI. */
static int longs_out(void __user *buf, const u64 *values, size_t count)
{
    if (!in_compat_syscall())
        return copy_to_user(buf, values, count * sizeof(u64));
    u32 narrow[SEMID64_LONGS];
    for (size_t i = 0; i < count; i++)
        narrow[i] = (u32)values[i];
    return copy_to_user(buf, narrow, count * sizeof(u32));
}

static long stat_out(void __user *buf, struct sem_set *set, bool old_layout)
{
    if (old_layout) {
        struct semid_old s = {.otime = (s32)set->otime, .ctime = (s32)set->ctime, .nsems = (u16)set->nsems};
        ipc_old_perm_out(s.perm, &set->perm);
        return copy_to_user(buf, &s, sizeof(s)) ? -EFAULT : 0;
    }
    u8 perm[64];
    size_t perm_size = ipc_perm_out(perm, &set->perm);
    u64 longs[SEMID64_LONGS] = {(u64)set->otime, 0, (u64)set->ctime, 0, (u64)set->nsems, 0, 0};
    if (in_compat_syscall())
        longs[1] = (u64)set->otime >> 32, longs[3] = (u64)set->ctime >> 32;
    if (copy_to_user(buf, perm, perm_size) || longs_out((u8 __user *)buf + perm_size, longs, SEMID64_LONGS))
        return -EFAULT;
    return 0;
}

static int waiting_count(struct sem_set *set, int num, bool for_zero)
{
    int count = 0;
    for (struct sem_waiter *w = set->waiters; w; w = w->next)
        if (w->blocking->sem_num == num && (for_zero ? w->blocking->sem_op == 0 : w->blocking->sem_op < 0))
            count++;
    return count;
}

static void set_remove(struct sem_set *set)
{
    int semid = ipc_id(&set->perm);
    for (struct sem_waiter *w = set->waiters; w; w = w->next)
        w->status = -EIDRM;
    set->waiters = NULL;
    wake_up_all(&set->queue);
    undo_forget(semid, -1, true);
    ipc_remove(&sem_ids, &set->perm);
    sems_in_use -= set->nsems;
    set_put(set);
}

static long sem_info(int cmd, void __user *buf)
{
    /* struct seminfo: ten ints */
    s32 info[10] = {SEM_MAX_TOTAL, SEM_MAX_SETS, SEM_MAX_TOTAL, SEM_MAX_TOTAL, SEM_MAX_PER_SET,
                    SEM_MAX_OPS,   SEM_MAX_OPS,  SEM_UNDO_STRUCT_SIZE, SEM_MAX_VALUE, SEM_MAX_ADJUST};
    if (cmd == SEM_INFO) {
        info[7] = sem_ids.in_use; /* semusz: the sets */
        info[9] = sems_in_use;    /* semaem: the semaphores */
    }
    if (copy_to_user(buf, info, sizeof(info)))
        return -EFAULT;
    return ipc_max_index(&sem_ids);
}

/* `op` is the command chosen, `cmd` the command as given (see
 * ipc_compat_command); `old_layout`: i386's ipc() without IPC_64. */
static long sem_control(int semid, int semnum, int op, int cmd, u64 arg, bool old_layout)
{
    void __user *ptr = in_compat_syscall() ? compat_ptr((u32)arg) : (void __user *)arg;
    if (semid < 0)
        return -EINVAL;
    struct ipc_object *o;
    struct sem_set *set;
    long err;
    switch (op) {
    case IPC_INFO:
    case SEM_INFO:
        return sem_info(cmd, ptr);
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY:
        o = cmd == SEM_STAT || cmd == SEM_STAT_ANY ? ipc_find_index(&sem_ids, semid) : ipc_find_id(&sem_ids, semid);
        if (!o)
            return -EINVAL;
        if (cmd != SEM_STAT_ANY && (err = ipc_permitted(o, S_IRUGO)))
            return err;
        if ((err = stat_out(ptr, set_of(o), old_layout)))
            return err;
        return cmd == IPC_STAT ? 0 : ipc_id(o);
    case SETVAL: {
        int value = (int)arg;
        if (value < 0 || value > SEM_MAX_VALUE)
            return -ERANGE;
        if (!(o = ipc_find_id(&sem_ids, semid)))
            return -EINVAL;
        set = set_of(o);
        if (semnum < 0 || semnum >= set->nsems)
            return -EINVAL;
        if ((err = ipc_permitted(o, S_IWUGO)))
            return err;
        undo_forget(semid, semnum, false);
        set->sems[semnum].value = value;
        set->sems[semnum].pid = current_task()->tgid;
        set->ctime = realtime_seconds();
        complete_waiters(set);
        return 0;
    }
    case GETALL:
    case SETALL:
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT: {
        if (!(o = ipc_find_id(&sem_ids, semid)))
            return -EINVAL;
        set = set_of(o);
        if ((err = ipc_permitted(o, cmd == SETALL ? S_IWUGO : S_IRUGO)))
            return err;
        if (cmd == GETALL || cmd == SETALL) {
            u16 *values = kmalloc((size_t)set->nsems * sizeof(u16));
            if (!values)
                return -ENOMEM;
            size_t size = (size_t)set->nsems * sizeof(u16);
            if (cmd == GETALL) {
                for (int i = 0; i < set->nsems; i++)
                    values[i] = (u16)set->sems[i].value;
                err = copy_to_user(ptr, values, size) ? -EFAULT : 0;
            } else if (copy_from_user(values, ptr, size)) {
                err = -EFAULT;
            } else {
                for (int i = 0; i < set->nsems && !err; i++)
                    if (values[i] > SEM_MAX_VALUE)
                        err = -ERANGE;
                for (int i = 0; i < set->nsems && !err; i++) {
                    set->sems[i].value = values[i];
                    set->sems[i].pid = current_task()->tgid;
                }
                if (!err) {
                    undo_forget(semid, -1, false);
                    set->ctime = realtime_seconds();
                    complete_waiters(set);
                }
            }
            kfree(values);
            return err;
        }
        if (semnum < 0 || semnum >= set->nsems)
            return -EINVAL;
        switch (cmd) {
        case GETVAL:
            return set->sems[semnum].value;
        case GETPID:
            return set->sems[semnum].pid;
        case GETNCNT:
        case GETZCNT:
            return waiting_count(set, semnum, cmd == GETZCNT);
        default:
            return -EINVAL;
        }
    }
    case IPC_SET: {
        /* only the perm is read, as Linux's copy_semid_from_user */
        u8 perm[IPC64_PERM_NATIVE_SIZE];
        struct ipc_perm_user wanted;
        if (old_layout) {
            if (copy_from_user(perm, ptr, IPC_OLD_PERM_SIZE))
                return -EFAULT;
            ipc_old_perm_in(perm, &wanted);
        } else {
            if (copy_from_user(perm, ptr, in_compat_syscall() ? IPC64_PERM_COMPAT_SIZE : IPC64_PERM_NATIVE_SIZE))
                return -EFAULT;
            ipc_perm_in(perm, &wanted);
        }
        if (!(o = ipc_find_id(&sem_ids, semid)))
            return -EINVAL;
        if ((err = ipc_owner_check(o)))
            return err;
        if (cmd != IPC_SET)
            return -EINVAL;
        if ((err = ipc_set_perm(o, &wanted)))
            return err;
        set_of(o)->ctime = realtime_seconds();
        return 0;
    }
    case IPC_RMID:
        if (!(o = ipc_find_id(&sem_ids, semid)))
            return -EINVAL;
        if ((err = ipc_owner_check(o)))
            return err;
        if (cmd != IPC_RMID)
            return -EINVAL;
        set_remove(set_of(o));
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_semctl(int semid, int semnum, int cmd, u64 arg) { return sem_control(semid, semnum, cmd, cmd, arg, false); }

long compat_sys_semctl(int semid, int semnum, int cmd, u32 arg)
{
    return sem_control(semid, semnum, ipc_compat_command(cmd), cmd, arg, false);
}

long compat_sys_old_semctl(int semid, int semnum, int cmd, u32 arg)
{
    bool v64 = ipc_compat_version64(&cmd);
    return sem_control(semid, semnum, cmd, cmd, arg, !v64);
}

/* Linux's exit_sem: each adjustment applied, the value kept within 0..SEMVMX. */
void sem_exit(pid_t tgid)
{
    for (struct sem_undo **link = &undos, *u; (u = *link);) {
        if (u->tgid != tgid) {
            link = &u->next;
            continue;
        }
        *link = u->next;
        struct ipc_object *o = ipc_find_id(&sem_ids, u->semid);
        if (o) {
            struct sem_set *set = set_of(o);
            for (int i = 0; i < u->nsems && i < set->nsems; i++) {
                if (!u->adjust[i])
                    continue;
                int value = set->sems[i].value + u->adjust[i];
                set->sems[i].value = MIN(MAX(value, 0), SEM_MAX_VALUE);
                set->sems[i].pid = tgid;
            }
            complete_waiters(set);
        }
        kfree(u);
    }
}

void sem_proc_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
    for (struct ipc_object *o = sem_ids.objects; o; o = o->next) {
        struct sem_set *set = set_of(o);
        seq_printf(s, "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu\n", o->key, ipc_id(o), o->mode,
                   (unsigned)set->nsems, o->uid, o->gid, o->cuid, o->cgid, (unsigned long long)set->otime,
                   (unsigned long long)set->ctime);
    }
}
