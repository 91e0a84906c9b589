/* ptrace(2): one process tracing another's threads, with Linux's requests,
 * stops and wait statuses (docs/ptrace.md). */
#ifndef SYSGATE_PTRACE_H
#define SYSGATE_PTRACE_H

#include "cpu.h"
#include "types.h"

struct task;
struct ksiginfo;

/* Requests (<linux/ptrace.h>, <asm/ptrace-abi.h>). */
#define PTRACE_TRACEME 0
#define PTRACE_PEEKTEXT 1
#define PTRACE_PEEKDATA 2
#define PTRACE_PEEKUSR 3
#define PTRACE_POKETEXT 4
#define PTRACE_POKEDATA 5
#define PTRACE_POKEUSR 6
#define PTRACE_CONT 7
#define PTRACE_KILL 8
#define PTRACE_SINGLESTEP 9
#define PTRACE_GETREGS 12
#define PTRACE_SETREGS 13
#define PTRACE_GETFPREGS 14
#define PTRACE_SETFPREGS 15
#define PTRACE_ATTACH 16
#define PTRACE_DETACH 17
#define PTRACE_GETFPXREGS 18
#define PTRACE_SETFPXREGS 19
#define PTRACE_SYSCALL 24
#define PTRACE_GET_THREAD_AREA 25
#define PTRACE_SETOPTIONS 0x4200
#define PTRACE_GETEVENTMSG 0x4201
#define PTRACE_GETSIGINFO 0x4202
#define PTRACE_SETSIGINFO 0x4203
#define PTRACE_GETREGSET 0x4204
#define PTRACE_SETREGSET 0x4205
#define PTRACE_SEIZE 0x4206
#define PTRACE_INTERRUPT 0x4207
#define PTRACE_LISTEN 0x4208
#define PTRACE_PEEKSIGINFO 0x4209
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#define PTRACE_GET_SYSCALL_INFO 0x420e

/* PTRACE_PEEKSIGINFO's argument; the flag reads the process's queue
 * instead of the thread's. */
struct ptrace_peeksiginfo_args {
    u64 off;
    u32 flags;
    s32 nr;
};
#define PTRACE_PEEKSIGINFO_SHARED 1u

/* PTRACE_SETOPTIONS bits, and the events they ask for. */
#define PTRACE_O_TRACESYSGOOD 1
#define PTRACE_O_TRACEFORK (1u << PTRACE_EVENT_FORK)
#define PTRACE_O_TRACEVFORK (1u << PTRACE_EVENT_VFORK)
#define PTRACE_O_TRACECLONE (1u << PTRACE_EVENT_CLONE)
#define PTRACE_O_TRACEEXEC (1u << PTRACE_EVENT_EXEC)
#define PTRACE_O_TRACEVFORKDONE (1u << PTRACE_EVENT_VFORK_DONE)
#define PTRACE_O_TRACEEXIT (1u << PTRACE_EVENT_EXIT)
#define PTRACE_O_TRACESECCOMP (1u << PTRACE_EVENT_SECCOMP)
#define PTRACE_O_EXITKILL (1u << 20)
#define PTRACE_O_SUSPEND_SECCOMP (1u << 21)
#define PTRACE_O_MASK (0x000000ffu | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP)

#define PTRACE_EVENT_FORK 1
#define PTRACE_EVENT_VFORK 2
#define PTRACE_EVENT_CLONE 3
#define PTRACE_EVENT_EXEC 4
#define PTRACE_EVENT_VFORK_DONE 5
#define PTRACE_EVENT_EXIT 6
#define PTRACE_EVENT_SECCOMP 7
#define PTRACE_EVENT_STOP 128

/* GETEVENTMSG at a syscall-stop, and GET_SYSCALL_INFO's ops. */
#define PTRACE_EVENTMSG_SYSCALL_ENTRY 1
#define PTRACE_EVENTMSG_SYSCALL_EXIT 2
#define PTRACE_SYSCALL_INFO_NONE 0
#define PTRACE_SYSCALL_INFO_ENTRY 1
#define PTRACE_SYSCALL_INFO_EXIT 2
#define PTRACE_SYSCALL_INFO_SECCOMP 3
#define AUDIT_ARCH_I386 0x40000003u
#define AUDIT_ARCH_X86_64 0xc000003eu

/* Regsets (<elf.h>'s NT_*). */
#define NT_PRSTATUS 1
#define NT_PRFPREG 2
#define NT_PRXFPREG 0x46e62b7f
#define NT_X86_XSTATE 0x202

/* task.ptrace_flags: how it is traced and how it was resumed. */
#define PT_PTRACED 1u
#define PT_SEIZED 2u
#define PT_SYSCALL_TRACE 4u   /* resumed by PTRACE_SYSCALL: stop at each call's entry and exit */
#define PT_SINGLESTEP 8u      /* resumed by PTRACE_SINGLESTEP */
#define PT_FORCED_TF 16u      /* TF is set because of PT_SINGLESTEP, not by the program */
#define PT_TRAP_STOP 32u      /* PTRACE_INTERRUPT (or a seized new child): stop with PTRACE_EVENT_STOP */
#define PT_LISTENING 64u      /* PTRACE_LISTEN: stopped, reported, waiting for SIGCONT */
#define PT_GROUP_STOPPED 128u /* seized and in a group-stop until SIGCONT (or a resume) */
#define PT_TRAP_NOTIFY 256u   /* seized and continued by SIGCONT: a PTRACE_EVENT_STOP tells the tracer */
#define PT_TRAP_PENDING (PT_TRAP_STOP | PT_TRAP_NOTIFY)
#define PT_SYSCALL_WORK (PT_SYSCALL_TRACE | PT_SINGLESTEP)

/* Why a tracee is stopped (task.ptrace_stop_kind). */
enum ptrace_stop_kind {
    PTRACE_STOP_NONE,
    PTRACE_STOP_SIGNAL,        /* signal-delivery-stop */
    PTRACE_STOP_GROUP,         /* group-stop (a stopping signal's default action) */
    PTRACE_STOP_SYSCALL_ENTRY,
    PTRACE_STOP_SYSCALL_EXIT,
    PTRACE_STOP_EVENT,         /* PTRACE_EVENT_* */
};

/* The x86 debug registers a tracer programs (struct user's u_debugreg). */
#define DR_STATUS 6
#define DR_CONTROL 7
#define DR6_RESERVED 0xffff0ff0ul /* the bits that read as one, flipped in the virtual copy */
#define DR_TRAP_BITS 0xful        /* DR6: which of DR0-3 hit */
#define DR_STEP 0x4000ul          /* DR6: a single step */
#define HBP_NUM 4

/* ---- hooks for the rest of the kernel (ptrace.c) ---- */

/* The current task's syscall-entry stop, before the call runs: false when the
 * call must not run (the tracer set orig_rax to -1, or a SIGKILL came). */
bool ptrace_syscall_entry(struct regs *r);
/* A filter's SECCOMP_RET_TRACE: the PTRACE_EVENT_SECCOMP stop, with data as
 * the event message; false (no stop) unless the tracer asked for it. */
bool ptrace_seccomp_event(u64 data);
/* Every system call takes the full path while any task holds this (a
 * traced task, one with seccomp). */
void syscall_full_path_hold(void);
void syscall_full_path_release(void);
/* Its syscall-exit stop (or, when single-stepping, the step's SIGTRAP). */
void ptrace_syscall_exit(struct regs *r);
/* A signal about to be delivered to a traced task: its signal-delivery-stop.
 * Returns the signal to deliver instead (0: none), *info updated. */
int ptrace_signal(int sig, struct ksiginfo *info);
/* A stopping signal's default action in a traced task: a group-stop that the
 * tracer sees and ends. */
void ptrace_group_stop(int sig);
/* SIGCONT for a seized tracee (Linux's ptrace_trap_notify): its group-stop
 * ends, and it stops with PTRACE_EVENT_STOP (SIGTRAP) to tell its tracer:
 * at once when it listens (PTRACE_LISTEN), else on its way to user mode or
 * when its tracer listens to the stop it is in. */
void ptrace_seized_continued(struct task *t);
/* Whether the current task may attach to t (Linux's __ptrace_may_access). */
bool ptrace_may_attach(struct task *t);
/* Writes a tracee's memory as PTRACE_POKEDATA and /proc/PID/mem do, even
 * where it may not write (a private copy of the page): 0 or an errno. */
int ptrace_poke_forced(struct mm *mm, u64 va, const void *src, size_t len);
/* A PTRACE_INTERRUPT or SIGCONT notification waiting: the current task
 * stops with PTRACE_EVENT_STOP. */
void ptrace_trap_stop(void);
/* fork, vfork, clone: attaches `child` to the parent's tracer when the
 * parent asked for the event (or CLONE_PTRACE), then reports the event. */
void ptrace_fork_attach(struct task *child, u64 clone_flags, int exit_signal);
void ptrace_fork_report(struct task *child, u64 clone_flags, int exit_signal);
/* A vfork child released the memory: PTRACE_EVENT_VFORK_DONE. */
void ptrace_vfork_done(pid_t child);
/* A successful execve: PTRACE_EVENT_EXEC, or the traditional SIGTRAP. */
void ptrace_exec_notify(void);
/* The start of the current task's exit: PTRACE_EVENT_EXIT. */
void ptrace_exit_notify(int wait_status);
/* A task ended: the tracer, if another process, is told first. Returns true
 * when the tracer took the notification (the real parent hears later). */
bool ptrace_notify_exit(struct task *t);
/* A process ended: its tracees are detached (or killed, PTRACE_O_EXITKILL). */
void ptrace_exit_tracer(struct task *leader);
/* The tracer collected a traced task's exit: unlink it, hand a process to
 * its real parent, let a thread go. */
void ptrace_release_zombie(struct task *t);
void ptrace_unlink(struct task *t);
/* The debug registers of the task about to run (sched.c's switch). */
void ptrace_switch_debugregs(struct task *prev, struct task *next);
/* Forgets t's breakpoints (exec, detach), off the CPU at once if t runs. */
void ptrace_flush_debugregs(struct task *t);
/* A #DB: DR6 recorded for PEEKUSER, and the signal's si_code (TRAP_TRACE,
 * TRAP_HWBKPT); 0 when the trap was none of the task's. */
int ptrace_debug_trap(struct regs *r);

#define TRAP_HWBKPT 4

#endif
