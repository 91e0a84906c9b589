# The sysgate monitor: exit statuses, and one clear line for every bad input.

test_missing_program_is_127() {
    sg_run ./no/such/program
    expect_status 127
    expect_stderr_line 'No such file'
}

test_non_elf_program_is_126() {
    printf 'just text\n' >"$T/text"
    chmod +x "$T/text"
    sg_run "$T/text"
    expect_status 126
}

test_program_without_execute_bit_is_126() {
    cp $GLIBC/hello "$T/noexec"
    chmod -x "$T/noexec"
    sg_run "$T/noexec"
    expect_status 126
}

test_timeout_is_124() {
    status=0
    "$SYSGATE" run --timeout 1 $GLIBC/spin >"$T/out" 2>"$T/err" </dev/null || status=$?
    expect_status 124
    grep -q spinning "$T/out" || fail "the program did not start"
    expect_stderr_line 'timed out'
}

test_unknown_option() {
    sg_run --no-such-option $GLIBC/hello
    expect_status 125
    [ "$(grep -c '^sysgate: ' "$T/err")" -ge 1 ] || fail "no message"
}

test_absurd_memory_size() {
    for size in 0 1K 100T banana; do
        sg_run --mem $size $GLIBC/hello
        expect_status 125
        expect_stderr_line 'sysgate: '
    done
}

test_missing_kernel() {
    sg_run --kernel "$T/none.elf" $GLIBC/hello
    expect_status 125
    expect_stderr_line 'none.elf'
}

test_non_elf_kernel() {
    printf 'not an elf' >"$T/kernel"
    sg_run --kernel "$T/kernel" $GLIBC/hello
    expect_status 125
    expect_stderr_line 'sysgate: '
}

test_kernel_without_pvh_note() {
    sg_run --kernel $GLIBC/hello $GLIBC/hello
    expect_status 125
    expect_stderr_line 'PVH'
}

test_missing_qemu() {
    sg_run --qemu "$T/no-qemu" $GLIBC/hello
    expect_status 125
    expect_stderr_line 'sysgate: '
}

# A malformed initramfs makes the kernel panic: 125, with a message naming it.
test_kernel_panic_is_125() {
    head -c 4096 /dev/urandom >"$T/garbage.cpio"
    sg_run --initrd "$T/garbage.cpio" $GLIBC/hello
    expect_status 125
    expect_stderr_line 'panic'
}

# Whatever ends sysgate (timeout, a signal), its QEMU ends with it. A marker on
# the kernel command line tells this test's QEMU from the others running.
qemu_with_marker_exists() { pgrep -f "$1" >/dev/null; }

test_no_qemu_left_behind_timeout() {
    marker="leftover-check-$$-$RANDOM"
    "$SYSGATE" run --timeout 1 --cmdline "$marker" $GLIBC/spin >/dev/null 2>&1 </dev/null || true
    sleep 0.3
    ! qemu_with_marker_exists "$marker" || fail "a QEMU process outlived sysgate"
}

test_no_qemu_left_behind_signals() {
    for signal in INT TERM HUP KILL; do
        marker="leftover-check-$$-$RANDOM"
        "$SYSGATE" run --cmdline "$marker" $GLIBC/spin >/dev/null 2>&1 </dev/null &
        pid=$!
        for _ in $(seq 50); do qemu_with_marker_exists "$marker" && break; sleep 0.1; done
        qemu_with_marker_exists "$marker" || fail "QEMU did not start"
        kill -$signal $pid
        wait $pid || true
        for _ in $(seq 30); do qemu_with_marker_exists "$marker" || break; sleep 0.1; done
        ! qemu_with_marker_exists "$marker" || fail "QEMU outlived sysgate killed by SIG$signal"
    done
}

# ---- the program's stdio through the rings in guest RAM ----

BB=/bin/busybox
STDIO_BYTES=$((64 << 20))

# 64 MiB into the program and 64 MiB back out, checksummed: the same bytes arrive.
test_stdio_64mib_each_way_checksummed() {
    head -c $STDIO_BYTES /dev/urandom >"$T/data"
    want=$(md5sum <"$T/data" | cut -d' ' -f1)
    status=0
    got=$("$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB cat <"$T/data" 2>"$T/err" | md5sum | cut -d' ' -f1) || status=$?
    expect_status 0
    [ "$got" = "$want" ] || fail "64 MiB through cat: checksum $got, expected $want"
    # stdin alone: the guest computes the checksum
    status=0
    got=$("$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB md5sum <"$T/data" 2>"$T/err" | cut -d' ' -f1) || status=$?
    expect_status 0
    [ "$got" = "$want" ] || fail "64 MiB into md5sum: checksum $got, expected $want"
}

# stdout alone, generated in the guest: the same bytes as the same program writes on the
# host (a pattern without a period: each 8-byte word is its own offset).
test_stdio_64mib_out_matches_host() {
    want=$(build/bench/stdiobench pattern $STDIO_BYTES | md5sum)
    got=$("$SYSGATE" run --timeout "$RUN_TIMEOUT" build/bench/stdiobench pattern $STDIO_BYTES </dev/null 2>"$T/err" | md5sum)
    [ "$got" = "$want" ] || fail "64 MiB from the guest: checksum $got, expected $want"
}

# A reader slower than the program: the program's writes wait for room in the ring
# (woken by the monitor's kick) and nothing is lost.
test_stdio_slow_reader_loses_nothing() {
    head -c $((8 << 20)) /dev/urandom >"$T/data"
    want=$(md5sum <"$T/data")
    got=$("$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB cat <"$T/data" 2>"$T/err" | { sleep 1; md5sum; })
    [ "$got" = "$want" ] || fail "slow reader: checksum $got, expected $want"
}

# A reader of stdin that finds the ring empty sleeps until the host's bytes come.
test_stdio_reader_waits_for_late_input() {
    got=$( (sleep 1; echo late) | "$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB head -n 1 2>"$T/err")
    [ "$got" = late ] || fail "got '$got', expected 'late'"
}

# poll on an empty stdin ring sleeps until the host's bytes come (busybox read -t polls).
test_stdio_poll_waits_for_late_input() {
    got=$( (sleep 1; echo late) | "$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB sh -c 'read -t 50 x; echo "got $x"' 2>"$T/err")
    [ "$got" = "got late" ] || fail "got '$got'"
}

# The end of the host's stdin is the program's end of file, at once.
test_stdio_end_of_input() {
    got=$(printf 'abc' | "$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB wc -c 2>"$T/err")
    [ "$got" = 3 ] || fail "wc -c saw '$got' bytes, expected 3"
    got=$("$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB wc -c </dev/null 2>"$T/err")
    [ "$got" = 0 ] || fail "wc -c of /dev/null saw '$got' bytes"
}

# `yes | head -2` as on Linux: yes dies of SIGPIPE once head is gone, and the run ends
# at once with its status, 141.
test_yes_head_ends_with_sigpipe() {
    status=0
    "$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB yes 2>"$T/err" </dev/null | head -2 >"$T/out" || true
    status=${PIPESTATUS[0]}
    expect_status 141
    [ "$(cat "$T/out")" = "$(printf 'y\ny')" ] || fail "head saw: $(head -c 100 "$T/out")"
}

# With SIGPIPE ignored the write fails with EPIPE instead: the same message and status as
# the same busybox on the host.
test_closed_stdout_is_epipe() {
    host_status=0
    $BB sh -c 'trap "" PIPE; '$BB' yes' 2>"$T/host.err" </dev/null | head -1 >/dev/null || true
    host_status=${PIPESTATUS[0]}
    status=0
    "$SYSGATE" run --timeout "$RUN_TIMEOUT" $BB sh -c 'trap "" PIPE; yes' 2>"$T/err" </dev/null | head -1 >/dev/null || true
    status=${PIPESTATUS[0]}
    expect_status "$host_status"
    cmp -s "$T/host.err" "$T/err" || { diff "$T/host.err" "$T/err" >&2; fail "stderr differs"; }
}

# `sysgate run prog 2>err` leaves exactly the program's stderr in err: no accelerator line
# (only --verbose names it).
test_stderr_holds_only_the_programs() {
    host_run $GLIBC/hello
    sg_run $GLIBC/hello
    expect_status "$host_status"
    cmp -s "$T/host.err" "$T/err" || { diff "$T/host.err" "$T/err" >&2; fail "stderr is not the program's own"; }
    sg_run --verbose $GLIBC/hello
    expect_stderr_line '^sysgate: using '
}

# A #! script runs through its interpreter in the guest, as --help says: #!/bin/sh is the
# guest's busybox sh, with the script's path and arguments.
test_script_program() {
    printf '#!/bin/sh\necho "args: $0 $*"\nexit 7\n' >"$T/script.sh"
    chmod +x "$T/script.sh"
    sg_run "$T/script.sh" one two
    expect_status 7
    [ "$(cat "$T/out")" = "args: /host/script.sh one two" ] || { show_run; fail "script output"; }
}

# An interpreter the guest does not have: 127 and the error in words.
test_script_without_interpreter() {
    printf '#!/no/such/interpreter\n' >"$T/script.sh"
    chmod +x "$T/script.sh"
    sg_run "$T/script.sh"
    expect_status 127
    expect_stderr_line 'cannot execute /host/script.sh: No such file or directory'
    ! grep -q 'error [0-9]' "$T/err" || fail "an error number instead of its text"
}
