/* dup, dup2, dup3 and fcntl. */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "proc.h"

/* A new descriptor for f at min_fd or above, with a reference of its own. */
static long dup_at_least(struct file *f, int min_fd, bool cloexec)
{
    file_get(f);
    int fd = fd_install(f, min_fd, cloexec);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_dup(int oldfd)
{
    struct file *f = fdget(oldfd);
    if (!f)
        return -EBADF;
    long fd = dup_at_least(f, 0, false);
    fdput(f);
    return fd;
}

static long do_dup3(int oldfd, int newfd, int flags)
{
    if (flags & ~O_CLOEXEC)
        return -EINVAL;
    struct file *f = fdget(oldfd);
    if (!f)
        return -EBADF;
    long fd = -EBADF;
    if (newfd >= 0 && newfd < fd_limit()) {
        file_get(f); /* newfd's */
        fd = fd_install_at(f, newfd, flags & O_CLOEXEC);
    }
    fdput(f);
    return fd;
}

long sys_dup3(int oldfd, int newfd, int flags)
{
    if (oldfd == newfd)
        return -EINVAL;
    return do_dup3(oldfd, newfd, flags);
}

long sys_dup2(int oldfd, int newfd)
{
    if (oldfd == newfd) {
        struct file *f = fdget(oldfd);
        fdput(f);
        return f ? newfd : -EBADF;
    }
    return do_dup3(oldfd, newfd, 0);
}

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
/* The status flags F_SETFL may change; the access mode and creation flags stay. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | 040000 /* O_DIRECT */ | 01000000 /* O_NOATIME */ | 020000 /* O_ASYNC */)

static long fcntl_file(struct file *f, int fd, unsigned cmd, u64 arg)
{
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if ((long)arg < 0 || (long)arg >= fd_limit())
            return -EINVAL;
        return dup_at_least(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
    case F_GETFD:
        return fd_is_cloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
        fd_set_cloexec(fd, arg & FD_CLOEXEC);
        return 0;
    case F_GETFL:
        return f->flags;
    case F_SETFL:
        f->flags = (f->flags & ~SETFL_MASK) | ((u32)arg & SETFL_MASK);
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_fcntl(int fd, unsigned cmd, u64 arg)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long ret = fcntl_file(f, fd, cmd, arg);
    fdput(f);
    return ret;
}
