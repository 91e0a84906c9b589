/*
 * The in-memory file system everything lives in: a tree of inodes whose file
 * contents are kmalloc'd buffers, grown by doubling.
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "time.h"
#include "uaccess.h"

struct inode *root_inode;
static u64 next_ino = 1;

static struct inode *inode_alloc(u32 mode)
{
    struct inode *inode = kzalloc(sizeof(*inode));
    if (!inode)
        return NULL;
    inode->ino = next_ino++;
    inode->mode = mode;
    inode->nlink = S_ISDIR(mode) ? 2 : 1;
    inode->atime = inode->mtime = inode->ctime = realtime_seconds();
    inode->fops = &ramfs_file_ops;
    return inode;
}

/* An inode in no directory: a pipe's. */
struct inode *pipe_inode_create(void) { return inode_alloc(S_IFIFO | 0600); }

void ramfs_init(void)
{
    root_inode = inode_alloc(S_IFDIR | 0755);
    root_inode->parent = root_inode;
}

struct inode *inode_create(struct inode *dir, const char *name, u32 mode)
{
    struct dirent_node *d = kzalloc(sizeof(*d));
    struct inode *inode = inode_alloc(mode);
    if (!d || !inode) {
        kfree(d);
        kfree(inode);
        return NULL;
    }
    strlcpy(d->name, name, sizeof(d->name));
    d->inode = inode;
    d->next = dir->children;
    dir->children = d;
    inode->parent = dir;
    if (S_ISDIR(mode))
        dir->nlink++;
    dir->mtime = dir->ctime = inode->ctime;
    return inode;
}

int inode_set_size(struct inode *inode, u64 size)
{
    if (size > inode->capacity) {
        u64 capacity = MAX(size, inode->capacity * 2);
        capacity = MAX(capacity, 64);
        u8 *data = kmalloc(capacity);
        if (!data)
            return -ENOSPC;
        memcpy(data, inode->data, inode->size);
        kfree(inode->data);
        inode->data = data;
        inode->capacity = capacity;
    }
    if (size > inode->size)
        memset(inode->data + inode->size, 0, size - inode->size);
    inode->size = size;
    return 0;
}

static ssize_t ramfs_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    struct inode *inode = f->inode;
    if (S_ISDIR(inode->mode))
        return -EISDIR;
    if (*pos >= inode->size)
        return 0;
    size_t n = MIN(len, inode->size - *pos);
    if (copy_to_user(buf, inode->data + *pos, n))
        return -EFAULT;
    *pos += n;
    return (ssize_t)n;
}

static ssize_t ramfs_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    struct inode *inode = f->inode;
    if (f->flags & O_APPEND)
        *pos = inode->size;
    u64 end = *pos + len;
    if (end < *pos)
        return -EINVAL;
    if (end > inode->size) {
        int err = inode_set_size(inode, end);
        if (err)
            return err;
    }
    if (copy_from_user(inode->data + *pos, buf, len))
        return -EFAULT;
    *pos = end;
    inode->mtime = inode->ctime = realtime_seconds();
    return (ssize_t)len;
}

const struct file_ops ramfs_file_ops = {
    .read = ramfs_read,
    .write = ramfs_write,
};
