/*
 * Every way into the kernel: exceptions and interrupts through the IDT, and the
 * 64-bit `syscall` instruction. All of them build the same struct regs on the
 * kernel stack (cpu.h), call C, and leave through one of two exits: `sysretq`
 * when that is safe, `iretq` otherwise.
 */
#include "cpu.h"

    .section .text.entry, "ax"

.macro PUSH_REGS
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %rcx
    pushq %rax
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_REGS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rax
    popq %rcx
    popq %rdx
    popq %rsi
    popq %rdi
.endm

/* SMAP's stac/clac, turned into 3-byte nops at boot on CPUs without SMAP
 * (smap.c), as the kernel's only instruction patching. */
.macro STAC
661: .byte 0x0f, 0x01, 0xcb
    .pushsection .smap_sites, "a"
    .quad 661b
    .popsection
.endm
.macro CLAC
661: .byte 0x0f, 0x01, 0xca
    .pushsection .smap_sites, "a"
    .quad 661b
    .popsection
.endm

/*
 * Each system-call gate has a fast path and a full one.
 *
 * The fast path saves only what the C calling convention would let the
 * service routine clobber and the return needs, calls the table entry, and
 * returns with the gate's own fast instruction. It is taken whenever the
 * number is in range (the limit is 0 while tracing, which sends every call
 * the full way) and leaves through the full exit only when the current task
 * has work to do on its way out (TASK_WORK: a reschedule, a signal, a
 * whole-frame call).
 *
 * The call's number and ABI are the task's (TASK_SYSCALL_NR, _COMPAT), written
 * through %gs:CPU_CURRENT before interrupts are on: a call that sleeps keeps
 * them however many other tasks enter the kernel meanwhile.
 *
 * The full path builds a complete struct regs (cpu.h), as interrupts do, and
 * calls the C dispatcher, which reads numbers the way Linux does, traces, and
 * decides whether the fast return instruction is safe or iretq is needed.
 */

/* A fast path's rebuilt frame keeps the call's number (orig_rax), as a
 * full path's does: a signal's restart and a tracer that attached while
 * the call slept read it there. rax is saved already. */
.macro FRAME_NR_FROM_TASK
    movq %gs:CPU_CURRENT, %rax
    movl TASK_SYSCALL_NR(%rax), %eax
    movq %rax, REGS_NR(%rsp)
.endm

/* A whole-frame system call (fork, execve, sigreturn: ptregs_ in the tables)
 * reached from a fast path: note it as the task's exit work and return the
 * number. The fast path then restores the user's registers, sees the work,
 * rebuilds the full struct regs from them and calls exit_to_user(), which
 * runs the call on that frame (its number and ABI are in the task) and
 * leaves through iret. The fast paths pay nothing for it. */
    .globl ptregs_stub
ptregs_stub:
    movq %gs:CPU_CURRENT, %rdx
    lock orl $TASK_WORK_PTREGS, TASK_WORK(%rdx)
    ret

/* ---- syscall from 64-bit code: rcx = user rip, r11 = user rflags, rsp is
 * still the user's; FMASK has cleared IF, TF, DF, AC and NT. ---- */
    .globl entry_syscall_64
entry_syscall_64:
    swapgs
    movq %rsp, %gs:CPU_USER_RSP
    movq %gs:CPU_KERNEL_RSP, %rsp
    cmpq syscall_64_fast_limit(%rip), %rax
    jae syscall_64_full
    pushq %gs:CPU_USER_RSP
    pushq %rcx
    pushq %r11
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %r10
    pushq %r8
    pushq %r9
    movq %gs:CPU_CURRENT, %r11
    movq %rax, TASK_SYSCALL_NR(%r11) /* and syscall_compat = 0: rax is below the limit */
    sti
    movq %r10, %rcx                 /* the C convention's fourth argument */
    call *syscall_table_64(,%rax,8)
    cli
    popq %r9
    popq %r8
    popq %r10
    popq %rdx
    popq %rsi
    popq %rdi
    movq %gs:CPU_CURRENT, %rcx
    cmpl $0, TASK_WORK(%rcx)
    popq %r11                       /* pops leave the flags alone */
    popq %rcx
    jne syscall_64_exit_work
    popq %rsp
    swapgs
    sysretq

/* The fast path's way out when there is work: rebuild a full frame from the
 * user's registers (all restored by now) and leave like an interrupt. */
syscall_64_exit_work:
    popq %gs:CPU_USER_RSP
    pushq $USER_DS
    pushq %gs:CPU_USER_RSP
    pushq %r11
    pushq $USER_CS
    pushq %rcx
    pushq $0                        /* error_code */
    pushq $-1                       /* nr: the task's, below */
    PUSH_REGS
    FRAME_NR_FROM_TASK
    movq %rsp, %rdi
    xorl %esi, %esi
    call exit_to_user
    jmp return_to_user_iret

syscall_64_full:
    pushq $USER_DS
    pushq %gs:CPU_USER_RSP
    pushq %r11
    pushq $USER_CS
    pushq %rcx
    pushq $0                        /* error_code */
    pushq %rax                      /* nr */
    PUSH_REGS
    movq %rsp, %rdi
    sti
    call syscall_64_dispatch        /* returns true when sysret is safe */
    cli
    movq %rsp, %rdi
    movzbl %al, %esi
    call exit_to_user               /* pending work; false if iret is needed */
    testb %al, %al
    jz return_to_user_iret
    POP_REGS
    movq REGS_RIP - REGS_NR(%rsp), %rcx
    movq REGS_RFLAGS - REGS_NR(%rsp), %r11
    movq REGS_RSP - REGS_NR(%rsp), %rsp
    swapgs
    sysretq

/* ---- int $0x80, from 32-bit programs and from 64-bit ones alike (which get
 * the i386 table and 32-bit arguments, as on Linux). The kernel itself never
 * executes int $0x80, so the caller is always in user mode. ---- */
    .globl entry_int80
entry_int80:
    swapgs
    cmpq syscall_32_fast_limit(%rip), %rax
    jae int80_full
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    /* ebx, ecx, edx, esi, edi, ebp -> rdi, rsi, rdx, rcx, r8, r9, zero-extended */
    movl %edi, %r8d
    movl %ebp, %r9d
    movl %ecx, %r10d
    movl %esi, %ecx
    movl %r10d, %esi
    movl %ebx, %edi
    movl %edx, %edx
    movq %gs:CPU_CURRENT, %r11
    movl %eax, TASK_SYSCALL_NR(%r11)
    movl $1, TASK_SYSCALL_COMPAT(%r11)
    sti
    call *syscall_table_32(,%rax,8)
    cli
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    movq %gs:CPU_CURRENT, %rcx
    cmpl $0, TASK_WORK(%rcx)
    popq %rcx                       /* pops leave the flags alone */
    jne int80_exit_work
    jmp return_to_user_from_frame

int80_exit_work:
    pushq $0                        /* error_code */
    pushq $-1                       /* nr: the task's, below */
    PUSH_REGS
    FRAME_NR_FROM_TASK
    movq %rsp, %rdi
    xorl %esi, %esi
    call exit_to_user
    jmp return_to_user_iret

int80_full:
    pushq $0                        /* error_code */
    pushq %rax                      /* nr */
    PUSH_REGS
    movq %rsp, %rdi
    sti
    call syscall_32_dispatch
    cli
    movq %rsp, %rdi
    xorl %esi, %esi
    call exit_to_user
    jmp return_to_user_iret

/* ---- sysenter from 32-bit code, through the vDSO (vdso32.S): ebp holds the
 * user stack pointer, the sixth argument is at its top, and the kernel returns
 * to the vDSO's landing pad, whose pops restore ecx, edx and ebp. The CPU has
 * cleared IF but not TF, NT, AC or DF: the first instructions run on the
 * one-word SYSENTER_ESP stack (cpu.sysenter_flags) until the user's flags are
 * saved and replaced; both paths copy them to the task's stack before
 * interrupts are on. A user's TF raises #DB before the first of them: traps.c
 * clears it in the kernel's flags and resumes at entry_sysenter_32_stepped,
 * which puts it in the saved user flags; the call takes the full path. ---- */
    .globl entry_sysenter_32, entry_sysenter_32_flags_saved, entry_sysenter_32_stepped
entry_sysenter_32:
    pushfq                          /* into cpu.sysenter_flags, with IF clear */
sysenter_user_flags_saved:
    swapgs
    movq %gs:CPU_KERNEL_RSP, %rsp
entry_sysenter_32_flags_saved:
    pushq $2                        /* only the always-one bit: TF, DF, AC, NT off */
    popfq
    testl $ENTRY_RFLAGS_TF, %gs:CPU_SYSENTER_FLAGS /* the user single-steps: full path, iret */
    jnz sysenter_full
    cmpq syscall_32_fast_limit(%rip), %rax
    jae sysenter_full
    pushq %gs:CPU_SYSENTER_FLAGS    /* the user's flags, IF clear */
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    movl %ebp, %r9d
    STAC
sysenter_read_arg6:
    movl (%r9), %r9d                /* the sixth argument, saved by the vDSO */
    CLAC
    movl %edi, %r8d
    movl %ecx, %r10d
    movl %esi, %ecx
    movl %r10d, %esi
    movl %ebx, %edi
    movl %edx, %edx
    movq %gs:CPU_CURRENT, %r11
    movl %eax, TASK_SYSCALL_NR(%r11)
    movl $1, TASK_SYSCALL_COMPAT(%r11)
    sti
    call *syscall_table_32(,%rax,8)
    cli
sysenter_fast_exit:
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    movq %gs:CPU_CURRENT, %rcx      /* ecx and edx get sysexit's values below */
    cmpl $0, TASK_WORK(%rcx)
    jne sysenter_exit_work
    cmpl $VENDOR_INTEL, %gs:CPU_VENDOR     /* sysexit is #UD on AMD in long mode */
    jne sysenter_exit_work
    movl %gs:CPU_VDSO32_LANDING_PAD, %edx
    movl %ebp, %ecx
    popfq                           /* the user's flags, IF still clear */
    swapgs
    sti                             /* its shadow covers sysexit */
    sysexitl

/* The entry's first instruction again, for a single-stepping user (traps.c). */
entry_sysenter_32_stepped:
    pushfq
    orq $ENTRY_RFLAGS_TF, (%rsp)
    jmp sysenter_user_flags_saved

/* A bad user stack: the sixth argument cannot be read. */
sysenter_bad_stack:
    CLAC
    movq $-14, %rax                 /* -EFAULT */
    jmp sysenter_fast_exit

sysenter_exit_work:
    /* Build the iret frame sysexit would have made, then a full frame; ecx
     * and edx get what sysexit would have put there, not kernel values. */
    popq %rcx                       /* the user's flags */
    orq $ENTRY_RFLAGS_IF, %rcx      /* the user had interrupts on */
    pushq $USER_DS
    movl %ebp, %ebp
    pushq %rbp
    pushq %rcx
    movl %gs:CPU_VDSO32_LANDING_PAD, %edx
    movl %ebp, %ecx
    pushq $USER32_CS
    pushq %gs:CPU_VDSO32_LANDING_PAD
    pushq $0                        /* error_code */
    pushq $-1                       /* nr: the task's, below */
    PUSH_REGS
    FRAME_NR_FROM_TASK
    movq %rsp, %rdi
    xorl %esi, %esi
    call exit_to_user
    jmp return_to_user_iret

sysenter_full:
    pushq $USER_DS                  /* ss */
    movl %ebp, %ebp
    pushq %rbp                      /* rsp: the user's esp */
    pushq %gs:CPU_SYSENTER_FLAGS    /* rflags */
    orq $ENTRY_RFLAGS_IF, (%rsp)    /* the user had interrupts on */
    pushq $USER32_CS
    pushq $0                        /* rip: the landing pad, set in C */
    pushq $0                        /* error_code */
    pushq %rax                      /* nr */
    PUSH_REGS
    movq %rsp, %rdi
    sti
    call sysenter_32_dispatch       /* returns true when sysexit is safe */
    cli
    movq %rsp, %rdi
    movzbl %al, %esi
    call exit_to_user
    testb %al, %al
    jz return_to_user_iret
    POP_REGS
    /* sysexit loads eip from edx and esp from ecx, and no flags: put the
     * user's flags back without IF, then sti, whose shadow covers sysexit. */
    movl REGS_RIP - REGS_NR(%rsp), %edx
    movl REGS_RSP - REGS_NR(%rsp), %ecx
    pushq REGS_RFLAGS - REGS_NR(%rsp)
    andq $~ENTRY_RFLAGS_IF, (%rsp)
    popfq
    swapgs
    sti
    sysexitl

/* ---- syscall from 32-bit code (AMD CPUs), through the vDSO: ecx holds the
 * return address (so the vDSO passes the second argument in ebp), r11 the
 * flags, esp is still the user's; FMASK has cleared IF, TF, DF, AC and NT.
 * The kernel returns to the vDSO's landing pad. ---- */
    .globl entry_syscall_32
entry_syscall_32:
    swapgs
    movq %rsp, %gs:CPU_USER_RSP
    movq %gs:CPU_KERNEL_RSP, %rsp
    cmpq syscall_32_fast_limit(%rip), %rax
    jae syscall_32_full
    pushq %gs:CPU_USER_RSP
    pushq %r11
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    movl %gs:CPU_USER_RSP, %r9d
    STAC
syscall32_read_arg6:
    movl (%r9), %r9d                /* the sixth argument, saved by the vDSO */
    CLAC
    movl %edi, %r8d
    movl %esi, %ecx
    movl %ebp, %esi                 /* the second argument travels in ebp */
    movl %ebx, %edi
    movl %edx, %edx
    movq %gs:CPU_CURRENT, %r11
    movl %eax, TASK_SYSCALL_NR(%r11)
    movl $1, TASK_SYSCALL_COMPAT(%r11)
    sti
    call *syscall_table_32(,%rax,8)
    cli
syscall32_fast_exit:
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    popq %r11
    movq %gs:CPU_CURRENT, %rcx      /* ecx gets sysretl's value below */
    cmpl $0, TASK_WORK(%rcx)
    jne syscall32_exit_work
    movl %gs:CPU_VDSO32_LANDING_PAD, %ecx
    popq %rsp
    swapgs
    sysretl

syscall32_bad_stack:
    CLAC
    movq $-14, %rax                 /* -EFAULT */
    jmp syscall32_fast_exit

syscall32_exit_work:
    movl %gs:CPU_VDSO32_LANDING_PAD, %ecx /* what sysretl would leave in ecx */
    popq %gs:CPU_USER_RSP
    pushq $USER_DS
    pushq %gs:CPU_USER_RSP
    pushq %r11
    pushq $USER32_CS
    pushq %gs:CPU_VDSO32_LANDING_PAD
    pushq $0                        /* error_code */
    pushq $-1                       /* nr: the task's, below */
    PUSH_REGS
    FRAME_NR_FROM_TASK
    movq %rsp, %rdi
    xorl %esi, %esi
    call exit_to_user
    jmp return_to_user_iret

syscall_32_full:
    pushq $USER_DS
    pushq %gs:CPU_USER_RSP
    pushq %r11
    pushq $USER32_CS
    pushq %rcx
    pushq $0                        /* error_code */
    pushq %rax                      /* nr */
    PUSH_REGS
    movq %rsp, %rdi
    sti
    call syscall32_dispatch         /* returns true when sysret is safe */
    cli
    movq %rsp, %rdi
    movzbl %al, %esi
    call exit_to_user
    testb %al, %al
    jz return_to_user_iret
    POP_REGS
    movl REGS_RIP - REGS_NR(%rsp), %ecx
    movq REGS_RFLAGS - REGS_NR(%rsp), %r11
    movl REGS_RSP - REGS_NR(%rsp), %esp
    swapgs
    sysretl

    .pushsection __ex_table, "a"
    .quad sysenter_read_arg6, sysenter_bad_stack
    .quad syscall32_read_arg6, syscall32_bad_stack
    .popsection

/* Exception and interrupt stubs: push an error code where the CPU did not,
 * then the vector. */
.macro STUB vector, has_error_code
    .p2align 4
stub_\vector:
    .if \has_error_code == 0
    pushq $0
    .endif
    pushq $\vector
    jmp interrupt_common
.endm

.irp v, 0,1,2,3,4,5,6,7,9,16,18,19,20,28
    STUB \v, 0
.endr
.irp v, 8,10,11,12,13,14,17,21,29,30
    STUB \v, 1
.endr
.irp v, 15,22,23,24,25,26,27,31
    STUB \v, 0
.endr
.altmacro
.macro IRQ_STUBS from, to
    STUB \from, 0
    .if \to-\from
    IRQ_STUBS %(\from+1), \to
    .endif
.endm
    IRQ_STUBS 32, 63
    IRQ_STUBS 64, 95
    IRQ_STUBS 96, 127
    IRQ_STUBS 128, 159
    IRQ_STUBS 160, 191
    IRQ_STUBS 192, 223
    IRQ_STUBS 224, 255
.noaltmacro

interrupt_common:
    cld
    testb $3, 24(%rsp)              /* cs of the interrupted context */
    jz interrupt_from_kernel
    swapgs
    PUSH_REGS
    /* A #DB from user mode arrives on its own stack (IST): its frame moves
     * to the task's kernel stack, where a signal's ptrace stop may sleep and
     * where the tracer finds the registers (Linux's sync_regs). */
    movq %gs:CPU_KERNEL_RSP, %rdi
    subq $REGS_SIZE, %rdi
    cmpq %rdi, %rsp
    je 1f
    movq %rsp, %rsi
    movl $REGS_SIZE / 8, %ecx
    rep movsq
    movq %gs:CPU_KERNEL_RSP, %rsp
    subq $REGS_SIZE, %rsp
1:  movq %rsp, %rdi
    call interrupt_dispatch
    .globl return_to_user_iret
return_to_user_iret:
    POP_REGS
    addq $16, %rsp                  /* nr and error_code */
/* Every return to user space through iret ends here: the user's registers
 * are all back but for the iret frame at %rsp, and %gs is the kernel's. */
return_to_user_from_frame:
    testb $SELECTOR_LDT_BIT, 32(%rsp) /* the stack segment is one of the LDT's */
    jnz return_to_ldt_stack
    swapgs
    .globl user_iret
user_iret:
    iretq                           /* a fault here is the user's (traps.c, user_iret_fault) */

/* A stack segment of the program's own may be 16-bit: iretq would then set
 * only SP and leave bits 16-31 of ESP as the kernel's RSP has them. The
 * frame is copied to this CPU's espfix stack and the iretq made from its
 * alias whose bits 16-31 are the user's (espfix.c). */
return_to_ldt_stack:
    pushq %rdi
    pushq %rax
    movq %gs:CPU_ESPFIX_STACK, %rdi
    movq (%rsp), %rax               /* the user's rax, popped last */
    movq %rax, (%rdi)
    movq 16(%rsp), %rax             /* rip */
    movq %rax, 8(%rdi)
    movq 24(%rsp), %rax             /* cs */
    movq %rax, 16(%rdi)
    movq 32(%rsp), %rax             /* rflags */
    movq %rax, 24(%rdi)
    movq 48(%rsp), %rax             /* ss */
    movq %rax, 40(%rdi)
    movq 40(%rsp), %rax             /* rsp */
    movq %rax, 32(%rdi)
    andl $0xffff0000, %eax          /* the user's bits 16-31, nothing above */
    orq %rdi, %rax
    movq 8(%rsp), %rdi
    swapgs
    movq %rax, %rsp
    popq %rax
    jmp user_iret

/* The iretq to user space faulted (a code or stack segment the LDT no longer
 * has, or never had: sigreturn takes any selector, as Linux's does). traps.c
 * has moved the iret frame to the top of the task's kernel stack and resumes
 * here with the user's registers and %gs as they were at the iretq: the
 * fault becomes the user's, delivered from a full frame. */
    .globl user_iret_fault
user_iret_fault:
    pushq $0                        /* error_code */
    pushq $-1                       /* nr */
    PUSH_REGS
    swapgs
    movq %rsp, %rdi
    call user_iret_failed
    jmp return_to_user_iret

/* An exception or interrupt in kernel mode nearly always finds the kernel's
 * %gs. Not quite always: a #DB on the first instruction of the sysenter
 * entry (the user's TF), or a fault of iretq itself, arrive between a gate's
 * swapgs and the user. The GS base tells: the kernel's is a kernel address,
 * the user's never is (arch_prctl and the 32-bit descriptors keep it below
 * USER_TOP, and FSGSBASE is off). C always runs with the kernel's. */
interrupt_from_kernel:
    PUSH_REGS
    movl $ENTRY_MSR_GS_BASE, %ecx
    rdmsr
    xorl %ebx, %ebx                 /* callee-saved: whether to swap back */
    testl %edx, %edx
    js 1f
    swapgs
    incl %ebx
1:  movq %rsp, %rdi
    call interrupt_dispatch
    testl %ebx, %ebx
    jz 2f
    swapgs
2:  POP_REGS
    addq $16, %rsp                  /* nr and error_code */
    iretq

/* A new task's first return to user space: its kernel stack holds a struct
 * regs prepared by the kernel. Work may be waiting already (a signal sent
 * before it ever ran). */
    .globl ret_to_user_from_new_task
ret_to_user_from_new_task:
    cli
    movq %rsp, %rdi
    xorl %esi, %esi
    call exit_to_user
    jmp return_to_user_iret

/* switch_stacks(u64 *save_rsp, u64 new_rsp): the callee-saved registers of the
 * old task stay on its stack; the new task's are popped from its own. */
    .globl switch_stacks
switch_stacks:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

    .section .rodata
    .p2align 3
    .globl interrupt_stubs
interrupt_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad stub_\v
.endr
.altmacro
.macro IRQ_POINTERS from, to
    .quad stub_\from
    .if \to-\from
    IRQ_POINTERS %(\from+1), \to
    .endif
.endm
    IRQ_POINTERS 32, 63
    IRQ_POINTERS 64, 95
    IRQ_POINTERS 96, 127
    IRQ_POINTERS 128, 159
    IRQ_POINTERS 160, 191
    IRQ_POINTERS 192, 223
    IRQ_POINTERS 224, 255
.noaltmacro
