/*
 * The classic custom system calls of the Linux 0.11 lab (SPEC section 6):
 * iam() stores one system-wide name of at most 23 characters, whoami() reads
 * it back, kstack_size() tells the size of the caller's kernel stack. Their
 * numbers sit in ranges Linux leaves permanently empty.
 */
#include "errno.h"
#include "layout.h"
#include "lib.h"
#include "spinlock.h"
#include "uaccess.h"

#define NAME_MAX_CHARS 23

static char stored_name[NAME_MAX_CHARS + 1];
static struct spinlock name_lock;

long sys_iam(const char __user *name)
{
    char buf[NAME_MAX_CHARS + 1];
    long len = strncpy_from_user(buf, name, sizeof(buf));
    if (len == -ENAMETOOLONG)
        return -EINVAL; /* too long: the stored name stays as it was */
    if (len < 0)
        return len;
    u64 flags = spin_lock_irqsave(&name_lock);
    memcpy(stored_name, buf, (size_t)len + 1);
    spin_unlock_irqrestore(&name_lock, flags);
    return len;
}

long sys_whoami(char __user *name, unsigned size)
{
    char snapshot[NAME_MAX_CHARS + 1];
    u64 flags = spin_lock_irqsave(&name_lock);
    memcpy(snapshot, stored_name, sizeof(snapshot));
    spin_unlock_irqrestore(&name_lock, flags);
    size_t len = strlen(snapshot);
    if (size < len + 1)
        return -EINVAL;
    if (copy_to_user(name, snapshot, len + 1))
        return -EFAULT;
    return (long)len;
}

long sys_kstack_size(void) { return KERNEL_STACK_SIZE; }
