# Sockets: the socket calls and AF_UNIX (tests/progs/sockets.c), and the
# i386 interface to them, socketcall and the direct numbers, through int $0x80
# from 32-bit and 64-bit programs (tests/progs/socketcall.c).

test_sockets_glibc() { differential $GLIBC/sockets; }
test_sockets_musl() { differential $MUSL/sockets; }
test_sockets_i386() { differential $I386/sockets; }

test_sockets_socketcall_i386() { differential $I386/socketcall; }
test_sockets_socketcall_int80_from_64_bit() { differential $GLIBC/socketcall; }
test_sockets_socketcall_int80_from_64_bit_musl() { differential $MUSL/socketcall; }

# Descriptors and credentials passed between processes of the two ABIs,
# whose cmsg layouts differ; the child runs at the same path on both sides.
socket_pass() {
    local parent=$1 child=$PWD/$2
    [ -x "$parent" ] && [ -x "$child" ] || { fail "no $parent or $child (not built?)"; return 1; }
    host_run "$parent" pass "$child"
    sg_run --add "$child:$child" "$parent" pass "$child"
    expect_status "$host_status" || return 1
    if ! cmp -s "$T/host.out" "$T/out"; then
        diff -u "$T/host.out" "$T/out" | head -40 >&2
        fail "stdout differs between the host and sysgate"
    fi
}
test_sockets_pass_64_to_32() { socket_pass $GLIBC/sockets $I386/sockets; }
test_sockets_pass_32_to_64() { socket_pass $I386/sockets $GLIBC/sockets; }

# Several threads sending checksummed messages on shared sockets: nothing lost
# or duplicated, a stream's bytes in order.
sockets_ok() {
    sg_run "$@"
    expect_status 0 || return 1
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "$*"; }
    grep -q '^ok' "$T/out" || fail "$* checked nothing"
}
test_sockets_threads_stress() { sockets_ok $GLIBC/sockets stress; }
test_sockets_threads_stress_i386() { sockets_ok $I386/sockets stress; }
# 1,000 socketpair/connect/close cycles (with descriptors in flight at the
# close): no descriptor kept, the kernel's memory back.
test_sockets_cycles_leak_nothing() { sockets_ok $GLIBC/sockets leak; }
