/* The i386 ABI on the 64-bit kernel: its types and the compat entry points' helpers. */
#ifndef SYSGATE_COMPAT_H
#define SYSGATE_COMPAT_H

#include "proc.h"
#include "types.h"

typedef u32 compat_uptr_t;
typedef s32 compat_long_t;
typedef u32 compat_ulong_t;

static inline void __user *compat_ptr(compat_uptr_t p) { return (void __user *)(u64)p; }

/* True while a system call made through one of the 32-bit gates runs: such a
 * call gets 32-bit results where Linux gives them (mmap below 4 GiB). The
 * flag is the task's, set on entry through a 32-bit gate and cleared on
 * entry through the 64-bit one, so it means nothing outside a call. */
static inline bool in_compat_syscall(void) { return current_task()->syscall_compat; }

/* The highest address of a 32-bit process, and where its stack and mmap area go. */
#define COMPAT_TASK_SIZE 0xffffe000ul
#define COMPAT_STACK_TOP 0xfffd0000ul /* the 32-bit vDSO sits above it */
#define COMPAT_MMAP_BASE 0xf7ff0000ul
#define COMPAT_PIE_BASE 0x56555000ul

#endif
