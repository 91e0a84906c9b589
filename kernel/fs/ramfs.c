/*
 * ramfs: the file system whose contents are memory. Its directories are
 * lists of names; its files' data lives only in their page cache (the pages
 * are the file: nothing writes them back, nothing evicts them); symbolic
 * links keep their target in a string. The root file system ("rootfs"),
 * every tmpfs mount, ramfs mounts and the one devtmpfs are instances of it.
 *
 * Files unpacked from the initramfs borrow the archive's bytes: the
 * read-page operation copies a page out of the archive the first time it is
 * needed, rather than unpacking every file into cache pages at boot. The
 * archive's pages stay reserved anyway (the monitor places it in guest
 * memory), so copying it at unpack would double the memory of every file a
 * boot never reads (most of busybox) and grow "kernel memory after boot".
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "stat.h"
#include "time.h"

#define TMPFS_MAGIC 0x01021994
#define RAMFS_MAGIC 0x858458f6
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2

struct ramfs_dirent {
    char name[256];
    struct inode *inode;
    struct ramfs_dirent *next;
};

struct ramfs_inode {
    struct inode vfs;
    struct ramfs_dirent *children; /* directories: newest first */
    const u8 *borrowed;            /* regular files from the initramfs: the archive's bytes */
    u64 borrowed_size;             /* of which this many are still the file's */
    char *link_target;             /* symbolic links */
};

static struct ramfs_inode *RAMFS_I(struct inode *inode) { return container_of(inode, struct ramfs_inode, vfs); }

struct inode *root_inode;

static const struct inode_operations ramfs_dir_iops, ramfs_file_iops, ramfs_symlink_iops;
static const struct file_ops ramfs_dir_fops, ramfs_file_fops;
static const struct address_space_operations ramfs_aops;

/* ---- superblock ---- */

static struct inode *ramfs_alloc_inode(struct super_block *sb)
{
    (void)sb;
    struct ramfs_inode *ri = kzalloc(sizeof(*ri));
    return ri ? &ri->vfs : NULL;
}

static void ramfs_destroy_inode(struct inode *inode)
{
    struct ramfs_inode *ri = RAMFS_I(inode);
    while (ri->children) { /* a detached directory's last names */
        struct ramfs_dirent *d = ri->children;
        ri->children = d->next;
        kfree(d);
    }
    kfree(ri->link_target);
    kfree(ri);
}

static void ramfs_put_super(struct super_block *sb);

static const struct super_operations ramfs_super_ops = {
    .alloc_inode = ramfs_alloc_inode,
    .destroy_inode = ramfs_destroy_inode,
    .statfs = statfs_ram,
    .put_super = ramfs_put_super,
};

/* The operations an inode of this type has. */
static void ramfs_set_ops(struct inode *inode, u32 rdev)
{
    switch (inode->mode & S_IFMT) {
    case S_IFDIR:
        inode->iops = &ramfs_dir_iops;
        inode->fops = &ramfs_dir_fops;
        break;
    case S_IFREG:
        inode->iops = &ramfs_file_iops;
        inode->fops = &ramfs_file_fops;
        inode->mapping.ops = &ramfs_aops;
        break;
    case S_IFLNK:
        inode->iops = &ramfs_symlink_iops;
        break;
    default:
        inode->iops = &ramfs_file_iops;
        init_special_inode(inode, inode->mode, rdev);
    }
}

static struct inode *ramfs_new_inode(struct super_block *sb, u32 mode, u32 rdev)
{
    struct inode *inode = inode_alloc(sb, mode);
    if (inode)
        ramfs_set_ops(inode, rdev);
    return inode;
}

struct super_block *ramfs_super_create(struct file_system_type *type, u32 root_mode, u64 magic)
{
    struct super_block *sb = super_create(type, &ramfs_super_ops, magic);
    struct inode *root = sb ? ramfs_new_inode(sb, S_IFDIR | root_mode, 0) : NULL;
    if (!root) {
        kfree(sb);
        return NULL;
    }
    root->parent = root;
    sb->root = root;
    sb->records_birth = magic == TMPFS_MAGIC; /* Linux's tmpfs reports STATX_BTIME, ramfs not */
    return sb;
}

/* ---- directories ---- */

static struct ramfs_dirent *find_entry(struct inode *dir, const char *name, size_t len)
{
    for (struct ramfs_dirent *d = RAMFS_I(dir)->children; d; d = d->next)
        if (strlen(d->name) == len && !memcmp(d->name, name, len))
            return d;
    return NULL;
}

static struct inode *ramfs_lookup(struct inode *dir, const char *name, size_t len)
{
    struct ramfs_dirent *d = find_entry(dir, name, len);
    return d ? d->inode : NULL;
}

static void touch_dir(struct inode *dir) { dir->mtime = dir->ctime = realtime_timespec(); }

static int add_entry(struct inode *dir, const char *name, struct inode *inode)
{
    struct ramfs_dirent *d = kzalloc(sizeof(*d));
    if (!d)
        return -ENOSPC;
    strlcpy(d->name, name, sizeof(d->name));
    d->inode = inode;
    d->next = RAMFS_I(dir)->children;
    RAMFS_I(dir)->children = d;
    touch_dir(dir);
    return 0;
}

static struct ramfs_dirent *detach_entry(struct inode *dir, const char *name)
{
    for (struct ramfs_dirent **link = &RAMFS_I(dir)->children; *link; link = &(*link)->next) {
        if (!strcmp((*link)->name, name)) {
            struct ramfs_dirent *d = *link;
            *link = d->next;
            touch_dir(dir);
            return d;
        }
    }
    return NULL;
}

static int ramfs_mknod(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out)
{
    struct inode *inode = ramfs_new_inode(dir->sb, mode, rdev);
    if (!inode)
        return -ENOSPC;
    if (add_entry(dir, name, inode)) {
        inode->nlink = 0;
        inode_release(inode);
        return -ENOSPC;
    }
    inode_set_parent(inode, dir);
    if (S_ISDIR(mode))
        dir->nlink++;
    if (out)
        *out = inode;
    return 0;
}

static int ramfs_create(struct inode *dir, const char *name, u32 mode, struct inode **out)
{
    return ramfs_mknod(dir, name, mode, 0, out);
}

static int ramfs_mkdir(struct inode *dir, const char *name, u32 mode, struct inode **out)
{
    return ramfs_mknod(dir, name, mode, 0, out);
}

static int ramfs_symlink(struct inode *dir, const char *name, const char *target)
{
    size_t len = strlen(target);
    char *copy = kmalloc(len + 1);
    if (!copy)
        return -ENOSPC;
    memcpy(copy, target, len + 1);
    struct inode *link;
    int err = ramfs_mknod(dir, name, S_IFLNK | 0777, 0, &link);
    if (err) {
        kfree(copy);
        return err;
    }
    RAMFS_I(link)->link_target = copy;
    link->size = len;
    return 0;
}

/* O_TMPFILE: on the directory's file system, named by nothing; made in dir, so
 * that /proc/PID/fd shows where it would be. */
static int ramfs_tmpfile(struct inode *dir, u32 mode, struct inode **out)
{
    struct inode *inode = ramfs_new_inode(dir->sb, mode, 0);
    if (!inode)
        return -ENOSPC;
    inode->nlink = 0;
    inode_set_parent(inode, dir);
    *out = inode;
    return 0;
}

static int ramfs_link(struct inode *inode, struct inode *dir, const char *name)
{
    int err = add_entry(dir, name, inode);
    if (err)
        return err;
    inode->nlink++;
    inode->ctime = realtime_timespec();
    return 0;
}

/* Takes `name` out of dir; the inode goes once nothing holds it. */
static int remove_entry(struct inode *dir, const char *name)
{
    struct ramfs_dirent *d = detach_entry(dir, name);
    if (!d)
        return -ENOENT;
    struct inode *inode = d->inode;
    kfree(d);
    if (S_ISDIR(inode->mode)) {
        dir->nlink--;
        inode->nlink = 0;
    } else {
        inode->nlink--;
    }
    inode->ctime = dir->mtime;
    inode_release(inode);
    return 0;
}

static int ramfs_unlink(struct inode *dir, const char *name) { return remove_entry(dir, name); }

static int ramfs_rmdir(struct inode *dir, const char *name)
{
    struct ramfs_dirent *d = find_entry(dir, name, strlen(name));
    if (!d)
        return -ENOENT;
    if (RAMFS_I(d->inode)->children)
        return -ENOTEMPTY;
    return remove_entry(dir, name);
}

/* An inode that changes directory moves its hold (and a directory its ".." link). */
static void reparent(struct inode *inode, struct inode *olddir, struct inode *newdir)
{
    if (olddir == newdir)
        return;
    if (S_ISDIR(inode->mode)) {
        olddir->nlink--;
        newdir->nlink++;
    }
    inode_set_parent(inode, newdir);
}

static int ramfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
                        unsigned flags)
{
    struct ramfs_dirent *from = find_entry(olddir, oldname, strlen(oldname));
    struct ramfs_dirent *to = find_entry(newdir, newname, strlen(newname));
    if (!from)
        return -ENOENT;
    if (flags & RENAME_EXCHANGE) {
        if (!to)
            return -ENOENT;
        struct inode *a = from->inode, *b = to->inode;
        from->inode = b;
        to->inode = a;
        reparent(a, olddir, newdir);
        reparent(b, newdir, olddir);
        touch_dir(olddir);
        touch_dir(newdir);
        return 0;
    }
    if (to) {
        if (flags & RENAME_NOREPLACE)
            return -EEXIST;
        if (S_ISDIR(to->inode->mode) && RAMFS_I(to->inode)->children)
            return -ENOTEMPTY;
        int err = remove_entry(newdir, newname);
        if (err)
            return err;
    }
    struct ramfs_dirent *d = detach_entry(olddir, oldname);
    strlcpy(d->name, newname, sizeof(d->name));
    d->next = RAMFS_I(newdir)->children;
    RAMFS_I(newdir)->children = d;
    touch_dir(newdir);
    reparent(d->inode, olddir, newdir);
    d->inode->ctime = olddir->mtime;
    return 0;
}

/* Entries in list order, at positions 2, 3, ... after "." and "..". */
static int ramfs_iterate(struct inode *dir, struct dir_context *ctx)
{
    u64 pos = 2;
    for (struct ramfs_dirent *d = RAMFS_I(dir)->children; d; d = d->next, pos++) {
        if (pos < ctx->pos)
            continue;
        ctx->pos = pos;
        if (!ctx->emit(ctx, d->name, strlen(d->name), d->inode->ino, d->inode->mode))
            return 0;
        ctx->pos = pos + 1;
    }
    return 0;
}

static ssize_t ramfs_dir_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    return -EISDIR;
}

static const struct inode_operations ramfs_dir_iops = {
    .lookup = ramfs_lookup,
    .create = ramfs_create,
    .mkdir = ramfs_mkdir,
    .mknod = ramfs_mknod,
    .tmpfile = ramfs_tmpfile,
    .symlink = ramfs_symlink,
    .link = ramfs_link,
    .unlink = ramfs_unlink,
    .rmdir = ramfs_rmdir,
    .rename = ramfs_rename,
};

static const struct file_ops ramfs_dir_fops = {
    .read = ramfs_dir_read,
    .llseek = generic_file_llseek,
    .iterate = ramfs_iterate,
};

/* ---- files ---- */

static int ramfs_read_page(struct inode *inode, u64 index, void *page)
{
    struct ramfs_inode *ri = RAMFS_I(inode);
    u64 offset = index * PAGE_SIZE;
    if (offset < ri->borrowed_size)
        memcpy(page, ri->borrowed + offset, MIN((u64)PAGE_SIZE, ri->borrowed_size - offset));
    return 0; /* the rest is a hole: zeros */
}

static const struct address_space_operations ramfs_aops = {.read_page = ramfs_read_page};

static int ramfs_setattr(struct inode *inode, const struct iattr *attr)
{
    if (attr->valid & ATTR_SIZE) {
        if (attr->size < inode->size) {
            page_cache_truncate(inode, attr->size);
            struct ramfs_inode *ri = RAMFS_I(inode);
            ri->borrowed_size = MIN(ri->borrowed_size, attr->size);
        }
        inode->size = attr->size;
    }
    return 0;
}

void inode_borrow_data(struct inode *inode, const u8 *data, u64 size)
{
    page_cache_release(inode);
    RAMFS_I(inode)->borrowed = data;
    RAMFS_I(inode)->borrowed_size = size;
    inode->size = size;
}

static ssize_t ramfs_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    return page_cache_read(f->inode, buf, len, pos);
}

static ssize_t ramfs_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    struct inode *inode = f->inode;
    if (f->flags & O_APPEND)
        *pos = inode->size;
    if (*pos + len < *pos)
        return -EINVAL;
    int sealed = seals_allow_write(inode, *pos, len);
    if (sealed)
        return sealed;
    ssize_t n = page_cache_write(inode, buf, len, pos);
    if (n > 0)
        inode->mtime = inode->ctime = realtime_timespec();
    return n;
}

static const struct inode_operations ramfs_file_iops = {.setattr = ramfs_setattr};

static const struct file_ops ramfs_file_fops = {
    .read = ramfs_read,
    .write = ramfs_write,
    .llseek = generic_file_llseek,
};

static size_t ramfs_get_link(struct inode *link, char *buf, size_t size)
{
    return strlcpy(buf, RAMFS_I(link)->link_target ? RAMFS_I(link)->link_target : "", size);
}

static const struct inode_operations ramfs_symlink_iops = {.get_link = ramfs_get_link};

/* The last mount of a tmpfs is gone: nothing can reach its tree again, so
 * every name in it goes (deepest first, without recursing: a tree may be
 * deeper than a kernel stack allows), then the root. Inodes still held (an
 * open file, a current directory) live on unnamed until let go; the
 * superblock goes with its last inode (fs/super.c). */
static void ramfs_put_super(struct super_block *sb)
{
    struct inode *dir = sb->root;
    for (;;) {
        struct ramfs_dirent *full = RAMFS_I(dir)->children;
        while (full && !(S_ISDIR(full->inode->mode) && RAMFS_I(full->inode)->children))
            full = full->next;
        if (full) {
            dir = full->inode;
            continue;
        }
        while (RAMFS_I(dir)->children) {
            char name[sizeof(RAMFS_I(dir)->children->name)];
            strlcpy(name, RAMFS_I(dir)->children->name, sizeof(name));
            remove_entry(dir, name);
        }
        if (dir == sb->root)
            break;
        dir = dir->parent;
    }
    sb->root->nlink = 0;
    inode_release(sb->root);
}

/* ---- the types ---- */

/* Options are comma-separated; mode=OCTAL is the one that applies. Any
 * other (size= too: memory is not divided) is refused, not ignored. */
static int parse_mode_option(const char *options, u32 *mode)
{
    for (const char *opt = options; opt && *opt;) {
        if (strncmp(opt, "mode=", 5))
            return -EINVAL;
        *mode = 0;
        for (opt += 5; *opt >= '0' && *opt <= '7'; opt++)
            *mode = (*mode * 8 + (u32)(*opt - '0')) & 07777;
        if (*opt && *opt != ',')
            return -EINVAL;
        if (*opt)
            opt++;
    }
    return 0;
}

/* tmpfs and ramfs: a new, empty instance per mount. */
static struct super_block *ramfs_mount(struct file_system_type *type, const char *options, long *err)
{
    u32 mode = !strcmp(type->name, "tmpfs") ? 01777 : 0755;
    *err = parse_mode_option(options, &mode);
    if (*err)
        return NULL;
    struct super_block *sb = ramfs_super_create(type, mode, !strcmp(type->name, "tmpfs") ? TMPFS_MAGIC : RAMFS_MAGIC);
    *err = sb ? 0 : -ENOMEM;
    return sb;
}

static struct file_system_type tmpfs_type = {.name = "tmpfs", .mount = ramfs_mount};
static struct file_system_type ramfs_type = {.name = "ramfs", .mount = ramfs_mount};
/* The root: made at boot, never mounted by a program. */
static struct file_system_type rootfs_type = {.name = "rootfs"};
/* Where inodes in no directory are made, as Linux's internal shm mount. */
static struct super_block *detached_sb;

void ramfs_init(void)
{
    register_filesystem(&tmpfs_type);
    register_filesystem(&ramfs_type);
    struct super_block *root = ramfs_super_create(&rootfs_type, 0755, TMPFS_MAGIC);
    detached_sb = ramfs_super_create(&tmpfs_type, 01777, TMPFS_MAGIC);
    if (!root || !detached_sb)
        panic("cannot create the root file system");
    root->mounts = 1;
    root_inode = root->root;
}

/* Not named by any directory: a non-directory goes with its last reference
 * (nlink 0); a directory is its own parent. */
struct inode *inode_create_detached(u32 mode)
{
    struct inode *inode = ramfs_new_inode(detached_sb, mode, 0);
    if (!inode)
        return NULL;
    inode->parent = inode;
    if (!S_ISDIR(mode))
        inode->nlink = 0;
    return inode;
}

/* Like Linux's shmem file for shared anonymous memory (and shared mappings
 * of /dev/zero): no directory names it, its mappings' references keep it, and
 * its contents are only its page cache's pages, zero until written. */
struct inode *shmem_inode_create(u64 size)
{
    struct inode *inode = inode_create_detached(S_IFREG | 0600);
    if (inode && inode_set_size(inode, size)) {
        inode_release(inode);
        return NULL;
    }
    return inode;
}
