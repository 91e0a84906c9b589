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

# strace -c: the calls and errors of each system call (the times differ).
test_debugger_strace_summary() {
    local prog=$PWD/$GLIBC/tracecalls
    mkdir -p "$T/host-dir"
    strace -f -c -o "$T/host.txt" "$prog" "$T/host-dir" blocking >/dev/null 2>&1 || { fail "host strace -c failed"; return 1; }
    guest_strace "$T/guest.txt" -f -c "$prog" /tmp blocking
    expect_status 0 || return 1
    # "% time seconds usecs/call calls [errors] syscall": the last columns.
    local columns='$1 ~ /^[0-9.]+$/ && NF >= 5 { print $4, (NF == 6 ? $5 : 0), $NF }'
    awk "$columns" "$T/host.txt" | sort >"$T/host.cmp"
    awk "$columns" "$T/guest.txt" | sort >"$T/sg.cmp"
    [ "$(wc -l <"$T/host.cmp")" -gt 30 ] || { cat "$T/host.txt" >&2; fail "the host's summary is short"; return 1; }
    diff -u "$T/host.cmp" "$T/sg.cmp" >&2 || fail "strace -c in sysgate counts differently"
}

# strace -e trace=...: only the calls asked for, from start to end.
test_debugger_strace_filter() {
    local prog=$PWD/$GLIBC/tracecalls
    mkdir -p "$T/host-dir"
    strace -e trace=openat,close,kill -e signal=none -o "$T/host.txt" "$prog" "$T/host-dir" blocking >/dev/null 2>&1 ||
        { fail "host strace -e failed"; return 1; }
    guest_strace "$T/guest.txt" -e trace=openat,close,kill -e signal=none "$prog" /tmp blocking
    expect_status 0 || return 1
    local normalise='s/kill\([0-9]+,/kill(PID,/; s/"[^"]*host-dir[^"]*"/DIR/; s/\) +=/) =/'
    sed -E "$normalise" "$T/host.txt" >"$T/host.cmp"
    sed -E "$normalise" "$T/guest.txt" >"$T/sg.cmp"
    grep -q '^kill(PID, SIGUSR1) = 0$' "$T/sg.cmp" || { cat "$T/guest.txt" >&2; fail "no kill line"; return 1; }
    diff -u "$T/host.cmp" "$T/sg.cmp" >&2 || fail "strace -e in sysgate differs"
}

# ---- gdb ----

# gdb_matches_host KIND GDB-ARGS...: the same batch session of the host's gdb
# on the host and in sysgate, on build/tests/debuggee/KIND (with the words
# of $DEBUGGEE_ARGS after it), compared after the stack addresses and the
# process ids are made alike.
gdb_matches_host() {
    command -v gdb >/dev/null || { fail "no gdb on the host"; return 1; }
    local prog=$PWD/build/tests/debuggee/$1
    shift
    env -i PATH=/bin:/usr/bin HOME=/ gdb -nx -batch "$@" "$prog" ${DEBUGGEE_ARGS:-} >"$T/host.txt" 2>&1 </dev/null ||
        { cat "$T/host.txt" >&2; fail "the host's gdb failed"; return 1; }
    sg_run /usr/bin/gdb -nx -batch "$@" "$prog" ${DEBUGGEE_ARGS:-}
    cat "$T/out" "$T/err" >"$T/guest.txt"
    expect_status 0 || { cat "$T/guest.txt" >&2; return 1; }
    local normalise='s/(argv|bad|p)=0x[0-9a-f]+/\1=ADDR/g; s/process [0-9]+/process PID/; s/^(#[0-9]+ +)0x[0-9a-f]+ in /\1/'
    sed -E "$normalise" "$T/host.txt" >"$T/host.cmp"
    sed -E "$normalise" "$T/guest.txt" >"$T/sg.cmp"
    diff -u "$T/host.cmp" "$T/sg.cmp" >&2 || { fail "gdb in sysgate differs from gdb on the host"; return 1; }
}

# Breakpoint, registers, stepping over a call, a local, a hardware
# watchpoint hit twice, the program to its end.
GDB_SESSION=(-ex 'break main' -ex run -ex 'info registers pc' -ex next -ex next -ex 'print x'
    -ex 'watch counter' -ex continue -ex continue -ex continue)
gdb_session() { # KIND
    gdb_matches_host "$1" "${GDB_SESSION[@]}" || return 1
    grep -q '^New value = 43$' "$T/sg.cmp" || fail "the watchpoint did not fire twice"
}
test_debugger_gdb_session_static() { gdb_session static; }
test_debugger_gdb_session_dynamic() { gdb_session dynamic; }
test_debugger_gdb_session_i386() { gdb_session i386; }
test_debugger_gdb_session_dynamic32() { gdb_session dynamic32; }

# A SIGSEGV stops the program where it happened; bt names the line.
gdb_crash() { # KIND
    DEBUGGEE_ARGS=crash gdb_matches_host "$1" -ex run -ex bt --args || return 1
    grep -q 'SIGSEGV' "$T/sg.cmp" && grep -q '^#0 .*main (' "$T/sg.cmp" || fail "no SIGSEGV in main"
}
test_debugger_gdb_crash_static() { gdb_crash static; }
test_debugger_gdb_crash_dynamic() { gdb_crash dynamic; }
test_debugger_gdb_crash_dynamic32() { gdb_crash dynamic32; }
