/* Per-CPU state, the saved user registers, and the descriptor tables. */
#ifndef SYSGATE_CPU_H
#define SYSGATE_CPU_H

#include "layout.h"

/* Offsets into struct cpu, for the entry code (%gs points at it in the kernel). */
#define CPU_SELF 0
#define CPU_KERNEL_RSP 8
#define CPU_USER_RSP 16
#define CPU_CURRENT 24
#define CPU_SYSENTER_FLAGS 32
#define CPU_VDSO32_LANDING_PAD 40
#define CPU_VENDOR 48
#define CPU_ESPFIX_STACK 56

/* Offsets into struct task (proc.h, which asserts them), for the entry code:
 * it reaches the running task through %gs:CPU_CURRENT. The 64-bit gate
 * writes the number and the compat flag with one 8-byte store. */
#define TASK_SYSCALL_NR 0
#define TASK_SYSCALL_COMPAT 4
#define TASK_WORK 8

/* task.work bits: what a task must do on its way back to user space. */
#define TASK_WORK_RESCHED 1 /* its CPU asked for a reschedule while it ran (sched_tick) */
#define TASK_WORK_PTREGS 2  /* run a whole-frame system call (ptregs_stub) */
#define TASK_WORK_SIGNAL 4  /* it may have a signal to deliver */
#define TASK_WORK_RSEQ 8    /* it has an rseq area and was switched out: update it (proc/rseq.c) */

#define VENDOR_OTHER 0
#define VENDOR_INTEL 1
#define VENDOR_AMD 2

/* The few architectural numbers the entry code needs; x86.h (C only) has
 * the others, and gdt.c asserts these against it. */
#define ENTRY_MSR_GS_BASE 0xc0000101
#define ENTRY_RFLAGS_TF 0x100
#define ENTRY_RFLAGS_IF 0x200
#define SELECTOR_LDT_BIT 4 /* a selector's table indicator: the LDT */

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

/* The task-state segment: rsp0 is the kernel stack the CPU switches to when
 * an interrupt arrives in user mode; ist[] are the stacks of their own. */
struct tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
} __attribute__((packed));

#define DOUBLE_FAULT_STACK_SIZE 8192
#define DEBUG_STACK_SIZE 4096

/* One CPU's own state, reached through %gs in the kernel (this_cpu()). What
 * belongs to the thread that runs (the system call in progress, its pending
 * work) is in struct task; docs/architecture.md says which lock protects what. */
struct cpu {
    struct cpu *self;       /* this_cpu() reads it: %gs:0 */
    u64 kernel_rsp;         /* top of the running task's kernel stack */
    u64 user_rsp;           /* scratch for the syscall entries, interrupts off */
    struct task *current;
    u64 sysenter_flags;     /* sysenter's first pushfq lands here (SYSENTER_ESP); the
                             * entry copies it to the task's stack before interrupts are on */
    u64 vdso32_landing_pad; /* where sysenter and 32-bit syscall return */
    u32 vendor;             /* VENDOR_*: decides the 32-bit fast gates */
    bool has_smap, has_smep, has_fsgsbase;
    u64 espfix_stack;       /* the return to a 16-bit stack irets from here (espfix.c), bits 16-31 clear */
    u64 iret_fault_vector;  /* a return to user that faulted: what the CPU said (traps.c), interrupts off */
    u64 iret_fault_error;
    struct task *idle;      /* runs when nothing else can */
    struct task *run_queue; /* circular list through next_run, idle excluded; interrupts off */
    struct tss tss;
    u64 gdt[GDT_ENTRIES] __attribute__((aligned(16)));
    /* A double fault (typically a kernel stack overflow) runs on a stack of
     * its own, so that it can still print what happened; so does a debug
     * trap, which can hit the first instructions of the sysenter entry, run
     * on a one-word stack. */
    u8 double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));
    u8 debug_stack[DEBUG_STACK_SIZE] __attribute__((aligned(16)));
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
_Static_assert(__builtin_offsetof(struct regs, cs) == REGS_CS, "entry code offsets");
_Static_assert(__builtin_offsetof(struct regs, rflags) == REGS_RFLAGS, "entry code offsets");
_Static_assert(__builtin_offsetof(struct regs, rsp) == REGS_RSP, "entry code offsets");
_Static_assert(sizeof(struct regs) == REGS_SIZE, "entry code offsets");

_Static_assert(__builtin_offsetof(struct cpu, self) == CPU_SELF, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, kernel_rsp) == CPU_KERNEL_RSP, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == CPU_USER_RSP, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, current) == CPU_CURRENT, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, sysenter_flags) == CPU_SYSENTER_FLAGS, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, vdso32_landing_pad) == CPU_VDSO32_LANDING_PAD, "entry code offsets");
_Static_assert(__builtin_offsetof(struct cpu, vendor) == CPU_VENDOR, "entry code offsets");
_Static_assert(sizeof(((struct cpu *)0)->vendor) == 4, "entry code compares vendor with cmpl");
_Static_assert(__builtin_offsetof(struct cpu, espfix_stack) == CPU_ESPFIX_STACK, "entry code offsets");
/* struct task's offsets are asserted next to it, in proc.h. */

/* The running CPU's area. Valid from the start of kmain (percpu_init_boot)
 * and in every kernel context: the entry code swaps to the kernel's %gs
 * before it calls C, also for exceptions raised where the user's %gs was
 * still loaded (entry_64.S, interrupt_from_kernel). Volatile: the value is
 * set by boot code the compiler cannot see. */
static inline struct cpu *this_cpu(void)
{
    struct cpu *cpu;
    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(cpu) : "i"(CPU_SELF));
    return cpu;
}

static inline bool regs_from_user(const struct regs *r) { return (r->cs & 3) == 3; }

void percpu_init_boot(void);
void gdt_init(void);
void idt_init(void);
void syscall_gate_init(void);
void tss_set_kernel_stack(u64 rsp);
void gdt_load_tls(const u64 tls[3]);
void gdt_load_ldt(const u64 *table, u32 entries);
void gdt_unload_ldt(const u64 *table);
void espfix_init(void);
void cpu_features_init(void);

#endif
#endif
