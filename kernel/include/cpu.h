/* Per-CPU state, the saved user registers, and the descriptor tables. */
#ifndef SYSGATE_CPU_H
#define SYSGATE_CPU_H

#include "layout.h"

/* Offsets into struct cpu, for the entry code (%gs points at it in the kernel). */
#define CPU_KERNEL_RSP 8
#define CPU_USER_RSP 16
#define CPU_SYSENTER_FLAGS 32
#define CPU_VDSO32_LANDING_PAD 40
#define CPU_VENDOR 48
#define CPU_EXIT_WORK 52
#define CPU_IN_COMPAT_SYSCALL 53
#define CPU_SYSENTER_SINGLE_STEP 54
#define CPU_PTREGS_ABI32 55
#define CPU_PTREGS_NR 56
#define CPU_SYSCALL_NR 60

/* cpu.exit_work bits: what a task must do on its way back to user space. */
#define EXIT_WORK_RESCHED 1
#define EXIT_WORK_PTREGS 2 /* run a whole-frame system call (ptregs_stub) */
#define EXIT_WORK_SIGNAL 4 /* the task has a signal pending */
#define VENDOR_OTHER 0
#define VENDOR_INTEL 1
#define VENDOR_AMD 2

/* Offsets into struct regs, for the entry code. */
#define REGS_NR 120
#define REGS_RIP 136
#define REGS_CS 144
#define REGS_RFLAGS 152
#define REGS_RSP 160
#define REGS_SIZE 176

#ifndef __ASSEMBLER__
#include "types.h"

struct task;

struct cpu {
    struct cpu *self;
    u64 kernel_rsp;         /* top of the running task's kernel stack */
    u64 user_rsp;           /* scratch for the syscall entries */
    struct task *current;
    u64 sysenter_flags;     /* sysenter's first pushfq lands here (SYSENTER_ESP) */
    u64 vdso32_landing_pad; /* where sysenter and 32-bit syscall return */
    u32 vendor;             /* VENDOR_*: decides the 32-bit fast gates */
    u8 exit_work;           /* the task must pass through exit_to_user() */
    u8 in_compat_syscall;   /* a call through a 32-bit gate is running */
    u8 sysenter_single_step; /* the user entered sysenter with TF set (traps.c) */
    u8 ptregs_abi32;        /* the pending whole-frame call came through a 32-bit gate */
    u32 ptregs_nr;          /* and its number */
    u32 syscall_nr;         /* the running call's (wait_sleep keeps it for restarts) */
    bool has_smap, has_smep, has_fsgsbase;
};

/* The registers of an interrupted context, as the entry code pushes them.
 * For a system call, nr is the number; for an exception, the vector. */
struct regs {
    u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
    u64 nr;
    u64 error_code;
    u64 rip, cs, rflags, rsp, ss; /* the hardware frame */
};
_Static_assert(__builtin_offsetof(struct regs, nr) == REGS_NR, "entry code offsets");
_Static_assert(__builtin_offsetof(struct regs, rip) == REGS_RIP, "entry code offsets");
_Static_assert(sizeof(struct regs) == REGS_SIZE, "entry code offsets");

_Static_assert(__builtin_offsetof(struct cpu, sysenter_flags) == CPU_SYSENTER_FLAGS, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, vdso32_landing_pad) == CPU_VDSO32_LANDING_PAD, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, vendor) == CPU_VENDOR, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, exit_work) == CPU_EXIT_WORK, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, in_compat_syscall) == CPU_IN_COMPAT_SYSCALL, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, sysenter_single_step) == CPU_SYSENTER_SINGLE_STEP, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, ptregs_abi32) == CPU_PTREGS_ABI32, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, ptregs_nr) == CPU_PTREGS_NR, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, syscall_nr) == CPU_SYSCALL_NR, "entry code offsets");

extern struct cpu boot_cpu;
static inline struct cpu *this_cpu(void) { return &boot_cpu; }

static inline bool regs_from_user(const struct regs *r) { return (r->cs & 3) == 3; }

void gdt_init(void);
void idt_init(void);
void syscall_gate_init(void);
void tss_set_kernel_stack(u64 rsp);
void gdt_load_tls(const u64 tls[3]);
void cpu_features_init(void);

#endif
#endif
