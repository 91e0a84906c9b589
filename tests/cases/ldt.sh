# modify_ldt(2) and segments of a program's own (docs/ldt.md), against the
# Linux host.

test_ldt_modify_glibc() { differential $GLIBC/ldt_modify; }
test_ldt_modify_musl() { differential $MUSL/ldt_modify; }
test_ldt_modify_i386() { differential $I386/ldt_modify; }

# Far calls and returns from user mode read and write the stack with
# supervisor rights in QEMU 7.2's TCG, which SMAP then refuses: the i386
# build (lcall, lret) runs on a CPU model without SMAP. The 64-bit builds
# come back with far jumps and run on the default model.
LDT_NO_SMAP_CPU=Haswell

test_ldt_segments_glibc() { differential $GLIBC/ldt_segments; }
test_ldt_segments_musl() { differential $MUSL/ldt_segments; }
test_ldt_segments_i386() {
    host_run $I386/ldt_segments
    sg_run --cpu $LDT_NO_SMAP_CPU $I386/ldt_segments
    if [ "$status" != "$host_status" ] || ! cmp -s "$T/host.out" "$T/out"; then
        diff -u "$T/host.out" "$T/out" | head -40 >&2
        fail "exit status $status or stdout differs from the host's ($host_status)"
        return 1
    fi
}
