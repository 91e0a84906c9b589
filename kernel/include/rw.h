/* Reading and writing shared by the ABIs' entry points. */
#ifndef SYSGATE_RW_H
#define SYSGATE_RW_H

#include "types.h"

#define IOV_MAX 1024

struct iovec {
    u64 base;
    u64 len;
};

long vector_io(int fd, const struct iovec *vec, int count, bool writing);
/* `count` iovecs of the caller's ABI into the kernel's layout: 0, -EINVAL or -EFAULT. */
int iovecs_from_user(const void __user *uvec, int count, struct iovec *vec);
long do_lseek(int fd, s64 offset, unsigned whence);
long sys_pread64(int fd, char __user *buf, size_t len, s64 offset);
long sys_pwrite64(int fd, const char __user *buf, size_t len, s64 offset);

#endif
