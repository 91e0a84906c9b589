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
/* The root of a new tree (a tmpfs): no directory names it; it is its own parent. */
struct inode *inode_create_detached(u32 mode)
{
    struct inode *inode = inode_alloc(mode);
    if (inode)
        inode->parent = inode;
    return inode;
}

struct inode *pipe_inode_create(void)
{
    struct inode *inode = inode_alloc(S_IFIFO | 0600);
    if (inode)
        inode->nameless = true;
    return inode;
}

/* Like Linux's shmem file for shared anonymous memory: no directory names it,
 * the mappings' references keep it, and its contents are only the page
 * cache's pages (no `data`), zero until written. */
struct inode *shmem_inode_create(u64 size)
{
    struct inode *inode = inode_alloc(S_IFREG | 0600);
    if (inode) {
        inode->nameless = true;
        inode->size = size;
    }
    return inode;
}

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

/*
 * The page cache: a file's contents in whole pages, made on first use and
 * shared by every mapping of the file (mm/vma.c), so that exec reuses both
 * the memory and the translations QEMU made of it. write() updates the cached
 * pages too, so mappings see it, as on Linux. A shared writable mapping
 * writes the cached pages directly: from then on they are the newest copy,
 * and file_sync() brings `data` up to date before anything reads it.
 */
phys_addr_t file_page(struct inode *inode, u64 index)
{
    if (index >= ALIGN_UP(inode->size, PAGE_SIZE) / PAGE_SIZE)
        return 0;
    if (index >= inode->cache_pages) {
        u64 pages = MAX(index + 1, ALIGN_UP(inode->size, PAGE_SIZE) / PAGE_SIZE);
        phys_addr_t *cache = kzalloc(pages * sizeof(phys_addr_t));
        if (!cache)
            return 0;
        if (inode->cache)
            memcpy(cache, inode->cache, inode->cache_pages * sizeof(phys_addr_t));
        kfree(inode->cache);
        inode->cache = cache;
        inode->cache_pages = pages;
    }
    if (!inode->cache[index]) {
        phys_addr_t page = page_alloc();
        if (!page)
            return 0;
        u64 offset = index * PAGE_SIZE;
        if (inode->data) /* without data (shmem), the page starts zeroed */
            memcpy(phys_to_virt(page), inode->data + offset, MIN((u64)PAGE_SIZE, inode->size - offset));
        inode->cache[index] = page;
    }
    return inode->cache[index];
}

void file_sync(struct inode *inode)
{
    if (!inode->cache_written || !inode->data)
        return; /* nothing to bring up to date, or the cache is the only copy (shmem) */
    for (u64 i = 0; i < inode->cache_pages && i * PAGE_SIZE < inode->size; i++)
        if (inode->cache[i])
            memcpy(inode->data + i * PAGE_SIZE, phys_to_virt(inode->cache[i]),
                   MIN((u64)PAGE_SIZE, inode->size - i * PAGE_SIZE));
}

/* After `data` changed in [start, end): the cached pages follow. */
static void file_cache_update(struct inode *inode, u64 start, u64 end)
{
    for (u64 i = start / PAGE_SIZE; i < inode->cache_pages && i * PAGE_SIZE < end; i++) {
        if (!inode->cache[i])
            continue;
        u64 from = MAX(start, i * PAGE_SIZE), to = MIN(end, (i + 1) * PAGE_SIZE);
        memcpy((u8 *)phys_to_virt(inode->cache[i]) + (from - i * PAGE_SIZE), inode->data + from, to - from);
    }
}

/* The file shrank to `size`: pages past it leave the cache (mappings keep
 * theirs) and the last one's tail is zero, as a mapping sees on Linux. */
static void file_cache_truncate(struct inode *inode, u64 size)
{
    for (u64 i = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE; i < inode->cache_pages; i++) {
        if (inode->cache[i])
            page_free(inode->cache[i]);
        inode->cache[i] = 0;
    }
    u64 last = size / PAGE_SIZE;
    if (size % PAGE_SIZE && last < inode->cache_pages && inode->cache[last])
        memset((u8 *)phys_to_virt(inode->cache[last]) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
}

static void file_cache_drop(struct inode *inode)
{
    file_cache_truncate(inode, 0);
    kfree(inode->cache);
    inode->cache = NULL;
    inode->cache_pages = 0;
    inode->cache_written = false;
}

/* The contents are `size` bytes at `data`, memory the inode does not own
 * (the initramfs): used in place, copied only when the file must grow. */
void inode_borrow_data(struct inode *inode, const u8 *data, u64 size)
{
    if (!inode->data_borrowed)
        kfree(inode->data);
    inode->data = (u8 *)data;
    inode->size = inode->capacity = size;
    inode->data_borrowed = true;
}

int inode_set_size(struct inode *inode, u64 size)
{
    file_sync(inode);
    if (size < inode->size)
        file_cache_truncate(inode, size);
    if (size > inode->capacity) {
        u64 capacity = MAX(size, inode->capacity * 2);
        capacity = MAX(capacity, 64);
        u8 *data = kmalloc(capacity);
        if (!data)
            return -ENOSPC;
        memcpy(data, inode->data, inode->size);
        if (!inode->data_borrowed)
            kfree(inode->data);
        inode->data = data;
        inode->capacity = capacity;
        inode->data_borrowed = false;
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
    file_sync(inode);
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
    file_sync(inode);
    if (copy_from_user(inode->data + *pos, buf, len))
        return -EFAULT;
    file_cache_update(inode, *pos, end);
    *pos = end;
    inode->mtime = inode->ctime = realtime_seconds();
    return (ssize_t)len;
}

const struct file_ops ramfs_file_ops = {
    .read = ramfs_read,
    .write = ramfs_write,
};

struct inode *dir_lookup(struct inode *dir, const char *name)
{
    for (struct dirent_node *d = dir->children; d; d = d->next)
        if (!strcmp(d->name, name))
            return d->inode;
    return NULL;
}

/* An inode no directory names and no open file holds is freed. */
void inode_release(struct inode *inode)
{
    if ((inode->nlink && !inode->nameless) || inode->refs > 0 || inode == root_inode)
        return;
    if (!S_ISCHR(inode->mode) && !inode->data_borrowed)
        kfree(inode->data);
    file_cache_drop(inode);
    kfree(inode);
}

static struct dirent_node *detach(struct inode *dir, const char *name)
{
    for (struct dirent_node **link = &dir->children; *link; link = &(*link)->next) {
        if (!strcmp((*link)->name, name)) {
            struct dirent_node *d = *link;
            *link = d->next;
            return d;
        }
    }
    return NULL;
}

static void attach(struct inode *dir, struct dirent_node *d)
{
    d->next = dir->children;
    dir->children = d;
    dir->mtime = dir->ctime = realtime_seconds();
}

int dir_unlink(struct inode *dir, const char *name)
{
    struct dirent_node *d = detach(dir, name);
    if (!d)
        return -ENOENT;
    struct inode *inode = d->inode;
    kfree(d);
    dir->mtime = dir->ctime = realtime_seconds();
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

int dir_link(struct inode *dir, const char *name, struct inode *inode)
{
    struct dirent_node *d = kzalloc(sizeof(*d));
    if (!d)
        return -ENOSPC;
    strlcpy(d->name, name, sizeof(d->name));
    d->inode = inode;
    inode->nlink++;
    inode->ctime = realtime_seconds();
    attach(dir, d);
    return 0;
}

int dir_move(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname)
{
    struct dirent_node *d = detach(olddir, oldname);
    if (!d)
        return -ENOENT;
    strlcpy(d->name, newname, sizeof(d->name));
    if (S_ISDIR(d->inode->mode) && olddir != newdir) {
        olddir->nlink--;
        newdir->nlink++;
        d->inode->parent = newdir;
    }
    olddir->mtime = olddir->ctime = realtime_seconds();
    d->inode->ctime = olddir->mtime;
    attach(newdir, d);
    return 0;
}

int dir_exchange(struct inode *dir_a, const char *name_a, struct inode *dir_b, const char *name_b)
{
    struct inode *a = dir_lookup(dir_a, name_a), *b = dir_lookup(dir_b, name_b);
    for (struct dirent_node *d = dir_a->children; d; d = d->next)
        if (!strcmp(d->name, name_a))
            d->inode = b;
    for (struct dirent_node *d = dir_b->children; d; d = d->next)
        if (!strcmp(d->name, name_b))
            d->inode = a;
    if (dir_a != dir_b) {
        if (S_ISDIR(a->mode))
            a->parent = dir_b, dir_a->nlink--, dir_b->nlink++;
        if (S_ISDIR(b->mode))
            b->parent = dir_a, dir_b->nlink--, dir_a->nlink++;
    }
    return 0;
}
