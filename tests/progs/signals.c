/*
 * signals.c - signals as Linux delivers them, for the differential tests
 * (built 64-bit and 32-bit): handlers with and without SA_SIGINFO, masks and
 * pending signals, sigsuspend, SA_RESTART against EINTR on a blocking read,
 * a fault caught by a handler (and left by siglongjmp), the alternate stack,
 * SA_RESETHAND, default actions seen by waitpid, and the registers and FPU
 * state a handler must not disturb. Prints deterministic lines.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_sig, info_ok;
static sigjmp_buf escape;
static char altstack[65536];
static volatile unsigned long bad_address = 16; /* volatile: the compiler may not see the fault coming */
static volatile int on_altstack;

static void count(int sig) { hits++, last_sig = sig; }

static void with_info(int sig, siginfo_t *info, void *uc)
{
    info_ok = info->si_signo == sig && uc != NULL;
    hits++;
}

static void segv(int sig)
{
    (void)sig;
    siglongjmp(escape, 1);
}

static void where_am_i(int sig)
{
    (void)sig;
    char marker;
    on_altstack = &marker >= altstack && &marker < altstack + sizeof(altstack);
}

static void install(int sig, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    install(SIGUSR1, count, 0);
    kill(getpid(), SIGUSR1);
    printf("handler ran %d time(s) for signal %d\n", hits, last_sig);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("SA_SIGINFO handler saw its siginfo: %s\n", info_ok ? "yes" : "no");

    /* blocked: pending, then delivered on unblock */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    hits = 0;
    kill(getpid(), SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    printf("while blocked: %d delivered, pending: %s\n", hits, sigismember(&pending, SIGUSR1) ? "yes" : "no");
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("after unblocking: %d delivered\n", hits);

    /* sigsuspend until a child's signal arrives */
    sigprocmask(SIG_BLOCK, &set, &old);
    pid_t parent = getpid();
    pid_t p = fork();
    if (p == 0) {
        kill(parent, SIGUSR1);
        _exit(0);
    }
    hits = 0;
    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGUSR1);
    int r = sigsuspend(&wait_mask);
    printf("sigsuspend returned %d (%s) after %d delivery\n", r, strerror(errno), hits);
    sigprocmask(SIG_SETMASK, &old, NULL);
    waitpid(p, NULL, 0);

    /* a read interrupted by a signal: EINTR without SA_RESTART, restarted with it */
    for (int restart = 0; restart < 2; restart++) {
        install(SIGUSR1, count, restart ? SA_RESTART : 0);
        int fds[2];
        pipe(fds);
        p = fork();
        if (p == 0) {
            /* Signals keep coming for a while, so that one finds the parent
             * blocked in read however late it gets there; then the data. */
            close(fds[0]);
            for (int i = 0; i < 20; i++) {
                usleep(25000);
                kill(parent, SIGUSR1);
            }
            write(fds[1], "late", 4);
            _exit(0);
        }
        close(fds[1]);
        char buf[8];
        errno = 0;
        ssize_t n = read(fds[0], buf, sizeof(buf));
        printf("%s: read returned %zd (%s)\n", restart ? "SA_RESTART" : "no SA_RESTART", n,
               n < 0 ? strerror(errno) : "data");
        waitpid(p, NULL, 0);
        close(fds[0]);
    }

    /* a fault caught by a handler, left with siglongjmp */
    install(SIGSEGV, segv, 0);
    if (sigsetjmp(escape, 1) == 0) {
        *(volatile int *)bad_address = 1;
        printf("no fault?\n");
    } else {
        printf("caught SIGSEGV and jumped out\n");
    }

    /* the alternate signal stack */
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
    sigaltstack(&ss, NULL);
    install(SIGUSR2, where_am_i, SA_ONSTACK);
    raise(SIGUSR2);
    printf("handler on the alternate stack: %s\n", on_altstack ? "yes" : "no");
    install(SIGUSR2, where_am_i, 0);
    raise(SIGUSR2);
    printf("without SA_ONSTACK: %s\n", on_altstack ? "alternate" : "normal stack");

    /* SA_RESETHAND: once, then the default (which ends a child with that signal) */
    p = fork();
    if (p == 0) {
        install(SIGUSR1, count, SA_RESETHAND);
        raise(SIGUSR1);
        raise(SIGUSR1);
        _exit(0);
    }
    int status;
    waitpid(p, &status, 0);
    printf("SA_RESETHAND child: %s %d\n", WIFSIGNALED(status) ? "killed by" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

    /* default actions through waitpid */
    int sigs[] = {SIGTERM, SIGKILL, SIGINT, SIGABRT};
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        int fds[2];
        pipe(fds);
        p = fork();
        if (p == 0) {
            close(fds[1]);
            char c;
            read(fds[0], &c, 1);
            _exit(0);
        }
        close(fds[0]);
        kill(p, sigs[i]);
        waitpid(p, &status, 0);
        close(fds[1]);
        printf("child killed by %d: signaled %s, signal %d\n", sigs[i], WIFSIGNALED(status) ? "yes" : "no", WTERMSIG(status));
    }
    p = fork();
    if (p == 0)
        abort();
    waitpid(p, &status, 0);
    printf("abort(): signal %d\n", WTERMSIG(status));

    /* ignored signals are discarded; SIGCHLD is ignored by default */
    install(SIGUSR1, SIG_IGN, 0);
    kill(getpid(), SIGUSR1);
    printf("ignored SIGUSR1: still here\n");

    /* a handler must leave the floating point state as it found it */
    install(SIGUSR1, count, 0);
    volatile double x = 1.5;
    raise(SIGUSR1);
    printf("float after a handler: %.2f\n", x * 2);
    errno = 0;
    r = kill(999999, SIGUSR1);
    printf("kill of a missing process: %d %s\n", r, strerror(errno));
    errno = 0;
    r = sigaction(SIGKILL, &sa, NULL);
    printf("sigaction on SIGKILL: %d %s\n", r, strerror(errno));
    return 0;
}
