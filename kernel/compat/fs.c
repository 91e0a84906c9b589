/* The i386 layouts of the file calls: split 64-bit offsets, stat64 (iovecs: read_write.c). */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "rw.h"
#include "stat.h"
#include "uaccess.h"

long compat_sys_lseek(int fd, s32 offset, unsigned whence)
{
    long pos = do_lseek(fd, offset, whence);
    if (pos > 0x7fffffff)
        return -EOVERFLOW;
    return pos;
}

long compat_sys_llseek(int fd, u32 offset_high, u32 offset_low, s64 __user *result, unsigned whence)
{
    long pos = do_lseek(fd, (s64)(((u64)offset_high << 32) | offset_low), whence);
    if (pos < 0)
        return pos;
    return put_user(pos, result) ? -EFAULT : 0;
}

long compat_sys_pread64(int fd, char __user *buf, u32 count, u32 pos_low, u32 pos_high)
{
    return sys_pread64(fd, buf, count, (s64)(((u64)pos_high << 32) | pos_low));
}

long compat_sys_pwrite64(int fd, const char __user *buf, u32 count, u32 pos_low, u32 pos_high)
{
    return sys_pwrite64(fd, buf, count, (s64)(((u64)pos_high << 32) | pos_low));
}

/* i386's struct stat64: packed, with the inode number twice. */
struct stat64_i386 {
    u64 st_dev;
    u8 pad0[4];
    u32 st_ino_low;
    u32 st_mode, st_nlink, st_uid, st_gid;
    u64 st_rdev;
    u8 pad3[4];
    s64 st_size;
    u32 st_blksize;
    u64 st_blocks;
    u32 st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
    u64 st_ino;
} __attribute__((packed));
_Static_assert(sizeof(struct stat64_i386) == 96, "i386 struct stat64 is 96 bytes");

static long put_stat64(const struct kstat *k, int err, struct stat64_i386 __user *ubuf)
{
    if (err)
        return err;
    struct stat64_i386 st = {
        .st_dev = k->dev, .st_ino_low = (u32)k->ino, .st_mode = k->mode, .st_nlink = k->nlink,
        .st_uid = k->uid, .st_gid = k->gid, .st_rdev = k->rdev, .st_size = (s64)k->size,
        .st_blksize = (u32)k->blksize, .st_blocks = k->blocks, .st_atime = (u32)k->atime.tv_sec,
        .st_atime_nsec = (u32)k->atime.tv_nsec, .st_mtime = (u32)k->mtime.tv_sec,
        .st_mtime_nsec = (u32)k->mtime.tv_nsec, .st_ctime = (u32)k->ctime.tv_sec,
        .st_ctime_nsec = (u32)k->ctime.tv_nsec, .st_ino = k->ino,
    };
    return copy_to_user(ubuf, &st, sizeof(st));
}

long compat_sys_fstat64(int fd, struct stat64_i386 __user *buf)
{
    struct kstat k;
    return put_stat64(&k, fd_stat(fd, &k), buf);
}

long compat_sys_fstatat64(int dirfd, const char __user *path, struct stat64_i386 __user *buf, int flags)
{
    struct kstat k;
    return put_stat64(&k, path_stat(dirfd, path, flags, &k), buf);
}

long compat_sys_stat64(const char __user *path, struct stat64_i386 __user *buf)
{
    return compat_sys_fstatat64(AT_FDCWD, path, buf, 0);
}

long compat_sys_lstat64(const char __user *path, struct stat64_i386 __user *buf)
{
    return compat_sys_fstatat64(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

/* i386's struct stat (Linux's compat_stat), of stat, lstat and fstat
 * (106-108): 16-bit mode, link count and ids, 32-bit size. */
struct stat_i386 {
    u32 st_dev, st_ino;
    u16 st_mode, st_nlink, st_uid, st_gid;
    u32 st_rdev, st_size, st_blksize, st_blocks;
    u32 st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
    u32 unused4, unused5;
};
_Static_assert(sizeof(struct stat_i386) == 64, "i386 struct stat is 64 bytes");

#define MAX_NON_LFS 0x7fffffffu /* the largest size a stat without LFS shows */

static u16 id16(u32 id) { return id > 0xffff ? OVERFLOW_ID : (u16)id; }

/* Linux's cp_compat_stat: what does not fit is EOVERFLOW, ids beyond 16 bits the overflow id. */
static long put_stat_i386(const struct kstat *k, int err, struct stat_i386 __user *ubuf)
{
    if (err)
        return err;
    if (k->ino > 0xffffffffu || k->nlink > 0xffff || k->size > MAX_NON_LFS)
        return -EOVERFLOW;
    struct stat_i386 st = {
        .st_dev = (u32)k->dev, .st_ino = (u32)k->ino, .st_mode = (u16)k->mode, .st_nlink = (u16)k->nlink,
        .st_uid = id16(k->uid), .st_gid = id16(k->gid), .st_rdev = (u32)k->rdev, .st_size = (u32)k->size,
        .st_blksize = (u32)k->blksize, .st_blocks = (u32)k->blocks, .st_atime = (u32)k->atime.tv_sec,
        .st_atime_nsec = (u32)k->atime.tv_nsec, .st_mtime = (u32)k->mtime.tv_sec,
        .st_mtime_nsec = (u32)k->mtime.tv_nsec, .st_ctime = (u32)k->ctime.tv_sec,
        .st_ctime_nsec = (u32)k->ctime.tv_nsec,
    };
    return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long compat_sys_newfstat(int fd, struct stat_i386 __user *buf)
{
    struct kstat k;
    return put_stat_i386(&k, fd_stat(fd, &k), buf);
}

long compat_sys_newstat(const char __user *path, struct stat_i386 __user *buf)
{
    struct kstat k;
    return put_stat_i386(&k, path_stat(AT_FDCWD, path, 0, &k), buf);
}

long compat_sys_newlstat(const char __user *path, struct stat_i386 __user *buf)
{
    struct kstat k;
    return put_stat_i386(&k, path_stat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &k), buf);
}

/* struct __old_kernel_stat, of oldstat, oldlstat and oldfstat (18, 84, 28):
 * 16-bit device, inode number, mode, link count and ids, 32-bit size and
 * times. As Linux's cp_old_stat on a 64-bit kernel: an inode number or link
 * count that does not fit is EOVERFLOW, the size is cut to 32 bits. */
struct old_kernel_stat_i386 {
    u16 st_dev, st_ino, st_mode, st_nlink, st_uid, st_gid, st_rdev;
    u16 pad;
    u32 st_size, st_atime, st_mtime, st_ctime;
};
_Static_assert(sizeof(struct old_kernel_stat_i386) == 32, "struct __old_kernel_stat is 32 bytes");

static long put_old_stat(const struct kstat *k, int err, struct old_kernel_stat_i386 __user *ubuf)
{
    if (err)
        return err;
    if (k->ino > 0xffff || k->nlink > 0xffff)
        return -EOVERFLOW;
    struct old_kernel_stat_i386 st = {
        .st_dev = (u16)k->dev, .st_ino = (u16)k->ino, .st_mode = (u16)k->mode, .st_nlink = (u16)k->nlink,
        .st_uid = id16(k->uid), .st_gid = id16(k->gid), .st_rdev = (u16)k->rdev, .st_size = (u32)k->size,
        .st_atime = (u32)k->atime.tv_sec, .st_mtime = (u32)k->mtime.tv_sec, .st_ctime = (u32)k->ctime.tv_sec,
    };
    return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long compat_sys_oldstat(const char __user *path, struct old_kernel_stat_i386 __user *buf)
{
    struct kstat k;
    return put_old_stat(&k, path_stat(AT_FDCWD, path, 0, &k), buf);
}

long compat_sys_oldlstat(const char __user *path, struct old_kernel_stat_i386 __user *buf)
{
    struct kstat k;
    return put_old_stat(&k, path_stat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &k), buf);
}

long compat_sys_oldfstat(int fd, struct old_kernel_stat_i386 __user *buf)
{
    struct kstat k;
    return put_old_stat(&k, fd_stat(fd, &k), buf);
}

long sys_truncate(const char __user *path, s64 length);
long sys_ftruncate(int fd, s64 length);

/* i386 splits the 64-bit length over two registers. */
long compat_sys_truncate64(const char __user *path, u32 low, u32 high)
{
    return sys_truncate(path, (s64)(((u64)high << 32) | low));
}
long compat_sys_ftruncate64(int fd, u32 low, u32 high) { return sys_ftruncate(fd, (s64)(((u64)high << 32) | low)); }

/* The old calls take a 32-bit signed length. */
long compat_sys_truncate(const char __user *path, s32 length) { return sys_truncate(path, length); }
long compat_sys_ftruncate(int fd, s32 length) { return sys_ftruncate(fd, length); }

/* sendfile with a 32-bit offset; sendfile64 is the native call. */
long compat_sys_sendfile(int out_fd, int in_fd, s32 __user *uoffset, u32 count)
{
    s32 offset32 = 0;
    if (uoffset && copy_from_user(&offset32, uoffset, sizeof(offset32)))
        return -EFAULT;
    s64 offset = offset32;
    long n = do_sendfile(out_fd, in_fd, uoffset ? &offset : NULL, count);
    if (uoffset && n >= 0) {
        offset32 = (s32)offset;
        if (copy_to_user(uoffset, &offset32, sizeof(offset32)))
            return -EFAULT;
    }
    return n;
}

/* i386's fadvise64 has a 32-bit length; fadvise64_64 a 64-bit one, split too. */
long compat_sys_fadvise64(int fd, u32 offset_low, u32 offset_high, u32 len, int advice)
{
    return sys_fadvise64(fd, (s64)(((u64)offset_high << 32) | offset_low), len, advice);
}

long compat_sys_fadvise64_64(int fd, u32 offset_low, u32 offset_high, u32 len_low, u32 len_high, int advice)
{
    return sys_fadvise64(fd, (s64)(((u64)offset_high << 32) | offset_low), (s64)(((u64)len_high << 32) | len_low),
                         advice);
}

/* readahead(2) with its offset split in two. */
long compat_sys_readahead(int fd, u32 off_low, u32 off_high, u32 count)
{
    return sys_readahead(fd, (s64)(((u64)off_high << 32) | off_low), count);
}
