/*
 * Restartable sequences (rseq(2)), as Linux keeps them: each thread may
 * register a struct rseq in its memory, where the kernel keeps the number
 * of the CPU it runs on (always 0: sysgate has one) and from which it reads
 * the critical section in progress (rseq_cs). A thread that was switched
 * out, or gets a signal, inside its critical section resumes at the
 * section's abort address instead, so that per-CPU data it was updating is
 * never seen half done. glibc registers one for every thread it starts and
 * reads sched_getcpu() from it.
 */
#include "compat.h"
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "signal.h"
#include "uaccess.h"

#define RSEQ_FLAG_UNREGISTER 1
#define RSEQ_CPU_ID_UNINITIALIZED ((u32)-1)
#define ORIG_RSEQ_SIZE 32   /* the first struct rseq, which ended at its flags */
#define RSEQ_ALIGN 32       /* struct rseq's alignment (AT_RSEQ_ALIGN) */
#define RSEQ_CS_VERSION 0
#define RSEQ_SIG_SIZE 4     /* the signature word just before an abort address */
#define THIS_CPU 0
#define THIS_NODE 0
#define THIS_MM_CID 0       /* one CPU: one thread at a time, concurrency id 0 */
#define CLONE_VM 0x00000100

/* struct rseq's fields (include/uapi/linux/rseq.h), the same for both ABIs. */
struct rseq_area {
    u32 cpu_id_start;
    u32 cpu_id;
    u64 rseq_cs;
    u32 flags;
    u32 node_id;
    u32 mm_cid;
};
#define RSEQ_FEATURE_SIZE 28 /* up to mm_cid (AT_RSEQ_FEATURE_SIZE) */
_Static_assert(__builtin_offsetof(struct rseq_area, mm_cid) + 4 == RSEQ_FEATURE_SIZE, "struct rseq's layout");

struct rseq_cs {
    u32 version;
    u32 flags;
    u64 start_ip;
    u64 post_commit_offset;
    u64 abort_ip;
};

u64 rseq_feature_size(void) { return RSEQ_FEATURE_SIZE; }
u64 rseq_alignment(void) { return RSEQ_ALIGN; }

/* The CPU fields as the thread should see them: where it runs, or
 * "uninitialised" once it unregisters. */
static int write_cpu_fields(struct task *t, u32 cpu)
{
    struct rseq_area __user *area = (struct rseq_area __user *)t->rseq_area;
    u32 start = cpu == RSEQ_CPU_ID_UNINITIALIZED ? 0 : cpu;
    u32 node = THIS_NODE, cid = THIS_MM_CID;
    if (copy_to_user(&area->cpu_id_start, &start, sizeof(start)) || copy_to_user(&area->cpu_id, &cpu, sizeof(cpu)) ||
        copy_to_user(&area->node_id, &node, sizeof(node)) || copy_to_user(&area->mm_cid, &cid, sizeof(cid)))
        return -EFAULT;
    return 0;
}

/* Moves the thread to its critical section's abort address when it was
 * inside it, after Linux's checks of the descriptor (any failure: -EINVAL
 * or -EFAULT, which cost the thread a SIGSEGV). */
static int abort_critical_section(struct task *t, struct regs *r)
{
    struct rseq_area __user *area = (struct rseq_area __user *)t->rseq_area;
    u64 cs_address;
    if (copy_from_user(&cs_address, &area->rseq_cs, sizeof(cs_address)))
        return -EFAULT;
    if (!cs_address)
        return 0;
    u64 limit = t->compat ? COMPAT_TASK_SIZE : USER_TOP;
    struct rseq_cs cs;
    if (cs_address >= limit || copy_from_user(&cs, (const void __user *)cs_address, sizeof(cs)))
        return -EFAULT;
    if (cs.version != RSEQ_CS_VERSION || cs.flags || cs.start_ip >= limit || cs.abort_ip >= limit ||
        cs.start_ip + cs.post_commit_offset < cs.start_ip || cs.start_ip + cs.post_commit_offset > limit ||
        cs.abort_ip - cs.start_ip < cs.post_commit_offset || cs.abort_ip < RSEQ_SIG_SIZE)
        return -EINVAL;
    if (r->rip - cs.start_ip >= cs.post_commit_offset)
        return 0; /* not inside: the descriptor is left for the thread to clear */
    u32 signature;
    if (copy_from_user(&signature, (const void __user *)(cs.abort_ip - RSEQ_SIG_SIZE), sizeof(signature)))
        return -EFAULT;
    if (signature != t->rseq_sig)
        return -EINVAL;
    u64 none = 0;
    if (copy_to_user(&area->rseq_cs, &none, sizeof(none)))
        return -EFAULT;
    r->rip = cs.abort_ip;
    return 0;
}

void rseq_preempt(struct task *t)
{
    if (t->rseq_area)
        task_work_set(t, TASK_WORK_RSEQ);
}

void rseq_resume(struct regs *r)
{
    struct task *t = current_task();
    task_work_clear(t, TASK_WORK_RSEQ);
    if (!t->rseq_area)
        return;
    if (abort_critical_section(t, r) || write_cpu_fields(t, THIS_CPU))
        signal_force(SIGSEGV, SI_KERNEL, 0, 0, 0);
}

void rseq_fork(struct task *child, const struct task *parent, u64 clone_flags)
{
    /* A thread registers its own area; a new process has its parent's memory and registration. */
    if (clone_flags & CLONE_VM)
        return;
    child->rseq_area = parent->rseq_area;
    child->rseq_len = parent->rseq_len;
    child->rseq_sig = parent->rseq_sig;
    rseq_preempt(child);
}

void rseq_exec(struct task *t)
{
    t->rseq_area = 0;
    t->rseq_len = 0;
    t->rseq_sig = 0;
}

long sys_rseq(u64 area, u32 len, int flags, u32 sig)
{
    struct task *t = current_task();
    if (flags & RSEQ_FLAG_UNREGISTER) {
        if (flags & ~RSEQ_FLAG_UNREGISTER)
            return -EINVAL;
        if (!t->rseq_area || t->rseq_area != area || t->rseq_len != len)
            return -EINVAL;
        if (t->rseq_sig != sig)
            return -EPERM;
        int err = write_cpu_fields(t, RSEQ_CPU_ID_UNINITIALIZED);
        if (err)
            return err;
        rseq_exec(t);
        return 0;
    }
    if (flags)
        return -EINVAL;
    if (t->rseq_area) {
        if (t->rseq_area != area || t->rseq_len != len)
            return -EINVAL;
        return t->rseq_sig != sig ? -EPERM : -EBUSY;
    }
    /* Linux's rule: the original size at its alignment, or a longer one
     * with every field, aligned as struct rseq; both are 32 bytes. */
    if (len < ORIG_RSEQ_SIZE || area % RSEQ_ALIGN)
        return -EINVAL;
    if (!user_range_ok(area, len))
        return -EFAULT;
    t->rseq_area = area;
    t->rseq_len = len;
    t->rseq_sig = sig;
    rseq_preempt(t); /* its CPU fields are written on the way out */
    return 0;
}
