/*
 * seccomp(2) and prctl's PR_SET_SECCOMP (docs/seccomp.md). Strict mode
 * allows read, write, exit and sigreturn; filter mode runs every installed
 * classic-BPF filter (kernel/lib/bpf.c) on each call's struct seccomp_data
 * and acts on the most restrictive answer. Filters form a chain from the
 * newest back to the first; a task holds a reference to its newest, each
 * filter one to the one before it, so fork, clone and TSYNC share them.
 *
 * The check runs on system-call entry after a tracer's syscall-entry stop,
 * as Linux's syscall_trace_enter; a task with seccomp makes every call take
 * the full path (syscall_full_path_hold).
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "ptrace.h"
#include "seccomp.h"
#include "signal.h"
#include "uaccess.h"

#define MAX_ERRNO 4095
#define MAX_INSNS_PER_PATH 32768 /* all of a task's filters, each counted 4 longer (Linux's) */
#define FILTER_CHAIN_PENALTY 4
#define SECCOMP_FILTER_FLAG_MASK                                                                                     \
    (SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |                         \
     SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
/* Listeners (SECCOMP_RET_USER_NOTIF's) are not supported: the flags that
 * ask for one or depend on one are refused. */
#define SECCOMP_FILTER_FLAG_UNSUPPORTED (SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)

/* Strict mode's calls (Linux's mode1_syscalls and the compat list). */
#define NR_READ_64 0
#define NR_WRITE_64 1
#define NR_RT_SIGRETURN_64 15
#define NR_EXIT_64 60
#define NR_EXIT_32 1
#define NR_READ_32 3
#define NR_WRITE_32 4
#define NR_SIGRETURN_32 119

/* struct sock_fprog in each ABI. */
struct sock_fprog_64 {
    u16 len;
    u8 pad[6];
    u64 filter;
};
struct sock_fprog_32 {
    u16 len;
    u16 pad;
    u32 filter;
};

/* struct seccomp_notif_sizes: what SECCOMP_GET_NOTIF_SIZES reports. */
struct seccomp_notif_sizes {
    u16 seccomp_notif, seccomp_notif_resp, seccomp_data;
};
#define SECCOMP_NOTIF_SIZE (8 + 4 + 4 + sizeof(struct seccomp_data)) /* id, pid, flags, data */
#define SECCOMP_NOTIF_RESP_SIZE (8 + 8 + 4 + 4)                      /* id, val, error, flags */

static void filter_put(struct seccomp_filter *f)
{
    while (f && refcount_put(&f->users)) {
        struct seccomp_filter *prev = f->prev;
        kfree(f);
        f = prev;
    }
}

static void assign_mode(struct task *t, u8 mode)
{
    if (t->seccomp_mode == SECCOMP_MODE_DISABLED)
        syscall_full_path_hold();
    t->seccomp_mode = mode;
}

void seccomp_fork(struct task *child, const struct task *parent)
{
    child->no_new_privs = parent->no_new_privs;
    child->seccomp_filter = parent->seccomp_filter;
    child->seccomp_filter_count = parent->seccomp_filter_count;
    if (child->seccomp_filter)
        refcount_get(&child->seccomp_filter->users);
    if (parent->seccomp_mode)
        assign_mode(child, parent->seccomp_mode);
}

void seccomp_task_free(struct task *t)
{
    if (t->seccomp_mode)
        syscall_full_path_release();
    t->seccomp_mode = SECCOMP_MODE_DISABLED;
    filter_put(t->seccomp_filter);
    t->seccomp_filter = NULL;
}

/* ---- the check on entry ---- */

static void fill_seccomp_data(const struct regs *r, bool compat, struct seccomp_data *sd)
{
    sd->nr = (s32)r->nr;
    sd->arch = compat ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
    sd->instruction_pointer = r->rip;
    const u64 args64[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
    const u64 args32[6] = {(u32)r->rbx, (u32)r->rcx, (u32)r->rdx, (u32)r->rsi, (u32)r->rdi, (u32)r->rbp};
    memcpy(sd->args, compat ? args32 : args64, sizeof(sd->args));
}

/* Actions compare as signed numbers: KILL_PROCESS (the sign bit) is the
 * most restrictive, ALLOW the least. */
static s32 action_rank(u32 ret) { return (s32)(ret & SECCOMP_RET_ACTION_FULL); }

static u32 run_filters(const struct task *t, const struct seccomp_data *sd, const struct seccomp_filter **match)
{
    u32 ret = SECCOMP_RET_ALLOW;
    for (const struct seccomp_filter *f = t->seccomp_filter; f; f = f->prev) {
        u32 now = seccomp_bpf_run(f->insns, f->len, sd);
        if (action_rank(now) < action_rank(ret)) {
            ret = now;
            *match = f;
        }
    }
    return ret;
}

/* SIGSYS as Linux's force_sig_seccomp sends it; with kill, its handler is
 * reset so that it ends the process. */
static void force_sigsys(const struct regs *r, const struct seccomp_data *sd, u32 data, bool kill)
{
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    info.si_signo = SIGSYS;
    info.si_code = SYS_SECCOMP;
    info.si_errno = (s32)data;
    info.sys.call_addr = r->rip;
    info.sys.syscall = sd->nr;
    info.sys.arch = sd->arch;
    signal_force_info(&info, kill);
}

static bool strict_allows(u32 nr, bool compat)
{
    if (compat)
        return nr == NR_READ_32 || nr == NR_WRITE_32 || nr == NR_EXIT_32 || nr == NR_SIGRETURN_32;
    return nr == NR_READ_64 || nr == NR_WRITE_64 || nr == NR_EXIT_64 || nr == NR_RT_SIGRETURN_64;
}

static bool fatal_signal_pending(const struct task *t) { return signals_pending(t) & (1ull << (SIGKILL - 1)); }

static bool filter_check(struct regs *r, bool after_trace)
{
    struct task *t = current_task();
    struct seccomp_data sd;
    const struct seccomp_filter *match = NULL;
    fill_seccomp_data(r, t->syscall_compat, &sd);
    u32 ret = run_filters(t, &sd, &match);
    u32 data = ret & SECCOMP_RET_DATA;
    switch (ret & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_ALLOW: return true;
    case SECCOMP_RET_LOG:
        kprintf(KERN_INFO "seccomp: %s[%d] syscall %d arch %x allowed and logged\n", t->comm, t->pid, sd.nr,
                sd.arch);
        return true;
    case SECCOMP_RET_ERRNO:
        r->rax = (u64)-(long)MIN(data, MAX_ERRNO);
        return false;
    case SECCOMP_RET_TRAP:
        r->rax = r->nr; /* Linux rolls the call back: the handler sees the number */
        force_sigsys(r, &sd, data, false);
        return false;
    case SECCOMP_RET_USER_NOTIF:
        r->rax = (u64)-ENOSYS; /* no listener: Linux's answer too */
        return false;
    case SECCOMP_RET_TRACE:
        if (after_trace)
            return true; /* the tracer has had its say */
        if (!ptrace_seccomp_event(data)) {
            r->rax = (u64)-ENOSYS;
            return false;
        }
        /* The tracer may have skipped the call or changed it: the filters
         * see the call that will run. */
        if (fatal_signal_pending(t) || (s32)r->nr < 0)
            return false;
        return filter_check(r, true);
    default: /* KILL_THREAD, KILL_PROCESS and unknown actions */
        if (match && match->log)
            kprintf(KERN_INFO "seccomp: %s[%d] killed by syscall %d arch %x\n", t->comm, t->pid, sd.nr, sd.arch);
        if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_KILL_THREAD && t->group_leader->live_threads > 1)
            task_exit(SIGSYS);
        /* The last thread or the whole process: a SIGSYS nothing can catch. */
        r->rax = r->nr;
        force_sigsys(r, &sd, data, true);
        return false;
    }
}

bool seccomp_syscall_entry(struct regs *r)
{
    struct task *t = current_task();
    if (t->seccomp_mode == SECCOMP_MODE_STRICT) {
        if (!strict_allows((u32)r->nr, t->syscall_compat)) {
            kprintf(KERN_INFO "seccomp: %s[%d] killed in strict mode by syscall %u\n", t->comm, t->pid, (u32)r->nr);
            task_exit(SIGKILL);
        }
        return true;
    }
    if (t->seccomp_mode == SECCOMP_MODE_FILTER)
        return filter_check(r, false);
    return true;
}

/* ---- installing ---- */

static long set_mode_strict(void)
{
    struct task *t = current_task();
    if (t->seccomp_mode != SECCOMP_MODE_DISABLED && t->seccomp_mode != SECCOMP_MODE_STRICT)
        return -EINVAL;
    assign_mode(t, SECCOMP_MODE_STRICT);
    return 0;
}

/* Copies and checks the program: -EFAULT, -EINVAL, -EACCES (neither
 * no_new_privs nor CAP_SYS_ADMIN), in Linux's order. */
static long prepare_filter(const void __user *uprog, struct seccomp_filter **out)
{
    u16 len;
    u64 insns_addr;
    if (in_compat_syscall()) {
        struct sock_fprog_32 prog;
        if (copy_from_user(&prog, uprog, sizeof(prog)))
            return -EFAULT;
        len = prog.len;
        insns_addr = prog.filter;
    } else {
        struct sock_fprog_64 prog;
        if (copy_from_user(&prog, uprog, sizeof(prog)))
            return -EFAULT;
        len = prog.len;
        insns_addr = prog.filter;
    }
    if (len == 0 || len > BPF_MAXINSNS)
        return -EINVAL;
    if (!current_task()->no_new_privs && !capable(CAP_SYS_ADMIN))
        return -EACCES;
    struct seccomp_filter *f = kmalloc(sizeof(*f) + len * sizeof(struct sock_filter));
    if (!f)
        return -ENOMEM;
    if (copy_from_user(f->insns, (const void __user *)insns_addr, len * sizeof(struct sock_filter))) {
        kfree(f);
        return -EFAULT;
    }
    int err = seccomp_bpf_check(f->insns, len);
    if (err) {
        kfree(f);
        return err;
    }
    refcount_set(&f->users, 1);
    f->prev = NULL;
    f->log = false;
    f->len = len;
    *out = f;
    return 0;
}

static bool is_ancestor(const struct seccomp_filter *older, const struct seccomp_filter *f)
{
    if (!older)
        return true;
    for (; f; f = f->prev)
        if (f == older)
            return true;
    return false;
}

static bool same_process_thread(const struct task *o, const struct task *me)
{
    return o != me && o->tgid == me->tgid && o->state != TASK_DEAD && o->state != TASK_ZOMBIE;
}

/* TSYNC: every other thread must have no filter or one of ours; returns
 * the first that has not (0: all can follow). */
static pid_t thread_that_cannot_sync(const struct task *me)
{
    for (struct task *o = task_first(); o; o = task_next(o)) {
        if (!same_process_thread(o, me))
            continue;
        if (o->seccomp_mode == SECCOMP_MODE_DISABLED ||
            (o->seccomp_mode == SECCOMP_MODE_FILTER && is_ancestor(o->seccomp_filter, me->seccomp_filter)))
            continue;
        return o->pid;
    }
    return 0;
}

static void sync_threads(struct task *me)
{
    for (struct task *o = task_first(); o; o = task_next(o)) {
        if (!same_process_thread(o, me))
            continue;
        refcount_get(&me->seccomp_filter->users);
        filter_put(o->seccomp_filter);
        o->seccomp_filter = me->seccomp_filter;
        o->seccomp_filter_count = me->seccomp_filter_count;
        if (me->no_new_privs)
            o->no_new_privs = true;
        if (o->seccomp_mode == SECCOMP_MODE_DISABLED)
            assign_mode(o, SECCOMP_MODE_FILTER);
    }
}

static long attach_filter(struct task *t, u32 flags, struct seccomp_filter *f)
{
    u32 total = f->len;
    for (const struct seccomp_filter *w = t->seccomp_filter; w; w = w->prev)
        total += w->len + FILTER_CHAIN_PENALTY;
    if (total > MAX_INSNS_PER_PATH)
        return -ENOMEM;
    if (flags & SECCOMP_FILTER_FLAG_TSYNC) {
        pid_t failed = thread_that_cannot_sync(t);
        if (failed)
            return (flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH) ? -ESRCH : failed;
    }
    f->log = flags & SECCOMP_FILTER_FLAG_LOG;
    f->prev = t->seccomp_filter; /* the task's reference passes to the new filter */
    t->seccomp_filter = f;
    t->seccomp_filter_count++;
    if (flags & SECCOMP_FILTER_FLAG_TSYNC)
        sync_threads(t);
    return 0;
}

static long set_mode_filter(u32 flags, const void __user *uprog)
{
    struct task *t = current_task();
    if (flags & ~SECCOMP_FILTER_FLAG_MASK)
        return -EINVAL;
    if (flags & SECCOMP_FILTER_FLAG_UNSUPPORTED)
        return -EINVAL;
    struct seccomp_filter *f;
    long err = prepare_filter(uprog, &f);
    if (err)
        return err;
    u64 irq = irq_save(); /* TSYNC changes the other threads' filters */
    if (t->seccomp_mode != SECCOMP_MODE_DISABLED && t->seccomp_mode != SECCOMP_MODE_FILTER)
        err = -EINVAL;
    else
        err = attach_filter(t, flags, f);
    if (!err)
        assign_mode(t, SECCOMP_MODE_FILTER);
    irq_restore(irq);
    if (err)
        filter_put(f);
    return err;
}

static long get_action_avail(const void __user *uaction)
{
    u32 action;
    if (get_user(action, (const u32 __user *)uaction))
        return -EFAULT;
    switch (action) {
    case SECCOMP_RET_KILL_PROCESS:
    case SECCOMP_RET_KILL_THREAD:
    case SECCOMP_RET_TRAP:
    case SECCOMP_RET_ERRNO:
    case SECCOMP_RET_TRACE:
    case SECCOMP_RET_LOG:
    case SECCOMP_RET_ALLOW: return 0;
    default: return -EOPNOTSUPP; /* USER_NOTIF too: there are no listeners */
    }
}

static long get_notif_sizes(void __user *usizes)
{
    const struct seccomp_notif_sizes sizes = {
        .seccomp_notif = SECCOMP_NOTIF_SIZE,
        .seccomp_notif_resp = SECCOMP_NOTIF_RESP_SIZE,
        .seccomp_data = sizeof(struct seccomp_data),
    };
    return copy_to_user(usizes, &sizes, sizeof(sizes)) ? -EFAULT : 0;
}

static long do_seccomp(u32 op, u32 flags, void __user *uargs)
{
    switch (op) {
    case SECCOMP_SET_MODE_STRICT:
        if (flags || uargs)
            return -EINVAL;
        return set_mode_strict();
    case SECCOMP_SET_MODE_FILTER: return set_mode_filter(flags, uargs);
    case SECCOMP_GET_ACTION_AVAIL: return flags ? -EINVAL : get_action_avail(uargs);
    case SECCOMP_GET_NOTIF_SIZES: return flags ? -EINVAL : get_notif_sizes(uargs);
    default: return -EINVAL;
    }
}

long sys_seccomp(u32 op, u32 flags, u64 uargs) { return do_seccomp(op, flags, (void __user *)uargs); }

long seccomp_prctl_set(u64 mode, u64 uprog)
{
    switch (mode) {
    case SECCOMP_MODE_STRICT: return do_seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL); /* prctl ignored arg3 here */
    case SECCOMP_MODE_FILTER: return do_seccomp(SECCOMP_SET_MODE_FILTER, 0, (void __user *)uprog);
    default: return -EINVAL;
    }
}

long seccomp_prctl_get(void) { return current_task()->seccomp_mode; }
