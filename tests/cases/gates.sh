# Every gate of SPEC section 4, for both ABIs, against the Linux host.

INTEL_CPU=Skylake-Client-v1     # GenuineIntel: __kernel_vsyscall uses sysenter
AMD_CPU=EPYC-v1                 # AuthenticAMD: syscall in compatibility mode
OTHER_CPU=qemu64,vendor=CentaurHauls  # neither: int $0x80

test_gates_64bit() { differential $GLIBC/gates; }

# The gates every x86-64 CPU defines alike (int $0x80, and __kernel_vsyscall,
# which picks the CPU's own instruction), on any CPU model, against the host.
test_gates_i386_default_cpu() { differential $I386/gates; }
gates_i386_on() {
    host_run $I386/gates
    sg_run --cpu "$1" $I386/gates
    expect_status 0
    diff -u "$T/host.out" "$T/out" >&2 || fail "gates differ on $1"
}
test_gates_i386_intel() { gates_i386_on $INTEL_CPU; }
test_gates_i386_amd() { gates_i386_on $AMD_CPU; }
test_gates_i386_other_vendor() { gates_i386_on "$OTHER_CPU"; }

# A direct sysenter is the vendor's to define (docs/cpu-vendors.md): Intel
# executes it in compatibility mode, AMD raises #UD. On an Intel CPU model it
# must give what int $0x80 gives on Linux, call for call; the host's own CPU
# is never the oracle.
test_sysenter_direct_on_intel_matches_int80() {
    host_run $I386/gates int80
    sed 's/^int80:/sysenter:/' "$T/host.out" >"$T/expected"
    sg_run --cpu $INTEL_CPU $I386/gates sysenter
    expect_status 0
    diff -u "$T/expected" "$T/out" >&2 || fail "sysenter differs from Linux's int \$0x80"
}

# The trap flag set by the caller: the call completes, the trap after it kills
# the process with SIGTRAP (133), as on Linux, and the kernel stays up.
test_trap_flag_64bit() {
    for gate in syscall int80; do differential $GLIBC/gates tf $gate; done
}
test_trap_flag_i386() {
    for gate in int80 vsyscall; do
        differential $I386/gates tf $gate
        sg_run --cpu $INTEL_CPU $I386/gates tf $gate
        [ "$status" = "$host_status" ] || fail "trap flag through $gate on Intel: $status, host $host_status"
    done
}
test_trap_flag_sysenter_on_intel() {
    host_run $I386/gates tf int80
    [ "$host_status" = 133 ] || fail "the host's int \$0x80 under the trap flag gave $host_status"
    sg_run --cpu $INTEL_CPU $I386/gates tf sysenter
    expect_status "$host_status"
    grep -q '^single-stepping into sysenter$' "$T/out" || { show_run; fail "no output before the trap"; }
}

# The trace names the gate each call came through: glibc's i386 calls go
# through __kernel_vsyscall, which must use the CPU's own fast instruction.
vsyscall_gate_for_cpu() { # CPU EXPECTED_GATE
    sg_run --cpu "$1" --trace $I386/hello
    expect_status 0
    grep -q "write(.*\[$2\]" "$T/err" || { show_run; fail "write did not come through $2 on $1"; }
}
test_vsyscall_uses_sysenter_on_intel() { vsyscall_gate_for_cpu $INTEL_CPU sysenter; }
test_vsyscall_uses_syscall_on_amd() { vsyscall_gate_for_cpu $AMD_CPU syscall32; }
test_vsyscall_uses_int80_elsewhere() { vsyscall_gate_for_cpu "$OTHER_CPU" int80; }

test_i386_glibc_hello() { differential_with_stderr $I386/hello one "two words"; }
test_i386_exit_statuses() {
    for code in 0 1 42 255; do
        sg_run $I386/exitcode $code
        expect_status $code
    done
}
test_i386_alloc() { differential $I386/alloc64; }
test_i386_malloc_stress() { differential $I386/malloc_stress; }
test_i386_faults() {
    for what in kaddr hlt ud2 div0 null; do
        differential $I386/faults $what
    done
}

# The exit42 demonstrations: 42 on sysgate, and on the host for every gate that
# does not depend on the CPU's vendor.
exit42_both() {
    host_run build/user/exit42-$1
    [ "$host_status" = 42 ] || fail "exit42-$1 on the host gave $host_status"
    sg_run "${@:2}" build/user/exit42-$1
    expect_status 42
}
test_exit42_syscall64() { exit42_both syscall64; }
test_exit42_int80_from_64bit() { exit42_both int80_64; }
test_exit42_int80_32bit() { exit42_both int80_32; }
# A direct sysenter works on Intel CPUs only (docs/cpu-vendors.md).
test_exit42_sysenter_direct() {
    sg_run --cpu $INTEL_CPU build/user/exit42-sysenter
    expect_status 42
}
test_exit42_vsyscall() {
    exit42_both vsyscall
    for cpu in $INTEL_CPU $AMD_CPU "$OTHER_CPU"; do
        sg_run --cpu "$cpu" build/user/exit42-vsyscall
        expect_status 42
    done
}

# iam/whoami/kstack_size (SPEC section 6) through every gate; the host's
# kernel does not have them, so the program checks itself.
iamtest_on() {
    sg_run "$@"
    expect_status 0
    grep -q 'iamtest: all ok' "$T/out" || { show_run; fail "iamtest failed"; }
    ! grep -q FAIL "$T/out" || { grep FAIL "$T/out" >&2; fail "iamtest reported failures"; }
}
test_iam_whoami_64bit() { iamtest_on $GLIBC/iamtest; }
test_iam_whoami_musl() { iamtest_on $MUSL/iamtest; }
test_iam_whoami_i386_amd() { iamtest_on --cpu $AMD_CPU $I386/iamtest; }
test_iam_whoami_i386_intel() { iamtest_on --cpu $INTEL_CPU $I386/iamtest; }
test_iam_whoami_i386_other() { iamtest_on --cpu "$OTHER_CPU" $I386/iamtest; }

test_kstack_size_is_the_real_size() {
    want=$(sed -n 's/^#define KERNEL_STACK_SIZE \([0-9]*\).*/\1/p' kernel/include/layout.h)
    sg_run build/user/kstack_size
    expect_status 0
    [ "$(cat "$T/out")" = "$want" ] || fail "kstack_size printed $(cat "$T/out"), the kernel's stacks are $want bytes"
}

test_vdso_time_matches_syscall() {
    sg_run $GLIBC/vdsotime
    expect_status 0
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "vDSO time disagrees"; }
}

test_vdso_time_matches_syscall_i386() {
    for cpu in $INTEL_CPU $AMD_CPU; do
        sg_run --cpu $cpu $I386/vdsotime
        expect_status 0
        ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "32-bit vDSO time disagrees on $cpu"; }
    done
}

test_vdso_is_used_for_clock_gettime() {
    sg_run --trace $GLIBC/vdsotime
    expect_status 0
    # Exactly the explicit syscall() reads reach the kernel: the vDSO served the rest.
    n=$(grep -c 'clock_gettime(' "$T/err")
    [ "$n" -eq 6 ] || { grep clock_gettime "$T/err" | head >&2; fail "$n clock_gettime system calls, expected 6"; }
}

test_vdso_images_have_no_relocations() {
    for so in build/vdso/vdso64.so build/vdso/vdso32.so; do
        readelf -r "$so" | grep -q 'There are no relocations' || fail "$so has relocations"
    done
}
