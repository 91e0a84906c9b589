/* Open files and the per-process descriptor table. */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"

struct file *file_open_inode(struct inode *inode, u32 flags)
{
    struct file *f = kzalloc(sizeof(*f));
    if (!f)
        return NULL;
    f->inode = inode;
    f->flags = flags & ~O_CLOEXEC;
    f->refs = 1;
    f->ops = S_ISCHR(inode->mode) ? char_device_ops(inode->rdev) : inode->fops;
    inode->refs++;
    return f;
}

void file_get(struct file *f) { f->refs++; }

void file_put(struct file *f)
{
    if (--f->refs == 0) {
        if (f->inode->flocks)
            flock_release(f);
        if (f->ops && f->ops->release)
            f->ops->release(f);
        f->inode->refs--;
        inode_release(f->inode);
        kfree(f);
    }
}

struct file *fd_get(int fd)
{
    struct files *files = current_task()->files;
    if (fd < 0 || fd >= MAX_FDS || !files)
        return NULL;
    return files->fd[fd];
}

int fd_install(struct file *f, int min_fd, bool cloexec)
{
    struct files *files = current_task()->files;
    for (int fd = min_fd; fd < fd_limit(); fd++) {
        if (!files->fd[fd]) {
            files->fd[fd] = f;
            if (cloexec)
                files->cloexec[fd / 64] |= 1ul << (fd % 64);
            else
                files->cloexec[fd / 64] &= ~(1ul << (fd % 64));
            return fd;
        }
    }
    return -EMFILE;
}

int fd_close(int fd)
{
    struct files *files = current_task()->files;
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    files->fd[fd] = NULL;
    file_put(f);
    return 0;
}

int fd_limit(void) { return MAX_FDS; }

struct files *files_create(void)
{
    struct files *files = kzalloc(sizeof(*files));
    if (files)
        files->users = 1;
    return files;
}

void files_put(struct files *files)
{
    if (!files || --files->users > 0)
        return;
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (files->fd[fd])
            file_put(files->fd[fd]);
    kfree(files);
}

/* fork's copy of a descriptor table: the same open files, one more reference each. */
struct files *files_copy(struct files *parent)
{
    struct files *files = files_create();
    if (!files)
        return NULL;
    for (int fd = 0; fd < MAX_FDS; fd++) {
        if (parent->fd[fd]) {
            files->fd[fd] = parent->fd[fd];
            file_get(files->fd[fd]);
        }
    }
    memcpy(files->cloexec, parent->cloexec, sizeof(files->cloexec));
    return files;
}

/* execve closes the descriptors marked close-on-exec. */
void files_close_on_exec(struct files *files)
{
    for (int fd = 0; fd < MAX_FDS; fd++) {
        if (files->fd[fd] && (files->cloexec[fd / 64] & (1ul << (fd % 64)))) {
            file_put(files->fd[fd]);
            files->fd[fd] = NULL;
        }
    }
    memset(files->cloexec, 0, sizeof(files->cloexec));
}

bool fd_is_cloexec(int fd)
{
    struct files *files = current_task()->files;
    return files->cloexec[fd / 64] & (1ul << (fd % 64));
}

void fd_set_cloexec(int fd, bool on)
{
    struct files *files = current_task()->files;
    if (on)
        files->cloexec[fd / 64] |= 1ul << (fd % 64);
    else
        files->cloexec[fd / 64] &= ~(1ul << (fd % 64));
}

/* Puts f at exactly `fd`, closing what was there (dup2/dup3). */
int fd_install_at(struct file *f, int fd, bool cloexec)
{
    struct files *files = current_task()->files;
    if (fd < 0 || fd >= fd_limit())
        return -EBADF;
    struct file *old = files->fd[fd];
    files->fd[fd] = f;
    fd_set_cloexec(fd, cloexec);
    if (old)
        file_put(old);
    return fd;
}
