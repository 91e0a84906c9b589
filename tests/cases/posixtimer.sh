# POSIX timers (tests/progs/posixtimer.c), against the Linux host on all three
# builds: ids counted from 0 per process (failed creations use one up, as
# Linux's), the NULL event (SIGALRM, si_value the id), SI_TIMER's siginfo,
# relative, absolute and interval timers, the old value, overruns counted
# while the signal is pending and timer_getoverrun, SIGEV_NONE's remaining
# time, SIGEV_THREAD_ID, the C library's SIGEV_THREAD, timers on the wall,
# monotonic, boot and CPU-time clocks, a pending signal taken back by
# timer_settime and timer_delete, no timers in a forked child nor after exec,
# /proc/PID/timers, the EINVAL, EOPNOTSUPP and EFAULT paths and i386's time32
# and time64 calls.
test_posixtimer_glibc() { differential $GLIBC/posixtimer; }
test_posixtimer_musl() { differential $MUSL/posixtimer; }
test_posixtimer_i386() { differential $I386/posixtimer; }
