/*
 * Open files and the per-process descriptor table.
 *
 * An open file lives while anything references it: each descriptor naming it
 * (in any table), each system call using it (fdget to fdput), fork's copies.
 * Closing a descriptor drops only the descriptor's reference, so a call that
 * is still using the file (a read asleep on a pipe) keeps it open, and the
 * file is released by whichever put comes last, as on Linux.
 */
#include "anon_inodes.h"
#include "errno.h"
#include "fasync.h"
#include "fd.h"
#include "fs.h"
#include "fsnotify.h"
#include "posix_lock.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"

int file_open(struct inode *inode, u32 flags, struct file **out)
{
    struct file *f = kzalloc(sizeof(*f));
    if (!f)
        return -ENOMEM;
    f->inode = inode;
    /* The flags that act only at the open are not the file's (Linux's do_dentry_open):
     * F_GETFL and fdinfo never show them. */
    f->flags = flags & ~(O_CLOEXEC | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
    refcount_set(&f->refs, 1);
    f->ops = inode->fops;
    inode_get(inode);
    lease_file_opened(f);
    int err = lease_break_for_open(f);
    if (!err && f->ops && f->ops->open)
        err = f->ops->open(inode, f);
    if (err) {
        file_put(f);
        return err;
    }
    *out = f;
    return 0;
}

struct file *file_open_inode(struct inode *inode, u32 flags)
{
    struct file *f;
    return file_open(inode, flags, &f) ? NULL : f;
}

void file_get(struct file *f) { refcount_get(&f->refs); }

void file_put(struct file *f)
{
    if (!refcount_put(&f->refs))
        return;
    if (f->inode->flocks)
        flock_release(f);
    ofd_locks_remove(f);
    if (f->epitems)
        eventpoll_release_file(f);
    fasync_release(f);
    lease_file_closed(f);
    fsnotify_close(f);
    if (f->ops && f->ops->release)
        f->ops->release(f);
    inode_put(f->inode);
    kfree(f);
}

struct file *fdget_raw(int fd)
{
    struct files *files = current_task()->files;
    if (fd < 0 || fd >= MAX_FDS || !files)
        return NULL;
    u64 flags = spin_lock_irqsave(&files->lock);
    struct file *f = files->fd[fd];
    if (f)
        file_get(f);
    spin_unlock_irqrestore(&files->lock, flags);
    return f;
}

/* An O_PATH descriptor names a file without opening it: only the calls
 * that take fdget_raw accept one; the others answer EBADF, as Linux's fdget. */
struct file *fdget(int fd)
{
    struct file *f = fdget_raw(fd);
    if (f && (f->flags & O_PATH)) {
        file_put(f);
        return NULL;
    }
    return f;
}

void fdput(struct file *f)
{
    if (f)
        file_put(f);
}

static void set_cloexec_locked(struct files *files, int fd, bool on)
{
    if (on)
        files->cloexec[fd / 64] |= 1ul << (fd % 64);
    else
        files->cloexec[fd / 64] &= ~(1ul << (fd % 64));
}

int fd_install(struct file *f, int min_fd, bool cloexec)
{
    struct files *files = current_task()->files;
    u64 flags = spin_lock_irqsave(&files->lock);
    for (int fd = min_fd; fd < fd_limit(); fd++) {
        if (!files->fd[fd]) {
            files->fd[fd] = f;
            set_cloexec_locked(files, fd, cloexec);
            spin_unlock_irqrestore(&files->lock, flags);
            return fd;
        }
    }
    spin_unlock_irqrestore(&files->lock, flags);
    return -EMFILE;
}

/* A descriptor of `files` let go of f: the process's record locks on the file
 * go with any of its descriptors (POSIX's rule), then the descriptor's reference. */
static void descriptor_closed(struct files *files, struct file *f)
{
    posix_locks_remove(f->inode, files);
    file_put(f);
}

int fd_close(int fd)
{
    struct files *files = current_task()->files;
    if (fd < 0 || fd >= MAX_FDS || !files)
        return -EBADF;
    u64 flags = spin_lock_irqsave(&files->lock);
    struct file *f = files->fd[fd];
    files->fd[fd] = NULL;
    spin_unlock_irqrestore(&files->lock, flags);
    if (!f)
        return -EBADF;
    descriptor_closed(files, f); /* calls using the file hold their own references */
    return 0;
}

/* RLIMIT_NOFILE, within the table's size. */
int fd_limit(void) { return (int)MIN(rlimit(RLIMIT_NOFILE), (u64)MAX_FDS); }

struct files *files_create(void)
{
    struct files *files = kzalloc(sizeof(*files));
    if (files)
        refcount_set(&files->users, 1);
    return files;
}

void files_get(struct files *files) { refcount_get(&files->users); }

void files_put(struct files *files)
{
    if (!files || !refcount_put(&files->users))
        return;
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (files->fd[fd])
            descriptor_closed(files, files->fd[fd]);
    kfree(files);
}

/* fork's copy of a descriptor table: the same open files, one more reference each. */
struct files *files_copy(struct files *parent)
{
    struct files *files = files_create();
    if (!files)
        return NULL;
    u64 flags = spin_lock_irqsave(&parent->lock);
    for (int fd = 0; fd < MAX_FDS; fd++) {
        if (parent->fd[fd]) {
            files->fd[fd] = parent->fd[fd];
            file_get(files->fd[fd]);
        }
    }
    memcpy(files->cloexec, parent->cloexec, sizeof(files->cloexec));
    spin_unlock_irqrestore(&parent->lock, flags);
    return files;
}

/* execve closes the descriptors marked close-on-exec. */
void files_close_on_exec(struct files *files)
{
    for (int fd = 0; fd < MAX_FDS; fd++) {
        u64 flags = spin_lock_irqsave(&files->lock);
        struct file *f = NULL;
        if (files->cloexec[fd / 64] & (1ul << (fd % 64))) {
            f = files->fd[fd];
            files->fd[fd] = NULL;
        }
        spin_unlock_irqrestore(&files->lock, flags);
        if (f)
            descriptor_closed(files, f);
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
    u64 flags = spin_lock_irqsave(&files->lock);
    set_cloexec_locked(files, fd, on);
    spin_unlock_irqrestore(&files->lock, flags);
}

/* Puts f at exactly `fd`, closing what was there (dup2/dup3); takes over the
 * caller's reference. */
int fd_install_at(struct file *f, int fd, bool cloexec)
{
    struct files *files = current_task()->files;
    if (fd < 0 || fd >= fd_limit())
        return -EBADF;
    u64 flags = spin_lock_irqsave(&files->lock);
    struct file *old = files->fd[fd];
    files->fd[fd] = f;
    set_cloexec_locked(files, fd, cloexec);
    spin_unlock_irqrestore(&files->lock, flags);
    if (old)
        descriptor_closed(files, old);
    return fd;
}
