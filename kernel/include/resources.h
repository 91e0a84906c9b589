/* What processes and the system have used (sys/resources.c), in the kernel's
 * own form, for the native calls and the i386 ones (compat/) alike. */
#ifndef SYSGATE_RESOURCES_H
#define SYSGATE_RESOURCES_H

#include "types.h"

struct tms_k {
    s64 utime, stime, cutime, cstime; /* clock ticks (USER_HZ) */
};

struct rusage_times {
    u64 user_us, system_us;
};

struct sysinfo_k {
    s64 uptime;
    u64 loads[3];
    u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    u16 procs, pad;
    u32 pad2;
    u64 totalhigh, freehigh;
    u32 mem_unit;
    char reserved[4];
};

long times_read(struct tms_k *t); /* returns the ticks since boot */
long rusage_read(int who, struct rusage_times *out);
void sysinfo_read(struct sysinfo_k *s);

#endif
