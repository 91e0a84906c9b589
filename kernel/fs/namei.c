/* Path lookup: components, ".", "..", and symbolic links (at most 40, as on Linux). */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"

#define MAX_SYMLINKS 40
#define NAME_MAX 255

/* A symbolic link's target as a string, from its file system. */
size_t symlink_target(struct inode *link, char *buf, size_t size)
{
    if (!link->iops || !link->iops->get_link) {
        buf[0] = 0;
        return 0;
    }
    return link->iops->get_link(link, buf, size);
}

static struct inode *dir_find(struct inode *dir, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return dir;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return mount_parent(dir);
    if (!dir->iops || !dir->iops->lookup)
        return NULL;
    return dir->iops->lookup(dir, name, len);
}

static int walk(struct inode *base, const char *path, bool follow_last, bool cross_last, int *links,
                struct inode **out);

static int follow_link(struct inode *dir, struct inode *link, int *links, struct inode **out)
{
    if (++*links > MAX_SYMLINKS)
        return -ELOOP;
    if (link->iops && link->iops->follow_magic) {
        *out = link->iops->follow_magic(link);
        return *out ? 0 : -ENOENT;
    }
    /* On the heap: links nest up to MAX_SYMLINKS deep, and kernel stacks are small. */
    char *target = kmalloc(PATH_MAX);
    if (!target)
        return -ENOMEM;
    symlink_target(link, target, PATH_MAX);
    int err = walk(dir, target, true, true, links, out);
    kfree(target);
    return err;
}

static int walk(struct inode *base, const char *path, bool follow_last, bool cross_last, int *links,
                struct inode **out)
{
    struct inode *cur = path[0] == '/' ? root_inode : (base ? base : root_inode);
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *end = p;
        while (*end && *end != '/')
            end++;
        size_t len = end - p;
        if (len > NAME_MAX)
            return -ENAMETOOLONG;
        if (!S_ISDIR(cur->mode))
            return -ENOTDIR;
        int denied = inode_permission(cur, MAY_EXEC); /* searching a directory */
        if (denied)
            return denied;
        struct inode *next = dir_find(cur, p, len);
        if (!next)
            return -ENOENT;
        bool last = true;
        for (const char *q = end; *q; q++)
            if (*q != '/')
                last = false;
        if (!last || cross_last)
            next = mount_cross(next);
        bool trailing_slash = *end == '/';
        if (S_ISLNK(next->mode) && (!last || follow_last || trailing_slash)) {
            int err = follow_link(cur, next, links, &next);
            if (err)
                return err;
        }
        if (last && trailing_slash && !S_ISDIR(next->mode))
            return -ENOTDIR;
        cur = next;
        p = end;
    }
    *out = cur;
    return 0;
}

int path_lookup(struct inode *base, const char *path, bool follow_last, struct inode **out)
{
    if (!*path)
        return -ENOENT;
    int links = 0;
    return walk(base, path, follow_last, true, &links, out);
}

/* The directory a path names before any mount on it: what umount starts from. */
int path_lookup_covered(const char *path, bool follow_last, struct inode **out)
{
    if (!*path)
        return -ENOENT;
    int links = 0;
    return walk(NULL, path, follow_last, false, &links, out);
}

/* Splits off the last component; the directory is looked up, the last name is not. */
int path_lookup_parent(struct inode *base, const char *path, struct inode **dir, const char **last)
{
    if (!*path)
        return -ENOENT;
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t slash = len;
    while (slash > 0 && path[slash - 1] != '/')
        slash--;
    *last = path + slash;
    if (slash == 0) {
        *dir = base ? base : root_inode;
        return inode_permission(*dir, MAY_EXEC);
    }
    char parent[PATH_MAX];
    if (slash >= sizeof(parent))
        return -ENAMETOOLONG;
    memcpy(parent, path, slash);
    parent[slash] = 0;
    int err = path_lookup(base, parent, true, dir);
    if (err)
        return err;
    return S_ISDIR((*dir)->mode) ? inode_permission(*dir, MAY_EXEC) : -ENOTDIR;
}
