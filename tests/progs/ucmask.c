/*
 * ucmask.c - the signal mask a handler finds in its ucontext (uc_sigmask) is
 * the mask from before the signal, at the place the ABI puts it (offset 108
 * of i386's struct ucontext, not 112), and a handler that changes it changes
 * the mask the program returns to.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static int saw_usr2_blocked, saw_term_blocked;

static void handler(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)info;
    ucontext_t *uc = context;
    saw_usr2_blocked = sigismember(&uc->uc_sigmask, SIGUSR2);
    saw_term_blocked = sigismember(&uc->uc_sigmask, SIGTERM);
    sigdelset(&uc->uc_sigmask, SIGUSR2); /* unblocked once the handler returns */
    sigaddset(&uc->uc_sigmask, SIGHUP);  /* blocked from then on */
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("in the handler: SIGUSR2 blocked %d, SIGTERM blocked %d\n", saw_usr2_blocked, saw_term_blocked);
    printf("after it: SIGUSR2 blocked %d, SIGHUP blocked %d\n", sigismember(&now, SIGUSR2), sigismember(&now, SIGHUP));
    return 0;
}
