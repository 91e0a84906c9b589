# The network as tools see it: lo and the interface ioctls, /proc/net, ICMP
# and ICMPv6 echo through ping and raw sockets, and busybox's ping, ping6 and
# netstat on top.
#
# The host side runs in a network namespace of its own, made for the test
# (unshare --net): there, as on sysgate, lo is the only interface, its
# counters start at zero, and nothing else runs, so that outputs compare
# exactly, counters included. lo starts down in a new namespace and is
# brought up as Linux's boot does; ping sockets are allowed there for every
# group (net.ipv4.ping_group_range "0 2147483647", what distributions set and
# what sysgate, where every process is root, behaves as; Linux's own default
# forbids them to everyone).

BUSYBOX=${BUSYBOX:-/bin/busybox}

# A wrapper that runs its arguments in such a namespace, for HOST_WRAPPER.
netns_wrapper() {
    local userns=""
    [ "$(id -u)" = 0 ] || userns="--map-root-user"
    cat >"$T/netns" <<EOF
#!/bin/sh
exec unshare --net $userns sh -c '"$BUSYBOX" ifconfig lo up && echo 0 2147483647 >/proc/sys/net/ipv4/ping_group_range && exec "\$@"' sh "\$@"
EOF
    chmod +x "$T/netns"
    echo "$T/netns"
}

in_own_network_namespace() {
    HOST_WRAPPER=$(netns_wrapper) differential "$@"
}

# The interface ioctls on AF_UNIX, raw and ping sockets, the whole struct
# ifreq after each call (so each ABI's size), if_nametoindex/if_indextoname.
test_nettools_ioctls_glibc() { in_own_network_namespace $GLIBC/netdev ioctls; }
test_nettools_ioctls_musl() { in_own_network_namespace $MUSL/netdev ioctls; }
test_nettools_ioctls_i386() { in_own_network_namespace $I386/netdev ioctls; }

# Echo requests through ping and raw sockets: the replies, the raw sockets'
# IPv4 headers and checksums, ICMP_FILTER, and what each kind refuses.
test_nettools_icmp_sockets_glibc() { in_own_network_namespace $GLIBC/netdev ping; }
test_nettools_icmp_sockets_musl() { in_own_network_namespace $MUSL/netdev ping; }
test_nettools_icmp_sockets_i386() { in_own_network_namespace $I386/netdev ping; }

# The same over IPv6 on ::1: the kernel's checksums, ICMP6_FILTER, the hop
# limit and packet information as control messages, what each refuses.
test_nettools_icmpv6_sockets_glibc() { in_own_network_namespace $GLIBC/netdev ping6; }
test_nettools_icmpv6_sockets_musl() { in_own_network_namespace $MUSL/netdev ping6; }
test_nettools_icmpv6_sockets_i386() { in_own_network_namespace $I386/netdev ping6; }

# /proc/net/unix and busybox netstat -xa list the program's AF_UNIX sockets
# (listening, connected, not yet accepted, abstract) as Linux does; only the
# inode numbers and the pid in the names are masked.
test_nettools_proc_net_unix_glibc() { in_own_network_namespace $GLIBC/netdev unix; }
test_nettools_proc_net_unix_i386() { in_own_network_namespace $I386/netdev unix; }

# /proc/net/raw and raw6 and busybox netstat -wan list the raw sockets
# (bound, connected, IPv6); the bucket (a hash on Linux), the receive
# queue's bytes (each packet's truesize) and the kernel address are masked.
test_nettools_proc_net_raw_glibc() { in_own_network_namespace $GLIBC/netdev rawlist; }
test_nettools_proc_net_raw_i386() { in_own_network_namespace $I386/netdev rawlist; }

# lo's counters, ::1, the empty main routing and neighbour tables, byte for byte.
test_nettools_proc_net_dev_if_inet6_route() {
    in_own_network_namespace "$BUSYBOX" sh -c 'cat /proc/net/dev /proc/net/if_inet6 /proc/net/route /proc/net/arp
        cat /proc/sys/net/ipv4/ping_group_range
        ls /proc/net/dev /proc/self/net/unix; route -n; netstat -rn'
}

# busybox ping as Linux prints it, but for the round-trip times; then lo's
# counters, which count each request and reply once each way.
ping_normalized() { sed -E 's/time=[0-9.]+ ms/time=T ms/; s|= [0-9.]+/[0-9.]+/[0-9.]+ ms|= T/T/T ms|' "$1"; }

busybox_ping() {
    local script="$1" expected="$2"
    HOST_WRAPPER=$(netns_wrapper) host_run "$BUSYBOX" sh -c "$script"
    sg_run "$BUSYBOX" sh -c "$script"
    expect_status "$host_status" || return 1
    diff -u <(ping_normalized "$T/host.out") <(ping_normalized "$T/out") >&2 || fail "ping differs from the host"
    grep -q "$expected" "$T/out" || { show_run; fail "no line '$expected'"; }
}
PING_REPLY='^64 bytes from 127.0.0.1: seq=0 ttl=64 time='
test_nettools_busybox_ping_once() { busybox_ping 'ping -c 1 127.0.0.1; cat /proc/net/dev' "$PING_REPLY"; }
test_nettools_busybox_ping_three_times() {
    busybox_ping 'ping -c 3 -i 0.2 127.0.0.1 && ping -c 1 -s 1000 127.0.0.2; cat /proc/net/dev' '^64 bytes from 127.0.0.1: seq=2 ttl=64'
}
test_nettools_busybox_ping6() {
    busybox_ping 'ping6 -c 2 -i 0.2 ::1 && ping6 -c 1 ::; cat /proc/net/dev' '^64 bytes from ::1: seq=1 ttl=64 time='
}
# busybox ifconfig (its socket is UDP) as Linux's: lo listed, taken down
# (::1 goes with it) and up, its MTU changed, an unknown interface, and the
# counters after two pings and a ping6, exactly; busybox netstat -x.
test_nettools_busybox_ifconfig() {
    local script='ifconfig; ifconfig lo down; ifconfig; ifconfig -a; ifconfig lo up; ifconfig lo mtu 1500; ifconfig lo
        ifconfig lo mtu 65536; ifconfig eth0; echo status $?
        ping -c 2 -i 0.2 127.0.0.1 >/dev/null; ping6 -c 1 ::1 >/dev/null; ifconfig lo; netstat -x'
    HOST_WRAPPER=$(netns_wrapper) host_run "$BUSYBOX" sh -c "$script 2>&1"
    sg_run "$BUSYBOX" sh -c "$script 2>&1"
    expect_status "$host_status" || return 1
    diff -u "$T/host.out" "$T/out" >&2 || fail "ifconfig differs from the host"
    grep -q 'RX packets:6 ' "$T/out" || { show_run; fail "no counters"; }
}

# busybox netstat over /proc/net/tcp, tcp6 and udp: nothing, then a
# listening nc (waited for until netstat shows it, not for a time).
test_nettools_busybox_netstat_tan() {
    local script='netstat -tan; netstat -uan; nc -l -p 12345 >/dev/null & until netstat -tln | grep -q ":12345 "; do :; done
        netstat -tln; netstat -tan; kill $!; wait'
    HOST_WRAPPER=$(netns_wrapper) host_run "$BUSYBOX" sh -c "$script 2>&1"
    sg_run "$BUSYBOX" sh -c "$script 2>&1"
    expect_status "$host_status" || return 1
    diff -u "$T/host.out" "$T/out" >&2 || fail "netstat differs from the host"
    grep -q ':::12345 .* LISTEN' "$T/out" || { show_run; fail "no listener"; }
}

# Somewhere lo does not reach: the error and status of Linux with only lo.
test_nettools_busybox_ping_unreachable() {
    busybox_ping 'ping -c 1 10.1.2.3 2>&1; echo status $?; ping6 -c 1 2001:db8::1 2>&1; echo status $?' 'Network is unreachable'
}
