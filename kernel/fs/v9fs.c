/*
 * 9p: a host directory shared through QEMU's virtio-9p device, as a file system behind the
 * VFS (docs/9p.md): read-only (the root, and shares by default) or writable (":rw" shares).
 * Every inode holds a fid walked to its file (never opened: it is what walks, getattr and
 * readlink start from), and once read, a second fid opened O_RDONLY (once written, a third). Inodes are keyed by qid.path (QEMU's multidevs=remap keeps those unique across
 * the host's file systems), so hard links are one inode, and they stay for the life of the
 * share, since the VFS's look-ups hand out uncounted inodes; so do each directory's names
 * already looked up (found or absent), which spares the host a walk per path component.
 * Changes made through this guest keep those caches true; changes made on the host meanwhile
 * are not seen. A writable share writes write(2)'s bytes through at once and what shared
 * mappings changed once nothing holds the file.
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
#include "time.h"

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
    u32 write_fid;                  /* writable shares: opened for writing, at the first such open */
    u64 *dirty;                     /* bit per page a shared mapping may have changed */
    u64 dirty_words;
    struct v9fs_inode *hash_next;
    struct v9fs_name *names;        /* directories */
    struct v9fs_listing *listing;   /* directories, once listed */
    char *link_target;              /* symbolic links, once read */
    u64 server_size, server_blocks; /* as the host last reported them */
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
    vi->fid = vi->open_fid = vi->write_fid = P9_NOFID;
    return &vi->vfs;
}

static void remove_from_hash(struct inode *inode);

/* An inode goes only once a writable share has removed its last name (see drop_inode). */
static void v9fs_destroy_inode(struct inode *inode)
{
    struct v9fs_inode *vi = V9FS_I(inode);
    struct p9_client *c = V9FS_SB(inode->sb)->client;
    remove_from_hash(inode);
    u32 fids[] = {vi->fid, vi->open_fid, vi->write_fid};
    for (size_t i = 0; i < ARRAY_SIZE(fids); i++)
        if (fids[i] != P9_NOFID)
            p9_clunk(c, fids[i]);
    while (vi->names) {
        struct v9fs_name *n = vi->names;
        vi->names = n->next;
        kfree(n);
    }
    kfree(vi->dirty);
    kfree(vi->link_target);
    kfree(vi);
}

static void write_back_dirty(struct inode *inode);

/* Inodes stay while the share is mounted (look-ups return them uncounted); a large file's
 * pages do not, once nothing holds it, since nothing else would ever give them back. */
static bool v9fs_drop_inode(struct inode *inode)
{
    if (S_ISREG(inode->mode))
        write_back_dirty(inode); /* nothing maps it any more: what mappings changed goes home */
    if (inode->nlink == 0)
        return true; /* removed through this guest: no name leads to it again */
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

static void remove_from_hash(struct inode *inode)
{
    u64 flags = cache_lock(inode);
    for (struct v9fs_inode **link = hash_slot(inode->sb, inode->ino); *link; link = &(*link)->hash_next) {
        if (*link == V9FS_I(inode)) {
            *link = (*link)->hash_next;
            break;
        }
    }
    cache_unlock(inode, flags);
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
    V9FS_I(inode)->server_size = attr->size;
    V9FS_I(inode)->server_blocks = attr->blocks;
    inode->atime = attr->atime;
    inode->mtime = attr->mtime;
    inode->ctime = attr->ctime;
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

/* A change made through this guest: `name` in dir now leads to `inode` (NULL: to nothing). */
static void set_name(struct inode *dir, const char *name, struct inode *inode)
{
    size_t len = strlen(name);
    u64 flags = cache_lock(dir);
    struct v9fs_name *n = find_name(dir, name, len);
    if (n)
        n->inode = inode;
    cache_unlock(dir, flags);
    if (!n)
        remember_name(dir, name, len, inode);
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

/* The fid in *slot (the inode's open_fid or write_fid), walked from the inode's own and
 * opened with Tlopen `mode` the first time it is needed; kept until the inode goes. */
static int cached_open_fid(struct inode *inode, u32 *slot, u32 mode, u32 *out)
{
    u64 flags = cache_lock(inode);
    *out = *slot;
    cache_unlock(inode, flags);
    if (*out != P9_NOFID)
        return 0;
    struct p9_client *c = client_of(inode);
    u32 fid = p9_fid_alloc(c), iounit;
    int err = p9_walk(c, V9FS_I(inode)->fid, fid, NULL, 0, NULL);
    if (err) {
        p9_fid_forget(c, fid);
        return err;
    }
    err = p9_lopen(c, fid, mode, &iounit);
    if (err) {
        p9_clunk(c, fid);
        return err;
    }
    flags = cache_lock(inode);
    bool raced = *slot != P9_NOFID; /* another task opened it meanwhile */
    if (!raced)
        *slot = fid;
    *out = *slot;
    cache_unlock(inode, flags);
    if (raced)
        p9_clunk(c, fid);
    return 0;
}

/* The fid the contents are read through. */
static int open_fid(struct inode *inode, u32 *out)
{
    u32 mode = S_ISDIR(inode->mode) ? P9_DOTL_RDONLY | P9_DOTL_DIRECTORY : P9_DOTL_RDONLY;
    return cached_open_fid(inode, &V9FS_I(inode)->open_fid, mode, out);
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

static int v9fs_create(struct inode *dir, const char *name, u32 mode, struct inode **out);
static int v9fs_mkdir(struct inode *dir, const char *name, u32 mode, struct inode **out);
static int v9fs_mknod(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out);
static int v9fs_symlink(struct inode *dir, const char *name, const char *target);
static int v9fs_link(struct inode *inode, struct inode *dir, const char *name);
static int v9fs_unlink(struct inode *dir, const char *name);
static int v9fs_rmdir(struct inode *dir, const char *name);
static int v9fs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
                       unsigned flags);
static int v9fs_setattr(struct inode *inode, const struct iattr *attr);
/* Read-only shares never reach the changes: the VFS refuses them first (EROFS). */
/* st_blocks is what the host's file system allocated (a symbolic link
   stored in its inode has none), as long as the size is still the one the
   host reported; after a write here the VFS's estimate stands. */
static void v9fs_getattr(const struct inode *inode, struct kstat *st)
{
    const struct v9fs_inode *vi = container_of(inode, const struct v9fs_inode, vfs);
    if (inode->size == vi->server_size)
        st->blocks = vi->server_blocks;
}

static const struct inode_operations v9fs_dir_iops = {
    .lookup = v9fs_lookup,
    .create = v9fs_create,
    .mkdir = v9fs_mkdir,
    .mknod = v9fs_mknod,
    .symlink = v9fs_symlink,
    .link = v9fs_link,
    .unlink = v9fs_unlink,
    .rmdir = v9fs_rmdir,
    .rename = v9fs_rename,
    .setattr = v9fs_setattr,
    .getattr = v9fs_getattr,
};
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

static ssize_t v9fs_file_write(struct file *f, const char __user *buf, size_t len, u64 *pos);
static int v9fs_file_open(struct inode *inode, struct file *f);
static void v9fs_set_page_dirty(struct inode *inode, u64 index);
static const struct address_space_operations v9fs_aops = {.read_page = v9fs_read_page,
                                                          .set_page_dirty = v9fs_set_page_dirty};
static const struct inode_operations v9fs_file_iops = {.setattr = v9fs_setattr, .getattr = v9fs_getattr};
static const struct file_ops v9fs_file_fops = {
    .read = v9fs_file_read,
    .write = v9fs_file_write,
    .open = v9fs_file_open,
    .llseek = generic_file_llseek,
};

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

static const struct inode_operations v9fs_symlink_iops = {
    .get_link = v9fs_get_link,
    .setattr = v9fs_setattr,
    .getattr = v9fs_getattr,
};

/* ---- writable shares ---- */

#define P9_DOTL_WRONLY 1
#define P9_DOTL_RDWR 2
#define P9_DOTL_CREATE 0100
#define P9_DOTL_EXCL 0200
#define P9_AT_REMOVEDIR 0x200
#define RENAME_NOREPLACE 1

/* The inode for a name just made in dir: walked to, asked for its attributes, remembered. */
static int inode_for_new_name(struct inode *dir, const char *name, struct inode **out)
{
    struct p9_client *c = client_of(dir);
    u32 fid = p9_fid_alloc(c);
    struct p9_qid qid;
    const char *names[] = {name};
    int err = p9_walk(c, V9FS_I(dir)->fid, fid, names, 1, &qid);
    if (err) {
        p9_fid_forget(c, fid);
        return err;
    }
    struct inode *inode = inode_for_fid(dir->sb, dir, fid, &qid, &err);
    if (!inode)
        return err;
    set_name(dir, name, inode);
    if (out)
        *out = inode;
    return 0;
}

/* The directory's link count and times as the host has them after a change in it. */
static void refresh_attributes(struct inode *inode)
{
    struct p9_attr attr;
    if (p9_getattr(client_of(inode), V9FS_I(inode)->fid, &attr))
        return;
    inode->nlink = (u32)attr.nlink;
    inode->mtime = attr.mtime;
    inode->ctime = attr.ctime;
}

static int v9fs_create(struct inode *dir, const char *name, u32 mode, struct inode **out)
{
    struct p9_client *c = client_of(dir);
    u32 fid = p9_fid_alloc(c);
    int err = p9_walk(c, V9FS_I(dir)->fid, fid, NULL, 0, NULL);
    if (err) {
        p9_fid_forget(c, fid);
        return err;
    }
    /* The clone becomes the new file, open for reading and writing: the inode's write fid. */
    err = p9_lcreate(c, fid, name, P9_DOTL_RDWR | P9_DOTL_CREATE | P9_DOTL_EXCL, mode & 07777, 0, NULL);
    if (err) {
        p9_clunk(c, fid);
        return err;
    }
    struct inode *inode;
    err = inode_for_new_name(dir, name, &inode);
    if (err) {
        p9_clunk(c, fid);
        return err;
    }
    u64 flags = cache_lock(inode);
    bool spare = V9FS_I(inode)->write_fid != P9_NOFID;
    if (!spare)
        V9FS_I(inode)->write_fid = fid;
    cache_unlock(inode, flags);
    if (spare)
        p9_clunk(c, fid);
    refresh_attributes(dir);
    *out = inode;
    return 0;
}

static int v9fs_mkdir(struct inode *dir, const char *name, u32 mode, struct inode **out)
{
    int err = p9_mkdir(client_of(dir), V9FS_I(dir)->fid, name, mode & 07777, 0, NULL);
    err = err ?: inode_for_new_name(dir, name, out);
    refresh_attributes(dir);
    return err;
}

static int v9fs_mknod(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out)
{
    int err = p9_mknod(client_of(dir), V9FS_I(dir)->fid, name, mode, MAJOR(rdev), MINOR(rdev), 0, NULL);
    err = err ?: inode_for_new_name(dir, name, out);
    refresh_attributes(dir);
    return err;
}

static int v9fs_symlink(struct inode *dir, const char *name, const char *target)
{
    int err = p9_symlink(client_of(dir), V9FS_I(dir)->fid, name, target, 0, NULL);
    err = err ?: inode_for_new_name(dir, name, NULL);
    refresh_attributes(dir);
    return err;
}

static int v9fs_link(struct inode *inode, struct inode *dir, const char *name)
{
    int err = p9_link(client_of(dir), V9FS_I(dir)->fid, V9FS_I(inode)->fid, name);
    if (err)
        return err;
    set_name(dir, name, inode);
    refresh_attributes(inode);
    refresh_attributes(dir);
    return 0;
}

/* The inode `name` leads to lost that name: the last one, it goes once nothing holds it. */
static void name_removed(struct inode *dir, const char *name, struct inode *victim)
{
    set_name(dir, name, NULL);
    if (!victim)
        return;
    if (S_ISDIR(victim->mode))
        victim->nlink = 0;
    else if (victim->nlink > 0)
        victim->nlink--;
    if (victim->nlink == 0) {
        remove_from_hash(victim); /* the host may give its number to a new file */
        inode_get(victim);
        inode_put(victim); /* goes now if nothing holds it */
    }
}

static int remove_entry(struct inode *dir, const char *name, u32 flags)
{
    struct inode *victim = v9fs_lookup(dir, name, strlen(name));
    int err = p9_unlinkat(client_of(dir), V9FS_I(dir)->fid, name, flags);
    if (err)
        return err;
    name_removed(dir, name, victim);
    refresh_attributes(dir);
    return 0;
}

static int v9fs_unlink(struct inode *dir, const char *name) { return remove_entry(dir, name, 0); }
static int v9fs_rmdir(struct inode *dir, const char *name) { return remove_entry(dir, name, P9_AT_REMOVEDIR); }

static int v9fs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
                       unsigned flags)
{
    struct inode *moved = v9fs_lookup(olddir, oldname, strlen(oldname));
    struct inode *replaced = v9fs_lookup(newdir, newname, strlen(newname));
    if (!moved)
        return -ENOENT;
    if (flags & ~RENAME_NOREPLACE)
        return -EINVAL; /* RENAME_EXCHANGE: 9P2000.L has no such rename */
    if ((flags & RENAME_NOREPLACE) && replaced)
        return -EEXIST;
    int err = p9_renameat(client_of(olddir), V9FS_I(olddir)->fid, oldname, V9FS_I(newdir)->fid, newname);
    if (err)
        return err;
    if (replaced == moved)
        return 0; /* two names of one file: nothing changes, as rename(2) says */
    set_name(olddir, oldname, NULL);
    if (replaced)
        name_removed(newdir, newname, replaced);
    set_name(newdir, newname, moved);
    inode_set_parent(moved, newdir);
    refresh_attributes(olddir);
    if (newdir != olddir)
        refresh_attributes(newdir);
    return 0;
}

static int v9fs_setattr(struct inode *inode, const struct iattr *attr)
{
    if (inode->sb->read_only)
        return -EROFS;
    struct p9_setattr change = {0};
    if (attr->valid & ATTR_SIZE) {
        change.valid |= P9_SETATTR_SIZE;
        change.size = attr->size;
    }
    if (attr->valid & ATTR_MODE) {
        change.valid |= P9_SETATTR_MODE;
        change.mode = attr->mode;
    }
    if (attr->valid & ATTR_UID) {
        change.valid |= P9_SETATTR_UID;
        change.uid = attr->uid;
    }
    if (attr->valid & ATTR_GID) {
        change.valid |= P9_SETATTR_GID;
        change.gid = attr->gid;
    }
    if (attr->valid & ATTR_ATIME) {
        change.valid |= P9_SETATTR_ATIME | P9_SETATTR_ATIME_SET;
        change.atime = attr->atime;
    }
    if (attr->valid & ATTR_MTIME) {
        change.valid |= P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET;
        change.mtime = attr->mtime;
    }
    int err = p9_setattr(client_of(inode), V9FS_I(inode)->fid, &change);
    if (err)
        return err;
    if (attr->valid & ATTR_SIZE) {
        if (attr->size < inode->size)
            page_cache_truncate(inode, attr->size);
        inode->size = attr->size;
    }
    return 0;
}

/* The fid writes go through, opened for the first open for writing. */
static int write_fid(struct inode *inode, u32 *out)
{
    return cached_open_fid(inode, &V9FS_I(inode)->write_fid, P9_DOTL_WRONLY, out);
}

/* Opening for writing asks the host now, so that a file it will not let be written fails
 * the open, as it would on Linux, rather than the first write. */
static int v9fs_file_open(struct inode *inode, struct file *f)
{
    u32 fid;
    if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
        return 0;
    return write_fid(inode, &fid);
}

/* Writes the cache's bytes [start, end) to the host, page by page. */
static int write_range(struct inode *inode, u64 start, u64 end)
{
    u32 fid;
    int err = write_fid(inode, &fid);
    while (!err && start < end) {
        u64 offset = start % PAGE_SIZE;
        u32 chunk = (u32)MIN(end - start, PAGE_SIZE - offset);
        phys_addr_t page = file_page(inode, start / PAGE_SIZE);
        if (!page)
            return -ENOMEM;
        ssize_t done = p9_write(client_of(inode), fid, start, (u8 *)phys_to_virt(page) + offset, chunk);
        if (done <= 0)
            return done < 0 ? (int)done : -EIO;
        start += (u64)done;
    }
    return err;
}

static bool dirty_test_and_clear(struct v9fs_inode *vi, u64 index)
{
    if (index / 64 >= vi->dirty_words || !(vi->dirty[index / 64] & (1ull << (index % 64))))
        return false;
    vi->dirty[index / 64] &= ~(1ull << (index % 64));
    return true;
}

/* write(2) goes through to the host at once; the cache keeps the bytes for readers and
 * mappings. */
static ssize_t v9fs_file_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    struct inode *inode = f->inode;
    if (f->flags & O_APPEND)
        *pos = inode->size;
    u64 start = *pos;
    if (start + len < start)
        return -EINVAL;
    ssize_t n = page_cache_write(inode, buf, len, pos);
    if (n <= 0)
        return n;
    int err = write_range(inode, start, start + (u64)n);
    if (err)
        return err;
    /* A page wholly written here is home; unless a mapping holds it, it is no longer dirty. */
    u64 flags = cache_lock(inode);
    for (u64 index = ALIGN_UP(start, PAGE_SIZE) / PAGE_SIZE; (index + 1) * PAGE_SIZE <= start + (u64)n; index++) {
        phys_addr_t page = page_cache_has(inode, index) ? inode->mapping.pages[index] : 0;
        if (page && page_refcount(page) == 1)
            dirty_test_and_clear(V9FS_I(inode), index);
    }
    cache_unlock(inode, flags);
    inode->mtime = inode->ctime = realtime_timespec();
    return n;
}

/* A page a shared mapping (or a write) changes: noted, and written home when nothing holds
 * the file any more (drop_inode). */
static void v9fs_set_page_dirty(struct inode *inode, u64 index)
{
    struct v9fs_inode *vi = V9FS_I(inode);
    u64 flags = cache_lock(inode);
    if (index / 64 >= vi->dirty_words) {
        u64 words = MAX(index / 64 + 1, vi->dirty_words * 2);
        u64 *grown = kzalloc(words * sizeof(u64));
        if (grown) {
            if (vi->dirty)
                memcpy(grown, vi->dirty, vi->dirty_words * sizeof(u64));
            kfree(vi->dirty);
            vi->dirty = grown;
            vi->dirty_words = words;
        }
    }
    if (index / 64 < vi->dirty_words)
        vi->dirty[index / 64] |= 1ull << (index % 64);
    cache_unlock(inode, flags);
}

static void write_back_dirty(struct inode *inode)
{
    struct v9fs_inode *vi = V9FS_I(inode);
    for (u64 index = 0; index < vi->dirty_words * 64; index++) {
        u64 flags = cache_lock(inode);
        bool dirty = dirty_test_and_clear(vi, index);
        cache_unlock(inode, flags);
        u64 start = index * PAGE_SIZE;
        if (dirty && start < inode->size && page_cache_has(inode, index) &&
            write_range(inode, start, MIN(start + PAGE_SIZE, inode->size)))
            kprintf(KERN_WARN "9p: a page of inode %lu could not be written back\n", inode->ino);
    }
}

/* ---- mounting ---- */

int v9fs_mount_share(const char *tag, bool writable, struct super_block **out)
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
    sb->read_only = !writable;
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
