/*
 * Unpacks the initramfs: cpio "newc" archives, possibly several one after the
 * other (sysgate appends the program's own archive to the default one), as
 * Linux's init/initramfs.c accepts them. File contents stay where the archive
 * holds them (the kernel keeps the archive's pages): unpacking copies nothing,
 * which matters for a 2 MB busybox on every boot; ramfs copies a page into
 * the page cache when it is first used (fs/ramfs.c).
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"

#define NEWC_HEADER_SIZE 110

static u64 hex_field(const u8 *p)
{
    u64 v = 0;
    for (int i = 0; i < 8; i++) {
        u8 c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
    }
    return v;
}

/* Creates (or replaces) the node at `path`, making missing directories. */
static int create_node(const char *path, u32 mode, const u8 *data, u64 size)
{
    struct inode *dir;
    const char *last;
    int err = path_lookup_parent(NULL, path, &dir, &last);
    if (err == -ENOENT) {
        /* An archive may name a file before its directory: make the directory. */
        char parent[256];
        strlcpy(parent, path, sizeof(parent));
        char *slash = strrchr(parent, '/');
        if (!slash || slash == parent)
            return err;
        *slash = 0;
        err = create_node(parent, S_IFDIR | 0755, NULL, 0);
        if (err)
            return err;
        err = path_lookup_parent(NULL, path, &dir, &last);
    }
    if (err)
        return err;
    if (!*last)
        return 0; /* "." or "/" */
    struct inode *inode = dir_lookup(dir, last);
    if (inode && S_ISDIR(inode->mode) && S_ISDIR(mode)) {
        inode->mode = mode;
        return 0;
    }
    if (inode) { /* a later archive overrides an earlier one's file */
        err = S_ISDIR(inode->mode) ? vfs_rmdir(dir, last) : vfs_unlink(dir, last);
        if (err)
            return err;
    }
    if (S_ISLNK(mode)) {
        char target[PATH_MAX];
        if (size >= sizeof(target))
            return -ENAMETOOLONG;
        memcpy(target, data, size);
        target[size] = 0;
        return vfs_symlink(dir, last, target);
    }
    err = vfs_create(dir, last, mode, 0, &inode);
    if (err)
        return err;
    if (size && S_ISREG(mode))
        inode_borrow_data(inode, data, size);
    return 0;
}

int unpack_initramfs(const u8 *archive, u64 size)
{
    u64 off = 0;
    while (off + NEWC_HEADER_SIZE <= size) {
        const u8 *h = archive + off;
        if (h[0] == 0) { /* padding between concatenated archives */
            off += 4;
            continue;
        }
        if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
            return -EINVAL;
        u32 mode = (u32)hex_field(h + 14);
        u64 file_size = hex_field(h + 54);
        u64 name_size = hex_field(h + 94);
        u64 name_off = off + NEWC_HEADER_SIZE;
        u64 data_off = ALIGN_UP(name_off + name_size, 4);
        if (name_size == 0 || data_off > size || file_size > size - data_off)
            return -EINVAL;
        const char *name = (const char *)archive + name_off;
        if (name[name_size - 1] != 0)
            return -EINVAL;
        off = ALIGN_UP(data_off + file_size, 4);
        if (!strcmp(name, "TRAILER!!!"))
            continue;
        char path[256];
        snprintf(path, sizeof(path), "/%s", name[0] == '/' ? name + 1 : name);
        u32 type = mode & S_IFMT;
        if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK)
            continue; /* device nodes are made by the kernel itself */
        int err = create_node(path, mode, archive + data_off, type == S_IFDIR ? 0 : file_size);
        if (err)
            return err;
        struct inode *made; /* owned as the archive says (a user's home) */
        if (!path_lookup(NULL, path, false, &made)) {
            made->uid = (u32)hex_field(h + 22);
            made->gid = (u32)hex_field(h + 30);
        }
    }
    return 0;
}
