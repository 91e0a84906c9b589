/*
 * pipefs: the file system of anonymous pipes' inodes, never mounted (as on
 * Linux). Its inodes are named by no directory and go with their last open
 * file, though fstat shows one link, as Linux's do.
 */
#include "fs.h"
#include "lib.h"
#include "mm.h"

#define PIPEFS_MAGIC 0x50495045

static struct inode *pipefs_alloc_inode(struct super_block *sb)
{
    (void)sb;
    return kzalloc(sizeof(struct inode));
}

static void pipefs_destroy_inode(struct inode *inode) { kfree(inode); }

static bool pipefs_drop_inode(struct inode *inode)
{
    (void)inode;
    return true;
}

static const struct super_operations pipefs_super_ops = {
    .alloc_inode = pipefs_alloc_inode,
    .destroy_inode = pipefs_destroy_inode,
    .drop_inode = pipefs_drop_inode,
    .statfs = statfs_ram,
};

static struct file_system_type pipefs_type = {.name = "pipefs"};
static struct super_block *pipefs_sb;

/* A FIFO's open file has no operations of its own: fifo_open (fs/pipe.c)
 * connects it to the pipe and gives it the pipe's. */
const struct file_ops fifo_file_ops = {.stream = true};

struct inode *pipe_inode_create(void)
{
    if (!pipefs_sb)
        pipefs_sb = super_create(&pipefs_type, &pipefs_super_ops, PIPEFS_MAGIC);
    if (!pipefs_sb)
        return NULL;
    struct inode *inode = inode_alloc(pipefs_sb, S_IFIFO | 0600);
    if (inode) {
        inode->fops = &fifo_file_ops;
        inode->parent = inode;
    }
    return inode;
}
