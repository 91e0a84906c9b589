# The event interfaces servers use (tests/progs/events.c), against the Linux
# host on all three builds: eventfd's counter, semaphore mode, overflow,
# blocking and errors; epoll's control errors (EEXIST, ENOENT, EBADF, EPERM,
# EINVAL, ELOOP, EFAULT), level- and edge-triggered and one-shot items,
# maxevents, hang-ups, items that live as long as their file, FIFOs, nesting,
# poll and select on an epoll fd, wake-ups from another process, timeouts
# and the signal mask of epoll_pwait; timerfd on every clock, relative,
# absolute and interval timers, missed expirations, its errors and i386's
# time32 and time64 calls; signalfd's siginfo for kill, tgkill, sigqueue,
# another process and SIGCHLD, several signals a read, the mask changed
# through the descriptor, signals not read delivered normally, epoll on it.
for abi in glibc musl i386; do
    for part in eventfd epoll timerfd signalfd; do
        eval "test_events_${part}_${abi}() { differential \$$(echo $abi | tr a-z A-Z)/events $part; }"
    done
    # Two processes bounce a token through pipes 1000 times, each waiting in epoll_wait.
    eval "test_events_epoll_pingpong_${abi}() { differential \$$(echo $abi | tr a-z A-Z)/events pingpong 1000; }"
done

# Threads add, remove and change items and write to the watched pipes and
# eventfd while others wait: every byte and count is read exactly once, and
# the second, larger round gives back all the memory it took.
test_events_epoll_stress_leaks_nothing() {
    sg_run $GLIBC/events stress 20000
    expect_status 0 || return 1
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "events stress"; }
    grep -q '^ok free memory' "$T/out" || { show_run; fail "the stress checked nothing"; }
}
test_events_epoll_stress_i386() {
    sg_run $I386/events stress 5000
    expect_status 0 || return 1
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "events stress"; }
}

# Setting CLOCK_REALTIME (on sysgate only: never the host's clock) moves an
# absolute realtime timer, and one armed with TFD_TIMER_CANCEL_ON_SET reads
# ECANCELED once.
test_events_timerfd_clock_set() {
    sg_run $GLIBC/events timerfd-clock-set
    expect_status 0 || return 1
    cat >"$T/want" <<'OUT'
absolute realtime: 0
cancel on set: 0
before the clock is set: -1 EAGAIN
clock_settime: 0
moved timer expired: 8 bytes, 1 expirations
canceled: -1 ECANCELED
canceled once: -1 EAGAIN
OUT
    diff -u "$T/want" "$T/out" >&2 || fail "timerfd after clock_settime"
}
