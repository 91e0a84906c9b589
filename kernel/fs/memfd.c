/*
 * memfd_create and file seals (F_ADD_SEALS, F_GET_SEALS), as Linux's
 * mm/memfd.c: a memfd is an unnamed tmpfs file ("/memfd:NAME (deleted)" in
 * /proc/PID/fd), mode 0777, whose seals forbid what they name from then on:
 * shrinking, growing, writing (refused while a writable shared mapping
 * exists), and adding seals. Only memfds have seals; a memfd made without
 * MFD_ALLOW_SEALING starts with F_SEAL_SEAL.
 */
#include "cred.h"
#include "errno.h"
#include "fcntl.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "uaccess.h"

#define MFD_CLOEXEC 0x1
#define MFD_ALLOW_SEALING 0x2
#define MFD_HUGETLB 0x4
#define MFD_NOEXEC_SEAL 0x8
#define MFD_EXEC 0x10
#define MFD_NAME_MAX 249 /* NAME_MAX less "memfd:" */
#define MFD_PREFIX "/memfd:"


long sys_memfd_create(const char __user *uname, u32 flags)
{
    if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC))
        return -EINVAL; /* MFD_HUGETLB too: sysgate has no huge pages */
    if ((flags & MFD_NOEXEC_SEAL) && (flags & MFD_EXEC))
        return -EINVAL;
    char name[MFD_NAME_MAX + 2];
    long len = strncpy_from_user(name, uname, sizeof(name));
    if (len == -ENAMETOOLONG || len > MFD_NAME_MAX)
        return -EINVAL;
    if (len < 0)
        return len;
    char *display = kmalloc(sizeof(MFD_PREFIX) + (size_t)len);
    struct inode *inode = display ? inode_create_detached(S_IFREG | 0777) : NULL;
    if (!inode) {
        kfree(display);
        return -ENOMEM;
    }
    memcpy(display, MFD_PREFIX, sizeof(MFD_PREFIX) - 1);
    memcpy(display + sizeof(MFD_PREFIX) - 1, name, (size_t)len + 1);
    inode->uid = current_cred()->fsuid;
    inode->gid = current_cred()->fsgid;
    inode->unnamed_path = display;
    inode->sealable = true;
    inode->seals = flags & MFD_ALLOW_SEALING ? 0 : F_SEAL_SEAL;
    if (flags & MFD_NOEXEC_SEAL) {
        inode->mode &= ~0111u;
        inode->seals |= F_SEAL_EXEC;
    }
    struct file *f;
    int err = file_open(inode, O_RDWR | O_LARGEFILE, &f);
    if (err) {
        inode_release(inode);
        return err;
    }
    int fd = fd_install(f, 0, flags & MFD_CLOEXEC);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* Whether a writable shared mapping of the inode exists in any process. */
static bool mapped_writable(struct inode *inode)
{
    for (struct task *t = task_first(); t; t = t->next_task) {
        if (!t->mm || t->group_leader != t)
            continue;
        for (struct vma *v = t->mm->vmas; v; v = v->next)
            if (v->file == inode && (v->flags & MAP_TYPE) == MAP_SHARED && (v->prot & PROT_WRITE))
                return true;
    }
    return false;
}

long memfd_fcntl(struct file *f, unsigned cmd, u32 seals)
{
    struct inode *inode = f->inode;
    if (!inode->sealable)
        return -EINVAL;
    if (cmd == F_GET_SEALS)
        return inode->seals;
    if (seals & ~F_SEAL_ALL)
        return -EINVAL;
    if ((f->flags & O_ACCMODE) == O_RDONLY || (inode->seals & F_SEAL_SEAL))
        return -EPERM;
    if ((seals & F_SEAL_WRITE) && !(inode->seals & F_SEAL_WRITE) && mapped_writable(inode))
        return -EBUSY;
    inode->seals |= seals;
    return 0;
}

int seals_allow_write(struct inode *inode, u64 pos, u64 len)
{
    if (inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
        return -EPERM;
    if ((inode->seals & F_SEAL_GROW) && pos + len > inode->size)
        return -EPERM;
    return 0;
}

int seals_allow_resize(struct inode *inode, u64 size)
{
    if (size < inode->size && (inode->seals & F_SEAL_SHRINK))
        return -EPERM;
    if (size > inode->size && (inode->seals & F_SEAL_GROW))
        return -EPERM;
    return 0;
}
