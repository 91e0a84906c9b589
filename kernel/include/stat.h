/* What every ABI's stat layout is made from. */
#ifndef SYSGATE_STAT_H
#define SYSGATE_STAT_H

#include "types.h"

#define AT_NO_AUTOMOUNT 0x800

struct kstat {
    u64 dev, ino;
    u32 nlink, mode, uid, gid;
    u64 rdev, size, blksize, blocks;
    s64 atime, mtime, ctime;
};

struct inode;
void kstat_fill(const struct inode *inode, struct kstat *st);
int fd_stat(int fd, struct kstat *st);
int path_stat(int dirfd, const char __user *path, int flags, struct kstat *st);

#endif
