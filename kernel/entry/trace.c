/* sysgate.trace: one line per system call, in the spirit of strace, marked
 * with the gate it came through. Arguments are shown raw until the tables
 * describe their types. */
#include "compat.h"
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

static const char *const gate_names[] = {
    [GATE_SYSCALL64] = "syscall",
    [GATE_INT80] = "int80",
    [GATE_SYSENTER] = "sysenter",
    [GATE_SYSCALL32] = "syscall32",
};

void trace_syscall(enum gate gate, unsigned nr, const u64 a[6], long result)
{
    bool wide = gate == GATE_SYSCALL64;
    const char *const *names = wide ? syscall_names_64 : syscall_names_32;
    unsigned count = wide ? syscall_count_64 : syscall_count_32;
    const char *name = nr < count ? names[nr] : NULL;
    char unknown[32];
    if (!name || !*name) {
        snprintf(unknown, sizeof(unknown), "syscall_%u", nr);
        name = unknown;
    }
    char res[48];
    if (IS_ERR_VALUE(result))
        snprintf(res, sizeof(res), "-1 (errno %ld)", -result);
    else
        snprintf(res, sizeof(res), "%ld", result);
    kprintf(KERN_WARN "%d %s(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx) = %s [%s]\n", current_task()->pid, name, a[0],
            a[1], a[2], a[3], a[4], a[5], res, gate_names[gate]);
}

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
