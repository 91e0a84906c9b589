#!/bin/sh
# Makes sure the Debian packages sysgate builds and runs with are installed:
# installs the missing ones when run as root, and otherwise prints the one
# apt-get line to run. With --fuzz: the packages `make fuzz` needs instead (clang with
# libFuzzer and the sanitizers' runtimes).
set -eu
packages="gcc make binutils libc6-dev gcc-multilib musl-tools qemu-system-x86 busybox-static cpio libxen-dev gdb strace python3 perl coreutils"
if [ "${1:-}" = --fuzz ]; then
    packages="clang libclang-rt-dev"
fi
missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "sysgate: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >/dev/null
else
    echo "sysgate: missing Debian packages; run: sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
