/* sysgate.trace: one line per system call, in the spirit of strace. Arguments
 * are shown raw until the tables describe their types. */
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "proc.h"
#include "syscall.h"

void trace_syscall_64(const struct regs *r, unsigned nr, long result)
{
    const char *name = nr < 451 ? syscall_names_64[nr] : NULL;
    char unknown[32];
    if (!name || !*name) {
        snprintf(unknown, sizeof(unknown), "syscall_%u", nr);
        name = unknown;
    }
    struct task *t = current_task();
    if (IS_ERR_VALUE(result) && result != 0)
        kprintf(KERN_WARN "%d %s(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx) = -1 (errno %ld) [syscall]\n", t->pid, name,
                r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9, -result);
    else
        kprintf(KERN_WARN "%d %s(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx) = %ld [syscall]\n", t->pid, name, r->rdi,
                r->rsi, r->rdx, r->r10, r->r8, r->r9, result);
}

struct regs *current_regs(void) { return task_regs(current_task()); }
