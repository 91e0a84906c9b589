# Leases broken by truncation (tests/progs/leasetrunc.c): truncate(2) by
# another process breaks a read or write lease and waits for the holder,
# counting as a writer meanwhile; the holder's own ftruncate breaks nothing;
# O_TRUNC opens break as their access mode does, a read-only one truncating
# too; O_TRUNC changes the times. Three builds.

test_leasetrunc_glibc() { differential $GLIBC/leasetrunc; }
test_leasetrunc_musl() { differential $MUSL/leasetrunc; }
test_leasetrunc_i386() { differential $I386/leasetrunc; }
