/*
 * Superblocks, file-system types and the life of an inode: the parts of the
 * VFS every file system shares. A file system registers its type by name;
 * mount(2) asks the type for a superblock; the superblock's operations make
 * and free its inodes; an inode goes when nothing holds it and its file
 * system says it may (by default: once no directory names it).
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "seq_buf.h"
#include "stat.h"
#include "time.h"

static struct file_system_type *filesystems;
static u32 next_anon_dev = 1; /* minor numbers of major 0, as Linux's anonymous devices */

void register_filesystem(struct file_system_type *type)
{
    type->next = filesystems;
    filesystems = type;
}

struct file_system_type *find_filesystem(const char *name)
{
    for (struct file_system_type *t = filesystems; t; t = t->next)
        if (!strcmp(t->name, name))
            return t;
    return NULL;
}

/* /proc/filesystems: in the order registered, none backed by a device. */
static void show_filesystems_from(struct seq_buf *s, struct file_system_type *t)
{
    if (!t)
        return;
    show_filesystems_from(s, t->next);
    seq_printf(s, "nodev\t%s\n", t->name);
}

void filesystems_show(struct seq_buf *s) { show_filesystems_from(s, filesystems); }

struct super_block *super_create(struct file_system_type *type, const struct super_operations *ops, u64 magic)
{
    struct super_block *sb = kzalloc(sizeof(*sb));
    if (!sb)
        return NULL;
    sb->type = type;
    sb->ops = ops;
    sb->magic = magic;
    sb->dev = MKDEV(0, next_anon_dev++);
    sb->next_ino = 1;
    return sb;
}

struct inode *inode_alloc(struct super_block *sb, u32 mode)
{
    struct inode *inode = sb->ops->alloc_inode(sb);
    if (!inode)
        return NULL;
    inode->sb = sb;
    inode->ino = sb->next_ino++;
    inode->mode = mode;
    inode->nlink = S_ISDIR(mode) ? 2 : 1;
    inode->atime = inode->mtime = inode->ctime = inode->btime = realtime_timespec();
    sb->inodes++;
    return inode;
}

/* A child holds its directory, so that ".." and getcwd never meet a freed one. */
void inode_set_parent(struct inode *inode, struct inode *parent)
{
    struct inode *old = inode->parent;
    inode->parent = parent;
    if (parent && parent != inode)
        inode_get(parent);
    if (old && old != inode)
        inode_put(old);
}

/* Device nodes and FIFOs open the same way on every file system, as Linux's init_special_inode. */
void init_special_inode(struct inode *inode, u32 mode, u32 rdev)
{
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        inode->fops = S_ISCHR(mode) ? &chrdev_file_ops : &blkdev_file_ops;
        inode->rdev = rdev;
    } else if (S_ISFIFO(mode)) {
        inode->fops = &fifo_file_ops;
    }
}

/* statfs of a file system whose blocks are RAM: all of memory, as Linux's tmpfs and proc say. */
void statfs_ram(struct super_block *sb, struct statfs_k *s)
{
    memset(s, 0, sizeof(*s));
    s->f_type = (s64)sb->magic;
    s->f_bsize = s->f_frsize = PAGE_SIZE;
    s->f_blocks = pmm_total_pages();
    s->f_bfree = s->f_bavail = pmm_free_pages();
    s->f_files = s->f_blocks;
    s->f_ffree = s->f_bfree;
    s->f_fsid[0] = (s32)sb->dev;
    s->f_namelen = 255;
}

/* The last mount of `sb` is gone: its file system lets go of its tree. */
void super_retire(struct super_block *sb)
{
    if (sb->ops->put_super)
        sb->ops->put_super(sb);
    sb->retired = true;
    if (sb->inodes == 0)
        kfree(sb);
}

static bool should_drop(struct inode *inode)
{
    if (inode == root_inode)
        return false;
    if (inode->sb->ops->drop_inode)
        return inode->sb->ops->drop_inode(inode);
    return inode->nlink == 0;
}

/* An inode nothing holds and its file system lets go is freed. */
void inode_release(struct inode *inode)
{
    if (use_count_read(&inode->refs) > 0 || !should_drop(inode))
        return;
    struct super_block *sb = inode->sb;
    struct inode *parent = inode->parent;
    page_cache_release(inode);
    kfree(inode->unnamed_path);
    sb->ops->destroy_inode(inode);
    sb->inodes--;
    if (parent && parent != inode)
        inode_put(parent);
    if (sb->retired && sb->inodes == 0)
        kfree(sb); /* its last mount went before its last inode */
}

void inode_get(struct inode *inode) { use_count_get(&inode->refs); }

void inode_put(struct inode *inode)
{
    if (use_count_put(&inode->refs) == 0)
        inode_release(inode);
}
