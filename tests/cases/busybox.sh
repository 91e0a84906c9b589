# Debian's busybox-static, the same binary on the host and on sysgate: every
# snippet of tests/busybox/cases.txt runs in an empty directory on both, and
# stdout and the exit status must match. One test per snippet, named by its
# line number.

BUSYBOX=${BUSYBOX:-/bin/busybox}

# bb_snippet N: the snippet that starts on line N of the cases file.
bb_snippet() {
    awk -v want="$1" '
        NR == want && $0 == "<<<" { block = 1; next }
        block && $0 == ">>>" { exit }
        block { print; next }
        NR == want { print; exit }' tests/busybox/cases.txt
}

# On the host, PATH holds only busybox's applets (as in the guest's /bin), so
# that a snippet never reaches the host's own tools; the current directory
# is called tmp on both sides.
bb_host_path() {
    mkdir -p "$T/applets"
    local applet
    for applet in $("$BUSYBOX" --list); do
        ln -sf "$BUSYBOX" "$T/applets/$applet"
    done
    echo "$T/applets"
}

bb_case() {
    local snippet
    snippet=$(bb_snippet "$1")
    [ -n "$snippet" ] || fail "no snippet on line $1"
    mkdir -p "$T/host/tmp"
    local path
    path=$(bb_host_path)
    host_status=0
    (cd "$T/host/tmp" && env -i PATH="$path" HOME=/ "$BUSYBOX" sh -c "$snippet") >"$T/host.out" 2>"$T/host.err" </dev/null || host_status=$?
    sg_run "$BUSYBOX" sh -c "cd /tmp && $snippet"
    if [ "$status" != "$host_status" ] || ! cmp -s "$T/host.out" "$T/out"; then
        echo "snippet: $snippet" >&2
        echo "status: sysgate $status, host $host_status" >&2
        diff -u "$T/host.out" "$T/out" | head -30 >&2
        tail -5 "$T/err" >&2
        return 1
    fi
}

# One test function per snippet.
while IFS= read -r number; do
    eval "test_busybox_line_$number() { bb_case $number; }"
done < <(awk '
    block { if ($0 == ">>>") block = 0; next }
    $0 == "<<<" { print NR; block = 1; next }
    /^[[:space:]]*(#|$)/ { next }
    { print NR }' tests/busybox/cases.txt)
