/*
 * fuzz.c - system calls with hostile arguments. Children make thousands of
 * calls, with numbers drawn from the whole table (and, in the 64-bit build,
 * the i386 table through int $0x80 as well) and arguments drawn from the
 * values that break kernels: 0, -1, kernel and non-canonical addresses, huge
 * sizes, a valid buffer of garbage, the program's own code. A child may die
 * of what it does to itself, or block until its parent kills it; the kernel
 * may not fail. Afterwards the parent checks that the system still maps
 * memory, forks and runs a program. Calls that would end or escape the test
 * are left out: exit, the kill family, reboot, fork and clone (grandchildren
 * would fuzz on unwatched), vfork, setsid and setpgid.
 *
 *   fuzz [SEED [CHILDREN [CALLS]]]   prints "alive after N children" and exits 0
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t state;

static uint64_t next_random(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static char garbage[65536];

static long argument(void)
{
    static const uint64_t fixed[] = {0, 1, ~0ull, 2, 4096, 0x7fffffff, ~4095ull, 0x8000000000000000ull,
                                     0xffff800000000000ull, 0xffffffff80000000ull, 0x0000800000000000ull,
                                     0x00007ffffffff000ull, 0xffffffffull, 65536, 3, 100, 0xc0000000ull};
    switch (next_random() % 5) {
    case 0: return (long)fixed[next_random() % (sizeof fixed / sizeof fixed[0])];
    case 1: return (long)(uintptr_t)(garbage + next_random() % sizeof garbage);
    case 2: return (long)next_random();
    case 3: return (long)(next_random() % 64);
    default: return (long)((uintptr_t)argument + next_random() % 4096); /* our own code */
    }
}

#ifdef __x86_64__
static const int excluded_64[] = {SYS_exit, SYS_exit_group, SYS_kill, SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo,
                                  SYS_rt_tgsigqueueinfo, SYS_reboot, SYS_fork, SYS_vfork, SYS_clone, 435 /* clone3 */,
                                  SYS_setsid, SYS_setpgid};
#endif
/* i386 numbers: exit, fork, setpgid, kill, setsid, reboot, clone, rt_sigqueueinfo, vfork, tkill, exit_group,
 * tgkill, rt_tgsigqueueinfo, clone3 */
static const int excluded_32[] = {1, 2, 57, 37, 66, 88, 120, 178, 190, 238, 252, 270, 335, 435};

static int excluded(const int *list, size_t n, long nr)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == nr)
            return 1;
    return 0;
}

static long call_int80(long nr)
{
#ifdef __x86_64__
    long ret;
    register long a4 __asm__("r10") = argument();
    register long a5 __asm__("r8") = argument();
    register long a6 __asm__("r9") = argument();
    (void)a4, (void)a5, (void)a6;
    unsigned long b = (unsigned long)argument(), c = (unsigned long)argument(), d = (unsigned long)argument(),
                  si = (unsigned long)argument(), di = (unsigned long)argument();
    __asm__ volatile("push %%rbp\n\tmov %[bp], %%rbp\n\tint $0x80\n\tpop %%rbp"
                     : "=a"(ret)
                     : "a"(nr), "b"(b), "c"(c), "d"(d), "S"(si), "D"(di), [bp] "r"((unsigned long)argument())
                     : "memory", "r11", "r12", "r13", "r14", "r15");
    return ret;
#else
    return syscall(nr, argument(), argument(), argument(), argument(), argument(), argument());
#endif
}

static void fuzz_child(unsigned calls)
{
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0), dup2(null, 1), dup2(null, 2);
    alarm(1); /* a call that blocks for good ends the child (unless it disarms this: see the parent) */
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (char)next_random();
    for (unsigned i = 0; i < calls; i++) {
        long nr = (long)(next_random() % 460);
#ifdef __x86_64__
        if (next_random() % 2) {
            if (!excluded(excluded_64, sizeof excluded_64 / sizeof excluded_64[0], nr))
                syscall(nr, argument(), argument(), argument(), argument(), argument(), argument());
            continue;
        }
#endif
        if (!excluded(excluded_32, sizeof excluded_32 / sizeof excluded_32[0], nr))
            call_int80(nr);
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
    unsigned children = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 16;
    unsigned calls = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 3000;
    for (unsigned i = 0; i < children; i++) {
        state = seed * 7919 + i * 104729 + 1;
        pid_t pid = fork();
        if (pid == 0)
            fuzz_child(calls);
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        /* Five seconds, then SIGKILL: the child may have ignored SIGALRM. */
        struct timespec tick = {0, 10000000};
        int waited = 0;
        while (waitpid(pid, NULL, WNOHANG) == 0) {
            if (++waited == 500)
                kill(pid, SIGKILL);
            nanosleep(&tick, NULL);
        }
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ; /* anything the child left to us */
    }
    /* The system still works: memory, fork, exec. */
    size_t size = 8 << 20;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return printf("mmap failed after fuzzing\n"), 1;
    memset(p, 1, size);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return printf("fork and exec failed after fuzzing: status %#x\n", status), 1;
    printf("alive after %u children\n", children);
    return 0;
}
