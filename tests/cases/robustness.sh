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
# 100,000 reads, writes, closes, dups by 8 threads on shared descriptors:
# every file is released and the kernel's memory comes back.
test_shared_descriptors_stress_leaks_nothing() {
    sg_run $GLIBC/fdshare leak
    expect_status 0 || return 1
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "fdshare leak"; }
}
test_threads_and_threaded_children_leak_nothing() { robust threads; }

# Hostile arguments to every system call of both tables (tests/progs/fuzz.c):
# the children may die, the kernel may not, and the system works afterwards.
fuzz_case() {
    sg_run "$@"
    expect_status 0 || return 1
    grep -q '^alive after' "$T/out" || { show_run; fail "no 'alive' line"; }
}
test_fuzz_syscall_and_int80_from_64_bit() { fuzz_case $GLIBC/fuzz 1 6 2000; }
test_fuzz_32_bit() { fuzz_case $I386/fuzz 2 6 2000; }
