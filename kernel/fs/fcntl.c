/* dup, dup2, dup3 and fcntl. */
#include "compat.h"
#include "errno.h"
#include "fasync.h"
#include "fcntl.h"
#include "fd.h"
#include "fs.h"
#include "posix_lock.h"
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
    struct file *f = fdget_raw(oldfd);
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
    struct file *f = fdget_raw(oldfd);
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
        struct file *f = fdget_raw(oldfd);
        fdput(f);
        return f ? newfd : -EBADF;
    }
    return do_dup3(oldfd, newfd, 0);
}

#define FD_CLOEXEC 1
/* The status flags F_SETFL may change; the access mode and creation flags
 * stay, and O_ASYNC is fasync_set's, which keeps it only on a file that notifies. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | 040000 /* O_DIRECT */ | 01000000 /* O_NOATIME */)

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
    case F_SETFL: {
        bool async = arg & O_ASYNC;
        if (async != !!(f->flags & O_ASYNC)) {
            int err = fasync_set(f, fd, async);
            if (err)
                return err;
        }
        f->flags = (f->flags & ~SETFL_MASK) | ((u32)arg & SETFL_MASK);
        return 0;
    }
    case F_SETOWN:
    case F_GETOWN:
    case F_SETSIG:
    case F_GETSIG:
    case F_SETOWN_EX:
    case F_GETOWN_EX:
        return fasync_fcntl(f, cmd, arg);
    case F_SETLEASE:
    case F_GETLEASE:
        return lease_fcntl(f, fd, cmd, arg);
    case F_GETLK:
        return fcntl_lock(f, cmd, (void __user *)arg, LOCK_POSIX_GET, false);
    case F_SETLK:
        return fcntl_lock(f, cmd, (void __user *)arg, LOCK_POSIX_SET, false);
    case F_SETLKW:
        return fcntl_lock(f, cmd, (void __user *)arg, LOCK_POSIX_SETW, false);
    case F_GETLK64:
    case F_SETLK64:
    case F_SETLKW64:
        if (!in_compat_syscall())
            return -EINVAL; /* 32-bit programs' commands */
        return fcntl_lock(f, cmd, (void __user *)arg,
                          cmd == F_GETLK64 ? LOCK_POSIX_GET : cmd == F_SETLK64 ? LOCK_POSIX_SET : LOCK_POSIX_SETW, true);
    case F_SETPIPE_SZ:
    case F_GETPIPE_SZ:
        return pipe_fcntl(f, cmd, (u32)arg);
    case F_ADD_SEALS:
    case F_GET_SEALS:
        return memfd_fcntl(f, cmd, (u32)arg);
    case F_OFD_GETLK:
        return fcntl_lock(f, cmd, (void __user *)arg, LOCK_OFD_GET, true);
    case F_OFD_SETLK:
        return fcntl_lock(f, cmd, (void __user *)arg, LOCK_OFD_SET, true);
    case F_OFD_SETLKW:
        return fcntl_lock(f, cmd, (void __user *)arg, LOCK_OFD_SETW, true);
    default:
        return -EINVAL;
    }
}

/* What an O_PATH descriptor allows (Linux's check_fcntl_cmd). */
static bool fcntl_allowed_on_path(unsigned cmd)
{
    return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD || cmd == F_GETFL;
}

long sys_fcntl(int fd, unsigned cmd, u64 arg)
{
    struct file *f = fdget_raw(fd);
    if (!f)
        return -EBADF;
    if ((f->flags & O_PATH) && !fcntl_allowed_on_path(cmd)) {
        fdput(f);
        return -EBADF;
    }
    long ret = fcntl_file(f, fd, cmd, arg);
    fdput(f);
    return ret;
}

/* i386's old fcntl (55): the struct flock64 commands are fcntl64's only. */
long compat_sys_fcntl(int fd, unsigned cmd, u32 arg)
{
    if (cmd == F_GETLK64 || cmd == F_SETLK64 || cmd == F_SETLKW64 || cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
        cmd == F_OFD_SETLKW)
        return -EINVAL;
    return sys_fcntl(fd, cmd, arg);
}
