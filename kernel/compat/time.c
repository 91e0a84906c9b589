/* The i386 time calls with 32-bit seconds (the *_time64 calls share x86-64's). */
#include "compat.h"
#include "errno.h"
#include "fs.h"
#include "time.h"
#include "uaccess.h"

struct timespec {
    s64 tv_sec, tv_nsec;
};
struct compat_timespec {
    s32 tv_sec, tv_nsec;
};
struct compat_timeval {
    s32 tv_sec, tv_usec;
};

long clock_read(int clock, u64 *ns);
long clock_resolution(int clock, u64 *ns);

static long put_compat_timespec(u64 ns, struct compat_timespec __user *ts)
{
    struct compat_timespec t = {(s32)(ns / 1000000000), (s32)(ns % 1000000000)};
    return copy_to_user(ts, &t, sizeof(t));
}

long compat_sys_clock_gettime(int clock, struct compat_timespec __user *ts)
{
    u64 ns;
    long err = clock_read(clock, &ns);
    return err ?: put_compat_timespec(ns, ts);
}

long compat_sys_clock_getres(int clock, struct compat_timespec __user *ts)
{
    u64 ns;
    long err = clock_resolution(clock, &ns);
    return err ?: (ts ? put_compat_timespec(ns, ts) : 0);
}

long compat_sys_gettimeofday(struct compat_timeval __user *tv, void __user *tz)
{
    u64 ns = realtime_ns();
    struct compat_timeval t = {(s32)(ns / 1000000000), (s32)(ns % 1000000000 / 1000)};
    if (tv && copy_to_user(tv, &t, sizeof(t)))
        return -EFAULT;
    if (tz && copy_to_user(tz, clock_timezone(), sizeof(struct timezone_k)))
        return -EFAULT;
    return 0;
}

long compat_sys_clock_settime(int clock, const struct compat_timespec __user *ts)
{
    long err = clock_set_check(clock);
    if (err)
        return err;
    struct compat_timespec t;
    if (copy_from_user(&t, ts, sizeof(t)))
        return -EFAULT;
    return clock_set(t.tv_sec, t.tv_nsec);
}

long compat_sys_settimeofday(const struct compat_timeval __user *tv, const struct timezone_k __user *tz)
{
    struct compat_timeval t;
    struct timezone_k zone;
    if (tv && copy_from_user(&t, tv, sizeof(t)))
        return -EFAULT;
    if (tv && (t.tv_usec < 0 || t.tv_usec > 1000000))
        return -EINVAL;
    if (tz && copy_from_user(&zone, tz, sizeof(zone)))
        return -EFAULT;
    struct timeval time = {tv ? t.tv_sec : 0, tv ? t.tv_usec : 0};
    return clock_set_time_and_zone(tv ? &time : NULL, tz ? &zone : NULL);
}

long compat_sys_time(s32 __user *tloc)
{
    s32 now = (s32)realtime_seconds();
    if (tloc && copy_to_user(tloc, &now, sizeof(now)))
        return -EFAULT;
    return now;
}

long compat_sys_nanosleep(const struct compat_timespec __user *req, struct compat_timespec __user *rem)
{
    struct compat_timespec t;
    if (copy_from_user(&t, req, sizeof(t)))
        return -EFAULT;
    return nanosleep_for(t.tv_sec, t.tv_nsec, rem, true);
}


long compat_sys_clock_nanosleep(int clock, int flags, const struct compat_timespec __user *req,
                                struct compat_timespec __user *rem)
{
    long err = clock_sleep_check(clock, flags);
    if (err)
        return err;
    struct compat_timespec t;
    if (copy_from_user(&t, req, sizeof(t)))
        return -EFAULT;
    return clock_sleep(clock, flags, t.tv_sec, t.tv_nsec, rem, true);
}


long compat_sys_utimensat(int dirfd, const char __user *path, const struct compat_timespec __user *utimes, int flags)
{
    struct compat_timespec c[2] = {{0, 0}, {0, 0}};
    if (utimes && copy_from_user(c, utimes, sizeof(c)))
        return -EFAULT;
    struct timespec_k t[2] = {{c[0].tv_sec, c[0].tv_nsec}, {c[1].tv_sec, c[1].tv_nsec}};
    return do_utimensat(dirfd, path, utimes ? t : NULL, flags);
}
