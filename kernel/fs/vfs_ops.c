/*
 * The VFS side of every directory change: the checks every file system
 * shares, then the directory's inode_operations. What a file system does
 * not have is refused with Linux's error for it: EACCES for creating a
 * file (open's O_CREAT), EPERM for the rest; a link or rename between two
 * file systems is EXDEV.
 */
#include "errno.h"
#include "fs.h"
#include "fsnotify.h"
#include "lib.h"
#include "time.h"

#define RENAME_EXCHANGE 2

struct inode *dir_lookup(struct inode *dir, const char *name)
{
    if (!S_ISDIR(dir->mode) || !dir->iops || !dir->iops->lookup)
        return NULL;
    return dir->iops->lookup(dir, name, strlen(name));
}

static int create_checks(struct inode *dir, const char *name)
{
    if (dir_lookup(dir, name))
        return -EEXIST; /* whatever the directory's permissions, as Linux's lookup finds it first */
    return may_create(dir);
}

static int make_node(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out)
{
    const struct inode_operations *ops = dir->iops;
    if (S_ISDIR(mode))
        return ops && ops->mkdir ? ops->mkdir(dir, name, mode, out) : -EPERM;
    if (S_ISREG(mode))
        return ops && ops->create ? ops->create(dir, name, mode, out) : -EACCES;
    return ops && ops->mknod ? ops->mknod(dir, name, mode, rdev, out) : -EPERM;
}

int vfs_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out)
{
    struct inode *ignored;
    if (!out)
        out = &ignored;
    int err = create_checks(dir, name);
    err = err ?: make_node(dir, name, mode, rdev, out);
    if (!err) {
        inode_init_owner(*out, dir);
        fsnotify_create(dir, name, *out);
    }
    return err;
}

struct inode *inode_create(struct inode *dir, const char *name, u32 mode)
{
    struct inode *inode;
    return vfs_create(dir, name, mode, 0, &inode) ? NULL : inode;
}

int vfs_symlink(struct inode *dir, const char *name, const char *target)
{
    int err = create_checks(dir, name);
    if (err)
        return err;
    err = dir->iops && dir->iops->symlink ? dir->iops->symlink(dir, name, target) : -EPERM;
    struct inode *link = err ? NULL : dir_lookup(dir, name);
    if (link) {
        inode_init_owner(link, dir);
        fsnotify_create(dir, name, link);
    }
    return err;
}

int vfs_link(struct inode *inode, struct inode *dir, const char *name)
{
    if (inode->sb != dir->sb)
        return -EXDEV;
    int err = create_checks(dir, name);
    if (err)
        return err;
    err = dir->iops && dir->iops->link ? dir->iops->link(inode, dir, name) : -EPERM;
    if (!err)
        fsnotify_link(dir, name, inode);
    return err;
}

/* A missing victim is left to the file system, which says ENOENT. */
static int delete_checks(struct inode *dir, const char *name)
{
    struct inode *victim = dir_lookup(dir, name);
    return victim ? may_delete(dir, victim) : 0;
}

/* The victim is held across the removal: inotify still reports on it. */
static int remove_name(struct inode *dir, const char *name, int (*op)(struct inode *, const char *))
{
    int err = delete_checks(dir, name);
    if (err)
        return err;
    if (!op)
        return -EPERM;
    struct inode *victim = dir_lookup(dir, name);
    if (victim)
        inode_get(victim);
    err = op(dir, name);
    if (victim) {
        if (!err)
            fsnotify_unlinked(dir, name, victim);
        inode_put(victim);
    }
    return err;
}

int vfs_unlink(struct inode *dir, const char *name)
{
    return remove_name(dir, name, dir->iops ? dir->iops->unlink : NULL);
}

int vfs_rmdir(struct inode *dir, const char *name)
{
    return remove_name(dir, name, dir->iops ? dir->iops->rmdir : NULL);
}

int vfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname, unsigned flags)
{
    if (olddir->sb != newdir->sb)
        return -EXDEV;
    struct inode *source = dir_lookup(olddir, oldname), *target = dir_lookup(newdir, newname);
    if (source && source != target) {
        int err = may_delete(olddir, source);
        err = err ?: target ? may_delete(newdir, target) : may_create(newdir);
        /* A directory that moves rewrites its "..". */
        if (!err && S_ISDIR(source->mode) && olddir != newdir)
            err = inode_permission(source, MAY_WRITE);
        if (err)
            return err;
    }
    if (!olddir->iops || !olddir->iops->rename)
        return -EPERM;
    if (source)
        inode_get(source);
    if (target)
        inode_get(target);
    int err = olddir->iops->rename(olddir, oldname, newdir, newname, flags);
    if (!err && source && source != target) {
        bool exchange = flags & RENAME_EXCHANGE;
        fsnotify_move(olddir, oldname, newdir, newname, source, exchange ? NULL : target);
        if (exchange && target)
            fsnotify_move(newdir, newname, olddir, oldname, target, NULL);
    }
    if (target)
        inode_put(target);
    if (source)
        inode_put(source);
    return err;
}

int inode_store_attributes(struct inode *inode, const struct iattr *attr)
{
    return inode->iops && inode->iops->setattr ? inode->iops->setattr(inode, attr) : 0;
}

int inode_set_size(struct inode *inode, u64 size)
{
    if (!inode->iops || !inode->iops->setattr)
        return -EINVAL;
    struct iattr attr = {.valid = ATTR_SIZE, .size = size};
    return inode->iops->setattr(inode, &attr);
}
