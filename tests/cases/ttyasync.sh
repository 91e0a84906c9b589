# O_ASYNC on the console terminal (tests/progs/ttyasync.c), typed at by
# build/ptydrive playing tests/interactive/ttyasync.script: the program runs
# on a pseudo-terminal of the host, and under `sysgate run` on the same kind
# of terminal (then on sysgate's console); what each prints, without the
# carriage returns the two terminals add, must be the same. SIGIO for a
# line, the F_SETSIG signal's POLL_IN siginfo, SIGIO for a byte in raw
# mode, nothing with O_ASYNC off, the foreground group as default owner.

# tty_differential PROGRAM
tty_differential() {
    local script=tests/interactive/ttyasync.script
    host_status=0
    build/ptydrive "$script" -- "$1" >"$T/host.raw" 2>"$T/host.err" || host_status=$?
    status=0
    build/ptydrive "$script" -- "$SYSGATE" run --timeout "$RUN_TIMEOUT" "$1" >"$T/sg.raw" 2>"$T/err" || status=$?
    tr -d '\r' <"$T/host.raw" >"$T/host.out"
    tr -d '\r' <"$T/sg.raw" >"$T/out"
    [ "$host_status" = 0 ] || { cat "$T/host.out" "$T/host.err" >&2; fail "on the host: status $host_status"; return 1; }
    [ "$status" = 0 ] || { show_run; fail "on sysgate: status $status"; return 1; }
    if ! cmp -s "$T/host.out" "$T/out"; then
        diff -u "$T/host.out" "$T/out" | head -40 >&2
        fail "the terminal's output differs between the host and sysgate"
        return 1
    fi
}

test_ttyasync_glibc() { tty_differential $GLIBC/ttyasync; }
test_ttyasync_musl() { tty_differential $MUSL/ttyasync; }
test_ttyasync_i386() { tty_differential $I386/ttyasync; }
