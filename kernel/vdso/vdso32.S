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
    pushl %ecx
    pushl %edx
    pushl %ebp
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
    popl %edx
    popl %ecx
    ret
    .size __kernel_vsyscall, . - __kernel_vsyscall

/* Where a handler returns when its program gave no SA_RESTORER: the frame's
 * pretcode points here, and the kernel undoes the frame. */
    .globl __kernel_sigreturn, __kernel_rt_sigreturn
    .type __kernel_sigreturn, @function
__kernel_sigreturn:
    popl %eax                       /* the signal number */
    movl $119, %eax                 /* sigreturn */
    int $0x80
    .size __kernel_sigreturn, . - __kernel_sigreturn
    .type __kernel_rt_sigreturn, @function
__kernel_rt_sigreturn:
    movl $173, %eax                 /* rt_sigreturn */
    int $0x80
    .size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn

    .section .note.GNU-stack, "", @progbits
