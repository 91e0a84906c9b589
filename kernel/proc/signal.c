/*
 * Signals: sending, masks, actions, and delivery on the way back to user
 * space, with Linux's signal frames for 64-bit and 32-bit programs and the
 * sigreturn calls that undo them. Sleeping system calls wake up when a signal
 * arrives and return -ERESTARTSYS: restarted when the handler has SA_RESTART
 * (or there is no handler), EINTR otherwise.
 */
#include "apic.h"
#include "compat.h"
#include "cpu.h"
#include "cred.h"
#include "errno.h"
#include "ldt.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "ptrace.h"
#include "seccomp.h"
#include "signal.h"
#include "syscall.h"
#include "time.h"
#include "uaccess.h"
#include "vdso.h"
#include "x86.h"

u64 current_regs_rip(void);

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static const u64 default_ignore = SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGWINCH) | SIGBIT(SIGURG);
static const u64 default_stop = SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU);

struct sighand *sighand_create(void)
{
    struct sighand *h = kzalloc(sizeof(*h));
    if (h)
        refcount_set(&h->users, 1);
    return h;
}

void sighand_get(struct sighand *h) { refcount_get(&h->users); }

void sighand_put(struct sighand *h)
{
    if (h && refcount_put(&h->users))
        kfree(h);
}

/* execve: handlers go back to the default (they pointed into the old program);
 * ignored signals stay ignored. */
void signals_reset_on_exec(struct task *t)
{
    struct sighand *h = t->sighand;
    if (refcount_read(&h->users) > 1) {
        struct sighand *copy = sighand_create();
        if (copy) {
            memcpy(copy->action, h->action, sizeof(copy->action));
            sighand_put(h);
            t->sighand = h = copy;
        }
    }
    for (int i = 0; i < NSIG; i++) {
        if (h->action[i].handler != SIG_IGN_VALUE)
            h->action[i].handler = SIG_DFL_VALUE;
        h->action[i].flags = 0;
        h->action[i].mask = 0;
        h->action[i].restorer = 0;
    }
    t->altstack_sp = t->altstack_size = 0;
    t->altstack_flags = SS_DISABLE;
}

static bool ignored(struct task *t, int sig)
{
    u64 handler = t->sighand->action[sig - 1].handler;
    return handler == SIG_IGN_VALUE || (handler == SIG_DFL_VALUE && (SIGBIT(sig) & default_ignore));
}

/* A deliverable signal is work for t's way back to user space, wherever t
 * is: the flag is the task's, as Linux's TIF_SIGPENDING. */
static void update_exit_work(struct task *t)
{
    if (signals_pending(t) & ~t->blocked_signals)
        task_work_set(t, TASK_WORK_SIGNAL);
}

static bool thread_alive(const struct task *t) { return t->state != TASK_ZOMBIE && t->state != TASK_DEAD; }

/* This thread's share of a group stop another thread began (or its end
 * before it got there): the last one tells the parent. */
static bool count_off_group_stop(struct task *t)
{
    t->group_stop_pending = false;
    struct task *leader = t->group_leader;
    if (leader->group_stop_remaining > 0)
        leader->group_stop_remaining--;
    return leader->group_stop_remaining == 0;
}

/* A process can take signals while any of its threads lives, even after
 * its main thread has ended (pthread_exit). */
static bool process_alive(const struct task *leader)
{
    return leader->state != TASK_DEAD && (leader->state != TASK_ZOMBIE || leader->live_threads > 0);
}

void signal_process_group(pid_t pgrp, int sig)
{
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->pgid == pgrp && t == t->group_leader && process_alive(t))
            signal_send_process(t, sig);
}

bool signal_ignored_or_blocked(struct task *t, int sig)
{
    return t->sighand->action[sig - 1].handler == SIG_IGN_VALUE || (SIGBIT(sig) & t->blocked_signals);
}

/* No member of the group has a parent in another group of the same session:
 * nobody is left to continue it if it stops (POSIX's orphaned group). */
bool process_group_orphaned(pid_t pgrp)
{
    for (struct task *t = task_first(); t; t = task_next(t)) {
        if (t->pgid != pgrp || t != t->group_leader || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
            continue;
        struct task *parent = t->parent;
        if (parent && parent->pgid != pgrp && parent->sid == t->sid)
            return false;
    }
    return true;
}

/* ---- the queue of pending instances ---- */

#define SYNCHRONOUS_SIGNALS \
    (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE) | SIGBIT(SIGSYS))

static struct sigpending *process_pending(const struct task *t) { return &t->group_leader->shared_pending; }

u64 signals_pending(const struct task *t) { return t->pending.set | process_pending(t)->set; }

/* Process-wide signals pending that t does not take (it blocks them, or it
 * ends): other threads of its process that can are woken to take them, as
 * Linux's retarget_shared_pending. */
static void retarget_process_signals(struct task *t, u64 signals)
{
    signals &= process_pending(t)->set;
    for (struct task *o = task_first(); o && signals; o = task_next(o)) {
        if (o == t || o->tgid != t->tgid || o->state == TASK_ZOMBIE || o->state == TASK_DEAD ||
            !(signals & ~o->blocked_signals))
            continue;
        task_work_set(o, TASK_WORK_SIGNAL);
        task_wake(o);
        signals &= o->blocked_signals;
    }
}

/* Every change of a thread's mask (Linux's set_current_blocked): what it
 * unblocks becomes its work on the way out, and what it newly blocks of
 * its process's pending signals goes to another thread. */
void signal_set_blocked(struct task *t, u64 mask)
{
    mask &= ~UNBLOCKABLE;
    u64 newly_blocked = mask & ~t->blocked_signals;
    t->blocked_signals = mask;
    update_exit_work(t);
    if (newly_blocked)
        retarget_process_signals(t, newly_blocked);
}

void signal_thread_ending(struct task *t)
{
    retarget_process_signals(t, ~t->blocked_signals);
    /* It will not stop now: the group stop may be complete without it. */
    if (t->group_stop_pending && count_off_group_stop(t) && t->group_leader->state == TASK_STOPPED)
        notify_parent_of_stop(t->group_leader);
}

/* Drops every pending instance of sig from p. */
static void flush_pending(struct sigpending *p, int sig)
{
    p->set &= ~SIGBIT(sig);
    for (struct sigqueue **link = &p->queue; *link;) {
        struct sigqueue *q = *link;
        if (q->info.si_signo == sig) {
            *link = q->next;
            kfree(q);
            p->len--;
        } else {
            link = &q->next;
        }
    }
}

/* Drops sig wherever the process of t has it pending: at the process and at
 * each of its threads (a stop signal's SIGCONT, a SIGCONT's stops). */
static void flush_signal(struct task *t, int sig)
{
    flush_pending(process_pending(t), sig);
    for (struct task *o = task_first(); o; o = task_next(o))
        if (o->tgid == t->tgid)
            flush_pending(&o->pending, sig);
}

static void free_pending(struct sigpending *p)
{
    while (p->queue) {
        struct sigqueue *q = p->queue;
        p->queue = q->next;
        kfree(q);
    }
    p->len = 0;
    p->set = 0;
}

void signal_queue_free(struct task *t)
{
    free_pending(&t->pending);
    free_pending(&t->shared_pending);
}

/* Takes the oldest instance of sig off t's queues into *info, the thread's
 * own first, as Linux; the signal stays pending while more instances wait.
 * An instance that found no room carries no info: it reads as SI_USER from
 * nobody, as on Linux. */
static void dequeue_signal(struct task *t, int sig, struct ksiginfo *info)
{
    struct sigpending *p = (t->pending.set & SIGBIT(sig)) ? &t->pending : process_pending(t);
    for (struct sigqueue **link = &p->queue; *link; link = &(*link)->next) {
        struct sigqueue *q = *link;
        if (q->info.si_signo != sig)
            continue;
        *info = q->info;
        *link = q->next;
        kfree(q);
        p->len--;
        if (info->si_code == SI_TIMER)
            posix_timer_signal_taken(t, info);
        bool more = false;
        for (struct sigqueue *r = p->queue; r && !more; r = r->next)
            more = r->info.si_signo == sig;
        if (!more)
            p->set &= ~SIGBIT(sig);
        return;
    }
    memset(info, 0, sizeof(*info));
    info->si_signo = sig;
    info->si_code = SI_USER;
    p->set &= ~SIGBIT(sig);
}

/* The signal to act on next among `set`: a fault's first, then the lowest. */
static int next_signal(u64 set)
{
    if (set & SYNCHRONOUS_SIGNALS)
        set &= SYNCHRONOUS_SIGNALS;
    return set ? __builtin_ctzll(set) + 1 : 0;
}

static void kernel_info(struct ksiginfo *info, int sig)
{
    memset(info, 0, sizeof(*info));
    info->si_signo = sig;
    info->si_code = SI_KERNEL;
}

/* A child stopped or continued: its parent gets SIGCHLD unless it asked not
 * to (SA_NOCLDSTOP), and a parent waiting in waitpid wakes. */
void notify_parent_of_stop(struct task *child)
{
    struct task *leader = child->group_leader;
    struct task *parent = leader->parent;
    if (!parent)
        return;
    wake_up_all(&parent->child_events);
    if (parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP)
        return;
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = SIGCHLD;
    bool stopped = child->state == TASK_STOPPED;
    info.si_code = stopped ? CLD_STOPPED : CLD_CONTINUED;
    info.chld.pid = leader->tgid;
    info.chld.status = stopped ? child->stop_signal : SIGCONT;
    info.chld.utime = (s64)(leader->user_ns / NS_PER_CLOCK_TICK);
    info.chld.stime = (s64)(leader->system_ns / NS_PER_CLOCK_TICK);
    signal_send_process_info(parent, &info);
}

void siginfo_child_ended(struct ksiginfo *info, pid_t pid, int wait_status)
{
    memset(info, 0, sizeof(*info));
    info->si_signo = SIGCHLD;
    info->chld.pid = pid;
    if (wait_status & 0x7f) {
        info->si_code = (wait_status & 0x80) ? CLD_DUMPED : CLD_KILLED;
        info->chld.status = wait_status & 0x7f;
    } else {
        info->si_code = CLD_EXITED;
        info->chld.status = (wait_status >> 8) & 0xff;
    }
}

void notify_parent_of_exit(struct task *leader)
{
    struct task *parent = leader->parent;
    if (!parent || !leader->exit_signal)
        return;
    struct ksiginfo info;
    siginfo_child_ended(&info, leader->tgid, leader->wait_status);
    info.si_signo = leader->exit_signal;
    info.chld.utime = (s64)(leader->user_ns / NS_PER_CLOCK_TICK);
    info.chld.stime = (s64)(leader->system_ns / NS_PER_CLOCK_TICK);
    signal_send_process_info(parent, &info);
}

/* SIGCONT ends the process's stop, or the one it is coming to: every
 * thread runs again, and the parent hears of it once (WCONTINUED). */
static void continue_process(struct task *t)
{
    struct task *leader = t->group_leader;
    bool was_stopping = leader->group_stop_remaining > 0;
    leader->group_stop_remaining = 0;
    for (struct task *o = task_first(); o; o = task_next(o)) {
        if (o->tgid != t->tgid || !thread_alive(o))
            continue;
        was_stopping |= o->group_stop_pending || o->state == TASK_STOPPED;
        o->group_stop_pending = false;
        if (o->state == TASK_STOPPED)
            o->state = TASK_RUNNABLE;
    }
    if (was_stopping && thread_alive(leader)) {
        leader->continue_pending = true;
        notify_parent_of_stop(leader);
    }
}

/* Queues info at t (thread-directed) or at t's process (to_process), t being
 * the thread woken to take it. */
static int send_signal(struct task *t, const struct ksiginfo *info, bool to_process)
{
    int sig = info->si_signo;
    /* No sighand: the task is in task_exit, past taking signals. */
    if (sig <= 0 || sig > NSIG || t->state == TASK_ZOMBIE || t->state == TASK_DEAD || !t->sighand)
        return 0;
    u64 flags = irq_save();
    if (sig == SIGCONT || sig == SIGKILL) {
        /* Continuing (and killing) wakes a stopped process at once. */
        for (int stop = 1; stop <= NSIG; stop++)
            if (SIGBIT(stop) & default_stop)
                flush_signal(t, stop);
        /* A ptrace stop ends only for SIGKILL (or its tracer). */
        if (sig == SIGCONT && (t->ptrace_flags & PT_SEIZED))
            ptrace_seized_continued(t);
        if (sig == SIGKILL && (t->state == TASK_STOPPED || t->state == TASK_TRACED))
            t->state = TASK_RUNNABLE;
        if (sig == SIGCONT)
            continue_process(t);
    }
    if (SIGBIT(sig) & default_stop)
        flush_signal(t, SIGCONT);
    bool blocked_or_awaited = SIGBIT(sig) & (t->blocked_signals | t->waiting_for_signals);
    /* A tracer sees even the signals its tracee ignores (signal-delivery-stop). */
    if (ignored(t, sig) && !blocked_or_awaited && sig != SIGKILL && !t->ptracer) {
        irq_restore(flags);
        return 0;
    }
    struct sigpending *p = to_process ? process_pending(t) : &t->pending;
    /* A standard signal already pending stays one instance, with the first info. */
    if (sig < SIGRTMIN && (p->set & SIGBIT(sig))) {
        irq_restore(flags);
        return 0;
    }
    /* Kernel-sent and kill's standard signals are queued beyond RLIMIT_SIGPENDING. */
    bool over_limit = (sig >= SIGRTMIN || info->si_code < 0) && !rlimit_sigpending_ok(t);
    struct sigqueue *q = p->len < MAX_QUEUED_SIGNALS && !over_limit ? kmalloc(sizeof(*q)) : NULL;
    if (q) {
        q->info = *info;
        q->next = NULL;
        struct sigqueue **tail = &p->queue;
        while (*tail)
            tail = &(*tail)->next;
        *tail = q;
        p->len++;
    } else if (sig >= SIGRTMIN && info->si_code != SI_USER && info->si_code != SI_KERNEL) {
        irq_restore(flags);
        return -EAGAIN; /* sigqueue and the like: the caller learns it was not queued */
    }
    p->set |= SIGBIT(sig);
    update_exit_work(t);
    if (SIGBIT(sig) & (~t->blocked_signals | t->waiting_for_signals))
        task_wake(t); /* a sleeper sees the signal and returns (wait_sleep) */
    signalfd_notify(sig);
    irq_restore(flags);
    return 0;
}

int signal_send_info(struct task *t, const struct ksiginfo *info) { return send_signal(t, info, false); }

void signal_send(struct task *t, int sig)
{
    struct ksiginfo info;
    kernel_info(&info, sig);
    signal_send_info(t, &info);
}

void signal_send_from_current(struct task *t, int sig)
{
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = sig;
    info.si_code = SI_USER;
    info.rt.pid = current_task()->tgid;
    signal_send_info(t, &info);
}

/* A process-wide signal waits at the process for whichever of its threads
 * takes it first. The first thread that does not block it (or waits for it
 * in rt_sigtimedwait, which unblocks it on Linux) is woken to take it; when
 * all block it, the first to unblock it takes it (signal_set_blocked). */
int signal_send_process_info(struct task *leader, const struct ksiginfo *info)
{
    int sig = info->si_signo;
    struct task *target = NULL;
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->tgid == leader->tgid && t->state != TASK_DEAD && t->state != TASK_ZOMBIE &&
            !(SIGBIT(sig) & t->blocked_signals & ~t->waiting_for_signals)) {
            target = t;
            break;
        }
    /* All block it: the checks and the stop and continue rules see a live
     * thread, the leader unless it has ended. */
    if (!target && leader->state != TASK_DEAD && leader->state != TASK_ZOMBIE)
        target = leader;
    for (struct task *t = task_first(); t && !target; t = task_next(t))
        if (t->tgid == leader->tgid && t->state != TASK_DEAD && t->state != TASK_ZOMBIE)
            target = t;
    return target ? send_signal(target, info, true) : 0;
}

void signal_send_process(struct task *leader, int sig)
{
    struct ksiginfo info;
    kernel_info(&info, sig);
    signal_send_process_info(leader, &info);
}

bool signal_pending(void)
{
    struct task *t = current_task();
    /* PTRACE_INTERRUPT ends a sleep as a signal does. */
    return (signals_pending(t) & ~t->blocked_signals) || (t->ptrace_flags & PT_TRAP_PENDING) ||
           t->group_stop_pending;
}

/* ---- the frames ---- */

struct sigcontext_64 {
    u64 r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    u16 cs, gs, fs, ss;
    u64 err, trapno, oldmask, cr2, fpstate;
    u64 reserved1[8];
};

struct ucontext_64 {
    u64 uc_flags, uc_link;
    u64 ss_sp;
    s32 ss_flags;
    u32 pad;
    u64 ss_size;
    struct sigcontext_64 mcontext;
    u64 sigmask;
};

struct rt_sigframe_64 {
    u64 pretcode;
    struct ucontext_64 uc;
    struct ksiginfo info;
};

/* i386's siginfo: the same fields 32 bits wide, and no padding before the union. */
struct compat_siginfo {
    s32 si_signo, si_errno, si_code;
    union {
        struct {
            s32 pid;
            u32 uid;
            u32 value;
        } rt;
        struct {
            s32 pid;
            u32 uid;
            s32 status;
            s32 utime, stime;
        } chld;
        struct {
            u32 addr;
        } fault;
        struct {
            s32 tid, overrun;
            u32 value;
        } timer;
        struct {
            s32 band;
            s32 fd;
        } poll;
        struct {
            u32 call_addr;
            s32 syscall;
            u32 arch;
        } sys;
        u8 bytes[116];
    };
};
_Static_assert(sizeof(struct compat_siginfo) == 128, "i386's siginfo is 128 bytes");

/* Which union member a siginfo uses, as Linux decides it from the code. */
enum siginfo_layout siginfo_layout(int sig, int code)
{
    if (code == SI_TIMER)
        return LAYOUT_TIMER;
    if (code > 0 && code < SI_KERNEL && sig >= 1 && sig <= NSIG) {
        if (sig == SIGCHLD)
            return LAYOUT_CHLD;
        if (sig == SIGSYS && code == SYS_SECCOMP)
            return LAYOUT_SYS;
        if (SIGBIT(sig) & SYNCHRONOUS_SIGNALS & ~SIGBIT(SIGSYS))
            return LAYOUT_FAULT;
        /* Any other signal with a POLL_* code carries si_band and si_fd (F_SETSIG's). */
        if (sig != SIGSYS && code <= NSIGPOLL)
            return LAYOUT_POLL;
    }
    return LAYOUT_RT;
}

static void siginfo_to_compat(const struct ksiginfo *from, struct compat_siginfo *to)
{
    memset(to, 0, sizeof(*to));
    to->si_signo = from->si_signo;
    to->si_errno = from->si_errno;
    to->si_code = from->si_code;
    switch (siginfo_layout(from->si_signo, from->si_code)) {
    case LAYOUT_CHLD:
        to->chld.pid = from->chld.pid;
        to->chld.uid = from->chld.uid;
        to->chld.status = from->chld.status;
        to->chld.utime = (s32)from->chld.utime;
        to->chld.stime = (s32)from->chld.stime;
        break;
    case LAYOUT_FAULT: to->fault.addr = (u32)from->fault.addr; break;
    case LAYOUT_SYS:
        to->sys.call_addr = (u32)from->sys.call_addr;
        to->sys.syscall = from->sys.syscall;
        to->sys.arch = from->sys.arch;
        break;
    case LAYOUT_POLL:
        to->poll.band = (s32)from->poll.band;
        to->poll.fd = from->poll.fd;
        break;
    case LAYOUT_TIMER:
        to->timer.tid = from->timer.tid;
        to->timer.overrun = from->timer.overrun;
        to->timer.value = (u32)from->timer.value;
        break;
    case LAYOUT_RT:
        to->rt.pid = from->rt.pid;
        to->rt.uid = from->rt.uid;
        to->rt.value = (u32)from->rt.value;
        break;
    }
}

static void siginfo_from_compat(const struct compat_siginfo *from, struct ksiginfo *to)
{
    memset(to, 0, sizeof(*to));
    to->si_signo = from->si_signo;
    to->si_errno = from->si_errno;
    to->si_code = from->si_code;
    switch (siginfo_layout(from->si_signo, from->si_code)) {
    case LAYOUT_CHLD:
        to->chld.pid = from->chld.pid;
        to->chld.uid = from->chld.uid;
        to->chld.status = from->chld.status;
        to->chld.utime = from->chld.utime;
        to->chld.stime = from->chld.stime;
        break;
    case LAYOUT_FAULT: to->fault.addr = from->fault.addr; break;
    case LAYOUT_SYS:
        to->sys.call_addr = from->sys.call_addr;
        to->sys.syscall = from->sys.syscall;
        to->sys.arch = from->sys.arch;
        break;
    case LAYOUT_POLL:
        to->poll.band = from->poll.band;
        to->poll.fd = from->poll.fd;
        break;
    case LAYOUT_TIMER:
        to->timer.tid = from->timer.tid;
        to->timer.overrun = from->timer.overrun;
        to->timer.value = from->timer.value;
        break;
    case LAYOUT_RT:
        to->rt.pid = from->rt.pid;
        to->rt.uid = from->rt.uid;
        to->rt.value = from->rt.value;
        break;
    }
}

int siginfo_to_user(void __user *uinfo, const struct ksiginfo *info, bool compat)
{
    if (compat) {
        struct compat_siginfo c;
        siginfo_to_compat(info, &c);
        return copy_to_user(uinfo, &c, sizeof(c)) ? -EFAULT : 0;
    }
    return copy_to_user(uinfo, info, sizeof(*info)) ? -EFAULT : 0;
}

int siginfo_from_user(struct ksiginfo *info, const void __user *uinfo)
{
    if (in_compat_syscall()) {
        struct compat_siginfo c;
        if (copy_from_user(&c, uinfo, sizeof(c)))
            return -EFAULT;
        siginfo_from_compat(&c, info);
        return 0;
    }
    return copy_from_user(info, uinfo, sizeof(*info)) ? -EFAULT : 0;
}

struct sigcontext_32 {
    u16 gs, gsh, fs, fsh, es, esh, ds, dsh;
    u32 edi, esi, ebp, esp, ebx, edx, ecx, eax, trapno, err, eip;
    u16 cs, csh;
    u32 eflags, esp_at_signal;
    u16 ss, ssh;
    u32 fpstate, oldmask, cr2;
};

struct ucontext_32 {
    u32 uc_flags, uc_link, ss_sp;
    s32 ss_flags;
    u32 ss_size;
    struct sigcontext_32 mcontext;
    u64 sigmask __attribute__((packed, aligned(4))); /* i386's compat_sigset_t: two 32-bit words */
};
_Static_assert(__builtin_offsetof(struct ucontext_32, sigmask) == 108, "i386's uc_sigmask is at 108");
_Static_assert(sizeof(struct ucontext_32) == 116, "i386's struct ucontext is 116 bytes");

struct rt_sigframe_32 {
    u32 pretcode;
    s32 sig;
    u32 pinfo, puc;
    struct compat_siginfo info;
    struct ucontext_32 uc;
    u8 retcode[8];
};

struct sigframe_32 {
    u32 pretcode;
    s32 sig;
    struct sigcontext_32 sc;
    u8 fpstate_legacy[624];
    u32 extramask;
    u8 retcode[8];
};

/* i386's struct _fpstate: 112 bytes of the old FSAVE layout (left zero, with
 * the "FXSR follows" magic), then the image 64-bit frames have. */
#define FPSTATE32_LEGACY 112
#define X86_FXSR_MAGIC 0x0000
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

/* The flags a user may set through sigreturn: the arithmetic ones, TF, DF,
 * AC and the like, never IF, IOPL or VM. */
#define USER_FLAGS_MASK 0x44dd5ul /* AC | OF | DF | TF | SF | ZF | AF | PF | CF | RF */

/* A frame's floating-point image: the state as fpu_export gives it and,
 * with XSAVE, FP_XSTATE_MAGIC2 after it (Linux's layout). */
static u64 frame_fpu_size(void) { return fpu_state_size + (fpu_xfeatures ? FP_XSTATE_MAGIC2_SIZE : 0); }

static u64 frame_uc_flags(void) { return fpu_xfeatures ? UC_FP_XSTATE : 0; }

static int fpu_to_frame(u64 image, u32 legacy_header)
{
    struct fpu_state live, out;
    memset(&live, 0, sizeof(live));
    fpu_save(&live);
    fpu_export_for_frame(&live, &out, legacy_header);
    u32 magic2 = FP_XSTATE_MAGIC2;
    if (copy_to_user((void __user *)image, out.bytes, fpu_state_size) ||
        (fpu_xfeatures && copy_to_user((void __user *)(image + fpu_state_size), &magic2, sizeof(magic2))))
        return -EFAULT;
    return 0;
}

/* Loads a frame's image: an xsave image when its software bytes and second
 * magic say so, else the fxsave image alone with the rest initialised (as
 * Linux's fpu__restore_sig). What the CPU would fault on is cleared or
 * refused first. */
static int fpu_from_frame(u64 image)
{
    struct fpu_state state;
    memset(&state, 0, sizeof(state));
    if (copy_from_user(state.bytes, (const void __user *)image, FPU_FXSAVE_SIZE))
        return -EFAULT;
    u64 components = 0;
    u32 magic2 = 0;
    u32 size = fpu_frame_xstate(&state, &components);
    bool extended = size && !copy_from_user(&magic2, (const void __user *)(image + size), sizeof(magic2)) &&
                    magic2 == FP_XSTATE_MAGIC2;
    if (extended &&
        copy_from_user(state.bytes + FPU_FXSAVE_SIZE, (const void __user *)(image + FPU_FXSAVE_SIZE), size - FPU_FXSAVE_SIZE))
        return -EFAULT;
    int err = fpu_sanitize(&state, extended, components);
    if (err)
        return err;
    fpu_restore(&state);
    return 0;
}

#define SELECTOR_RPL_USER 3
#define AR_TYPE_MASK (7u << 9) /* lar's view of the type, without the accessed bit */
#define AR_TYPE_RWDATA (1u << 9)
#define AR_TYPE_RWDATA_EXPDOWN (3u << 9)
#define AR_S (1u << 12) /* code or data, not a system descriptor */
#define AR_DPL3 (3u << 13)
#define AR_P (1u << 15)

/* A stack segment 64-bit code can run with: ss if the descriptor it names
 * is a present, writable DPL 3 data segment, the user data segment
 * otherwise (Linux's force_valid_ss). */
static u64 usable_stack_segment(u64 ss)
{
    u32 rights = 0;
    bool valid;
    __asm__ volatile("lar %2, %0; setz %1" : "=r"(rights), "=q"(valid) : "r"((u32)ss) : "cc");
    rights &= AR_P | AR_DPL3 | AR_S | AR_TYPE_MASK;
    if (valid && (rights == (AR_P | AR_DPL3 | AR_S | AR_TYPE_RWDATA) ||
                  rights == (AR_P | AR_DPL3 | AR_S | AR_TYPE_RWDATA_EXPDOWN)))
        return ss;
    return USER_DS;
}

static u64 signal_stack(struct task *t, const struct k_sigaction *a, u64 sp)
{
    bool on_altstack = sp - t->altstack_sp < t->altstack_size;
    if ((a->flags & SA_ONSTACK) && t->altstack_size && !(t->altstack_flags & SS_DISABLE) && !on_altstack)
        return t->altstack_sp + t->altstack_size;
    return sp;
}

static int setup_frame_64(struct task *t, const struct ksiginfo *info, const struct k_sigaction *a, struct regs *r,
                          u64 old_mask)
{
    int sig = info->si_signo;
    u64 sp = signal_stack(t, a, r->rsp) - 128; /* skip the red zone */
    sp = ALIGN_DOWN(sp - frame_fpu_size(), 64);
    u64 fpstate = sp;
    sp = ALIGN_DOWN(sp - sizeof(struct rt_sigframe_64), 16) - 8;
    struct rt_sigframe_64 f;
    memset(&f, 0, sizeof(f));
    f.pretcode = a->restorer;
    f.uc.uc_flags = frame_uc_flags() | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
    f.uc.ss_sp = t->altstack_sp;
    f.uc.ss_flags = t->altstack_size ? (r->rsp - t->altstack_sp < t->altstack_size ? SS_ONSTACK : 0) : SS_DISABLE;
    f.uc.ss_size = t->altstack_size;
    struct sigcontext_64 *c = &f.uc.mcontext;
    *c = (struct sigcontext_64){.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
                                .r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rdi = r->rdi, .rsi = r->rsi,
                                .rbp = r->rbp, .rbx = r->rbx, .rdx = r->rdx, .rax = r->rax, .rcx = r->rcx,
                                .rsp = r->rsp, .rip = r->rip, .eflags = r->rflags};
    c->cs = (u16)r->cs;
    c->ss = (u16)r->ss;
    c->err = r->error_code;
    c->trapno = t->fault_vector;
    c->cr2 = t->fault_address;
    c->oldmask = old_mask;
    c->fpstate = fpstate;
    f.uc.sigmask = old_mask;
    f.info = *info;
    if (fpu_to_frame(fpstate, 0) || copy_to_user((void __user *)sp, &f, sizeof(f)))
        return -EFAULT;
    r->rdi = (u64)sig;
    r->rsi = sp + offsetof(struct rt_sigframe_64, info);
    r->rdx = sp + offsetof(struct rt_sigframe_64, uc);
    r->rax = 0;
    r->rsp = sp;
    r->rip = a->handler;
    r->cs = USER_CS;
    /* A stack segment of the program's own that 64-bit code can use stays,
     * as on Linux (in 64-bit mode its base and limit do not apply). */
    if (r->ss != USER_DS)
        r->ss = usable_stack_segment(r->ss);
    r->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
    return 0;
}

static void fill_sigcontext_32(struct sigcontext_32 *c, const struct regs *r, u32 fpstate, u64 old_mask)
{
    u64 fs, gs, ds, es;
    __asm__ volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(fs), "=r"(gs));
    __asm__ volatile("mov %%ds, %0; mov %%es, %1" : "=r"(ds), "=r"(es));
    *c = (struct sigcontext_32){
        .gs = (u16)gs, .fs = (u16)fs, .es = (u16)es, .ds = (u16)ds,
        .edi = (u32)r->rdi, .esi = (u32)r->rsi, .ebp = (u32)r->rbp, .esp = (u32)r->rsp,
        .ebx = (u32)r->rbx, .edx = (u32)r->rdx, .ecx = (u32)r->rcx, .eax = (u32)r->rax,
        .trapno = (u32)current_task()->fault_vector, .err = (u32)r->error_code, .eip = (u32)r->rip,
        .cs = (u16)r->cs, .eflags = (u32)r->rflags, .esp_at_signal = (u32)r->rsp, .ss = (u16)r->ss,
        .fpstate = fpstate, .oldmask = (u32)old_mask, .cr2 = (u32)current_task()->fault_address,
    };
}

/* The most stack one signal frame takes, the worst case of the alignments
 * setup_frame_64 and setup_frame_32 make, rounded to 64 bytes as Linux
 * rounds the AT_MINSIGSTKSZ it gives a new program. */
u64 signal_frame_max_size(bool is32)
{
    u64 size = is32 ? FPSTATE32_LEGACY + frame_fpu_size() + 63 + sizeof(struct rt_sigframe_32) + 15 + 4
                    : 128 + frame_fpu_size() + 63 + sizeof(struct rt_sigframe_64) + 15 + 8;
    return ALIGN_UP(size, 64);
}

static int setup_frame_32(struct task *t, const struct ksiginfo *info, const struct k_sigaction *a, struct regs *r,
                          u64 old_mask)
{
    int sig = info->si_signo;
    bool rt = a->flags & SA_SIGINFO;
    u64 sp = signal_stack(t, a, (u32)r->rsp);
    u64 frame_size = rt ? sizeof(struct rt_sigframe_32) : sizeof(struct sigframe_32);
    sp = ALIGN_DOWN(sp - FPSTATE32_LEGACY - frame_fpu_size(), 64);
    u64 fpstate = sp;
    sp = ALIGN_DOWN(sp - frame_size, 16) - 4; /* as after a call */
    u32 restorer = (a->flags & SA_RESTORER) ? (u32)a->restorer
                                            : (u32)(rt ? vdso32_rt_sigreturn() : vdso32_sigreturn());
    u8 fsave_header[FPSTATE32_LEGACY];
    memset(fsave_header, 0, sizeof(fsave_header));
    u16 magic = X86_FXSR_MAGIC;
    memcpy(fsave_header + 110, &magic, 2);
    if (copy_to_user((void __user *)fpstate, fsave_header, sizeof(fsave_header)) ||
        fpu_to_frame(fpstate + FPSTATE32_LEGACY, FPSTATE32_LEGACY))
        return -EFAULT;
    if (rt) {
        struct rt_sigframe_32 f;
        memset(&f, 0, sizeof(f));
        f.pretcode = restorer;
        f.sig = sig;
        f.pinfo = (u32)(sp + offsetof(struct rt_sigframe_32, info));
        f.puc = (u32)(sp + offsetof(struct rt_sigframe_32, uc));
        siginfo_to_compat(info, &f.info);
        f.uc.ss_sp = (u32)t->altstack_sp;
        f.uc.ss_size = (u32)t->altstack_size;
        f.uc.ss_flags = t->altstack_size ? 0 : SS_DISABLE;
        f.uc.uc_flags = (u32)frame_uc_flags();
        fill_sigcontext_32(&f.uc.mcontext, r, (u32)fpstate, old_mask);
        f.uc.sigmask = old_mask;
        if (copy_to_user((void __user *)sp, &f, sizeof(f)))
            return -EFAULT;
    } else {
        struct sigframe_32 f;
        memset(&f, 0, sizeof(f));
        f.pretcode = restorer;
        f.sig = sig;
        fill_sigcontext_32(&f.sc, r, (u32)fpstate, old_mask);
        f.extramask = (u32)(old_mask >> 32);
        if (copy_to_user((void __user *)sp, &f, sizeof(f)))
            return -EFAULT;
    }
    /* The handler gets the signal number on the stack (and in eax, edx, ecx
     * for -mregparm programs, as Linux does). */
    r->rax = (u64)sig;
    r->rdx = rt ? sp + offsetof(struct rt_sigframe_32, info) : 0;
    r->rcx = rt ? sp + offsetof(struct rt_sigframe_32, uc) : 0;
    r->rsp = sp;
    r->rip = (u32)a->handler;
    r->cs = USER32_CS;
    r->ss = USER_DS;
    /* The handler runs flat whatever segments the program was using (a
     * 16-bit data segment of its LDT, say), as Linux's ia32 frames. */
    load_user_segment(ds, USER_DS);
    load_user_segment(es, USER_DS);
    r->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
    return 0;
}

/* ---- delivery ---- */

#define I386_NR_RESTART_SYSCALL 0
#define X86_64_NR_RESTART_SYSCALL 219

/* An interrupted call's fate, as Linux decides it: ERESTARTNOINTR always
 * restarts; ERESTARTSYS unless a handler without SA_RESTART runs;
 * ERESTARTNOHAND and ERESTART_RESTARTBLOCK only when no handler runs (a
 * stop and continue, an ignored signal), the latter through restart_syscall.
 * `a` is the handler about to run, NULL when none. */
static void restart_or_interrupt(struct regs *r, const struct k_sigaction *a)
{
    s64 result = (s64)r->rax;
    bool handler = a && a->handler != SIG_DFL_VALUE && a->handler != SIG_IGN_VALUE;
    switch (result) {
    case -ERESTARTNOINTR:
        break;
    case -ERESTARTSYS:
        if (handler && !(a->flags & SA_RESTART)) {
            r->rax = (u64)-EINTR;
            return;
        }
        break;
    case -ERESTARTNOHAND:
    case -ERESTART_RESTARTBLOCK:
        if (handler) {
            r->rax = (u64)-EINTR;
            return;
        }
        break;
    default:
        return;
    }
    /* Back to the instruction that made the call: syscall, int $0x80 and,
     * for the 32-bit fast gates, the vDSO's int $0x80 just before its
     * landing pad, with the arguments back in their registers. */
    u32 saved[3]; /* ebp, edx, ecx as the vDSO saved them */
    if (r->cs == USER32_CS && r->rip == this_cpu()->vdso32_landing_pad &&
        !copy_from_user(saved, (const void __user *)(u64)(u32)r->rsp, sizeof(saved))) {
        r->rcx = saved[2];
        r->rdx = saved[1];
        r->rbp = saved[0];
    }
    struct task *t = current_task();
    if (result == -ERESTART_RESTARTBLOCK)
        r->rax = t->syscall_compat ? I386_NR_RESTART_SYSCALL : X86_64_NR_RESTART_SYSCALL;
    else
        r->rax = (s64)r->nr >= 0 ? r->nr : t->syscall_nr;
    r->rip -= 2;
}

/* restart_syscall(2): carries on with what the interrupted call left; once.
 * Called by a program itself, or again, there is nothing to carry on. */
long sys_restart_syscall(void)
{
    struct restart_block *block = &current_task()->restart;
    long (*fn)(struct restart_block *) = block->fn;
    block->fn = NULL;
    return fn ? fn(block) : -EINTR;
}

void stop_current(int sig, bool last);

/* A stop signal's default action stops the whole process (Linux's group
 * stop): the other threads stop on their way out to user space (a sleep
 * ends for it, and the call restarts after SIGCONT), each counted off at
 * the leader; the last to stop tells the parent. Traced threads stop for
 * their tracer instead. */
static void group_stop(int sig)
{
    struct task *t = current_task(), *leader = t->group_leader;
    u64 flags = irq_save();
    int others = 0;
    for (struct task *o = task_first(); o; o = task_next(o)) {
        if (o == t || o->tgid != t->tgid || !thread_alive(o) || o->ptracer || o->state == TASK_STOPPED)
            continue;
        o->group_stop_pending = true;
        task_work_set(o, TASK_WORK_SIGNAL);
        task_wake(o);
        others++;
    }
    leader->group_stop_remaining = others;
    leader->group_stop_signal = sig;
    t->group_stop_pending = false;
    irq_restore(flags);
    stop_current(sig, others == 0);
}

static void join_group_stop(struct task *t)
{
    u64 flags = irq_save();
    bool last = count_off_group_stop(t);
    irq_restore(flags);
    stop_current(t->group_leader->group_stop_signal, last);
}

/* Every deliverable signal gets its frame now, each on top of the one
 * before (the last one's handler runs first), as Linux does; the handlers'
 * masks decide what stays pending for their sigreturns. */
void signal_deliver(struct regs *r)
{
    struct task *t = current_task();
    bool frame_set_up = false;
    for (;;) {
        while (unlikely(t->ptrace_flags & PT_TRAP_PENDING))
            ptrace_trap_stop(); /* a listener continued stops again at once */
        if (unlikely(t->group_stop_pending))
            join_group_stop(t);
        int sig = next_signal(signals_pending(t) & ~t->blocked_signals);
        if (!sig)
            break;
        struct ksiginfo info;
        dequeue_signal(t, sig, &info);
        if (unlikely(t->ptracer) && sig != SIGKILL) {
            sig = ptrace_signal(sig, &info); /* the tracer may change or cancel it */
            if (!sig)
                continue;
        }
        struct k_sigaction *a = &t->sighand->action[sig - 1];
        trace_signal(&info);
        if (sig == SIGKILL || a->handler == SIG_DFL_VALUE) {
            if (SIGBIT(sig) & default_ignore)
                continue;
            if (SIGBIT(sig) & default_stop) {
                if (t->ptracer)
                    ptrace_group_stop(sig);
                else
                    group_stop(sig);
                continue;
            }
            restart_or_interrupt(r, NULL);
            task_exit_group_by_signal(sig);
        }
        if (a->handler == SIG_IGN_VALUE)
            continue;
        restart_or_interrupt(r, a);
        u64 old_mask = t->saved_mask_valid ? t->saved_mask : t->blocked_signals;
        t->saved_mask_valid = false;
        int err = a->flags & SA_IA32_ABI ? setup_frame_32(t, &info, a, r, old_mask)
                                         : setup_frame_64(t, &info, a, r, old_mask);
        if (err) {
            /* No room for the frame (an alternate stack too small, a stack
             * unmapped): SIGSEGV instead, as Linux's force_sigsegv, which kills
             * when the signal that failed was SIGSEGV itself. */
            if (sig == SIGSEGV)
                a->handler = SIG_DFL_VALUE;
            signal_force(SIGSEGV, SI_KERNEL, 0, 0, 0);
            continue;
        }
        signal_set_blocked(t, t->blocked_signals | a->mask | (a->flags & SA_NODEFER ? 0 : SIGBIT(sig)));
        if (a->flags & SA_RESETHAND)
            a->handler = SIG_DFL_VALUE;
        frame_set_up = true;
    }
    if (frame_set_up)
        return;
    restart_or_interrupt(r, NULL);
    if (t->saved_mask_valid) {
        t->saved_mask_valid = false;
        signal_set_blocked(t, t->saved_mask);
    }
}

/* ---- sigreturn ---- */

static long restore_sigcontext_32(struct regs *r, const struct sigcontext_32 *c)
{
    r->rdi = c->edi, r->rsi = c->esi, r->rbp = c->ebp, r->rsp = c->esp;
    r->rbx = c->ebx, r->rdx = c->edx, r->rcx = c->ecx, r->rax = c->eax, r->rip = c->eip;
    r->rflags = (r->rflags & ~USER_FLAGS_MASK) | (c->eflags & USER_FLAGS_MASK);
    /* Any selectors, at privilege level 3, as Linux's ia32 sigreturn: a bad
     * CS or SS faults on the way out (the user's fault), a bad data segment
     * becomes null. %fs and %gs only if the handler changed them, so that
     * their bases stay when it did not. */
    r->cs = c->cs | SELECTOR_RPL_USER;
    r->ss = c->ss | SELECTOR_RPL_USER;
    u64 fs, gs;
    __asm__ volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(fs), "=r"(gs));
    if ((c->gs | SELECTOR_RPL_USER) != gs)
        load_user_gs(c->gs | SELECTOR_RPL_USER);
    if ((c->fs | SELECTOR_RPL_USER) != fs)
        load_user_segment(fs, c->fs | SELECTOR_RPL_USER);
    load_user_segment(ds, c->ds | SELECTOR_RPL_USER);
    load_user_segment(es, c->es | SELECTOR_RPL_USER);
    r->nr = (u64)-1;
    if (c->fpstate && fpu_from_frame((u64)c->fpstate + FPSTATE32_LEGACY))
        return -EFAULT;
    return 0;
}

/* i386's sigreturn, for frames of handlers without SA_SIGINFO. */
long sys_sigreturn(struct regs *r)
{
    current_task()->restart.fn = NULL; /* what the interrupted call left is gone */
    struct task *t = current_task();
    struct sigframe_32 f;
    u64 frame = (u32)r->rsp - 8; /* the restorer popped pretcode and the signal number */
    if (copy_from_user(&f, (const void __user *)frame, sizeof(f)) || restore_sigcontext_32(r, &f.sc))
        task_exit_group_by_signal(SIGSEGV);
    signal_set_blocked(t, f.sc.oldmask | ((u64)f.extramask << 32));
    return (long)r->rax;
}

/* The code and stack segments a 64-bit frame returns to, as Linux's
 * sigreturn takes them: any selectors, with the privilege level forced to
 * 3 (LDT segments of the program's own are fine; a bad one makes the
 * return to user fault, and the fault is the user's: SIGSEGV or SIGBUS).
 * Only a return to 64-bit code without a strict restore gets its SS
 * checked, and the user data segment in place of an unusable one. */
static void restore_segments_64(struct regs *r, const struct sigcontext_64 *c, u64 uc_flags)
{
    r->cs = c->cs | SELECTOR_RPL_USER;
    r->ss = c->ss | SELECTOR_RPL_USER;
    if (!(uc_flags & UC_STRICT_RESTORE_SS) && r->cs == USER_CS)
        r->ss = usable_stack_segment(r->ss);
}

static long restore_sigcontext_64(struct regs *r, const struct sigcontext_64 *c)
{
    r->r8 = c->r8, r->r9 = c->r9, r->r10 = c->r10, r->r11 = c->r11;
    r->r12 = c->r12, r->r13 = c->r13, r->r14 = c->r14, r->r15 = c->r15;
    r->rdi = c->rdi, r->rsi = c->rsi, r->rbp = c->rbp, r->rbx = c->rbx;
    r->rdx = c->rdx, r->rax = c->rax, r->rcx = c->rcx, r->rsp = c->rsp, r->rip = c->rip;
    r->rflags = (r->rflags & ~USER_FLAGS_MASK) | (c->eflags & USER_FLAGS_MASK);
    r->nr = (u64)-1; /* not a system call: nothing to restart */
    return c->fpstate ? fpu_from_frame(c->fpstate) : 0;
}

long sys_rt_sigreturn(struct regs *r)
{
    current_task()->restart.fn = NULL; /* what the interrupted call left is gone */
    struct task *t = current_task();
    if (r->cs == USER32_CS || in_compat_syscall()) {
        struct rt_sigframe_32 f;
        u64 frame = (u32)r->rsp - 4; /* the restorer's ret popped pretcode */
        if (copy_from_user(&f, (const void __user *)frame, sizeof(f)))
            task_exit_group_by_signal(SIGSEGV);
        if (restore_sigcontext_32(r, &f.uc.mcontext))
            task_exit_group_by_signal(SIGSEGV);
        signal_set_blocked(t, f.uc.sigmask);
        return (long)r->rax;
    }
    struct rt_sigframe_64 f;
    u64 frame = r->rsp - 8;
    if (copy_from_user(&f, (const void __user *)frame, sizeof(f)))
        task_exit_group_by_signal(SIGSEGV);
    restore_segments_64(r, &f.uc.mcontext, f.uc.uc_flags);
    if (restore_sigcontext_64(r, &f.uc.mcontext))
        task_exit_group_by_signal(SIGSEGV);
    signal_set_blocked(t, f.uc.sigmask);
    return (long)r->rax;
}

void signal_force(int sig, int code, u64 si_addr, u64 vector, u64 address)
{
    struct task *t = current_task();
    /* As Linux logs "segfault at ..." (sysgate.verbose shows it). */
    kprintf(KERN_INFO "%s[%d]: signal %d, exception %lu at %lx, rip %lx\n", t->comm, t->pid, sig, vector, address,
            current_regs_rip());
    t->fault_vector = vector;
    t->fault_address = address;
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = sig;
    info.si_code = code;
    if (siginfo_layout(sig, code) == LAYOUT_FAULT)
        info.fault.addr = si_addr;
    signal_force_info(&info, false);
}

void signal_force_info(const struct ksiginfo *info, bool default_action)
{
    struct task *t = current_task();
    int sig = info->si_signo;
    struct k_sigaction *a = &t->sighand->action[sig - 1];
    if (default_action || (t->blocked_signals & SIGBIT(sig)) || a->handler == SIG_IGN_VALUE) {
        t->blocked_signals &= ~SIGBIT(sig);
        a->handler = SIG_DFL_VALUE;
    }
    signal_send_info(t, info);
}

/* ---- the system calls ---- */

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

static long do_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *old)
{
    if (sig < 1 || sig > NSIG)
        return -EINVAL;
    struct task *t = current_task();
    struct k_sigaction *a = &t->sighand->action[sig - 1];
    if (old) {
        *old = *a;
        old->flags &= ~SA_IA32_ABI;
    }
    if (act) {
        if (sig == SIGKILL || sig == SIGSTOP)
            return -EINVAL;
        *a = *act;
        a->mask &= ~UNBLOCKABLE;
        /* The handler runs in the ABI it was registered from, whatever code
         * the signal interrupts (Linux's SA_IA32_ABI). */
        a->flags = (a->flags & ~SA_IA32_ABI) | (in_compat_syscall() ? SA_IA32_ABI : 0);
        /* POSIX: setting SIG_IGN (or a default that ignores) discards pending instances. */
        if (ignored(t, sig)) {
            u64 flags = irq_save(); /* the timer's signals change queues too */
            for (struct task *th = task_first(); th; th = task_next(th))
                if (th->tgid == t->tgid && th->state != TASK_DEAD)
                    flush_signal(th, sig);
            irq_restore(flags);
        }
    }
    return 0;
}

long sys_rt_sigaction(int sig, const struct k_sigaction __user *act, struct k_sigaction __user *oact, u64 size)
{
    if (size != 8)
        return -EINVAL;
    struct k_sigaction new_action, old_action;
    if (act && copy_from_user(&new_action, act, sizeof(new_action)))
        return -EFAULT;
    long err = do_sigaction(sig, act ? &new_action : NULL, &old_action);
    if (!err && oact && copy_to_user(oact, &old_action, sizeof(old_action)))
        return -EFAULT;
    return err;
}

struct compat_sigaction {
    u32 handler, flags, restorer;
    u32 mask[2];
};

long compat_sys_rt_sigaction(int sig, const struct compat_sigaction __user *act, struct compat_sigaction __user *oact,
                             u32 size)
{
    if (size != 8)
        return -EINVAL;
    struct compat_sigaction c;
    struct k_sigaction new_action, old_action;
    if (act) {
        if (copy_from_user(&c, act, sizeof(c)))
            return -EFAULT;
        new_action = (struct k_sigaction){c.handler, c.flags, c.restorer, c.mask[0] | ((u64)c.mask[1] << 32)};
    }
    long err = do_sigaction(sig, act ? &new_action : NULL, &old_action);
    if (!err && oact) {
        c = (struct compat_sigaction){(u32)old_action.handler, (u32)old_action.flags, (u32)old_action.restorer,
                                      {(u32)old_action.mask, (u32)(old_action.mask >> 32)}};
        if (copy_to_user(oact, &c, sizeof(c)))
            return -EFAULT;
    }
    return err;
}

long sys_rt_sigprocmask(int how, const u64 __user *set, u64 __user *oset, u64 size)
{
    if (size != 8)
        return -EINVAL;
    struct task *t = current_task();
    u64 old = t->blocked_signals, new_set;
    if (set) {
        if (copy_from_user(&new_set, set, sizeof(new_set)))
            return -EFAULT;
        switch (how) {
        case SIG_BLOCK: signal_set_blocked(t, old | new_set); break;
        case SIG_UNBLOCK: signal_set_blocked(t, old & ~new_set); break;
        case SIG_SETMASK: signal_set_blocked(t, new_set); break;
        default: return -EINVAL;
        }
    }
    if (oset && copy_to_user(oset, &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

long sys_rt_sigpending(u64 __user *set, u64 size)
{
    if (size > 8)
        return -EINVAL;
    struct task *t = current_task();
    u64 pending = signals_pending(t) & t->blocked_signals;
    return copy_to_user(set, &pending, size) ? -EFAULT : 0;
}

/* Waits for a signal with `mask` blocked; the handler runs with it too, then
 * the old mask comes back (signal_deliver). "Fails" with EINTR when a handler
 * runs; a signal that runs none (a stop and continue) restarts the wait. */
static long suspend_with_mask(u64 mask)
{
    struct task *t = current_task();
    t->saved_mask = t->blocked_signals;
    t->saved_mask_valid = true;
    signal_set_blocked(t, mask);
    /* Nothing but a signal wakes this sleep: signal_send wakes the task itself. */
    while (wait_sleep(NULL, NULL, WAIT_NO_DEADLINE) == 0)
        ;
    update_exit_work(t);
    return -ERESTARTNOHAND;
}

long sys_rt_sigsuspend(const u64 __user *mask, u64 size)
{
    if (size != 8)
        return -EINVAL;
    u64 m;
    if (copy_from_user(&m, mask, sizeof(m)))
        return -EFAULT;
    return suspend_with_mask(m);
}

long sys_pause(void) { return suspend_with_mask(current_task()->blocked_signals); }

struct stack_64 {
    u64 ss_sp;
    s32 ss_flags;
    u32 pad;
    u64 ss_size;
};

static long do_sigaltstack(const struct stack_64 *ss, struct stack_64 *old, u64 user_sp)
{
    struct task *t = current_task();
    bool on = t->altstack_size && user_sp - t->altstack_sp < t->altstack_size;
    if (old) {
        *old = (struct stack_64){t->altstack_sp, on ? SS_ONSTACK : t->altstack_flags, 0, t->altstack_size};
        if (!t->altstack_size)
            old->ss_flags = SS_DISABLE;
    }
    if (!ss)
        return 0;
    if (on)
        return -EPERM;
    if (ss->ss_flags & ~(SS_DISABLE | SS_ONSTACK | (1u << 31) /* SS_AUTODISARM */))
        return -EINVAL;
    if (ss->ss_flags & SS_DISABLE) {
        t->altstack_sp = t->altstack_size = 0;
        t->altstack_flags = SS_DISABLE;
        return 0;
    }
    if (ss->ss_size < MINSIGSTKSZ)
        return -ENOMEM;
    t->altstack_sp = ss->ss_sp;
    t->altstack_size = ss->ss_size;
    t->altstack_flags = 0;
    return 0;
}

struct stack_32 {
    u32 ss_sp;
    s32 ss_flags;
    u32 ss_size;
};

/* A whole-frame call: whether the caller is on its alternate stack depends
 * on its stack pointer, which only the full frame has for every gate. */
long sys_sigaltstack(struct regs *r)
{
    u64 a[6];
    long err = syscall_args(r, a);
    if (err)
        return err;
    void __user *uss = (void __user *)a[0], *uold = (void __user *)a[1];
    struct stack_64 ss, old;
    bool compat = in_compat_syscall();
    struct stack_32 c;
    if (uss && compat) {
        if (copy_from_user(&c, uss, sizeof(c)))
            return -EFAULT;
        ss = (struct stack_64){c.ss_sp, c.ss_flags, 0, c.ss_size};
    } else if (uss && copy_from_user(&ss, uss, sizeof(ss))) {
        return -EFAULT;
    }
    err = do_sigaltstack(uss ? &ss : NULL, uold ? &old : NULL, compat ? (u32)r->rsp : r->rsp);
    if (err || !uold)
        return err;
    if (compat) {
        c = (struct stack_32){(u32)old.ss_sp, old.ss_flags, (u32)old.ss_size};
        return copy_to_user(uold, &c, sizeof(c)) ? -EFAULT : 0;
    }
    return copy_to_user(uold, &old, sizeof(old)) ? -EFAULT : 0;
}

/* ---- sending ---- */

/* What kill (SI_USER) and tkill (SI_TKILL) tell the receiver: who sent it. */
static void sender_info(struct ksiginfo *info, int sig, int code)
{
    memset(info, 0, sizeof(*info));
    info->si_signo = sig;
    info->si_code = code;
    info->rt.pid = current_task()->tgid;
}

/* Linux's check_kill_permission: one's own processes (by real or effective
 * uid against the target's real or saved one), anyone with CAP_KILL, and
 * SIGCONT within the session. Signal 0 asks the same question. */
static bool may_signal(struct task *target, int sig)
{
    struct task *me = current_task();
    if (target->tgid == me->tgid || capable(CAP_KILL))
        return true;
    const struct cred *c = current_cred(), *tc = task_cred(target);
    if (c->euid == tc->suid || c->euid == tc->uid || c->uid == tc->suid || c->uid == tc->uid)
        return true;
    return sig == SIGCONT && target->group_leader->sid == me->group_leader->sid;
}

static long send_checked(struct task *target, const struct ksiginfo *info, bool whole_process)
{
    if (!may_signal(target, info->si_signo))
        return -EPERM;
    if (info->si_signo == 0)
        return 0;
    return whole_process ? signal_send_process_info(target, info) : signal_send_info(target, info);
}

static long kill_with_info(pid_t pid, const struct ksiginfo *info)
{
    struct task *me = current_task();
    if (pid > 0) {
        struct task *t = task_find(pid);
        if (!t || t->group_leader != t)
            return -ESRCH;
        if (!process_alive(t))
            return may_signal(t, info->si_signo) ? 0 : -EPERM; /* a zombie takes (and ignores) signals until reaped */
        return send_checked(t, info, true);
    }
    /* 0: my process group; -1: everyone but init and me; < -1: group -pid. */
    pid_t pgid = pid == 0 ? me->pgid : -pid;
    bool found = false, delivered = false;
    long err = 0;
    for (struct task *t = task_first(); t; t = task_next(t)) {
        if (t->group_leader != t || !process_alive(t))
            continue;
        if (pid == -1 ? (t->pid == 1 || t->tgid == me->tgid) : t->pgid != pgid)
            continue;
        found = true;
        long one = send_checked(t, info, true);
        delivered |= !one;
        /* kill(-1) reports no EPERM; a group reports the last error if none took it */
        if (one && (pid != -1 || one != -EPERM))
            err = one;
    }
    if (!found)
        return -ESRCH;
    return delivered && pid != -1 ? 0 : err;
}

long sys_kill(pid_t pid, int sig)
{
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    struct ksiginfo info;
    sender_info(&info, sig, SI_USER);
    return kill_with_info(pid, &info);
}

/* The thread tid of group tgid (any group when tgid is 0), or NULL. */
static struct task *find_thread(pid_t tgid, pid_t tid)
{
    struct task *t = task_find(tid);
    if (!t || (tgid && t->tgid != tgid) || t->state == TASK_ZOMBIE)
        return NULL;
    return t;
}

long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
    if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG)
        return -EINVAL;
    struct task *t = find_thread(tgid, tid);
    if (!t)
        return -ESRCH;
    struct ksiginfo info;
    sender_info(&info, sig, SI_TKILL);
    return send_checked(t, &info, false);
}

long sys_tkill(pid_t tid, int sig)
{
    if (tid <= 0 || sig < 0 || sig > NSIG)
        return -EINVAL;
    struct task *t = find_thread(0, tid);
    if (!t)
        return -ESRCH;
    struct ksiginfo info;
    sender_info(&info, sig, SI_TKILL);
    return send_checked(t, &info, false);
}

/* rt_sigqueueinfo and rt_tgsigqueueinfo send the caller's siginfo. Only the
 * kernel sends codes >= 0 and only tkill sends SI_TKILL: a process may claim
 * them towards itself alone (the target is its own thread id). */
static long may_claim_code(const struct ksiginfo *info, pid_t target)
{
    if ((info->si_code >= 0 || info->si_code == SI_TKILL) && target != current_task()->pid)
        return -EPERM;
    return 0;
}

long sys_rt_sigqueueinfo(pid_t pid, int sig, const void __user *uinfo)
{
    struct ksiginfo info;
    long err = siginfo_from_user(&info, uinfo);
    if (err)
        return err;
    info.si_signo = sig;
    err = may_claim_code(&info, pid);
    if (err)
        return err;
    struct task *t = pid > 0 ? task_find(pid) : NULL;
    if (!t || t->group_leader != t)
        return -ESRCH;
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (!process_alive(t))
        return may_signal(t, sig) ? 0 : -EPERM;
    return send_checked(t, &info, true);
}

long sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, const void __user *uinfo)
{
    struct ksiginfo info;
    long err = siginfo_from_user(&info, uinfo);
    if (err)
        return err;
    info.si_signo = sig;
    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    err = may_claim_code(&info, tid);
    if (err)
        return err;
    struct task *t = find_thread(tgid, tid);
    if (!t)
        return -ESRCH;
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    return send_checked(t, &info, false);
}

/* ---- waiting for a signal without a handler ---- */

/* Takes the next pending signal of `set` off the current thread's queue;
 * 0 when none is pending. */
static int dequeue_from_set(u64 set, struct ksiginfo *info)
{
    struct task *t = current_task();
    u64 flags = irq_save();
    int sig = next_signal(signals_pending(t) & set);
    if (sig)
        dequeue_signal(t, sig, info);
    irq_restore(flags);
    return sig;
}

int signal_dequeue(u64 set, struct ksiginfo *info) { return dequeue_from_set(set, info); }

/* rt_sigtimedwait: the signals of `set` stay blocked (so that ignored ones
 * are queued too) and wake the sleep; another signal's handler interrupts
 * it (EINTR), and the timeout ends it (EAGAIN). */
static long sigtimedwait(u64 set, void __user *uinfo, bool has_timeout, u64 timeout_ns)
{
    struct task *t = current_task();
    bool compat = in_compat_syscall(); /* the caller's, before other tasks run */
    set &= ~UNBLOCKABLE;
    struct ksiginfo info;
    u64 now = monotonic_ns();
    u64 deadline = !has_timeout ? WAIT_NO_DEADLINE : timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
    /* Interrupts stay off from each look at the queue to the sleep: a signal
     * sent in between wakes the sleep instead of being missed. */
    u64 flags = irq_save();
    int sig;
    while (!(sig = dequeue_from_set(set, &info))) {
        t->waiting_for_signals = set;
        int err = wait_sleep(NULL, NULL, deadline);
        t->waiting_for_signals = 0;
        if (err && !(sig = dequeue_from_set(set, &info))) {
            irq_restore(flags);
            return err == -ETIMEDOUT ? -EAGAIN : -EINTR;
        }
    }
    irq_restore(flags);
    if (uinfo && siginfo_to_user(uinfo, &info, compat))
        return -EFAULT;
    return sig;
}

static long sigtimedwait_set(const u64 __user *uset, u64 size, u64 *set)
{
    if (size != 8)
        return -EINVAL;
    return copy_from_user(set, uset, sizeof(*set)) ? -EFAULT : 0;
}


long sys_rt_sigtimedwait(const u64 __user *uset, void __user *uinfo, const struct timespec_k __user *uts, u64 size)
{
    u64 set;
    long err = sigtimedwait_set(uset, size, &set);
    if (err)
        return err;
    struct timespec_k ts = {0, 0};
    if (uts && copy_from_user(&ts, uts, sizeof(ts)))
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (u64)ts.tv_nsec >= NSEC_PER_SEC)
        return -EINVAL;
    return sigtimedwait(set, uinfo, uts, (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec);
}

/* i386's rt_sigtimedwait with 32-bit seconds (rt_sigtimedwait_time64 is the
 * 64-bit call's). */
long compat_sys_rt_sigtimedwait_time32(const u64 __user *uset, void __user *uinfo, const s32 __user *uts, u32 size)
{
    u64 set;
    long err = sigtimedwait_set(uset, size, &set);
    if (err)
        return err;
    s32 ts[2] = {0, 0}; /* tv_sec, tv_nsec */
    if (uts && copy_from_user(ts, uts, sizeof(ts)))
        return -EFAULT;
    if (ts[0] < 0 || ts[1] < 0 || (u32)ts[1] >= NSEC_PER_SEC)
        return -EINVAL;
    return sigtimedwait(set, uinfo, uts, (u64)ts[0] * NSEC_PER_SEC + (u64)ts[1]);
}
