/*
 * System V message queues, as Linux's ipc/msg.c. Senders and receivers
 * that must wait sleep on their queue's wait queue and look again when
 * woken: a send wakes the receivers, a receive the senders; removal wakes
 * both and they answer EIDRM. A queue is reference-counted by the table
 * and by each caller asleep on it, so removal never frees it under one.
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "ipc.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "refcount.h"
#include "seq_buf.h"
#include "signal.h"
#include "time.h"
#include "uaccess.h"
#include "wait.h"

/* Linux's limits (linux/msg.h), and what IPC_INFO reports of them. */
#define MSG_MAX_QUEUES 32000 /* MSGMNI */
#define MSG_MAX_SIZE 8192    /* MSGMAX */
#define MSG_QUEUE_BYTES 16384 /* MSGMNB: a new queue's msg_qbytes */
#define MSG_POOL (MSG_MAX_QUEUES * MSG_QUEUE_BYTES / 1024)
#define MSG_SEGMENT_SIZE 16 /* MSGSSZ */
#define MSG_SEGMENTS 0xffff /* MSGSEG */

/* msgctl commands beyond the common ones, and msgrcv's flags. */
#define MSG_STAT 11
#define MSG_INFO 12
#define MSG_STAT_ANY 13
#define MSG_NOERROR 010000
#define MSG_EXCEPT 020000
#define MSG_COPY 040000

#define S_IRUGO 0444
#define S_IWUGO 0222

struct message {
    struct message *next;
    s64 type;
    size_t size;
    u8 text[];
};

struct msg_queue {
    struct ipc_object perm; /* first: the table's objects are queues */
    refcount_t users;       /* the table, and each caller asleep on it */
    bool removed;
    struct message *first, **last;
    u64 qnum, cbytes, qbytes;
    s64 stime, rtime, ctime;
    pid_t lspid, lrpid;
    struct wait_queue senders, receivers;
};

static struct ipc_ids msg_ids = {.last_idx = -1, .max_objects = MSG_MAX_QUEUES};
static u64 messages_total, bytes_total;

/* x86's struct msqid64_ds after the perm: longs, then the two pids, then two longs. */
#define MSQID64_LONGS_BEFORE_PIDS 9
#define MSQID64_NATIVE_SIZE 120
#define MSQID64_COMPAT_SIZE 88

/* i386's old struct msqid_ds (Linux's compat_msqid_ds): counts and pids of 16 bits. */
struct msqid_old {
    u8 perm[IPC_OLD_PERM_SIZE];
    u32 first, last; /* kernel pointers once, zero */
    s32 stime, rtime, ctime;
    u32 lcbytes, lqbytes; /* zero: Linux's compat code leaves them */
    u16 cbytes, qnum, qbytes, lspid, lrpid;
};
_Static_assert(sizeof(struct msqid_old) == 56, "i386 old msqid_ds");

static struct msg_queue *queue_of(struct ipc_object *o) { return (struct msg_queue *)o; }

static void queue_put(struct msg_queue *q)
{
    if (!refcount_put(&q->users))
        return;
    for (struct message *m = q->first, *next; m; m = next) {
        next = m->next;
        kfree(m);
    }
    kfree(q);
}

long sys_msgget(s32 key, int flags)
{
    struct ipc_object *o = key == IPC_PRIVATE ? NULL : ipc_find_key(&msg_ids, key);
    if (o) {
        if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
            return -EEXIST;
        int err = ipc_permitted(o, (u32)flags);
        return err ? err : ipc_id(o);
    }
    if (key != IPC_PRIVATE && !(flags & IPC_CREAT))
        return -ENOENT;
    struct msg_queue *q = kzalloc(sizeof(*q));
    if (!q)
        return -ENOMEM;
    int err = ipc_add(&msg_ids, &q->perm, key, flags);
    if (err) {
        kfree(q);
        return err;
    }
    refcount_set(&q->users, 1);
    q->last = &q->first;
    q->qbytes = MSG_QUEUE_BYTES;
    q->ctime = realtime_seconds();
    return ipc_id(&q->perm);
}

/* Sleeps on `wq` of queue `q` (holding a reference): 0 to look again, or the call's error. */
static long queue_wait(struct msg_queue *q, struct wait_queue *wq)
{
    refcount_get(&q->users);
    int err = wait_sleep(wq, NULL, 0);
    bool removed = q->removed;
    queue_put(q);
    if (removed)
        return -EIDRM;
    return err ? -ERESTARTNOHAND : 0;
}

static long msgsnd_common(int msqid, s64 type, const void __user *text, s64 size, int flags)
{
    if (size > MSG_MAX_SIZE || size < 0 || msqid < 0)
        return -EINVAL;
    if (type < 1)
        return -EINVAL;
    struct message *m = kmalloc(sizeof(*m) + (size_t)size);
    if (!m)
        return -ENOMEM;
    m->next = NULL, m->type = type, m->size = (size_t)size;
    if (copy_from_user(m->text, text, (size_t)size)) {
        kfree(m);
        return -EFAULT;
    }
    long err;
    for (;;) {
        struct ipc_object *o = ipc_find_id(&msg_ids, msqid);
        if (!o) {
            err = -EINVAL;
            break;
        }
        struct msg_queue *q = queue_of(o);
        if ((err = ipc_permitted(o, S_IWUGO)))
            break;
        /* Linux counts each message as at least one byte against msg_qbytes */
        if (m->size + q->cbytes <= q->qbytes && 1 + q->qnum <= q->qbytes) {
            *q->last = m;
            q->last = &m->next;
            q->qnum++, q->cbytes += m->size;
            messages_total++, bytes_total += m->size;
            q->lspid = current_task()->tgid;
            q->stime = realtime_seconds();
            wake_up_all(&q->receivers);
            return 0;
        }
        if (flags & IPC_NOWAIT) {
            err = -EAGAIN;
            break;
        }
        if ((err = queue_wait(q, &q->senders)))
            break;
    }
    kfree(m);
    return err;
}

long sys_msgsnd(int msqid, const void __user *msgp, u64 size, int flags)
{
    s64 type;
    if (copy_from_user(&type, msgp, sizeof(type)))
        return -EFAULT;
    return msgsnd_common(msqid, type, (const u8 __user *)msgp + sizeof(type), (s64)size, flags);
}

/* i386's struct msgbuf: a 4-byte mtype. */
long compat_sys_msgsnd(int msqid, u32 msgp, s32 size, int flags)
{
    s32 type;
    if (copy_from_user(&type, compat_ptr(msgp), sizeof(type)))
        return -EFAULT;
    return msgsnd_common(msqid, type, (const u8 __user *)compat_ptr(msgp) + sizeof(type), size, flags);
}

enum search { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOT_EQUAL, SEARCH_LESS_EQUAL, SEARCH_NUMBER };

/* Linux's find_msg: the first match, or for SEARCH_LESS_EQUAL the first of the lowest type. */
static struct message *find_message(struct msg_queue *q, s64 type, enum search mode, struct message ***link_out)
{
    struct message *found = NULL, **found_link = NULL;
    s64 count = 0;
    for (struct message **link = &q->first, *m; (m = *link); link = &m->next) {
        bool match;
        switch (mode) {
        case SEARCH_ANY: match = true; break;
        case SEARCH_EQUAL: match = m->type == type; break;
        case SEARCH_NOT_EQUAL: match = m->type != type; break;
        case SEARCH_LESS_EQUAL: match = m->type <= type && (!found || m->type < found->type); break;
        default: match = count++ == type; break;
        }
        if (!match)
            continue;
        found = m, found_link = link;
        if (mode != SEARCH_LESS_EQUAL)
            break;
    }
    *link_out = found_link;
    return found;
}

static long msgrcv_common(int msqid, void __user *msgp, s64 size, s64 type, int flags)
{
    if (msqid < 0 || size < 0)
        return -EINVAL;
    enum search mode;
    if (flags & MSG_COPY) {
        if ((flags & MSG_EXCEPT) || !(flags & IPC_NOWAIT))
            return -EINVAL;
        mode = SEARCH_NUMBER;
    } else if (type == 0) {
        mode = SEARCH_ANY;
    } else if (type < 0) {
        mode = SEARCH_LESS_EQUAL;
        type = type == (s64)(1ull << 63) ? (s64)(~0ull >> 1) : -type;
    } else {
        mode = (flags & MSG_EXCEPT) ? SEARCH_NOT_EQUAL : SEARCH_EQUAL;
    }
    bool compat = in_compat_syscall();
    size_t type_size = compat ? sizeof(s32) : sizeof(s64);
    for (;;) {
        struct ipc_object *o = ipc_find_id(&msg_ids, msqid);
        if (!o)
            return -EINVAL;
        struct msg_queue *q = queue_of(o);
        long err = ipc_permitted(o, S_IRUGO);
        if (err)
            return err;
        struct message **link;
        struct message *m = find_message(q, type, mode, &link);
        if (m) {
            if ((u64)size < m->size && !(flags & MSG_NOERROR))
                return -E2BIG;
            size_t copied = MIN((u64)size, m->size);
            s32 narrow_type = (s32)m->type;
            if (copy_to_user(msgp, compat ? (const void *)&narrow_type : (const void *)&m->type, type_size) ||
                copy_to_user((u8 __user *)msgp + type_size, m->text, copied))
                return -EFAULT; /* the message stays queued, as on Linux */
            if (flags & MSG_COPY)
                return (long)copied;
            *link = m->next;
            if (q->last == &m->next)
                q->last = link;
            q->qnum--, q->cbytes -= m->size;
            messages_total--, bytes_total -= m->size;
            q->lrpid = current_task()->tgid;
            q->rtime = realtime_seconds();
            kfree(m);
            wake_up_all(&q->senders);
            return (long)copied;
        }
        if (flags & IPC_NOWAIT)
            return -ENOMSG;
        if ((err = queue_wait(q, &q->receivers)))
            return err;
    }
}

long sys_msgrcv(int msqid, void __user *msgp, u64 size, s64 type, int flags)
{
    return msgrcv_common(msqid, msgp, (s64)size, type, flags);
}

long compat_sys_msgrcv(int msqid, u32 msgp, s32 size, s32 type, int flags)
{
    return msgrcv_common(msqid, compat_ptr(msgp), size, type, flags);
}

static long stat_out(void __user *buf, struct msg_queue *q, bool old_layout)
{
    if (old_layout) {
        struct msqid_old m = {.stime = (s32)q->stime, .rtime = (s32)q->rtime, .ctime = (s32)q->ctime,
                              .cbytes = (u16)q->cbytes, .qnum = (u16)q->qnum, .qbytes = (u16)q->qbytes,
                              .lspid = (u16)q->lspid, .lrpid = (u16)q->lrpid};
        ipc_old_perm_out(m.perm, &q->perm);
        return copy_to_user(buf, &m, sizeof(m)) ? -EFAULT : 0;
    }
    u8 out[MSQID64_NATIVE_SIZE];
    memset(out, 0, sizeof(out));
    size_t at = ipc_perm_out(out, &q->perm);
    bool compat = in_compat_syscall();
    u64 longs[MSQID64_LONGS_BEFORE_PIDS] = {(u64)q->stime, (u64)q->rtime, (u64)q->ctime, q->cbytes, q->qnum,
                                            q->qbytes};
    int nlongs = 6;
    if (compat) { /* the times' high halves follow each */
        u64 c[MSQID64_LONGS_BEFORE_PIDS] = {(u64)q->stime, (u64)q->stime >> 32, (u64)q->rtime, (u64)q->rtime >> 32,
                                            (u64)q->ctime, (u64)q->ctime >> 32, q->cbytes, q->qnum, q->qbytes};
        memcpy(longs, c, sizeof(c));
        nlongs = MSQID64_LONGS_BEFORE_PIDS;
    }
    for (int i = 0; i < nlongs; i++) {
        if (compat) {
            u32 v = (u32)longs[i];
            memcpy(out + at, &v, sizeof(v));
            at += sizeof(v);
        } else {
            memcpy(out + at, &longs[i], sizeof(longs[i]));
            at += sizeof(longs[i]);
        }
    }
    memcpy(out + at, &q->lspid, sizeof(s32));
    memcpy(out + at + sizeof(s32), &q->lrpid, sizeof(s32));
    size_t size = compat ? MSQID64_COMPAT_SIZE : MSQID64_NATIVE_SIZE;
    return copy_to_user(buf, out, size) ? -EFAULT : 0;
}

static void queue_remove(struct msg_queue *q)
{
    messages_total -= q->qnum, bytes_total -= q->cbytes;
    ipc_remove(&msg_ids, &q->perm);
    q->removed = true;
    wake_up_all(&q->senders);
    wake_up_all(&q->receivers);
    queue_put(q);
}

/* `op` is the command chosen, `cmd` the command as given (see
 * ipc_compat_command); `old_layout`: i386's ipc() without IPC_64. */
static long msg_control(int msqid, int op, int cmd, void __user *buf, bool old_layout)
{
    if (msqid < 0 || cmd < 0)
        return -EINVAL;
    struct ipc_object *o;
    long err;
    switch (op) {
    case IPC_INFO:
    case MSG_INFO: {
        /* struct msginfo: seven ints and an unsigned short */
        s32 info[8] = {MSG_POOL, MSG_QUEUE_BYTES, MSG_MAX_SIZE, MSG_QUEUE_BYTES, MSG_MAX_QUEUES,
                       MSG_SEGMENT_SIZE, MSG_QUEUE_BYTES, MSG_SEGMENTS};
        if (cmd == MSG_INFO) {
            info[0] = msg_ids.in_use;
            info[1] = (s32)messages_total;
            info[6] = (s32)bytes_total;
        }
        if (copy_to_user(buf, info, sizeof(info)))
            return -EFAULT;
        return ipc_max_index(&msg_ids);
    }
    case IPC_STAT:
    case MSG_STAT:
    case MSG_STAT_ANY:
        o = cmd == MSG_STAT || cmd == MSG_STAT_ANY ? ipc_find_index(&msg_ids, msqid) : ipc_find_id(&msg_ids, msqid);
        if (!o)
            return -EINVAL;
        if (cmd != MSG_STAT_ANY && (err = ipc_permitted(o, S_IRUGO)))
            return err;
        if ((err = stat_out(buf, queue_of(o), old_layout)))
            return err;
        return cmd == IPC_STAT ? 0 : ipc_id(o);
    case IPC_SET: {
        bool compat = in_compat_syscall();
        u8 in[MSQID64_NATIVE_SIZE];
        struct ipc_perm_user wanted;
        u64 qbytes = 0;
        if (old_layout) {
            struct msqid_old m;
            if (copy_from_user(&m, buf, sizeof(m)))
                return -EFAULT;
            ipc_old_perm_in(m.perm, &wanted);
            qbytes = m.qbytes;
        } else if (copy_from_user(in, buf, compat ? MSQID64_COMPAT_SIZE : MSQID64_NATIVE_SIZE)) {
            return -EFAULT;
        } else {
            size_t at = ipc_perm_in(in, &wanted);
            if (compat) {
                u32 v;
                memcpy(&v, in + at + 8 * sizeof(u32), sizeof(v)); /* after the times and their halves, cbytes, qnum */
                qbytes = v;
            } else {
                memcpy(&qbytes, in + at + 5 * sizeof(u64), sizeof(qbytes));
            }
        }
        if (!(o = ipc_find_id(&msg_ids, msqid)))
            return -EINVAL;
        if ((err = ipc_owner_check(o)))
            return err;
        if (cmd != IPC_SET)
            return -EINVAL;
        if (qbytes > MSG_QUEUE_BYTES && !capable(CAP_SYS_RESOURCE))
            return -EPERM;
        if ((err = ipc_set_perm(o, &wanted)))
            return err;
        struct msg_queue *q = queue_of(o);
        q->qbytes = qbytes;
        q->ctime = realtime_seconds();
        /* a larger limit may let senders in; new permissions may shut receivers out */
        wake_up_all(&q->senders);
        wake_up_all(&q->receivers);
        return 0;
    }
    case IPC_RMID:
        if (!(o = ipc_find_id(&msg_ids, msqid)))
            return -EINVAL;
        if ((err = ipc_owner_check(o)))
            return err;
        if (cmd != IPC_RMID)
            return -EINVAL;
        queue_remove(queue_of(o));
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_msgctl(int msqid, int cmd, void __user *buf) { return msg_control(msqid, cmd, cmd, buf, false); }

long compat_sys_msgctl(int msqid, int cmd, u32 buf)
{
    return msg_control(msqid, ipc_compat_command(cmd), cmd, compat_ptr(buf), false);
}

long compat_sys_old_msgctl(int msqid, int cmd, u32 buf)
{
    bool v64 = ipc_compat_version64(&cmd);
    return msg_control(msqid, cmd, cmd, compat_ptr(buf), !v64);
}

void msg_proc_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      "
                  "rtime      ctime\n");
    for (struct ipc_object *o = msg_ids.objects; o; o = o->next) {
        struct msg_queue *q = queue_of(o);
        seq_printf(s, "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n", o->key, ipc_id(o),
                   o->mode, (unsigned long)q->cbytes, (unsigned long)q->qnum, (unsigned)q->lspid, (unsigned)q->lrpid,
                   o->uid, o->gid, o->cuid, o->cgid, (unsigned long long)q->stime, (unsigned long long)q->rtime,
                   (unsigned long long)q->ctime);
    }
}
