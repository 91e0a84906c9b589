/*
 * fork, vfork and clone: a new task that starts in user space with a copy of
 * the caller's registers (rax 0), sharing or copying the address space, the
 * open files and the current directory as the clone flags say. Memory is
 * copied on write (mm/vma.c).
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "ptrace.h"
#include "seccomp.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "x86.h"

long tls_set(struct task *t, void __user *uinfo);
u64 tls_selector_base(const struct task *t, u64 selector, u64 otherwise);

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NAMESPACES 0x7e020000 /* NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET */

#define MAX_TASKS 512 /* beyond it fork fails with EAGAIN, as at RLIMIT_NPROC */

static int live_tasks = 1;

struct files *files_copy(struct files *parent);

static int check_flags(u64 flags)
{
    if (flags & CLONE_NAMESPACES)
        return -EINVAL; /* sysgate has no namespaces: refused, not faked */
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -EINVAL;
    if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
        return -EINVAL;
    if (flags & CLONE_PIDFD)
        return -EINVAL; /* no pidfds yet */
    return 0;
}

/* The heart of all three: returns the child's pid or a negative errno. */
static long do_clone(struct regs *r, u64 flags, u64 new_stack, u64 parent_tid, u64 child_tid, u64 tls)
{
    struct task *parent = current_task();
    int err = check_flags(flags);
    if (err)
        return err;
    if (live_tasks >= MAX_TASKS)
        return -EAGAIN;
    err = rlimit_nproc_check();
    if (err)
        return err;
    struct task *child = task_create();
    if (!child)
        return -EAGAIN;

    if (flags & CLONE_VM) {
        child->mm = parent->mm;
        mm_get(child->mm);
    } else {
        child->mm = mm_copy(parent->mm);
    }
    if (flags & CLONE_FILES) {
        child->files = parent->files;
        files_get(child->files);
    } else {
        child->files = files_copy(parent->files);
    }
    if (flags & CLONE_FS) {
        child->fs = parent->fs;
        fs_info_get(child->fs);
    } else if ((child->fs = kmalloc(sizeof(*child->fs)))) {
        *child->fs = *parent->fs;
        refcount_set(&child->fs->users, 1);
        inode_get(child->fs->cwd);
    }
    if (flags & CLONE_SIGHAND) {
        child->sighand = parent->sighand;
        sighand_get(child->sighand);
    } else if ((child->sighand = sighand_create())) {
        memcpy(child->sighand->action, parent->sighand->action, sizeof(child->sighand->action));
    }
    cred_put(child->cred);
    child->cred = cred_get(parent->cred);
    seccomp_fork(child, parent);
    if (!(flags & CLONE_THREAD))
        memcpy(child->rlim, parent->group_leader->rlim, sizeof(child->rlim));
    child->blocked_signals = parent->blocked_signals;
    child->altstack_sp = parent->altstack_sp;
    child->altstack_size = parent->altstack_size;
    child->altstack_flags = parent->altstack_flags;
    memcpy(child->tls, parent->tls, sizeof(child->tls));
    child->fs_base = rdmsr(MSR_FS_BASE);
    child->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
    __asm__ volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(child->fs_selector), "=r"(child->gs_selector));
    __asm__ volatile("mov %%ds, %0; mov %%es, %1" : "=r"(child->ds_selector), "=r"(child->es_selector));
    err = !child->mm || !child->files || !child->fs || !child->sighand ? -ENOMEM : 0;
    if (!err && (flags & CLONE_SETTLS)) {
        if (in_compat_syscall()) {
            err = (int)tls_set(child, (void __user *)tls); /* i386: a struct user_desc */
            /* The child's %gs (and %fs) bases follow its own descriptors. */
            child->gs_base = tls_selector_base(child, child->gs_selector, child->gs_base);
            child->fs_base = tls_selector_base(child, child->fs_selector, child->fs_base);
        } else {
            child->fs_base = tls;
        }
    }
    if (err) {
        if (child->mm)
            mm_put(child->mm);
        if (child->files)
            files_put(child->files);
        fs_info_put(child->fs);
        sighand_put(child->sighand);
        task_free(child);
        return err;
    }

    /* Registers: the caller's, with 0 as the call's result. */
    struct regs *cr = task_regs(child);
    *cr = *r;
    cr->rax = 0;
    if (new_stack)
        cr->rsp = new_stack;
    fpu_save(child->fpu);
    child->compat = parent->compat;
    strlcpy(child->comm, parent->comm, sizeof(child->comm));
    strlcpy(child->exe_path, parent->exe_path, sizeof(child->exe_path));
    child->pgid = parent->pgid;
    child->sid = parent->sid;
    child->personality = parent->group_leader->personality;
    if (parent->reset_on_fork) {
        child->policy = SCHED_NORMAL;
        child->nice = MAX(parent->nice, 0);
    } else {
        child->policy = parent->policy;
        child->rt_priority = parent->rt_priority;
        child->nice = parent->nice;
    }
    child->robust_list = 0;
    rseq_fork(child, parent, flags);

    struct task *leader = parent->group_leader;
    if (flags & CLONE_THREAD) {
        child->tgid = parent->tgid;
        child->group_leader = leader;
        child->parent = leader->parent;
        child->exit_signal = 0;
        leader->live_threads++;
    } else {
        struct task *new_parent = (flags & CLONE_PARENT) ? leader->parent : leader;
        child->parent = new_parent;
        child->parent_thread = (flags & CLONE_PARENT) ? leader->parent_thread : parent->pid;
        child->exit_signal = (int)(flags & CSIGNAL);
        child->sibling = new_parent->children;
        new_parent->children = child;
    }
    pid_t pid = child->pid;
    if (flags & CLONE_CHILD_CLEARTID)
        child->clear_child_tid = child_tid;
    if (flags & CLONE_PARENT_SETTID)
        put_user((s32)pid, (s32 __user *)parent_tid);
    /* The child's own word: in a new address space that is the child's
     * copy-on-write page, which the write makes its own, not the parent's. */
    s32 child_pid = (s32)pid;
    if (flags & CLONE_CHILD_SETTID)
        copy_to_mm(child->mm, child_tid, &child_pid, sizeof(child_pid));
    live_tasks++;
    if (flags & CLONE_VFORK)
        child->vfork_parent_waiting = true;
    if (unlikely(parent->ptracer))
        ptrace_fork_attach(child, flags, child->exit_signal);
    sched_add(child);
    if (unlikely(parent->ptracer))
        ptrace_fork_report(child, flags, child->exit_signal);
    /* vfork: the parent sleeps until the child has exec'd or exited. */
    /* (uninterruptible, as on Linux: the child borrows our memory) */
    u64 irqs = irq_save();
    while ((flags & CLONE_VFORK) && child->vfork_parent_waiting)
        if (wait_sleep(&child->vfork_done, NULL, WAIT_NO_DEADLINE))
            schedule(); /* a signal: it waits until the child is done */
    irq_restore(irqs);
    if ((flags & CLONE_VFORK) && unlikely(parent->ptracer))
        ptrace_vfork_done(pid);
    return pid;
}

void task_count_reaped(void) { live_tasks--; }


long sys_fork(struct regs *r) { return do_clone(r, SIGCHLD, 0, 0, 0, 0); }
long sys_vfork(struct regs *r) { return do_clone(r, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0); }

/* x86-64: clone(flags, stack, parent_tid, child_tid, tls); i386 passes tls
 * before child_tid. */
long sys_clone(struct regs *r)
{
    u64 a[6];
    int err = syscall_args(r, a);
    if (err)
        return err;
    if (in_compat_syscall())
        return do_clone(r, a[0], a[1], a[2], a[4], a[3]);
    return do_clone(r, a[0], a[1], a[2], a[3], a[4]);
}
