/* What the system-call implementations share. */
#ifndef SYSGATE_SYSCALL_H
#define SYSGATE_SYSCALL_H

#include "cpu.h"
#include "types.h"

typedef long (*syscall_fn)(u64, u64, u64, u64, u64, u64);
/* A call that works on the whole register frame (its arguments included). */
typedef long (*ptregs_fn)(struct regs *);

extern const ptregs_fn ptregs_table_64[], ptregs_table_32[];

/* A whole-frame call's arguments, as the ABI the call came through passes
 * them: rdi, rsi, rdx, r10, r8, r9, or ebx, ecx, edx, esi, edi, ebp (from
 * the vDSO's saved copies after sysenter or 32-bit syscall). 0 or -EFAULT. */
int syscall_args(const struct regs *r, u64 args[6]);

/* The ways into the kernel a system call can take (SPEC section 4). */
enum gate { GATE_SYSCALL64, GATE_INT80, GATE_SYSENTER, GATE_SYSCALL32 };

extern const char *const syscall_names_64[];
extern const char *const syscall_names_32[];
extern const unsigned syscall_count_64, syscall_count_32;
/* The tracer (kernel/trace, docs/tracing.md), called by the dispatchers
 * only while kernel_trace is set: trace_enter before a call with the
 * arguments as the ABI passed them, trace_exit after it with the result
 * (exit and exit_group are complete at entry). */
void trace_init(void); /* reads sysgate.trace*, sets kernel_trace */
void trace_enter(enum gate gate, unsigned nr, const u64 args[6]);
void trace_exit(long result);
/* strace's other lines, no-ops unless calls are traced: a signal taken off
 * the current task's queue for delivery ("--- SIGUSR1 {...} ---") and the
 * current task's end with its wait status ("+++ exited with 0 +++"). */
struct ksiginfo;
void trace_signal(const struct ksiginfo *info);
void trace_exit_task(int wait_status);
/* The sysgate.trace_summary table, when asked for: as the machine stops. */
void trace_summary_print(void);

/* The user registers of the current system call (execve and sigreturn change them). */
struct regs *current_regs(void);

#endif
