/*
 * sleepflags.c - the flags a caller sets (DF) come back from a system call
 * that sleeps while another process enters the kernel with other flags: they
 * are the caller's, kept with its call, not the last ones the CPU saw
 * (sysenter leaves them in a per-CPU slot first). Each gate of this ABI: 64-bit
 * syscall and int $0x80; 32-bit int $0x80 and __kernel_vsyscall (sysenter on
 * Intel CPUs, syscall on AMD ones). Prints deterministic lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sysgate/syscall.h>

/* The direction flag: compiled code never changes it (the ABI wants it
 * clear at calls), so it is the caller's own flag that survives a call. */
#define RFLAGS_DF (1ul << 10)
#define POLLS_FOR_SLEEP 100000

#if defined(__x86_64__)
#define GATES 2
static const char *const gate_names[GATES] = {"syscall", "int80"};
static const long nr_read[GATES] = {0, 3};
static const long nr_getpid[GATES] = {39, 20};
static long raw(int gate, long nr, long a1, long a2, long a3)
{
    return gate == 0 ? sg_raw_syscall64(nr, a1, a2, a3, 0, 0, 0) : sg_raw_int80(nr, a1, a2, a3, 0, 0, 0);
}
#else
#define GATES 2
static const char *const gate_names[GATES] = {"int80", "vsyscall"};
static const long nr_read[GATES] = {3, 3};
static const long nr_getpid[GATES] = {20, 20};
static long raw(int gate, long nr, long a1, long a2, long a3)
{
    return gate == 0 ? sg_raw_int80(nr, a1, a2, a3, 0, 0, 0) : sg_raw_vsyscall(nr, a1, a2, a3, 0, 0, 0);
}
#endif

/* Whether process pid is asleep ('S' after the command in /proc/PID/stat). */
static int sleeping(pid_t pid)
{
    char path[64], text[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = 0;
    const char *paren = strrchr(text, ')');
    return paren && paren[1] == ' ' && paren[2] == 'S';
}

/* Enters the kernel through the gate with DF clear, once
 * the parent sleeps in its call, then wakes it. */
static void other_process(int gate, pid_t parent, int wfd)
{
    for (int i = 0; i < POLLS_FOR_SLEEP && !sleeping(parent); i++)
        usleep(100);
    unsigned long flags;
    __asm__ volatile("pushf\n\tpop %0" : "=r"(flags));
    __asm__ volatile("push %0\n\tpopf" ::"r"(flags & ~RFLAGS_DF) : "cc");
    raw(gate, nr_getpid[gate], 0, 0, 0);
    __asm__ volatile("cld" ::: "cc");
    if (write(wfd, "w", 1) != 1)
        _exit(1);
    _exit(0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int gate = 0; gate < GATES; gate++) {
        int p[2];
        if (pipe(p)) {
            perror("pipe");
            return 1;
        }
        pid_t parent = getpid();
        pid_t child = fork();
        if (child == 0)
            other_process(gate, parent, p[1]);
        static char c; /* below 4 GiB, for int $0x80 from 64-bit code */
        unsigned long before, after;
        __asm__ volatile("pushf\n\tpop %0" : "=r"(before));
        __asm__ volatile("push %0\n\tpopf" ::"r"(before | RFLAGS_DF) : "cc");
        long n = raw(gate, nr_read[gate], p[0], (long)&c, 1);
        __asm__ volatile("pushf\n\tpop %0" : "=r"(after));
        __asm__ volatile("push %0\n\tpopf" ::"r"(before) : "cc");
        int status;
        waitpid(child, &status, 0);
        printf("%s: read %ld, DF %s\n", gate_names[gate], n, after & RFLAGS_DF ? "kept" : "lost");
        close(p[0]);
        close(p[1]);
    }
    return 0;
}
