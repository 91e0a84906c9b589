# Per-task state: a call's ABI belongs to the task that makes it. A parent of
# one ABI waits for a child of the other that slept and exited in its own
# calls; the parent's calls keep the parent's ABI (compatchild.c).

# compat_pair PARENT CHILD: the same pair on the host and on sysgate, the
# child at the same absolute path in both.
compat_pair() {
    local parent=$1 child=$PWD/$2
    [ -x "$parent" ] && [ -x "$child" ] || { fail "no $parent or $child (not built?)"; return 1; }
    host_run "$parent" parent "$child"
    sg_run --add "$child:$child" "$parent" parent "$child"
    expect_status "$host_status" || return 1
    if ! cmp -s "$T/host.out" "$T/out"; then
        diff -u "$T/host.out" "$T/out" | head -40 >&2
        fail "stdout differs between the host and sysgate"
    fi
}

test_pertask_64bit_parent_of_32bit_child() { compat_pair $GLIBC/compatchild $I386/compatchild; }
test_pertask_64bit_musl_parent_of_32bit_child() { compat_pair $MUSL/compatchild $I386/compatchild; }
test_pertask_32bit_parent_of_64bit_child() { compat_pair $I386/compatchild $GLIBC/compatchild; }

# The caller's flags (DF) come back from a call that sleeps while another
# process enters the kernel with DF clear: sysenter's flags are saved per CPU
# at first, and must travel with the call (sleepflags.c).
PERTASK_INTEL_CPU=Skylake-Client-v1 # GenuineIntel: __kernel_vsyscall uses sysenter
test_pertask_sleeping_call_keeps_flags_glibc() { differential $GLIBC/sleepflags; }
test_pertask_sleeping_call_keeps_flags_i386() { differential $I386/sleepflags; }
test_pertask_sleeping_call_keeps_flags_i386_sysenter() {
    host_run $I386/sleepflags
    sg_run --cpu $PERTASK_INTEL_CPU $I386/sleepflags
    expect_status "$host_status" || return 1
    diff -u "$T/host.out" "$T/out" >&2 || fail "flags across a sleeping sysenter call differ from the host's"
}
