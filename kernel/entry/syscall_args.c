/* The arguments of the running call as its ABI passed them, for the calls
 * that work on the whole register frame. */
#include "compat.h"
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

struct regs *current_regs(void) { return task_regs(current_task()); }

int syscall_args(const struct regs *r, u64 args[6])
{
    if (!in_compat_syscall()) {
        const u64 wide[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
        memcpy(args, wide, sizeof(wide));
        return 0;
    }
    const u64 narrow[6] = {(u32)r->rbx, (u32)r->rcx, (u32)r->rdx, (u32)r->rsi, (u32)r->rdi, (u32)r->rbp};
    memcpy(args, narrow, sizeof(narrow));
    if (r->rip != this_cpu()->vdso32_landing_pad)
        return 0;
    /* sysenter and 32-bit syscall: the vDSO (or a caller doing its job) saved
     * ecx, edx and ebp on the user stack; those registers held other things
     * on the way in. */
    u32 saved[3]; /* ebp, edx, ecx */
    if (copy_from_user(saved, (const void __user *)(u64)(u32)r->rsp, sizeof(saved)))
        return -EFAULT;
    args[1] = saved[2];
    args[2] = saved[1];
    args[5] = saved[0];
    return 0;
}
