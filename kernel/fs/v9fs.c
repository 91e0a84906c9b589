/*
 * 9p: a host directory shared through QEMU's virtio-9p device, as a read-only file system
 * behind the VFS (docs/9p.md). Every inode holds a fid walked to its file (never opened: it
 * is what walks, getattr and readlink start from), and once read, a second fid opened
 * O_RDONLY. Inodes are keyed by qid.path (QEMU's multidevs=remap keeps those unique across
 * the host's file systems), so hard links are one inode, and they stay for the life of the
 * share, since the VFS's look-ups hand out uncounted inodes; so do each directory's names
 * already looked up (found or absent), which spares the host a walk per path component.
 * The share is read-only (the monitor gives QEMU readonly=on), so cached attributes and
 * names cannot go stale through this guest; changes made on the host meanwhile are not seen.
 *
 * File data goes through the page cache: read, mmap and exec share its pages, and a page
 * read in brings the following ones with it, in one Tread straight into their pages.
 */
#include "9p.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "printk.h"
#include "stat.h"

#define V9FS_MAGIC 0x01021997       /* statfs's f_type, as Linux's V9FS_MAGIC */
#define INODE_HASH_SIZE 1024
#define READAHEAD_PAGES 32          /* pages one fault or read brings in: 128 KiB */
#define KEEP_CACHE_MAX (16ull << 20) /* files larger than this leave the cache when nothing holds them */
#define READDIR_BUFFER (64u * 1024)
#define NAME_MAX 255
#define DT_SHIFT 12                 /* a dirent's type is the mode's format bits, shifted */
#define P9_DOTL_RDONLY 0            /* Tlopen's flags are Linux's open flags */
#define P9_DOTL_DIRECTORY 0200000

struct v9fs_name {                  /* a name already looked up in a directory */
    struct v9fs_name *next;
    struct inode *inode;            /* NULL: it does not exist */
    size_t len;
    char name[];
};

struct v9fs_dirent {
    u64 ino;
    u8 type;
    char *name;
};

struct v9fs_listing {               /* a directory's entries as one readdir pass saw them */
    refcount_t refs;                /* the inode's, and each walk in progress over it */
    size_t count;
    struct v9fs_dirent entries[];
};

struct v9fs_inode {
    struct inode vfs;
    u32 fid;                        /* walked here, not opened */
    u32 open_fid;                   /* P9_NOFID until the contents are first read */
    struct v9fs_inode *hash_next;
    struct v9fs_name *names;        /* directories */
    struct v9fs_listing *listing;   /* directories, once listed */
    char *link_target;              /* symbolic links, once read */
};

/* The caches change between requests, never across one: `lock` covers the inode hash, every
 * directory's names and listing, and each inode's open fid and link target. */
struct v9fs_sb {
    struct p9_client *client;
    struct spinlock lock;
    struct v9fs_inode *hash[INODE_HASH_SIZE];
};

static struct v9fs_inode *V9FS_I(struct inode *inode) { return container_of(inode, struct v9fs_inode, vfs); }
static struct v9fs_sb *V9FS_SB(struct super_block *sb) { return sb->fs_info; }
static struct p9_client *client_of(struct inode *inode) { return V9FS_SB(inode->sb)->client; }
static u64 cache_lock(struct inode *inode) { return spin_lock_irqsave(&V9FS_SB(inode->sb)->lock); }
static void cache_unlock(struct inode *inode, u64 flags) { spin_unlock_irqrestore(&V9FS_SB(inode->sb)->lock, flags); }

static const struct inode_operations v9fs_dir_iops, v9fs_file_iops, v9fs_symlink_iops;
static const struct file_ops v9fs_dir_fops, v9fs_file_fops;
static const struct address_space_operations v9fs_aops;
static struct file_system_type v9fs_type = {.name = "9p"};

/* ---- inodes ---- */

static struct inode *v9fs_alloc_inode(struct super_block *sb)
{
    (void)sb;
    struct v9fs_inode *vi = kzalloc(sizeof(*vi));
    if (!vi)
        return NULL;
    vi->fid = vi->open_fid = P9_NOFID;
    return &vi->vfs;
}

static void v9fs_destroy_inode(struct inode *inode) { kfree(V9FS_I(inode)); }

/* Inodes stay while the share is mounted (look-ups return them uncounted); a large file's
 * pages do not, once nothing holds it, since nothing else would ever give them back. */
static bool v9fs_drop_inode(struct inode *inode)
{
    if (S_ISREG(inode->mode) && inode->size > KEEP_CACHE_MAX)
        page_cache_release(inode);
    return false;
}

static void v9fs_statfs(struct super_block *sb, struct statfs_k *out)
{
    struct p9_statfs s;
    memset(out, 0, sizeof(*out));
    out->f_type = (s64)sb->magic;
    out->f_fsid[0] = (s32)sb->dev;
    out->f_namelen = NAME_MAX;
    out->f_bsize = out->f_frsize = PAGE_SIZE;
    if (p9_statfs(V9FS_SB(sb)->client, V9FS_I(sb->root)->fid, &s))
        return; /* the host could not say: an empty file system, as its numbers are unknown */
    out->f_bsize = out->f_frsize = s.bsize;
    out->f_blocks = s.blocks;
    out->f_bfree = s.bfree;
    out->f_bavail = s.bavail;
    out->f_files = s.files;
    out->f_ffree = s.ffree;
    out->f_namelen = s.namelen;
}

static const struct super_operations v9fs_super_ops = {
    .alloc_inode = v9fs_alloc_inode,
    .destroy_inode = v9fs_destroy_inode,
    .drop_inode = v9fs_drop_inode,
    .statfs = v9fs_statfs,
};

static struct v9fs_inode **hash_slot(struct super_block *sb, u64 qid_path)
{
    return &V9FS_SB(sb)->hash[qid_path % INODE_HASH_SIZE];
}

static struct inode *hash_find(struct super_block *sb, u64 qid_path)
{
    for (struct v9fs_inode *vi = *hash_slot(sb, qid_path); vi; vi = vi->hash_next)
        if (vi->vfs.ino == qid_path)
            return &vi->vfs;
    return NULL;
}

static void set_attributes(struct inode *inode, const struct p9_attr *attr)
{
    inode->mode = attr->mode;
    inode->uid = attr->uid;
    inode->gid = attr->gid;
    inode->nlink = (u32)attr->nlink;
    inode->size = attr->size;
    inode->atime = (s64)attr->atime_sec;
    inode->mtime = (s64)attr->mtime_sec;
    inode->ctime = (s64)attr->ctime_sec;
    switch (attr->mode & S_IFMT) {
    case S_IFDIR:
        inode->iops = &v9fs_dir_iops;
        inode->fops = &v9fs_dir_fops;
        break;
    case S_IFREG:
        inode->iops = &v9fs_file_iops;
        inode->fops = &v9fs_file_fops;
        inode->mapping.ops = &v9fs_aops;
        break;
    case S_IFLNK:
        inode->iops = &v9fs_symlink_iops;
        break;
    default:
        /* Host device nodes, FIFOs and sockets: their numbers name nothing of the guest's,
         * so they are shown but open as the guest's own devices would (ENXIO if none). */
        inode->iops = &v9fs_file_iops;
        init_special_inode(inode, attr->mode, (u32)MKDEV((attr->rdev >> 8) & 0xfff, attr->rdev & 0xff));
    }
}

/* The inode for a fid just walked to (which it then owns), or the one already known for
 * the same file (and the fid is clunked). */
static struct inode *inode_for_fid(struct super_block *sb, struct inode *parent, u32 fid, const struct p9_qid *qid,
                                   int *err)
{
    struct v9fs_sb *info = V9FS_SB(sb);
    struct p9_client *c = info->client;
    u64 flags = spin_lock_irqsave(&info->lock);
    struct inode *known = hash_find(sb, qid->path);
    spin_unlock_irqrestore(&info->lock, flags);
    struct p9_attr attr;
    if (!known && (*err = p9_getattr(c, fid, &attr))) {
        p9_clunk(c, fid);
        return NULL;
    }
    flags = spin_lock_irqsave(&info->lock);
    known = known ?: hash_find(sb, qid->path); /* made by another task while this one waited */
    struct inode *inode = known ? NULL : inode_alloc(sb, attr.mode);
    if (inode) {
        struct v9fs_inode *vi = V9FS_I(inode);
        inode->ino = qid->path;
        vi->fid = fid;
        set_attributes(inode, &attr);
        inode_set_parent(inode, parent ? parent : inode);
        vi->hash_next = *hash_slot(sb, qid->path);
        *hash_slot(sb, qid->path) = vi;
    }
    spin_unlock_irqrestore(&info->lock, flags);
    if (inode)
        return inode;
    p9_clunk(c, fid);
    *err = known ? 0 : -ENOMEM;
    return known;
}

/* ---- directories ---- */

static struct v9fs_name *find_name(struct inode *dir, const char *name, size_t len)
{
    for (struct v9fs_name *n = V9FS_I(dir)->names; n; n = n->next)
        if (n->len == len && !memcmp(n->name, name, len))
            return n;
    return NULL;
}

static void remember_name(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    struct v9fs_name *n = kmalloc(sizeof(*n) + len);
    if (!n)
        return; /* only a cache: the next look-up asks the host again */
    n->inode = inode;
    n->len = len;
    memcpy(n->name, name, len);
    u64 flags = cache_lock(dir);
    if (find_name(dir, name, len)) { /* another task looked it up meanwhile */
        kfree(n);
    } else {
        n->next = V9FS_I(dir)->names;
        V9FS_I(dir)->names = n;
    }
    cache_unlock(dir, flags);
}

static struct inode *v9fs_lookup(struct inode *dir, const char *name, size_t len)
{
    u64 flags = cache_lock(dir);
    struct v9fs_name *known = find_name(dir, name, len);
    struct inode *found = known ? known->inode : NULL;
    cache_unlock(dir, flags);
    if (known)
        return found;
    if (len > NAME_MAX)
        return NULL;
    char component[NAME_MAX + 1];
    memcpy(component, name, len);
    component[len] = 0;
    struct p9_client *c = client_of(dir);
    u32 fid = p9_fid_alloc(c);
    struct p9_qid qid;
    const char *names[] = {component};
    int err = p9_walk(c, V9FS_I(dir)->fid, fid, names, 1, &qid);
    if (err) {
        p9_fid_forget(c, fid); /* a failed walk makes no fid */
        if (err == -ENOENT)
            remember_name(dir, name, len, NULL);
        return NULL;
    }
    struct inode *inode = inode_for_fid(dir->sb, dir, fid, &qid, &err);
    if (inode)
        remember_name(dir, name, len, inode);
    return inode;
}

/* The fid the contents are read through, opened the first time. */
static int open_fid(struct inode *inode, u32 *out)
{
    struct v9fs_inode *vi = V9FS_I(inode);
    u64 flags = cache_lock(inode);
    *out = vi->open_fid;
    cache_unlock(inode, flags);
    if (*out != P9_NOFID)
        return 0;
    struct p9_client *c = client_of(inode);
    u32 fid = p9_fid_alloc(c), iounit;
    int err = p9_walk(c, vi->fid, fid, NULL, 0, NULL);
    if (err) {
        p9_fid_forget(c, fid);
        return err;
    }
    err = p9_lopen(c, fid, S_ISDIR(inode->mode) ? P9_DOTL_RDONLY | P9_DOTL_DIRECTORY : P9_DOTL_RDONLY, &iounit);
    if (err) {
        p9_clunk(c, fid);
        return err;
    }
    flags = cache_lock(inode);
    bool raced = vi->open_fid != P9_NOFID; /* another task opened it meanwhile */
    if (!raced)
        vi->open_fid = fid;
    *out = vi->open_fid;
    cache_unlock(inode, flags);
    if (raced)
        p9_clunk(c, fid);
    return 0;
}

static void listing_put(struct v9fs_listing *listing)
{
    if (!listing || !refcount_put(&listing->refs))
        return;
    for (size_t i = 0; i < listing->count; i++)
        kfree(listing->entries[i].name);
    kfree(listing);
}

static bool is_dot_or_dotdot(const char *name, u16 len)
{
    return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* Parses Rreaddir records (qid[13] offset[8] type[1] name[s]) into the listing, growing it;
 * *next is the offset to continue from. Returns the listing (perhaps moved) or NULL. */
static struct v9fs_listing *add_records(struct v9fs_listing *listing, size_t *room, const u8 *data, size_t len,
                                        u64 *next)
{
    const u8 *p = data, *end = data + len;
    while (end - p >= P9_QID_SIZE + 8 + 1 + 2) {
        u64 qid_path, offset;
        memcpy(&qid_path, p + 5, 8);
        memcpy(&offset, p + P9_QID_SIZE, 8);
        u8 type = p[P9_QID_SIZE + 8];
        u16 name_len;
        memcpy(&name_len, p + P9_QID_SIZE + 9, 2);
        const char *name = (const char *)p + P9_QID_SIZE + 11;
        if ((size_t)(end - (const u8 *)name) < name_len)
            break;
        p = (const u8 *)name + name_len;
        *next = offset;
        if (is_dot_or_dotdot(name, name_len))
            continue; /* the VFS gives those itself */
        if (listing->count == *room) {
            size_t grown = *room * 2;
            struct v9fs_listing *bigger = kmalloc(sizeof(*bigger) + grown * sizeof(struct v9fs_dirent));
            if (!bigger)
                return NULL;
            memcpy(bigger, listing, sizeof(*listing) + listing->count * sizeof(struct v9fs_dirent));
            kfree(listing);
            listing = bigger;
            *room = grown;
        }
        char *copy = kmalloc(name_len + 1u);
        if (!copy)
            return NULL;
        memcpy(copy, name, name_len);
        copy[name_len] = 0;
        listing->entries[listing->count++] = (struct v9fs_dirent){qid_path, type, copy};
    }
    return listing;
}

/* Reads the whole directory afresh. */
static int read_listing(struct inode *dir, struct v9fs_listing **out)
{
    u32 fid;
    int err = open_fid(dir, &fid);
    if (err)
        return err;
    size_t room = 16;
    struct v9fs_listing *listing = kmalloc(sizeof(*listing) + room * sizeof(struct v9fs_dirent));
    u8 *buf = kmalloc(READDIR_BUFFER);
    if (!listing || !buf) {
        kfree(listing);
        kfree(buf);
        return -ENOMEM;
    }
    refcount_set(&listing->refs, 1);
    listing->count = 0;
    u64 offset = 0;
    for (;;) {
        ssize_t got = p9_readdir(client_of(dir), fid, offset, buf, READDIR_BUFFER);
        if (got <= 0) {
            err = (int)got;
            break;
        }
        struct v9fs_listing *grown = add_records(listing, &room, buf, (size_t)got, &offset);
        if (!grown) {
            err = -ENOMEM;
            break;
        }
        listing = grown;
    }
    kfree(buf);
    if (err) {
        listing_put(listing);
        return err;
    }
    *out = listing;
    return 0;
}

static int v9fs_iterate(struct inode *dir, struct dir_context *ctx)
{
    struct v9fs_inode *vi = V9FS_I(dir);
    struct v9fs_listing *listing = NULL, *stale = NULL;
    u64 flags = cache_lock(dir);
    if (ctx->pos > 2 && vi->listing) {
        listing = vi->listing;
        refcount_get(&listing->refs); /* emit may fault on the user's buffer and sleep */
    }
    cache_unlock(dir, flags);
    if (!listing) { /* a listing from the start sees the directory as it is now */
        int err = read_listing(dir, &listing);
        if (err)
            return err;
        refcount_get(&listing->refs); /* the inode's and this walk's */
        flags = cache_lock(dir);
        stale = vi->listing;
        vi->listing = listing;
        cache_unlock(dir, flags);
        listing_put(stale);
    }
    for (u64 i = ctx->pos - 2; i < listing->count; i++) {
        const struct v9fs_dirent *d = &listing->entries[i];
        ctx->pos = i + 2;
        if (!ctx->emit(ctx, d->name, strlen(d->name), d->ino, (u32)d->type << DT_SHIFT))
            break;
        ctx->pos = i + 3;
    }
    listing_put(listing);
    return 0;
}

static ssize_t v9fs_dir_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    return -EISDIR;
}

static const struct inode_operations v9fs_dir_iops = {.lookup = v9fs_lookup};
static const struct file_ops v9fs_dir_fops = {.read = v9fs_dir_read, .iterate = v9fs_iterate};

/* ---- files ---- */

/* Fills `page` and, in the same Tread, the pages after it that the cache lacks. */
static int v9fs_read_page(struct inode *inode, u64 index, void *page)
{
    u32 fid;
    int err = open_fid(inode, &fid);
    if (err)
        return err;
    struct p9_client *c = client_of(inode);
    u64 file_pages = ALIGN_UP(inode->size, PAGE_SIZE) / PAGE_SIZE;
    unsigned limit = MIN((unsigned)READAHEAD_PAGES, p9_max_read_pages(c));
    void *pages[READAHEAD_PAGES];
    unsigned count = 1;
    pages[0] = page;
    while (count < limit && index + count < file_pages && !page_cache_has(inode, index + count)) {
        phys_addr_t extra = page_alloc();
        if (!extra)
            break;
        pages[count++] = phys_to_virt(extra);
    }
    ssize_t got = p9_read_pages(c, fid, index * PAGE_SIZE, pages, count);
    for (unsigned i = 1; i < count; i++) {
        phys_addr_t extra = virt_to_phys(pages[i]);
        /* A page the read did not reach, or that another reader brought in meanwhile, goes.
         * (The device wrote `got` bytes: the zeroed pages' tails past the end stay zero.) */
        bool filled = got > 0 && (u64)got > i * PAGE_SIZE;
        if (!filled || !page_cache_add(inode, index + i, extra))
            page_free(extra);
    }
    return got < 0 ? (int)got : 0;
}

/* A large file read through is not kept: the pages behind the reader go (Linux would evict
 * them under pressure; sysgate has no eviction, and a 100 MB file must not take its RAM). */
static ssize_t v9fs_file_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    struct inode *inode = f->inode;
    u64 start = *pos;
    ssize_t n = page_cache_read(inode, buf, len, pos);
    if (n > 0 && inode->size > KEEP_CACHE_MAX)
        page_cache_drop(inode, start / PAGE_SIZE, *pos / PAGE_SIZE);
    return n;
}

static const struct address_space_operations v9fs_aops = {.read_page = v9fs_read_page};
static const struct inode_operations v9fs_file_iops = {0};
static const struct file_ops v9fs_file_fops = {.read = v9fs_file_read, .llseek = generic_file_llseek};

/* ---- symbolic links ---- */

static size_t v9fs_get_link(struct inode *link, char *buf, size_t size)
{
    struct v9fs_inode *vi = V9FS_I(link);
    if (!vi->link_target) {
        char *target = kmalloc(PATH_MAX);
        ssize_t len = target ? p9_readlink(client_of(link), vi->fid, target, PATH_MAX) : -ENOMEM;
        if (len < 0) {
            kfree(target);
            return strlcpy(buf, "", size); /* unreadable: an empty target, which lookups refuse */
        }
        u64 flags = cache_lock(link);
        if (!vi->link_target) {
            vi->link_target = target;
            target = NULL;
        }
        cache_unlock(link, flags);
        kfree(target); /* read by another task meanwhile */
    }
    return strlcpy(buf, vi->link_target, size);
}

static const struct inode_operations v9fs_symlink_iops = {.get_link = v9fs_get_link};

/* ---- mounting ---- */

int v9fs_mount_share(const char *tag, struct super_block **out)
{
    struct p9_client *c;
    struct p9_qid root_qid;
    int err = p9_connect(tag, &c, &root_qid);
    if (err)
        return err;
    struct v9fs_sb *info = kzalloc(sizeof(*info));
    struct super_block *sb = info ? super_create(&v9fs_type, &v9fs_super_ops, V9FS_MAGIC) : NULL;
    if (!sb) {
        kfree(info);
        return -ENOMEM;
    }
    info->client = c;
    sb->fs_info = info;
    sb->read_only = true;
    u32 fid = p9_fid_alloc(c);
    err = p9_walk(c, c->root_fid, fid, NULL, 0, NULL);
    if (err) {
        p9_fid_forget(c, fid);
        return err;
    }
    struct inode *root = inode_for_fid(sb, NULL, fid, &root_qid, &err);
    if (!root)
        return err;
    if (!S_ISDIR(root->mode))
        return -ENOTDIR;
    sb->root = root;
    *out = sb;
    return 0;
}
