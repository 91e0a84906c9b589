/*
 * debuggates.c - one known system call through a named gate, from an instruction at a
 * global label, for the gdb workflow of `make debug` (tests/cases/debug.sh): gdb stops
 * at debug_GATE_insn, steps into the gate and out again to debug_GATE_after.
 *
 *   debuggates GATE     write(1, "debuggates: GATE\n", 17 + ...) then exit(42), both
 *                       through GATE: syscall or int80 (64-bit build); int80, sysenter
 *                       or vsyscall (__kernel_vsyscall, 32-bit build)
 *
 * A direct sysenter is the CPU vendor's to define (docs/cpu-vendors.md): run it on an
 * Intel CPU model only.
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

/* gate_GATE(nr, a1, a2, a3): the call, with the gate instruction at debug_GATE_insn and
 * the instruction after it at debug_GATE_after. */
long gate_int80(long nr, long a1, long a2, long a3);
#if defined(__x86_64__)
#define NR_WRITE 1
#define NR_EXIT 60
#define NR_I386_WRITE 4
#define NR_I386_EXIT 1
long gate_syscall(long nr, long a1, long a2, long a3);
__asm__(".text\n"
        ".globl gate_syscall, debug_syscall_insn, debug_syscall_after\n"
        "gate_syscall:\n"
        "    mov %rdi, %rax\n"
        "    mov %rsi, %rdi\n"
        "    mov %rdx, %rsi\n"
        "    mov %rcx, %rdx\n"
        "debug_syscall_insn:\n"
        "    syscall\n"
        "debug_syscall_after:\n"
        "    ret\n"
        /* int $0x80 from 64-bit code: i386's numbers, 32-bit arguments */
        ".globl gate_int80, debug_int80_insn, debug_int80_after\n"
        "gate_int80:\n"
        "    push %rbx\n"
        "    mov %rdi, %rax\n"
        "    mov %rsi, %rbx\n"
        "    mov %rcx, %r8\n"
        "    mov %rdx, %rcx\n"
        "    mov %r8, %rdx\n"
        "debug_int80_insn:\n"
        "    int $0x80\n"
        "debug_int80_after:\n"
        "    pop %rbx\n"
        "    ret\n");
#else
#define NR_I386_WRITE 4
#define NR_I386_EXIT 1
long gate_sysenter(long nr, long a1, long a2, long a3);
long gate_vsyscall(long nr, long a1, long a2, long a3);
unsigned long vsyscall_entry;
__asm__(".text\n"
        ".globl gate_int80, debug_int80_insn, debug_int80_after\n"
        "gate_int80:\n"
        "    push %ebx\n"
        "    mov 8(%esp), %eax\n"
        "    mov 12(%esp), %ebx\n"
        "    mov 16(%esp), %ecx\n"
        "    mov 20(%esp), %edx\n"
        "debug_int80_insn:\n"
        "    int $0x80\n"
        "debug_int80_after:\n"
        "    pop %ebx\n"
        "    ret\n"
        /* sysenter with the frame __kernel_vsyscall builds: the kernel returns to the
         * vDSO's landing pad, which pops ebp (the sixth argument), edx and ecx and
         * returns to debug_sysenter_after */
        ".globl gate_sysenter, debug_sysenter_insn, debug_sysenter_after\n"
        "gate_sysenter:\n"
        "    push %ebx\n"
        "    push %ebp\n"
        "    mov 12(%esp), %eax\n"
        "    mov 16(%esp), %ebx\n"
        "    mov 20(%esp), %ecx\n"
        "    mov 24(%esp), %edx\n"
        "    push $debug_sysenter_after\n"
        "    push %ecx\n"
        "    push %edx\n"
        "    push $0\n"
        "    mov %esp, %ebp\n"
        "debug_sysenter_insn:\n"
        "    sysenter\n"
        "debug_sysenter_after:\n"
        "    pop %ebp\n"
        "    pop %ebx\n"
        "    ret\n"
        ".globl gate_vsyscall, debug_vsyscall_insn, debug_vsyscall_after\n"
        "gate_vsyscall:\n"
        "    push %ebx\n"
        "    mov 8(%esp), %eax\n"
        "    mov 12(%esp), %ebx\n"
        "    mov 16(%esp), %ecx\n"
        "    mov 20(%esp), %edx\n"
        "debug_vsyscall_insn:\n"
        "    call *vsyscall_entry\n"
        "debug_vsyscall_after:\n"
        "    pop %ebx\n"
        "    ret\n");
#endif

struct gate {
    const char *name;
    long (*call)(long nr, long a1, long a2, long a3);
    long nr_write, nr_exit;
};

static const struct gate gates[] = {
#if defined(__x86_64__)
    {"syscall", gate_syscall, NR_WRITE, NR_EXIT},
#else
    {"sysenter", gate_sysenter, NR_I386_WRITE, NR_I386_EXIT},
    {"vsyscall", gate_vsyscall, NR_I386_WRITE, NR_I386_EXIT},
#endif
    {"int80", gate_int80, NR_I386_WRITE, NR_I386_EXIT},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: debuggates GATE\n");
        return 2;
    }
    const struct gate *gate = NULL;
    for (size_t i = 0; i < sizeof gates / sizeof gates[0]; i++)
        if (strcmp(argv[1], gates[i].name) == 0)
            gate = &gates[i];
    if (!gate) {
        fprintf(stderr, "debuggates: unknown gate %s\n", argv[1]);
        return 2;
    }
#if defined(__i386__)
    vsyscall_entry = getauxval(AT_SYSINFO);
#endif
    /* static: below 4 GiB, as int $0x80 from 64-bit code needs */
    static char line[64];
    int length = snprintf(line, sizeof line, "debuggates: %s\n", gate->name);
    if (gate->call(gate->nr_write, 1, (long)line, length) != length)
        return 1;
    gate->call(gate->nr_exit, 42, 0, 0);
    return 1;
}
