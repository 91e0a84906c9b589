/* Creating tasks and ending them. */
#include "errno.h"
#include "fd.h"
#include "hypervisor.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "x86.h"

static pid_t next_pid = 1;
static struct task *all_tasks;

extern void ret_to_user_from_new_task(void);
void sched_exit_current(void);

struct regs *task_regs(struct task *t) { return (struct regs *)(t->kstack + KERNEL_STACK_SIZE) - 1; }

/* A task that will start in user space with the registers in task_regs(). */
struct task *task_create(void)
{
    struct task *t = kzalloc(sizeof(*t));
    if (!t)
        return NULL;
    phys_addr_t stack = pages_alloc(KERNEL_STACK_SIZE / PAGE_SIZE);
    if (!stack) {
        kfree(t);
        return NULL;
    }
    t->kstack = (u64)phys_to_virt(stack);
    t->pid = t->tgid = next_pid++;
    t->state = TASK_RUNNABLE;
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

noreturn void task_exit(int wait_status)
{
    struct task *t = current_task();
    files_put(t->files);
    t->files = NULL;
    if (t->pid == 1)
        machine_poweroff(exit_code_for_host(wait_status));
    if (t->mm) {
        struct mm *mm = t->mm;
        t->mm = NULL;
        write_cr3(kernel_pml4);
        mm_destroy(mm);
    }
    t->wait_status = wait_status;
    t->state = TASK_ZOMBIE;
    sched_exit_current();
    schedule();
    panic("a dead task was scheduled");
}

noreturn void task_die_by_signal(int signal) { task_exit(signal & 0x7f); }
