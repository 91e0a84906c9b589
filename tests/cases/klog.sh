# The kernel log: syslog(2), /dev/kmsg, /proc/kmsg and busybox's dmesg
# (docs/kernel-log.md). The bad-argument errnos and /dev/kmsg reading are
# compared with the host's (they neither consume nor clear anything there);
# what writes, consumes or clears runs on sysgate only.

# On the host, syslog(2) needs CAP_SYSLOG for everything but READ_ALL and
# SIZE_BUFFER: without root the host side would answer EPERM.
klog_differential() {
    if [ "$(id -u)" != 0 ]; then
        echo "klog: the host side needs root; checking sysgate alone" >&2
        sg_run "$@"
        expect_status 0 && ! grep -q '^FAIL' "$T/out" || { show_run; fail "$*"; }
        return
    fi
    differential "$@"
}

test_klog_syslog_bad_arguments_glibc() { klog_differential $GLIBC/klog args; }
test_klog_syslog_bad_arguments_musl() { klog_differential $MUSL/klog args; }
test_klog_syslog_bad_arguments_i386() { klog_differential $I386/klog args; }

test_klog_dev_kmsg_reading_glibc() { klog_differential $GLIBC/klog kmsg; }
test_klog_dev_kmsg_reading_i386() { klog_differential $I386/klog kmsg; }

# klog_on_sysgate PROGRAM MODE: every check of the mode passes.
klog_on_sysgate() {
    sg_run "$@"
    expect_status 0 || return 1
    grep -q '^ok' "$T/out" || { show_run; fail "no checks ran"; }
}

test_klog_dev_kmsg_writing_glibc() { klog_on_sysgate $GLIBC/klog write; }
test_klog_dev_kmsg_writing_i386() { klog_on_sysgate $I386/klog write; }
test_klog_syslog_read_and_clear_musl() { klog_on_sysgate $MUSL/klog syslog; }
test_klog_syslog_read_and_clear_i386() { klog_on_sysgate $I386/klog syslog; }

# dmesg shows the boot messages in Linux's format, the informational ones
# too, which the console (the host's stderr) did not show.
test_klog_dmesg_shows_the_boot_log() {
    sg_run /bin/busybox dmesg
    expect_status 0 || return 1
    head -1 "$T/out" | grep -q '^\[    0\.000000\] sysgate kernel: ' || { show_run; fail "no banner first"; }
    if grep -qvE '^\[ *[0-9]+\.[0-9]{6}\] ' "$T/out"; then
        show_run
        fail "a line not in Linux's dmesg format"
    fi
    grep -q '\] Run /host/busybox as init process$' "$T/out" || { show_run; fail "no init line"; }
    local lstar
    lstar=$(nm build/kernel.elf | awk '$3 == "entry_syscall_64" { print $1 }')
    grep -q "gates: syscall at 0x$lstar (LSTAR)" "$T/out" || { show_run; fail "no gates line with LSTAR=$lstar"; }
    grep -q '\] clock: TSC at' "$T/out" || { show_run; fail "no clock line"; }
    ! grep -q 'clock: TSC at' "$T/err" || { show_run; fail "an info message reached the console"; }
}

test_klog_dmesg_c_clears() {
    sg_run /bin/busybox sh -c 'dmesg >all; dmesg -c >cleared; cmp all cleared && dmesg | wc -c &&
        echo "<6>after the clear" >/dev/kmsg && dmesg'
    expect_status 0 || return 1
    head -1 "$T/out" | grep -qx ' *0' || { show_run; fail "dmesg after dmesg -c is not empty"; }
    tail -n +2 "$T/out" | grep -qxE '\[ *[0-9]+\.[0-9]{6}\] after the clear' || { show_run; fail "new message"; }
    [ "$(wc -l <"$T/out")" = 2 ] || { show_run; fail "more than the new message"; }
}

test_klog_dmesg_raw_priorities() {
    sg_run /bin/busybox sh -c 'echo "<3>raw error" >/dev/kmsg; dmesg -r'
    expect_status 0 || return 1
    head -1 "$T/out" | grep -q '^<6>\[    0\.000000\] sysgate kernel: ' || { show_run; fail "no <6> banner"; }
    tail -1 "$T/out" | grep -qE '^<11>\[ *[0-9]+\.[0-9]{6}\] raw error$' || { show_run; fail "no <11> line"; }
}

# dmesg -n sets the console level: below it a message reaches the console
# (the host's stderr under --verbose), at or above it only the log.
test_klog_dmesg_n_sets_the_console_level() {
    sg_run --verbose --cmdline loglevel=5 /bin/busybox sh -c 'dmesg -n 1; echo "<3>hidden-message" >/dev/kmsg;
        dmesg -n 8; echo "<6>shown-message" >/dev/kmsg; dmesg | grep -c -- -message'
    expect_status 0 || return 1
    grep -qx 2 "$T/out" || { show_run; fail "the log lacks a message"; }
    grep -q 'shown-message' "$T/err" || { show_run; fail "level 6 not shown at console level 8"; }
    ! grep -q 'hidden-message' "$T/err" || { show_run; fail "level 3 shown at console level 1"; }
}

test_klog_proc_kmsg_consumes() {
    sg_run /bin/busybox sh -c 'dd if=/proc/kmsg bs=65536 count=1 2>/dev/null | head -1;
        echo "<6>for proc" >/dev/kmsg; dd if=/proc/kmsg bs=65536 count=1 2>/dev/null'
    expect_status 0 || return 1
    head -1 "$T/out" | grep -q '^<6>\[    0\.000000\] sysgate kernel: ' || { show_run; fail "no boot log first"; }
    tail -n +2 "$T/out" | grep -qxE '<14>\[ *[0-9]+\.[0-9]{6}\] for proc' || { show_run; fail "not only the new line"; }
}
