/* What the system-call implementations share. */
#ifndef SYSGATE_SYSCALL_H
#define SYSGATE_SYSCALL_H

#include "cpu.h"
#include "types.h"

typedef long (*syscall_fn)(u64, u64, u64, u64, u64, u64);

extern const char *const syscall_names_64[];
void trace_syscall_64(const struct regs *r, unsigned nr, long result);

/* The user registers of the current system call (execve and sigreturn change them). */
struct regs *current_regs(void);

#endif
