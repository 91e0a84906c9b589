# fcntl record locks and OFD locks (tests/progs/reclocks.c): ranges,
# splitting and merging, conflicts between processes, F_SETLKW and EDEADLK,
# release by any close, OFD rules, bad arguments; on the three builds (the
# i386 one through fcntl64's struct flock64 and fcntl's struct flock).

test_record_locks_glibc() { differential $GLIBC/reclocks; }
test_record_locks_musl() { differential $MUSL/reclocks; }
test_record_locks_i386() { differential $I386/reclocks; }
