/* The current directory and the file-creation mask: chdir, fchdir, getcwd, umask. */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "proc.h"
#include "uaccess.h"

#define PATH_MAX 4096

int copy_path_from_user(char *dst, const char __user *src);

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
    dir->refs++;
    if (fs->cwd) {
        fs->cwd->refs--;
        inode_release(fs->cwd);
    }
    fs->cwd = dir;
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
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    return change_dir(f->inode);
}

/* The name of `dir` in its parent, or NULL for a directory that was removed. */
static const char *name_in_parent(const struct inode *dir)
{
    for (const struct dirent_node *d = dir->parent->children; d; d = d->next)
        if (d->inode == dir)
            return d->name;
    return NULL;
}

long sys_getcwd(char __user *buf, u64 size)
{
    char path[PATH_MAX];
    size_t start = sizeof(path) - 1;
    path[start] = 0;
    struct inode *dir = current_task()->fs->cwd;
    if (dir->nlink == 0)
        return -ENOENT; /* removed while we were in it */
    if (dir == root_inode)
        path[--start] = '/';
    for (; dir != root_inode; dir = dir->parent) {
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
    return copy_to_user(buf, path + start, len) ? -EFAULT : (long)len;
}
