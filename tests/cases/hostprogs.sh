# The host's own dynamically linked programs, as they are (docs/9p.md,
# docs/dynamic-programs.md): `sysgate run /bin/ls` gets the host's / as its
# read-only root through virtio-9p by itself, and starts in the directory it
# was run from. Each test runs the same command on the host and in sysgate
# and compares: the host side with the guest's environment, so that locale
# and variables cannot make them differ.

GUEST_ENV="env -i PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/"

# Where both sides run: a directory the guest sees (its /tmp is a tmpfs of its
# own, so not under the host's /tmp, where $T is), one per test, removed when
# the test's process ends.
hostprogs_workdir() {
    HOSTPROGS_DIR="$PWD/build/hostprogs/$(basename "$T")"
    SYSGATE=$(realpath "$SYSGATE")
    mkdir -p "$HOSTPROGS_DIR" && cd "$HOSTPROGS_DIR" || return 1
    trap 'rm -rf "$HOSTPROGS_DIR"' EXIT
}

# hostprog_differential PROGRAM ARGS...: both sides from the same directory,
# the output and the status the same.
hostprog_differential() {
    hostprogs_workdir || return 1
    HOST_WRAPPER="$GUEST_ENV${TERM:+ TERM=$TERM}" differential "$@"
}

test_hostprogs_ls_l_etc() { hostprog_differential /bin/ls -l /etc; }
test_hostprogs_ls_la_usr_bin() { hostprog_differential /bin/ls -la --time-style=full-iso /usr/bin; }

# Coreutils reading the host's files, and a shell pipeline of dynamic programs.
test_hostprogs_coreutils() {
    hostprog_differential /bin/sh -c 'sha256sum /etc/passwd /bin/ls; sort -r /etc/passwd | head -n 3; wc -l /etc/services; du -s /usr/share/doc/bash; id; date -u -d @86400 +%F; stat -c "%n %s %a %U %G %F" /etc/hostname /bin/sh /usr; find /usr/share/doc/coreutils | sort | head -n 5; printf "%s\n" b a c | sort | uniq -c'
}

test_hostprogs_python3() {
    hostprog_differential /usr/bin/python3 -c 'import hashlib, json, os, sys
print(json.dumps({"sha256": hashlib.sha256(b"sysgate").hexdigest(), "sum": sum(range(100000)), "cwd": os.getcwd(), "argv": sys.argv}, sort_keys=True))
print(sorted(os.listdir("/etc"))[:5])'
}

test_hostprogs_perl() {
    hostprog_differential /usr/bin/perl -e 'use Digest::MD5 qw(md5_hex); print join(",", map { $_ * 2 } 1 .. 5), "\n", md5_hex("sysgate"), "\n"; opendir(my $d, "/etc") or die; print scalar(grep { !/^\./ } readdir($d)) > 10 ? "many\n" : "few\n"'
}

# A C program compiled inside sysgate with the host's gcc, into the guest's
# tmpfs /tmp, then run: cc1, as and ld are all dynamic programs of the host.
test_hostprogs_gcc_compiles_and_runs() {
    hostprogs_workdir || return 1
    local snippet='cd "$1" && printf "#include <stdio.h>\nint main(void) { printf(\"%%d\\\\n\", 6 * 7); return 3; }\n" > h.c && gcc -O2 -o h h.c && ./h'
    mkdir -p "$T/host-tmp"
    $GUEST_ENV /bin/sh -c "$snippet" sh "$T/host-tmp" >"$T/host.out" 2>"$T/host.err" || host_status=$?
    sg_run /bin/sh -c "$snippet" sh /tmp
    expect_status 3 || return 1
    [ "$(cat "$T/out")" = 42 ] || { show_run; fail "the compiled program printed $(cat "$T/out")"; return 1; }
    cmp -s "$T/host.out" "$T/out" || fail "the host's compiled program printed $(cat "$T/host.out")"
}

# 32-bit dynamic programs find /lib/ld-linux.so.2 and /lib32 in the root too.
test_hostprogs_dynamic_i386() { hostprog_differential "$PWD/build/tests/dynamic32/procs"; }

# The root is the host's, read-only: writes fail with EROFS, as on a
# read-only mount, and the file does not appear on the host.
test_hostprogs_root_is_read_only() {
    local name=/etc/sysgate-erofs-$$
    hostprogs_workdir || return 1
    sg_run /bin/touch "$name"
    expect_status 1 || return 1
    grep -q "cannot touch '$name': Read-only file system" "$T/err" || { show_run; fail "no EROFS message"; }
    [ ! -e "$name" ] || { rm -f "$name"; fail "the write reached the host"; }
}

# The working directory is the host's: a relative path means the same file.
test_hostprogs_working_directory() {
    hostprogs_workdir || return 1
    printf 'relative\n' >rel.txt
    sg_run /bin/cat rel.txt
    expect_status 0 || return 1
    [ "$(cat "$T/out")" = relative ] || { show_run; fail "cat rel.txt in $PWD printed $(cat "$T/out")"; }
}

# A working directory or PROGRAM under the host's /tmp, which the guest's own
# tmpfs covers, is shared read-only at its place: the same files are there.
test_hostprogs_directories_under_tmp() {
    SYSGATE=$(realpath "$SYSGATE")
    mkdir -p "$T/work/bin"
    cp "$PWD/build/tests/dynamic/hello" "$T/work/bin/hello"
    cd "$T/work" || return 1
    printf 'under tmp\n' >note.txt
    sg_run /bin/cat note.txt
    expect_status 0 || return 1
    [ "$(cat "$T/out")" = "under tmp" ] || { show_run; fail "cat note.txt in $PWD printed $(cat "$T/out")"; return 1; }
    cd / || return 1
    sg_run "$T/work/bin/hello"
    expect_status 0 || return 1
    grep -q "hello, world" "$T/out" || { show_run; fail "a dynamic program under /tmp did not run"; }
}
