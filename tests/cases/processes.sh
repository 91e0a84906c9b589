# Processes and signals (issue 4), against the Linux host, for both ABIs.

I386=build/tests/i386

test_processes_glibc() { differential $GLIBC/procs; }
test_processes_musl() { differential $MUSL/procs; }
test_processes_i386() { differential $I386/procs; }
test_signals_glibc() { differential $GLIBC/signals; }
test_signals_musl() { differential $MUSL/signals; }
test_signals_i386_amd() { differential $I386/signals; }
test_signals_i386_intel() {
    host_run $I386/signals
    sg_run --cpu Skylake-Client-v1 $I386/signals
    expect_status 0
    diff -u "$T/host.out" "$T/out" >&2 || fail "signals differ on an Intel CPU (sysenter)"
}
