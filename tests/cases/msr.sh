# /dev/cpu/0/msr and rdmsr: the gate MSRs hold what the kernel programmed,
# checked against the kernel's own symbols and constants (docs/kernel-log.md).
# The vendors differ (docs/cpu-vendors.md): on AMD hardware the SYSENTER
# ESP/EIP MSRs keep only 32 bits in long mode, so those two may read as the
# address's low half; every CPU model is expected to pass.

MSR_INTEL_CPU=Skylake-Client-v1
MSR_AMD_CPU=EPYC-v1

kernel_symbol() { nm build/kernel.elf | awk -v name="$1" '$3 == name { print $1 }'; }
kernel_constant() { awk -v name="$1" '$1 == "#define" && $2 == name { print $3 }' kernel/include/*.h; }

# msr_expect NAME VALUE [LOW32]: the line of `msr gates` for NAME is VALUE
# (or, with LOW32, VALUE's low 32 bits).
msr_expect() {
    local got want
    got=$(awk -v name="$1" '$1 == name { print $2 }' "$T/out")
    want=$(printf '0x%016x' "$2")
    [ "$got" = "$want" ] && return 0
    if [ -n "${3:-}" ] && [ "$got" = "$(printf '0x%016x' $(($2 & 0xffffffff)))" ]; then
        return 0
    fi
    show_run
    fail "$1 is $got, expected $want"
}

msr_gates_on() {
    sg_run --cpu "$1" "$2" gates
    expect_status 0 || return 1
    local kernel_cs user32_cs sysenter_flags
    kernel_cs=$(kernel_constant KERNEL_CS)
    user32_cs=$(kernel_constant USER32_CS)
    sysenter_flags=$(kernel_constant CPU_SYSENTER_FLAGS)
    [ -n "$kernel_cs" ] && [ -n "$user32_cs" ] && [ -n "$sysenter_flags" ] || fail "constants not found"
    msr_expect LSTAR "0x$(kernel_symbol entry_syscall_64)" || return 1
    msr_expect CSTAR "0x$(kernel_symbol entry_syscall_32)" || return 1
    msr_expect SYSENTER_EIP "0x$(kernel_symbol entry_sysenter_32)" low32 || return 1
    # The stack pointer is one word past the per-CPU slot that sysenter's pushfq fills.
    msr_expect SYSENTER_ESP $((0x$(kernel_symbol boot_cpu) + sysenter_flags + 8)) low32 || return 1
    msr_expect SYSENTER_CS "$kernel_cs" || return 1
    # syscall loads CS from bits 32-47, sysret from bits 48-63 (plus 16 for 64-bit).
    msr_expect STAR $(((user32_cs - 3) << 48 | kernel_cs << 32)) || return 1
    # Cleared on entry: IF, TF, DF, AC, NT and IOPL.
    msr_expect FMASK $((0x200 | 0x100 | 0x400 | 0x40000 | 0x4000 | 0x3000))
}

test_msr_gates_intel() { msr_gates_on $MSR_INTEL_CPU $GLIBC/msr; }
test_msr_gates_amd() { msr_gates_on $MSR_AMD_CPU $MUSL/msr; }
test_msr_gates_i386_amd() { msr_gates_on $MSR_AMD_CPU $I386/msr; }

test_msr_errors() {
    sg_run $GLIBC/msr errors
    expect_status 0
}

test_msr_errors_i386() {
    sg_run $I386/msr errors
    expect_status 0
}

test_rdmsr_shows_the_gates() {
    sg_run /bin/busybox sh -c 'rdmsr 0xc0000082; rdmsr -0 -c 0xc0000083; rdmsr -X -f 31:0 0x176; rdmsr -d 0x174;
        rdmsr -u 0xc0000084; rdmsr -f 63:48 0xc0000081; ls -l /dev/cpu/0/msr'
    expect_status 0 || return 1
    local sysenter want
    sysenter=$(kernel_symbol entry_sysenter_32)
    want=$(printf '%x\n0x%016x\n%X\n%d\n%d\n%x\n' "0x$(kernel_symbol entry_syscall_64)" \
        "0x$(kernel_symbol entry_syscall_32)" $((0x$sysenter & 0xffffffff)) "$(kernel_constant KERNEL_CS)" \
        $((0x200 | 0x100 | 0x400 | 0x40000 | 0x4000 | 0x3000)) $(($(kernel_constant USER32_CS) - 3)))
    if [ "$(head -6 "$T/out")" != "$want" ]; then
        diff <(echo "$want") <(head -6 "$T/out") >&2
        fail "rdmsr's output differs"
        return 1
    fi
    tail -1 "$T/out" | grep -q '^crw------- .* 202, *0 ' || { show_run; fail "not a root-only node 202,0"; }
}

test_rdmsr_all_cpus() {
    sg_run /bin/busybox sh -c 'rdmsr -a 0xc0000082'
    expect_status 0 || return 1
    [ "$(cat "$T/out")" = "CPU 0: $(kernel_symbol entry_syscall_64)" ] || { show_run; fail "rdmsr -a"; }
}

test_rdmsr_errors() {
    sg_run /bin/busybox sh -c 'rdmsr -p 1 0x10; echo "status $?"; rdmsr; echo "status $?";
        echo 12345678 | dd of=/dev/cpu/0/msr bs=8 seek=2 2>&1; echo "status $?"'
    expect_status 0 || return 1
    grep -qx 'rdmsr: open: No such file or directory' "$T/err" || { show_run; fail "no CPU 1 message"; }
    grep -qx 'Usage: rdmsr \[options\] regno' "$T/err" || { show_run; fail "no usage"; }
    grep -c 'status 127' "$T/out" | grep -qx 2 || { show_run; fail "statuses"; }
    grep -q "dd: error writing '/dev/cpu/0/msr': Operation not permitted" "$T/out" || { show_run; fail "write not EPERM"; }
}

# An MSR whose rdmsr faults reads as EIO. The x2APIC ID register (0x802)
# faults on every CPU while the APIC is in xAPIC mode, as sysgate keeps it,
# and in QEMU's TCG from 8.1 on; QEMU 7.2's TCG answers 0 for any MSR, and
# so it does for Linux there.
test_rdmsr_unreadable_msr() {
    sg_run /bin/busybox sh -c 'rdmsr 0x802; echo "status $?"'
    local version
    version=$(qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
    set -- $version
    if [ "${1:-0}" -lt 8 ] || { [ "$1" = 8 ] && [ "$2" = 0 ]; }; then
        grep -qx 'status 0' "$T/out" && head -1 "$T/out" | grep -qx 0 || { show_run; fail "QEMU $1.$2: expected 0"; }
        return
    fi
    grep -qx 'status 4' "$T/out" || { show_run; fail "expected status 4"; }
    grep -qx 'rdmsr: CPU 0 cannot read MSR 0x00000802' "$T/err" || { show_run; fail "no EIO message"; }
}
