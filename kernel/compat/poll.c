/* The i386 forms of ppoll, pselect6 and select: 32-bit seconds in the
 * time32 calls, and pselect6's {sigset pointer, size} pair of 32-bit words.
 * fd_set bitmaps are the same bytes in both ABIs. Like Linux, each writes
 * the time left back to its timeout. */
#include "apic.h"
#include "compat.h"
#include "errno.h"
#include "fs.h"
#include "uaccess.h"

struct compat_timespec {
    s32 tv_sec, tv_nsec;
};
struct compat_timeval {
    s32 tv_sec, tv_usec;
};
struct timespec64 {
    s64 tv_sec, tv_nsec;
};

/* The convention of poll_timed: 0 waits for ever, -1 not at all. */
static long timeout_ns_of(s64 sec, s64 nsec, s64 *ns)
{
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    *ns = sec * 1000000000ll + nsec;
    if (*ns == 0)
        *ns = -1;
    return 0;
}

static long compat_timeout(const struct compat_timespec __user *uts, s64 *ns)
{
    struct compat_timespec ts;
    if (!uts) {
        *ns = 0;
        return 0;
    }
    if (copy_from_user(&ts, uts, sizeof(ts)))
        return -EFAULT;
    return timeout_ns_of(ts.tv_sec, ts.tv_nsec, ns);
}

/* The time left, written back as Linux does (poll_time_left); a failed write is ignored. */
static void put_compat_timespec_left(struct compat_timespec __user *uts, s64 left)
{
    struct compat_timespec ts = {(s32)(left / 1000000000), (s32)(left % 1000000000)};
    if (uts && left >= 0)
        copy_to_user(uts, &ts, sizeof(ts));
}

long compat_sys_ppoll_time32(struct pollfd __user *fds, u32 nfds, struct compat_timespec __user *tsp,
                             const u64 __user *sigmask, u32 size)
{
    s64 ns;
    long err = compat_timeout(tsp, &ns);
    if (err)
        return err;
    u64 start = monotonic_ns();
    long result = poll_timed(fds, nfds, ns, sigmask, size);
    put_compat_timespec_left(tsp, poll_time_left(ns, start));
    return result;
}

/* {u32 sigset pointer, u32 size}, or NULL */
static long compat_sigdata(const u32 __user *sigdata, const u64 __user **mask, u64 *size)
{
    u32 pair[2] = {0, 0};
    if (sigdata && copy_from_user(pair, sigdata, sizeof(pair)))
        return -EFAULT;
    *mask = compat_ptr(pair[0]);
    *size = pair[1];
    return 0;
}

long compat_sys_pselect6_time32(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex,
                                struct compat_timespec __user *tsp, const u32 __user *sigdata)
{
    s64 ns;
    const u64 __user *mask;
    u64 size;
    u64 start = monotonic_ns();
    long err = compat_timeout(tsp, &ns);
    err = err ?: compat_sigdata(sigdata, &mask, &size);
    if (err)
        return err;
    long result = select_timed(nfds, in, out, ex, ns, mask, size);
    put_compat_timespec_left(tsp, poll_time_left(ns, start));
    return result;
}

long compat_sys_pselect6_time64(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex,
                                struct timespec64 __user *tsp, const u32 __user *sigdata)
{
    s64 ns = 0;
    u64 start = monotonic_ns();
    const u64 __user *mask;
    u64 size;
    if (tsp) {
        struct timespec64 ts;
        if (copy_from_user(&ts, tsp, sizeof(ts)))
            return -EFAULT;
        long err = timeout_ns_of(ts.tv_sec, ts.tv_nsec, &ns);
        if (err)
            return err;
    }
    long err = compat_sigdata(sigdata, &mask, &size);
    if (err)
        return err;
    long result = select_timed(nfds, in, out, ex, ns, mask, size);
    s64 left = poll_time_left(ns, start);
    struct timespec64 rest = {left / 1000000000, left % 1000000000};
    if (tsp && left >= 0)
        copy_to_user(tsp, &rest, sizeof(rest)); /* a failure is ignored, as on Linux */
    return result;
}

/* _newselect: select with a 32-bit timeval. */
long compat_sys_select(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, struct compat_timeval __user *tvp)
{
    s64 ns = 0;
    u64 start = monotonic_ns();
    if (tvp) {
        struct compat_timeval tv;
        if (copy_from_user(&tv, tvp, sizeof(tv)))
            return -EFAULT;
        if (tv.tv_usec >= 1000000)
            return -EINVAL;
        long err = timeout_ns_of(tv.tv_sec, (s64)tv.tv_usec * 1000, &ns);
        if (err)
            return err;
    }
    long result = select_timed(nfds, in, out, ex, ns, NULL, 0);
    s64 left = poll_time_left(ns, start);
    struct compat_timeval rest = {(s32)(left / 1000000000), (s32)(left % 1000000000 / 1000)};
    if (tvp && left >= 0)
        copy_to_user(tvp, &rest, sizeof(rest)); /* a failure is ignored, as on Linux */
    return result;
}
