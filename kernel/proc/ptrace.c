/*
 * ptrace(2): attaching, the stops a tracee makes (signal-delivery, group,
 * syscall and event stops) and how its tracer resumes it, with Linux's rules
 * (docs/ptrace.md). The registers, the user area and the regsets are in
 * ptrace_regs.c.
 *
 * A tracee's tracer is a process (task.ptracer is its leader): any of its
 * threads may wait for the tracee and make requests. A stop is TASK_TRACED
 * with the status wait reports in task.ptrace_code; the tracer's resuming
 * request puts the signal to deliver there and makes the task runnable.
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "ptrace.h"
#include "signal.h"
#include "syscall.h"
#include "time.h"
#include "uaccess.h"
#include "x86.h"

#define CLD_TRAPPED 4
#define TRACESYSGOOD_BIT 0x80 /* in a syscall-stop's signal with PTRACE_O_TRACESYSGOOD */
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_UNTRACED 0x00800000

long ptrace_regs_request(struct task *t, long request, u64 addr, u64 data, bool compat);

/* While any task is traced or filtered by seccomp every system call takes
 * the full path, so that a tracee always has its whole register frame at a
 * stop and a filter sees every call (entry_64.S). */
extern u64 syscall_64_fast_limit, syscall_32_fast_limit;
static int full_path_tasks;

static void update_fast_paths(void)
{
    bool full = full_path_tasks > 0 || kernel_trace;
    syscall_64_fast_limit = full ? 0 : syscall_count_64;
    syscall_32_fast_limit = full ? 0 : syscall_count_32;
}

void syscall_full_path_hold(void)
{
    u64 flags = irq_save();
    full_path_tasks++;
    update_fast_paths();
    irq_restore(flags);
}

void syscall_full_path_release(void)
{
    u64 flags = irq_save();
    full_path_tasks--;
    update_fast_paths();
    irq_restore(flags);
}

static void ptrace_link(struct task *t, struct task *tracer, u32 flags, u32 options)
{
    t->ptracer = tracer->group_leader;
    t->ptrace_flags = flags;
    t->ptrace_options = options;
    syscall_full_path_hold();
}

static void wake_traced(struct task *t)
{
    if (t->state != TASK_TRACED)
        return;
    t->state = TASK_RUNNABLE;
    time_slice_start();
}

void ptrace_unlink(struct task *t)
{
    u64 flags = irq_save();
    if (t->ptracer) {
        if (t->ptrace_flags & PT_FORCED_TF)
            task_regs(t)->rflags &= ~RFLAGS_TF;
        t->ptracer = NULL;
        t->ptrace_flags = 0;
        t->ptrace_options = 0;
        ptrace_flush_debugregs(t);
        syscall_full_path_release();
    }
    irq_restore(flags);
}

/* The tracer hears of a stop: SIGCHLD (unless it asked for none with
 * SA_NOCLDSTOP) and a wake-up of its waits. */
static void notify_tracer(struct task *t, int why, int status)
{
    struct task *tracer = t->ptracer;
    wake_up_all(&tracer->child_events);
    if (!tracer->sighand || (tracer->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
        return;
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = SIGCHLD;
    info.si_code = why;
    info.chld.pid = t->pid;
    info.chld.uid = task_cred(t)->uid;
    info.chld.status = status & 0x7f;
    info.chld.utime = (s64)(t->user_ns / NS_PER_CLOCK_TICK);
    info.chld.stime = (s64)(t->system_ns / NS_PER_CLOCK_TICK);
    signal_send_process_info(tracer, &info);
}

static bool fatal_signal_pending(const struct task *t) { return signals_pending(t) & SIGBIT(SIGKILL); }

/* Stops the current task for its tracer with `code` (what wait reports:
 * signal | event << 8) until a request resumes it; returns the signal the
 * tracer resumed it with. A task being killed does not stop. */
static int ptrace_stop(int code, enum ptrace_stop_kind kind, int why, struct ksiginfo *info, u64 message)
{
    struct task *t = current_task();
    u64 flags = irq_save();
    if (!t->ptracer || fatal_signal_pending(t)) {
        irq_restore(flags);
        return code;
    }
    /* Any stop is the one a PTRACE_INTERRUPT asked for; a PTRACE_EVENT_STOP
     * also tells of a SIGCONT (Linux's ptrace_stop). */
    t->ptrace_flags &= ~PT_TRAP_STOP;
    if (info && (info->si_code >> 8) == PTRACE_EVENT_STOP)
        t->ptrace_flags &= ~PT_TRAP_NOTIFY;
    t->ptrace_code = code;
    t->ptrace_stop_kind = (u8)kind;
    t->ptrace_siginfo = info;
    t->ptrace_message = message;
    t->ptrace_stop_reported = false;
    t->state = TASK_TRACED;
    notify_tracer(t, why, code);
    schedule();
    /* A SIGKILL woke it: nothing the stop said is to be delivered. */
    int resume = fatal_signal_pending(t) ? 0 : t->ptrace_code;
    t->ptrace_code = 0;
    t->ptrace_stop_kind = PTRACE_STOP_NONE;
    t->ptrace_siginfo = NULL;
    t->ptrace_message = 0;
    irq_restore(flags);
    return resume;
}

/* A stop that carries a siginfo of its own (syscall and event stops, and
 * PTRACE_EVENT_STOP): SIGTRAP, with the status as its code (ptrace_do_notify). */
static int ptrace_notify(int signal, int code, enum ptrace_stop_kind kind, int why, u64 message)
{
    struct task *t = current_task();
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = signal;
    info.si_code = code;
    info.rt.pid = t->pid;
    info.rt.uid = task_cred(t)->uid;
    return ptrace_stop(code, kind, why, &info, message);
}

static bool event_enabled(const struct task *t, int event)
{
    return t->ptracer && (t->ptrace_options & (1u << event));
}

static void ptrace_event(int event, u64 message)
{
    ptrace_notify(SIGTRAP, SIGTRAP | (event << 8), PTRACE_STOP_EVENT, CLD_TRAPPED, message);
}

/* A signal the tracer resumes a syscall-stop with is sent, not delivered
 * in place (Linux's ptrace_report_syscall). */
static void send_resume_signal(int sig)
{
    if (!sig)
        return;
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = sig;
    info.si_code = SI_KERNEL;
    signal_send_info(current_task(), &info);
}

static int syscall_stop_signal(const struct task *t)
{
    return SIGTRAP | ((t->ptrace_options & PTRACE_O_TRACESYSGOOD) ? TRACESYSGOOD_BIT : 0);
}

bool ptrace_syscall_entry(struct regs *r)
{
    struct task *t = current_task();
    /* As Linux's entry: the tracer sees -ENOSYS in rax, and a call it
     * skips returns whatever it leaves there. */
    r->rax = (u64)-ENOSYS;
    if (!(t->ptrace_flags & PT_SYSCALL_TRACE))
        return true;
    int sig = syscall_stop_signal(t);
    send_resume_signal(ptrace_notify(SIGTRAP, sig, PTRACE_STOP_SYSCALL_ENTRY, CLD_TRAPPED,
                                     PTRACE_EVENTMSG_SYSCALL_ENTRY));
    return !fatal_signal_pending(t) && (int)r->nr != -1;
}

bool ptrace_seccomp_event(u64 data)
{
    if (!event_enabled(current_task(), PTRACE_EVENT_SECCOMP))
        return false;
    ptrace_event(PTRACE_EVENT_SECCOMP, data);
    return true;
}

void ptrace_syscall_exit(struct regs *r)
{
    struct task *t = current_task();
    if (t->ptrace_flags & PT_SINGLESTEP) {
        /* The step over the system-call instruction ends here: the trap
         * flag was off in the kernel (Linux's user_single_step_report). */
        signal_force(SIGTRAP, TRAP_BRKPT, r->rip, 1, r->rip);
        return;
    }
    if (!(t->ptrace_flags & PT_SYSCALL_TRACE))
        return;
    int sig = syscall_stop_signal(t);
    send_resume_signal(ptrace_notify(SIGTRAP, sig, PTRACE_STOP_SYSCALL_EXIT, CLD_TRAPPED,
                                     PTRACE_EVENTMSG_SYSCALL_EXIT));
}

int ptrace_signal(int sig, struct ksiginfo *info)
{
    struct task *t = current_task();
    int resume = ptrace_stop(sig, PTRACE_STOP_SIGNAL, CLD_TRAPPED, info, 0);
    if (!resume)
        return 0;
    struct task *tracer = t->ptracer; /* NULL if it let go during the stop */
    if (resume != info->si_signo) {
        /* The tracer chose another signal: it is the sender now. */
        memset(info, 0, sizeof(*info));
        info->si_signo = resume;
        info->si_code = SI_USER;
        if (tracer) {
            info->rt.pid = tracer->tgid;
            info->rt.uid = task_cred(tracer)->uid;
        }
    }
    if ((SIGBIT(resume) & t->blocked_signals) || fatal_signal_pending(t)) {
        signal_send_info(t, info);
        return 0;
    }
    return resume;
}

/* A group-stop as its tracer sees it (Linux's do_jobctl_trap): seized, a
 * PTRACE_EVENT_STOP with a siginfo (PTRACE_LISTEN may keep it stopped);
 * otherwise the signal alone. */
static void group_stop_trap(struct task *t, int sig)
{
    if (t->ptrace_flags & PT_SEIZED) {
        t->ptrace_flags |= PT_GROUP_STOPPED;
        ptrace_notify(sig, sig | (PTRACE_EVENT_STOP << 8), PTRACE_STOP_GROUP, CLD_STOPPED, 0);
    } else {
        ptrace_stop(sig, PTRACE_STOP_GROUP, CLD_STOPPED, NULL, 0);
    }
}

void ptrace_group_stop(int sig) { group_stop_trap(current_task(), sig); }

/* PTRACE_INTERRUPT, a seized new task, a task attached in its group-stop,
 * a listener continued: PTRACE_EVENT_STOP, with the stopping signal while
 * the group-stop lasts. */
void ptrace_trap_stop(void)
{
    struct task *t = current_task();
    t->ptrace_flags &= ~PT_TRAP_PENDING;
    if (t->ptrace_flags & PT_GROUP_STOPPED)
        group_stop_trap(t, t->stop_signal);
    else if (t->ptrace_flags & PT_SEIZED)
        ptrace_notify(SIGTRAP, SIGTRAP | (PTRACE_EVENT_STOP << 8), PTRACE_STOP_EVENT, CLD_STOPPED, 0);
}

static int clone_event(u64 clone_flags, int exit_signal)
{
    if (clone_flags & CLONE_UNTRACED)
        return 0;
    if (clone_flags & CLONE_VFORK)
        return PTRACE_EVENT_VFORK;
    return exit_signal != SIGCHLD ? PTRACE_EVENT_CLONE : PTRACE_EVENT_FORK;
}

void ptrace_fork_attach(struct task *child, u64 clone_flags, int exit_signal)
{
    struct task *parent = current_task();
    int event = clone_event(clone_flags, exit_signal);
    if (!parent->ptracer || !((event && event_enabled(parent, event)) || (clone_flags & CLONE_PTRACE)))
        return;
    ptrace_link(child, parent->ptracer, parent->ptrace_flags & (PT_PTRACED | PT_SEIZED), parent->ptrace_options);
    /* The new task's first stop: PTRACE_EVENT_STOP when seized, else a SIGSTOP. */
    if (child->ptrace_flags & PT_SEIZED)
        child->ptrace_flags |= PT_TRAP_STOP;
    else
        child->pending.set |= SIGBIT(SIGSTOP);
    task_work_set(child, TASK_WORK_SIGNAL);
}

void ptrace_fork_report(struct task *child, u64 clone_flags, int exit_signal)
{
    int event = clone_event(clone_flags, exit_signal);
    if (event && event_enabled(current_task(), event))
        ptrace_event(event, (u64)child->pid);
}

void ptrace_vfork_done(pid_t child)
{
    if (event_enabled(current_task(), PTRACE_EVENT_VFORK_DONE))
        ptrace_event(PTRACE_EVENT_VFORK_DONE, (u64)child);
}

void ptrace_exec_notify(void)
{
    struct task *t = current_task();
    ptrace_flush_debugregs(t); /* the new program starts without the old one's breakpoints */
    if (event_enabled(t, PTRACE_EVENT_EXEC)) {
        ptrace_event(PTRACE_EVENT_EXEC, (u64)t->pid);
    } else if (t->ptracer && !(t->ptrace_flags & PT_SEIZED)) {
        /* The traditional stop after exec: a SIGTRAP the task sends itself. */
        struct ksiginfo info;
        memset(&info, 0, sizeof(info));
        info.si_signo = SIGTRAP;
        info.si_code = SI_USER;
        info.rt.pid = t->tgid;
        info.rt.uid = task_cred(t)->uid;
        signal_send_info(t, &info);
    }
}

void ptrace_exit_notify(int wait_status)
{
    if (event_enabled(current_task(), PTRACE_EVENT_EXIT))
        ptrace_event(PTRACE_EVENT_EXIT, (u64)(u32)wait_status);
}

bool ptrace_notify_exit(struct task *t)
{
    struct task *tracer = t->ptracer;
    if (!tracer || (t == t->group_leader && tracer == t->parent))
        return false;
    wake_up_all(&tracer->child_events);
    struct ksiginfo info;
    siginfo_child_ended(&info, t->pid, t->wait_status);
    info.chld.uid = task_cred(t)->uid;
    signal_send_process_info(tracer, &info);
    return true;
}

void ptrace_release_zombie(struct task *t)
{
    ptrace_unlink(t);
    if (t != t->group_leader) {
        t->state = TASK_DEAD; /* freed by task_free_dead_threads */
        return;
    }
    /* The real parent's turn: it is told of the exit and reaps it. */
    if (t->parent) {
        wake_up_all(&t->parent->child_events);
        notify_parent_of_exit(t);
    }
}

void ptrace_exit_tracer(struct task *leader)
{
    u64 flags = irq_save();
    for (struct task *t = task_first(); t; t = task_next(t)) {
        if (t->ptracer != leader)
            continue;
        if (t->ptrace_options & PTRACE_O_EXITKILL)
            signal_send(t, SIGKILL);
        if (t->state == TASK_ZOMBIE) {
            ptrace_release_zombie(t);
            continue;
        }
        ptrace_unlink(t);
        t->ptrace_code = 0;
        wake_traced(t);
    }
    irq_restore(flags);
}

/* ---- the requests that are not about registers ---- */

/* Linux's __ptrace_may_access for attaching: the caller's real ids are all
 * of the target's ids, or it has CAP_SYS_PTRACE. */
bool ptrace_may_attach(struct task *t)
{
    const struct cred *c = current_cred(), *tc = task_cred(t);
    if (c->uid == tc->uid && c->uid == tc->euid && c->uid == tc->suid && c->gid == tc->gid &&
        c->gid == tc->egid && c->gid == tc->sgid)
        return true;
    return capable(CAP_SYS_PTRACE);
}

static long ptrace_traceme(void)
{
    struct task *me = current_task();
    struct task *parent = me->group_leader->parent;
    if (me->ptracer || !parent)
        return -EPERM;
    ptrace_link(me, parent, PT_PTRACED, 0);
    return 0;
}

static long ptrace_attach(struct task *t, bool seize, u64 addr, u64 options)
{
    struct task *me = current_task();
    if (seize && (addr || (options & ~(u64)PTRACE_O_MASK)))
        return -EIO;
    if (t->tgid == me->tgid || !ptrace_may_attach(t))
        return -EPERM;
    if (t->state == TASK_ZOMBIE || t->state == TASK_DEAD || t->ptracer)
        return -EPERM;
    u64 flags = irq_save();
    ptrace_link(t, me, PT_PTRACED | (seize ? PT_SEIZED : 0), seize ? (u32)options : 0);
    if (!seize)
        signal_send(t, SIGSTOP);
    if (t->state == TASK_STOPPED) {
        /* Already in a group-stop: it leaves it to stop again as a tracee,
         * which its tracer sees. */
        t->ptrace_flags |= PT_TRAP_STOP | PT_GROUP_STOPPED;
        task_work_set(t, TASK_WORK_SIGNAL);
        t->state = TASK_RUNNABLE;
        time_slice_start();
    }
    irq_restore(flags);
    return 0;
}

/* The requests below need a tracee of the caller's in a ptrace stop
 * (PTRACE_KILL and PTRACE_INTERRUPT only one of its tracees): ESRCH otherwise. */
static long check_attached(struct task *t, bool any_state)
{
    if (t->ptracer != current_task()->group_leader)
        return -ESRCH;
    if (!any_state && (t->state != TASK_TRACED || (t->ptrace_flags & PT_LISTENING)))
        return -ESRCH; /* a listening tracee counts as running */
    return 0;
}

static bool valid_signal(u64 sig) { return sig <= NSIG; }

static long ptrace_resume(struct task *t, long request, u64 data)
{
    if (!valid_signal(data))
        return -EIO;
    struct regs *r = task_regs(t);
    u64 flags = irq_save();
    t->ptrace_flags &= ~(PT_SYSCALL_TRACE | PT_SINGLESTEP | PT_LISTENING | PT_GROUP_STOPPED);
    if (request == PTRACE_SYSCALL)
        t->ptrace_flags |= PT_SYSCALL_TRACE;
    if (request == PTRACE_SINGLESTEP) {
        t->ptrace_flags |= PT_SINGLESTEP;
        if (!(r->rflags & RFLAGS_TF)) {
            r->rflags |= RFLAGS_TF;
            t->ptrace_flags |= PT_FORCED_TF;
        }
    } else if (t->ptrace_flags & PT_FORCED_TF) {
        r->rflags &= ~RFLAGS_TF;
        t->ptrace_flags &= ~PT_FORCED_TF;
    }
    t->ptrace_code = (int)data;
    wake_traced(t);
    irq_restore(flags);
    return 0;
}

static long ptrace_detach(struct task *t, u64 data)
{
    if (!valid_signal(data))
        return -EIO;
    u64 flags = irq_save();
    ptrace_unlink(t);
    t->ptrace_code = (int)data;
    wake_traced(t);
    irq_restore(flags);
    return 0;
}

/* Ends a listening tracee's stop so that it stops again, reported. */
static void retrap(struct task *t)
{
    t->ptrace_flags = (t->ptrace_flags & ~PT_LISTENING) | PT_TRAP_STOP;
    if (t->state != TASK_TRACED)
        return;
    task_work_set(t, TASK_WORK_SIGNAL);
    t->ptrace_code = 0;
    wake_traced(t);
}

static long ptrace_interrupt(struct task *t)
{
    if (!(t->ptrace_flags & PT_SEIZED))
        return -EIO;
    u64 flags = irq_save();
    if (t->ptrace_flags & PT_LISTENING) {
        retrap(t);
    } else if (t->state != TASK_TRACED) {
        t->ptrace_flags |= PT_TRAP_STOP;
        task_work_set(t, TASK_WORK_SIGNAL);
        task_wake(t); /* a sleeping call returns, to restart after the stop */
    }
    irq_restore(flags);
    return 0;
}

/* PTRACE_LISTEN: a seized tracee in a PTRACE_EVENT_STOP stays stopped, but
 * its tracer may wait for it again: SIGCONT (or PTRACE_INTERRUPT) makes it
 * stop anew. */
static long ptrace_listen(struct task *t)
{
    const struct ksiginfo *info = t->ptrace_siginfo;
    if (!(t->ptrace_flags & PT_SEIZED) || !info || (info->si_code >> 8) != PTRACE_EVENT_STOP)
        return -EIO;
    u64 flags = irq_save();
    t->ptrace_flags |= PT_LISTENING;
    /* A SIGCONT came since this stop began: the tracer hears of it now. */
    if (t->ptrace_flags & PT_TRAP_NOTIFY)
        retrap(t);
    irq_restore(flags);
    return 0;
}

void ptrace_seized_continued(struct task *t)
{
    t->ptrace_flags = (t->ptrace_flags & ~PT_GROUP_STOPPED) | PT_TRAP_NOTIFY;
    if (t->ptrace_flags & PT_LISTENING)
        retrap(t);
    else if (t->state != TASK_TRACED)
        task_work_set(t, TASK_WORK_SIGNAL);
}

/* A tracee's memory, as Linux's access_process_vm with FOLL_FORCE reaches
 * it: readable mappings read; a write to a private mapping the tracee may
 * not write (its code) goes to a private copy of the page, as a breakpoint
 * must not change the file or other processes. */
int ptrace_poke_forced(struct mm *mm, u64 va, const void *src, size_t len)
{
    const u8 *s = src;
    while (len) {
        size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        struct vma *v = vma_find(mm, va);
        if (!v || (v->flags & VMA_SPECIAL))
            return -EFAULT;
        if (v->prot & PROT_WRITE) {
            if (copy_to_mm(mm, va, s, n))
                return -EFAULT;
        } else {
            if ((v->flags & MAP_TYPE) == MAP_SHARED)
                return -EFAULT;
            u8 probe;
            if (copy_from_mm(mm, &probe, va, 1))
                return -EFAULT;
            u64 *pte = pte_lookup(mm->pml4, ALIGN_DOWN(va, PAGE_SIZE), false);
            if (!pte || !(*pte & PTE_PRESENT))
                return -EFAULT;
            phys_addr_t page = *pte & PTE_ADDR_MASK;
            if ((*pte & PTE_COW) || page_refcount(page) > 1) {
                phys_addr_t copy = pages_alloc(1);
                if (!copy)
                    return -ENOMEM;
                memcpy(phys_to_virt(copy), phys_to_virt(page), PAGE_SIZE);
                *pte = copy | (*pte & ~(PTE_ADDR_MASK | PTE_COW));
                page_free(page);
                page = copy;
                invlpg(ALIGN_DOWN(va, PAGE_SIZE));
            }
            memcpy((u8 *)phys_to_virt(page) + (va & (PAGE_SIZE - 1)), s, n);
        }
        va += n, s += n, len -= n;
    }
    return 0;
}

static long peek_memory(struct task *t, u64 addr, u64 data, bool compat)
{
    u64 word = 0;
    size_t size = compat ? 4 : 8;
    if (!t->mm || copy_from_mm(t->mm, &word, compat ? (u32)addr : addr, size))
        return -EIO;
    if (compat)
        return put_user((u32)word, (u32 __user *)compat_ptr((u32)data)) ? -EFAULT : 0;
    return put_user(word, (u64 __user *)data) ? -EFAULT : 0;
}

static long poke_memory(struct task *t, u64 addr, u64 data, bool compat)
{
    if (!t->mm)
        return -EIO;
    if (compat) {
        u32 word = (u32)data;
        return ptrace_poke_forced(t->mm, (u32)addr, &word, sizeof(word)) ? -EIO : 0;
    }
    return ptrace_poke_forced(t->mm, addr, &data, sizeof(data)) ? -EIO : 0;
}

/* The mask a tracee will have back in user mode: rt_sigsuspend's (and
 * ppoll's) saved one while it waits to be restored, as Linux's
 * saved_sigmask. */
static long ptrace_get_sigmask(struct task *t, u64 size, u64 data)
{
    if (size != sizeof(u64))
        return -EINVAL;
    u64 mask = t->saved_mask_valid ? t->saved_mask : t->blocked_signals;
    return put_user(mask, (u64 __user *)data) ? -EFAULT : 0;
}

/* The new mask replaces any saved one, so it is the one the tracee keeps;
 * signal_set_blocked drops SIGKILL and SIGSTOP from it. */
static long ptrace_set_sigmask(struct task *t, u64 size, u64 data)
{
    if (size != sizeof(u64))
        return -EINVAL;
    u64 mask;
    if (get_user(mask, (const u64 __user *)data))
        return -EFAULT;
    u64 flags = irq_save();
    t->saved_mask_valid = false;
    signal_set_blocked(t, mask);
    irq_restore(flags);
    return 0;
}

/* The pending instance at index `off` of a queue, copied under the lock. */
static bool pending_at(const struct sigpending *p, u64 off, struct ksiginfo *info)
{
    u64 flags = irq_save();
    const struct sigqueue *q = p->queue;
    while (q && off--)
        q = q->next;
    if (q)
        *info = q->info;
    irq_restore(flags);
    return q != NULL;
}

/* Copies up to nr pending siginfos from index off in the tracer's siginfo
 * layout; the count copied, or EFAULT when the first copy fails. */
static long ptrace_peek_siginfo(struct task *t, u64 addr, u64 data, bool compat)
{
    struct ptrace_peeksiginfo_args args;
    if (copy_from_user(&args, (const void __user *)addr, sizeof(args)))
        return -EFAULT;
    if ((args.flags & ~PTRACE_PEEKSIGINFO_SHARED) || args.nr < 0)
        return -EINVAL;
    const struct sigpending *p =
        args.flags & PTRACE_PEEKSIGINFO_SHARED ? &t->group_leader->shared_pending : &t->pending;
    long copied = 0;
    while (copied < args.nr) {
        struct ksiginfo info;
        if (!pending_at(p, args.off + (u64)copied, &info))
            break;
        if (siginfo_to_user((void __user *)(data + (u64)copied * sizeof(info)), &info, compat))
            return copied ? copied : -EFAULT;
        copied++;
        if (signal_pending())
            break; /* a long copy gives way to the tracer's own signals, as Linux's */
    }
    return copied;
}

static long ptrace_request(struct task *t, long request, u64 addr, u64 data, bool compat)
{
    switch (request) {
    case PTRACE_PEEKTEXT:
    case PTRACE_PEEKDATA: return peek_memory(t, addr, data, compat);
    case PTRACE_POKETEXT:
    case PTRACE_POKEDATA: return poke_memory(t, addr, data, compat);
    case PTRACE_CONT:
    case PTRACE_SYSCALL:
    case PTRACE_SINGLESTEP: return ptrace_resume(t, request, data);
    case PTRACE_KILL:
        signal_send(t, SIGKILL);
        return 0;
    case PTRACE_DETACH: return ptrace_detach(t, data);
    case PTRACE_INTERRUPT: return ptrace_interrupt(t);
    case PTRACE_LISTEN: return ptrace_listen(t);
    case PTRACE_SETOPTIONS:
        if (data & ~(u64)PTRACE_O_MASK)
            return -EINVAL;
        t->ptrace_options = (u32)data;
        return 0;
    case PTRACE_GETEVENTMSG:
        if (compat)
            return put_user((u32)t->ptrace_message, (u32 __user *)compat_ptr((u32)data)) ? -EFAULT : 0;
        return put_user(t->ptrace_message, (u64 __user *)data) ? -EFAULT : 0;
    case PTRACE_GETSIGINFO:
        if (!t->ptrace_siginfo)
            return -EINVAL;
        return siginfo_to_user((void __user *)data, t->ptrace_siginfo, compat);
    case PTRACE_SETSIGINFO: {
        if (!t->ptrace_siginfo)
            return -EINVAL;
        struct ksiginfo info;
        long err = siginfo_from_user(&info, (const void __user *)data);
        if (!err)
            *t->ptrace_siginfo = info;
        return err;
    }
    case PTRACE_GETSIGMASK: return ptrace_get_sigmask(t, addr, data);
    case PTRACE_SETSIGMASK: return ptrace_set_sigmask(t, addr, data);
    case PTRACE_PEEKSIGINFO: return ptrace_peek_siginfo(t, addr, data, compat);
    default: return ptrace_regs_request(t, request, addr, data, compat);
    }
}

static long do_ptrace(long request, pid_t pid, u64 addr, u64 data, bool compat)
{
    if (request == PTRACE_TRACEME)
        return ptrace_traceme();
    struct task *t = pid > 0 ? task_find(pid) : NULL;
    if (!t)
        return -ESRCH;
    if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)
        return ptrace_attach(t, request == PTRACE_SEIZE, addr, data);
    long err = check_attached(t, request == PTRACE_KILL || request == PTRACE_INTERRUPT);
    if (err)
        return err;
    return ptrace_request(t, request, addr, data, compat);
}

long sys_ptrace(long request, long pid, u64 addr, u64 data)
{
    return do_ptrace(request, (pid_t)pid, addr, data, false);
}

/* i386's ptrace from a 32-bit tracer: 32-bit words, registers and user area. */
long compat_sys_ptrace(s32 request, s32 pid, u32 addr, u32 data) { return do_ptrace(request, pid, addr, data, true); }
