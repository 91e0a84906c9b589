#!/bin/bash
# bench/linux.sh - the Linux reference for `make bench` (SPEC section 11):
# Debian's own kernel (package linux-image-amd64) booted in the same QEMU as
# sysgate (microvm, TCG, -cpu max) with one static program as its /init.
#
#   bench/linux.sh setup            install the kernel if missing (as root;
#                                   otherwise print the apt-get line), and
#                                   prepare it for booting; prints its path
#   bench/linux.sh initramfs PROG   build the initramfs for PROG; prints its path
#   bench/linux.sh boot PROG [ARGS...]
#                                   boot once with PROG as /init, print what
#                                   the program prints (kernel messages left
#                                   out); exit 0 when the guest powered off,
#                                   the program's status (128+N for signal N)
#                                   when it exited instead (Linux panics then
#                                   and QEMU ends), 124 on timeout, 125 if the
#                                   kernel panicked for another reason
#   bench/linux.sh qemu-cmd PROG [ARGS...]
#                                   print the QEMU command line of `boot`, one
#                                   word per line (for the benchmark driver,
#                                   which times QEMU itself)
#
# How the boot is made fast (measured in docs/benchmarks.md):
#   - The kernel is booted through its PVH entry, like sysgate: Debian's
#     vmlinuz is a bzImage whose payload is the kernel ELF (vmlinux),
#     XZ-compressed; Debian builds it with CONFIG_PVH=y. We extract vmlinux
#     once (cached) and hand it to QEMU's -kernel, which skips the bzImage
#     decompressor (over 2 s under TCG). LINUX_BOOT=bzimage boots the vmlinuz
#     as it is instead.
#   - quiet: printing the boot log on the emulated UART costs ~0.3 s.
#   - cryptomgr.notests: skips the crypto self-tests (~0.3 s under TCG).
#   - tsc_early_khz=: without it the kernel calibrates the TSC against the
#     emulated PIT, which under TCG fails now and then ("tsc: Unable to
#     calibrate against PIT"), and the boot hangs. Under TCG the guest's TSC is
#     the host's, so we pass the host's TSC frequency; under -icount shift=0
#     the guest TSC counts guest nanoseconds, i.e. 1 GHz.
#   - panic=-1 and QEMU's -no-reboot: if the program exits instead of powering
#     off, Linux panics ("Attempted to kill init!"), reboots at once, and QEMU
#     exits instead of rebooting. A normal run ends with the program calling
#     reboot(RB_POWER_OFF): microvm's ACPI (GED) power-off ends QEMU.
#
# Environment (all optional):
#   QEMU=qemu-system-x86_64   LINUX_KERNEL=/boot/vmlinuz-VERSION (default:
#   the newest installed)     LINUX_BOOT=pvh|bzimage (default pvh)
#   LINUX_WORK=build/bench/linux (cache: vmlinux, initramfs files)
#   BENCH_MEM=256M  BENCH_CPU=max  ICOUNT=1 (adds -icount shift=0,sleep=off)
#   TIMEOUT=120 (seconds, for `boot`)
#   LINUX_CMDLINE="console=ttyS0 panic=-1 quiet cryptomgr.notests" (the base)
#   LINUX_CMDLINE_EXTRA="..." (appended)
#   LINUX_INIT_PATH=init (where the program goes; another path adds rdinit=)
#   LINUX_CPIO_EXTRA="HOST:GUEST ..." (more files for the initramfs, with
#   their directories; the 9p benchmark's modules)
#   LINUX_QEMU_EXTRA="..." (more QEMU arguments, split at spaces)
#   TSC_KHZ=N|none (default: measured with build/bench/timer --tsc-khz, else
#   read from /proc/cpuinfo; none: no tsc_early_khz=)   TIMER=build/bench/timer
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
QEMU=${QEMU:-qemu-system-x86_64}
LINUX_BOOT=${LINUX_BOOT:-pvh}
LINUX_WORK=${LINUX_WORK:-$root/build/bench/linux}
BENCH_MEM=${BENCH_MEM:-256M}
BENCH_CPU=${BENCH_CPU:-max}
TIMEOUT=${TIMEOUT:-120}
TIMER=${TIMER:-$root/build/bench/timer}
APT_LINE="apt-get install -y --no-install-recommends linux-image-amd64"

die() { echo "linux.sh: $*" >&2; exit 1; }

find_vmlinuz() {
    if [ -n "${LINUX_KERNEL:-}" ]; then
        [ -r "$LINUX_KERNEL" ] || die "LINUX_KERNEL=$LINUX_KERNEL is not readable"
        echo "$LINUX_KERNEL"
        return
    fi
    local k
    # shellcheck disable=SC2012
    k=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$k" ] && [ -r "$k" ] && echo "$k"
}

ensure_kernel() {
    local k
    k=$(find_vmlinuz || true)
    if [ -z "$k" ]; then
        if [ "$(id -u)" = 0 ]; then
            echo "linux.sh: installing Debian's kernel: $APT_LINE" >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
                linux-image-amd64 >&2 || {
                apt-get update >&2 && DEBIAN_FRONTEND=noninteractive \
                    apt-get install -y --no-install-recommends linux-image-amd64 >&2; }
            k=$(find_vmlinuz || true)
        fi
        [ -n "$k" ] || { echo "linux.sh: Debian's kernel is not installed; run as root: $APT_LINE" >&2; exit 3; }
    fi
    command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install -y qemu-system-x86)"
    echo "$k"
}

# Extracts the kernel ELF (vmlinux) from a bzImage, like the kernel's
# scripts/extract-vmlinux: find a compressed stream that decompresses to ELF.
extract_vmlinux() {
    local img=$1 out=$2 tmp=$2.tmp magic tool off
    for pair in "fd377a585a00:xz -dc" "28b52ffd:zstd -dc" "1f8b0800:gzip -dc" \
                "894c5a4f000d0a1a0a:lzop -dc" "02214c18:lz4 -dc" "5d000000:xz -dc --format=lzma"; do
        magic=${pair%%:*} tool=${pair#*:}
        command -v "${tool%% *}" >/dev/null || continue
        for off in $(od -An -v -tx1 -w1 "$img" | tr -d ' \n' | grep -bo "$magic" | cut -d: -f1 | head -n 5); do
            [ $((off % 2)) = 0 ] || continue
            tail -c +$((off / 2 + 1)) "$img" | $tool > "$tmp" 2>/dev/null || true
            if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
                mv "$tmp" "$out"
                return 0
            fi
        done
    done
    rm -f "$tmp"
    return 1
}

# The -kernel argument: the cached vmlinux (PVH) or the vmlinuz itself.
kernel_image() {
    local k
    k=$(ensure_kernel)
    if [ "$LINUX_BOOT" = bzimage ]; then
        echo "$k"
        return
    fi
    mkdir -p "$LINUX_WORK"
    local v
    v="$LINUX_WORK/vmlinux-$(basename "$k" | sed 's/^vmlinuz-//')"
    if [ ! -s "$v" ] || [ "$k" -nt "$v" ]; then
        extract_vmlinux "$k" "$v" ||
            die "cannot extract vmlinux from $k (set LINUX_BOOT=bzimage to boot it as is)"
    fi
    echo "$v"
}

# Writes a cpio "newc" archive: /dev, /dev/console (c 5 1), /proc, /bin and
# the program as /init (or as /$LINUX_INIT_PATH, which the kernel is then
# told to run with rdinit=: bin/sh makes busybox an interactive shell).
# Written here byte by byte so that no root rights (mknod) are needed.
write_cpio() {
    local prog=$1 out=$2 ino=1 path=${LINUX_INIT_PATH:-init}
    hdr() {     # NAME MODE SIZE [RDEVMAJOR RDEVMINOR]
        local name=$1 mode=$2 size=$3 nl=$(( ${#1} + 1 ))
        printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
            "$ino" "$mode" 0 0 1 0 "$size" 0 0 "${4:-0}" "${5:-0}" "$nl" 0
        printf '%s\0' "$name"
        head -c $(( (4 - (110 + nl) % 4) % 4 )) /dev/zero
        ino=$((ino + 1))
    }
    local size
    size=$(stat -L -c %s "$prog")
    {
        hdr dev $((0040755)) 0
        hdr dev/console $((0020600)) 0 5 1
        hdr proc $((0040555)) 0
        hdr bin $((0040755)) 0
        hdr "$path" $((0100755)) "$size"
        cat "$prog"
        head -c $(( (4 - size % 4) % 4 )) /dev/zero
        local extra host guest rest prefix made=" bin dev proc "
        for extra in ${LINUX_CPIO_EXTRA:-}; do
            host=${extra%%:*} guest=${extra#*:} rest=${extra#*:} prefix=
            while [[ $rest == */* ]]; do
                prefix+=${rest%%/*}
                rest=${rest#*/}
                [[ $made == *" $prefix "* ]] || { hdr "$prefix" $((0040755)) 0; made+="$prefix "; }
                prefix+=/
            done
            size=$(stat -L -c %s "$host")
            hdr "$guest" $((0100644)) "$size"
            cat "$host"
            head -c $(( (4 - size % 4) % 4 )) /dev/zero
        done
        ino=0
        hdr 'TRAILER!!!' 0 0
    } > "$out.tmp"
    mv "$out.tmp" "$out"
}

initramfs() {
    local prog=$1
    [ -f "$prog" ] || die "$prog: no such file"
    mkdir -p "$LINUX_WORK"
    local out
    out="$LINUX_WORK/$(basename "$prog")$(echo "-${LINUX_INIT_PATH:-init}" | tr / _)"
    [ -n "${LINUX_CPIO_EXTRA:-}" ] && out+=-$(echo "$LINUX_CPIO_EXTRA" | md5sum | cut -c1-8)
    out+=.cpio
    if [ ! -s "$out" ] || [ "$prog" -nt "$out" ]; then
        write_cpio "$prog" "$out"
    fi
    echo "$out"
}

tsc_khz() {
    if [ -n "${TSC_KHZ:-}" ]; then
        echo "$TSC_KHZ"
    elif [ -n "${ICOUNT:-}" ]; then
        echo 1000000     # -icount shift=0: 1 instruction = 1 ns = 1 TSC tick
    elif [ -x "$TIMER" ]; then
        "$TIMER" --tsc-khz
    else
        awk -F: '/^cpu MHz/ { printf "%d\n", $2 * 1000; exit }' /proc/cpuinfo
    fi
}

qemu_cmd() {
    local prog=$1
    shift
    local kernel initrd khz
    kernel=$(kernel_image)
    initrd=$(initramfs "$prog")
    khz=$(tsc_khz)
    local cmdline=${LINUX_CMDLINE:-console=ttyS0 panic=-1 quiet cryptomgr.notests}
    [ -n "$khz" ] && [ "$khz" != none ] && cmdline+=" tsc_early_khz=$khz"
    [ "${LINUX_INIT_PATH:-init}" != init ] && cmdline+=" rdinit=/$LINUX_INIT_PATH"
    [ -n "${LINUX_CMDLINE_EXTRA:-}" ] && cmdline+=" $LINUX_CMDLINE_EXTRA"
    # Arguments after PROG go to init: the kernel passes words after "--".
    [ $# -gt 0 ] && cmdline+=" -- $*"
    local args=("$QEMU" -M microvm -accel tcg)
    [ -n "${ICOUNT:-}" ] && args+=(-icount "shift=0,sleep=off")
    args+=(-cpu "$BENCH_CPU" -m "$BENCH_MEM" -nodefaults -no-user-config
           -display none -no-reboot -serial stdio
           -kernel "$kernel" -initrd "$initrd" -append "$cmdline")
    # shellcheck disable=SC2206
    [ -n "${LINUX_QEMU_EXTRA:-}" ] && args+=($LINUX_QEMU_EXTRA)
    printf '%s\n' "${args[@]}"
}

boot() {
    local cmd=() rc=0
    mapfile -t cmd < <(qemu_cmd "$@")
    [ ${#cmd[@]} -gt 0 ] || exit 1
    local out
    out=$(mktemp)
    if command -v timeout >/dev/null; then
        timeout -k 2 "$TIMEOUT" "${cmd[@]}" < /dev/null > "$out" 2>&1 || rc=$?
    else
        "${cmd[@]}" < /dev/null > "$out" 2>&1 || rc=$?
    fi
    # The program's output, without the kernel's "[    1.234] ..." lines and
    # without the carriage returns the tty adds.
    tr -d '\r' < "$out" | grep -Ev '^\[ *[0-9]+\.[0-9]+\] ' || true
    local code
    code=$(tr -d '\r' < "$out" | sed -n 's/.*Kernel panic - not syncing: Attempted to kill init! exitcode=0x\([0-9a-fA-F]*\).*/\1/p' | head -n 1)
    if [ "$rc" = 124 ]; then
        echo "linux.sh: the guest did not power off within $TIMEOUT s" >&2
    elif [ -n "$code" ]; then
        # PID 1 exited instead of powering off: Linux panicked (and QEMU,
        # with -no-reboot, exited). Return init's status like `sysgate run`:
        # the exit code, or 128+N if signal N killed it.
        code=$((16#$code))
        if [ $((code & 0x7f)) != 0 ]; then rc=$((128 + (code & 0x7f))); else rc=$(((code >> 8) & 255)); fi
    elif grep -q 'Kernel panic' "$out"; then
        echo "linux.sh: the guest kernel panicked:" >&2
        grep -A2 'Kernel panic' "$out" | tr -d '\r' >&2
        rc=125
    fi
    rm -f "$out"
    return "$rc"
}

case "${1:-}" in
setup)     ensure_kernel >/dev/null; kernel_image ;;
initramfs) [ $# -eq 2 ] || die "usage: linux.sh initramfs PROGRAM"; initramfs "$2" ;;
boot)      [ $# -ge 2 ] || die "usage: linux.sh boot PROGRAM [ARGS...]"; shift; boot "$@" ;;
qemu-cmd)  [ $# -ge 2 ] || die "usage: linux.sh qemu-cmd PROGRAM [ARGS...]"; shift; qemu_cmd "$@" ;;
*)         sed -n '2,/^set -e/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
