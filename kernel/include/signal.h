/* Linux's signal numbers (x86). */
#ifndef SYSGATE_SIGNAL_H
#define SYSGATE_SIGNAL_H

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGWINCH 28
#define NSIG 64

#ifndef __ASSEMBLER__
struct task;
struct regs;
/* Sends sig to t: pending until t returns to user space (exit_to_user). */
void signal_send(struct task *t, int sig);
/* The lowest pending, unblocked signal of the current task, or 0. */
int signal_next_pending(void);
/* Acts on pending signals on the way back to user space. */
void signal_deliver(struct regs *r);
#endif

#endif
