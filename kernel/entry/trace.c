/* sysgate.trace: one line per system call, in the spirit of strace, marked
 * with the gate it came through. Arguments are shown raw until the tables
 * describe their types. */
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "proc.h"
#include "syscall.h"

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
