/*
 * The 32-bit vDSO: __kernel_vsyscall, the way i386 programs (glibc through
 * AT_SYSINFO) make a system call with the fastest instruction the CPU offers
 * in compatibility mode. The kernel decides once at boot and patches the jump
 * at vsyscall_gate: sysenter on Intel, syscall on AMD, int $0x80 otherwise.
 *
 * The convention is the one the entry code expects (entry_64.S): ecx, edx and
 * ebp are saved on the user stack; for sysenter ebp carries the stack pointer
 * and for syscall it carries the second argument (syscall clobbers ecx); the
 * sixth argument is then read from the saved ebp at the top of the stack. The
 * kernel returns to int80_landing_pad, which restores the three registers.
 */
    .text
    .globl __kernel_vsyscall
    .type __kernel_vsyscall, @function
__kernel_vsyscall:
    .cfi_startproc
    pushl %ecx
    .cfi_adjust_cfa_offset 4
    .cfi_rel_offset ecx, 0
    pushl %edx
    .cfi_adjust_cfa_offset 4
    .cfi_rel_offset edx, 0
    pushl %ebp
    .cfi_adjust_cfa_offset 4
    .cfi_rel_offset ebp, 0
    .globl vsyscall_gate
vsyscall_gate:
    .byte 0xe9                      /* jmp rel32, patched at boot */
    .long vsyscall_int80 - (vsyscall_gate + 5)

    .globl vsyscall_sysenter
vsyscall_sysenter:
    movl %esp, %ebp
    sysenter

    .globl vsyscall_syscall
vsyscall_syscall:
    movl %ecx, %ebp
    syscall

    .globl vsyscall_int80
vsyscall_int80:
    int $0x80
    .globl int80_landing_pad
int80_landing_pad:
    popl %ebp
    .cfi_adjust_cfa_offset -4
    .cfi_restore ebp
    popl %edx
    .cfi_adjust_cfa_offset -4
    .cfi_restore edx
    popl %ecx
    .cfi_adjust_cfa_offset -4
    .cfi_restore ecx
    ret
    .cfi_endproc
    .size __kernel_vsyscall, . - __kernel_vsyscall

/* Where a handler returns when its program gave no SA_RESTORER: the frame's
 * pretcode points here, and the kernel undoes the frame.
 *
 * Their unwind information is Linux's: a signal frame ('S') whose caller's
 * registers are the ones saved in the frame's struct sigcontext, found from
 * the stack pointer as the handler's `ret` left it (at the signal number).
 * Each description starts one byte early, at a nop, because an unwinder looks
 * up a return address less one. */
#define DW_CFA_def_cfa_expression 0x0f
#define DW_CFA_expression 0x10
#define DW_OP_breg4 0x74                /* %esp + offset */
#define DW_OP_deref 0x06
#define SLEB128_ONE_BYTE_MAX 63

/* Offsets in i386's struct sigcontext. */
#define SIGCONTEXT_di 16
#define SIGCONTEXT_si 20
#define SIGCONTEXT_bp 24
#define SIGCONTEXT_sp 28
#define SIGCONTEXT_bx 32
#define SIGCONTEXT_dx 36
#define SIGCONTEXT_cx 40
#define SIGCONTEXT_ax 44
#define SIGCONTEXT_ip 56
/* From the signal number to the sigcontext: struct sigframe's is right after
 * it; struct rt_sigframe's, after pinfo, puc, the 128-byte siginfo and the
 * ucontext's uc_flags, uc_link and uc_stack. */
#define SIGFRAME_SIGCONTEXT 4
#define RT_SIGFRAME_SIGCONTEXT (4 + 4 + 4 + 128 + 4 + 4 + 12)

/* The CFA is the interrupted %esp: *(%esp + offset). Offsets below 8192. */
.macro cfa_from_stack offset
    .if (\offset) <= SLEB128_ONE_BYTE_MAX
    .cfi_escape DW_CFA_def_cfa_expression, 3, DW_OP_breg4, (\offset), DW_OP_deref
    .else
    .cfi_escape DW_CFA_def_cfa_expression, 4, DW_OP_breg4, ((\offset) & 0x7f) | 0x80, (\offset) >> 7, DW_OP_deref
    .endif
.endm

/* DWARF register regno was saved at %esp + offset. */
.macro reg_from_stack regno, offset
    .if (\offset) <= SLEB128_ONE_BYTE_MAX
    .cfi_escape DW_CFA_expression, \regno, 2, DW_OP_breg4, (\offset)
    .else
    .cfi_escape DW_CFA_expression, \regno, 3, DW_OP_breg4, ((\offset) & 0x7f) | 0x80, (\offset) >> 7
    .endif
.endm

.macro sigcontext_cfi sc
    .cfi_startproc simple
    .cfi_signal_frame
    cfa_from_stack (\sc + SIGCONTEXT_sp)
    reg_from_stack 0, (\sc + SIGCONTEXT_ax)
    reg_from_stack 1, (\sc + SIGCONTEXT_cx)
    reg_from_stack 2, (\sc + SIGCONTEXT_dx)
    reg_from_stack 3, (\sc + SIGCONTEXT_bx)
    reg_from_stack 5, (\sc + SIGCONTEXT_bp)
    reg_from_stack 6, (\sc + SIGCONTEXT_si)
    reg_from_stack 7, (\sc + SIGCONTEXT_di)
    reg_from_stack 8, (\sc + SIGCONTEXT_ip)
.endm

    .globl __kernel_sigreturn, __kernel_rt_sigreturn
    sigcontext_cfi SIGFRAME_SIGCONTEXT
    nop
    .type __kernel_sigreturn, @function
__kernel_sigreturn:
    popl %eax                       /* the signal number */
    movl $119, %eax                 /* sigreturn */
    int $0x80
    .size __kernel_sigreturn, . - __kernel_sigreturn
    .cfi_endproc

    sigcontext_cfi RT_SIGFRAME_SIGCONTEXT
    nop
    .type __kernel_rt_sigreturn, @function
__kernel_rt_sigreturn:
    movl $173, %eax                 /* rt_sigreturn */
    int $0x80
    .size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn
    .cfi_endproc

    .section .note.GNU-stack, "", @progbits
