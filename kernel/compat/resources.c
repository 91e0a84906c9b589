/* The i386 forms of times, getrusage, sysinfo, statfs64 and the interval
 * timers: the native code fills the kernel's structure, these convert it to
 * the 32-bit layout (longs and clock_t of 32 bits). */
#include "compat.h"
#include "errno.h"
#include "lib.h"
#include "resources.h"
#include "stat.h"
#include "time.h"
#include "uaccess.h"

struct compat_tms {
    s32 utime, stime, cutime, cstime;
};

long compat_sys_times(struct compat_tms __user *buf)
{
    struct tms_k t;
    long now = times_read(&t);
    struct compat_tms c = {(s32)t.utime, (s32)t.stime, (s32)t.cutime, (s32)t.cstime};
    return buf && copy_to_user(buf, &c, sizeof(c)) ? -EFAULT : (s32)now;
}

struct compat_rusage {
    s32 utime_sec, utime_usec, stime_sec, stime_usec;
    s32 rest[14];
};

long compat_sys_getrusage(int who, struct compat_rusage __user *usage)
{
    struct rusage_times times;
    long err = rusage_read(who, &times);
    if (err)
        return err;
    struct compat_rusage r;
    memset(&r, 0, sizeof(r));
    r.utime_sec = (s32)(times.user_us / 1000000), r.utime_usec = (s32)(times.user_us % 1000000);
    r.stime_sec = (s32)(times.system_us / 1000000), r.stime_usec = (s32)(times.system_us % 1000000);
    return copy_to_user(usage, &r, sizeof(r)) ? -EFAULT : 0;
}

struct compat_sysinfo {
    s32 uptime;
    u32 loads[3];
    u32 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    u16 procs, pad;
    u32 totalhigh, freehigh;
    u32 mem_unit;
    char reserved[8];
};

long compat_sys_sysinfo(struct compat_sysinfo __user *info)
{
    struct sysinfo_k s;
    sysinfo_read(&s);
    /* Sizes that do not fit 32 bits are given in larger units, as Linux does. */
    unsigned shift = 0;
    while ((s.totalram >> shift) > 0xffffffffull || (s.totalswap >> shift) > 0xffffffffull)
        shift++;
    struct compat_sysinfo c;
    memset(&c, 0, sizeof(c));
    c.uptime = (s32)s.uptime;
    for (int i = 0; i < 3; i++)
        c.loads[i] = (u32)s.loads[i];
    c.totalram = (u32)(s.totalram >> shift), c.freeram = (u32)(s.freeram >> shift);
    c.sharedram = (u32)(s.sharedram >> shift), c.bufferram = (u32)(s.bufferram >> shift);
    c.totalswap = (u32)(s.totalswap >> shift), c.freeswap = (u32)(s.freeswap >> shift);
    c.procs = s.procs;
    c.mem_unit = s.mem_unit << shift;
    return copy_to_user(info, &c, sizeof(c)) ? -EFAULT : 0;
}

struct compat_statfs64 {
    u32 f_type, f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    s32 f_fsid[2];
    u32 f_namelen, f_frsize, f_flags;
    u32 f_spare[4];
} __attribute__((packed, aligned(4)));

static long put_statfs64(const struct statfs_k *s, u32 size, struct compat_statfs64 __user *buf)
{
    if (size != sizeof(struct compat_statfs64))
        return -EINVAL;
    struct compat_statfs64 c;
    memset(&c, 0, sizeof(c));
    c.f_type = (u32)s->f_type, c.f_bsize = (u32)s->f_bsize;
    c.f_blocks = s->f_blocks, c.f_bfree = s->f_bfree, c.f_bavail = s->f_bavail;
    c.f_files = s->f_files, c.f_ffree = s->f_ffree;
    c.f_fsid[0] = s->f_fsid[0], c.f_fsid[1] = s->f_fsid[1];
    c.f_namelen = (u32)s->f_namelen, c.f_frsize = (u32)s->f_frsize, c.f_flags = (u32)s->f_flags;
    return copy_to_user(buf, &c, sizeof(c)) ? -EFAULT : 0;
}

long compat_sys_statfs64(const char __user *path, u32 size, struct compat_statfs64 __user *buf)
{
    struct statfs_k s;
    long err = statfs_path(path, &s);
    return err ?: put_statfs64(&s, size, buf);
}

long compat_sys_fstatfs64(int fd, u32 size, struct compat_statfs64 __user *buf)
{
    struct statfs_k s;
    long err = statfs_fd(fd, &s);
    return err ?: put_statfs64(&s, size, buf);
}

struct compat_itimerval {
    s32 interval_sec, interval_usec, value_sec, value_usec;
};

static long put_itimer(const struct itimerval_k *v, struct compat_itimerval __user *out)
{
    struct compat_itimerval c = {(s32)v->interval.tv_sec, (s32)v->interval.tv_usec, (s32)v->value.tv_sec,
                                 (s32)v->value.tv_usec};
    return copy_to_user(out, &c, sizeof(c)) ? -EFAULT : 0;
}

long compat_sys_getitimer(int which, struct compat_itimerval __user *value)
{
    struct itimerval_k v;
    long err = itimer_get(which, &v);
    return err ?: put_itimer(&v, value);
}

long compat_sys_setitimer(int which, const struct compat_itimerval __user *value, struct compat_itimerval __user *old)
{
    struct compat_itimerval c = {0, 0, 0, 0};
    if (value && copy_from_user(&c, value, sizeof(c)))
        return -EFAULT;
    struct itimerval_k v = {{c.interval_sec, c.interval_usec}, {c.value_sec, c.value_usec}}, previous;
    long err = itimer_set(which, &v, &previous);
    return err ?: (old ? put_itimer(&previous, old) : 0);
}
