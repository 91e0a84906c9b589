# ptrace(2) against the Linux host (tests/progs/ptrace.c): stops and their
# wait statuses, registers, memory and code pokes, signal injection,
# syscall-stops with PTRACE_GET_SYSCALL_INFO, fork/exec/exit events, attach,
# seize and interrupt, /proc/PID/status, single steps, a hardware
# watchpoint, the FPU, and the error paths (EPERM, ESRCH, EIO, EFAULT,
# EINVAL), on all three builds. The host must let a process trace its own
# children (Yama's ptrace_scope 0 or 1 does; the tests trace nothing else).
test_ptrace_glibc() { differential $GLIBC/ptrace; }
test_ptrace_musl() { differential $MUSL/ptrace; }
test_ptrace_i386() { differential $I386/ptrace; }

# A tracee's ymm registers through NT_X86_XSTATE: the xsave image, SETREGSET's errors and edits (tests/progs/ptracexstate.c).
test_ptrace_xstate_glibc() { differential $GLIBC/ptracexstate; }
test_ptrace_xstate_musl() { differential $MUSL/ptracexstate; }
test_ptrace_xstate_i386() { differential $I386/ptracexstate; }

# A stopped tracee's signal mask (PTRACE_GETSIGMASK/SETSIGMASK) and its thread's and process's pending siginfo (PTRACE_PEEKSIGINFO), with their errors (tests/progs/ptracesig.c).
test_ptrace_sigmask_and_peeksiginfo_glibc() { differential $GLIBC/ptracesig; }
test_ptrace_sigmask_and_peeksiginfo_musl() { differential $MUSL/ptracesig; }
test_ptrace_sigmask_and_peeksiginfo_i386() { differential $I386/ptracesig; }

# strace_pair TRACER TRACEE: a miniature strace (tests/progs/ptracestrace.c)
# of one ABI tracing a program of either, the tracee at the same absolute
# path on the host and in the guest.
strace_pair() {
    local tracer=$1 tracee=$PWD/$2
    [ -x "$tracer" ] && [ -x "$tracee" ] || { fail "no $tracer or $tracee (not built?)"; return 1; }
    host_run "$tracer" tracer "$tracee"
    sg_run --add "$tracee:$tracee" "$tracer" tracer "$tracee"
    expect_status "$host_status" || return 1
    if ! cmp -s "$T/host.out" "$T/out"; then
        diff -u "$T/host.out" "$T/out" | head -40 >&2
        fail "stdout differs between the host and sysgate"
    fi
}
test_ptrace_strace_64bit_tracee() { strace_pair $GLIBC/ptracestrace $GLIBC/ptracestrace; }
test_ptrace_strace_32bit_tracee() { strace_pair $GLIBC/ptracestrace $I386/ptracestrace; }
test_ptrace_strace_32bit_tracer_64bit_tracee() { strace_pair $I386/ptracestrace $GLIBC/ptracestrace; }
test_ptrace_strace_32bit_tracer_32bit_tracee() { strace_pair $I386/ptracestrace $I386/ptracestrace; }

