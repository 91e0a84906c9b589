/* Changing what stat reports: chmod, chown, truncate, utimensat; and the
 * sync family, which has nothing to write back on a RAM file system. */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "fsnotify.h"
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
    inode->ctime = realtime_timespec();
    fsnotify_attrib(inode);
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
    inode->ctime = realtime_timespec();
    fsnotify_attrib(inode);
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
    if (!err) {
        inode->mtime = inode->ctime = realtime_timespec();
        fsnotify_modify(inode);
    }
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
    if (!err)
        err = lease_break_for_truncate(inode);
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
    struct timespec_k t[2];
    if (utimes && copy_from_user(t, utimes, sizeof(t)))
        return -EFAULT;
    return do_utimensat(dirfd, path, utimes ? t : NULL, flags);
}

/* utime, utimes and futimesat: whole seconds, or microseconds, in the
 * calling ABI's longs (32-bit on i386), as Linux's fs/utimes.c. */
#define USEC_PER_SEC 1000000
#define NSEC_PER_USEC 1000

long sys_utime(const char __user *path, const void __user *times)
{
    struct timespec_k t[2] = {{0, 0}, {0, 0}};
    if (times) {
        if (in_compat_syscall()) {
            s32 both[2]; /* struct old_utimbuf32: actime, modtime */
            if (copy_from_user(both, times, sizeof(both)))
                return -EFAULT;
            t[0].tv_sec = both[0], t[1].tv_sec = both[1];
        } else {
            s64 both[2]; /* struct utimbuf */
            if (copy_from_user(both, times, sizeof(both)))
                return -EFAULT;
            t[0].tv_sec = both[0], t[1].tv_sec = both[1];
        }
    }
    return do_utimensat(AT_FDCWD, path, times ? t : NULL, 0);
}

long sys_futimesat(int dirfd, const char __user *path, const void __user *times)
{
    struct timespec_k t[2] = {{0, 0}, {0, 0}};
    if (times) {
        s64 v[4]; /* two struct timevals: seconds, microseconds */
        if (in_compat_syscall()) {
            s32 narrow[4];
            if (copy_from_user(narrow, times, sizeof(narrow)))
                return -EFAULT;
            for (int i = 0; i < 4; i++)
                v[i] = narrow[i];
        } else if (copy_from_user(v, times, sizeof(v))) {
            return -EFAULT;
        }
        /* checked here: UTIME_NOW and UTIME_OMIT are no microseconds, and a product could wrap into range */
        if (v[1] < 0 || v[1] >= USEC_PER_SEC || v[3] < 0 || v[3] >= USEC_PER_SEC)
            return -EINVAL;
        t[0] = (struct timespec_k){v[0], v[1] * NSEC_PER_USEC};
        t[1] = (struct timespec_k){v[2], v[3] * NSEC_PER_USEC};
    }
    return do_utimensat(dirfd, path, times ? t : NULL, 0);
}

long sys_utimes(const char __user *path, const void __user *times) { return sys_futimesat(AT_FDCWD, path, times); }

/* After the times were read: NULL means now for both. */
long do_utimensat(int dirfd, const char __user *path, const struct timespec_k *times, int flags)
{
    if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
        return 0; /* nothing to do: as Linux, not even the path or the flags are looked at */
    struct timespec_k t[2];
    const void *utimes = times;
    if (times)
        t[0] = times[0], t[1] = times[1];
    /* Linux's do_utimes: a descriptor alone (no path) takes no flags at all;
     * the times are looked at only once the file is found. */
    struct inode *inode;
    struct file *f = NULL;
    long err;
    if (!path && dirfd != AT_FDCWD) {
        if (flags)
            return -EINVAL;
        f = fdget(dirfd);
        if (!f)
            return -EBADF;
        inode = f->inode;
    } else if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
        return -EINVAL;
    } else if ((err = resolve_stat_target(dirfd, path, flags, &inode))) {
        return err;
    }
    for (int i = 0; utimes && i < 2; i++)
        if (t[i].tv_nsec != UTIME_NOW && t[i].tv_nsec != UTIME_OMIT && (t[i].tv_nsec < 0 || t[i].tv_nsec >= 1000000000)) {
            fdput(f);
            return -EINVAL;
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
    struct timespec_k now = realtime_timespec();
    struct timespec_k stamps[2] = {inode->atime, inode->mtime};
    for (int i = 0; i < 2; i++) {
        if (!utimes || t[i].tv_nsec == UTIME_NOW)
            stamps[i] = now;
        else if (t[i].tv_nsec != UTIME_OMIT)
            stamps[i] = t[i];
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
    /* Linux's fsnotify_change: both times are a utime, one alone an access or a modification. */
    bool atime_set = !utimes || t[0].tv_nsec != UTIME_OMIT, mtime_set = !utimes || t[1].tv_nsec != UTIME_OMIT;
    if (atime_set && mtime_set)
        fsnotify_attrib(inode);
    else if (atime_set)
        fsnotify_access(inode);
    else
        fsnotify_modify(inode);
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
/* Only files and directories have anything to sync: a pipe, socket or
 * device has no fsync in Linux, which answers EINVAL. */
static long fsync_fd(int fd)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long err = S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode) ? 0 : -EINVAL;
    fdput(f);
    return err;
}
long sys_fsync(int fd) { return fsync_fd(fd); }
long sys_fdatasync(int fd) { return fsync_fd(fd); }

#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE 2
#define SYNC_FILE_RANGE_WAIT_AFTER 4

/* Linux's ksys_sync_file_range, checks in its order; then nothing to write back. */
long sys_sync_file_range(int fd, s64 offset, s64 nbytes, u32 flags)
{
    if (flags & ~(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER))
        return -EINVAL;
    if (offset < 0 || nbytes < 0 || (nbytes && offset + nbytes < 0))
        return -EINVAL;
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    u32 type = f->inode->mode & S_IFMT;
    long err = type == S_IFREG || type == S_IFDIR || type == S_IFLNK || type == S_IFBLK ? 0 : -ESPIPE;
    fdput(f);
    return err;
}

/* i386 splits both 64-bit values over two registers (Linux's ia32 sync_file_range). */
long compat_sys_sync_file_range(int fd, u32 off_low, u32 off_high, u32 n_low, u32 n_high, u32 flags)
{
    return sys_sync_file_range(fd, (s64)(((u64)off_high << 32) | off_low), (s64)(((u64)n_high << 32) | n_low), flags);
}
long sys_syncfs(int fd) { return fd_open_or_ebadf(fd); }

#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40
#define FALLOC_FL_WRITE_ZEROES 0x80
#define FALLOC_FL_MODE_MASK                                                                                   \
    (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE |          \
     FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES)

/* The bytes [start, end) within the file read as zeros from now on, in the
 * cache pages themselves, so mappings see them too (a page of a host file
 * is read in to be cleared, and written back). */
static long punch_hole(struct inode *inode, u64 start, u64 end)
{
    end = MIN(end, inode->size);
    for (u64 at = start; at < end;) {
        u64 index = at / PAGE_SIZE, in_page = at % PAGE_SIZE;
        u64 n = MIN(PAGE_SIZE - in_page, end - at);
        phys_addr_t page = file_page(inode, index);
        if (!page)
            return -ENOMEM;
        memset((u8 *)phys_to_virt(page) + in_page, 0, n);
        page_cache_mark_dirty(inode, index);
        at += n;
    }
    return 0;
}

/* Linux's vfs_fallocate checks, in its order; then what tmpfs's
 * shmem_fallocate does: allocation (growing the file unless KEEP_SIZE) and
 * punching holes, which read back as zeros; no other mode. */
long sys_fallocate(int fd, int mode, s64 offset, s64 len)
{
    if (offset < 0 || len <= 0)
        return -EINVAL;
    if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
        return -EOPNOTSUPP;
    switch (mode & FALLOC_FL_MODE_MASK) {
    case 0:
    case FALLOC_FL_UNSHARE_RANGE:
    case FALLOC_FL_ZERO_RANGE:
        break;
    case FALLOC_FL_PUNCH_HOLE:
        if (!(mode & FALLOC_FL_KEEP_SIZE))
            return -EOPNOTSUPP;
        break;
    case FALLOC_FL_COLLAPSE_RANGE:
    case FALLOC_FL_INSERT_RANGE:
    case FALLOC_FL_WRITE_ZEROES:
        if (mode & FALLOC_FL_KEEP_SIZE)
            return -EOPNOTSUPP;
        break;
    default:
        return -EOPNOTSUPP;
    }
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    struct inode *inode = f->inode;
    long err = 0;
    u64 end = (u64)offset + (u64)len;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        err = -EBADF;
    else if (S_ISFIFO(inode->mode))
        err = -ESPIPE;
    else if (S_ISDIR(inode->mode))
        err = -EISDIR;
    else if (!S_ISREG(inode->mode))
        err = -ENODEV;
    else if ((s64)end < 0)
        err = -EFBIG;
    else if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE) || !inode->mapping.ops)
        err = -EOPNOTSUPP;
    else if (mode & FALLOC_FL_PUNCH_HOLE)
        err = (inode->seals & F_SEAL_WRITE) ? -EPERM : punch_hole(inode, (u64)offset, end);
    else if (end > inode->size && rlimit_fsize_check(end - 1, 0) < 0)
        err = -EFBIG;
    else if (end > inode->size && (inode->seals & F_SEAL_GROW))
        err = -EPERM;
    else if (!(mode & FALLOC_FL_KEEP_SIZE) && end > inode->size)
        err = inode_set_size(inode, end) == -ENOSPC ? -ENOSPC : 0;
    if (!err) {
        inode->mtime = inode->ctime = realtime_timespec(); /* Linux's file_modified, first thing in shmem_fallocate */
        fsnotify_modify(inode);
    }
    fdput(f);
    return err;
}

/* i386 splits both 64-bit values over two registers. */
long compat_sys_fallocate(int fd, int mode, u32 off_low, u32 off_high, u32 len_low, u32 len_high)
{
    return sys_fallocate(fd, mode, (s64)(((u64)off_high << 32) | off_low), (s64)(((u64)len_high << 32) | len_low));
}

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
