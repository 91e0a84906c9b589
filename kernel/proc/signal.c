/*
 * Signals, the part that exists so far: sending, the pending set, and the
 * default actions (terminate or ignore). Handlers, masks and signal frames
 * come with the signal system calls; until then rt_sigaction and its
 * relatives are not in the tables (they return -ENOSYS).
 */
#include "cpu.h"
#include "lib.h"
#include "proc.h"
#include "signal.h"
#include "x86.h"

#define SIGBIT(sig) (1ull << ((sig) - 1))

/* Signals whose default action is to do nothing. */
static const u64 ignored_by_default = SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGWINCH) | SIGBIT(23) /* SIGURG */;

void signal_send(struct task *t, int sig)
{
    if (sig <= 0 || sig > NSIG || (SIGBIT(sig) & ignored_by_default))
        return;
    u64 flags = irq_save();
    t->pending_signals |= SIGBIT(sig);
    if (t == current_task())
        this_cpu()->exit_work |= EXIT_WORK_SIGNAL;
    else if (t->state == TASK_SLEEPING)
        t->state = TASK_RUNNABLE; /* sleepers see the signal and return EINTR */
    irq_restore(flags);
}

int signal_next_pending(void)
{
    u64 pending = current_task()->pending_signals;
    return pending ? __builtin_ctzll(pending) + 1 : 0;
}

void signal_deliver(struct regs *r)
{
    (void)r;
    int sig = signal_next_pending();
    if (!sig)
        return;
    current_task()->pending_signals &= ~SIGBIT(sig);
    /* Every signal not ignored by default terminates: stop and continue
     * belong to job control, which comes with the terminal. */
    task_die_by_signal(sig);
}
