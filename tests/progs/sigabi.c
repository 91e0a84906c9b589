/*
 * sigabi.c - a 64-bit program's signal handler runs as 64-bit code even
 * when the signal interrupts 32-bit code: the program far-jumps into a
 * 32-bit code segment (selector 0x23), sends itself SIGUSR1 there through
 * int $0x80, and the handler must see a 64-bit frame whose saved CS is the
 * 32-bit one; sigreturn must go back to the 32-bit code, which jumps back
 * to 64-bit mode. Then sigreturn with a bad CS in the frame must end in
 * SIGSEGV. 64-bit only (x86-64's selectors); the same on the host and on
 * sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define USER32_CS 0x23
#define USER_CS 0x33
#define USER_DS 0x2b
#define I386_KILL 37

static volatile int handled;
static volatile unsigned long interrupted_cs, handler_cs;
static unsigned long saved_rsp;
struct far_pointer {
    uint32_t offset;
    uint16_t selector;
} __attribute__((packed));
static struct far_pointer to32, to64;

extern char back_in_64[];

static void on_usr1(int sig, siginfo_t *info, void *ctx)
{
    (void)sig, (void)info;
    ucontext_t *uc = ctx;
    interrupted_cs = uc->uc_mcontext.gregs[REG_CSGSFS] & 0xffff;
    unsigned short cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    handler_cs = cs;
    handled++;
}

/* 32-bit code: kill(pid, SIGUSR1) through int $0x80, then a far jump back. */
static void write_code32(uint8_t *p, pid_t pid)
{
    uint8_t code[] = {
        0xb8, I386_KILL, 0, 0, 0,   /* mov $37, %eax */
        0xbb, 0, 0, 0, 0,           /* mov $pid, %ebx */
        0xb9, SIGUSR1, 0, 0, 0,     /* mov $SIGUSR1, %ecx */
        0xcd, 0x80,                 /* int $0x80 */
        0xb8, USER_DS, 0, 0, 0,     /* mov $USER_DS, %eax: a 64-bit program's %ds is null, */
        0x8e, 0xd8,                 /* mov %eax, %ds        which 32-bit code cannot read through */
        0xff, 0x2d, 0, 0, 0, 0,     /* ljmp *to64 */
    };
    memcpy(code + 6, &pid, 4);
    uint32_t target = (uint32_t)(uintptr_t)&to64;
    memcpy(code + 26, &target, 4);
    memcpy(p, code, sizeof(code));
}

static void run_32_bit_code(void *code, void *stack_top)
{
    to32 = (struct far_pointer){(uint32_t)(uintptr_t)code, USER32_CS};
    to64 = (struct far_pointer){(uint32_t)(uintptr_t)back_in_64, USER_CS};
    __asm__ volatile("mov %%rsp, %[saved]\n\t"
                     "mov %[stack], %%rsp\n\t"
                     "ljmpl *%[far]\n\t"
                     ".globl back_in_64\n"
                     "back_in_64:\n\t"
                     "mov %[saved], %%rsp\n\t"
                     : [saved] "+m"(saved_rsp)
                     : [stack] "r"(stack_top), [far] "m"(to32)
                     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
                       "r15", "memory", "cc");
}

static void on_usr2_bad_cs(int sig, siginfo_t *info, void *ctx)
{
    (void)sig, (void)info;
    ucontext_t *uc = ctx;
    uc->uc_mcontext.gregs[REG_CSGSFS] = (uc->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffull) | 0x1234;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    uint8_t *low = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                        -1, 0);
    if (low == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR1, &sa, NULL);
    write_code32(low, getpid());
    run_32_bit_code(low, low + 2 * 4096 - 16);
    printf("handler ran: %d time(s)\n", handled);
    printf("the interrupted code's CS: %#lx\n", interrupted_cs);
    printf("the handler's own CS: %#lx\n", handler_cs);
    printf("back in 64-bit code after sigreturn to 32-bit code\n");

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct sigaction bad = {.sa_sigaction = on_usr2_bad_cs, .sa_flags = SA_SIGINFO};
        sigaction(SIGUSR2, &bad, NULL);
        raise(SIGUSR2);
        printf("sigreturn with a bad CS returned\n");
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("sigreturn with a bad CS: %s\n",
           WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
    return 0;
}
