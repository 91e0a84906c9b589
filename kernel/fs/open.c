/* open, openat, close, access and readlink. */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "fsnotify.h"
#include "lib.h"
#include "proc.h"
#include "time.h"
#include "uaccess.h"


/* Copies a user path; the result is 0 or a negative errno. */
int copy_path_from_user(char *dst, const char __user *src)
{
    long n = strncpy_from_user(dst, src, PATH_MAX);
    if (n < 0)
        return (int)n;
    return n == 0 ? -ENOENT : 0;
}

/* The directory a *at() call starts from: the current directory for
 * AT_FDCWD (an absolute path ignores it). The inode is not counted, like
 * every path look-up's result: the caller uses it for the look-up that
 * follows, which does not sleep, so no other task can free it meanwhile. */
int dirfd_base(int dirfd, const char *path, struct inode **base)
{
    struct fs_info *fs = current_task()->fs;
    *base = fs ? fs->cwd : NULL;
    if (path[0] == '/' || dirfd == AT_FDCWD)
        return 0;
    struct file *f = fdget_raw(dirfd);
    if (!f)
        return -EBADF;
    int err = S_ISDIR(f->inode->mode) ? 0 : -ENOTDIR;
    if (!err)
        *base = f->inode;
    fdput(f);
    return err;
}

/* O_TMPFILE: a new file in the directory `dir`, named by nothing; linkat may
 * name it later unless O_EXCL. */
static int open_tmpfile(struct inode *dir, u32 flags, u32 mode, struct inode **out)
{
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (!dir->iops || !dir->iops->tmpfile)
        return -EOPNOTSUPP;
    int err = may_create(dir);
    err = err ?: dir->iops->tmpfile(dir, S_IFREG | (mode & 07777 & ~current_umask()), out);
    if (!err) {
        inode_init_owner(*out, dir);
        (*out)->linkable = !(flags & O_EXCL);
    }
    return err;
}

static long do_open(int dirfd, const char __user *upath, u32 flags, u32 mode)
{
    if (flags & O_PATH)
        flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC; /* the rest means nothing to a path (Linux's build_open_how) */
    if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT))
        return -EINVAL; /* no regular file made by an open that wanted a directory (Linux 6.4) */
    bool tmpfile = flags & O_TMPFILE_FLAG;
    if (tmpfile && (!(flags & O_DIRECTORY) || (flags & O_CREAT) || (flags & O_ACCMODE) == O_RDONLY))
        return -EINVAL; /* O_TMPFILE needs write access, and is not O_CREAT's */
    char path[PATH_MAX];
    int err = copy_path_from_user(path, upath);
    if (err)
        return err;
    struct inode *base, *inode;
    err = dirfd_base(dirfd, path, &base);
    if (err)
        return err;
    err = path_lookup(base, path, !(flags & O_NOFOLLOW), &inode);
    bool created = false;
    if (!err && tmpfile) {
        err = open_tmpfile(inode, flags, mode, &inode);
        if (err)
            return err;
        created = true; /* a new file: its mode does not limit this open */
        flags &= ~(O_TMPFILE_FLAG | O_DIRECTORY);
    } else if (err == -ENOENT && (flags & O_CREAT)) {
        created = true;
        struct inode *dir;
        const char *last;
        err = path_lookup_parent(base, path, &dir, &last);
        if (err)
            return err;
        if (!*last || strchr(last, '/'))
            return -EISDIR;
        err = vfs_create(dir, last, S_IFREG | (mode & 07777 & ~current_umask()), 0, &inode);
        if (err)
            return err;
    } else if (err) {
        return err;
    } else if ((flags & O_CREAT) && (flags & O_EXCL)) {
        return -EEXIST;
    } else if ((flags & O_CREAT) && S_ISDIR(inode->mode)) {
        return -EISDIR;
    }
    if (S_ISLNK(inode->mode) && (flags & O_NOFOLLOW) && !(flags & O_PATH))
        return -ELOOP;
    if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
        return -ENOTDIR;
    if (S_ISDIR(inode->mode) && (flags & O_ACCMODE) != O_RDONLY)
        return -EISDIR;
    /* A file the call itself created is the caller's whatever its mode. */
    if (!created && !(flags & O_PATH)) {
        static const int access_for_mode[4] = {MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE, MAY_READ | MAY_WRITE};
        err = inode_permission(inode, access_for_mode[flags & O_ACCMODE] | (flags & O_TRUNC ? MAY_WRITE : 0));
        if (err)
            return err;
    }
    if ((inode->mode & S_IFMT) == S_IFSOCK && !(flags & O_PATH))
        return -ENXIO; /* a socket's name is for connect, as Linux's may_open says */
    if (!in_compat_syscall() && !(flags & O_PATH))
        flags |= O_LARGEFILE; /* as Linux forces for 64-bit callers, before O_PATH's mask */
    struct file *f;
    err = file_open(inode, flags, &f);
    if (err)
        return err;
    fsnotify_open(f);
    /* After the open, which may have waited for a lease's holder to let go of the contents;
     * a read-only open truncates too, as on Linux. */
    if ((flags & O_TRUNC) && S_ISREG(inode->mode) && !(flags & O_PATH) && !created) {
        inode_set_size(inode, 0);
        inode->mtime = inode->ctime = realtime_timespec(); /* even when it was empty: Linux's do_truncate */
        fsnotify_modify(inode);
    }
    if (S_ISFIFO(inode->mode) && !(flags & O_PATH)) {
        err = fifo_open(f);
        if (err) {
            file_put(f);
            return err;
        }
    }
    int fd = fd_install(f, 0, flags & O_CLOEXEC);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_open(const char __user *path, int flags, u32 mode) { return do_open(AT_FDCWD, path, (u32)flags, mode); }
long sys_creat(const char __user *path, u32 mode) { return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode); }
long sys_openat(int dirfd, const char __user *path, int flags, u32 mode) { return do_open(dirfd, path, (u32)flags, mode); }
long sys_close(int fd) { return fd_close(fd); }

#define CLOSE_RANGE_UNSHARE (1u << 1)
#define CLOSE_RANGE_CLOEXEC (1u << 2)

/* Linux's close_range: UNSHARE first gives the caller a table of its own
 * (when it shares one through CLONE_FILES), then the range is closed or
 * marked close-on-exec; descriptors beyond the table are nothing to do. */
long sys_close_range(u32 first, u32 last, u32 flags)
{
    if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
        return -EINVAL;
    if (first > last)
        return -EINVAL;
    struct task *me = current_task();
    if ((flags & CLOSE_RANGE_UNSHARE) && refcount_read(&me->files->users) > 1) {
        struct files *own = files_copy(me->files);
        if (!own)
            return -ENOMEM;
        struct files *shared = me->files;
        me->files = own;
        files_put(shared);
    }
    for (u32 fd = first; fd <= last && fd < MAX_FDS; fd++) {
        if (flags & CLOSE_RANGE_CLOEXEC)
            fd_set_cloexec((int)fd, true);
        else
            fd_close((int)fd);
    }
    return 0;
}

#define AT_EACCESS 0x200
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

static long do_access(int dirfd, const char __user *upath, int mode, int flags)
{
    if (mode & ~(R_OK | W_OK | X_OK))
        return -EINVAL;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_EACCESS))
        return -EINVAL;
    char path[PATH_MAX];
    int err = copy_path_from_user(path, upath);
    if (err)
        return err;
    /* access asks about the real ids (and root's capabilities only for a
     * real root); AT_EACCESS about the effective ones, which open uses. */
    const struct cred *saved = NULL;
    if (!(flags & AT_EACCESS)) {
        struct cred *real = cred_prepare();
        if (!real)
            return -ENOMEM;
        real->fsuid = real->uid;
        real->fsgid = real->gid;
        real->cap_effective = real->uid == 0 ? real->cap_permitted : 0;
        saved = cred_override(real);
    }
    struct inode *base, *inode;
    err = dirfd_base(dirfd, path, &base);
    err = err ?: path_lookup(base, path, !(flags & AT_SYMLINK_NOFOLLOW), &inode);
    if (!err && mode)
        err = inode_permission(inode, mode); /* R_OK, W_OK and X_OK are MAY_READ, MAY_WRITE and MAY_EXEC */
    if (!(flags & AT_EACCESS))
        cred_revert(saved);
    return err;
}

long sys_access(const char __user *path, int mode) { return do_access(AT_FDCWD, path, mode, 0); }
long sys_faccessat(int dirfd, const char __user *path, int mode) { return do_access(dirfd, path, mode, 0); }
long sys_faccessat2(int dirfd, const char __user *path, int mode, int flags) { return do_access(dirfd, path, mode, flags); }

static long do_readlink(int dirfd, const char __user *upath, char __user *buf, int size)
{
    if (size <= 0)
        return -EINVAL;
    char path[PATH_MAX];
    int err = copy_path_from_user(path, upath);
    if (err)
        return err;
    struct inode *base, *inode;
    err = dirfd_base(dirfd, path, &base);
    err = err ?: path_lookup(base, path, false, &inode);
    if (err)
        return err;
    if (!S_ISLNK(inode->mode))
        return -EINVAL;
    char target[PATH_MAX];
    size_t n = MIN((size_t)size, symlink_target(inode, target, sizeof(target)));
    return copy_to_user(buf, target, n) ? -EFAULT : (long)n;
}

long sys_readlink(const char __user *path, char __user *buf, int size) { return do_readlink(AT_FDCWD, path, buf, size); }
long sys_readlinkat(int dirfd, const char __user *path, char __user *buf, int size)
{
    return do_readlink(dirfd, path, buf, size);
}
