/* ioctl: a few commands every open file takes (Linux's do_vfs_ioctl), then
 * each file's driver decides; files without one are not terminals. */
#include "errno.h"
#include "fasync.h"
#include "net.h"
#include "fd.h"
#include "fs.h"
#include "uaccess.h"

#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452
#define FIOSETOWN 0x8901
#define SIOCSPGRP 0x8902
#define FIOGETOWN 0x8903
#define SIOCGPGRP 0x8904

/* The commands that concern the descriptor or the open file itself: their
 * result, or 1 for a command that is the driver's. */
static long generic_ioctl(int fd, struct file *f, unsigned cmd, u64 arg)
{
    switch (cmd) {
    case FIOCLEX:
    case FIONCLEX:
        fd_set_cloexec(fd, cmd == FIOCLEX);
        return 0;
    case FIONBIO: {
        int on;
        if (get_user(on, (const int __user *)arg))
            return -EFAULT;
        if (on)
            f->flags |= O_NONBLOCK;
        else
            f->flags &= ~O_NONBLOCK;
        return 0;
    }
    case FIOASYNC:
        return fasync_ioctl_async(f, fd, (const int __user *)arg);
    case FIOSETOWN:
    case SIOCSPGRP:
    case FIOGETOWN:
    case SIOCGPGRP:
        if (!socket_of_file(f))
            return 1; /* a socket's own (Linux's sock_ioctl) */
        return fasync_ioctl_owner(f, cmd == FIOSETOWN || cmd == SIOCSPGRP, (int __user *)arg);
    default:
        return 1;
    }
}

long sys_ioctl(int fd, unsigned cmd, u64 arg)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long ret = generic_ioctl(fd, f, cmd, arg);
    if (ret == 1)
        ret = f->ops && f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
    fdput(f);
    return ret;
}
