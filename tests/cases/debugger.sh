# Debian's own strace and gdb (dynamically linked, from the host's root through
# the automatic 9p root, docs/dynamic-programs.md) inside sysgate, on static
# and dynamic, 64-bit and 32-bit programs, compared with the same tools on the
# host (docs/ptrace.md).

# guest_strace OUTFILE STRACE-ARGS...: strace in the guest, its report (its
# -o file in the guest's /tmp) in OUTFILE, the program's output dropped.
guest_strace() {
    local out=$1
    shift
    sg_run /bin/sh -c 'strace -o /tmp/strace.txt "$@" >/dev/null; status=$?; cat /tmp/strace.txt >&2; exit $status' sh "$@"
    cp "$T/err" "$out"
}

# strace -f of tracecalls' section, on the host and in the guest.
strace_matches_host() { # PROGRAM
    command -v strace >/dev/null || { fail "no strace on the host"; return 1; }
    local prog=$PWD/$1
    mkdir -p "$T/host-dir"
    strace -f -s 32 -o "$T/host.txt" "$prog" "$T/host-dir" blocking >/dev/null 2>&1 ||
        { fail "$prog failed under the host's strace"; return 1; }
    guest_strace "$T/guest.txt" -f -s 32 "$prog" /tmp blocking
    expect_status 0 || { cat "$T/guest.txt" >&2; return 1; }
    trace_section "$T/host.txt" >"$T/host.cmp"
    trace_section "$T/guest.txt" >"$T/sg.cmp"
    [ "$(wc -l <"$T/host.cmp")" -gt 30 ] || { cat "$T/host.txt" >&2; fail "the host's trace has no section"; return 1; }
    diff -u "$T/host.cmp" "$T/sg.cmp" >&2 || fail "strace in sysgate differs from strace on the host"
}
test_debugger_strace_glibc() { strace_matches_host $GLIBC/tracecalls; }
test_debugger_strace_musl() { strace_matches_host $MUSL/tracecalls; }
test_debugger_strace_i386() { strace_matches_host $I386/tracecalls; }
test_debugger_strace_dynamic() { strace_matches_host build/tests/dynamic/tracecalls; }
test_debugger_strace_dynamic32() { strace_matches_host build/tests/dynamic32/tracecalls; }
