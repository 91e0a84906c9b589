/*
 * faults.c - a user program does something only the kernel may do, or
 * something invalid, and must die by the signal Linux sends (SPEC section 12):
 *
 *   faults kaddr   read from a kernel address (0xffffffff81000000)  SIGSEGV
 *   faults hlt     hlt (privileged instruction, #GP)                 SIGSEGV
 *   faults ud2     ud2 (invalid opcode, #UD)                         SIGILL
 *   faults div0    integer division by zero (#DE)                    SIGFPE
 *   faults cli     cli (privileged at IOPL 0, #GP)                   SIGSEGV
 *   faults null    write to address 0 (page fault)                   SIGSEGV
 *
 * Before the fault it prints exactly one line, "about to NAME", and flushes
 * stdout. If the process survives (a kernel bug) it prints "survived NAME"
 * and exits 3; an unknown or missing argument prints a usage line on stderr
 * and exits 2.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* volatile so that the compiler can neither fold nor move the faulting
 * accesses (GCC would otherwise turn a NULL store into a trap itself). */
#if defined(__x86_64__)
static volatile uintptr_t kernel_address = 0xffffffff81000000UL;
#else
static volatile uintptr_t kernel_address = 0xffffff00UL; /* above 32-bit user space */
#endif
static volatile uintptr_t null_address = 0;
static volatile int dividend = 42, divisor = 0;
static volatile int sink;

static void do_kaddr(void) { sink = *(volatile int *)kernel_address; }
static void do_hlt(void) { __asm__ volatile("hlt"); }
static void do_ud2(void) { __asm__ volatile("ud2"); }
static void do_div0(void) { sink = dividend / divisor; }
static void do_cli(void) { __asm__ volatile("cli"); }
static void do_null(void) { *(volatile int *)null_address = 1; }

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    { "kaddr", do_kaddr }, { "hlt", do_hlt }, { "ud2", do_ud2 },
    { "div0", do_div0 },   { "cli", do_cli }, { "null", do_null },
};

int main(int argc, char **argv)
{
    for (size_t i = 0; argc == 2 && i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(argv[1], cases[i].name) != 0)
            continue;
        printf("about to %s\n", cases[i].name);
        fflush(stdout);
        cases[i].fn();
        printf("survived %s\n", cases[i].name);
        return 3;
    }
    fprintf(stderr, "usage: faults kaddr|hlt|ud2|div0|cli|null\n");
    return 2;
}
