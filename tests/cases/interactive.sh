# `sysgate shell` at a terminal (a pseudo-terminal driven by build/ptydrive,
# playing a script as a person would).

# drive_shell SCRIPT STATUS: the session must end with STATUS.
drive_shell() {
    status=0
    build/ptydrive "$1" -- "$SYSGATE" shell >"$T/out" 2>"$T/err" || status=$?
    if [ "$status" != "$2" ]; then
        tail -c 2000 "$T/out" >&2
        cat "$T/err" >&2
        fail "the session ended with $status, expected $2"
    fi
}

# iam and whoami as two processes, ^C interrupting `sleep 100` and giving the
# prompt back, and `exit 5` powering off with status 5.
test_interactive_shell() { drive_shell tests/interactive/shell.script 5; }

# Job control: a background job that reads the terminal stops with SIGTTIN,
# one that writes it with TOSTOP set stops with SIGTTOU, as ash reports them.
test_interactive_job_control() { drive_shell tests/interactive/jobs.script 4; }

# ^A three times at the terminal switches its input to the hypervisor, as on
# Xen's serial console: a program reads it with CONSOLEIO_read; three more
# switch it back to the guest's shell.
test_interactive_hypervisor_input() {
    status=0
    build/ptydrive tests/interactive/hvinput.script -- "$SYSGATE" shell --add "$GLIBC/privcmd:/host/privcmd" \
        >"$T/out" 2>"$T/err" || status=$?
    if [ "$status" != 7 ]; then
        tail -c 2000 "$T/out" >&2
        cat "$T/err" >&2
        fail "the session ended with $status, expected 7"
    fi
}
