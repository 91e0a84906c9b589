/* What the system-call implementations share. */
#ifndef SYSGATE_SYSCALL_H
#define SYSGATE_SYSCALL_H

#include "cpu.h"
#include "types.h"

typedef long (*syscall_fn)(u64, u64, u64, u64, u64, u64);

/* The ways into the kernel a system call can take (SPEC section 4). */
enum gate { GATE_SYSCALL64, GATE_INT80, GATE_SYSENTER, GATE_SYSCALL32 };

extern const char *const syscall_names_64[];
extern const char *const syscall_names_32[];
extern const unsigned syscall_count_64, syscall_count_32;
void trace_syscall(enum gate gate, unsigned nr, const u64 args[6], long result);

/* The user registers of the current system call (execve and sigreturn change them). */
struct regs *current_regs(void);

#endif
