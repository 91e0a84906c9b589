# Host directories through virtio-9p (docs/9p.md): `--root DIR` as the guest's read-only root,
# `--share HOST:GUEST` at a path of the guest. Each test builds a small root in $T from the
# tests' static programs and busybox, and compares what the guest sees with the host.

NINEP_BUSYBOX=${BUSYBOX:-/bin/busybox}

# $T/root: the programs, the directories the kernel mounts on, and data of every kind.
make_ninep_root() {
    local root=$T/root
    mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/tmp" "$root/data/sub/deeper" "$root/data/many" "$root/var/tmp"
    cp "$NINEP_BUSYBOX" "$root/bin/busybox"
    cp $GLIBC/hello "$root/bin/hello-glibc"
    cp $MUSL/hello "$root/bin/hello-musl"
    cp $I386/hello "$root/bin/hello-i386"
    cp $GLIBC/mapread "$root/bin/mapread"
    printf 'hello from the host\n' >"$root/data/greeting"
    : >"$root/data/empty"
    printf 'one\ntwo\n' >"$root/data/sub/deeper/file with spaces"
    head -c 300001 /dev/urandom >"$root/data/random"
    head -c 4096 /dev/urandom >"$root/data/one-page"
    ln "$root/data/greeting" "$root/data/hardlink"
    ln -s greeting "$root/data/relative-link"
    ln -s /data/greeting "$root/data/absolute-link"
    ln -s sub/deeper "$root/data/dir-link"
    ln -s nowhere "$root/data/dangling"
    chmod 0750 "$root/data/sub"
    chmod 4755 "$root/bin/hello-glibc"
    local i
    for i in $(seq 1 300); do : >"$root/data/many/entry-with-a-longish-name-$i"; done
    touch -d '2020-02-03 04:05:06' "$root/data/greeting"
}

# The same shell snippet on the host (in $T/root) and in the guest (in /): same output.
ninep_compare() {
    local snippet=$1
    (cd "$T/root" && "$NINEP_BUSYBOX" sh -c "$snippet") >"$T/host.out" 2>&1 || true
    sg_run --root "$T/root" /bin/busybox sh -c "cd / && $snippet"
    expect_status 0 || return 1
    if ! cmp -s "$T/host.out" "$T/out"; then
        diff -u "$T/host.out" "$T/out" | head -40 >&2
        fail "the guest's view of the share differs from the host's"
    fi
}

# Names, kinds, sizes, modes, owners, link counts and times, recursively.
test_ninep_listing_matches_host() {
    make_ninep_root
    ninep_compare 'ls -lnR --full-time data bin | grep -v "^total"; find data | sort; stat -c "%n %s %f %h %u %g %Y" data/* data/sub/deeper/*'
}

test_ninep_contents_match_host() {
    make_ninep_root
    ninep_compare 'find data bin -type f | sort | while read -r f; do md5sum "$f"; done; cat data/sub/deeper/"file with spaces"; wc -c data/random'
}

# Relative, absolute, directory and dangling links; readlink shows the target, lookups follow it.
test_ninep_symlinks() {
    make_ninep_root
    ninep_compare 'cd data; for l in relative-link absolute-link dir-link dangling; do readlink $l; done; cat relative-link; cat dir-link/"file with spaces"; ls dir-link/; cat dangling 2>&1 | sed "s/^.*: //"'
}

# A directory larger than one getdents buffer, read in several calls.
test_ninep_large_directory() {
    make_ninep_root
    ninep_compare 'ls data/many | wc -l; ls -a data/many | head -3'
}

# Programs on the share run: 64-bit glibc and musl, 32-bit; PROGRAM itself is a path in the root.
test_ninep_exec_from_share() {
    make_ninep_root
    sg_run --root "$T/root" /bin/busybox sh -c '/bin/hello-glibc a; /bin/hello-musl b; /bin/hello-i386 c'
    expect_status 0 || return 1
    printf 'hello, world\na\nhello, world\nb\nhello, world\nc\n' | cmp -s - "$T/out" || { show_run; fail "programs on the share"; return 1; }
    sg_run --root "$T/root" /bin/hello-glibc x
    expect_status 0 || return 1
    printf 'hello, world\nx\n' | cmp -s - "$T/out" || { show_run; fail "PROGRAM from the root"; }
}

# read, a private mapping and a copy-on-write mapping of share files agree with the host.
test_ninep_mmap() {
    make_ninep_root
    local file
    for file in random one-page greeting empty; do
        host_run $GLIBC/mapread "$T/root/data/$file"
        sg_run --root "$T/root" /bin/mapread "/data/$file"
        expect_status 0 || return 1
        cmp -s "$T/host.out" "$T/out" || { diff -u "$T/host.out" "$T/out" >&2; fail "mapread $file"; return 1; }
    done
}

# Every change to the share fails with EROFS; /tmp, a tmpfs, takes writes; the share is ro in /proc/mounts.
test_ninep_read_only() {
    make_ninep_root
    sg_run --root "$T/root" /bin/busybox sh -c '
        cd /data
        for what in "echo x >new" "echo x >greeting" "echo x >>greeting" "touch greeting" "mkdir d" "rmdir sub" \
                    "rm greeting" "mv greeting g" "chmod 600 greeting" "chown 1 greeting" "ln -s a s" "ln greeting h" \
                    "truncate -s 0 greeting" "mknod fifo p"; do
            if (eval "$what") 2>/dev/null; then echo "$what: succeeded"; fi
        done
        for what in "echo x >new" "mkdir d" "rm greeting" "chmod 600 greeting" "truncate -s 0 greeting"; do
            (eval "$what") 2>&1 | grep -c "Read-only file system"
        done
        echo x >/tmp/t && cat /tmp/t
        cat /data/greeting
        grep " / " /proc/mounts
        grep " /tmp " /proc/mounts | cut -d" " -f1-3'
    expect_status 0 || return 1
    printf '1\n1\n1\n1\n1\nx\nhello from the host\nsysgate-root / 9p ro 0 0\ntmpfs /tmp tmpfs\n' | cmp -s - "$T/out" ||
        { show_run; fail "writes into the read-only share"; }
}

# --share on the initramfs root: the mount point is made; further shares under a 9p root.
test_ninep_share() {
    make_ninep_root
    mkdir -p "$T/extra/inner"
    printf 'extra file\n' >"$T/extra/inner/f"
    sg_run --share "$T/extra:/mnt/extra" /bin/busybox sh -c 'cat /mnt/extra/inner/f; grep /mnt/extra /proc/mounts; echo x >/mnt/extra/g'
    expect_status 1 || return 1
    printf 'extra file\nsgshare0 /mnt/extra 9p ro,relatime 0 0\n' | cmp -s - "$T/out" || { show_run; fail "--share on the initramfs"; return 1; }
    expect_stderr_line "Read-only file system" || return 1
    mkdir -p "$T/second" && printf 'second\n' >"$T/second/f"
    sg_run --share "$T/extra:/a" --share "$T/second:/b/c" /bin/busybox sh -c 'cat /a/inner/f /b/c/f'
    expect_status 0 || return 1
    printf 'extra file\nsecond\n' | cmp -s - "$T/out" || { show_run; fail "two shares"; return 1; }
    sg_run --root "$T/root" --share "$T/extra:/data/sub" /bin/busybox sh -c 'cat /data/sub/inner/f; cd /data/sub/inner && pwd'
    expect_status 0 || return 1
    printf 'extra file\n/data/sub/inner\n' | cmp -s - "$T/out" || { show_run; fail "--share under --root"; }
}

# The monitor refuses what cannot work, with one line and status 125.
test_ninep_bad_options() {
    make_ninep_root
    local -a cases=(
        "--root $T/missing|--root $T/missing: No such file or directory"
        "--root $T/root/data/greeting|not a directory"
        "--root $T/root/data|the guest mounts its /dev there"
        "--share $T/missing:/x|No such file or directory"
        "--share $T/root:x|GUEST an absolute path"
        "--share $T/root:/x:zz|unknown suffix ':zz'"
        "--share $T/root:/x/../y|bad guest path"
        "--share $T/root:/x --share $T/root/data:/x/|/x is shared twice"
        "--root $T/root --share $T/extra:/nowhere|the root has no directory /nowhere"
        "--root $T/root --add $GLIBC/hello|--add cannot be used with --root"
        "--share $T/root:/$(printf "%0300d" 0)|longer than 255 bytes"
        "--root $T/root --machine pc|need the microvm machine"
    )
    mkdir -p "$T/extra"
    local entry
    for entry in "${cases[@]}"; do
        # shellcheck disable=SC2086
        sg_run ${entry%%|*} /bin/busybox true
        expect_status 125 || { echo "options: ${entry%%|*}" >&2; return 1; }
        expect_stderr_line "${entry#*|}" || return 1
        [ "$(wc -l <"$T/err")" = 1 ] || { show_run; fail "more than one line for ${entry%%|*}"; return 1; }
    done
    sg_run --root "$T/root" /bin/no-such-program
    expect_status 127 || return 1
    sg_run --root "$T/root" "$GLIBC/hello"
    expect_status 125 || return 1
    expect_stderr_line "is not inside the root"
}

# A dynamically linked PROGRAM gets the host's / as its root, read-only through 9p.
test_ninep_dynamic_program_gets_root() {
    sg_run --verbose /bin/true
    expect_stderr_line "sysgate.root=sgroot" || return 1
    expect_stderr_line "path=/,security_model=" || return 1
    expect_stderr_line "readonly=on"
}

# Several processes reading and mapping share files at once: requests in flight together,
# each reader asleep until the device's interrupt says its reply is there.
test_ninep_concurrent_readers() {
    make_ninep_root
    sg_run --root "$T/root" /bin/busybox sh -c '
        for i in 1 2 3 4 5 6; do
            (md5sum /data/random; ls -lR /data /bin >/dev/null; /bin/mapread /data/random | tail -n 1) &
        done
        wait'
    expect_status 0 || return 1
    local sum
    sum=$(cd "$T/root" && md5sum data/random | cut -d" " -f1)
    local want
    want=$(for i in 1 2 3 4 5 6; do echo "$sum  /data/random"; echo "file unchanged yes, read-only mapping unchanged yes"; done | sort)
    [ "$(sort "$T/out")" = "$want" ] || { show_run; fail "concurrent readers of the share"; }
}

# A writable share (:rw): what the guest changes is what the host finds afterwards, through
# write(2), a shared mapping, and every directory operation; the guest sees its own changes.
test_ninep_writable_share() {
    local host=$T/rw
    mkdir -p "$host/sub" "$host/gone"
    printf 'original\n' >"$host/existing"
    printf 'keep\n' >"$host/sub/k"
    printf 'xxxxxxxxxxxxxxxxxxxx\n' >"$host/mapped"
    sg_run --add "$GLIBC/mapwrite:/bin/mapwrite" --share "$host:/mnt/rw:rw" /bin/busybox sh -c '
        cd /mnt/rw || exit 1
        echo new >created; echo appended >>existing; mkdir -p d/e; ln -s created link; ln created hard
        mv sub/k moved; rmdir gone; chmod 640 created; touch -d "2021-01-02 03:04:05" existing
        echo x >tmp; rm tmp; truncate -s 3 hard; /bin/mapwrite mapped "through a mapping" >/dev/null
        ls -ln --full-time . d sub | grep -v "^total" | cut -c1-10,11- | sed "s/ [0-9:.]* +0000 / /"
        cat existing hard link mapped; stat -c "%n %s %a %h" created hard'
    expect_status 0 || return 1
    cp "$T/out" "$T/guest.out"
    (cd "$host" && ls -ln --full-time . d sub | grep -v "^total" | cut -c1-10,11- | sed "s/ [0-9:.]* +0000 / /"
     cat existing hard link mapped; stat -c "%n %s %a %h" created hard) >"$T/host.view" 2>&1
    # busybox's ls and coreutils' differ in spacing: compare the words
    tr -s ' ' <"$T/guest.out" >"$T/a"; tr -s ' ' <"$T/host.view" >"$T/b"
    if ! cmp -s "$T/a" "$T/b"; then
        diff -u "$T/b" "$T/a" | head -40 >&2
        fail "the host's directory differs from what the guest made of it"
        return 1
    fi
    grep -q "^original$" "$host/existing" && grep -q "^appended$" "$host/existing" && [ ! -e "$host/gone" ] &&
        [ "$(head -c 17 "$host/mapped")" = "through a mapping" ] || { show_run; fail "changes missing on the host"; }
}
