/* stat and its relatives, with x86-64's struct stat layout. */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "uaccess.h"

struct stat64_x86 {
    u64 st_dev, st_ino, st_nlink;
    u32 st_mode, st_uid, st_gid, pad0;
    u64 st_rdev;
    s64 st_size, st_blksize, st_blocks;
    u64 st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
    s64 unused[3];
};

int copy_path_from_user(char *dst, const char __user *src);
int dirfd_base(int dirfd, const char *path, struct inode **base);

#define RAMFS_DEV 1

static long fill_stat(struct inode *inode, struct stat64_x86 __user *ubuf)
{
    struct stat64_x86 st = {
        .st_dev = RAMFS_DEV,
        .st_ino = inode->ino,
        .st_nlink = inode->nlink,
        .st_mode = inode->mode,
        .st_uid = inode->uid,
        .st_gid = inode->gid,
        .st_rdev = S_ISCHR(inode->mode) ? inode->rdev : 0,
        .st_size = S_ISCHR(inode->mode) ? 0 : (s64)inode->size,
        .st_blksize = 4096,
        .st_blocks = (s64)(ALIGN_UP(inode->size, 4096) / 512),
        .st_atime = (u64)inode->atime,
        .st_mtime = (u64)inode->mtime,
        .st_ctime = (u64)inode->ctime,
    };
    if (S_ISCHR(inode->mode))
        st.st_blocks = 0;
    return copy_to_user(ubuf, &st, sizeof(st));
}

long sys_fstat(int fd, struct stat64_x86 __user *buf)
{
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    return fill_stat(f->inode, buf);
}

#define PATH_MAX 4096

long sys_newfstatat(int dirfd, const char __user *upath, struct stat64_x86 __user *buf, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
        return -EINVAL;
    char path[PATH_MAX];
    long n = strncpy_from_user(path, upath, PATH_MAX);
    if (n < 0)
        return n;
    if (n == 0) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd == AT_FDCWD)
            return fill_stat(root_inode, buf);
        return sys_fstat(dirfd, buf);
    }
    struct inode *base, *inode;
    int err = dirfd_base(dirfd, path, &base);
    err = err ?: path_lookup(base, path, !(flags & AT_SYMLINK_NOFOLLOW), &inode);
    if (err)
        return err;
    return fill_stat(inode, buf);
}

long sys_stat(const char __user *path, struct stat64_x86 __user *buf) { return sys_newfstatat(AT_FDCWD, path, buf, 0); }
long sys_lstat(const char __user *path, struct stat64_x86 __user *buf)
{
    return sys_newfstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}
