/*
 * ptracesig.c - a tracer reads and changes its stopped tracee's signal mask
 * (PTRACE_GETSIGMASK, PTRACE_SETSIGMASK) and reads the siginfo of the
 * signals pending at it (PTRACE_PEEKSIGINFO), as Linux:
 *
 * - the mask is a u64 whose size is the address argument (EINVAL for any
 *   other size, EFAULT for a bad pointer); SIGKILL and SIGSTOP never stay
 *   in a mask set this way;
 * - PEEKSIGINFO copies up to nr entries from index off of the thread's
 *   queue, or the process's with PTRACE_PEEKSIGINFO_SHARED, in the tracer's
 *   siginfo layout, and returns the count (0 past the end); unknown flags
 *   and a negative nr are EINVAL, a bad buffer EFAULT;
 * - unblocking SIGUSR1 through SETSIGMASK lets the tracee take it once
 *   resumed: a signal-delivery stop, then its handler.
 *
 * The tracee blocks SIGUSR1 and SIGRTMIN, queues SIGRTMIN (value 1) and
 * SIGUSR1 to its thread and SIGRTMIN (value 2) to its process, and stops
 * itself. It reports whether its handler ran through its exit status.
 * No pids are printed: only signals, codes, values, counts and errnos.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Linux's requests and argument, under names of our own: libcs differ in which they define. */
#define REQ_PEEKSIGINFO 0x4209
#define REQ_GETSIGMASK 0x420a
#define REQ_SETSIGMASK 0x420b
#define PEEK_SHARED 1
struct peek_args {
    uint64_t off;
    uint32_t flags;
    int32_t nr;
};

#define MAX_ENTRIES 8
#define HANDLER_RAN_STATUS 42
#define HANDLER_MISSED_STATUS 7

static volatile sig_atomic_t usr1_handled;

static void on_usr1(int sig) { (void)sig; usr1_handled = 1; }

static uint64_t bit(int sig) { return 1ull << (sig - 1); }

static long req(long request, pid_t pid, void *addr, void *data)
{
    return syscall(SYS_ptrace, request, (long)pid, addr, data);
}

static void show(const char *what, long ret)
{
    if (ret < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, ret);
}

static void queue_to_thread(int sig, int value)
{
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    info.si_signo = sig;
    info.si_code = SI_QUEUE;
    info.si_pid = getpid();
    info.si_uid = getuid();
    info.si_value.sival_int = value;
    if (syscall(SYS_rt_tgsigqueueinfo, getpid(), (pid_t)syscall(SYS_gettid), sig, &info))
        _exit(1);
}

static void tracee(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
        _exit(1);
    queue_to_thread(SIGRTMIN, 1);
    syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGUSR1);
    union sigval value = {.sival_int = 2};
    sigqueue(getpid(), SIGRTMIN, value);
    syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGSTOP); /* not raise: musl's blocks every signal around it */
    _exit(usr1_handled ? HANDLER_RAN_STATUS : HANDLER_MISSED_STATUS);
}

static const char *code_name(int code)
{
    switch (code) {
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    case SI_USER: return "SI_USER";
    default: return "other";
    }
}

static const char *sig_name(int sig)
{
    if (sig == SIGUSR1)
        return "SIGUSR1";
    if (sig == SIGRTMIN)
        return "SIGRTMIN";
    return "other";
}

static void peek(pid_t pid, const char *what, uint64_t off, uint32_t flags, int nr)
{
    siginfo_t entries[MAX_ENTRIES];
    memset(entries, 0, sizeof(entries));
    struct peek_args args = {.off = off, .flags = flags, .nr = nr};
    long n = req(REQ_PEEKSIGINFO, pid, &args, entries);
    show(what, n);
    for (long i = 0; i < n && i < MAX_ENTRIES; i++) {
        printf("  %s %s", sig_name(entries[i].si_signo), code_name(entries[i].si_code));
        if (entries[i].si_code == SI_QUEUE)
            printf(" value %d", entries[i].si_value.sival_int);
        printf("\n");
    }
}

static void show_mask(pid_t pid, const char *what)
{
    uint64_t mask = 0;
    long ret = req(REQ_GETSIGMASK, pid, (void *)sizeof(mask), &mask);
    show(what, ret);
    printf("  SIGUSR1 %d SIGRTMIN %d SIGKILL %d SIGSTOP %d SIGUSR2 %d\n", !!(mask & bit(SIGUSR1)),
           !!(mask & bit(SIGRTMIN)), !!(mask & bit(SIGKILL)), !!(mask & bit(SIGSTOP)), !!(mask & bit(SIGUSR2)));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t pid = fork();
    if (pid == 0)
        tracee();
    int status;
    waitpid(pid, &status, 0);
    printf("stopped %d sig %s\n", WIFSTOPPED(status), WSTOPSIG(status) == SIGSTOP ? "SIGSTOP" : "other");

    show_mask(pid, "GETSIGMASK");
    uint64_t mask = 0;
    show("GETSIGMASK size 4", req(REQ_GETSIGMASK, pid, (void *)4, &mask));
    show("GETSIGMASK NULL", req(REQ_GETSIGMASK, pid, (void *)sizeof(mask), NULL));

    peek(pid, "PEEKSIGINFO thread", 0, 0, MAX_ENTRIES);
    peek(pid, "PEEKSIGINFO shared", 0, PEEK_SHARED, MAX_ENTRIES);
    peek(pid, "PEEKSIGINFO thread off 1", 1, 0, MAX_ENTRIES);
    peek(pid, "PEEKSIGINFO thread nr 1", 0, 0, 1);
    peek(pid, "PEEKSIGINFO thread off 5", 5, 0, MAX_ENTRIES);
    peek(pid, "PEEKSIGINFO thread nr 0", 0, 0, 0);
    peek(pid, "PEEKSIGINFO flags 2", 0, 2, MAX_ENTRIES);
    peek(pid, "PEEKSIGINFO nr -1", 0, 0, -1);
    struct peek_args args = {.off = 0, .flags = 0, .nr = 1};
    show("PEEKSIGINFO NULL data", req(REQ_PEEKSIGINFO, pid, &args, NULL));
    show("PEEKSIGINFO NULL args", req(REQ_PEEKSIGINFO, pid, NULL, &mask));

    mask = bit(SIGRTMIN) | bit(SIGKILL) | bit(SIGSTOP) | bit(SIGUSR2);
    show("SETSIGMASK size 4", req(REQ_SETSIGMASK, pid, (void *)4, &mask));
    show("SETSIGMASK NULL", req(REQ_SETSIGMASK, pid, (void *)sizeof(mask), NULL));
    show_mask(pid, "GETSIGMASK unchanged");
    show("SETSIGMASK", req(REQ_SETSIGMASK, pid, (void *)sizeof(mask), &mask));
    show_mask(pid, "GETSIGMASK after");

    show("CONT", req(PTRACE_CONT, pid, NULL, NULL));
    waitpid(pid, &status, 0);
    printf("stopped %d sig %s\n", WIFSTOPPED(status), WSTOPSIG(status) == SIGUSR1 ? "SIGUSR1" : "other");
    peek(pid, "PEEKSIGINFO thread at SIGUSR1", 0, 0, MAX_ENTRIES);
    show("CONT SIGUSR1", req(PTRACE_CONT, pid, NULL, (void *)(long)SIGUSR1));
    waitpid(pid, &status, 0);
    printf("exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    show("GETSIGMASK gone", req(REQ_GETSIGMASK, pid, (void *)sizeof(mask), &mask));
    return 0;
}
