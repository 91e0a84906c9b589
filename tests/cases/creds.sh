# Users, groups and capabilities (tests/progs/creds.c: the set*id rules,
# capget/capset, the file calls' permission checks, set-ID programs and
# directories, kill across users, /proc/PID/status), and resource limits
# (tests/progs/rlimits.c), compared with the host's; the default /etc's
# users through busybox's su, id and whoami.

test_creds_glibc() { differential $GLIBC/creds; }
test_creds_musl() { differential $MUSL/creds; }
test_creds_i386() { differential $I386/creds; }

test_rlimits_glibc() { differential $GLIBC/rlimits; }
test_rlimits_musl() { differential $MUSL/rlimits; }
test_rlimits_i386() { differential $I386/rlimits; }

# root becomes the ordinary user of /etc/passwd: su (which needs no password
# from root) sets the groups and ids, the user's home is the user's, and
# root's 0700 /root is closed to it. (The first process, like Linux's init,
# has no supplementary groups, so id shows none for root.)
test_creds_busybox_su_id_whoami() {
    sg_run /bin/busybox sh -c 'busybox id; busybox whoami
        su user -c "busybox id; busybox whoami; cd; pwd; touch mine; ls -ln mine; cat /root/x 2>&1 || echo refused"
        su nobody -s /bin/sh -c "busybox id -u; busybox id -gn"'
    expect_status 0
    cat >"$T/want" <<'WANT'
uid=0(root) gid=0(root)
root
uid=1000(user) gid=1000(user) groups=1000(user)
user
/home/user
WANT
    head -5 "$T/out" | cmp -s - "$T/want" || { show_run; fail "su, id and whoami"; return 1; }
    sed -n 6p "$T/out" | grep -q '^-rw-r--r-- *1 1000 *1000 .* mine$' || { show_run; fail "the user's file"; return 1; }
    sed -n 7,8p "$T/out" | tr '\n' ' ' | grep -q "Permission denied.* refused $" || { show_run; fail "root's directory"; return 1; }
    sed -n 9,10p "$T/out" | tr '\n' ' ' | grep -q '^65534 nogroup $' || { show_run; fail "nobody"; }
}
