# AF_INET and AF_INET6 on loopback, TCP and UDP (tests/progs/inet.c): every
# call's result, errno, poll mask and option value as on Linux, on the three
# builds.

test_inet_glibc() { differential $GLIBC/inet; }
test_inet_musl() { differential $MUSL/inet; }
test_inet_i386() { differential $I386/inet; }

inet_ok() {
    sg_run "$@"
    expect_status 0 || return 1
    ! grep -q FAIL "$T/out" || { cat "$T/out" >&2; fail "$*"; }
    grep -q '^ok' "$T/out" || fail "$* checked nothing"
}
# Threads sending checksummed data both ways over four connections of each
# family: nothing lost, reordered or doubled.
test_inet_threads_stress() { inet_ok $GLIBC/inet stress; }
test_inet_threads_stress_i386() { inet_ok $I386/inet stress; }
# 1,000 connect/accept/close cycles (resets, unaccepted connections, UDP
# beside them): no descriptor, port or kernel memory kept.
test_inet_cycles_leak_nothing() { inet_ok $GLIBC/inet leak; }
# What only a machine with nothing but lo gives: ENETUNREACH beyond it, and
# every ephemeral port taken (EADDRINUSE for bind, EADDRNOTAVAIL for connect).
test_inet_lo_only_and_ports_running_out() { inet_ok $GLIBC/inet lo; }
