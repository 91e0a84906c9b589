/* ioctl: each open file's driver decides; files without one are not terminals. */
#include "errno.h"
#include "fd.h"
#include "fs.h"

long sys_ioctl(int fd, unsigned cmd, u64 arg)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long ret = f->ops && f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
    fdput(f);
    return ret;
}
