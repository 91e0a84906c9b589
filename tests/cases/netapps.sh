# Network programs over loopback TCP, the same on the host and on sysgate. On
# the host they run in network and PID namespaces of their own
# (in_net_namespace in tests/lib.sh), so that fixed ports are free and
# whatever a test leaves running ends with it, as the guest's does.

# A TCP echo server written with epoll (tests/progs/echo100.c) and 100
# concurrent clients in one program, every byte checked against what its
# client sent, then the checksum of everything received compared with the
# host's. glibc and i386: 10 MB each way per client, 1 GB in all (6 and 11
# s of QEMU's CPU time under TCG; a loaded host may stretch that, hence the
# longer timeout); musl: 100,000 bytes each way per client, 10 MB in all.
echo100_differential() {
    local bytes=$2
    HOST_WRAPPER=in_net_namespace differential "$1" 100 "$bytes" || return 1
    grep -q "^echo100: every client got its $bytes bytes back, $((bytes * 100)) in all" "$T/out" ||
        { show_run; fail "echo100 did not finish"; }
}
test_netapps_echo100_10mb_per_client_glibc() { RUN_TIMEOUT=300 echo100_differential $GLIBC/echo100 10000000; }
test_netapps_echo100_musl() { echo100_differential $MUSL/echo100 100000; }
test_netapps_echo100_10mb_per_client_i386() { RUN_TIMEOUT=300 echo100_differential $I386/echo100 10000000; }

# ---- busybox scripts ----------------------------------------------------------
# net_script_differential SCRIPT: runs the busybox sh SCRIPT (a file in $T)
# on the host and on sysgate, in a copy of the directory $T/net ($T/host-net on
# the host, /tmp/net in the guest, its current directory on both), with the
# same busybox binary and only its applets in PATH. Its stdout and stderr
# together and its exit status must match.
BUSYBOX=${BUSYBOX:-/bin/busybox}

net_applets() {
    mkdir -p "$T/applets"
    local applet
    for applet in $("$BUSYBOX" --list); do
        ln -sf "$BUSYBOX" "$T/applets/$applet"
    done
    echo "$T/applets"
}

net_script_differential() {
    local script=$1 path file
    path=$(net_applets)
    rm -rf "$T/host-net"
    cp -a "$T/net" "$T/host-net"
    host_status=0
    (cd "$T/host-net" && in_net_namespace env -i PATH="$path" HOME=/ "$BUSYBOX" sh "$T/$script") \
        >"$T/host.out" 2>&1 </dev/null || host_status=$?
    local adds=(--add "$T/$script:/tmp/$script")
    while IFS= read -r file; do
        adds+=(--add "$T/net/$file:/tmp/net/$file")
    done < <(cd "$T/net" && find . -type f | sed 's|^\./||')
    sg_run "${adds[@]}" "$BUSYBOX" sh -c "cd /tmp/net && exec sh /tmp/$script 2>&1"
    if [ "$status" != "$host_status" ] || ! cmp -s "$T/host.out" "$T/out"; then
        echo "status: sysgate $status, host $host_status" >&2
        diff -u "$T/host.out" "$T/out" | head -60 >&2
        tail -5 "$T/err" >&2
        return 1
    fi
}

# busybox httpd serving a few files to busybox wget: an index, a small text,
# an empty file, a 4 MiB binary, a missing file (404), a CGI script given a
# query and a POST body; the files' checksums, wget's exit statuses and the
# headers the server sent (its Date aside) must match the host's.
test_netapps_httpd_wget() {
    mkdir -p "$T/net/www/cgi-bin" "$T/net/got"
    echo '<html><body>sysgate</body></html>' >"$T/net/www/index.html"
    printf 'a small text\n' >"$T/net/www/small.txt"
    : >"$T/net/www/empty"
    head -c $((4 << 20)) /dev/urandom >"$T/net/www/big.bin"
    cat >"$T/net/www/cgi-bin/echo" <<'EOF'
#!/bin/busybox sh
printf 'Content-Type: text/plain\r\n\r\n'
echo "method $REQUEST_METHOD"
echo "query $QUERY_STRING"
echo "length $CONTENT_LENGTH"
head -c "${CONTENT_LENGTH:-0}"
echo
EOF
    chmod 755 "$T/net/www/cgi-bin/echo"
    : >"$T/net/got/.keep"
    cat >"$T/httpd.sh" <<'EOF'
url=http://127.0.0.1:8080
# The times the server sends (Last-Modified, ETag) come from the files'.
touch -d '2026-01-02 03:04:05' www/index.html www/small.txt www/empty www/big.bin
# httpd listens, then goes into the background: wget finds it at once.
httpd -p 127.0.0.1:8080 -h www || exit 1
for file in index.html small.txt empty big.bin; do
    wget -q -O "got/$file" "$url/$file"
    echo "wget $file: $?"
done
wget -q -O got/root "$url/"
echo "wget /: $?"
wget -q -O got/nosuch "$url/nosuch"
echo "wget nosuch: $?"
wget -q -O - --post-data 'a=1&b=2' "$url/cgi-bin/echo?x=y"
echo "wget cgi: $?"
wget -S --spider "$url/small.txt" 2>&1 | grep '^  ' | sed 's/^  Date: .*/  Date: <date>/'
wget -S --spider "$url/big.bin" 2>&1 | grep '^  ' | sed 's/^  Date: .*/  Date: <date>/'
cd got && md5sum index.html small.txt empty big.bin root
cmp ../www/big.bin big.bin && echo "big.bin: the same bytes"
EOF
    net_script_differential httpd.sh || return 1
    grep -q '^big.bin: the same bytes' "$T/out" || { show_run; fail "big.bin did not arrive"; }
}

# busybox nc piping a 6 MiB file through loopback: a listener writing what it
# receives to a file, a client sending the file; their checksums compared.
# The client retries while the listener is not yet listening (nothing was
# sent then), without printing how often.
test_netapps_nc_pipe() {
    mkdir -p "$T/net"
    head -c $((6 << 20)) /dev/urandom >"$T/net/data"
    cat >"$T/nc.sh" <<'EOF'
# The listener's stdin stays open (a FIFO the script holds): nc ends at its
# peer's end of file, not at its own stdin's.
mkfifo hold
nc -l -p 7777 <hold >received &
listener=$!
exec 3>hold
tries=0
until nc 127.0.0.1 7777 <data 2>/dev/null; do
    tries=$((tries + 1))
    kill -0 $listener 2>/dev/null || { echo "the listener ended"; exit 1; }
    [ $tries -lt 2000 ] || { echo "nobody listens on 7777"; exit 1; }
    usleep 10000
done
wait $listener
echo "listener: $?"
exec 3>&-
md5sum data received | sed 's/ .*//' | uniq -c | sed 's/^ *//'
cmp data received && echo "received: the same bytes"
EOF
    net_script_differential nc.sh || return 1
    grep -q '^received: the same bytes' "$T/out" || { show_run; fail "the file did not arrive"; }
}

# busybox netstat -tuan (/proc/net/tcp, tcp6, udp) over sockets that
# tests/progs/tcpstates.c put into known states on fixed ports (listening
# with a connection not yet accepted, established with unread bytes,
# FIN_WAIT2 and CLOSE_WAIT, TIME_WAIT, IPv6, UDP bound and connected): the
# same lines as on the host, whose order is the kernel's hash tables'.
netstat_sorted() { head -n 2 "$1"; tail -n +3 "$1" | LC_ALL=C sort; }
netstat_differential() {
    HOST_WRAPPER=in_net_namespace host_run "$1" -6 "$BUSYBOX" netstat -tuan
    sg_run "$1" -6 "$BUSYBOX" netstat -tuan
    [ "$host_status" = 0 ] || { cat "$T/host.out" "$T/host.err" >&2; fail "tcpstates failed on the host"; return 1; }
    expect_status 0 || return 1
    diff -u <(netstat_sorted "$T/host.out") <(netstat_sorted "$T/out") >&2 || fail "netstat differs from the host"
}
test_netapps_netstat_tuan() { netstat_differential $GLIBC/tcpstates; }
test_netapps_netstat_tuan_i386() { netstat_differential $I386/tcpstates; }
