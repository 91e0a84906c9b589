# futex(2) and futex_waitv(2) against the Linux host: errors, timeouts on each
# clock, wakes across threads and processes, requeue, wake-op, PI and robust
# locks (tests/progs/futex.c), on all three builds.
test_futex_glibc() { differential $GLIBC/futex; }
test_futex_musl() { differential $MUSL/futex; }
test_futex_i386() { differential $I386/futex; }
