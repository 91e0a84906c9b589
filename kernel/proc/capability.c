/*
 * capget and capset (Linux's kernel/capability.c and the checks of
 * security/commoncap.c's cap_capset): the three capability sets of a task
 * in the v1 (one 32-bit word) or v2/v3 (two words) layout.
 */
#include "cred.h"
#include "errno.h"
#include "proc.h"
#include "uaccess.h"

#define CAP_VERSION_1 0x19980330
#define CAP_VERSION_2 0x20071026
#define CAP_VERSION_3 0x20080522

struct cap_header {
    u32 version;
    int pid;
};

struct cap_data {
    u32 effective, permitted, inheritable;
};

/* How many 32-bit words the header's version carries; an unknown version is
 * answered with the one sysgate prefers, written back to the header. */
static long cap_words(struct cap_header __user *header, int *words)
{
    u32 version;
    if (get_user(version, &header->version))
        return -EFAULT;
    if (version == CAP_VERSION_1) {
        *words = 1;
        return 0;
    }
    if (version == CAP_VERSION_2 || version == CAP_VERSION_3) {
        *words = 2;
        return 0;
    }
    u32 preferred = CAP_VERSION_3;
    if (put_user(preferred, &header->version))
        return -EFAULT;
    return -EINVAL;
}

long sys_capget(struct cap_header __user *header, struct cap_data __user *data)
{
    int words = 0;
    long err = cap_words(header, &words);
    if (!data || err)
        return !data && err == -EINVAL ? 0 : err;
    int pid;
    if (get_user(pid, &header->pid))
        return -EFAULT;
    if (pid < 0)
        return -EINVAL;
    const struct cred *c = current_cred();
    if (pid && pid != current_task()->pid) {
        struct task *t = task_find(pid);
        if (!t)
            return -ESRCH;
        c = task_cred(t);
    }
    struct cap_data out[2];
    for (int i = 0; i < 2; i++)
        out[i] = (struct cap_data){(u32)(c->cap_effective >> (32 * i)), (u32)(c->cap_permitted >> (32 * i)),
                                   (u32)(c->cap_inheritable >> (32 * i))};
    return copy_to_user(data, out, (size_t)words * sizeof(out[0])) ? -EFAULT : 0;
}

static bool subset(u64 a, u64 b) { return !(a & ~b); }

long sys_capset(struct cap_header __user *header, const struct cap_data __user *data)
{
    int words = 0;
    long err = cap_words(header, &words);
    if (err)
        return err;
    int pid;
    if (get_user(pid, &header->pid))
        return -EFAULT;
    if (pid != 0 && pid != current_task()->pid)
        return -EPERM;
    struct cap_data in[2] = {0};
    if (copy_from_user(in, data, (size_t)words * sizeof(in[0])))
        return -EFAULT;
    u64 effective = ((u64)in[1].effective << 32 | in[0].effective) & CAP_FULL_SET;
    u64 permitted = ((u64)in[1].permitted << 32 | in[0].permitted) & CAP_FULL_SET;
    u64 inheritable = ((u64)in[1].inheritable << 32 | in[0].inheritable) & CAP_FULL_SET;
    const struct cred *old = current_cred();
    if (!capable(CAP_SETPCAP) && !subset(inheritable, old->cap_inheritable | old->cap_permitted))
        return -EPERM;
    if (!subset(inheritable, old->cap_inheritable | old->cap_bset))
        return -EPERM;
    if (!subset(permitted, old->cap_permitted))
        return -EPERM;
    if (!subset(effective, permitted))
        return -EPERM;
    struct cred *new = cred_prepare();
    if (!new)
        return -ENOMEM;
    new->cap_effective = effective;
    new->cap_permitted = permitted;
    new->cap_inheritable = inheritable;
    new->cap_ambient &= permitted & inheritable;
    cred_commit(new);
    return 0;
}
