# File timestamps to the nanosecond (tests/progs/nstimes.c), against the Linux
# host on all three builds: utimensat, futimens and utimes round-trip through
# stat, fstatat, statx and i386's stat64; the times write, chmod, truncate and
# mkdir set only move forward and have sub-second parts; statx's btime.
test_nstimes_glibc() { differential $GLIBC/nstimes; }
test_nstimes_musl() { differential $MUSL/nstimes; }
test_nstimes_i386() { differential $I386/nstimes; }
