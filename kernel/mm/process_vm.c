/*
 * process_vm_readv and process_vm_writev: copying between the caller's
 * memory and another process's, through a bounce page, as the other
 * process's own accesses would (faulting its pages in, copying its
 * copy-on-write pages for it). Linux's rules: no flags, at most IOV_MAX
 * iovecs on each side, a partial count once some bytes moved, EFAULT when
 * the first byte cannot, ESRCH for no such process.
 */
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "rw.h"
#include "uaccess.h"

static long process_vm_copy(pid_t pid, const void __user *ulocal, u64 local_count, const void __user *uremote,
                            u64 remote_count, u64 flags, bool writing)
{
    if (flags)
        return -EINVAL;
    if (local_count > IOV_MAX || remote_count > IOV_MAX)
        return -EINVAL;
    struct iovec *local = kmalloc((local_count + remote_count + 1) * sizeof(struct iovec));
    if (!local)
        return -ENOMEM;
    struct iovec *remote = local + local_count;
    int err = iovecs_from_user(ulocal, (int)local_count, local) ?: iovecs_from_user(uremote, (int)remote_count, remote);
    struct task *t = err ? NULL : task_find(pid);
    if (!err && (!t || !t->mm || t->state == TASK_ZOMBIE || t->state == TASK_DEAD))
        err = -ESRCH;
    u8 *bounce = err ? NULL : kmalloc(PAGE_SIZE);
    if (!err && !bounce)
        err = -ENOMEM;
    u64 done = 0;
    u64 li = 0, ri = 0, loff = 0, roff = 0;
    while (!err && li < local_count && ri < remote_count) {
        if (loff == local[li].len) {
            li++, loff = 0;
            continue;
        }
        if (roff == remote[ri].len) {
            ri++, roff = 0;
            continue;
        }
        u64 other = remote[ri].base + roff;
        /* within one page of the other process: a fault stops the count there */
        u64 n = MIN(MIN(local[li].len - loff, remote[ri].len - roff), PAGE_SIZE - (other & (PAGE_SIZE - 1)));
        void __user *user = (void __user *)(local[li].base + loff);
        if (writing)
            err = copy_from_user(bounce, user, n) || copy_to_mm(t->mm, other, bounce, n) ? -EFAULT : 0;
        else
            err = copy_from_mm(t->mm, bounce, other, n) || copy_to_user(user, bounce, n) ? -EFAULT : 0;
        if (!err) {
            done += n, loff += n, roff += n;
        }
    }
    kfree(bounce);
    kfree(local);
    return done ? (long)done : err;
}

long sys_process_vm_readv(pid_t pid, const void __user *local, u64 local_count, const void __user *remote,
                          u64 remote_count, u64 flags)
{
    return process_vm_copy(pid, local, local_count, remote, remote_count, flags, false);
}

long sys_process_vm_writev(pid_t pid, const void __user *local, u64 local_count, const void __user *remote,
                           u64 remote_count, u64 flags)
{
    return process_vm_copy(pid, local, local_count, remote, remote_count, flags, true);
}
