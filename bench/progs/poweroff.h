/*
 * How a benchmark program ends. As PID 1 on Linux, exiting would make the
 * kernel panic ("Attempted to kill init!"), so a program that succeeded
 * powers the machine off with reboot(RB_POWER_OFF), on Linux and on sysgate
 * alike; one that failed exits with its status, which the exit of PID 1 passes
 * on (sysgate powers off with it; bench/linux.sh reads it from Linux's panic).
 * Outside a VM (not PID 1) it just exits, so the programs also run on the host.
 */
#ifndef BENCH_POWEROFF_H
#define BENCH_POWEROFF_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/reboot.h>
#include <unistd.h>

static inline void bench_finish(int status)
{
    fflush(NULL);
    if (getpid() == 1 && status == 0) {
        sync();
        reboot(RB_POWER_OFF); /* returns only if it failed */
    }
    exit(status);
}

#endif
