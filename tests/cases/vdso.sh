# The vDSOs' clock_getres and getcpu against the system calls, and their
# unwind information.

test_vdso_getres_glibc() { differential $GLIBC/vdsogetres; }
test_vdso_getres_musl() { differential $MUSL/vdsogetres; }
test_vdso_getres_i386() { differential $I386/vdsogetres; }

# The host's Linux has no 32-bit __vdso_clock_getres_time64 to compare with:
# sysgate's is compared with its own clock_getres_time64 system call.
test_vdso_getres_time64_i386() {
    sg_run $I386/vdsogetres time64
    [ "$status" = 0 ] || fail "the vDSO's clock_getres_time64 differs from the system call: $(grep -v same "$T/out")"
    grep -q '^getres_time64 1: same (returns 0)$' "$T/out" || fail "CLOCK_MONOTONIC not compared"
}

# Debuggers and unwinders find the vDSO's unwind tables through PT_GNU_EH_FRAME.
test_vdso_images_have_eh_frame() {
    for so in build/vdso/vdso64.so build/vdso/vdso32.so; do
        readelf -lW $so | grep -q '^ *GNU_EH_FRAME ' || fail "$so has no PT_GNU_EH_FRAME"
    done
    # __kernel_vsyscall, and the sigreturn trampolines as signal frames.
    readelf -wf build/vdso/vdso32.so | grep -q 'Augmentation: *"zRS"' || fail "no signal-frame CIE in vdso32.so"
}

# libgcc's unwinder walks from a handler through __kernel_sigreturn or
# __kernel_rt_sigreturn and __kernel_vsyscall to the caller of kill().
test_vdso_unwind_i386() { differential $I386/vdsounwind; }
