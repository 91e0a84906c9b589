# seccomp(2) and prctl's PR_SET_SECCOMP (tests/progs/seccomp.c): strict
# mode, filters with every action, stacking, the arch field, the program
# checks (EINVAL, EFAULT), EACCES without no_new_privs, inheritance by fork
# and execve, /proc/PID/status's lines. Three builds.

test_seccomp_glibc() { differential $GLIBC/seccomp; }
test_seccomp_musl() { differential $MUSL/seccomp; }
test_seccomp_i386() { differential $I386/seccomp; }
