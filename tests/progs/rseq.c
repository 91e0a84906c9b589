/*
 * rseq.c - restartable sequences: glibc's own registration (the glibc
 * builds), then, with glibc's turned off (the program runs itself again with
 * GLIBC_TUNABLES=glibc.pthread.rseq=0), registrations through the raw call
 * and their errors, the CPU fields the kernel keeps, a critical section
 * interrupted by a signal (int3) resuming at its abort address, one left
 * alone committing, a forked child keeping its parent's registration and a
 * new thread having none. Prints one line per check; the same on the host
 * and on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIGNATURE 0x53053053
#define OTHER_SIGNATURE 0x12345678
#define FLAG_UNREGISTER 1
#define CPU_ID_UNINITIALIZED 0xffffffffu
#define TUNABLE "GLIBC_TUNABLES=glibc.pthread.rseq=0"

struct rseq_area {
    uint32_t cpu_id_start;
    uint32_t cpu_id;
    uint64_t rseq_cs;
    uint32_t flags;
    uint32_t node_id;
    uint32_t mm_cid;
    char end[];
} __attribute__((aligned(32)));

struct rseq_descriptor {
    uint32_t version;
    uint32_t flags;
    uint64_t start_ip;
    uint64_t post_commit_offset;
    uint64_t abort_ip;
} __attribute__((aligned(32)));

/* int section(area, descriptor): puts the descriptor in the area, then runs
 * a critical section of one int3 (a SIGTRAP, whose handler returns) that
 * returns 1 when it gets to its end and 2 from its abort address. */
int section(struct rseq_area *area, struct rseq_descriptor *cs);
extern char section_start[], section_post_commit[], section_abort[];
#ifdef __x86_64__
__asm__(".text\n"
        ".globl section\n"
        "section:\n"
        "    mov %rsi, 8(%rdi)\n"
        "section_start:\n"
        "    int3\n"
        "    mov $1, %eax\n"
        "section_post_commit:\n"
        "    ret\n"
        "    .long 0x53053053\n"
        "section_abort:\n"
        "    mov $2, %eax\n"
        "    ret\n");
#else
__asm__(".text\n"
        ".globl section\n"
        "section:\n"
        "    mov 4(%esp), %ecx\n"
        "    mov 8(%esp), %edx\n"
        "    mov %edx, 8(%ecx)\n"
        "    movl $0, 12(%ecx)\n"
        "section_start:\n"
        "    int3\n"
        "    mov $1, %eax\n"
        "section_post_commit:\n"
        "    ret\n"
        "    .long 0x53053053\n"
        "section_abort:\n"
        "    mov $2, %eax\n"
        "    ret\n");
#endif

static struct rseq_area area, thread_area;

static long raw_rseq(void *where, uint32_t len, int flags, uint32_t sig)
{
    return syscall(SYS_rseq, where, len, flags, sig);
}

static void show(const char *what, long ret)
{
    if (ret == 0)
        printf("%s: 0\n", what);
    else if (errno == EINVAL)
        printf("%s: EINVAL\n", what);
    else if (errno == EBUSY)
        printf("%s: EBUSY\n", what);
    else if (errno == EPERM)
        printf("%s: EPERM\n", what);
    else
        printf("%s: %s\n", what, strerror(errno));
}

static volatile int traps;
static void on_trap(int sig)
{
    (void)sig;
    traps++;
}

static void *thread_main(void *arg)
{
    (void)arg;
    show("new thread registers its own", raw_rseq(&thread_area, sizeof(thread_area), 0, SIGNATURE));
    show("new thread unregisters", raw_rseq(&thread_area, sizeof(thread_area), FLAG_UNREGISTER, SIGNATURE));
    return NULL;
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv;
#ifdef __GLIBC__
    if (!getenv("GLIBC_TUNABLES")) {
        extern const unsigned int __rseq_size __attribute__((weak));
        printf("glibc registered its rseq area: %s\n", &__rseq_size && __rseq_size ? "yes" : "no");
        char *env[] = {TUNABLE, NULL};
        fflush(stdout);
        execve("/proc/self/exe", argv, env);
        perror("execve");
        return 1;
    }
#endif
    (void)envp;
    show("len 16", raw_rseq(&area, 16, 0, SIGNATURE));
    show("misaligned", raw_rseq((char *)&area + 4, sizeof(area), 0, SIGNATURE));
    show("unknown flag", raw_rseq(&area, sizeof(area), 2, SIGNATURE));
    show("unregister unregistered", raw_rseq(&area, sizeof(area), FLAG_UNREGISTER, SIGNATURE));
    area.cpu_id = CPU_ID_UNINITIALIZED;
    show("register", raw_rseq(&area, sizeof(area), 0, SIGNATURE));
    printf("cpu_id set: %s\n", area.cpu_id != CPU_ID_UNINITIALIZED && area.cpu_id == area.cpu_id_start ? "yes" : "no");
    show("register again", raw_rseq(&area, sizeof(area), 0, SIGNATURE));
    show("register again, other signature", raw_rseq(&area, sizeof(area), 0, OTHER_SIGNATURE));
    show("register another area", raw_rseq(&thread_area, sizeof(area), 0, SIGNATURE));
    show("register again, other length", raw_rseq(&area, 64, 0, SIGNATURE));

    struct sigaction sa = {.sa_handler = on_trap};
    sigaction(SIGTRAP, &sa, NULL);
    struct rseq_descriptor cs = {
        .start_ip = (uintptr_t)section_start,
        .post_commit_offset = (uintptr_t)section_post_commit - (uintptr_t)section_start,
        .abort_ip = (uintptr_t)section_abort,
    };
    int result = section(&area, &cs);
    printf("section interrupted by a signal: %s, traps %d, rseq_cs cleared: %s\n",
           result == 2 ? "aborted" : "committed", traps, area.rseq_cs == 0 ? "yes" : "no");
    area.rseq_cs = 0;

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        show("forked child registers again", raw_rseq(&area, sizeof(area), 0, SIGNATURE));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    pthread_t thread;
    pthread_create(&thread, NULL, thread_main, NULL);
    pthread_join(thread, NULL);

    show("unregister, other signature", raw_rseq(&area, sizeof(area), FLAG_UNREGISTER, OTHER_SIGNATURE));
    show("unregister, other length", raw_rseq(&area, 64, FLAG_UNREGISTER, SIGNATURE));
    show("unregister", raw_rseq(&area, sizeof(area), FLAG_UNREGISTER, SIGNATURE));
    printf("cpu_id uninitialised: %s\n", area.cpu_id == CPU_ID_UNINITIALIZED ? "yes" : "no");
    show("unregister again", raw_rseq(&area, sizeof(area), FLAG_UNREGISTER, SIGNATURE));
    return 0;
}
