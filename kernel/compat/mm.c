/* The i386 forms of mmap. */
#include "compat.h"
#include "errno.h"
#include "layout.h"
#include "uaccess.h"

long sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, int fd, u64 offset);

/* mmap2 counts the offset in pages, so 32-bit programs reach files past 4 GiB. */
long compat_sys_mmap2(u32 addr, u32 len, u32 prot, u32 flags, int fd, u32 pgoff)
{
    return sys_mmap(addr, len, prot, flags, fd, (u64)pgoff * PAGE_SIZE);
}

struct compat_mmap_args {
    u32 addr, len, prot, flags, fd, offset;
};

/* The oldest i386 mmap takes its six arguments in a structure in memory. */
long compat_sys_old_mmap(const struct compat_mmap_args __user *uargs)
{
    struct compat_mmap_args a;
    if (copy_from_user(&a, uargs, sizeof(a)))
        return -EFAULT;
    if (a.offset & (PAGE_SIZE - 1))
        return -EINVAL;
    return sys_mmap(a.addr, a.len, a.prot, a.flags, (int)a.fd, a.offset);
}
