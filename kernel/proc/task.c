/* Creating tasks and ending them. */
#include "apic.h"
#include "cred.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "hypervisor.h"
#include "ipc.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "ptrace.h"
#include "seccomp.h"
#include "signal.h"
#include "syscall.h"
#include "time.h"
#include "uaccess.h"
#include "futex.h"
#include "x86.h"

static void kstack_release(u64 base, u64 mapped);
static pid_t next_pid = 1;
static struct task *all_tasks;

struct task *task_find(pid_t pid)
{
    for (struct task *t = all_tasks; t; t = t->next_task)
        if (t->pid == pid && t->state != TASK_DEAD)
            return t;
    return NULL;
}

struct task *init_task(void) { return task_find(1); }

struct task *task_first(void) { return all_tasks; }
struct task *task_next(struct task *t) { return t->next_task; }

extern void ret_to_user_from_new_task(void);
void sched_exit_current(void);
void sched_remove_task(struct task *t);
void task_count_reaped(void);

struct regs *task_regs(struct task *t) { return (struct regs *)(t->kstack + KERNEL_STACK_SIZE) - 1; }

/*
 * Kernel stacks live in slots of their own virtual region, each with an
 * unmapped page below it: running off the end of a stack faults (and the
 * double-fault handler, on its own stack, reports it) instead of silently
 * overwriting whatever page came next.
 */
#define MAX_KSTACKS 1024
static u8 kstack_used[MAX_KSTACKS];

static u64 kstack_alloc(void)
{
    for (int slot = 0; slot < MAX_KSTACKS; slot++) {
        if (kstack_used[slot])
            continue;
        u64 base = KSTACK_BASE + (u64)slot * KSTACK_SLOT + PAGE_SIZE; /* the guard page first */
        for (u64 off = 0; off < KERNEL_STACK_SIZE; off += PAGE_SIZE) {
            phys_addr_t page = pages_alloc(1);
            if (!page || map_page(kernel_pml4, base + off, page, PTE_WRITE | supported_pte_nx | PTE_GLOBAL)) {
                if (page)
                    page_free(page);
                kstack_release(base, off);
                return 0;
            }
        }
        kstack_used[slot] = 1;
        return base;
    }
    return 0;
}

/* Unmaps and frees the first `mapped` bytes of the stack at base. */
static void kstack_release(u64 base, u64 mapped)
{
    for (u64 off = 0; off < mapped; off += PAGE_SIZE) {
        u64 *pte = pte_lookup(kernel_pml4, base + off, false);
        if (pte && (*pte & PTE_PRESENT)) {
            page_free(*pte & PTE_ADDR_MASK);
            *pte = 0;
            invlpg(base + off);
        }
    }
    kstack_used[(base - KSTACK_BASE) / KSTACK_SLOT] = 0;
}

/* The last pid handed out: pids are not reused, so also the tasks ever created (/proc/stat's processes). */
pid_t last_pid(void) { return next_pid - 1; }

/* A task that will start in user space with the registers in task_regs(). */
struct task *task_create(void)
{
    task_free_dead_threads();
    struct task *t = kzalloc(sizeof(*t));
    if (!t)
        return NULL;
    t->kstack = kstack_alloc();
    t->fpu = fpu_alloc();
    if (!t->kstack || !t->fpu) {
        if (t->kstack)
            kstack_release(t->kstack, KERNEL_STACK_SIZE);
        fpu_free(t->fpu);
        kfree(t);
        return NULL;
    }
    t->pid = t->tgid = next_pid++;
    t->start_ns = monotonic_ns();
    t->state = TASK_RUNNABLE;
    t->group_leader = t;
    t->live_threads = 1;
    t->exit_signal = SIGCHLD;
    t->altstack_flags = SS_DISABLE;
    t->cred = cred_get(root_cred());
    rlimit_set_defaults(t);
    struct regs *r = task_regs(t);
    memset(r, 0, sizeof(*r));
    r->cs = USER_CS;
    r->ss = USER_DS;
    r->rflags = 0x202;
    /* switch_stacks pops six callee-saved registers, then returns. */
    u64 *frame = (u64 *)r - 7;
    memset(frame, 0, 6 * sizeof(u64));
    frame[6] = (u64)ret_to_user_from_new_task;
    t->saved_rsp = (u64)frame;
    t->next_task = all_tasks;
    all_tasks = t;
    return t;
}

static int exit_code_for_host(int wait_status)
{
    int signal = wait_status & 0x7f;
    return signal ? 128 + signal : (wait_status >> 8) & 0xff;
}

void fs_info_get(struct fs_info *fs) { refcount_get(&fs->users); }

void fs_info_put(struct fs_info *fs)
{
    if (fs && refcount_put(&fs->users)) {
        inode_put(fs->cwd);
        kfree(fs);
    }
}

/* PR_SET_PDEATHSIG: each thread of `child` that asked for a signal at its
 * parent's end has it sent to its process, as from the parent (SI_USER). */
static void signal_parent_death(struct task *child)
{
    for (struct task *t = task_first(); t; t = task_next(t)) {
        if (t->group_leader != child || !t->pdeath_signal || t->state == TASK_DEAD)
            continue;
        struct ksiginfo info;
        memset(&info, 0, sizeof(info));
        info.si_signo = t->pdeath_signal;
        info.si_code = SI_USER;
        info.rt.pid = current_task()->tgid;
        info.rt.uid = current_cred()->uid;
        signal_send_process_info(child, &info);
    }
}

/* The exiting process's children go to init, which reaps them. */
static void reparent_children(struct task *leader)
{
    struct task *init = init_task();
    while (leader->children) {
        struct task *child = leader->children;
        signal_parent_death(child);
        leader->children = child->sibling;
        child->parent = init;
        child->parent_thread = init->pid;
        child->sibling = init->children;
        init->children = child;
        if (child->state == TASK_ZOMBIE)
            wake_up(&init->child_events);
    }
}

/* A thread ends while others of its process live: the processes it made
 * pass to another of them, and get their PR_SET_PDEATHSIG signal (Linux's
 * parent is the thread, forget_original_parent). */
static void pass_children_to_another_thread(struct task *t, struct task *leader)
{
    struct task *heir = NULL;
    for (struct task *other = task_first(); other && !heir; other = task_next(other))
        if (other->tgid == t->tgid && other != t && other->state != TASK_DEAD && other->state != TASK_ZOMBIE)
            heir = other;
    for (struct task *child = leader->children; child && heir; child = child->sibling)
        if (child->parent_thread == t->pid) {
            child->parent_thread = heir->pid;
            signal_parent_death(child);
        }
}

/* CLONE_CHILD_CLEARTID: zero the thread id word and wake a futex waiter. */
static void clear_child_tid(struct task *t)
{
    if (!t->clear_child_tid || !t->mm)
        return;
    u32 zero = 0;
    if (copy_to_user((void __user *)t->clear_child_tid, &zero, sizeof(zero)) == 0)
        futex_wake(t->mm, t->clear_child_tid, 1);
}

/* The last thread of a process has ended: its parent may collect it now,
 * with the group's status (exit_group's or the fatal signal's, else the last
 * thread's own, as Linux reports it), and its children go to init. */
static void group_ended(struct task *leader, int wait_status)
{
    leader->wait_status = leader->group_exiting ? leader->group_exit_status : wait_status;
    reparent_children(leader);
    ptrace_exit_tracer(leader);
    if (ptrace_notify_exit(leader))
        return; /* its tracer first; the parent when the tracer has seen it */
    if (leader->parent) {
        wake_up_all(&leader->parent->child_events);
        notify_parent_of_exit(leader);
    }
}

noreturn void task_exit(int wait_status)
{
    struct task *t = current_task();
    struct task *leader = t->group_leader;
    trace_exit_task(wait_status);
    if (t->pid == 1)
        machine_poweroff(exit_code_for_host(wait_status));
    if (unlikely(t->ptracer))
        ptrace_exit_notify(wait_status);
    futex_exit(t);
    if (leader->live_threads == 1) {
        sem_exit(t->tgid);
        posix_timers_exit(leader);
    }
    clear_child_tid(t);
    files_put(t->files);
    t->files = NULL;
    fs_info_put(t->fs);
    t->fs = NULL;
    sighand_put(t->sighand);
    t->sighand = NULL;
    if (t->mm) {
        struct mm *mm = t->mm;
        t->mm = NULL;
        write_cr3(kernel_pml4);
        mm_put(mm);
    }
    if (t->vfork_parent_waiting) {
        t->vfork_parent_waiting = false;
        wake_up_all(&t->vfork_done);
    }
    u64 flags = irq_save();
    /* A thread other than the leader vanishes (freed by the next
     * task_free_dead_threads); the leader stays a zombie until reaped. */
    t->state = leader == t ? TASK_ZOMBIE : TASK_DEAD;
    if (leader != t && t->ptracer) {
        /* A traced thread stays until its tracer has seen its exit. */
        t->state = TASK_ZOMBIE;
        t->wait_status = wait_status;
        ptrace_notify_exit(t);
    }
    if (leader->live_threads > 1) {
        pass_children_to_another_thread(t, leader);
        signal_thread_ending(t);
    }
    if (--leader->live_threads == 0)
        group_ended(leader, wait_status);
    else
        wake_up_all(&leader->thread_exits);
    sched_exit_current();
    schedule();
    panic("a dead task was scheduled");
    irq_restore(flags);
}

void task_free_dead_threads(void)
{
    u64 flags = irq_save();
    struct task *t = all_tasks;
    while (t) {
        struct task *next = t->next_task;
        if (t->state == TASK_DEAD && t != t->group_leader && t != current_task()) {
            task_free(t);
            task_count_reaped();
        }
        t = next;
    }
    irq_restore(flags);
}

/* Frees what a reaped task still holds: its kernel stack and itself. Never
 * the running task's (a task cannot free the stack it runs on). */
void task_free(struct task *t)
{
    alarm_cancel(t);
    signal_queue_free(t);
    for (struct task **link = &all_tasks; *link; link = &(*link)->next_task) {
        if (*link == t) {
            *link = t->next_task;
            break;
        }
    }
    kstack_release(t->kstack, KERNEL_STACK_SIZE);
    fpu_free(t->fpu);
    cred_put(t->cred);
    seccomp_task_free(t);
    kfree(t);
}

noreturn void task_die_by_signal(int signal) { task_exit(signal & 0x7f); }

/* Every other thread of the group gets SIGKILL and ends on its way back to
 * user space (each releases what it holds itself); the first exit_group or
 * fatal signal sets the status the parent sees. */
noreturn void task_exit_group(int wait_status)
{
    struct task *me = current_task();
    struct task *leader = me->group_leader;
    u64 flags = irq_save();
    if (!leader->group_exiting) {
        leader->group_exiting = true;
        leader->group_exit_status = wait_status;
        for (struct task *t = all_tasks; t; t = t->next_task)
            if (t != me && t->tgid == me->tgid && t->state != TASK_DEAD && t->state != TASK_ZOMBIE)
                signal_send(t, SIGKILL);
    }
    irq_restore(flags);
    task_exit(wait_status);
}

noreturn void task_exit_group_by_signal(int signal) { task_exit_group(signal & 0x7f); }

/* execve ends the process's other threads (Linux's de_thread): they exit as
 * by exit_group, with status 0, and the caller, which goes on with the new
 * program, waits until it is the only one left. A caller that is not the
 * leader keeps its own thread id (Linux gives it the leader's). */
void task_end_other_threads(void)
{
    struct task *me = current_task();
    struct task *leader = me->group_leader;
    u64 flags = irq_save();
    if (leader->live_threads > 1 && !leader->group_exiting) {
        leader->group_exiting = true;
        leader->group_exit_status = 0;
        for (struct task *t = all_tasks; t; t = t->next_task)
            if (t != me && t->tgid == me->tgid && t->state != TASK_DEAD && t->state != TASK_ZOMBIE)
                signal_send(t, SIGKILL);
        /* Only SIGKILL ends the wait; another pending signal would end each
         * sleep at once, so the CPU goes to the ending threads instead. */
        while (leader->live_threads > 1 && !(signals_pending(me) & SIGBIT(SIGKILL)))
            if (wait_sleep(&leader->thread_exits, NULL, WAIT_NO_DEADLINE))
                schedule();
        leader->group_exiting = false;
    }
    irq_restore(flags);
}
