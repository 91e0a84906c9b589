/*
 * sigregs.c - a signal that interrupts user code leaves every register as it
 * was once the handler returns, also while some task is traced (then every
 * system call takes the kernel's full path, rt_sigreturn's included). The
 * registers a fast return instruction would clobber (rcx and r11 for
 * sysretq, ecx and edx for sysexit and sysretl) hold known values in a spin
 * loop that SIGALRM keeps interrupting.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define WANTED_SIGNALS 50

static volatile sig_atomic_t signals;

static void on_alarm(int sig)
{
    (void)sig;
    signals++;
}

#ifdef __x86_64__
#define FIRST "rcx"
#define SECOND "r11"
#else
#define FIRST "ecx"
#define SECOND "edx"
#endif

/* Spins with the two registers set; returns how many rounds found them changed. */
static long spin(long rounds)
{
    long changed = 0;
    __asm__ volatile("1:\n\t"
                     "mov $0x5a5a5a5a, %%" FIRST "\n\t"
                     "mov $0x3c3c3c3c, %%" SECOND "\n\t"
                     "mov $2000, %%eax\n"
                     "2:\n\t"
                     "dec %%eax\n\t"
                     "jnz 2b\n\t"
                     "cmp $0x5a5a5a5a, %%" FIRST "\n\t"
                     "jne 3f\n\t"
                     "cmp $0x3c3c3c3c, %%" SECOND "\n\t"
                     "je 4f\n"
                     "3:\n\t"
                     "inc %[changed]\n"
                     "4:\n\t"
                     "dec %[rounds]\n\t"
                     "jnz 1b"
                     : [changed] "+r"(changed), [rounds] "+r"(rounds)
                     :
                     : "eax", FIRST, SECOND, "cc");
    return changed;
}

/* SIGALRM every millisecond until enough have come; the rounds that saw a change. */
static long interrupted_spinning(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    signals = 0;
    struct itimerval every_ms = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &every_ms, NULL);
    long changed = 0;
    while (signals < WANTED_SIGNALS)
        changed += spin(100);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    return changed;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("untraced: rounds with changed registers: %ld\n", interrupted_spinning());

    /* A child that is traced and stopped: a tracee exists while the parent spins. */
    pid_t child = fork();
    if (child == 0) {
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
            _exit(1);
        raise(SIGSTOP);
        _exit(0);
    }
    int status;
    if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
        printf("the child did not stop\n");
        return 1;
    }
    printf("with a tracee: rounds with changed registers: %ld\n", interrupted_spinning());
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    printf("child: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
    return 0;
}
