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
#define SIGRTMIN 32 /* the kernel's first real-time signal: these queue */
#define NSIG 64

/* si_code: who sent it (<= 0 a process, SI_KERNEL the kernel) or, for the
 * kernel's signals, why. */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_TKILL (-6)
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define POLL_IN 1 /* SIGIO's codes: why the file is ready */
#define POLL_OUT 2
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6
#define NSIGPOLL 6

#define SIG_DFL_VALUE 0ul
#define SIG_IGN_VALUE 1ul

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_IA32_ABI 0x02000000 /* the kernel's: registered through a 32-bit gate, so the frame is i386's */
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
#define ERESTARTNOHAND 514 /* restarted unless a handler runs (then EINTR) */
#define ERESTART_RESTARTBLOCK 516 /* as ERESTARTNOHAND, but the restart is restart_syscall,
                                    * which carries on from the task's restart_block */

#ifndef __ASSEMBLER__
#include "refcount.h"
#include "types.h"
struct task;
struct regs;

#define SIGBIT(sig) (1ull << ((sig) - 1)) /* a signal's bit in a set (sigset_t, a mask, pending) */

/* Linux's siginfo_t in x86-64's layout (128 bytes); i386 programs see it
 * converted to theirs (siginfo_to_user, the 32-bit frames). */
struct ksiginfo {
    s32 si_signo, si_errno, si_code;
    s32 pad;
    union {
        struct {
            s32 pid;
            u32 uid;
            u64 value; /* sigqueue's si_value */
        } rt;          /* kill, tkill, sigqueue and the kernel's own */
        struct {
            s32 pid;
            u32 uid;
            s32 status;
            s32 pad;
            s64 utime, stime; /* clock ticks */
        } chld;
        struct {
            u64 addr;
        } fault;
        struct {
            s32 tid, overrun;
            u64 value;
        } timer;
        struct {
            u64 call_addr; /* after the system-call instruction */
            s32 syscall;
            u32 arch;      /* AUDIT_ARCH_* */
        } sys;             /* SIGSYS from seccomp (SYS_SECCOMP) */
        struct {
            s64 band; /* the poll bits of the event */
            s32 fd;   /* the descriptor O_ASYNC was set through */
        } poll;
        u8 bytes[112];
    };
};
_Static_assert(sizeof(struct ksiginfo) == 128, "siginfo is 128 bytes");

enum siginfo_layout { LAYOUT_RT, LAYOUT_CHLD, LAYOUT_FAULT, LAYOUT_TIMER, LAYOUT_POLL, LAYOUT_SYS };
/* Which union member of struct ksiginfo a signal's info uses. */
enum siginfo_layout siginfo_layout(int sig, int code);
/* Takes the next pending signal of `set` off the current thread's queue
 * (its info into *info); 0 when none of them is pending. */
int signal_dequeue(u64 set, struct ksiginfo *info);
/* A signal was queued: signalfds watching for it wake their readers (fs/signalfd.c). */
void signalfd_notify(int sig);

/* One pending instance: a standard signal has at most one, a real-time
 * signal as many as were sent, delivered in order. */
struct sigqueue {
    struct ksiginfo info;
    struct sigqueue *next;
};

/* Signals pending at a thread (sent to it: tgkill, its faults) or at its
 * process (kill, SIGCHLD, the process's timers), which any of its threads
 * that does not block them takes, as Linux's shared_pending. */
struct sigpending {
    u64 set; /* bit sig-1 */
    struct sigqueue *queue; /* the instances' siginfo, in arrival order */
    int len;
};
/* Both: what a thread could take (before its mask). */
u64 signals_pending(const struct task *t);

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
/* The most stack a signal frame of the ABI takes (AT_MINSIGSTKSZ). */
u64 signal_frame_max_size(bool is32);
/* The kernel's signal to a process (SI_KERNEL): to its first thread that
 * does not block it. */
void signal_send_process(struct task *leader, int sig);
/* Sends info->si_signo with info; 0, or -EAGAIN when a real-time signal
 * from a process finds the queue full. */
int signal_send_process_info(struct task *leader, const struct ksiginfo *info);
int signal_send_info(struct task *t, const struct ksiginfo *info);
/* As Linux's send_sig: SI_USER from the current process (SIGPIPE). */
void signal_send_from_current(struct task *t, int sig);
void notify_parent_of_stop(struct task *child);
/* SIGCHLD (the exit signal) for a process whose last thread ended. */
void notify_parent_of_exit(struct task *leader);
/* SIGCHLD's info for a child that ended with a wait status (CLD_EXITED,
 * CLD_KILLED or CLD_DUMPED, and si_status). */
void siginfo_child_ended(struct ksiginfo *info, pid_t pid, int wait_status);
void signal_process_group(pid_t pgrp, int sig);
bool signal_ignored_or_blocked(struct task *t, int sig);
/* Every change of a thread's signal mask goes through here (signal.c). */
void signal_set_blocked(struct task *t, u64 mask);
/* A thread ends: the process's pending signals go to the threads left. */
void signal_thread_ending(struct task *t);
bool process_group_orphaned(pid_t pgrp);
/* A fault's signal: delivered even when blocked or ignored, as Linux forces
 * it, with its si_code and si_addr; vector and address go to the frame's
 * trapno and cr2. */
void signal_force(int sig, int code, u64 si_addr, u64 vector, u64 address);
/* Forces info's signal on the current task as signal_force does; with
 * default_action, its handler is reset too (the signal kills). */
void signal_force_info(const struct ksiginfo *info, bool default_action);
/* Whether the current task has a signal it does not block. */
bool signal_pending(void);
/* Sends sig to t as the kernel (SI_KERNEL): pending until t returns to user
 * space (exit_to_user). */
void signal_send(struct task *t, int sig);
/* Frees a task's queued siginfo (when the task is freed). */
void signal_queue_free(struct task *t);
/* Copies info out in x86-64's layout, or i386's when compat. */
int siginfo_to_user(void __user *uinfo, const struct ksiginfo *info, bool compat);
/* A siginfo from user space in the calling ABI's layout: 0 or -EFAULT. */
int siginfo_from_user(struct ksiginfo *info, const void __user *uinfo);
/* Acts on pending signals on the way back to user space. */
void signal_deliver(struct regs *r);
#endif

#define MAX_QUEUED_SIGNALS 4096 /* per thread: a bound on kernel memory (/proc/PID/status SigQ) */

#endif
