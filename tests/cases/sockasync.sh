# O_ASYNC on stream sockets beyond data arriving (tests/progs/sockasync.c),
# with F_SETSIG's siginfo: POLL_OUT once room comes back after a send found
# none, POLL_IN for the peer's FIN, POLL_HUP when both directions are over,
# POLL_ERR for a TCP reset; AF_UNIX and TCP over loopback, three builds.

test_sockasync_glibc() { differential $GLIBC/sockasync; }
test_sockasync_musl() { differential $MUSL/sockasync; }
test_sockasync_i386() { differential $I386/sockasync; }
