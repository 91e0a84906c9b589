/* The current directory and the file-creation mask: chdir, fchdir, getcwd, umask. */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "uaccess.h"

#define NAME_MAX 255



u32 current_umask(void)
{
    struct fs_info *fs = current_task()->fs;
    return fs ? fs->umask : 022;
}

long sys_umask(u32 mask)
{
    struct fs_info *fs = current_task()->fs;
    u32 old = fs->umask;
    fs->umask = mask & 0777;
    return old;
}

static long change_dir(struct inode *dir)
{
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    int denied = inode_permission(dir, MAY_EXEC); /* one must be able to search it */
    if (denied)
        return denied;
    struct fs_info *fs = current_task()->fs;
    inode_get(dir);
    struct inode *old = fs->cwd;
    fs->cwd = dir;
    if (old)
        inode_put(old);
    return 0;
}

long sys_chdir(const char __user *upath)
{
    char path[PATH_MAX];
    int err = copy_path_from_user(path, upath);
    if (err)
        return err;
    struct inode *dir;
    err = path_lookup(current_task()->fs->cwd, path, true, &dir);
    return err ?: change_dir(dir);
}

long sys_fchdir(int fd)
{
    struct file *f = fdget_raw(fd);
    if (!f)
        return -EBADF;
    long err = change_dir(f->inode);
    fdput(f);
    return err;
}

struct name_search {
    struct dir_context ctx;
    u64 ino;
    char *name;
    bool found;
};

static bool match_ino(struct dir_context *ctx, const char *name, size_t len, u64 ino, u32 mode)
{
    (void)mode;
    struct name_search *s = container_of(ctx, struct name_search, ctx);
    if (ino != s->ino)
        return true;
    memcpy(s->name, name, MIN(len, (size_t)NAME_MAX));
    s->name[MIN(len, (size_t)NAME_MAX)] = 0;
    s->found = true;
    return false;
}

/* The name of `inode` in its parent (NAME_MAX + 1 bytes at `name`), found by
 * walking the parent; false for one that was removed. */
bool inode_name_in_parent(struct inode *inode, char *name)
{
    struct inode *dir = inode->parent;
    if (!dir || dir == inode || !dir->fops || !dir->fops->iterate)
        return false;
    struct name_search s = {.ctx = {.emit = match_ino, .pos = 2}, .ino = inode->ino, .name = name};
    dir->fops->iterate(dir, &s.ctx);
    return s.found;
}

/* The absolute path of a directory, or of a file found in `dir`: built from
 * the names in each parent. Returns its length with the NUL, or -ENOENT when
 * something on the way was removed, -ENAMETOOLONG. */
long inode_path(struct inode *dir, const char *file_name, char *out, size_t size)
{
    char path[PATH_MAX];
    size_t start = sizeof(path) - 1;
    path[start] = 0;
    if (file_name) {
        size_t n = strlen(file_name);
        if (n + 1 > start)
            return -ENAMETOOLONG;
        start -= n;
        memcpy(path + start, file_name, n);
        path[--start] = '/';
    }
    if (dir->nlink == 0)
        return -ENOENT; /* removed */
    if (dir == root_inode && !file_name)
        path[--start] = '/';
    for (; dir != root_inode; dir = dir->parent) {
        /* a mounted tree's root is named by its mount point (mounts stack a bounded number of times) */
        for (int hops = 0; hops < 64 && mount_point_of(dir); hops++)
            dir = mount_point_of(dir);
        if (dir == root_inode)
            break;
        char name[NAME_MAX + 1];
        if (!inode_name_in_parent(dir, name))
            return -ENOENT;
        size_t n = strlen(name);
        if (n + 1 > start)
            return -ENAMETOOLONG;
        start -= n;
        memcpy(path + start, name, n);
        path[--start] = '/';
    }
    size_t len = sizeof(path) - start;
    if (size < len)
        return -ERANGE;
    memcpy(out, path + start, len);
    return (long)len;
}

/* Any inode's absolute path (a hard link's: the name in the directory it was made in). */
long inode_full_path(struct inode *inode, char *out, size_t size)
{
    if (S_ISDIR(inode->mode))
        return inode_path(inode, NULL, out, size);
    char name[NAME_MAX + 1];
    if (!inode_name_in_parent(inode, name))
        return -ENOENT;
    return inode_path(inode->parent, name, out, size);
}

long file_path(struct file *f, char *out, size_t size)
{
    struct inode *inode = f->inode;
    const char *fs_name = inode->sb->type->name;
    int n;
    if (f->anon_name)
        n = snprintf(out, size, "anon_inode:%s", f->anon_name);
    else if (!strcmp(fs_name, "pipefs"))
        n = snprintf(out, size, "pipe:[%lu]", inode->ino);
    else if (!strcmp(fs_name, "sockfs"))
        n = snprintf(out, size, "socket:[%lu]", inode->ino);
    else if (inode->unnamed_path)
        n = snprintf(out, size, "%s (deleted)", inode->unnamed_path);
    else if (inode->nlink == 0 && inode->parent && inode->parent != inode) {
        /* an O_TMPFILE file, or one whose last name went: its directory's path, as Linux shows it */
        char *dir = kmalloc(PATH_MAX);
        long len = dir ? inode_full_path(inode->parent, dir, PATH_MAX) : -ENOMEM;
        n = len < 0 ? 0 : snprintf(out, size, "%s/#%lu (deleted)", !strcmp(dir, "/") ? "" : dir, inode->ino);
        kfree(dir);
        if (len < 0)
            return len;
    } else
        return inode_full_path(inode, out, size);
    return (size_t)n < size ? n + 1 : -ENAMETOOLONG;
}

long sys_getcwd(char __user *buf, u64 size)
{
    char path[PATH_MAX];
    long len = inode_path(current_task()->fs->cwd, NULL, path, MIN(size, sizeof(path)));
    if (len < 0)
        return len;
    return copy_to_user(buf, path, (size_t)len) ? -EFAULT : len;
}
