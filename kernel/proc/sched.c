/*
 * A round-robin scheduler over one run queue. The boot thread becomes the idle
 * task once init is running. Timer interrupts (the time slice's, or a
 * sleeper's deadline) ask for a reschedule; it happens on the way back to
 * user space (interrupt_dispatch) or when a task sleeps (wait_queue.c).
 */
#include "apic.h"
#include "cpu.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "time.h"
#include "x86.h"

static struct task idle_task;
static struct task *run_queue; /* circular list through next_run, idle excluded */
/* A reschedule is work on the way back to user space (cpu.exit_work). */
void sched_tick(void) { this_cpu()->exit_work |= EXIT_WORK_RESCHED; }

void sched_init(void)
{
    idle_task.pid = 0;
    idle_task.state = TASK_RUNNABLE;
    strlcpy(idle_task.comm, "swapper", sizeof(idle_task.comm));
    this_cpu()->current = &idle_task;
}

void sched_add(struct task *t)
{
    u64 flags = irq_save();
    if (!run_queue) {
        t->next_run = t;
        run_queue = t;
    } else {
        t->next_run = run_queue->next_run;
        run_queue->next_run = t;
    }
    time_slice_start();
    irq_restore(flags);
}

static void sched_remove(struct task *t)
{
    if (!run_queue)
        return;
    struct task *prev = run_queue;
    while (prev->next_run != t) {
        prev = prev->next_run;
        if (prev == run_queue && prev->next_run != t)
            return;
    }
    if (prev == t)
        run_queue = NULL;
    else {
        prev->next_run = t->next_run;
        if (run_queue == t)
            run_queue = prev;
    }
    t->next_run = NULL;
}

static void switch_address_space(struct task *next)
{
    phys_addr_t pml4 = next->mm ? next->mm->pml4 : kernel_pml4;
    if (read_cr3() != pml4)
        write_cr3(pml4);
}

extern void switch_stacks(u64 *save_rsp, u64 new_rsp);

static void switch_to(struct task *next)
{
    struct task *prev = current_task();
    if (prev == next)
        return;
    __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
    __asm__ volatile("fxrstor64 %0" ::"m"(next->fpu));
    /* The user's %fs and %gs: selectors (32-bit programs point them at their
     * TLS descriptors) and bases (64-bit programs set those directly). The
     * user's %gs is the inactive one while we run, hence the swapgs pair. */
    __asm__ volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(prev->fs_selector), "=r"(prev->gs_selector));
    prev->fs_base = rdmsr(MSR_FS_BASE);
    prev->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
    switch_address_space(next);
    gdt_load_tls(next->tls);
    __asm__ volatile("mov %0, %%fs; swapgs; mov %1, %%gs; swapgs" ::"r"(next->fs_selector), "r"(next->gs_selector));
    wrmsr(MSR_FS_BASE, next->fs_base);
    wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
    if (next != &idle_task)
        tss_set_kernel_stack(next->kstack + KERNEL_STACK_SIZE);
    this_cpu()->current = next;
    if (next->pending_signals & ~next->blocked_signals)
        this_cpu()->exit_work |= EXIT_WORK_SIGNAL;
    else
        this_cpu()->exit_work &= ~EXIT_WORK_SIGNAL;
    switch_stacks(&prev->saved_rsp, next->saved_rsp);
}

static struct task *pick_next(void)
{
    struct task *cur = current_task();
    struct task *start = (cur != &idle_task && cur->next_run) ? cur->next_run : run_queue;
    if (!start)
        return &idle_task;
    struct task *t = start;
    do {
        if (t->state == TASK_RUNNABLE)
            return t;
        t = t->next_run;
    } while (t != start);
    return &idle_task;
}

void schedule(void)
{
    u64 flags = irq_save();
    this_cpu()->exit_work &= ~EXIT_WORK_RESCHED;
    struct task *next = pick_next();
    if (next != &idle_task)
        run_queue = next;
    switch_to(next);
    irq_restore(flags);
}

void schedule_if_needed(void)
{
    if (this_cpu()->exit_work & EXIT_WORK_RESCHED)
        schedule();
}

/* The last stop before user space for every gate's slow exit, entered with
 * interrupts off. Runs a whole-frame system call noted by ptregs_stub, then
 * reschedules if asked. Returns whether the gate's fast return instruction
 * may still be used. */
bool exit_to_user(struct regs *r, bool fast_return_ok)
{
    struct cpu *cpu = this_cpu();
    if (cpu->exit_work & EXIT_WORK_PTREGS) {
        cpu->exit_work &= ~EXIT_WORK_PTREGS;
        bool abi32 = cpu->ptregs_abi32;
        r->nr = cpu->ptregs_nr;
        cpu->in_compat_syscall = abi32;
        sti();
        r->rax = (u64)(abi32 ? ptregs_table_32 : ptregs_table_64)[r->nr](r);
        cli();
        this_cpu()->in_compat_syscall = 0;
        fast_return_ok = false;
    }
    schedule_if_needed();
    if (cpu->exit_work & EXIT_WORK_SIGNAL) {
        this_cpu()->exit_work &= ~EXIT_WORK_SIGNAL;
        signal_deliver(r);
        fast_return_ok = false;
    }
    return fast_return_ok;
}

/* From a wake-up (wait.h), a signal or a timer: the task gets the CPU at
 * the next schedule(), and the running one a time slice to share it by. */
void task_wake(struct task *t)
{
    if (t->state != TASK_SLEEPING)
        return;
    t->state = TASK_RUNNABLE;
    time_slice_start();
}

/* A stopping signal's default action: the process waits for SIGCONT, and
 * its parent can see it stopped (waitpid with WUNTRACED). */
void stop_current(int sig)
{
    struct task *t = current_task();
    u64 flags = irq_save();
    t->stop_signal = sig;
    t->stop_reported = false;
    t->state = TASK_STOPPED;
    t->continue_pending = false;
    notify_parent_of_stop(t);
    schedule();
    irq_restore(flags);
}

/* The boot thread's last job: wait for work, forever. */
noreturn void sched_start(void)
{
    for (;;) {
        schedule();
        /* Nothing to run: no time slice either, so the CPU sleeps until a
         * timer somebody asked for is due or a device interrupts. */
        cpu_idle_enter();
        __asm__ volatile("sti; hlt; cli" ::: "memory");
        cpu_idle_exit();
    }
}

void sched_exit_current(void) { sched_remove_task(current_task()); }

void sched_remove_task(struct task *t)
{
    u64 flags = irq_save();
    sched_remove(t);
    irq_restore(flags);
}
