/*
 * stat and its relatives. One lookup (resolve_stat_target) and one snapshot
 * (struct kstat), then each ABI's layout: x86-64's struct stat, i386's struct
 * stat64 (compat/stat.c) and struct statx, which both ABIs share.
 */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "stat.h"
#include "uaccess.h"

int dirfd_base(int dirfd, const char *path, struct inode **base);

void kstat_fill(const struct inode *inode, struct kstat *st)
{
    bool device = S_ISCHR(inode->mode) || S_ISBLK(inode->mode);
    *st = (struct kstat){
        .dev = inode->sb->dev,
        .ino = inode->ino,
        .nlink = inode->nlink,
        .mode = inode->mode,
        .uid = inode->uid,
        .gid = inode->gid,
        .rdev = device ? inode->rdev : 0,
        .size = device ? 0 : inode->size,
        .blksize = 4096,
        .blocks = device || inode->sb->stores_nothing ? 0 : ALIGN_UP(inode->size, 4096) / 512,
        .atime = inode->atime,
        .mtime = inode->mtime,
        .ctime = inode->ctime,
        .btime = inode->btime,
        .has_btime = inode->sb->records_birth,
    };
    if (inode->iops && inode->iops->getattr)
        inode->iops->getattr(inode, st);
}

/* The inode a stat-family call names: a path relative to dirfd, or with
 * AT_EMPTY_PATH and an empty path, dirfd itself. */
int resolve_stat_target(int dirfd, const char __user *upath, int flags, struct inode **out)
{
    char path[PATH_MAX];
    long n = strncpy_from_user(path, upath, PATH_MAX);
    if (n < 0)
        return (int)n;
    if (n == 0) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd == AT_FDCWD) {
            *out = root_inode;
            return 0;
        }
        struct file *f = fdget_raw(dirfd); /* the inode, uncounted like a look-up's (dirfd_base) */
        if (!f)
            return -EBADF;
        *out = f->inode;
        fdput(f);
        return 0;
    }
    struct inode *base;
    int err = dirfd_base(dirfd, path, &base);
    return err ?: path_lookup(base, path, !(flags & AT_SYMLINK_NOFOLLOW), out);
}

int fd_stat(int fd, struct kstat *st)
{
    struct file *f = fdget_raw(fd);
    if (!f)
        return -EBADF;
    kstat_fill(f->inode, st);
    fdput(f);
    return 0;
}

int path_stat(int dirfd, const char __user *path, int flags, struct kstat *st)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
        return -EINVAL;
    struct inode *inode;
    int err = resolve_stat_target(dirfd, path, flags, &inode);
    if (err)
        return err;
    kstat_fill(inode, st);
    return 0;
}

/* ---- x86-64's struct stat ---- */

struct stat_x86_64 {
    u64 st_dev, st_ino, st_nlink;
    u32 st_mode, st_uid, st_gid, pad0;
    u64 st_rdev;
    s64 st_size, st_blksize, st_blocks;
    u64 st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
    s64 unused[3];
};

static long put_stat(const struct kstat *k, int err, struct stat_x86_64 __user *ubuf)
{
    if (err)
        return err;
    struct stat_x86_64 st = {
        .st_dev = k->dev, .st_ino = k->ino, .st_nlink = k->nlink, .st_mode = k->mode,
        .st_uid = k->uid, .st_gid = k->gid, .st_rdev = k->rdev, .st_size = (s64)k->size,
        .st_blksize = k->blksize, .st_blocks = (s64)k->blocks,
        .st_atime = (u64)k->atime.tv_sec, .st_atime_nsec = (u64)k->atime.tv_nsec,
        .st_mtime = (u64)k->mtime.tv_sec, .st_mtime_nsec = (u64)k->mtime.tv_nsec,
        .st_ctime = (u64)k->ctime.tv_sec, .st_ctime_nsec = (u64)k->ctime.tv_nsec,
    };
    return copy_to_user(ubuf, &st, sizeof(st));
}

long sys_fstat(int fd, struct stat_x86_64 __user *buf)
{
    struct kstat k;
    return put_stat(&k, fd_stat(fd, &k), buf);
}

long sys_newfstatat(int dirfd, const char __user *path, struct stat_x86_64 __user *buf, int flags)
{
    struct kstat k;
    return put_stat(&k, path_stat(dirfd, path, flags, &k), buf);
}

long sys_stat(const char __user *path, struct stat_x86_64 __user *buf) { return sys_newfstatat(AT_FDCWD, path, buf, 0); }
long sys_lstat(const char __user *path, struct stat_x86_64 __user *buf)
{
    return sys_newfstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

/* ---- statx, the same for both ABIs ---- */

struct statx_timestamp {
    s64 tv_sec;
    u32 tv_nsec;
    s32 reserved;
};

struct statx {
    u32 stx_mask, stx_blksize;
    u64 stx_attributes;
    u32 stx_nlink, stx_uid, stx_gid;
    u16 stx_mode, spare0;
    u64 stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    u64 stx_mnt_id;
    u64 spare3[13];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");

#define STATX_BASIC_STATS 0x7ff
#define STATX_BTIME 0x800

static struct statx_timestamp statx_time(struct timespec_k t) { return (struct statx_timestamp){t.tv_sec, (u32)t.tv_nsec, 0}; }
#define STATX__RESERVED 0x80000000u
#define AT_STATX_SYNC_TYPE 0x6000

long sys_statx(int dirfd, const char __user *path, int flags, unsigned mask, struct statx __user *buf)
{
    if (mask & STATX__RESERVED)
        return -EINVAL;
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
        return -EINVAL;
    struct kstat k;
    int err = path_stat(dirfd, path, flags & ~AT_STATX_SYNC_TYPE, &k);
    if (err)
        return err;
    struct statx st = {
        .stx_mask = STATX_BASIC_STATS | (k.has_btime ? STATX_BTIME : 0),
        .stx_blksize = k.blksize,
        .stx_nlink = k.nlink,
        .stx_uid = k.uid,
        .stx_gid = k.gid,
        .stx_mode = (u16)k.mode,
        .stx_ino = k.ino,
        .stx_size = k.size,
        .stx_blocks = k.blocks,
        .stx_atime = statx_time(k.atime),
        .stx_btime = k.has_btime ? statx_time(k.btime) : (struct statx_timestamp){0, 0, 0},
        .stx_ctime = statx_time(k.ctime),
        .stx_mtime = statx_time(k.mtime),
        .stx_rdev_major = k.rdev >> 8,
        .stx_rdev_minor = k.rdev & 0xff,
        .stx_dev_major = 0,
        .stx_dev_minor = (u32)k.dev,
    };
    return copy_to_user(buf, &st, sizeof(st));
}
