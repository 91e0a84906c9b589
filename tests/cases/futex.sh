# futex(2) and futex_waitv(2) against the Linux host: errors, timeouts on each
# clock, wakes across threads and processes, requeue, wake-op, PI and robust
# locks (tests/progs/futex.c), on all three builds.
test_futex_glibc() { differential $GLIBC/futex; }
test_futex_musl() { differential $MUSL/futex; }
test_futex_i386() { differential $I386/futex; }

# Eight threads and 100,000 operations through libc's futex users (mutexes,
# condition variables, semaphores, PI mutexes, raw words) and process-shared
# ones across fork: exact totals, as on the host.
test_futex_storm_glibc() { differential $GLIBC/futexstorm; }
test_futex_storm_musl() { differential $MUSL/futexstorm; }
test_futex_storm_i386() { differential $I386/futexstorm; }

# The same storm twice: the second gives back every page it took (threads,
# their stacks, futex queue entries).
test_futex_storm_leaks_nothing() {
    sg_run $GLIBC/futexstorm leak
    expect_status 0 || return 1
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "futexstorm leak"; }
}
