/*
 * vdsounwind.c - libgcc's unwinder walks out of a signal handler through the
 * 32-bit vDSO: its sigreturn trampoline (the handler was installed without
 * SA_RESTORER, so the frame returns there) and __kernel_vsyscall (where the
 * signal came in, on the way out of the kill() that sent it), up to the
 * function that called kill(). Once for a handler without SA_SIGINFO
 * (__kernel_sigreturn), once with (__kernel_rt_sigreturn). The output is
 * compared with the Linux host's.
 *
 * A 64-bit program makes its system calls without the vDSO and must give a
 * restorer of its own, so there it prints that it has nothing to walk.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unwind.h>

#if defined(__i386__)
#define VDSO_MAX_SIZE (64 * 1024)

struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

struct walk {
    int frames, in_vdso, reached_sender;
};

static void kill_self(int sig) __attribute__((noinline));

static _Unwind_Reason_Code visit(struct _Unwind_Context *context, void *arg)
{
    struct walk *w = arg;
    uintptr_t ip = _Unwind_GetIP(context), vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    w->frames++;
    w->in_vdso += ip - vdso < VDSO_MAX_SIZE;
    if (_Unwind_FindEnclosingFunction((void *)(ip - 1)) == (void *)kill_self)
        w->reached_sender = 1;
    return w->frames > 64 ? _URC_END_OF_STACK : _URC_NO_REASON;
}

static struct walk last_walk;

static void handler(int sig)
{
    (void)sig;
    last_walk = (struct walk){0, 0, 0};
    _Unwind_Backtrace(visit, &last_walk);
}

static void kill_self(int sig)
{
    kill(getpid(), sig);
    __asm__ volatile("" ::: "memory"); /* not a tail call: this frame stays */
}

static void walk_from(int sig, unsigned long flags, const char *what)
{
    struct kernel_sigaction sa = {handler, flags, NULL, 0};
    if (syscall(SYS_rt_sigaction, sig, &sa, NULL, sizeof(sa.mask)) != 0) {
        perror("rt_sigaction");
        return;
    }
    kill_self(sig);
    printf("%s: frames in the vDSO %d, reached the sender %s\n", what, last_walk.in_vdso,
           last_walk.reached_sender ? "yes" : "no");
}

int main(void)
{
    walk_from(SIGUSR1, 0, "sigreturn");
    walk_from(SIGUSR2, SA_SIGINFO, "rt_sigreturn");
    return 0;
}
#else
int main(void)
{
    printf("no vDSO frames to walk in a 64-bit program\n");
    return 0;
}
#endif
