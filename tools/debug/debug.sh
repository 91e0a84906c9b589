#!/bin/sh
# `make debug`: boots PROGRAM under `sysgate run --gdb` on a private unix socket, in the
# background, and runs gdb with tools/debug/sysgate.gdb attached to it in the foreground
# (docs/debugging.md). When gdb quits, the guest goes with it.
#
#   tools/debug/debug.sh [SYSGATE-RUN-OPTIONS...] -- PROGRAM [ARGS...]
#
# The program's standard input is /dev/null: gdb owns the terminal. To type into the
# program, run `build/sysgate run --gdb PROGRAM` and gdb in two terminals instead.
set -eu
cd "$(dirname "$0")/../.."
SYSGATE=${SYSGATE:-build/sysgate}
SOCKET_WAIT_TRIES=200 # of 0.05 s: QEMU creates the socket within a fraction of that

options=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    options="$options $1"
    shift
done
[ $# -ge 2 ] || { echo "usage: $0 [SYSGATE-RUN-OPTIONS...] -- PROGRAM [ARGS...]" >&2; exit 2; }
shift
program=$1
command -v gdb >/dev/null || { echo "sysgate: make debug needs gdb (apt-get install gdb)" >&2; exit 1; }

directory=$(mktemp -d "${TMPDIR:-/tmp}/sysgate-debug.XXXXXX")
socket=$directory/gdb.sock
monitor=
finish() {
    if [ -n "$monitor" ]; then
        ended=1
        if kill -0 "$monitor" 2>/dev/null; then
            ended=0
            kill -TERM "$monitor" 2>/dev/null || true # the monitor takes QEMU with it
        fi
        status=0
        wait "$monitor" 2>/dev/null || status=$?
        [ $ended = 0 ] || echo "sysgate: $program ended with status $status" >&2
    fi
    rm -rf "$directory"
}
trap finish EXIT

# A ^C is gdb's, to stop the guest: neither this script (whose exit would end the session)
# nor the monitor (in a session of its own: it takes SIGINT even when it is ignored) may
# take it.
trap '' INT

# shellcheck disable=SC2086 # the options are words
setsid "$SYSGATE" run $options --gdb="$socket" "$@" </dev/null &
monitor=$!
tries=0
while [ ! -S "$socket" ]; do
    kill -0 "$monitor" 2>/dev/null || exit 1 # the monitor said why
    tries=$((tries + 1))
    [ $tries -le $SOCKET_WAIT_TRIES ] || { echo "sysgate: QEMU's gdb stub did not appear at $socket" >&2; exit 1; }
    sleep 0.05
done
# shellcheck disable=SC2016 # the backquotes are gdb's text
gdb -q -nx -x tools/debug/sysgate.gdb -ex "sg-attach $socket $program" \
    -ex 'echo sysgate: the guest is stopped before its first instruction; `continue` runs it to the first system call\n'
