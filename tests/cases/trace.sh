# sysgate run --trace: strace's format (docs/tracing.md), compared with the
# host's own strace on the same static programs.

# The same program under the host's strace -f -s 32 and sysgate's trace.
trace_matches_strace() { # PROGRAM
    command -v strace >/dev/null || { fail "no strace on the host"; return 1; }
    mkdir -p "$T/host-dir"
    strace -f -s 32 -o "$T/strace.txt" "$1" "$T/host-dir" blocking >/dev/null 2>&1 ||
        { fail "$1 failed under the host's strace"; return 1; }
    sg_run --trace-file "$T/trace.txt" "$1" /tmp blocking
    expect_status 0 || return 1
    trace_section "$T/strace.txt" >"$T/host.cmp"
    trace_section "$T/trace.txt" >"$T/sg.cmp"
    [ "$(wc -l <"$T/host.cmp")" -gt 30 ] || { cat "$T/strace.txt" >&2; fail "the host's trace has no section"; return 1; }
    diff -u "$T/host.cmp" "$T/sg.cmp" >&2 || fail "sysgate's trace differs from strace's"
}
test_trace_matches_strace_glibc() { trace_matches_strace $GLIBC/tracecalls; }
test_trace_matches_strace_musl() { trace_matches_strace $MUSL/tracecalls; }
test_trace_matches_strace_i386() { trace_matches_strace $I386/tracecalls; }

# A vfork lasts until the child exits, and the child makes a call first: the
# parent's vfork is cut as unfinished by the child's line, and resumed after
# the child's exit, on lines of their own (the glibc, musl and i386 C
# libraries all make the vfork system call).
test_trace_unfinished_and_resumed() {
    local prog
    for prog in $GLIBC/tracecalls $MUSL/tracecalls $I386/tracecalls; do
        sg_run --trace-file "$T/trace.txt" $prog /tmp blocking
        expect_status 0
        sed -E -e "s/ \[($TRACE_GATES)\]\$//" -e 's/ +=/ =/' "$T/trace.txt" |
            grep -A4 '^1 vfork( <unfinished \.\.\.>$' >"$T/got"
        # the process before had number 2
        printf '%s\n' '1 vfork( <unfinished ...>' '3 write(-1, "vfork-child", 11) = -1 EBADF (Bad file descriptor)' \
            '3 exit_group(0) = ?' '3 +++ exited with 0 +++' '1 <... vfork resumed>) = 3' >"$T/want"
        diff -u "$T/want" "$T/got" >&2 || { cat "$T/trace.txt" >&2; fail "$prog: vfork is not unfinished and resumed"; }
    done
}

# --trace=NAME,NAME: those calls only, on every ABI.
test_trace_filter() {
    local prog names
    for prog in $GLIBC/tracecalls $MUSL/tracecalls $I386/tracecalls; do
        sg_run --trace=openat,open,close --trace-file "$T/trace.txt" "$prog" /tmp
        expect_status 0
        # the ends of processes are shown whatever the filter, as strace shows them
        names=$(grep -v '^[0-9]* +++ ' "$T/trace.txt" | sed -E 's/^[0-9]+ ([a-z0-9_]+)\(.*/\1/' | sort -u | tr '\n' ' ')
        case "$names" in
        "close open " | "close openat ") ;;
        *) cat "$T/trace.txt" >&2; fail "$prog: --trace=openat,open,close traced: $names" ;;
        esac
        grep -q '= -1 ENOENT (No such file or directory) \[' "$T/trace.txt" || fail "$prog: no failed open"
    done
}

# --trace-summary: strace -c's table; its calls and errors columns are the
# host's for the calls the program makes after the C library's start-up.
test_trace_summary() {
    mkdir -p "$T/host-dir"
    strace -f -c -o "$T/strace.txt" $GLIBC/tracecalls "$T/host-dir" blocking >/dev/null 2>&1
    sg_run --trace-summary --trace-file "$T/summary.txt" $GLIBC/tracecalls /tmp blocking
    expect_status 0
    [ -s "$T/summary.txt" ] || { show_run; fail "no summary"; return 1; }
    head -2 "$T/summary.txt" >"$T/head"
    printf '%% time     seconds  usecs/call     calls    errors syscall\n%s\n' \
        '------ ----------- ----------- --------- --------- ----------------' >"$T/want"
    diff -u "$T/want" "$T/head" >&2 || fail "the table's head is not strace's"
    grep -Eq '^100\.00 +[0-9]+\.[0-9]{6} +[0-9]+ +[0-9]+ +[0-9]+ total$' "$T/summary.txt" ||
        { cat "$T/summary.txt" >&2; fail "no total line"; }
    local call
    for call in openat close read write unlink pipe2 socket dup2 kill getpid wait4 munmap mprotect; do
        # calls, and errors when the row has them
        host=$(awk -v c=$call '$NF == c { print $4, (NF == 6 ? $5 : 0) }' "$T/strace.txt")
        ours=$(awk -v c=$call '$NF == c { print $4, (NF == 6 ? $5 : 0) }' "$T/summary.txt")
        [ -n "$ours" ] && [ "$host" = "$ours" ] || fail "$call: calls and errors on the host '$host', on sysgate '$ours'"
    done
    total=$(awk '$NF == "total" { print $4 }' "$T/summary.txt")
    sum=$(awk 'NR > 2 && /^ *[0-9]/ && $NF != "total" { n += $4 } END { print n }' "$T/summary.txt")
    [ "$total" = "$sum" ] || fail "the total says $total calls, the rows $sum"
    ! grep -q '^[0-9]* [a-z_0-9]*(' "$T/summary.txt" || fail "trace lines without --trace"
}

# The trace never enters the program's stdout; with --trace-file it leaves
# stderr alone too, and without, stderr has the trace and the program's own
# lines only.
test_trace_file_keeps_stdio_clean() {
    host_run $GLIBC/hello one
    sg_run --trace-file "$T/trace.txt" $GLIBC/hello one
    expect_status 0
    cmp "$T/host.out" "$T/out" || fail "stdout differs with --trace-file"
    cmp "$T/host.err" "$T/err" || { cat "$T/err" >&2; fail "stderr differs with --trace-file"; }
    grep -q '^1 write(1, "hello, world\\none\\n", 17) *= 17 \[syscall\]$' "$T/trace.txt" ||
        { cat "$T/trace.txt" >&2; fail "no write in the trace file"; }
    sg_run --trace $GLIBC/hello one
    expect_status 0
    cmp "$T/host.out" "$T/out" || fail "stdout differs with --trace"
    grep -v '^[0-9]\+ ' "$T/err" >"$T/rest"
    cmp "$T/host.err" "$T/rest" || { cat "$T/err" >&2; fail "stderr holds more than the trace and the program's"; }
    grep -q '^1 exit_group(0) *= ? \[syscall\]$' "$T/err" || fail "no exit_group in the trace"
}

# A call sysgate does not have is named from its table; a number no table has
# is shown as strace does, syscall_0xNNN with the raw arguments.
test_trace_enosys_by_name_and_number() {
    sg_run --trace $GLIBC/tracecalls /tmp
    expect_status 0
    grep -Eq '^1 uselib\((NULL|0)[,)].* += -1 ENOSYS \(Function not implemented\) \[syscall\]$' "$T/err" ||
        { cat "$T/err" >&2; fail "uselib is not named"; }
    grep -Eq '^1 syscall_0x3e8\(0x1, 0x2, 0x3, .*\) += -1 ENOSYS \(Function not implemented\) \[syscall\]$' "$T/err" ||
        fail "an unknown number is not shown as syscall_0x3e8"
    sg_run --trace $I386/tracecalls /tmp
    grep -Eq '^1 syscall_0x3e8\(0x1, 0x2, 0x3, .*= -1 ENOSYS .*\[(int80|sysenter|syscall32)\]$' "$T/err" ||
        fail "i386: an unknown number is not shown as syscall_0x3e8"
}

test_trace_rejects_a_bad_filter() {
    sg_run --trace=open,,close $GLIBC/hello
    expect_status 125
    grep -q 'give system-call names' "$T/err" || fail "no message for a bad --trace="
    # a name no ABI has is said once, on stderr; the program runs
    sg_run --trace=write,nosuchcall --trace-file "$T/trace.txt" $GLIBC/hello
    expect_status 0
    grep -qx 'sysgate: --trace=nosuchcall: no system call has this name' "$T/err" ||
        { show_run; fail "no message for an unknown name"; }
    grep -q '^1 write(1, ' "$T/trace.txt" || fail "the known name is not traced"
}

# execveat's arguments are decoded before the program is replaced: the path,
# argv and the environment's size, as strace shows them. The first three
# calls are the same everywhere; the later ones depend on the host's files.
test_trace_execveat_matches_strace() {
    strace -f -s 32 -o "$T/strace.txt" $GLIBC/execat >/dev/null 2>&1 || { fail "execat failed under strace"; return 1; }
    sg_run --trace-file "$T/trace.txt" $GLIBC/execat
    expect_status 0
    trace_joined "$T/strace.txt" | sed -nE 's/^[0-9]+ +(execveat\(.*\)) += (.*)$/\1 = \2/p' | head -3 >"$T/host.cmp"
    trace_joined "$T/trace.txt" | sed -nE 's/^[0-9]+ +(execveat\(.*\)) += (.*)$/\1 = \2/p' | head -3 >"$T/sg.cmp"
    [ -s "$T/host.cmp" ] || { fail "no execveat under strace"; return 1; }
    diff -u "$T/host.cmp" "$T/sg.cmp" >&2 || fail "execveat's lines differ from strace's"
}

# Every name of both system-call tables has its description: the generator
# fails the build, naming the call, when one lacks it.
test_trace_every_call_described() {
    tools/gen-trace-args.sh kernel/trace/syscall_args.tbl 64 kernel/entry/syscall_64.tbl \
        kernel/entry/syscall_32.tbl "$T/64.h" || fail "the description does not cover the x86-64 table"
    tools/gen-trace-args.sh kernel/trace/syscall_args.tbl 32 kernel/entry/syscall_32.tbl \
        kernel/entry/syscall_64.tbl "$T/32.h" || fail "the description does not cover the i386 table"
    ! grep -q ', -1, ' "$T/64.h" "$T/32.h" || fail "a call shown raw"
    grep -v '^setuid32 ' kernel/trace/syscall_args.tbl >"$T/lacking.tbl"
    if tools/gen-trace-args.sh "$T/lacking.tbl" 32 kernel/entry/syscall_32.tbl kernel/entry/syscall_64.tbl \
        "$T/lacking.h" 2>"$T/err"; then
        fail "a description without setuid32 was accepted"
    fi
    grep -q 'setuid32 (number 213 of the 32-bit table) has no description' "$T/err" ||
        { cat "$T/err" >&2; fail "the missing call is not named"; }
}
