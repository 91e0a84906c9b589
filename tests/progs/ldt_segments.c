/*
 * ldt_segments.c - segments of a program's own LDT in use, in the spirit of
 * Linux's selftests ldt_gdt.c and sigreturn.c; the output is compared with
 * the Linux host's (built for glibc, musl and i386).
 *
 *   - a data segment loaded into a segment register reads through its base
 *     (%gs in 64-bit code, %es and %fs in 32-bit code); a not-present one
 *     faults with SIGBUS (#NP) and the selector in the error code; a flat
 *     one in %ds survives a sleep (QEMU's TCG does not check segment
 *     limits, so reads past one are not tried);
 *   - changing or clearing an entry applies at once to %es and %ds;
 *   - far calls (i386) or far jumps (x86-64) into 32-bit and 16-bit code
 *     segments of the LDT, and back;
 *   - 16-bit code on a 16-bit stack with ESP's high bits set: a signal taken
 *     there (on the alternate stack) reports the LDT CS and SS, sigreturn
 *     goes back, and ESP's high bits are the program's after it and after
 *     an int $0x80 (espfix);
 *   - sigreturn to a not-present or missing LDT code segment: SIGBUS or
 *     SIGSEGV;
 *   - fork inherits the table, threads share it, exec clears it, and a
 *     process forked before it existed never sees it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

struct user_desc {
    uint32_t entry_number;
    uint32_t base_addr;
    uint32_t limit;
    uint32_t seg_32bit : 1;
    uint32_t contents : 2;
    uint32_t read_exec_only : 1;
    uint32_t limit_in_pages : 1;
    uint32_t seg_not_present : 1;
    uint32_t useable : 1;
    uint32_t lm : 1;
};

#define LDT_WRITE 0x11
#define SEL(index) ((index) << 3 | 7)
#define E_DATA 0      /* 32-bit data over data_buf */
#define E_CODE32 1    /* flat 32-bit code */
#define E_CODE16 2    /* 16-bit code at code16_start */
#define E_STACK16 3   /* 16-bit data over stack16 */
#define E_ABSENT 4    /* data, not present */
#define E_ABSENT_CODE 5
#define E_FLAT 6      /* flat 32-bit data */
#define E_THREAD 7    /* written by a thread */
#define USER_DS 0x2b
#define ESP_HIGH 0x56780000u
#define SP16 0x0f00u

#ifdef __x86_64__
#define BACK_CS "0x33"
#else
#define BACK_CS "0x23"
#endif

/* The code the LDT's code segments run: 32-bit code at its flat address,
 * 16-bit code at offsets from code16_start (its segment's base). The 64-bit
 * build comes back with far jumps (QEMU's TCG mishandles some far returns
 * to 64-bit code); the i386 one with far returns. */
extern char code32_entry[], code32_back[], code16_start[], code16_call[], code16_back[], stack16_entry[],
    stack16_back[];
__asm__(".pushsection .text\n"
        ".code32\n"
        "code32_entry:\n"
        "    xorl %ebx, %ebx\n"
        "    movw %cs, %bx\n"
        "    movl $0x32323232, %eax\n"
#ifdef __x86_64__
        "    ljmpl $0x33, $code32_back\n"
#else
        "    lret\n"
#endif
        ".code16\n"
        "code16_start:\n"
        "code16_call:\n"
        "    xorl %ebx, %ebx\n"
        "    movw %cs, %bx\n"
        "    movl $0x16161616, %eax\n"
#ifdef __x86_64__
        "    ljmpl $0x33, $code16_back\n"
#else
        "    lretl\n"
#endif
        "stack16_entry:\n"
        "    movw $0x1f, %ax\n" /* SEL(E_STACK16) */
        "    movw %ax, %ss\n"
        "    movl $0x56780f00, %esp\n" /* ESP_HIGH | SP16 */
        "    pushw $0x1234\n"
        "    popw %cx\n"
        "    int3\n"
        "    movl %esp, %esi\n"
        "    movl $20, %eax\n" /* i386 getpid */
        "    int $0x80\n"
        "    movl %esp, %edi\n"
        "    movw $0x2b, %ax\n"
        "    movw %ax, %ss\n"
        "    ljmpl $" BACK_CS ", $stack16_back\n"
#ifdef __x86_64__
        ".code64\n"
#else
        ".code32\n"
#endif
        ".popsection\n");

static unsigned char data_buf[4096] __attribute__((aligned(16)));
static unsigned char stack16[65536] __attribute__((aligned(16)));
static unsigned char altstack[65536] __attribute__((aligned(16)));
static struct {
    uint32_t offset;
    uint16_t selector;
} __attribute__((packed)) far;
static uintptr_t saved_sp, saved_bp;
static sigjmp_buf recover;

static long modify_ldt(int func, void *ptr, unsigned long bytecount)
{
    return syscall(SYS_modify_ldt, func, ptr, bytecount);
}

static void set_entry(unsigned index, uintptr_t base, uint32_t limit, int seg_32bit, int contents, int pages,
                      int not_present)
{
    struct user_desc d = {.entry_number = index, .base_addr = (uint32_t)base, .limit = limit,
                          .seg_32bit = seg_32bit, .contents = contents, .limit_in_pages = pages,
                          .seg_not_present = not_present};
    long ret = modify_ldt(LDT_WRITE, &d, sizeof(d));
    if (ret != 0) {
        printf("modify_ldt(entry %u): %ld\n", index, ret);
        exit(1);
    }
}

static int lar_ok(unsigned selector)
{
    unsigned ar;
    unsigned char ok;
    __asm__ volatile("lar %2, %0; setz %1" : "=r"(ar), "=q"(ok) : "r"(selector) : "cc");
    return ok;
}

static void on_fault(int sig, siginfo_t *info, void *ctx)
{
    ucontext_t *uc = ctx;
#ifdef __x86_64__
    long err = uc->uc_mcontext.gregs[REG_ERR], trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
#else
    long err = uc->uc_mcontext.gregs[REG_ERR], trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
#endif
    printf("  signal %d, code %#x, trap %ld, error %#lx\n", sig, info->si_code, trapno, err);
    siglongjmp(recover, 1);
}

static void data_segments(void)
{
    for (unsigned i = 0; i < sizeof(data_buf); i++)
        data_buf[i] = (unsigned char)(i * 7 + 1);
    set_entry(E_DATA, (uintptr_t)data_buf, 0xfff, 1, 0, 0, 0);
    set_entry(E_ABSENT, (uintptr_t)data_buf, 0xfff, 1, 0, 0, 1);
    set_entry(E_FLAT, 0, 0xfffff, 1, 0, 1, 0);
    unsigned value = 0;
#ifdef __x86_64__
    __asm__ volatile("mov %1, %%gs; movl %%gs:8, %0; mov %2, %%gs" : "=&r"(value) : "r"(SEL(E_DATA)), "r"(0));
    printf("through %%gs: %#x\n", value);
#else
    unsigned short fs;
    __asm__ volatile("mov %%fs, %0" : "=r"(fs));
    /* The C library's string instructions write through %es: flat again
     * before any call. */
    __asm__ volatile("mov %1, %%es; movl %%es:8, %0; mov %2, %%es" : "=&r"(value) : "r"(SEL(E_DATA)), "r"(USER_DS));
    printf("through %%es: %#x\n", value);
    __asm__ volatile("mov %1, %%fs; movl %%fs:12, %0; mov %2, %%fs" : "=&r"(value) : "r"(SEL(E_DATA)), "r"(fs));
    printf("through %%fs: %#x\n", value);

    __asm__ volatile("mov %0, %%ds" ::"r"(SEL(E_FLAT)));
    struct timespec nap = {0, 1000000};
    nanosleep(&nap, NULL);
    unsigned short ds;
    __asm__ volatile("mov %%ds, %0" : "=r"(ds));
    printf("%%ds after a sleep: %#x\n", ds);
    __asm__ volatile("mov %0, %%ds" ::"r"(USER_DS));
#endif
    printf("not present into %%es:\n");
    if (!sigsetjmp(recover, 1))
        __asm__ volatile("mov %0, %%es" ::"r"(SEL(E_ABSENT)));
    __asm__ volatile("mov %0, %%es" ::"r"(USER_DS));

    /* A change reaches %es at once; clearing the entry nulls it. The calls
     * are raw system calls, which leave %es alone. */
    struct user_desc moved = {.entry_number = E_DATA, .base_addr = (uint32_t)(uintptr_t)data_buf + 16,
                              .limit = 0xfff, .seg_32bit = 1};
    struct user_desc cleared = {.entry_number = E_DATA, .read_exec_only = 1, .seg_not_present = 1};
    unsigned es_changed = 0, es_cleared = 0;
#ifdef __x86_64__
    long ret;
    __asm__ volatile("mov %[sel], %%es\n\t"
                     "mov $154, %%eax; mov $0x11, %%edi; mov %[moved], %%rsi; mov %[size], %%edx; syscall\n\t"
                     "mov %%es, %[changed]\n\t"
                     "mov $154, %%eax; mov $0x11, %%edi; mov %[cleared], %%rsi; mov %[size], %%edx; syscall\n\t"
                     "mov %%es, %[after]\n\t"
                     "mov %[flat], %%es"
                     : "=&a"(ret), [changed] "=&r"(es_changed), [after] "=&r"(es_cleared)
                     : [sel] "r"(SEL(E_DATA)), [moved] "r"(&moved), [cleared] "r"(&cleared),
                       [size] "i"(sizeof(moved)), [flat] "r"(USER_DS)
                     : "rdi", "rsi", "rdx", "rcx", "r11", "memory");
#else
    static struct user_desc *moved_p, *cleared_p;
    static unsigned short sel_data = SEL(E_DATA), sel_flat = USER_DS;
    moved_p = &moved;
    cleared_p = &cleared;
    __asm__ volatile("mov %[sel], %%es\n\t"
                     "mov $123, %%eax; mov $0x11, %%ebx; mov %[moved], %%ecx; mov %[size], %%edx; int $0x80\n\t"
                     "movl %%es:8, %%eax\n\t"
                     "movl %%eax, %[value]\n\t"
                     "mov %%es, %[changed]\n\t"
                     "mov $123, %%eax; mov $0x11, %%ebx; mov %[cleared], %%ecx; mov %[size], %%edx; int $0x80\n\t"
                     "mov %%es, %[after]\n\t"
                     "mov %[flat], %%es"
                     : [changed] "=m"(es_changed), [after] "=m"(es_cleared), [value] "=m"(value)
                     : [sel] "m"(sel_data), [moved] "m"(moved_p), [cleared] "m"(cleared_p), [size] "i"(sizeof(moved)),
                       [flat] "m"(sel_flat)
                     : "eax", "ebx", "ecx", "edx", "memory");
    printf("through %%es after the change: %#x\n", value);
#endif
    printf("%%es after the change: %#x, after clearing: %#x\n", es_changed & 0xffff, es_cleared & 0xffff);
    set_entry(E_DATA, (uintptr_t)data_buf, 0xfff, 1, 0, 0, 0);
}

static void far_calls(void)
{
    unsigned eax, ebx;
    set_entry(E_CODE32, 0, 0xfffff, 1, 2, 1, 0);
    set_entry(E_CODE16, (uintptr_t)code16_start, 0xffff, 0, 2, 0, 0);
    far.offset = (uint32_t)(uintptr_t)code32_entry;
    far.selector = SEL(E_CODE32);
#ifdef __x86_64__
    /* Compatibility mode may leave only the low halves of the registers. */
    __asm__ volatile("mov %%rsp, %[sp]\n\t"
                     "mov %%rbp, %[bp]\n\t"
                     "ljmpl *%[far]\n"
                     "code32_back:\n\t"
                     "mov %[sp], %%rsp\n\t"
                     "mov %[bp], %%rbp"
                     : "=a"(eax), "=b"(ebx), [sp] "+m"(saved_sp), [bp] "+m"(saved_bp)
                     : [far] "m"(far)
                     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory",
                       "cc");
#else
    __asm__ volatile("lcall *%2" : "=a"(eax), "=b"(ebx) : "m"(far) : "memory");
#endif
    printf("32-bit code: eax %#x, cs %#x\n", eax, ebx);
    far.offset = (uint32_t)(code16_call - code16_start);
    far.selector = SEL(E_CODE16);
#ifdef __x86_64__
    /* Compatibility mode may leave only the low halves of the registers. */
    __asm__ volatile("mov %%rsp, %[sp]\n\t"
                     "mov %%rbp, %[bp]\n\t"
                     "ljmpl *%[far]\n"
                     "code16_back:\n\t"
                     "mov %[sp], %%rsp\n\t"
                     "mov %[bp], %%rbp"
                     : "=a"(eax), "=b"(ebx), [sp] "+m"(saved_sp), [bp] "+m"(saved_bp)
                     : [far] "m"(far)
                     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory",
                       "cc");
#else
    __asm__ volatile("lcall *%2" : "=a"(eax), "=b"(ebx) : "m"(far) : "memory");
#endif
    printf("16-bit code: eax %#x, cs %#x\n", eax, ebx);
}

static volatile unsigned trap_cs, trap_ss, trap_esp, trap_eip, handler_ss;

static void on_trap(int sig, siginfo_t *info, void *ctx)
{
    (void)sig, (void)info;
    ucontext_t *uc = ctx;
    unsigned short ss;
    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    handler_ss = ss;
#ifdef __x86_64__
    uint64_t csgsfs = uc->uc_mcontext.gregs[REG_CSGSFS];
    trap_cs = csgsfs & 0xffff;
    trap_ss = csgsfs >> 48;
    trap_esp = (uint32_t)uc->uc_mcontext.gregs[REG_RSP];
    trap_eip = (uint32_t)uc->uc_mcontext.gregs[REG_RIP];
#else
    trap_cs = uc->uc_mcontext.gregs[REG_CS] & 0xffff;
    trap_ss = uc->uc_mcontext.gregs[REG_SS] & 0xffff;
    trap_esp = uc->uc_mcontext.gregs[REG_UESP];
    trap_eip = uc->uc_mcontext.gregs[REG_EIP];
#endif
}

static void sixteen_bit_stack(void)
{
    set_entry(E_STACK16, (uintptr_t)stack16, 0xffff, 0, 0, 0, 0);
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_trap, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigaction(SIGTRAP, &sa, NULL);
    far.offset = (uint32_t)(stack16_entry - code16_start);
    far.selector = SEL(E_CODE16);
    unsigned after_signal, after_int80;
#ifdef __x86_64__
    __asm__ volatile("mov %%rsp, %[sp]\n\t"
                     "mov %%rbp, %[bp]\n\t"
                     "ljmpl *%[far]\n"
                     "stack16_back:\n\t"
                     "mov %[sp], %%rsp\n\t"
                     "mov %[bp], %%rbp\n\t"
                     : "=S"(after_signal), "=D"(after_int80), [sp] "+m"(saved_sp), [bp] "+m"(saved_bp)
                     : [far] "m"(far)
                     : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory",
                       "cc");
#else
    __asm__ volatile("mov %%esp, %[sp]\n\t"
                     "mov %%ebp, %[bp]\n\t"
                     "ljmpl *%[far]\n"
                     "stack16_back:\n\t"
                     "mov %[sp], %%esp\n\t"
                     "mov %[bp], %%ebp\n\t"
                     : "=S"(after_signal), "=D"(after_int80), [sp] "+m"(saved_sp), [bp] "+m"(saved_bp)
                     : [far] "m"(far)
                     : "eax", "ebx", "ecx", "edx", "memory", "cc");
#endif
    printf("the signal saw cs %#x ss %#x esp %#x eip %#x; the handler's ss %#x\n", trap_cs, trap_ss,
           trap_esp, trap_eip, handler_ss);
    printf("esp after sigreturn %#x, after int $0x80 %#x (expected %#x)\n", after_signal, after_int80,
           ESP_HIGH | (SP16 - 0));
    printf("pushed through the 16-bit stack: %02x%02x at %#x\n", stack16[SP16 - 1], stack16[SP16 - 2], SP16 - 2);
}

static volatile unsigned bad_cs, new_ss;

static void on_usr1(int sig, siginfo_t *info, void *ctx)
{
    (void)sig, (void)info;
    ucontext_t *uc = ctx;
#ifdef __x86_64__
    uint64_t csgsfs = (uc->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffull) | bad_cs;
    if (new_ss)
        csgsfs = (csgsfs & ~(0xffffull << 48)) | (uint64_t)new_ss << 48;
    uc->uc_mcontext.gregs[REG_CSGSFS] = csgsfs;
#else
    uc->uc_mcontext.gregs[REG_CS] = bad_cs;
    if (new_ss)
        uc->uc_mcontext.gregs[REG_SS] = new_ss;
#endif
}

/* A return that faults (from the espfix stack too, with a 16-bit SS). */
static void bad_sigreturn(unsigned cs, unsigned ss, const char *what)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        bad_cs = cs;
        new_ss = ss;
        struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
        sigaction(SIGUSR1, &sa, NULL);
        raise(SIGUSR1);
        printf("sigreturn to %s came back\n", what);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("sigreturn to %s: %s\n", what, WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
}

static void *thread_main(void *arg)
{
    (void)arg;
    printf("thread sees entry %d: %d\n", E_CODE16, lar_ok(SEL(E_CODE16)));
    set_entry(E_THREAD, (uintptr_t)data_buf, 0xff, 1, 0, 0, 0);
    return NULL;
}

static void show_table(const char *who)
{
    unsigned char table[64];
    memset(table, 0xaa, sizeof(table));
    long n = modify_ldt(0, table, sizeof(table));
    unsigned sum = 0;
    for (unsigned i = 0; i < sizeof(table); i++)
        sum = sum * 31 + table[i];
    printf("%s: read %ld, checksum %#x, entries 0-7 valid:", who, n, sum);
    for (unsigned i = 0; i < 8; i++)
        printf(" %d", lar_ok(SEL(i)));
    printf("\n");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "exec")) {
        show_table("after exec");
        return 0;
    }
    /* A process forked before the table existed has none: switching to it
     * loads the null LDT. */
    int go[2];
    pipe(go);
    pid_t bystander = fork();
    if (bystander == 0) {
        char byte;
        read(go[0], &byte, 1);
        show_table("a process without an LDT");
        _exit(0);
    }
    struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    data_segments();
    far_calls();
    sixteen_bit_stack();
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    set_entry(E_ABSENT_CODE, 0, 0xfffff, 1, 2, 1, 1);
    bad_sigreturn(SEL(E_ABSENT_CODE), 0, "a not-present code segment");
    bad_sigreturn(SEL(40), 0, "a selector past the table");
    bad_sigreturn(SEL(E_DATA), 0, "a data segment as code");
    bad_sigreturn(SEL(E_ABSENT_CODE), SEL(E_STACK16), "a not-present code segment on a 16-bit stack");
    bad_sigreturn(SEL(40), SEL(E_STACK16), "a selector past the table on a 16-bit stack");

    write(go[1], "", 1);
    int bystander_status;
    waitpid(bystander, &bystander_status, 0);

    pthread_t thread;
    pthread_create(&thread, NULL, thread_main, NULL);
    pthread_join(thread, NULL);
    printf("main sees the thread's entry %d: %d\n", E_THREAD, lar_ok(SEL(E_THREAD)));
    show_table("parent");
    pid_t child = fork();
    if (child == 0) {
        show_table("child");
        execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
        perror("exec");
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    show_table("parent after the child");
    return 0;
}
