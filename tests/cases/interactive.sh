# `sysgate shell` at a terminal (a pseudo-terminal driven by build/ptydrive):
# iam and whoami as two processes, ^C interrupting `sleep 100` and giving the
# prompt back, and `exit 5` powering off with status 5.

test_interactive_shell() {
    status=0
    build/ptydrive tests/interactive/shell.script -- "$SYSGATE" shell >"$T/out" 2>"$T/err" || status=$?
    if [ "$status" != 5 ]; then
        tail -c 2000 "$T/out" >&2
        cat "$T/err" >&2
        fail "the session ended with $status, expected 5"
    fi
}

# Job control: a background job that reads the terminal stops with SIGTTIN,
# one that writes it with TOSTOP set stops with SIGTTOU, as ash reports them.
test_interactive_job_control() {
    status=0
    build/ptydrive tests/interactive/jobs.script -- "$SYSGATE" shell >"$T/out" 2>"$T/err" || status=$?
    if [ "$status" != 4 ]; then
        tail -c 2000 "$T/out" >&2
        cat "$T/err" >&2
        fail "the session ended with $status, expected 4"
    fi
}
