# /proc as programs read it (tests/progs/procfs.c): a process's files, its
# descriptors, threads, mappings and limits, the system's files and
# /proc/sys, compared with the host's; busybox's /proc readers in
# tests/busybox/cases.txt.

test_procfs_glibc() { differential $GLIBC/procfs; }
test_procfs_musl() { differential $MUSL/procfs; }
test_procfs_i386() { differential $I386/procfs; }
