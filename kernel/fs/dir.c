/* Reading directories: getdents64, with "." and ".." first, as Linux gives them. */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "uaccess.h"

#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

static u8 dirent_type(u32 mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR: return DT_DIR;
    case S_IFREG: return DT_REG;
    case S_IFLNK: return DT_LNK;
    case S_IFCHR: return DT_CHR;
    case S_IFIFO: return DT_FIFO;
    default: return 0;
    }
}

struct linux_dirent64_head {
    u64 d_ino;
    s64 d_off;
    u16 d_reclen;
    u8 d_type;
} __attribute__((packed));

/* The file position counts entries: 0 is ".", 1 "..", then the children. */
static long getdents_file(struct file *f, void __user *buf, u32 count)
{
    struct inode *dir = f->inode;
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (dir->nlink == 0)
        return -ENOENT;
    u32 written = 0;
    u64 index = 0;
    struct dirent_node *d = dir->children;
    for (;; index++) {
        const char *name;
        struct inode *inode;
        if (index == 0)
            name = ".", inode = dir;
        else if (index == 1)
            name = "..", inode = dir->parent;
        else if (d) {
            name = d->name, inode = d->inode;
            d = d->next;
        } else
            break;
        if (index < f->pos)
            continue;
        size_t namelen = strlen(name);
        u16 reclen = (u16)ALIGN_UP(sizeof(struct linux_dirent64_head) + namelen + 1, 8);
        if (written + reclen > count)
            return written ? (long)written : -EINVAL;
        struct linux_dirent64_head head = {inode->ino, (s64)(index + 1), reclen, dirent_type(inode->mode)};
        u8 __user *at = (u8 __user *)buf + written;
        if (copy_to_user(at, &head, sizeof(head)) ||
            copy_to_user(at + sizeof(head), name, namelen + 1) ||
            clear_user(at + sizeof(head) + namelen + 1, reclen - sizeof(head) - namelen - 1))
            return -EFAULT;
        written += reclen;
        f->pos = index + 1;
    }
    return written;
}

long sys_getdents64(int fd, void __user *buf, u32 count)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long written = getdents_file(f, buf, count);
    fdput(f);
    return written;
}
