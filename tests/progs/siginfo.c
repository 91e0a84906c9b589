/*
 * siginfo.c - what a signal tells its handler (SA_SIGINFO) and sigwaitinfo:
 * si_signo, si_code, si_pid, si_uid, si_status, si_addr, si_value for
 * kill, raise, tkill, tgkill, sigqueue, rt_sigqueueinfo, rt_tgsigqueueinfo,
 * SIGPIPE, alarm, a child exiting, killed, stopped and continued, and faults
 * (SIGSEGV unmapped and read-only, SIGBUS past a mapped file's end,
 * SIGILL, SIGFPE, int3, single-step).
 * Real-time signals queue (every instance, in order, with its value),
 * standard ones do not; rt_sigtimedwait's timeouts and errors; the checks on
 * rt_sigqueueinfo. Pids and uids print as relations (the sender is me, the
 * child), so that the output is the same on every system.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static pid_t me, child;

static const char *who(pid_t pid)
{
    if (pid == 0)
        return "0";
    if (pid == me)
        return "me";
    if (pid == child)
        return "child";
    return "someone else";
}

static void print_info(const char *what, const siginfo_t *si)
{
    printf("%s: signo %d code %d pid %s uid %s", what, si->si_signo, si->si_code, who(si->si_pid),
           si->si_uid == getuid() ? "mine" : "other");
    if (si->si_signo == SIGCHLD)
        printf(" status %d", si->si_status);
    if (si->si_code == SI_QUEUE)
        printf(" value %d", si->si_value.sival_int);
    printf("\n");
}

#define MAX_RECORDED 32
static siginfo_t recorded[MAX_RECORDED];
static volatile int recorded_count;

static void record(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    if (recorded_count < MAX_RECORDED)
        recorded[recorded_count++] = *si;
}

static void print_recorded(const char *what)
{
    for (int i = 0; i < recorded_count; i++)
        print_info(what, &recorded[i]);
    if (!recorded_count)
        printf("%s: nothing\n", what);
    recorded_count = 0;
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

static void senders(void)
{
    on(SIGUSR1, record);
    on(SIGUSR2, record);
    kill(me, SIGUSR1);
    print_recorded("kill");
    raise(SIGUSR1);
    print_recorded("raise");
    syscall(SYS_tkill, (pid_t)syscall(SYS_gettid), SIGUSR2);
    print_recorded("tkill");
    syscall(SYS_tgkill, me, (pid_t)syscall(SYS_gettid), SIGUSR2);
    print_recorded("tgkill");
    sigqueue(me, SIGUSR1, (union sigval){.sival_int = 42});
    print_recorded("sigqueue");
    int fds[2];
    if (pipe(fds) == 0) {
        on(SIGPIPE, record);
        close(fds[0]);
        errno = 0;
        ssize_t n = write(fds[1], "x", 1);
        printf("write to a pipe without readers: %zd errno %d\n", n, errno);
        print_recorded("SIGPIPE");
        close(fds[1]);
    }
}

/* Real-time signals queue with their values, lowest number first; a
 * standard signal sent twice while blocked arrives once. */
static void queueing(void)
{
    int rt0 = SIGRTMIN, rt1 = SIGRTMIN + 1;
    on(rt0, record);
    on(rt1, record);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, rt0);
    sigaddset(&set, rt1);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    for (int v = 1; v <= 3; v++)
        sigqueue(me, rt1, (union sigval){.sival_int = v});
    sigqueue(me, rt0, (union sigval){.sival_int = 9});
    kill(me, rt0);
    kill(me, SIGUSR1);
    kill(me, SIGUSR1);
    sigqueue(me, SIGUSR1, (union sigval){.sival_int = 7}); /* one is pending already: dropped */
    sigset_t pending;
    sigpending(&pending);
    printf("pending: SIGUSR1 %d rt0 %d rt1 %d\n", sigismember(&pending, SIGUSR1), sigismember(&pending, rt0),
           sigismember(&pending, rt1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    for (int i = 0; i < recorded_count; i++) {
        siginfo_t *si = &recorded[i];
        printf("delivered %s%d: ", si->si_signo == SIGUSR1 ? "SIGUSR1+" : "SIGRTMIN+",
               si->si_signo - (si->si_signo == SIGUSR1 ? SIGUSR1 : SIGRTMIN));
        print_info("", si);
    }
    recorded_count = 0;
}

static int sigtimedwait_raw(const sigset_t *set, siginfo_t *si, const struct timespec *ts)
{
    int r = sigtimedwait(set, si, ts);
    return r < 0 ? -errno : r;
}

static void on_alarm(int sig, siginfo_t *si, void *uc) { record(sig, si, uc); }

static void waiting(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    siginfo_t si;
    struct timespec zero = {0, 0}, short_wait = {0, 10000000}, bad = {0, 2000000000};
    printf("sigtimedwait, nothing pending, zero timeout: %d\n", sigtimedwait_raw(&set, &si, &zero));
    printf("sigtimedwait, nothing pending, 10 ms: %d\n", sigtimedwait_raw(&set, &si, &short_wait));
    printf("sigtimedwait, bad timeout: %d\n", sigtimedwait_raw(&set, &si, &bad));
    /* The call itself, with the ABI's own timespec (32-bit seconds on i386:
     * rt_sigtimedwait there, where the C library may use the time64 call). */
    struct { long sec, nsec; } native_zero = {0, 0}, native_bad = {0, -1};
    errno = 0;
    long raw = syscall(SYS_rt_sigtimedwait, &set, &si, &native_zero, _NSIG / 8);
    printf("rt_sigtimedwait, zero timeout: %ld errno %d\n", raw, errno);
    errno = 0;
    raw = syscall(SYS_rt_sigtimedwait, &set, &si, &native_bad, _NSIG / 8);
    printf("rt_sigtimedwait, negative nanoseconds: %ld errno %d\n", raw, errno);
    errno = 0;
    raw = syscall(SYS_rt_sigtimedwait, &set, &si, &native_zero, 4);
    printf("rt_sigtimedwait, bad set size: %ld errno %d\n", raw, errno);
    kill(me, SIGUSR2);
    int r = sigtimedwait_raw(&set, &si, &zero);
    printf("sigtimedwait after kill: %s\n", r == SIGUSR2 ? "SIGUSR2" : "other");
    print_info("  its info", &si);
    sigqueue(me, SIGRTMIN + 2, (union sigval){.sival_int = 5});
    sigqueue(me, SIGRTMIN + 2, (union sigval){.sival_int = 6});
    for (int i = 0; i < 2; i++) {
        r = sigwaitinfo(&set, &si);
        printf("sigwaitinfo: SIGRTMIN+%d", r - SIGRTMIN);
        print_info("", &si);
    }
    sigset_t pending;
    sigpending(&pending);
    printf("still pending after both: %d\n", sigismember(&pending, SIGRTMIN + 2));
    /* A signal outside the set, with a handler, interrupts the wait. */
    on(SIGALRM, on_alarm);
    alarm(1);
    /* The call itself: musl's sigtimedwait retries after EINTR. */
    r = syscall(SYS_rt_sigtimedwait, &set, &si, NULL, _NSIG / 8) < 0 ? -errno : 0;
    printf("sigtimedwait interrupted by SIGALRM: %d\n", r);
    print_recorded("alarm");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static long queueinfo(pid_t pid, int sig, int code, int value)
{
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    si.si_signo = sig;
    si.si_code = code;
    si.si_pid = me;
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    long r = syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
    return r < 0 ? -errno : r;
}

static long tgqueueinfo(pid_t tgid, pid_t tid, int sig, int code, int value)
{
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    si.si_signo = sig;
    si.si_code = code;
    si.si_pid = me;
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    long r = syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si);
    return r < 0 ? -errno : r;
}

static void queueinfo_rules(void)
{
    on(SIGUSR1, record);
    printf("rt_sigqueueinfo to me, SI_QUEUE: %ld\n", queueinfo(me, SIGUSR1, SI_QUEUE, 11));
    print_recorded("  got");
    printf("rt_sigqueueinfo to me, SI_USER: %ld\n", queueinfo(me, SIGUSR1, SI_USER, 12));
    print_recorded("  got");
    printf("rt_sigqueueinfo to me, bad signal: %ld\n", queueinfo(me, 99, SI_QUEUE, 0));
    printf("rt_sigqueueinfo to me, signal 0: %ld\n", queueinfo(me, 0, SI_QUEUE, 0));
    printf("rt_tgsigqueueinfo to me, SI_QUEUE: %ld\n",
           tgqueueinfo(me, (pid_t)syscall(SYS_gettid), SIGUSR1, SI_QUEUE, 13));
    print_recorded("  got");
    printf("rt_tgsigqueueinfo, tid 0: %ld\n", tgqueueinfo(me, 0, SIGUSR1, SI_QUEUE, 0));
    printf("rt_tgsigqueueinfo, wrong group: %ld\n", tgqueueinfo(me + 100000, me, SIGUSR1, SI_QUEUE, 0));
    int go[2];
    if (pipe(go))
        exit(1);
    child = fork();
    if (child == 0) {
        char c;
        if (read(go[0], &c, 1) != 1)
            _exit(1);
        _exit(0);
    }
    printf("rt_sigqueueinfo to the child, SI_USER: %ld\n", queueinfo(child, SIGUSR1, SI_USER, 0));
    printf("rt_sigqueueinfo to the child, SI_TKILL: %ld\n", queueinfo(child, SIGUSR1, SI_TKILL, 0));
    printf("rt_sigqueueinfo to the child, SI_KERNEL: %ld\n", queueinfo(child, SIGUSR1, SI_KERNEL, 0));
    printf("rt_sigqueueinfo to the child, signal 0, SI_QUEUE: %ld\n", queueinfo(child, 0, SI_QUEUE, 0));
    if (write(go[1], "g", 1) != 1)
        exit(1);
    waitpid(child, NULL, 0);
    close(go[0]);
    close(go[1]);
}

static void children(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    siginfo_t si;
    child = fork();
    if (child == 0)
        _exit(3);
    sigwaitinfo(&set, &si);
    print_info("child exited", &si);
    waitpid(child, NULL, 0);

    child = fork();
    if (child == 0)
        for (;;)
            pause();
    kill(child, SIGSTOP);
    sigwaitinfo(&set, &si);
    print_info("child stopped", &si);
    kill(child, SIGCONT);
    sigwaitinfo(&set, &si);
    print_info("child continued", &si);
    kill(child, SIGKILL);
    sigwaitinfo(&set, &si);
    print_info("child killed", &si);
    waitpid(child, NULL, 0);

    /* The same through a handler. */
    on(SIGCHLD, record);
    child = fork();
    if (child == 0)
        _exit(4);
    sigset_t none;
    sigemptyset(&none);
    while (!recorded_count)
        sigsuspend(&none);
    print_recorded("SIGCHLD handler");
    waitpid(child, NULL, 0);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    signal(SIGCHLD, SIG_DFL);
}

static sigjmp_buf fault_return;
static void *fault_expected_at;

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    printf("fault: signo %d code %d addr %s\n", sig, si->si_code,
           si->si_addr == fault_expected_at ? "as expected" : "elsewhere");
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_EFL] &= ~0x100l;
#else
    uc->uc_mcontext.gregs[REG_EFL] &= ~0x100;
#endif
    if (sig != SIGTRAP)
        siglongjmp(fault_return, 1);
}

extern char ud2_here[], div_here[], int3_after[];

static void faults(void)
{
    on(SIGSEGV, on_fault);
    on(SIGILL, on_fault);
    on(SIGFPE, on_fault);
    on(SIGTRAP, on_fault);
    fault_expected_at = (void *)0x1000;
    if (!sigsetjmp(fault_return, 1))
        *(volatile int *)0x1000 = 1;
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fault_expected_at = ro + 8;
    if (!sigsetjmp(fault_return, 1))
        *(volatile char *)(ro + 8) = 1;
    char path[] = "/tmp/siginfo-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0 && write(fd, "abc", 3) == 3) {
        on(SIGBUS, on_fault);
        char *file = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);
        fault_expected_at = file + 2 * 4096 + 5;
        if (!sigsetjmp(fault_return, 1))
            printf("past the end of the file: %d\n", *(volatile char *)(file + 2 * 4096 + 5));
        unlink(path);
        close(fd);
    }
    fault_expected_at = ud2_here;
    if (!sigsetjmp(fault_return, 1))
        __asm__ volatile(".globl ud2_here\nud2_here: ud2");
    fault_expected_at = div_here;
    if (!sigsetjmp(fault_return, 1))
        __asm__ volatile("xor %%edx, %%edx\n mov $1, %%eax\n xor %%ecx, %%ecx\n.globl div_here\ndiv_here: div %%ecx"
                         ::: "eax", "ecx", "edx");
    fault_expected_at = NULL;
    __asm__ volatile("int3\n.globl int3_after\nint3_after:");
    /* TF: a trap after the next instruction (the handler clears TF). */
    fault_expected_at = NULL;
#if defined(__x86_64__)
    __asm__ volatile("pushfq\n orq $0x100, (%%rsp)\n popfq\n nop" ::: "memory", "cc");
#else
    __asm__ volatile("pushfl\n orl $0x100, (%%esp)\n popfl\n nop" ::: "memory", "cc");
#endif
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    me = getpid();
    senders();
    queueing();
    waiting();
    queueinfo_rules();
    children();
    faults();
    return 0;
}
