/*
 * Copying between the kernel and user memory. Every system call goes through
 * these: a pointer that is not a user address (kernel, non-canonical, past the
 * end of user space) or that faults gives -EFAULT, never a kernel crash. A fault
 * in the middle of a copy lands in the exception table (traps.c), which resumes
 * after the copy with the count of bytes left.
 */
#ifndef SYSGATE_UACCESS_H
#define SYSGATE_UACCESS_H

#include "layout.h"
#include "types.h"

static inline bool user_range_ok(u64 addr, u64 size)
{
    return addr <= USER_TOP && size <= USER_TOP - addr;
}

/* Each returns 0 or -EFAULT. */
int copy_from_user(void *dst, const void __user *src, size_t size);
int copy_to_user(void __user *dst, const void *src, size_t size);
int clear_user(void __user *dst, size_t size);
/* Copies a NUL-terminated string of at most max-1 characters; returns its
 * length, -EFAULT, or -ENAMETOOLONG when no NUL came within max bytes. */
long strncpy_from_user(char *dst, const char __user *src, size_t max);

/* An atomic compare-and-exchange on a user word (futexes): the value found
 * goes to *found; 0, or -EFAULT for a bad or misaligned address. */
int user_cmpxchg_u32(u32 __user *uaddr, u32 expected, u32 desired, u32 *found);

#define get_user(kvar, uptr) copy_from_user(&(kvar), (uptr), sizeof(kvar))
#define put_user(kval, uptr)                                                         \
    ({                                                                               \
        __typeof__(*(uptr)) _v = (kval);                                             \
        copy_to_user((uptr), &_v, sizeof(_v));                                       \
    })

void uaccess_init(bool smap);
void user_access_end(void); /* clac where SMAP exists */

#endif
