/*
 * Extended attributes. No file system of sysgate's stores any, so these
 * calls answer as Linux does for a file that has none on a tmpfs without a
 * security module (the initramfs's root): getxattr says ENODATA, listxattr
 * lists nothing, removexattr finds nothing to remove, and setxattr cannot
 * store one (EOPNOTSUPP). The checks before that are Linux's, in its order:
 * the name (ERANGE when empty or too long), the file, the namespace's rules.
 * Programs such as `ls -l` and `cp -a` ask for SELinux labels and ACLs and
 * take ENODATA as "none".
 */
#include "cred.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "uaccess.h"

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_CREATE 1
#define XATTR_REPLACE 2
#define XATTR_TRUSTED_PREFIX "trusted."
#define XATTR_USER_PREFIX "user."

int dirfd_base(int dirfd, const char *path, struct inode **base);

static bool has_prefix(const char *name, const char *prefix) { return strncmp(name, prefix, strlen(prefix)) == 0; }

static long copy_name(char name[XATTR_NAME_MAX + 1], const char __user *uname)
{
    long n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);
    if (n == -ENAMETOOLONG || n == 0 || n == XATTR_NAME_MAX + 1)
        return -ERANGE;
    return n < 0 ? n : 0;
}

/* The file a path names (following a last symbolic link or not), or the
 * open file `fd` is when path is NULL. */
static long xattr_target(const char __user *upath, bool follow, int fd, struct inode **inode)
{
    if (!upath) {
        struct file *f = fdget(fd);
        if (!f)
            return -EBADF;
        *inode = f->inode;
        fdput(f);
        return 0;
    }
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return -ENOMEM;
    struct inode *base;
    long err = copy_path_from_user(path, upath) ?: dirfd_base(AT_FDCWD, path, &base);
    err = err ?: path_lookup(base, path, follow, inode);
    kfree(path);
    return err;
}

/* Linux's xattr_permission: trusted.* is for CAP_SYS_ADMIN, user.* only on
 * files and directories; otherwise the file's own permission. */
static long xattr_permission(struct inode *inode, const char *name, int mask)
{
    if (has_prefix(name, XATTR_TRUSTED_PREFIX) && !capable(CAP_SYS_ADMIN))
        return mask & MAY_WRITE ? -EPERM : -ENODATA;
    if (has_prefix(name, XATTR_USER_PREFIX) && !S_ISREG(inode->mode) && !S_ISDIR(inode->mode))
        return mask & MAY_WRITE ? -EPERM : -ENODATA;
    return inode_permission(inode, mask);
}

static long get_xattr(const char __user *path, bool follow, int fd, const char __user *uname)
{
    char name[XATTR_NAME_MAX + 1];
    struct inode *inode;
    long err = copy_name(name, uname) ?: xattr_target(path, follow, fd, &inode);
    return err ?: xattr_permission(inode, name, MAY_READ) ?: -ENODATA;
}

static long set_xattr(const char __user *path, bool follow, int fd, const char __user *uname, u64 size, int flags)
{
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
        return -EINVAL;
    char name[XATTR_NAME_MAX + 1];
    long err = copy_name(name, uname);
    if (err)
        return err;
    if (size > XATTR_SIZE_MAX)
        return -E2BIG;
    struct inode *inode;
    err = xattr_target(path, follow, fd, &inode) ?: xattr_permission(inode, name, MAY_WRITE);
    if (err)
        return err;
    return flags & XATTR_REPLACE ? -ENODATA : -EOPNOTSUPP;
}

static long remove_xattr(const char __user *path, bool follow, int fd, const char __user *uname)
{
    char name[XATTR_NAME_MAX + 1];
    struct inode *inode;
    long err = copy_name(name, uname) ?: xattr_target(path, follow, fd, &inode);
    return err ?: xattr_permission(inode, name, MAY_WRITE) ?: -ENODATA;
}

static long list_xattr(const char __user *path, bool follow, int fd)
{
    struct inode *inode;
    return xattr_target(path, follow, fd, &inode); /* 0 names, 0 bytes */
}

long sys_getxattr(const char __user *path, const char __user *name, void __user *value, u64 size)
{
    (void)value, (void)size;
    return get_xattr(path, true, -1, name);
}

long sys_lgetxattr(const char __user *path, const char __user *name, void __user *value, u64 size)
{
    (void)value, (void)size;
    return get_xattr(path, false, -1, name);
}

long sys_fgetxattr(int fd, const char __user *name, void __user *value, u64 size)
{
    (void)value, (void)size;
    return get_xattr(NULL, false, fd, name);
}

long sys_setxattr(const char __user *path, const char __user *name, const void __user *value, u64 size, int flags)
{
    (void)value;
    return set_xattr(path, true, -1, name, size, flags);
}

long sys_lsetxattr(const char __user *path, const char __user *name, const void __user *value, u64 size, int flags)
{
    (void)value;
    return set_xattr(path, false, -1, name, size, flags);
}

long sys_fsetxattr(int fd, const char __user *name, const void __user *value, u64 size, int flags)
{
    (void)value;
    return set_xattr(NULL, false, fd, name, size, flags);
}

long sys_listxattr(const char __user *path, char __user *list, u64 size)
{
    (void)list, (void)size;
    return list_xattr(path, true, -1);
}

long sys_llistxattr(const char __user *path, char __user *list, u64 size)
{
    (void)list, (void)size;
    return list_xattr(path, false, -1);
}

long sys_flistxattr(int fd, char __user *list, u64 size)
{
    (void)list, (void)size;
    return list_xattr(NULL, false, fd);
}

long sys_removexattr(const char __user *path, const char __user *name) { return remove_xattr(path, true, -1, name); }

long sys_lremovexattr(const char __user *path, const char __user *name)
{
    return remove_xattr(path, false, -1, name);
}

long sys_fremovexattr(int fd, const char __user *name) { return remove_xattr(NULL, false, fd, name); }
