#include "errno.h"
#include "uaccess.h"

static bool smap_enabled;

void uaccess_init(bool smap) { smap_enabled = smap; }

/* With SMAP on, the kernel may touch user pages only between stac and clac. */
static inline void user_access_begin(void)
{
    if (smap_enabled)
        __asm__ volatile("stac" ::: "memory");
}
void user_access_end(void)
{
    if (smap_enabled)
        __asm__ volatile("clac" ::: "memory");
}

/* rep movsb/stosb whose faults resume after the instruction with rcx = bytes left. */
static size_t guarded_movsb(void *dst, const void *src, size_t n)
{
    __asm__ volatile("1: rep movsb\n"
                     "2:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+D"(dst), "+S"(src), "+c"(n)
                     :
                     : "memory");
    return n;
}

static size_t guarded_stosb(void *dst, size_t n)
{
    __asm__ volatile("1: rep stosb\n"
                     "2:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+D"(dst), "+c"(n)
                     : "a"(0)
                     : "memory");
    return n;
}

int copy_from_user(void *dst, const void __user *src, size_t size)
{
    if (!user_range_ok((u64)src, size))
        return -EFAULT;
    user_access_begin();
    size_t left = guarded_movsb(dst, src, size);
    user_access_end();
    return left ? -EFAULT : 0;
}

int copy_to_user(void __user *dst, const void *src, size_t size)
{
    if (!user_range_ok((u64)dst, size))
        return -EFAULT;
    user_access_begin();
    size_t left = guarded_movsb(dst, src, size);
    user_access_end();
    return left ? -EFAULT : 0;
}

int clear_user(void __user *dst, size_t size)
{
    if (!user_range_ok((u64)dst, size))
        return -EFAULT;
    user_access_begin();
    size_t left = guarded_stosb(dst, size);
    user_access_end();
    return left ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        /* One page at a time would be faster; names are short. */
        if (copy_from_user(&dst[i], src + i, 1))
            return -EFAULT;
        if (!dst[i])
            return (long)i;
    }
    return -ENAMETOOLONG;
}
