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
#define SIGSTKFLT 16
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define NSIG 64

#define SIG_DFL_VALUE 0ul
#define SIG_IGN_VALUE 1ul

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513 /* restarted after a handler whatever SA_RESTART says */

#ifndef __ASSEMBLER__
#include "refcount.h"
#include "types.h"
struct task;
struct regs;

/* An action as the kernel keeps it (x86-64's struct sigaction layout). */
struct k_sigaction {
    u64 handler, flags, restorer, mask;
};

/* The actions of a process, shared by its threads (CLONE_SIGHAND). */
struct sighand {
    struct k_sigaction action[NSIG];
    refcount_t users;
};

struct sighand *sighand_create(void);
void sighand_get(struct sighand *h);
void sighand_put(struct sighand *h);
void signals_reset_on_exec(struct task *t);
void signal_send_process(struct task *leader, int sig);
void notify_parent_of_stop(struct task *child);
void signal_process_group(pid_t pgrp, int sig);
bool signal_ignored_or_blocked(struct task *t, int sig);
bool process_group_orphaned(pid_t pgrp);
/* A fault's signal: delivered even when blocked or ignored, as Linux forces it. */
void signal_force(int sig, u64 vector, u64 address, bool address_valid);
/* Whether the current task has a signal it does not block. */
bool signal_pending(void);
/* Sends sig to t: pending until t returns to user space (exit_to_user). */
void signal_send(struct task *t, int sig);
/* Acts on pending signals on the way back to user space. */
void signal_deliver(struct regs *r);
#endif

#endif
