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

struct getdents_context {
    struct dir_context ctx;
    u8 __user *buf;
    u32 count, written;
    int err;
};

/* One linux_dirent64 into the caller's buffer; d_off is the next entry's position. */
static bool getdents_emit(struct dir_context *ctx, const char *name, size_t namelen, u64 ino, u32 mode)
{
    struct getdents_context *g = container_of(ctx, struct getdents_context, ctx);
    u16 reclen = (u16)ALIGN_UP(sizeof(struct linux_dirent64_head) + namelen + 1, 8);
    if (g->written + reclen > g->count) {
        if (!g->written)
            g->err = -EINVAL;
        return false;
    }
    struct linux_dirent64_head head = {ino, (s64)(ctx->pos + 1), reclen, dirent_type(mode)};
    u8 __user *at = g->buf + g->written;
    static const u8 nul = 0;
    if (copy_to_user(at, &head, sizeof(head)) || copy_to_user(at + sizeof(head), name, namelen) ||
        copy_to_user(at + sizeof(head) + namelen, &nul, 1) ||
        clear_user(at + sizeof(head) + namelen + 1, reclen - sizeof(head) - namelen - 1)) {
        g->err = -EFAULT;
        return false;
    }
    g->written += reclen;
    return true;
}

/* The file position is the directory's own (entry positions: 0 is ".", 1
 * "..", the file system's from 2): getdents goes through its iterate. */
static long getdents_file(struct file *f, void __user *buf, u32 count)
{
    struct inode *dir = f->inode;
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (dir->nlink == 0)
        return -ENOENT;
    if (!f->ops || !f->ops->iterate)
        return -ENOTDIR;
    struct getdents_context g = {.ctx = {.emit = getdents_emit, .pos = f->pos}, .buf = buf, .count = count};
    if (g.ctx.pos == 0 && getdents_emit(&g.ctx, ".", 1, dir->ino, dir->mode))
        g.ctx.pos = 1;
    if (g.ctx.pos == 1 && getdents_emit(&g.ctx, "..", 2, dir->parent->ino, dir->parent->mode))
        g.ctx.pos = 2;
    if (g.ctx.pos >= 2 && !g.err) {
        int err = f->ops->iterate(dir, &g.ctx);
        if (err && !g.written)
            return err;
    }
    f->pos = g.ctx.pos;
    if (g.err && !g.written)
        return g.err;
    return g.written;
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
