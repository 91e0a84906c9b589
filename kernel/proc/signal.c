/*
 * Signals: sending, masks, actions, and delivery on the way back to user
 * space, with Linux's signal frames for 64-bit and 32-bit programs and the
 * sigreturn calls that undo them. Sleeping system calls wake up when a signal
 * arrives and return -ERESTARTSYS: restarted when the handler has SA_RESTART
 * (or there is no handler), EINTR otherwise.
 */
#include "compat.h"
#include "cpu.h"
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "vdso.h"
#include "x86.h"

u64 current_regs_rip(void);

#define SIGBIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static const u64 default_ignore = SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGWINCH) | SIGBIT(SIGURG);
static const u64 default_stop = SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU);

struct sighand *sighand_create(void)
{
    struct sighand *h = kzalloc(sizeof(*h));
    if (h)
        h->users = 1;
    return h;
}

void sighand_put(struct sighand *h)
{
    if (h && --h->users == 0)
        kfree(h);
}

/* execve: handlers go back to the default (they pointed into the old program);
 * ignored signals stay ignored. */
void signals_reset_on_exec(struct task *t)
{
    struct sighand *h = t->sighand;
    if (h->users > 1) {
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

static void update_exit_work(struct task *t)
{
    if (t == current_task() && (t->pending_signals & ~t->blocked_signals))
        this_cpu()->exit_work |= EXIT_WORK_SIGNAL;
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

/* A child stopped or continued: its parent gets SIGCHLD unless it asked not
 * to (SA_NOCLDSTOP), and a parent waiting in waitpid wakes. */
void notify_parent_of_stop(struct task *child)
{
    struct task *parent = child->group_leader->parent;
    if (!parent)
        return;
    wake_up(parent);
    if (!(parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
        signal_send_process(parent, SIGCHLD);
}

void signal_send(struct task *t, int sig)
{
    if (sig <= 0 || sig > NSIG || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
        return;
    u64 flags = irq_save();
    if (sig == SIGCONT || sig == SIGKILL) {
        /* Continuing (and killing) wakes a stopped process at once. */
        t->pending_signals &= ~default_stop;
        if (t->state == TASK_STOPPED) {
            t->state = TASK_RUNNABLE;
            if (sig == SIGCONT) {
                t->continue_pending = true;
                notify_parent_of_stop(t);
            }
        }
    }
    if (SIGBIT(sig) & default_stop)
        t->pending_signals &= ~SIGBIT(SIGCONT);
    if (ignored(t, sig) && !(SIGBIT(sig) & t->blocked_signals) && sig != SIGKILL) {
        irq_restore(flags);
        return;
    }
    t->pending_signals |= SIGBIT(sig);
    update_exit_work(t);
    if (t->state == TASK_SLEEPING && (SIGBIT(sig) & ~t->blocked_signals))
        t->state = TASK_RUNNABLE; /* the sleeper sees the signal and returns */
    irq_restore(flags);
}

/* A process-wide signal goes to the first thread that does not block it. */
void signal_send_process(struct task *leader, int sig)
{
    struct task *target = NULL;
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->tgid == leader->tgid && t->state != TASK_DEAD && t->state != TASK_ZOMBIE &&
            !(SIGBIT(sig) & t->blocked_signals)) {
            target = t;
            break;
        }
    /* All block it: it waits at a live thread (the leader unless it has ended). */
    for (struct task *t = task_first(); t && !target; t = task_next(t))
        if (t->tgid == leader->tgid && t->state != TASK_DEAD && t->state != TASK_ZOMBIE)
            target = t;
    if (target)
        signal_send(target, sig);
}

bool signal_pending(void)
{
    struct task *t = current_task();
    return t->pending_signals & ~t->blocked_signals;
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

struct siginfo_k {
    s32 si_signo, si_errno, si_code;
    s32 pad;
    s32 si_pid;
    u32 si_uid;
    u8 rest[104];
};
_Static_assert(sizeof(struct siginfo_k) == 128, "siginfo is 128 bytes");

struct rt_sigframe_64 {
    u64 pretcode;
    struct ucontext_64 uc;
    struct siginfo_k info;
};

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
    u64 sigmask;
};

struct rt_sigframe_32 {
    u32 pretcode;
    s32 sig;
    u32 pinfo, puc;
    struct siginfo_k info;
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
 * the "FXSR follows" magic), then the fxsave image. */
#define FPSTATE32_LEGACY 112
#define FPSTATE32_SIZE (FPSTATE32_LEGACY + 512)
#define X86_FXSR_MAGIC 0x0000
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

/* The flags a user may set through sigreturn: the arithmetic ones, TF, DF,
 * AC and the like, never IF, IOPL or VM. */
#define USER_FLAGS_MASK 0x44dd5ul /* AC | OF | DF | TF | SF | ZF | AF | PF | CF | RF */

static void fpu_save_current(struct fpu_state *out) { __asm__ volatile("fxsave64 %0" : "=m"(*out)); }

/* Loads an fxsave image from user space; a bad MXCSR would make fxrstor
 * fault in the kernel, so its reserved bits are cleared first. */
static int fpu_restore_from_user(const void __user *image)
{
    struct fpu_state fpu;
    if (copy_from_user(&fpu, image, sizeof(fpu)))
        return -EFAULT;
    u32 mxcsr;
    memcpy(&mxcsr, &fpu.bytes[24], 4);
    mxcsr &= 0xffbf;
    memcpy(&fpu.bytes[24], &mxcsr, 4);
    __asm__ volatile("fxrstor64 %0" ::"m"(fpu));
    return 0;
}

static u64 signal_stack(struct task *t, const struct k_sigaction *a, u64 sp)
{
    bool on_altstack = sp - t->altstack_sp < t->altstack_size;
    if ((a->flags & SA_ONSTACK) && t->altstack_size && !(t->altstack_flags & SS_DISABLE) && !on_altstack)
        return t->altstack_sp + t->altstack_size;
    return sp;
}

static int setup_frame_64(struct task *t, int sig, const struct k_sigaction *a, struct regs *r, u64 old_mask)
{
    u64 sp = signal_stack(t, a, r->rsp) - 128; /* skip the red zone */
    sp = ALIGN_DOWN(sp - sizeof(struct fpu_state), 64);
    u64 fpstate = sp;
    sp = ALIGN_DOWN(sp - sizeof(struct rt_sigframe_64), 16) - 8;
    struct rt_sigframe_64 f;
    memset(&f, 0, sizeof(f));
    f.pretcode = a->restorer;
    f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
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
    f.info.si_signo = sig;
    f.info.si_code = t->fault_address_valid ? 1 /* SEGV_MAPERR and friends */ : 0 /* SI_USER */;
    if (t->fault_address_valid)
        memcpy(&f.info.si_pid, &t->fault_address, 8); /* si_addr sits where si_pid is */
    struct fpu_state fpu;
    fpu_save_current(&fpu);
    if (copy_to_user((void __user *)fpstate, &fpu, sizeof(fpu)) || copy_to_user((void __user *)sp, &f, sizeof(f)))
        return -EFAULT;
    r->rdi = (u64)sig;
    r->rsi = sp + offsetof(struct rt_sigframe_64, info);
    r->rdx = sp + offsetof(struct rt_sigframe_64, uc);
    r->rax = 0;
    r->rsp = sp;
    r->rip = a->handler;
    r->cs = USER_CS;
    r->ss = USER_DS;
    r->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
    return 0;
}

static void fill_sigcontext_32(struct sigcontext_32 *c, const struct regs *r, u32 fpstate, u64 old_mask)
{
    u64 fs, gs;
    __asm__ volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(fs), "=r"(gs));
    *c = (struct sigcontext_32){
        .gs = (u16)gs, .fs = (u16)fs, .es = USER_DS, .ds = USER_DS,
        .edi = (u32)r->rdi, .esi = (u32)r->rsi, .ebp = (u32)r->rbp, .esp = (u32)r->rsp,
        .ebx = (u32)r->rbx, .edx = (u32)r->rdx, .ecx = (u32)r->rcx, .eax = (u32)r->rax,
        .trapno = (u32)current_task()->fault_vector, .err = (u32)r->error_code, .eip = (u32)r->rip,
        .cs = (u16)r->cs, .eflags = (u32)r->rflags, .esp_at_signal = (u32)r->rsp, .ss = (u16)r->ss,
        .fpstate = fpstate, .oldmask = (u32)old_mask, .cr2 = (u32)current_task()->fault_address,
    };
}

static int setup_frame_32(struct task *t, int sig, const struct k_sigaction *a, struct regs *r, u64 old_mask)
{
    bool rt = a->flags & SA_SIGINFO;
    u64 sp = signal_stack(t, a, (u32)r->rsp);
    u64 frame_size = rt ? sizeof(struct rt_sigframe_32) : sizeof(struct sigframe_32);
    sp = ALIGN_DOWN(sp - FPSTATE32_SIZE, 64);
    u64 fpstate = sp;
    sp = ALIGN_DOWN(sp - frame_size, 16) - 4; /* as after a call */
    u32 restorer = (a->flags & SA_RESTORER) ? (u32)a->restorer
                                            : (u32)(rt ? vdso32_rt_sigreturn() : vdso32_sigreturn());
    u8 fpimage[FPSTATE32_SIZE];
    memset(fpimage, 0, FPSTATE32_LEGACY);
    u16 magic = X86_FXSR_MAGIC;
    memcpy(fpimage + 110, &magic, 2);
    fpu_save_current((struct fpu_state *)(fpimage + FPSTATE32_LEGACY));
    if (copy_to_user((void __user *)fpstate, fpimage, sizeof(fpimage)))
        return -EFAULT;
    if (rt) {
        struct rt_sigframe_32 f;
        memset(&f, 0, sizeof(f));
        f.pretcode = restorer;
        f.sig = sig;
        f.pinfo = (u32)(sp + offsetof(struct rt_sigframe_32, info));
        f.puc = (u32)(sp + offsetof(struct rt_sigframe_32, uc));
        f.info.si_signo = sig;
        f.uc.ss_sp = (u32)t->altstack_sp;
        f.uc.ss_size = (u32)t->altstack_size;
        f.uc.ss_flags = t->altstack_size ? 0 : SS_DISABLE;
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
    r->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
    return 0;
}

/* ---- delivery ---- */

static void restart_or_interrupt(struct regs *r, const struct k_sigaction *a)
{
    if ((s64)r->rax != -ERESTARTSYS)
        return;
    if (a && a->handler != SIG_DFL_VALUE && a->handler != SIG_IGN_VALUE && !(a->flags & SA_RESTART)) {
        r->rax = (u64)-EINTR;
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
    r->rax = (s64)r->nr >= 0 ? r->nr : current_task()->syscall_nr;
    r->rip -= 2;
}

void stop_current(int sig);

void signal_deliver(struct regs *r)
{
    struct task *t = current_task();
    for (;;) {
        u64 deliverable = t->pending_signals & ~t->blocked_signals;
        if (!deliverable)
            break;
        int sig = __builtin_ctzll(deliverable) + 1;
        t->pending_signals &= ~SIGBIT(sig);
        struct k_sigaction *a = &t->sighand->action[sig - 1];
        if (sig == SIGKILL || a->handler == SIG_DFL_VALUE) {
            if (SIGBIT(sig) & default_ignore)
                continue;
            if (SIGBIT(sig) & default_stop) {
                stop_current(sig);
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
        int err = r->cs == USER32_CS ? setup_frame_32(t, sig, a, r, old_mask) : setup_frame_64(t, sig, a, r, old_mask);
        if (err) {
            /* No room for the frame: the program dies as on Linux. */
            task_exit_group_by_signal(SIGSEGV);
        }
        t->blocked_signals |= a->mask & ~UNBLOCKABLE;
        if (!(a->flags & SA_NODEFER))
            t->blocked_signals |= SIGBIT(sig) & ~UNBLOCKABLE;
        if (a->flags & SA_RESETHAND)
            a->handler = SIG_DFL_VALUE;
        t->fault_address_valid = false;
        return; /* one handler at a time; the rest wait for its sigreturn */
    }
    restart_or_interrupt(r, NULL);
    if (t->saved_mask_valid) {
        t->blocked_signals = t->saved_mask;
        t->saved_mask_valid = false;
    }
}

/* ---- sigreturn ---- */

static long restore_sigcontext_32(struct regs *r, const struct sigcontext_32 *c)
{
    r->rdi = c->edi, r->rsi = c->esi, r->rbp = c->ebp, r->rsp = c->esp;
    r->rbx = c->ebx, r->rdx = c->edx, r->rcx = c->ecx, r->rax = c->eax, r->rip = c->eip;
    r->rflags = (r->rflags & ~USER_FLAGS_MASK) | (c->eflags & USER_FLAGS_MASK);
    r->cs = USER32_CS;
    r->ss = USER_DS;
    r->nr = (u64)-1;
    if (c->fpstate && fpu_restore_from_user((const void __user *)(u64)(c->fpstate + FPSTATE32_LEGACY)))
        return -EFAULT;
    return 0;
}

/* i386's sigreturn, for frames of handlers without SA_SIGINFO. */
long sys_sigreturn(struct regs *r)
{
    struct task *t = current_task();
    struct sigframe_32 f;
    u64 frame = (u32)r->rsp - 8; /* the restorer popped pretcode and the signal number */
    if (copy_from_user(&f, (const void __user *)frame, sizeof(f)) || restore_sigcontext_32(r, &f.sc))
        task_exit_group_by_signal(SIGSEGV);
    t->blocked_signals = (f.sc.oldmask | ((u64)f.extramask << 32)) & ~UNBLOCKABLE;
    update_exit_work(t);
    return (long)r->rax;
}

static long restore_sigcontext_64(struct regs *r, const struct sigcontext_64 *c)
{
    r->r8 = c->r8, r->r9 = c->r9, r->r10 = c->r10, r->r11 = c->r11;
    r->r12 = c->r12, r->r13 = c->r13, r->r14 = c->r14, r->r15 = c->r15;
    r->rdi = c->rdi, r->rsi = c->rsi, r->rbp = c->rbp, r->rbx = c->rbx;
    r->rdx = c->rdx, r->rax = c->rax, r->rcx = c->rcx, r->rsp = c->rsp, r->rip = c->rip;
    r->rflags = (r->rflags & ~USER_FLAGS_MASK) | (c->eflags & USER_FLAGS_MASK);
    r->cs = USER_CS;
    r->ss = USER_DS;
    r->nr = (u64)-1; /* not a system call: nothing to restart */
    return c->fpstate ? fpu_restore_from_user((const void __user *)c->fpstate) : 0;
}

long sys_rt_sigreturn(struct regs *r)
{
    struct task *t = current_task();
    if (r->cs == USER32_CS || this_cpu()->in_compat_syscall) {
        struct rt_sigframe_32 f;
        u64 frame = (u32)r->rsp - 4; /* the restorer's ret popped pretcode */
        if (copy_from_user(&f, (const void __user *)frame, sizeof(f)))
            task_exit_group_by_signal(SIGSEGV);
        t->blocked_signals = f.uc.sigmask & ~UNBLOCKABLE;
        if (restore_sigcontext_32(r, &f.uc.mcontext))
            task_exit_group_by_signal(SIGSEGV);
        update_exit_work(t);
        return (long)r->rax;
    }
    struct rt_sigframe_64 f;
    u64 frame = r->rsp - 8;
    if (copy_from_user(&f, (const void __user *)frame, sizeof(f)))
        task_exit_group_by_signal(SIGSEGV);
    t->blocked_signals = f.uc.sigmask & ~UNBLOCKABLE;
    long err = restore_sigcontext_64(r, &f.uc.mcontext);
    if (err)
        task_exit_group_by_signal(SIGSEGV);
    update_exit_work(t);
    return (long)r->rax;
}

void signal_force(int sig, u64 vector, u64 address, bool address_valid)
{
    struct task *t = current_task();
    /* As Linux logs "segfault at ..." (sysgate.verbose shows it). */
    kprintf(KERN_INFO "%s[%d]: signal %d, exception %lu at %lx, rip %lx\n", t->comm, t->pid, sig, vector, address,
            current_regs_rip());
    struct k_sigaction *a = &t->sighand->action[sig - 1];
    if ((t->blocked_signals & SIGBIT(sig)) || a->handler == SIG_IGN_VALUE) {
        t->blocked_signals &= ~SIGBIT(sig);
        a->handler = SIG_DFL_VALUE;
    }
    t->fault_vector = vector;
    t->fault_address = address;
    t->fault_address_valid = address_valid;
    signal_send(t, sig);
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
    if (old)
        *old = *a;
    if (act) {
        if (sig == SIGKILL || sig == SIGSTOP)
            return -EINVAL;
        *a = *act;
        a->mask &= ~UNBLOCKABLE;
        /* POSIX: setting SIG_IGN (or a default that ignores) discards pending instances. */
        if (ignored(t, sig))
            for (struct task *th = task_first(); th; th = task_next(th))
                if (th->tgid == t->tgid)
                    th->pending_signals &= ~SIGBIT(sig);
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
        case SIG_BLOCK: t->blocked_signals |= new_set; break;
        case SIG_UNBLOCK: t->blocked_signals &= ~new_set; break;
        case SIG_SETMASK: t->blocked_signals = new_set; break;
        default: return -EINVAL;
        }
        t->blocked_signals &= ~UNBLOCKABLE;
        update_exit_work(t);
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
    u64 pending = t->pending_signals & t->blocked_signals;
    return copy_to_user(set, &pending, size) ? -EFAULT : 0;
}

/* Waits for a signal with `mask` blocked; the handler runs with it too, then
 * the old mask comes back (signal_deliver). Always "fails" with EINTR. */
static long suspend_with_mask(u64 mask)
{
    struct task *t = current_task();
    t->saved_mask = t->blocked_signals;
    t->saved_mask_valid = true;
    t->blocked_signals = mask & ~UNBLOCKABLE;
    while (sleep_on(&t->saved_mask) == 0)
        ;
    update_exit_work(t);
    return -EINTR;
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
    bool compat = this_cpu()->in_compat_syscall;
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

static long send_checked(struct task *target, int sig, bool whole_process)
{
    if (sig == 0)
        return 0;
    if (whole_process)
        signal_send_process(target, sig);
    else
        signal_send(target, sig);
    return 0;
}

long sys_kill(pid_t pid, int sig)
{
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    struct task *me = current_task();
    if (pid > 0) {
        struct task *t = task_find(pid);
        if (!t || t->group_leader != t)
            return -ESRCH;
        if (!process_alive(t))
            return 0; /* a zombie takes (and ignores) signals until reaped */
        return send_checked(t, sig, true);
    }
    /* 0: my process group; -1: everyone but init and me; < -1: group -pid. */
    pid_t pgid = pid == 0 ? me->pgid : -pid;
    bool found = false;
    for (struct task *t = task_first(); t; t = task_next(t)) {
        if (t->group_leader != t || !process_alive(t))
            continue;
        if (pid == -1 ? (t->pid == 1 || t->tgid == me->tgid) : t->pgid != pgid)
            continue;
        found = true;
        send_checked(t, sig, true);
    }
    return found ? 0 : -ESRCH;
}

long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
    if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG)
        return -EINVAL;
    struct task *t = task_find(tid);
    if (!t || t->tgid != tgid || t->state == TASK_ZOMBIE)
        return -ESRCH;
    return send_checked(t, sig, false);
}

long sys_tkill(pid_t tid, int sig)
{
    if (tid <= 0 || sig < 0 || sig > NSIG)
        return -EINVAL;
    struct task *t = task_find(tid);
    if (!t || t->state == TASK_ZOMBIE)
        return -ESRCH;
    return send_checked(t, sig, false);
}
