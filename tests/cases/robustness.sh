# Resource exhaustion ends in an error or the offending process dying, never in
# a panic, and nothing leaks (tests/progs/robust.c says what each part checks).

robust() {
    sg_run $GLIBC/robust "$1"
    expect_status 0
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "robust $1"; }
    grep -q '^ok' "$T/out" || fail "robust $1 checked nothing"
}

test_fork_bomb_gets_eagain() { robust forkbomb; }
test_memory_hog_dies_system_goes_on() { robust oom; }
test_fork_exit_wait_cycles_leak_nothing() { robust cycles; }
test_descriptors_do_not_leak() { robust fds; }
