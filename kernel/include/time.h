#ifndef SYSGATE_TIME_H
#define SYSGATE_TIME_H

#include "types.h"
#include "vdso_data.h" /* NSEC_PER_SEC, one definition for the kernel and the vDSOs */

void time_init(void);
/* Sets CLOCK_REALTIME to `now_ns` since the epoch, from this moment on. */
void clock_set_realtime(u64 now_ns);
/* CLOCK_REALTIME was set: realtime timerfds move or are canceled (fs/timerfd.c). */
void timerfd_clock_was_set(void);
/* Refreshes the vDSOs' split-up copy of the time (at each time slice and
 * when the CPU leaves idle). */
void clock_tick(void);

/* The time slice, and the jiffy of the coarse clocks (Linux at HZ=250). */
#define TIME_SLICE_NS 4000000ul
/* clock_t, as times() and /proc report CPU time: USER_HZ = 100. */
#define NS_PER_CLOCK_TICK 10000000ul

struct task;
/* CPU time (time/cputime.c): a timer interrupt found t running in user mode or not. */
void cpu_time_sample(struct task *t, bool user);
/* t leaves the CPU to sleep: its time since the last sample was the kernel's. */
void cpu_time_switch_out(struct task *t);
/* User plus system time of t, with the time it has run since the last sample. */
u64 task_cpu_ns(struct task *t);
void time_slice_start(void);
/* A task is freed: its process's ITIMER_REAL stops (the timer lives in the task). */
void alarm_cancel(struct task *leader);
/* POSIX timers (time/posix_timers.c): a process ends or execs, and its
 * timers go; CPU time was charged to t, whose CPU-time timers may be due;
 * CLOCK_REALTIME was set; a timer's signal was taken (si_overrun becomes
 * what timer_getoverrun reports). */
void posix_timers_exit(struct task *leader);
void posix_cpu_timers_charged(struct task *t);
void posix_timers_clock_was_set(void);
struct ksiginfo;
void posix_timer_signal_taken(struct task *t, const struct ksiginfo *info);
struct seq_buf;
void proc_pid_timers(struct task *t, struct seq_buf *s);
void cpu_idle_enter(void);
void cpu_idle_exit(void);
/* The CPU time spent since boot in user mode, in the kernel and idle (/proc/stat). */
void cpu_times(u64 *user_ns, u64 *system_ns, u64 *idle_ns);
s64 realtime_seconds(void);
u64 realtime_ns(void);

struct timespec_k {
    s64 tv_sec, tv_nsec;
};
/* CLOCK_REALTIME now, to the nanosecond: the files' timestamps. */
struct timespec_k realtime_timespec(void);
long clock_sleep_check(int clock, int flags);
long clock_sleep(int clock, int flags, s64 sec, s64 nsec, void __user *rem, bool time32);
/* Woken whenever CLOCK_REALTIME is set: sleepers until an absolute real time
 * wait on it too, and measure again. */
struct wait_queue *clock_set_queue(void);
/* nanosleep's sleep, the time left written to rem (a 32-bit timespec with time32). */
long nanosleep_for(s64 sec, s64 nsec, void __user *rem, bool time32);

struct timeval {
    s64 tv_sec, tv_usec;
};
struct timezone_k {
    s32 minuteswest, dsttime;
};
const struct timezone_k *clock_timezone(void);
/* clock_settime: -EINVAL for a clock that cannot be set, then the time. */
long clock_set_check(int clock);
long clock_set(s64 sec, s64 nsec);
/* settimeofday after its arguments were read (time NULL: none). */
long clock_set_time_and_zone(const struct timeval *time, const struct timezone_k *tz);
struct itimerval_k {
    struct timeval interval, value;
};
long itimer_get(int which, struct itimerval_k *out);
long itimer_set(int which, const struct itimerval_k *value, struct itimerval_k *old);

#endif
