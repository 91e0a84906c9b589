/*
 * Who may do what to an inode, with Linux's rules (fs/namei.c's
 * generic_permission, may_create, may_delete; fs/inode.c's
 * inode_init_owner): the mode bits against the filesystem uid and gids,
 * and the capabilities that override them.
 */
#include "cred.h"
#include "errno.h"
#include "fs.h"
#include "proc.h"

#define S_IXUGO 0111

/* The owner's, the group's or the others' bits, as the caller is to the inode. */
static int mode_bits_check(const struct inode *inode, int mask)
{
    const struct cred *c = current_cred();
    u32 mode = inode->mode;
    if (c->fsuid == inode->uid)
        mode >>= 6;
    else if (in_group_p(inode->gid))
        mode >>= 3;
    return (mask & ~mode & (MAY_READ | MAY_WRITE | MAY_EXEC)) ? -EACCES : 0;
}

int inode_fs_writable(const struct inode *inode) { return inode->sb && inode->sb->read_only ? -EROFS : 0; }

int inode_permission(const struct inode *inode, int mask)
{
    /* A read-only file system's files, directories and links, whoever asks; its device
     * nodes and FIFOs are still written, as what they stand for is elsewhere. */
    if ((mask & MAY_WRITE) && (S_ISREG(inode->mode) || S_ISDIR(inode->mode) || S_ISLNK(inode->mode)) &&
        inode_fs_writable(inode))
        return -EROFS;
    if (!mode_bits_check(inode, mask))
        return 0;
    if (S_ISDIR(inode->mode)) {
        if (!(mask & MAY_WRITE) && capable(CAP_DAC_READ_SEARCH))
            return 0;
        return capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
    }
    if (mask == MAY_READ && capable(CAP_DAC_READ_SEARCH))
        return 0;
    /* Root may run a file only if someone may. */
    if ((!(mask & MAY_EXEC) || (inode->mode & S_IXUGO)) && capable(CAP_DAC_OVERRIDE))
        return 0;
    return -EACCES;
}

bool inode_owner_or_capable(const struct inode *inode)
{
    return current_cred()->fsuid == inode->uid || capable(CAP_FOWNER);
}

int may_create(const struct inode *dir) { return inode_permission(dir, MAY_WRITE | MAY_EXEC); }

/* In a sticky directory only the file's owner, the directory's owner or
 * CAP_FOWNER may remove or rename an entry. */
int may_delete(const struct inode *dir, const struct inode *victim)
{
    int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
    if (err)
        return err;
    u32 fsuid = current_cred()->fsuid;
    if ((dir->mode & S_ISVTX) && victim->uid != fsuid && dir->uid != fsuid && !capable(CAP_FOWNER))
        return -EPERM;
    return 0;
}

/* A new inode belongs to its creator's filesystem ids, or to the group of a
 * set-group-ID directory, whose subdirectories are set-group-ID too. */
void inode_init_owner(struct inode *inode, const struct inode *dir)
{
    const struct cred *c = current_cred();
    inode->uid = c->fsuid;
    inode->gid = c->fsgid;
    if (!(dir->mode & S_ISGID))
        return;
    inode->gid = dir->gid;
    if (S_ISDIR(inode->mode))
        inode->mode |= S_ISGID;
    else if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && !in_group_p(inode->gid) &&
             !capable(CAP_FSETID))
        inode->mode &= ~S_ISGID;
}
