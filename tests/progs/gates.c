/*
 * gates.c - every gate of this ABI makes the same calls and gets the same
 * results (SPEC section 4), with the registers Linux preserves preserved.
 * Built 64-bit (gates: syscall, int $0x80) and 32-bit (int $0x80, sysenter,
 * __kernel_vsyscall); the output is compared with the Linux host's.
 *
 *   gates [GATE...]     the named gates, by default those every x86-64 CPU has
 *   gates tf GATE       single-step into one gate
 *
 * A direct 32-bit `sysenter` is defined by the CPU's vendor (Intel executes it
 * in compatibility mode, AMD raises #UD), so it is run only when named: the
 * tests take its expected results from the int $0x80 gate on Linux, never from
 * whatever CPU the host happens to have (docs/cpu-vendors.md).
 *
 *   - getpid equals libc's getpid; write(1, ..., 3) writes and returns 3;
 *   - numbers -1 and 100000 give -ENOSYS;
 *   - the registers the ABI preserves hold their values across the call,
 *     and DF/AC set by the caller come back as they were;
 *   - int $0x80 from 64-bit code with a pointer to the stack gives -EFAULT
 *     (the pointer is truncated to 32 bits).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sysgate/syscall.h>

/* Each gate reaches its own table: int $0x80 is i386's even from 64-bit code. */
#define I386_GETPID 20
#define I386_WRITE 4
#if defined(__x86_64__)
static long nr_getpid[] = {39, I386_GETPID};
static const long nr_write[] = {1, I386_WRITE};
static const char *const gate_names[] = {"syscall", "int80"};
#define GATES 2
static const int default_gates[] = {0, 1};
static long raw(int gate, long nr, long a1, long a2, long a3)
{
    return gate == 0 ? sg_raw_syscall64(nr, a1, a2, a3, 0, 0, 0) : sg_raw_int80(nr, a1, a2, a3, 0, 0, 0);
}
#else
static long nr_getpid[] = {I386_GETPID, I386_GETPID, I386_GETPID};
static const long nr_write[] = {I386_WRITE, I386_WRITE, I386_WRITE};
static const char *const gate_names[] = {"int80", "sysenter", "vsyscall"};
#define GATES 3
static const int default_gates[] = {0, 2};
static long raw(int gate, long nr, long a1, long a2, long a3)
{
    if (gate == 0)
        return sg_raw_int80(nr, a1, a2, a3, 0, 0, 0);
    if (gate == 1)
        return sg_raw_sysenter(nr, a1, a2, a3, 0, 0, 0);
    return sg_raw_vsyscall(nr, a1, a2, a3, 0, 0, 0);
}
#endif

/* Loads every register the ABI preserves with a pattern, makes getpid
 * through a gate, and stores what the registers hold afterwards in `after`
 * (a global: after the call no register may be assumed). */
#if defined(__x86_64__)
static uint64_t after[12] __attribute__((used));
static const char *const reg_names[12] = {"rbx", "rbp", "rsi", "rdi", "rdx", "r8",
                                          "r9",  "r10", "r12", "r13", "r14", "r15"};
#define ACROSS(nr, gate_instruction)                                                  \
    __asm__ volatile("push %%rbp\n\t"                                                 \
                     "lea -128(%%rsp), %%rsp\n\t"                                     \
                     "movabs $0x1111111111111111, %%rbx\n\t"                          \
                     "movabs $0x2222222222222222, %%rbp\n\t"                          \
                     "movabs $0x3333333333333333, %%rsi\n\t"                          \
                     "movabs $0x4444444444444444, %%rdi\n\t"                          \
                     "movabs $0x5555555555555555, %%rdx\n\t"                          \
                     "movabs $0x8888888888888888, %%r8\n\t"                           \
                     "movabs $0x9999999999999999, %%r9\n\t"                           \
                     "movabs $0xaaaaaaaaaaaaaaaa, %%r10\n\t"                          \
                     "movabs $0xbbbbbbbbbbbbbbbb, %%r12\n\t"                          \
                     "movabs $0xcccccccccccccccc, %%r13\n\t"                          \
                     "movabs $0xdddddddddddddddd, %%r14\n\t"                          \
                     "movabs $0xeeeeeeeeeeeeeeee, %%r15\n\t"                          \
                     "mov $" #nr ", %%eax\n\t" gate_instruction "\n\t"                \
                     "mov %%rbx, after+0(%%rip)\n\t"                                  \
                     "mov %%rbp, after+8(%%rip)\n\t"                                  \
                     "mov %%rsi, after+16(%%rip)\n\t"                                 \
                     "mov %%rdi, after+24(%%rip)\n\t"                                 \
                     "mov %%rdx, after+32(%%rip)\n\t"                                 \
                     "mov %%r8, after+40(%%rip)\n\t"                                  \
                     "mov %%r9, after+48(%%rip)\n\t"                                  \
                     "mov %%r10, after+56(%%rip)\n\t"                                 \
                     "mov %%r12, after+64(%%rip)\n\t"                                 \
                     "mov %%r13, after+72(%%rip)\n\t"                                 \
                     "mov %%r14, after+80(%%rip)\n\t"                                 \
                     "mov %%r15, after+88(%%rip)\n\t"                                 \
                     "lea 128(%%rsp), %%rsp\n\t"                                      \
                     "pop %%rbp"                                                      \
                     :                                                                \
                     :                                                                \
                     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", \
                       "r12", "r13", "r14", "r15", "memory", "cc")

static void call_with_patterns(int gate)
{
    if (gate == 0)
        ACROSS(39, "syscall");
    else
        ACROSS(20, "int $0x80");
}

static const uint64_t patterns[12] = {
    0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444,
    0x5555555555555555, 0x8888888888888888, 0x9999999999999999, 0xaaaaaaaaaaaaaaaa,
    0xbbbbbbbbbbbbbbbb, 0xcccccccccccccccc, 0xdddddddddddddddd, 0xeeeeeeeeeeeeeeee};
#else
static uint32_t after[6] __attribute__((used));
static void *vsyscall_entry __attribute__((used));
static const char *const reg_names[6] = {"ebx", "ecx", "edx", "esi", "edi", "ebp"};
#define ACROSS(gate_sequence)                                                         \
    __asm__ volatile("pushl %%ebp\n\t"                                                \
                     "movl $0x11111111, %%ebx\n\t"                                    \
                     "movl $0x22222222, %%ecx\n\t"                                    \
                     "movl $0x33333333, %%edx\n\t"                                    \
                     "movl $0x44444444, %%esi\n\t"                                    \
                     "movl $0x55555555, %%edi\n\t"                                    \
                     "movl $0x66666666, %%ebp\n\t"                                    \
                     "movl $20, %%eax\n\t" gate_sequence "\n\t"                       \
                     "movl %%ebx, after+0\n\t"                                        \
                     "movl %%ecx, after+4\n\t"                                        \
                     "movl %%edx, after+8\n\t"                                        \
                     "movl %%esi, after+12\n\t"                                       \
                     "movl %%edi, after+16\n\t"                                       \
                     "movl %%ebp, after+20\n\t"                                       \
                     "popl %%ebp"                                                     \
                     :                                                                \
                     :                                                                \
                     : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc")

static void call_with_patterns(int gate)
{
    vsyscall_entry = sg_vsyscall_entry();
    if (gate == 0)
        ACROSS("int $0x80");
    else if (gate == 1)
        /* The frame __kernel_vsyscall builds; the landing pad returns to 1. */
        ACROSS("pushl $1f\n\tpushl %%ecx\n\tpushl %%edx\n\tpushl %%ebp\n\t"
               "movl %%esp, %%ebp\n\tsysenter\n1:");
    else
        ACROSS("call *vsyscall_entry");
}

static const uint32_t patterns[6] = {0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666};
#endif

static void check_registers(int gate)
{
    memset(after, 0, sizeof(after));
    call_with_patterns(gate);
    int bad = 0;
    for (unsigned i = 0; i < sizeof(after) / sizeof(after[0]); i++)
        if (after[i] != patterns[i]) {
            printf("%s: %s not preserved\n", gate_names[gate], reg_names[i]);
            bad = 1;
        }
    if (!bad)
        printf("%s: registers preserved\n", gate_names[gate]);
}

/* DF, AC and NT set by the caller: the call must work and give them back. */
#define RFLAGS_TF (1ul << 8)
#define RFLAGS_DF (1ul << 10)
#define RFLAGS_NT (1ul << 14)
#define RFLAGS_AC (1ul << 18)

static unsigned long flags_across(int gate, unsigned long set)
{
    unsigned long before, flags;
    __asm__ volatile("pushf\n\tpop %0" : "=r"(before));
    __asm__ volatile("push %0\n\tpopf" ::"r"(before | set) : "cc");
    long pid = raw(gate, nr_getpid[gate], 0, 0, 0);
    __asm__ volatile("pushf\n\tpop %0" : "=r"(flags));
    __asm__ volatile("push %0\n\tpopf" ::"r"(before) : "cc");
    (void)pid;
    return flags & set;
}

/* `gates tf GATE`: the caller sets the trap flag right before the gate's
 * instruction, so the CPU enters the kernel single-stepping (sysenter keeps
 * TF; syscall and int clear it on the way in). The call completes, the trap
 * after it kills the process with SIGTRAP (no handler), on Linux and on
 * sysgate alike, and the kernel must not mind. */
static int single_step_into(int gate)
{
    printf("single-stepping into %s\n", gate_names[gate]);
    fflush(stdout);
    unsigned long flags;
    __asm__ volatile("pushf\n\tpop %0" : "=r"(flags));
    flags |= RFLAGS_TF;
#if defined(__x86_64__)
    if (gate == 0)
        __asm__ volatile("push %1\n\tpopf\n\tsyscall" : "+a"(nr_getpid[0]) : "r"(flags) : "rcx", "r11", "memory");
    else
        __asm__ volatile("push %1\n\tpopf\n\tint $0x80" : "+a"(nr_getpid[1]) : "r"(flags) : "memory");
#else
    vsyscall_entry = sg_vsyscall_entry();
    if (gate == 0)
        __asm__ volatile("push %1\n\tpopf\n\tint $0x80" : "+a"(nr_getpid[0]) : "r"(flags) : "memory");
    else if (gate == 1)
        __asm__ volatile("pushl %%ebp\n\tpushl $1f\n\tpushl %%ecx\n\tpushl %%edx\n\tpushl %%ebp\n\t"
                         "movl %%esp, %%ebp\n\tpush %1\n\tpopf\n\tsysenter\n1:\n\tpopl %%ebp"
                         : "+a"(nr_getpid[1]) : "r"(flags) : "ecx", "edx", "memory");
    else
        __asm__ volatile("push %1\n\tpopf\n\tcall *vsyscall_entry" : "+a"(nr_getpid[2]) : "r"(flags) : "ecx", "edx", "memory");
#endif
    printf("survived the trap flag\n");
    return 3;
}

static int gate_by_name(const char *name)
{
    for (int gate = 0; gate < GATES; gate++)
        if (!strcmp(name, gate_names[gate]))
            return gate;
    fprintf(stderr, "gates: no gate '%s' in this ABI\n", name);
    exit(2);
}

int main(int argc, char **argv)
{
    char buf[8];
    if (argc == 3 && !strcmp(argv[1], "tf"))
        return single_step_into(gate_by_name(argv[2]));
    int gates[GATES], count = 0;
    for (int i = 1; i < argc && count < GATES; i++)
        gates[count++] = gate_by_name(argv[i]);
    if (count == 0)
        for (unsigned i = 0; i < sizeof(default_gates) / sizeof(default_gates[0]); i++)
            gates[count++] = default_gates[i];
    for (int i = 0; i < count; i++) {
        int gate = gates[i];
        long pid = raw(gate, nr_getpid[gate], 0, 0, 0);
        printf("%s: getpid %s\n", gate_names[gate], pid == getpid() ? "matches" : "differs");
        fflush(stdout);
        long n = raw(gate, nr_write[gate], 1, (long)"ok\n", 3);
        printf("%s: write returned %ld\n", gate_names[gate], n);
        printf("%s: nr -1 -> %ld\n", gate_names[gate], raw(gate, -1, 0, 0, 0));
        printf("%s: nr 100000 -> %ld\n", gate_names[gate], raw(gate, 100000, 0, 0, 0));
    }
#if defined(__x86_64__)
    /* A stack address does not fit in 32 bits: int $0x80 sees a truncated pointer. */
    memcpy(buf, "stack\n", 6);
    printf("int80: write from the stack -> %ld\n", sg_raw_int80(I386_WRITE, 1, (long)buf, 6, 0, 0, 0));
#else
    (void)buf;
#endif
    for (int i = 0; i < count; i++) {
        int gate = gates[i];
        check_registers(gate);
        printf("%s: DF %s\n", gate_names[gate], flags_across(gate, RFLAGS_DF) ? "kept" : "lost");
        printf("%s: AC %s\n", gate_names[gate], flags_across(gate, RFLAGS_AC) ? "kept" : "lost");
        printf("%s: NT %s\n", gate_names[gate], flags_across(gate, RFLAGS_NT) ? "kept" : "lost");
    }
    return 0;
}
