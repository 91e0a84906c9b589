/* Changing what stat reports: chmod, chown, truncate, utimensat; and the
 * sync family, which has nothing to write back on a RAM file system. */
#include "cred.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "stat.h"
#include "time.h"
#include "uaccess.h"


int dirfd_base(int dirfd, const char *path, struct inode **base);
int resolve_stat_target(int dirfd, const char __user *upath, int flags, struct inode **out);

static long lookup_at(int dirfd, const char __user *upath, bool follow, struct inode **inode)
{
    char path[PATH_MAX];
    int err = copy_path_from_user(path, upath);
    if (err)
        return err;
    struct inode *base;
    err = dirfd_base(dirfd, path, &base);
    return err ?: path_lookup(base, path, follow, inode);
}

static long set_mode(struct inode *inode, u32 mode)
{
    if (inode_fs_writable(inode))
        return -EROFS;
    if (!inode_owner_or_capable(inode))
        return -EPERM;
    /* Only a member of the file's group may make it set-group-ID. */
    if (!in_group_p(inode->gid) && !capable(CAP_FSETID))
        mode &= ~S_ISGID;
    struct iattr attr = {.valid = ATTR_MODE, .mode = (inode->mode & S_IFMT) | (mode & 07777)};
    long err = inode_store_attributes(inode, &attr);
    if (err)
        return err;
    inode->mode = attr.mode;
    inode->ctime = realtime_seconds();
    return 0;
}

long sys_fchmodat(int dirfd, const char __user *path, u32 mode)
{
    struct inode *inode;
    long err = lookup_at(dirfd, path, true, &inode);
    return err ?: set_mode(inode, mode);
}
long sys_chmod(const char __user *path, u32 mode) { return sys_fchmodat(AT_FDCWD, path, mode); }
long sys_fchmod(int fd, u32 mode)
{
    struct file *f = fdget(fd);
    long err = f ? set_mode(f->inode, mode) : -EBADF;
    fdput(f);
    return err;
}

/* Linux's chown_ok and chgrp_ok: the owner may give a file to a group of
 * its own; anything else needs CAP_CHOWN. */
static long set_owner(struct inode *inode, u32 uid, u32 gid)
{
    if (inode_fs_writable(inode))
        return -EROFS;
    const struct cred *c = current_cred();
    bool owner = c->fsuid == inode->uid;
    if (uid != NO_ID && !(owner && uid == inode->uid) && !capable(CAP_CHOWN))
        return -EPERM;
    if (gid != NO_ID && !(owner && (in_group_p(gid) || gid == inode->gid)) && !capable(CAP_CHOWN))
        return -EPERM;
    struct iattr attr = {.valid = (uid != NO_ID ? ATTR_UID : 0) | (gid != NO_ID ? ATTR_GID : 0), .uid = uid, .gid = gid};
    long err = attr.valid ? inode_store_attributes(inode, &attr) : 0;
    if (err)
        return err;
    if (uid != NO_ID)
        inode->uid = uid;
    if (gid != NO_ID)
        inode->gid = gid;
    /* chown clears set-user-ID, and set-group-ID where it means "run as
     * the group" (with group execute), even for root. */
    if (!S_ISDIR(inode->mode)) {
        inode->mode &= ~S_ISUID;
        if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
            inode->mode &= ~S_ISGID;
    }
    inode->ctime = realtime_seconds();
    return 0;
}

long sys_fchownat(int dirfd, const char __user *path, u32 uid, u32 gid, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct inode *inode;
    long err = resolve_stat_target(dirfd, path, flags, &inode);
    return err ?: set_owner(inode, uid, gid);
}
long sys_chown(const char __user *path, u32 uid, u32 gid) { return sys_fchownat(AT_FDCWD, path, uid, gid, 0); }
long sys_lchown(const char __user *path, u32 uid, u32 gid)
{
    return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}
long sys_fchown(int fd, u32 uid, u32 gid)
{
    struct file *f = fdget(fd);
    long err = f ? set_owner(f->inode, uid, gid) : -EBADF;
    fdput(f);
    return err;
}

static long set_length(struct inode *inode, s64 length)
{
    if (length < 0)
        return -EINVAL;
    if (S_ISDIR(inode->mode))
        return -EISDIR;
    if (!S_ISREG(inode->mode))
        return -EINVAL;
    long err = seals_allow_resize(inode, (u64)length);
    if (err)
        return err;
    /* Growing past RLIMIT_FSIZE: the last byte would be at length - 1. */
    if ((u64)length > inode->size && rlimit_fsize_check((u64)length - 1, 0) < 0)
        return -EFBIG;
    err = inode_set_size(inode, (u64)length);
    if (!err)
        inode->mtime = inode->ctime = realtime_seconds();
    return err == -ENOSPC ? -EFBIG : err;
}

long sys_truncate(const char __user *path, s64 length)
{
    if (length < 0)
        return -EINVAL;
    struct inode *inode;
    long err = lookup_at(AT_FDCWD, path, true, &inode);
    if (!err && S_ISDIR(inode->mode))
        return -EISDIR;
    if (!err && S_ISREG(inode->mode))
        err = inode_permission(inode, MAY_WRITE);
    return err ?: set_length(inode, length);
}

long sys_ftruncate(int fd, s64 length)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long err = (f->flags & O_ACCMODE) == O_RDONLY ? -EINVAL : set_length(f->inode, length);
    fdput(f);
    return err;
}

#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

long sys_utimensat(int dirfd, const char __user *path, const struct timespec_k __user *utimes, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct timespec_k t[2];
    if (utimes && copy_from_user(t, utimes, sizeof(t)))
        return -EFAULT;
    return do_utimensat(dirfd, path, utimes ? t : NULL, flags);
}

/* After the times were read: NULL means now for both. */
long do_utimensat(int dirfd, const char __user *path, const struct timespec_k *times, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct timespec_k t[2];
    const void *utimes = times;
    if (times)
        t[0] = times[0], t[1] = times[1];
    for (int i = 0; utimes && i < 2; i++)
        if (t[i].tv_nsec != UTIME_NOW && t[i].tv_nsec != UTIME_OMIT && (t[i].tv_nsec < 0 || t[i].tv_nsec >= 1000000000))
            return -EINVAL;
    struct inode *inode;
    struct file *f = NULL;
    long err;
    if (!path) {
        f = fdget(dirfd);
        if (!f)
            return -EBADF;
        inode = f->inode;
    } else if ((err = resolve_stat_target(dirfd, path, flags, &inode))) {
        return err;
    }
    if (inode_fs_writable(inode)) {
        fdput(f);
        return -EROFS;
    }
    /* Setting the times to now: the owner or whoever may write the file;
     * setting them to given values: the owner only. */
    bool touch = !utimes || (t[0].tv_nsec == UTIME_NOW && t[1].tv_nsec == UTIME_NOW);
    bool explicit = !touch && ((t[0].tv_nsec != UTIME_NOW && t[0].tv_nsec != UTIME_OMIT) ||
                               (t[1].tv_nsec != UTIME_NOW && t[1].tv_nsec != UTIME_OMIT));
    if (!inode_owner_or_capable(inode)) {
        err = explicit ? -EPERM : touch ? inode_permission(inode, MAY_WRITE) : 0;
        if (err) {
            fdput(f);
            return err;
        }
    }
    s64 now = realtime_seconds();
    s64 stamps[2] = {inode->atime, inode->mtime};
    for (int i = 0; i < 2; i++) {
        if (!utimes || t[i].tv_nsec == UTIME_NOW)
            stamps[i] = now;
        else if (t[i].tv_nsec != UTIME_OMIT)
            stamps[i] = t[i].tv_sec;
    }
    struct iattr attr = {.valid = ATTR_ATIME | ATTR_MTIME, .atime = stamps[0], .mtime = stamps[1]};
    err = inode_store_attributes(inode, &attr);
    if (err) {
        fdput(f);
        return err;
    }
    inode->atime = stamps[0];
    inode->mtime = stamps[1];
    inode->ctime = now;
    fdput(f);
    return 0;
}

/* Everything lives in RAM: there is nothing to write back, so these succeed
 * as they do on Linux's tmpfs, after checking their argument. */
long sys_sync(void) { return 0; }
static long fd_open_or_ebadf(int fd)
{
    struct file *f = fdget(fd);
    fdput(f);
    return f ? 0 : -EBADF;
}
long sys_fsync(int fd) { return fd_open_or_ebadf(fd); }
long sys_fdatasync(int fd) { return fd_open_or_ebadf(fd); }
long sys_syncfs(int fd) { return fd_open_or_ebadf(fd); }

/* statfs: what the superblock says of itself, its type's magic number first. */
static void statfs_fill(struct inode *inode, struct statfs_k *s)
{
    struct super_block *sb = inode->sb;
    if (sb->ops->statfs)
        sb->ops->statfs(sb, s);
    else
        statfs_ram(sb, s);
}

long statfs_path(const char __user *path, struct statfs_k *out)
{
    struct inode *inode;
    long err = lookup_at(AT_FDCWD, path, true, &inode);
    if (!err)
        statfs_fill(inode, out);
    return err;
}

long statfs_fd(int fd, struct statfs_k *out)
{
    struct file *f = fdget_raw(fd);
    if (!f)
        return -EBADF;
    statfs_fill(f->inode, out);
    fdput(f);
    return 0;
}

long sys_statfs(const char __user *path, struct statfs_k __user *buf)
{
    struct statfs_k s;
    long err = statfs_path(path, &s);
    return err ?: (copy_to_user(buf, &s, sizeof(s)) ? -EFAULT : 0);
}

long sys_fstatfs(int fd, struct statfs_k __user *buf)
{
    struct statfs_k s;
    long err = statfs_fd(fd, &s);
    return err ?: (copy_to_user(buf, &s, sizeof(s)) ? -EFAULT : 0);
}
