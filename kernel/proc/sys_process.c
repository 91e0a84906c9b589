/* Identity and lifetime system calls of the current process. */
#include "compat.h"
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "uaccess.h"
#include "x86.h"

long sys_exit(int status) { task_exit((status & 0xff) << 8); }
long sys_exit_group(int status) { task_exit_group((status & 0xff) << 8); }

long sys_getpid(void) { return current_task()->tgid; }
long sys_gettid(void) { return current_task()->pid; }
long sys_getppid(void)
{
    struct task *parent = current_task()->parent;
    return parent ? parent->tgid : 0;
}

long sys_set_tid_address(int __user *tidptr)
{
    current_task()->clear_child_tid = (u64)tidptr;
    return current_task()->pid;
}

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

long sys_arch_prctl(int code, u64 addr)
{
    struct task *t = current_task();
    switch (code) {
    case ARCH_SET_FS:
        if (addr >= USER_TOP)
            return -EPERM;
        t->fs_base = addr;
        wrmsr(MSR_FS_BASE, addr);
        return 0;
    case ARCH_SET_GS:
        if (addr >= USER_TOP)
            return -EPERM;
        t->gs_base = addr;
        wrmsr(MSR_KERNEL_GS_BASE, addr); /* the user's GS base while we run in the kernel */
        return 0;
    case ARCH_GET_FS:
        return put_user(rdmsr(MSR_FS_BASE), (u64 __user *)addr);
    case ARCH_GET_GS:
        return put_user(rdmsr(MSR_KERNEL_GS_BASE), (u64 __user *)addr);
    default:
        return -EINVAL;
    }
}

long sys_sched_yield(void)
{
    schedule();
    return 0;
}

/* CPU affinity on a machine of one CPU: the mask holds CPU 0. Its size is
 * one word of the caller's ABI, as Linux rounds nr_cpu_ids = 1 up. */
static long affinity_target(pid_t pid)
{
    if (pid < 0)
        return -ESRCH;
    return pid == 0 || task_find(pid) ? 0 : -ESRCH;
}

long sys_sched_getaffinity(pid_t pid, u32 len, u64 __user *mask)
{
    u32 word = in_compat_syscall() ? 4 : 8;
    if (len == 0 || (len & (word - 1)))
        return -EINVAL;
    long err = affinity_target(pid);
    if (err)
        return err;
    u64 cpus = 1;
    return copy_to_user(mask, &cpus, word) ? -EFAULT : (long)word;
}

long sys_sched_setaffinity(pid_t pid, u32 len, const u64 __user *mask)
{
    u64 cpus = 0;
    if (copy_from_user(&cpus, mask, MIN(len, 8u)))
        return -EFAULT;
    long err = affinity_target(pid);
    if (err)
        return err;
    return cpus & 1 ? 0 : -EINVAL; /* the mask must hold a CPU that exists */
}
