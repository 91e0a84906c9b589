/* What the system and processes have used: times, getrusage, sysinfo. CPU
 * time is counted in nanoseconds (time/cputime.c) and reported in clock_t
 * (USER_HZ) or microseconds. */
#include "apic.h"
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "resources.h"
#include "time.h"
#include "uaccess.h"

long times_read(struct tms_k *t)
{
    struct task *me = current_task()->group_leader;
    *t = (struct tms_k){(s64)(me->user_ns / NS_PER_CLOCK_TICK), (s64)(me->system_ns / NS_PER_CLOCK_TICK),
                        (s64)(me->children_user_ns / NS_PER_CLOCK_TICK),
                        (s64)(me->children_system_ns / NS_PER_CLOCK_TICK)};
    return (long)(monotonic_ns() / NS_PER_CLOCK_TICK);
}

/* Clock ticks since boot, as times() returns them (USER_HZ = 100). */
long sys_times(struct tms_k __user *buf)
{
    struct tms_k t;
    long now = times_read(&t);
    return buf && copy_to_user(buf, &t, sizeof(t)) ? -EFAULT : now;
}

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct rusage_k {
    s64 utime_sec, utime_usec, stime_sec, stime_usec;
    s64 rest[14]; /* what a kernel in memory has none of: page faults from disk, swaps, blocks */
};

long rusage_read(int who, struct rusage_times *out)
{
    struct task *t = current_task();
    struct task *me = t->group_leader;
    u64 user, system;
    switch (who) {
    case RUSAGE_SELF: user = me->user_ns, system = me->system_ns; break;
    case RUSAGE_THREAD: user = t->user_ns, system = t->system_ns; break;
    case RUSAGE_CHILDREN: user = me->children_user_ns, system = me->children_system_ns; break;
    default: return -EINVAL;
    }
    out->user_us = user / 1000;
    out->system_us = system / 1000;
    return 0;
}

long sys_getrusage(int who, struct rusage_k __user *usage)
{
    struct rusage_times times;
    long err = rusage_read(who, &times);
    if (err)
        return err;
    struct rusage_k r;
    memset(&r, 0, sizeof(r));
    r.utime_sec = (s64)(times.user_us / 1000000), r.utime_usec = (s64)(times.user_us % 1000000);
    r.stime_sec = (s64)(times.system_us / 1000000), r.stime_usec = (s64)(times.system_us % 1000000);
    return copy_to_user(usage, &r, sizeof(r)) ? -EFAULT : 0;
}

void sysinfo_read(struct sysinfo_k *s)
{
    memset(s, 0, sizeof(*s));
    s->uptime = (s64)(monotonic_ns() / 1000000000);
    s->totalram = pmm_total_pages() * PAGE_SIZE;
    s->freeram = pmm_free_pages() * PAGE_SIZE;
    for (struct task *t = task_first(); t; t = task_next(t))
        if (t->state != TASK_DEAD)
            s->procs++;
    s->mem_unit = 1;
}

long sys_sysinfo(struct sysinfo_k __user *info)
{
    struct sysinfo_k s;
    sysinfo_read(&s);
    return copy_to_user(info, &s, sizeof(s)) ? -EFAULT : 0;
}
