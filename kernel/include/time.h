#ifndef SYSGATE_TIME_H
#define SYSGATE_TIME_H

#include "types.h"

void time_init(void);
/* Sets CLOCK_REALTIME to `now_ns` since the epoch, from this moment on. */
void clock_set_realtime(u64 now_ns);
/* At every timer tick: refreshes the vDSOs' copy of the time. */
void clock_tick(void);
/* What the timer tick wakes: sleepers waiting for a time to come. */
const void *clock_channel(void);
void itimers_tick(void);
struct task;
void cpu_itimers_tick(struct task *t, bool user);
s64 realtime_seconds(void);
u64 realtime_ns(void);

struct timespec_k {
    s64 tv_sec, tv_nsec;
};
long clock_sleep_check(int clock, int flags);
long clock_sleep(int clock, int flags, s64 sec, s64 nsec, u64 *left);

struct timeval {
    s64 tv_sec, tv_usec;
};
struct itimerval_k {
    struct timeval interval, value;
};
long itimer_get(int which, struct itimerval_k *out);
long itimer_set(int which, const struct itimerval_k *value, struct itimerval_k *old);

#endif
