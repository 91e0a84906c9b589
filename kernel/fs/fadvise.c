/*
 * posix_fadvise and readahead. sysgate keeps every file's pages in memory, with no device
 * to read ahead from or write back to, which is what Linux's generic_fadvise
 * does for a file on tmpfs or ramfs (a backing device that does no I/O): it
 * checks the call and takes the advice as given, changing nothing.
 */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"

#define POSIX_FADV_NORMAL 0
#define POSIX_FADV_RANDOM 1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED 3
#define POSIX_FADV_DONTNEED 4
#define POSIX_FADV_NOREUSE 5

long sys_fadvise64(int fd, s64 offset, s64 len, int advice)
{
    (void)offset;
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    bool fifo = S_ISFIFO(f->inode->mode);
    fdput(f);
    if (fifo)
        return -ESPIPE;
    if (len < 0)
        return -EINVAL;
    switch (advice) {
    case POSIX_FADV_NORMAL:
    case POSIX_FADV_RANDOM:
    case POSIX_FADV_SEQUENTIAL:
    case POSIX_FADV_WILLNEED:
    case POSIX_FADV_DONTNEED:
    case POSIX_FADV_NOREUSE:
        return 0;
    default:
        return -EINVAL;
    }
}

/* Linux's ksys_readahead: a readable regular file, then WILLNEED advice. */
long sys_readahead(int fd, s64 offset, u64 count)
{
    (void)offset, (void)count;
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long err = 0;
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        err = -EBADF;
    else if (!S_ISREG(f->inode->mode) || !f->inode->mapping.ops)
        err = -EINVAL;
    fdput(f);
    return err;
}
