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

/* The 64-bit syscall gate: rcx = user rip, r11 = user rflags, rsp still the
 * user's. FMASK has cleared IF, TF, DF, AC and NT. */
    .globl entry_syscall_64
entry_syscall_64:
    swapgs
    movq %rsp, %gs:CPU_USER_RSP
    movq %gs:CPU_KERNEL_RSP, %rsp
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
    testb %al, %al
    jz return_to_user_iret
    POP_REGS
    movq REGS_RIP - REGS_NR(%rsp), %rcx
    movq REGS_RFLAGS - REGS_NR(%rsp), %r11
    movq REGS_RSP - REGS_NR(%rsp), %rsp
    swapgs
    sysretq

/* sysenter from a 32-bit program, through the vDSO (vdso32.S): ebp holds the
 * user stack pointer, the sixth argument is at its top, and the kernel returns
 * to the vDSO's landing pad. The CPU has cleared IF but not TF, NT, AC or DF:
 * the first instructions run on the small SYSENTER_ESP stack until the user's
 * flags are saved and replaced. A #DB raised by a user's TF here is absorbed
 * by traps.c (sysenter_entry_region). */
    .globl entry_sysenter_32, entry_sysenter_32_flags_saved
entry_sysenter_32:
    pushfq                          /* SYSENTER_ESP points just past cpu.sysenter_flags */
    swapgs
    movq %gs:CPU_KERNEL_RSP, %rsp
    pushq $USER_DS                  /* ss */
    movl %ebp, %ebp
    pushq %rbp                      /* rsp: the user's esp */
    pushq %gs:CPU_SYSENTER_FLAGS    /* rflags */
    orq $0x200, (%rsp)              /* the user had interrupts on */
    pushq $USER32_CS
    pushq $0                        /* rip: the landing pad, set in C */
    pushq $0                        /* error_code */
    pushq %rax                      /* nr */
    PUSH_REGS
entry_sysenter_32_flags_saved:
    pushq $2                        /* only the always-one bit: NT, AC, DF, TF off */
    popfq
    movq %rsp, %rdi
    sti
    call sysenter_32_dispatch       /* returns true when sysexit is safe */
    cli
    testb %al, %al
    jz return_to_user_iret
    POP_REGS
    /* sysexit loads eip from edx and esp from ecx, and no flags: put the
     * user's flags back (without IF), then sti; its one-instruction shadow
     * covers sysexit. */
    movl REGS_RIP - REGS_NR(%rsp), %edx
    movl REGS_RSP - REGS_NR(%rsp), %ecx
    pushq REGS_RFLAGS - REGS_NR(%rsp)
    andq $~0x200, (%rsp)
    popfq
    swapgs
    sti
    sysexitl

/* syscall from a 32-bit program (AMD CPUs), through the vDSO: ecx holds the
 * return address (so the vDSO passes the second argument in ebp), r11 the
 * flags, esp is still the user's. FMASK has cleared IF, TF, DF, AC and NT. */
    .globl entry_syscall_32
entry_syscall_32:
    swapgs
    movq %rsp, %gs:CPU_USER_RSP
    movq %gs:CPU_KERNEL_RSP, %rsp
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
    testb %al, %al
    jz return_to_user_iret
    POP_REGS
    movl REGS_RIP - REGS_NR(%rsp), %ecx
    movq REGS_RFLAGS - REGS_NR(%rsp), %r11
    movl REGS_RSP - REGS_NR(%rsp), %esp
    swapgs
    sysretl

/* int $0x80: the i386 gate, from 32-bit programs and from 64-bit ones alike
 * (which then get the i386 table and 32-bit arguments, as on Linux). */
    .globl entry_int80
entry_int80:
    pushq $0                        /* error_code */
    pushq %rax                      /* nr */
    cld
    testb $3, 24(%rsp)
    jz 1f
    swapgs
1:  PUSH_REGS
    movq %rsp, %rdi
    sti
    call syscall_32_dispatch
    cli
    jmp interrupt_return

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
    jz 1f
    swapgs
1:  PUSH_REGS
    movq %rsp, %rdi
    call interrupt_dispatch
    .globl return_to_user_iret
return_to_user_iret:
interrupt_return:
    POP_REGS
    addq $16, %rsp                  /* nr and error_code */
    testb $3, 8(%rsp)
    jz 2f
    swapgs
2:  iretq

/* A new task's first return to user space: its kernel stack holds a struct
 * regs prepared by the kernel. */
    .globl ret_to_user_from_new_task
ret_to_user_from_new_task:
    cli
    jmp interrupt_return

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
