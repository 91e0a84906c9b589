/*
 * schedprio.c - priorities and policies: getpriority/setpriority (and
 * i386's nice), sched_setscheduler/getscheduler/setparam/getparam, the
 * priority ranges, sched_rr_get_interval for SCHED_RR and SCHED_FIFO,
 * sched_setattr/getattr, SCHED_RESET_ON_FORK, personality and getcpu, with
 * their errors. Run as root on the host and on sysgate; prints one line per
 * check. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

static const char *err_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case ESRCH: return "ESRCH";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case E2BIG: return "E2BIG";
    default: return strerror(e);
    }
}

static void show(const char *what, long result)
{
    if (result == -1)
        printf("%s: %s\n", what, err_name(errno));
    else
        printf("%s: %ld\n", what, result);
}

static long raw_getpriority(int which, int who) { return syscall(SYS_getpriority, which, who); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    show("setpriority 0 (whatever the runner's nice was)", setpriority(PRIO_PROCESS, 0, 0));
    show("getpriority self (kernel value)", raw_getpriority(PRIO_PROCESS, 0));
    show("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
    show("getpriority after", raw_getpriority(PRIO_PROCESS, 0));
    show("setpriority 100 (clamped)", setpriority(PRIO_PROCESS, 0, 100));
    show("getpriority after", raw_getpriority(PRIO_PROCESS, 0));
    show("setpriority -3 as root", setpriority(PRIO_PROCESS, 0, -3));
    show("getpriority pgrp", raw_getpriority(PRIO_PGRP, 0));
    show("getpriority bad which", raw_getpriority(7, 0));
    show("getpriority no such process", raw_getpriority(PRIO_PROCESS, 999999));
    show("setpriority no such process", setpriority(PRIO_PROCESS, 999999, 0));
#ifdef SYS_nice
    show("nice(2)", syscall(SYS_nice, 2));
    show("getpriority after nice", raw_getpriority(PRIO_PROCESS, 0));
#endif
    setpriority(PRIO_PROCESS, 0, 0);

    pid_t child = fork();
    if (child == 0) {
        printf("child inherits: %ld\n", raw_getpriority(PRIO_PROCESS, 0));
        _exit(0);
    }
    waitpid(child, NULL, 0);

    struct sched_param p = {0};
    show("sched_getscheduler", sched_getscheduler(0));
    show("sched_getscheduler -1", sched_getscheduler(-1));
    show("sched_getscheduler no such", sched_getscheduler(999999));
    show("max FIFO", sched_get_priority_max(SCHED_FIFO));
    show("min FIFO", sched_get_priority_min(SCHED_FIFO));
    show("max RR", sched_get_priority_max(SCHED_RR));
    show("max OTHER", sched_get_priority_max(SCHED_OTHER));
    show("min BATCH", sched_get_priority_min(SCHED_BATCH));
    show("max IDLE", sched_get_priority_max(SCHED_IDLE));
    show("max 4 (SCHED_ISO)", sched_get_priority_max(4));
    show("max 42", sched_get_priority_max(42));
    p.sched_priority = 1;
    show("OTHER with priority 1", sched_setscheduler(0, SCHED_OTHER, &p));
    p.sched_priority = 0;
    show("FIFO with priority 0", sched_setscheduler(0, SCHED_FIFO, &p));
    p.sched_priority = 100;
    show("FIFO with priority 100", sched_setscheduler(0, SCHED_FIFO, &p));
    show("policy 42", sched_setscheduler(0, 42, &p));
    show("NULL param", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    show("unreadable param", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)16));
    p.sched_priority = 0;
    show("BATCH", sched_setscheduler(0, SCHED_BATCH, &p));
    show("getscheduler after BATCH", sched_getscheduler(0));
    show("IDLE", sched_setscheduler(0, SCHED_IDLE, &p));
    show("getscheduler after IDLE", sched_getscheduler(0));
    show("OTHER|RESET_ON_FORK", sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p));
    show("getscheduler after", sched_getscheduler(0));
    show("back to OTHER", sched_setscheduler(0, SCHED_OTHER, &p));
    show("getparam", sched_getparam(0, &p));
    printf("priority %d\n", p.sched_priority);
    show("getparam NULL", syscall(SYS_sched_getparam, 0, NULL));
    show("setparam 5 under OTHER", (p.sched_priority = 5, sched_setparam(0, &p)));

    struct timespec ts;
    show("rr_get_interval OTHER", sched_rr_get_interval(0, &ts));
    printf("OTHER interval positive: %s\n", ts.tv_sec > 0 || ts.tv_nsec > 0 ? "yes" : "no");
    show("rr_get_interval no such", sched_rr_get_interval(999999, &ts));
    show("rr_get_interval bad pointer", syscall(SYS_sched_rr_get_interval, 0, (void *)16));

    struct attr a;
    memset(&a, 0xff, sizeof(a));
    show("getattr size 48", syscall(SYS_sched_getattr, 0, &a, 48, 0));
    printf("attr size %u policy %u nice %d priority %u flags %llu\n", a.size, a.policy, a.nice, a.priority,
           (unsigned long long)a.flags);
    show("getattr size 40", syscall(SYS_sched_getattr, 0, &a, 40, 0));
    show("getattr flags 1", syscall(SYS_sched_getattr, 0, &a, 48, 1));
    memset(&a, 0, sizeof(a));
    a.size = 48;
    a.policy = SCHED_OTHER;
    a.nice = 3;
    show("setattr nice 3", syscall(SYS_sched_setattr, 0, &a, 0));
    show("getpriority after setattr", raw_getpriority(PRIO_PROCESS, 0));
    a.nice = 25;
    show("setattr nice 25", syscall(SYS_sched_setattr, 0, &a, 0));
    a.nice = 0;
    a.size = 20;
    show("setattr size 20", syscall(SYS_sched_setattr, 0, &a, 0));
    printf("size written back: %u\n", a.size);
    show("setattr flags", (a.size = 48, syscall(SYS_sched_setattr, 0, &a, 1)));

    /* real-time policies as root */
    p.sched_priority = 10;
    show("FIFO 10", sched_setscheduler(0, SCHED_FIFO, &p));
    show("getscheduler", sched_getscheduler(0));
    show("rr_get_interval FIFO", sched_rr_get_interval(0, &ts));
    printf("FIFO interval %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    p.sched_priority = 20;
    show("RR 20", sched_setscheduler(0, SCHED_RR, &p));
    show("rr_get_interval RR", sched_rr_get_interval(0, &ts));
    printf("RR interval %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    show("getparam", (sched_getparam(0, &p), p.sched_priority));
    child = fork();
    if (child == 0) {
        printf("child's policy %d priority %d\n", sched_getscheduler(0), (sched_getparam(0, &p), p.sched_priority));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    show("RR|RESET_ON_FORK", (p.sched_priority = 20, sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &p)));
    child = fork();
    if (child == 0) {
        printf("reset child's policy %d priority %d\n", sched_getscheduler(0),
               (sched_getparam(0, &p), p.sched_priority));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    p.sched_priority = 0;
    show("back to OTHER", sched_setscheduler(0, SCHED_OTHER, &p));

    show("personality query", personality(0xffffffff));
    show("personality ADDR_NO_RANDOMIZE", personality(ADDR_NO_RANDOMIZE));
    show("personality query", personality(0xffffffff));
    child = fork();
    if (child == 0) {
        printf("child's personality %d\n", personality(0xffffffff));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    personality(0);
    unsigned cpu = 99, node = 99;
    show("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
    printf("cpu valid: %s, node %u\n", cpu < 1024 ? "yes" : "no", node);
    show("getcpu NULL NULL", syscall(SYS_getcpu, NULL, NULL, NULL));
    show("getcpu bad pointer", syscall(SYS_getcpu, (void *)16, NULL, NULL));
    return 0;
}
