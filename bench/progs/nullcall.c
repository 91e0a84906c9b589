/*
 * nullcall.c - the cost of one trip into the kernel and back, per gate
 * (SPEC section 11): getpid through each gate the ABI has, getpid through
 * libc, and clock_gettime through the vDSO. Built 64-bit and 32-bit; runs on
 * sysgate and on Linux alike.
 *
 * Each figure is the time stamp counter's advance per iteration of a loop of
 * ITERATIONS calls, the loop's own instructions included. The raw gates run
 * in the smallest loop the gate allows (load the number, trap, count down,
 * branch); the libc and vDSO figures include libc's own wrapper. Under QEMU's
 * `-icount shift=0` the TSC counts executed guest instructions, so the figure
 * is the exact number of instructions per round trip; elsewhere it is cycles.
 * Prints "NAME TSC_PER_CALL NS_PER_CALL" lines (the second from
 * CLOCK_MONOTONIC: wall time, or guest instructions again under -icount).
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sysgate/syscall.h>
#include "benchclock.h"
#include "poweroff.h"

#define ITERATIONS 20000

static void report(const char *name, uint64_t tsc_start, uint64_t tsc_end, uint64_t ns_start, uint64_t ns_end)
{
    printf("%s %.1f %.1f\n", name, (double)(tsc_end - tsc_start) / ITERATIONS,
           (double)(ns_end - ns_start) / ITERATIONS);
}

#define MEASURE(name, call)                                                           \
    do {                                                                              \
        call; /* warm: first touches fault pages in */                                \
        uint64_t ns_start = now_ns(), start = tsc();                                  \
        for (int i = 0; i < ITERATIONS; i++)                                          \
            call;                                                                     \
        uint64_t end = tsc(), ns_end = now_ns();                                      \
        report(name, start, end, ns_start, ns_end);                                   \
    } while (0)

#define I386_GETPID 20

#if defined(__x86_64__)
#define CLOBBERS "rax", "rcx", "r11"
#else
#define CLOBBERS "eax"
#endif

/* The counter lives in a register the gate preserves (ebx, or rbx; syscall
 * clobbers rcx and r11). */
#define TIGHT_LOOP(name, nr, trap, ...)                                               \
    do {                                                                              \
        long count = ITERATIONS;                                                      \
        uint64_t ns_start = now_ns(), start = tsc();                                  \
        __asm__ volatile("1: mov %[n], %%eax\n\t" trap "\n\tdec %[c]\n\tjnz 1b"  \
                         : [c] "+b"(count)                                            \
                         : [n] "i"(nr), ##__VA_ARGS__                                 \
                         : "memory", "cc", CLOBBERS);                              \
        uint64_t end = tsc(), ns_end = now_ns();                                      \
        report(name, start, end, ns_start, ns_end);                                   \
    } while (0)

int main(void)
{
    struct timespec ts;
#if defined(__x86_64__)
    TIGHT_LOOP("syscall64_getpid", SYS_getpid, "syscall");
    TIGHT_LOOP("int80_64_getpid", I386_GETPID, "int $0x80");
    MEASURE("libc64_getpid", getpid());
    MEASURE("vdso64_clock_gettime", clock_gettime(CLOCK_MONOTONIC, &ts));
#else
    TIGHT_LOOP("int80_32_getpid", I386_GETPID, "int $0x80");
    void *vsyscall = sg_vsyscall_entry();
    TIGHT_LOOP("vsyscall32_getpid", I386_GETPID, "call *%[v]", [v] "S"(vsyscall));
    MEASURE("libc32_getpid", getpid());
    MEASURE("libc32_clock_gettime", clock_gettime(CLOCK_MONOTONIC, &ts));
#endif
    bench_finish(0);
}
