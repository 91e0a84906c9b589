# Processes and signals (issue 4), against the Linux host, for both ABIs.

test_processes_glibc() { differential $GLIBC/procs; }
test_processes_musl() { differential $MUSL/procs; }
test_processes_i386() { differential $I386/procs; }
test_signals_glibc() { differential $GLIBC/signals; }
test_signals_musl() { differential $MUSL/signals; }
test_signals_i386_amd() { differential $I386/signals; }
test_signals_i386_intel() {
    host_run $I386/signals
    sg_run --cpu Skylake-Client-v1 $I386/signals
    expect_status 0
    diff -u "$T/host.out" "$T/out" >&2 || fail "signals differ on an Intel CPU (sysenter)"
}

test_threads_glibc() { differential $GLIBC/threads; }
test_threads_musl() { differential $MUSL/threads; }
test_threads_i386() { differential $I386/threads; }
# A signal sent to the process waits there for whichever thread unblocks it first
# (tests/progs/procsignals.c).
test_threads_process_signals_glibc() { differential $GLIBC/procsignals; }
test_threads_process_signals_musl() { differential $MUSL/procsignals; }
test_threads_process_signals_i386() { differential $I386/procsignals; }
# A stop signal stops every thread of the process; SIGCONT starts them all (tests/progs/groupstop.c).
test_threads_group_stop_glibc() { differential $GLIBC/groupstop; }
test_threads_group_stop_musl() { differential $MUSL/groupstop; }
test_threads_group_stop_i386() { differential $I386/groupstop; }
# execve ends the process's other threads, whichever thread calls it (tests/progs/execthreads.c).
test_threads_exec_ends_others_glibc() { differential $GLIBC/execthreads; }
test_threads_exec_ends_others_musl() { differential $MUSL/execthreads; }
test_threads_exec_ends_others_i386() { differential $I386/execthreads; }
# A child with a second thread ends (exit, exit_group, pthread_exit, SIGTERM):
# its parent's waitpid gets the status once every thread is gone.
test_threaded_child_exit_glibc() { differential $GLIBC/threadexit; }
test_threaded_child_exit_musl() { differential $MUSL/threadexit; }
test_threaded_child_exit_i386() { differential $I386/threadexit; }
# MAP_SHARED anonymous memory and /dev/zero: one object for every process.
test_shared_anonymous_memory_glibc() { differential $GLIBC/shmanon; }
test_shared_anonymous_memory_musl() { differential $MUSL/shmanon; }
test_shared_anonymous_memory_i386() { differential $I386/shmanon; }
test_job_control_waits_glibc() { differential $GLIBC/jobstop; }
test_job_control_waits_musl() { differential $MUSL/jobstop; }
test_job_control_waits_i386() { differential $I386/jobstop; }
test_fifo_glibc() { differential $GLIBC/fifo; }
test_fifo_musl() { differential $MUSL/fifo; }
test_fifo_i386() { differential $I386/fifo; }
# Descriptors shared by threads (tests/progs/fdshare.c): a call keeps its open
# file while another thread closes or dup2s over the descriptor.
test_fd_shared_by_threads_glibc() { differential $GLIBC/fdshare; }
test_fd_shared_by_threads_musl() { differential $MUSL/fdshare; }
test_fd_shared_by_threads_i386() { differential $I386/fdshare; }

# iam in one process, whoami in the next; a failed iam keeps the old name.
test_iam_whoami_across_processes() {
    sg_run /bin/busybox sh -c 'iam bob && /bin/whoami && iam this-name-is-far-too-long-for-iam; echo $?; /bin/whoami'
    expect_status 0
    printf 'bob\n1\nbob\n' | cmp -s - "$T/out" || { cat "$T/out" >&2; fail "iam/whoami across processes"; }
}

# ^Z stops a job and the shell sees it stopped (waitpid with WUNTRACED);
# SIGCONT continues it.
test_stop_and_continue() {
    differential /bin/busybox sh -c 'sleep 10 & p=$!; kill -STOP $p; sleep 0.2; kill -CONT $p; kill $p; wait $p; echo $?'
}

# siginfo from every sender (kill, tkill, sigqueue, the kernel, children,
# faults), real-time signals queued with their values, rt_sigtimedwait.
test_siginfo_glibc() { differential $GLIBC/siginfo; }
test_siginfo_musl() { differential $MUSL/siginfo; }
test_siginfo_i386() { differential $I386/siginfo; }

# Interrupted calls end as on Linux: a stop and continue lets sleeps, polls,
# sigsuspend and timed futex waits carry on (restart_syscall), a handler ends
# them with EINTR even with SA_RESTART, a read goes on (tests/progs/restart.c).
test_restart_glibc() { differential $GLIBC/restart; }
test_restart_musl() { differential $MUSL/restart; }
test_restart_i386() { differential $I386/restart; }

# execveat (relative, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, scripts) and an
# empty argv (tests/progs/execat.c).
test_execveat_glibc() { differential $GLIBC/execat; }
test_execveat_musl() { differential $MUSL/execat; }
test_execveat_i386() { differential $I386/execat; }

# A 64-bit program's handler runs as 64-bit code when the signal interrupts
# its 32-bit code, and sigreturn goes back there; a bad CS in the frame is
# SIGSEGV (tests/progs/sigabi.c; x86-64 builds only).
test_signal_abi_follows_the_handler_glibc() { differential $GLIBC/sigabi; }
test_signal_abi_follows_the_handler_musl() { differential $MUSL/sigabi; }

# Priorities and policies (tests/progs/schedprio.c): nice, the sched_*
# calls and sched_setattr/getattr, SCHED_RESET_ON_FORK, personality, getcpu.
test_sched_priorities_glibc() { differential $GLIBC/schedprio; }
test_sched_priorities_musl() { differential $MUSL/schedprio; }
test_sched_priorities_i386() { differential $I386/schedprio; }

# A signal whose frame cannot be written becomes SIGSEGV (tests/progs/sigaltfail.c).
test_signal_frame_failure_glibc() { differential $GLIBC/sigaltfail; }
test_signal_frame_failure_musl() { differential $MUSL/sigaltfail; }
test_signal_frame_failure_i386() { differential $I386/sigaltfail; }
# The mask in a handler's ucontext is the one before the signal, at the ABI's place, and
# what the handler leaves there is the mask the program returns to.
test_signal_ucontext_mask_glibc() { differential $GLIBC/ucmask; }
test_signal_ucontext_mask_musl() { differential $MUSL/ucmask; }
test_signal_ucontext_mask_i386() { differential $I386/ucmask; }
# A signal that interrupts user code gives back every register, also while a task is
# traced or the kernel traces (every call then takes the full path) (tests/progs/sigregs.c).
test_signal_keeps_registers_glibc() { differential $GLIBC/sigregs; }
test_signal_keeps_registers_musl() { differential $MUSL/sigregs; }
test_signal_keeps_registers_i386() { differential $I386/sigregs; }
test_signal_keeps_registers_traced_glibc() { SG_RUN_OPTIONS="--trace-file $T/trace" differential $GLIBC/sigregs; }
test_signal_keeps_registers_traced_i386() { SG_RUN_OPTIONS="--trace-file $T/trace" differential $I386/sigregs; }
# ymm registers: kept across signals and context switches, in Linux's xsave frame layout (tests/progs/avxstate.c).
test_avx_state_glibc() { differential $GLIBC/avxstate; }
test_avx_state_musl() { differential $MUSL/avxstate; }
test_avx_state_i386() { differential $I386/avxstate; }
