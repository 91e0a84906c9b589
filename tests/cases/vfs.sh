# The VFS as Linux shows it: superblocks per mount (statfs f_type, st_dev),
# stable inode numbers, /proc/PID following the process, hard links sharing
# one page cache.

test_vfs_glibc() { in_own_mount_namespace $GLIBC/vfs; }
test_vfs_musl() { in_own_mount_namespace $MUSL/vfs; }
test_vfs_i386() { in_own_mount_namespace $I386/vfs; }
