/* The current directory and the file-creation mask: chdir, fchdir, getcwd, umask. */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "proc.h"
#include "uaccess.h"



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
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long err = change_dir(f->inode);
    fdput(f);
    return err;
}

/* The name of `dir` in its parent, or NULL for a directory that was removed. */
static const char *name_in_parent(const struct inode *dir)
{
    for (const struct dirent_node *d = dir->parent->children; d; d = d->next)
        if (d->inode == dir)
            return d->name;
    return NULL;
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
        const char *name = name_in_parent(dir);
        if (!name)
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
    const char *name = name_in_parent(inode);
    if (!name)
        return -ENOENT;
    return inode_path(inode->parent, name, out, size);
}

long sys_getcwd(char __user *buf, u64 size)
{
    char path[PATH_MAX];
    long len = inode_path(current_task()->fs->cwd, NULL, path, MIN(size, sizeof(path)));
    if (len < 0)
        return len;
    return copy_to_user(buf, path, (size_t)len) ? -EFAULT : len;
}
