/* ioctl: each open file's driver decides; files without one are not terminals. */
#include "errno.h"
#include "fd.h"
#include "fs.h"

long sys_ioctl(int fd, unsigned cmd, u64 arg)
{
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    if (!f->ops || !f->ops->ioctl)
        return -ENOTTY;
    return f->ops->ioctl(f, cmd, arg);
}
