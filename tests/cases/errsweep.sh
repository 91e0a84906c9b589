# System calls given bad arguments (tests/progs/errsweep.c): bad descriptors,
# pointers, flags and sizes, the wrong kind of file, for the calls Linux's
# test suites exercise; each errno as on the host, on the three builds.

test_errsweep_glibc() { differential $GLIBC/errsweep; }
test_errsweep_musl() { differential $MUSL/errsweep; }
test_errsweep_i386() { differential $I386/errsweep; }
