# The VFS as Linux shows it: superblocks per mount (statfs f_type, st_dev),
# stable inode numbers, /proc/PID following the process, hard links sharing
# one page cache.

test_vfs_glibc() { in_own_mount_namespace $GLIBC/vfs; }
test_vfs_musl() { in_own_mount_namespace $MUSL/vfs; }
test_vfs_i386() { in_own_mount_namespace $I386/vfs; }

# What files allow beyond read and write (tests/progs/fileops.c): O_PATH
# descriptors, O_TMPFILE and linkat through /proc/self/fd, memfd_create and
# its seals, pipe sizes, SEEK_DATA/SEEK_HOLE, mknod of devices.
test_fileops_glibc() { differential $GLIBC/fileops; }
test_fileops_musl() { differential $MUSL/fileops; }
test_fileops_i386() { differential $I386/fileops; }
