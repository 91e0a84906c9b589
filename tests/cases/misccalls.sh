# Smaller behaviours (tests/progs/misccalls.c), against the Linux host on all
# three builds: execve finds its file before it reads argv and envp (ENOENT,
# EACCES before EFAULT); PR_SET_PDEATHSIG fires when the thread that forked
# ends though its process lives on; preadv2 and pwritev2 at an offset and at
# -1 (the file position), RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT (EAGAIN
# on an empty pipe), RWF_APPEND, RWF_NOAPPEND on an O_APPEND file,
# EOPNOTSUPP for an unknown flag once there is something to transfer; and
# i386's oldstat, oldlstat and oldfstat.
test_misccalls_glibc() { differential $GLIBC/misccalls; }
test_misccalls_musl() { differential $MUSL/misccalls; }
test_misccalls_i386() { differential $I386/misccalls; }
