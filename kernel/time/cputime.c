/*
 * CPU time and the time slice. CPU time is counted in nanoseconds between
 * sampling points: a task's time since the last point goes to user or system
 * time as the point finds it (a timer interrupt from user mode: user; in the
 * kernel, or the task going to sleep: system). Exact accounting at every
 * kernel entry and exit would put two clock reads on the system-call fast
 * path; the samples come at least every time slice while a task runs.
 *
 * The time slice is a timer that runs while any task does and stops when the
 * CPU goes idle: an idle CPU gets no interrupt at all until a timer it asked
 * for is due or a device speaks (tickless idle). Its interrupt asks for a
 * reschedule, refreshes the vDSO's split-up time and samples CPU time.
 */
#include "apic.h"
#include "proc.h"
#include "signal.h"
#include "time.h"
#include "timer.h"

static u64 last_sample_ns;
static u64 total_user_ns, total_system_ns, total_idle_ns; /* every task's, and nobody's */
static struct timer slice_timer;

static void charge_cpu_itimers(struct task *t, u64 elapsed, bool user)
{
    static const int signals[2] = {SIGVTALRM, SIGPROF};
    struct task *leader = t->group_leader;
    if (!leader || leader->state == TASK_ZOMBIE || leader->state == TASK_DEAD)
        return;
    leader->group_cpu_ns += elapsed;
    rlimit_cpu_check(leader);
    for (int index = 0; index < 2; index++) {
        u64 *left = &leader->cpu_timer_left[index];
        if (!*left || (index == 0 && !user))
            continue;
        if (*left > elapsed) {
            *left -= elapsed;
            continue;
        }
        *left = leader->cpu_timer_interval[index];
        signal_send_process(leader, signals[index]);
    }
}

static void charge(struct task *t, bool user)
{
    u64 now = monotonic_ns();
    u64 elapsed = now - last_sample_ns;
    last_sample_ns = now;
    if (!t->pid)
        return; /* idle */
    if (user) {
        t->user_ns += elapsed;
        total_user_ns += elapsed;
    } else {
        t->system_ns += elapsed;
        total_system_ns += elapsed;
    }
    charge_cpu_itimers(t, elapsed, user);
    posix_cpu_timers_charged(t);
}

void cpu_time_sample(struct task *t, bool user) { charge(t, user); }
void cpu_time_switch_out(struct task *t) { charge(t, false); }

u64 task_cpu_ns(struct task *t)
{
    u64 ns = t->user_ns + t->system_ns;
    if (t == current_task() && t->pid)
        ns += monotonic_ns() - last_sample_ns; /* running since the last sample */
    return ns;
}

static void slice_expired(struct timer *timer)
{
    clock_tick();
    timer_start(timer, monotonic_ns() + TIME_SLICE_NS, slice_expired);
}

void time_slice_start(void)
{
    if (!slice_timer.pending)
        timer_start(&slice_timer, monotonic_ns() + TIME_SLICE_NS, slice_expired);
}

void cpu_idle_enter(void) { timer_cancel(&slice_timer); }

/* Idle time is nobody's; the vDSO's copy of the time may be old. */
void cpu_idle_exit(void)
{
    u64 now = monotonic_ns();
    total_idle_ns += now - last_sample_ns;
    last_sample_ns = now;
    clock_tick();
}

void cpu_times(u64 *user_ns, u64 *system_ns, u64 *idle_ns)
{
    *user_ns = total_user_ns;
    *system_ns = total_system_ns;
    *idle_ns = total_idle_ns;
}
