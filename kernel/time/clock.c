/* Clocks and sleeping. */
#include "apic.h"
#include "errno.h"
#include "lib.h"
#include "time.h"
#include "proc.h"
#include "uaccess.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

struct timespec {
    s64 tv_sec, tv_nsec;
};
struct timeval {
    s64 tv_sec, tv_usec;
};

long clock_read(int clock, u64 *ns)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *ns = realtime_ns();
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ns = monotonic_ns();
        return 0;
    default:
        /* The kernel keeps no CPU-time accounting yet: the CPU-time clocks
         * are refused rather than faked. */
        return -EINVAL;
    }
}

long clock_resolution(int clock, u64 *ns)
{
    u64 now;
    long err = clock_read(clock, &now);
    if (err)
        return err;
    bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
    *ns = coarse ? 1000000000 / HZ : 1;
    return 0;
}

static long put_timespec(u64 ns, struct timespec __user *ts)
{
    struct timespec t = {(s64)(ns / 1000000000), (s64)(ns % 1000000000)};
    return copy_to_user(ts, &t, sizeof(t));
}

long sys_clock_gettime(int clock, struct timespec __user *ts)
{
    u64 ns;
    long err = clock_read(clock, &ns);
    return err ?: put_timespec(ns, ts);
}

long sys_clock_getres(int clock, struct timespec __user *ts)
{
    u64 ns;
    long err = clock_resolution(clock, &ns);
    return err ?: (ts ? put_timespec(ns, ts) : 0);
}

long sys_gettimeofday(struct timeval __user *tv, void __user *tz)
{
    u64 ns = realtime_ns();
    struct timeval t = {(s64)(ns / 1000000000), (s64)(ns % 1000000000 / 1000)};
    if (tv && copy_to_user(tv, &t, sizeof(t)))
        return -EFAULT;
    if (tz && clear_user(tz, 8))
        return -EFAULT;
    return 0;
}

long sys_time(s64 __user *tloc)
{
    s64 now = realtime_seconds();
    if (tloc && copy_to_user(tloc, &now, sizeof(now)))
        return -EFAULT;
    return now;
}

/* Sleeps until the deadline or a signal, letting other tasks run: the timer
 * tick wakes every sleeper on the clock channel, which looks again. Returns
 * 0, or -EINTR with the time left in *left. */
long do_nanosleep_left(u64 ns, u64 *left)
{
    u64 deadline = monotonic_ns() + ns;
    u64 now;
    while ((now = monotonic_ns()) < deadline) {
        if (sleep_on(clock_channel())) {
            *left = deadline - monotonic_ns() > deadline ? 0 : deadline - now;
            return -EINTR;
        }
    }
    *left = 0;
    return 0;
}

long do_nanosleep(u64 ns)
{
    u64 left;
    return do_nanosleep_left(ns, &left);
}

long sys_nanosleep(const struct timespec __user *req, struct timespec __user *rem)
{
    struct timespec t;
    if (copy_from_user(&t, req, sizeof(t)))
        return -EFAULT;
    if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
        return -EINVAL;
    u64 left;
    long err = do_nanosleep_left((u64)t.tv_sec * 1000000000ull + (u64)t.tv_nsec, &left);
    if (err && rem && put_timespec(left, rem))
        return -EFAULT;
    return err;
}
