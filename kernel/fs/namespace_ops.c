/*
 * The calls that change the directory tree: mkdir, mknod of FIFOs, rmdir,
 * unlink, link, symlink and rename, each with its *at form, and the errors
 * Linux gives for each misuse.
 */
#include "cred.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "proc.h"
#include "uaccess.h"

#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2

int dirfd_base(int dirfd, const char *path, struct inode **base);

/* Resolves everything but the last name of a user path. */
static int parent_of(int dirfd, const char __user *upath, char *path, struct inode **dir, const char **last)
{
    int err = copy_path_from_user(path, upath);
    if (err)
        return err;
    struct inode *base;
    err = dirfd_base(dirfd, path, &base);
    err = err ?: path_lookup_parent(base, path, dir, last);
    if (err)
        return err;
    if (!**last || !strcmp(*last, ".") || !strcmp(*last, ".."))
        return -EEXIST; /* caller turns this into its own error where Linux differs */
    return 0;
}

static size_t name_length(const char *last)
{
    size_t n = 0;
    while (last[n] && last[n] != '/')
        n++;
    return n;
}

static bool has_trailing_slash(const char *last) { return strchr(last, '/') != NULL; }

long sys_mkdirat(int dirfd, const char __user *upath, u32 mode)
{
    char path[PATH_MAX];
    struct inode *dir;
    const char *last;
    int err = parent_of(dirfd, upath, path, &dir, &last);
    if (err)
        return err;
    char name[256];
    size_t n = name_length(last);
    if (n > 255)
        return -ENAMETOOLONG;
    memcpy(name, last, n);
    name[n] = 0;
    if (dir_lookup(dir, name))
        return -EEXIST;
    return vfs_create(dir, name, S_IFDIR | (mode & 07777 & ~current_umask()), 0, NULL);
}

long sys_mkdir(const char __user *path, u32 mode) { return sys_mkdirat(AT_FDCWD, path, mode); }

/* The user's dev_t (Linux's new_encode_dev: 12 bits of major, 20 of minor) in the kernel's form. */
static u32 dev_from_user(u32 dev)
{
    u32 major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    return MKDEV(major, minor);
}

long sys_mknodat(int dirfd, const char __user *upath, u32 mode, u32 dev)
{
    u32 type = mode & S_IFMT;
    if (type == S_IFDIR)
        return -EPERM;
    if (type != S_IFIFO && type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFSOCK && type != 0)
        return -EINVAL;
    char path[PATH_MAX];
    struct inode *dir;
    const char *last;
    int err = parent_of(dirfd, upath, path, &dir, &last);
    if (err)
        return err;
    if (has_trailing_slash(last))
        return -ENOENT;
    if (dir_lookup(dir, last))
        return -EEXIST;
    bool device = type == S_IFCHR || type == S_IFBLK;
    if (device && !capable(CAP_MKNOD))
        return -EPERM;
    return vfs_create(dir, last, (type ? type : S_IFREG) | (mode & 07777 & ~current_umask()),
                      device ? dev_from_user(dev) : 0, NULL);
}

long sys_mknod(const char __user *path, u32 mode, u32 dev) { return sys_mknodat(AT_FDCWD, path, mode, dev); }

static long do_unlink(int dirfd, const char __user *upath, bool directory)
{
    char path[PATH_MAX];
    struct inode *dir;
    const char *last;
    int err = parent_of(dirfd, upath, path, &dir, &last);
    if (err == -EEXIST)
        return directory ? (!strcmp(last, ".") ? -EINVAL : -ENOTEMPTY) : -EISDIR;
    if (err)
        return err;
    char name[256];
    size_t n = name_length(last);
    if (n > 255)
        return -ENAMETOOLONG;
    memcpy(name, last, n);
    name[n] = 0;
    struct inode *victim = dir_lookup(dir, name);
    if (!victim)
        return -ENOENT;
    if (directory) {
        if (!S_ISDIR(victim->mode))
            return -ENOTDIR;
        if (victim == root_inode)
            return -EBUSY;
        return vfs_rmdir(dir, name);
    } else {
        if (S_ISDIR(victim->mode))
            return -EISDIR;
        if (has_trailing_slash(last))
            return -ENOTDIR;
    }
    return vfs_unlink(dir, name);
}

long sys_unlinkat(int dirfd, const char __user *path, int flags)
{
    if (flags & ~AT_REMOVEDIR)
        return -EINVAL;
    return do_unlink(dirfd, path, flags & AT_REMOVEDIR);
}
long sys_unlink(const char __user *path) { return do_unlink(AT_FDCWD, path, false); }
long sys_rmdir(const char __user *path) { return do_unlink(AT_FDCWD, path, true); }

long sys_symlinkat(const char __user *utarget, int dirfd, const char __user *upath)
{
    char target[PATH_MAX], path[PATH_MAX];
    int err = copy_path_from_user(target, utarget);
    if (err)
        return err;
    struct inode *dir;
    const char *last;
    err = parent_of(dirfd, upath, path, &dir, &last);
    if (err)
        return err;
    if (has_trailing_slash(last))
        return -ENOENT;
    if (dir_lookup(dir, last))
        return -EEXIST;
    return vfs_symlink(dir, last, target);
}

long sys_symlink(const char __user *target, const char __user *path) { return sys_symlinkat(target, AT_FDCWD, path); }

long sys_linkat(int olddirfd, const char __user *uold, int newdirfd, const char __user *unew, int flags)
{
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    char oldpath[PATH_MAX], newpath[PATH_MAX];
    int err = copy_path_from_user(oldpath, uold);
    if (err)
        return err;
    struct inode *base, *target;
    if (!oldpath[0] && (flags & AT_EMPTY_PATH)) {
        struct file *f = fdget_raw(olddirfd); /* the inode, uncounted like a look-up's */
        if (!f)
            return olddirfd == AT_FDCWD ? -ENOENT : -EBADF;
        target = f->inode;
        fdput(f);
    } else {
        err = dirfd_base(olddirfd, oldpath, &base);
        err = err ?: path_lookup(base, oldpath, flags & AT_SYMLINK_FOLLOW, &target);
        if (err)
            return err;
    }
    if (S_ISDIR(target->mode))
        return -EPERM;
    if (target->nlink == 0 && !target->linkable)
        return -ENOENT; /* a file whose last name went, or an O_EXCL tmpfile */
    struct inode *dir;
    const char *last;
    err = parent_of(newdirfd, unew, newpath, &dir, &last);
    if (err)
        return err;
    if (has_trailing_slash(last))
        return -ENOENT;
    if (dir_lookup(dir, last))
        return -EEXIST;
    err = vfs_link(target, dir, last);
    if (!err)
        target->linkable = false;
    return err;
}

long sys_link(const char __user *oldpath, const char __user *newpath)
{
    return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

static bool is_ancestor(const struct inode *maybe_ancestor, const struct inode *dir)
{
    for (const struct inode *d = dir;; d = d->parent) {
        if (d == maybe_ancestor)
            return true;
        if (d->parent == d) /* the root of its file system */
            return false;
    }
}

long sys_renameat2(int olddirfd, const char __user *uold, int newdirfd, const char __user *unew, unsigned flags)
{
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
        return -EINVAL;
    if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
        return -EINVAL;
    char oldpath[PATH_MAX], newpath[PATH_MAX];
    struct inode *olddir, *newdir;
    const char *oldlast, *newlast;
    int err = parent_of(olddirfd, uold, oldpath, &olddir, &oldlast);
    if (err == -EEXIST)
        return -EBUSY;
    if (err)
        return err;
    err = parent_of(newdirfd, unew, newpath, &newdir, &newlast);
    if (err == -EEXIST)
        return -EBUSY;
    if (err)
        return err;
    char oldname[256], newname[256];
    size_t on = name_length(oldlast), nn = name_length(newlast);
    if (on > 255 || nn > 255)
        return -ENAMETOOLONG;
    memcpy(oldname, oldlast, on);
    oldname[on] = 0;
    memcpy(newname, newlast, nn);
    newname[nn] = 0;
    struct inode *source = dir_lookup(olddir, oldname);
    if (!source)
        return -ENOENT;
    struct inode *target = dir_lookup(newdir, newname);
    if (!S_ISDIR(source->mode) && (has_trailing_slash(oldlast) || has_trailing_slash(newlast)))
        return -ENOTDIR;
    if (source == target)
        return 0;
    if (S_ISDIR(source->mode) && is_ancestor(source, newdir))
        return -EINVAL;
    if ((flags & RENAME_EXCHANGE) && !target)
        return -ENOENT;
    if (target && !(flags & (RENAME_EXCHANGE | RENAME_NOREPLACE))) {
        if (S_ISDIR(source->mode) && !S_ISDIR(target->mode))
            return -ENOTDIR;
        if (!S_ISDIR(source->mode) && S_ISDIR(target->mode))
            return -EISDIR;
    }
    if (target && (flags & RENAME_NOREPLACE))
        return -EEXIST;
    return vfs_rename(olddir, oldname, newdir, newname, flags);
}

long sys_renameat(int olddirfd, const char __user *oldpath, int newdirfd, const char __user *newpath)
{
    return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}
long sys_rename(const char __user *oldpath, const char __user *newpath)
{
    return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}
