# prctl's PR_SET_PDEATHSIG and PR_GET_PDEATHSIG (tests/progs/pdeathsig.c):
# the signal at the parent's end, as from the parent; not inherited by a
# fork; ended by a change of effective id; EINVAL and EFAULT. Three builds.

test_pdeathsig_glibc() { differential $GLIBC/pdeathsig; }
test_pdeathsig_musl() { differential $MUSL/pdeathsig; }
test_pdeathsig_i386() { differential $I386/pdeathsig; }
