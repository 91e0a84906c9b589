/* What every ABI's stat layout is made from. */
#ifndef SYSGATE_STAT_H
#define SYSGATE_STAT_H

#include "time.h"
#include "types.h"

#define AT_NO_AUTOMOUNT 0x800

struct kstat {
    u64 dev, ino;
    u32 nlink, mode, uid, gid;
    u64 rdev, size, blksize, blocks;
    struct timespec_k atime, mtime, ctime, btime;
    bool has_btime; /* the file system records births (tmpfs) */
};

struct inode;
void kstat_fill(const struct inode *inode, struct kstat *st);
int fd_stat(int fd, struct kstat *st);
int path_stat(int dirfd, const char __user *path, int flags, struct kstat *st);

/* statfs in the kernel's form (fs/attr.c); the i386 statfs64 converts it. */
struct statfs_k {
    s64 f_type, f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    s32 f_fsid[2];
    s64 f_namelen, f_frsize, f_flags, f_spare[4];
};
long statfs_path(const char __user *path, struct statfs_k *out);
long statfs_fd(int fd, struct statfs_k *out);

#endif
