/*
 * A round-robin scheduler over each CPU's run queue (struct cpu; one CPU so
 * far). The boot thread becomes the idle task once init is running. Timer
 * interrupts (the time slice's, or a sleeper's deadline) ask for a
 * reschedule; it happens on the way back to user space (exit_to_user) or when
 * a task sleeps (wait_queue.c).
 */
#include "apic.h"
#include "cpu.h"
#include "fs.h"
#include "ldt.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "ptrace.h"
#include "signal.h"
#include "syscall.h"
#include "time.h"
#include "x86.h"

/* The boot CPU's idle task: the boot thread, from sched_start on. */
static struct task boot_idle_task;
static struct fpu_state boot_idle_fpu; /* what the CPU held before the first switch (nothing of use) */

/* The CPU's reschedule request lives in the work of the task it is running,
 * where every exit path looks (Linux's TIF_NEED_RESCHED); schedule() takes it
 * off the task it switches away from, so it never travels with a task. */
void sched_tick(void) { task_work_set(current_task(), TASK_WORK_RESCHED); }

void sched_init(void)
{
    struct cpu *cpu = this_cpu();
    struct task *idle = &boot_idle_task;
    idle->pid = 0;
    idle->fpu = &boot_idle_fpu;
    idle->group_leader = idle; /* its own process, as every task is (signals_pending reads it) */
    idle->state = TASK_RUNNABLE;
    strlcpy(idle->comm, "swapper", sizeof(idle->comm));
    cpu->idle = idle;
    cpu->run_queue = NULL;
    set_current_task(idle);
}

void sched_add(struct task *t)
{
    u64 flags = irq_save();
    struct cpu *cpu = this_cpu();
    if (!cpu->run_queue) {
        t->next_run = t;
        cpu->run_queue = t;
    } else {
        t->next_run = cpu->run_queue->next_run;
        cpu->run_queue->next_run = t;
    }
    time_slice_start();
    irq_restore(flags);
}

static void sched_remove(struct cpu *cpu, struct task *t)
{
    if (!cpu->run_queue)
        return;
    struct task *prev = cpu->run_queue;
    while (prev->next_run != t) {
        prev = prev->next_run;
        if (prev == cpu->run_queue && prev->next_run != t)
            return;
    }
    if (prev == t)
        cpu->run_queue = NULL;
    else {
        prev->next_run = t->next_run;
        if (cpu->run_queue == t)
            cpu->run_queue = prev;
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

/* The task's state that is not on its kernel stack: FPU, segment bases and
 * selectors, address space, TLS descriptors and LDT. The call in progress
 * and its work are in the task already and need nothing here. */
static u64 context_switches;
u64 sched_context_switches(void) { return context_switches; }

static void switch_to(struct cpu *cpu, struct task *next)
{
    struct task *prev = cpu->current;
    if (prev == next)
        return;
    context_switches++;
    fpu_save(prev->fpu);
    fpu_restore(next->fpu);
    /* The user's %fs and %gs: selectors (32-bit programs point them at their
     * TLS descriptors) and bases (64-bit programs set those directly). The
     * user's %gs is the inactive one while we run, hence the swapgs pair. */
    __asm__ volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(prev->fs_selector), "=r"(prev->gs_selector));
    __asm__ volatile("mov %%ds, %0; mov %%es, %1" : "=r"(prev->ds_selector), "=r"(prev->es_selector));
    prev->fs_base = rdmsr(MSR_FS_BASE);
    prev->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
    switch_address_space(next);
    gdt_load_tls(next->tls);
    ldt_load(next->mm);
    /* Reloaded from the tables now in place; a selector whose descriptor
     * went away meanwhile (a cleared LDT entry) becomes null. */
    load_user_segment(ds, next->ds_selector);
    load_user_segment(es, next->es_selector);
    load_user_segment(fs, next->fs_selector);
    load_user_gs(next->gs_selector);
    wrmsr(MSR_FS_BASE, next->fs_base);
    wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
    if (unlikely((prev->debugreg7 | next->debugreg7) & 0xff))
        ptrace_switch_debugregs(prev, next); /* a tracer's breakpoints follow their thread */
    if (next != cpu->idle)
        tss_set_kernel_stack(next->kstack + KERNEL_STACK_SIZE);
    set_current_task(next);
    switch_stacks(&prev->saved_rsp, next->saved_rsp);
}

/* A runnable real-time task first, the highest priority first (the first of
 * equals in round-robin order), then the next runnable task in turn. */
static struct task *pick_next(struct cpu *cpu)
{
    struct task *cur = cpu->current;
    struct task *start = (cur != cpu->idle && cur->next_run) ? cur->next_run : cpu->run_queue;
    if (!start)
        return cpu->idle;
    struct task *t = start, *rt = NULL, *normal = NULL;
    do {
        if (t->state == TASK_RUNNABLE) {
            if (t->rt_priority && (!rt || t->rt_priority > rt->rt_priority))
                rt = t;
            else if (!normal)
                normal = t;
        }
        t = t->next_run;
    } while (t != start);
    return rt ? rt : normal ? normal : cpu->idle;
}

void schedule(void)
{
    u64 flags = irq_save();
    struct cpu *cpu = this_cpu();
    task_work_clear(cpu->current, TASK_WORK_RESCHED);
    struct task *next = pick_next(cpu);
    if (next != cpu->idle)
        cpu->run_queue = next;
    if (next != cpu->current)
        rseq_preempt(cpu->current);
    switch_to(cpu, next);
    irq_restore(flags);
}

void schedule_if_needed(void)
{
    if (current_task()->work & TASK_WORK_RESCHED)
        schedule();
}

/* The last stop before user space for every gate's slow exit, entered with
 * interrupts off. Runs a whole-frame system call noted by ptregs_stub, then
 * reschedules if asked. Returns whether the gate's fast return instruction
 * may still be used. */
bool exit_to_user(struct regs *r, bool fast_return_ok)
{
    struct task *t = current_task();
    if (t->work & TASK_WORK_PTREGS) {
        /* The gate recorded the call's number and ABI in the task. */
        task_work_clear(t, TASK_WORK_PTREGS);
        r->nr = t->syscall_nr;
        sti();
        r->rax = (u64)(t->syscall_compat ? ptregs_table_32 : ptregs_table_64)[r->nr](r);
        cli();
        fast_return_ok = false;
    }
    schedule_if_needed();
    /* Before a signal's frame is built, so that it saves the abort address. */
    if ((t->work & TASK_WORK_RSEQ) || ((t->work & TASK_WORK_SIGNAL) && t->rseq_area)) {
        rseq_resume(r);
        fast_return_ok = false;
    }
    if (t->work & TASK_WORK_SIGNAL) {
        task_work_clear(t, TASK_WORK_SIGNAL);
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

/* The current thread's part of a stop (signal.c's group stop): it waits for
 * SIGCONT; the last thread of its process to stop tells the parent, which
 * can then see the process stopped (waitpid with WUNTRACED). */
void stop_current(int sig, bool last)
{
    struct task *t = current_task();
    u64 flags = irq_save();
    t->stop_signal = sig;
    t->stop_reported = false;
    t->state = TASK_STOPPED;
    t->continue_pending = false;
    if (last)
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
    sched_remove(this_cpu(), t);
    irq_restore(flags);
}
