# The hypervisor from user space (SPEC section 9): privcmd with Linux's ABI,
# the hypercalls (tests/progs/privcmd.c, built against libxen-dev's headers,
# checks each and the errors), the console ring through `xl dmesg`, `xl info`,
# `hypercall`, and where the host sees the hypervisor console.

BUSYBOX=/bin/busybox

# privcmd_program BUILD: the checks pass, the monitor survives them, and
# `xl dmesg` afterwards shows the string the program put there.
privcmd_program() {
    local program=$1/privcmd marker="privcmd-marker-$RANDOM"
    [ -x "$program" ] || { fail "no $program (not built?)"; return 1; }
    sg_run --add "$program:/host/privcmd" $BUSYBOX sh -c "/host/privcmd $marker && xl dmesg"
    expect_status 0 || return 1
    ! grep -q '^FAIL' "$T/out" || { grep '^FAIL' "$T/out" >&2; fail "privcmd checks failed"; return 1; }
    grep -q '^privcmd: [1-9][0-9]* checks, 0 failed$' "$T/out" || { show_run; fail "no summary line"; return 1; }
    grep -qx "$marker" "$T/out" || { show_run; fail "xl dmesg lacks the print_string"; return 1; }
    ! grep -q "$marker" "$T/err" || fail "the hypervisor console reached stderr unasked"
}
test_privcmd_glibc() { privcmd_program $GLIBC; }
test_privcmd_musl() { privcmd_program $MUSL; }
test_privcmd_i386() { privcmd_program $I386; }

test_privcmd_nodes() {
    sg_run $BUSYBOX sh -c 'ls -l /dev/xen/privcmd /proc/xen/privcmd /proc/xen/capabilities; cat /proc/xen/capabilities'
    expect_status 0 || return 1
    grep -q '^crw-------  *1 root  *root  *10, *60 .* /dev/xen/privcmd$' "$T/out" || { show_run; fail "/dev/xen/privcmd"; return 1; }
    grep -q '^-rw-------  *1 root  *root .* /proc/xen/privcmd$' "$T/out" || { show_run; fail "/proc/xen/privcmd"; return 1; }
    grep -q '^-r--r--r--  *1 root  *root .* /proc/xen/capabilities$' "$T/out" || { show_run; fail "capabilities"; return 1; }
    grep -qx 'control_d' "$T/out" || { show_run; fail "capabilities' text"; }
}

# hypercall STRING, then xl dmesg shows it; xl dmesg -c clears the ring.
test_hypercall_and_xl_dmesg() {
    sg_run $BUSYBOX sh -c 'hypercall hello from  user space && xl dmesg && echo CLEARING && xl dmesg -c >/dev/null && echo AFTER && xl dmesg && echo END'
    expect_status 0 || return 1
    grep -qx 'hello from user space' "$T/out" || { show_run; fail "xl dmesg lacks the string"; return 1; }
    grep -q '^(XEN) sysgate hypervisor 1\.0: hypercall page at 0x' "$T/out" || { show_run; fail "no hypervisor line"; return 1; }
    [ "$(sed -n '/^AFTER$/,/^END$/p' "$T/out")" = "$(printf 'AFTER\nEND')" ] || { show_run; fail "xl dmesg -c did not clear"; }
}

test_hypercall_errors() {
    sg_run $BUSYBOX sh -c 'hypercall; echo "status $?"; hypercall "$(head -c 1100 /dev/zero | tr "\0" x)"; echo "status $?"'
    grep -qx 'status 2' "$T/out" && grep -qx 'status 1' "$T/out" || { show_run; fail "statuses"; return 1; }
    grep -q '^usage: hypercall STRING' "$T/err" || { show_run; fail "no usage"; return 1; }
    grep -q 'longer than 1023 bytes' "$T/err" || { show_run; fail "no length message"; }
}

test_xl_info() {
    sg_run $BUSYBOX sh -c 'xl info'
    expect_status 0 || return 1
    for line in 'xen_major              : 1' 'xen_minor              : 0' 'xen_extra              : -sysgate' \
        'xen_version            : 1.0-sysgate' 'xen_caps               : hvm-3.0-x86_64' \
        'xen_pagesize           : 4096' 'machine                : x86_64'; do
        grep -qxF "$line" "$T/out" || { show_run; fail "xl info lacks: $line"; return 1; }
    done
    for field in xen_changeset cc_compiler cc_compile_by cc_compile_date; do
        grep -q "^$field *: ." "$T/out" || { show_run; fail "xl info lacks $field"; return 1; }
    done
}

# The hypervisor console reaches the host only where asked, each line prefixed.
test_hv_console_verbose() {
    sg_run --verbose $BUSYBOX sh -c 'hypercall shown under verbose'
    expect_status 0 || return 1
    grep -qx '(XEN) shown under verbose' "$T/err" || { show_run; fail "--verbose does not show the console"; }
}
test_hv_console_file() {
    sg_run --hv-console "$T/console" $BUSYBOX sh -c 'hypercall written to the file'
    expect_status 0 || return 1
    grep -qx '(XEN) written to the file' "$T/console" || { cat "$T/console" >&2; fail "not in the --hv-console file"; return 1; }
    ! grep -q 'written to the file' "$T/err" || fail "also on stderr"
}
test_hv_console_not_on_stderr() {
    sg_run $BUSYBOX sh -c 'hypercall kept off stderr; echo to stderr >&2'
    expect_status 0 || return 1
    [ "$(cat "$T/err")" = "to stderr" ] || { show_run; fail "stderr is not the program's own"; }
}

# Booted without the sysgate hypervisor (plain `qemu -kernel`, no sysgate.hv=
# word), the kernel has no /proc/xen and no /dev/xen, as Linux without Xen.
# The program's output then goes to COM1, QEMU's stdio; the end of PID 1 is a
# triple fault, which ends QEMU (-no-reboot).
test_no_xen_without_hypervisor() {
    mkdir -p "$T/root/etc/sysgate"
    printf '/bin/sh\0003\000sh\000-c\000ls /proc/xen /dev/xen; echo BOOTED-WITHOUT-HV\0000\000/\000' \
        >"$T/root/etc/sysgate/init.args"
    (cd "$T/root" && find . -mindepth 1 | cpio --quiet -o -H newc -R 0:0) >"$T/second.cpio"
    cp build/initramfs.cpio "$T/initrd.cpio" && truncate -s %4 "$T/initrd.cpio" && cat "$T/second.cpio" >>"$T/initrd.cpio"
    timeout "$RUN_TIMEOUT" "${SYSGATE_QEMU:-qemu-system-x86_64}" -M microvm -nodefaults -no-user-config \
        -display none -no-reboot -accel tcg -cpu max -m 256M -kernel build/kernel.elf \
        -initrd "$T/initrd.cpio" -serial stdio </dev/null >"$T/out" 2>"$T/err"
    grep -q 'BOOTED-WITHOUT-HV' "$T/out" || { show_run; fail "the program did not run"; return 1; }
    grep -q '/proc/xen: No such file or directory' "$T/out" || { show_run; fail "/proc/xen exists"; return 1; }
    grep -q '/dev/xen: No such file or directory' "$T/out" || { show_run; fail "/dev/xen exists"; }
}
