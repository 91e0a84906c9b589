# Helpers for the test cases in tests/cases/. Each case is a shell function
# named test_*; tests/run runs every one in its own process, in parallel, with
# a scratch directory in $T, and counts it passed when it returns 0.

SYSGATE=${SYSGATE:-build/sysgate}
GLIBC=build/tests/glibc
MUSL=build/tests/musl
I386=build/tests/i386
PIE=build/tests/glibc-pie
RUN_TIMEOUT=${RUN_TIMEOUT:-60}

fail() {
    echo "FAIL: $*" >&2
    return 1
}

# sg_run ARGS...: `sysgate run` with the output in $T/out and $T/err and the
# status in $status. Never fails by itself. $SG_RUN_OPTIONS (words without
# spaces) go before ARGS.
sg_run() {
    status=0
    # shellcheck disable=SC2086
    "$SYSGATE" run --timeout "$RUN_TIMEOUT" ${SG_RUN_OPTIONS:-} "$@" >"$T/out" 2>"$T/err" </dev/null || status=$?
}

# host_run PROGRAM ARGS...: the same program on the Linux host, under the
# command in $HOST_WRAPPER if one is set.
host_run() {
    host_status=0
    # shellcheck disable=SC2086
    ${HOST_WRAPPER:-} "$@" >"$T/host.out" 2>"$T/host.err" </dev/null || host_status=$?
}

# A private mount namespace on the host, for programs that mount things.
in_own_mount_namespace() {
    if [ "$(id -u)" = 0 ]; then
        HOST_WRAPPER="unshare --mount --propagation private" differential "$@"
    else
        HOST_WRAPPER="unshare --mount --propagation private --map-root-user" differential "$@"
    fi
}

# in_net_namespace CMD...: CMD on the host in network and PID namespaces of
# its own, whose only interface is a loopback that is up (as sysgate's): fixed
# ports are free whatever else runs on the host, and the processes CMD leaves
# behind end with it (it is PID 1 there, as a program run by sysgate is).
in_net_namespace() {
    local user=--map-root-user
    [ "$(id -u)" = 0 ] && user=
    # shellcheck disable=SC2086
    unshare $user --net --pid --fork --kill-child /bin/busybox sh -c '/bin/busybox ifconfig lo up && exec "$@"' sh "$@"
}

expect_status() {
    local want=$1
    [ "$status" = "$want" ] || { show_run; fail "exit status $status, expected $want"; }
}

show_run() {
    echo "--- stdout:" >&2; head -c 4000 "$T/out" >&2
    echo "--- stderr:" >&2; head -c 4000 "$T/err" >&2
}

# differential PROGRAM ARGS...: runs PROGRAM on the host and under sysgate;
# stdout and the exit status must be identical.
differential() {
    # A missing program would fail alike on both sides and compare equal.
    [ -x "$1" ] || command -v "$1" >/dev/null || { fail "no program $1 (not built?)"; return 1; }
    host_run "$@"
    sg_run "$@"
    if [ "$status" != "$host_status" ]; then
        show_run
        fail "exit status on sysgate $status, on the host $host_status"
        return 1
    fi
    if ! cmp -s "$T/host.out" "$T/out"; then
        diff -u "$T/host.out" "$T/out" | head -40 >&2
        fail "stdout differs between the host and sysgate"
        return 1
    fi
}

# Same, and stderr too: sysgate adds nothing to the program's own.
differential_with_stderr() {
    differential "$@" || return 1
    if ! cmp -s "$T/host.err" "$T/err"; then
        diff -u "$T/host.err" "$T/err" | head -40 >&2
        fail "stderr differs between the host and sysgate"
    fi
}

expect_stderr_line() {
    grep -q -- "$1" "$T/err" || { show_run; fail "stderr lacks: $1"; }
}

# dynamic_adds PROGRAM...: the `sysgate run` options that copy the programs'
# interpreters and shared libraries, as the host's ldd lists them, into the
# guest at the same paths, each once; nothing for static programs.
dynamic_adds() {
    ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && NF == 2 { print $1 }' |
        sort -u | sed 's/.*/--add &:&/'
}

# differential_dynamic PROGRAM ARGS...: differential for a dynamically
# linked PROGRAM, its libraries added to the guest.
differential_dynamic() {
    SG_RUN_OPTIONS="$(dynamic_adds "$1")" differential "$@"
}

# ---- strace-format traces (tests/cases/trace.sh, tests/cases/debugger.sh) ----

TRACE_GATES='(syscall|int80|sysenter|syscall32)( socketcall)?'

# trace_joined FILE: every call on one line "PID call = result": an unfinished
# call joined with its resumption, strace's "[pid N]" and sysgate's gate mark
# gone; lines of other kinds as they are.
trace_joined() {
    sed -E -e 's/^\[pid +([0-9]+)\] /\1 /' -e "s/ \[($TRACE_GATES)\]\$//" "$1" |
        awk '
        {
            pid = $1
            text = $0
            sub(/^[0-9]+ +/, "", text)
            if (text ~ / <unfinished \.\.\.>$/) {
                sub(/ <unfinished \.\.\.>$/, "", text)
                pending[pid] = text
                next
            }
            if (text ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
                sub(/^<\.\.\. [a-z0-9_]+ resumed>/, "", text)
                text = pending[pid] text
                delete pending[pid]
            }
            print pid " " text
        }'
}

# trace_section FILE: the lines between tracecalls' two marker calls, in the
# form both tracers share. Each process's lines are put together, in their
# order, the processes in the order they first appear, as P1, P2...; an
# unfinished call and its resumption become one line; addresses become
# 0xADDR, pids PID, the working directory DIR; the padding before "=" one
# space; the gate mark goes. Signals and ends ("---", "+++") are compared,
# but for the signals a program ignores (SIGCHLD, the SIG_IGN'd SIGUSR1):
# Linux queues them only because strace's ptrace watches, and sysgate, like
# an untraced Linux, drops them when sent (docs/tracing.md).
trace_section() {
    trace_joined "$1" |
        awk '
        /write\(-1, "trace-begin"/ { inside = 1 }
        !inside { next }
        { print }
        /write\(-1, "trace-end"/ { exit }' |
        grep -Ev '^[0-9]+ +--- (SIGCHLD|SIGUSR1) ' |
        awk '
        {
            pid = $1
            text = $0
            sub(/^[0-9]+ +/, "", text)
            if (!(pid in role)) { role[pid] = "P" ++roles; order[roles] = pid }
            lines[pid] = lines[pid] role[pid] " " text "\n"
        }
        END { for (i = 1; i <= roles; i++) printf "%s", lines[order[i]] }' |
        sed -E -e 's/^(P[0-9]+ syscall_0x[0-9a-f]+\([^,]*, [^,]*, [^,]*),.*\) +=/\1, ...) =/' \
            -e 's/0x[0-9a-f]+/0xADDR/g' -e 's/\) +=/) =/' \
            -e 's/stx_mask=[A-Z_|]+/stx_mask=.../' \
            -e 's/nodename="[^"]*"/nodename=NAME/' -e 's/(it_value=\{tv_sec=)[0-9]+, tv_usec=[0-9]+(\}\}\) =)/\1S, tv_usec=U\2/' \
            -e 's/^(P[0-9]+ (getpid|gettid|wait4|vfork|fork|clone)\(.*\) = )[0-9]+$/\1PID/' \
            -e 's/^(P[0-9]+ (kill|wait4))\([0-9]+,/\1(PID,/' -e 's/si_pid=[0-9]+/si_pid=PID/' \
            -e 's/^(P[0-9]+ getcwd\()"[^"]*"(, [0-9]+\) = )[0-9]+$/\1DIR\2LENGTH/'
}
