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
