# Asynchronous I/O notification (tests/progs/fasync.c): F_SETOWN, F_SETOWN_EX,
# F_SETSIG and their errors, O_ASYNC by F_SETFL and FIOASYNC, and the SIGIO or
# F_SETSIG signal (si_code, si_band, si_fd) that pipes and AF_UNIX, UDP and
# TCP sockets send their owner; on the three builds.

test_fasync_glibc() { differential $GLIBC/fasync; }
test_fasync_musl() { differential $MUSL/fasync; }
test_fasync_i386() { differential $I386/fasync; }
