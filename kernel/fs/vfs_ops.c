/*
 * The VFS side of every directory change: the checks every file system
 * shares, then the directory's inode_operations. What a file system does
 * not have is refused with Linux's error for it: EACCES for creating a
 * file (open's O_CREAT), EPERM for the rest; a link or rename between two
 * file systems is EXDEV.
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "time.h"

struct inode *dir_lookup(struct inode *dir, const char *name)
{
    if (!S_ISDIR(dir->mode) || !dir->iops || !dir->iops->lookup)
        return NULL;
    return dir->iops->lookup(dir, name, strlen(name));
}

int vfs_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out)
{
    const struct inode_operations *ops = dir->iops;
    struct inode *ignored;
    if (!out)
        out = &ignored;
    if (S_ISDIR(mode))
        return ops && ops->mkdir ? ops->mkdir(dir, name, mode, out) : -EPERM;
    if (S_ISREG(mode))
        return ops && ops->create ? ops->create(dir, name, mode, out) : -EACCES;
    return ops && ops->mknod ? ops->mknod(dir, name, mode, rdev, out) : -EPERM;
}

struct inode *inode_create(struct inode *dir, const char *name, u32 mode)
{
    struct inode *inode;
    return vfs_create(dir, name, mode, 0, &inode) ? NULL : inode;
}

int vfs_symlink(struct inode *dir, const char *name, const char *target)
{
    return dir->iops && dir->iops->symlink ? dir->iops->symlink(dir, name, target) : -EPERM;
}

int vfs_link(struct inode *inode, struct inode *dir, const char *name)
{
    if (inode->sb != dir->sb)
        return -EXDEV;
    return dir->iops && dir->iops->link ? dir->iops->link(inode, dir, name) : -EPERM;
}

int vfs_unlink(struct inode *dir, const char *name)
{
    return dir->iops && dir->iops->unlink ? dir->iops->unlink(dir, name) : -EPERM;
}

int vfs_rmdir(struct inode *dir, const char *name)
{
    return dir->iops && dir->iops->rmdir ? dir->iops->rmdir(dir, name) : -EPERM;
}

int vfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname, unsigned flags)
{
    if (olddir->sb != newdir->sb)
        return -EXDEV;
    if (!olddir->iops || !olddir->iops->rename)
        return -EPERM;
    return olddir->iops->rename(olddir, oldname, newdir, newname, flags);
}

int inode_set_size(struct inode *inode, u64 size)
{
    if (!inode->iops || !inode->iops->setattr)
        return -EINVAL;
    struct iattr attr = {.valid = ATTR_SIZE, .size = size};
    return inode->iops->setattr(inode, &attr);
}
