/*
 * anon_inodefs: one internal superblock, never mounted, with one inode that
 * every anonymous file (eventfd, timerfd, signalfd, epoll) shares, as on
 * Linux. The inode is held for ever; what tells the files apart is their
 * operations and `private`.
 */
#include "anon_inodes.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"

#define ANON_INODE_FS_MAGIC 0x09041934
/* Linux gives the shared inode only its owner's read and write bits, no file type. */
#define ANON_INODE_MODE 0600

static struct inode *anon_alloc_inode(struct super_block *sb)
{
    (void)sb;
    return kzalloc(sizeof(struct inode));
}

static void anon_destroy_inode(struct inode *inode) { kfree(inode); }

static const struct super_operations anon_super_ops = {
    .alloc_inode = anon_alloc_inode,
    .destroy_inode = anon_destroy_inode,
    .statfs = statfs_ram,
};

static struct file_system_type anon_inode_type = {.name = "anon_inodefs"};
static struct inode *anon_inode;

static struct inode *shared_anon_inode(void)
{
    if (anon_inode)
        return anon_inode;
    struct super_block *sb = super_create(&anon_inode_type, &anon_super_ops, ANON_INODE_FS_MAGIC);
    if (!sb)
        return NULL;
    struct inode *inode = inode_alloc(sb, ANON_INODE_MODE);
    if (!inode)
        return NULL;
    inode->parent = inode;
    inode_get(inode); /* for ever: files come and go, the inode stays */
    anon_inode = inode;
    return inode;
}

struct file *anon_inode_getfile(const char *name, const struct file_ops *fops, void *private, u32 flags)
{
    struct inode *inode = shared_anon_inode();
    if (!inode)
        return NULL;
    struct file *f = file_open_inode(inode, flags & (O_ACCMODE | O_NONBLOCK));
    if (!f)
        return NULL;
    f->ops = fops;
    f->private = private;
    f->anon_name = name;
    return f;
}

int anon_inode_getfd(const char *name, const struct file_ops *fops, void *private, u32 flags)
{
    struct file *f = anon_inode_getfile(name, fops, private, flags);
    if (!f)
        return -ENFILE;
    int fd = fd_install(f, 0, flags & O_CLOEXEC);
    if (fd < 0) {
        /* The caller frees `private`: the file must not release it. */
        f->ops = NULL;
        f->private = NULL;
        file_put(f);
    }
    return fd;
}
