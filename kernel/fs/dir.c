/* Reading directories: getdents64 and the old getdents, with "." and ".." first, as Linux gives them. */
#include "compat.h"
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

/* The old getdents's struct linux_dirent: the ABI's longs, the type in the
 * record's last byte after the name. */
struct linux_dirent_head {
    u64 d_ino, d_off;
    u16 d_reclen;
} __attribute__((packed));
struct compat_linux_dirent_head {
    u32 d_ino, d_off;
    u16 d_reclen;
} __attribute__((packed));

enum dirent_format { DIRENT64, DIRENT_OLD, DIRENT_OLD_COMPAT };

struct getdents_context {
    struct dir_context ctx;
    enum dirent_format format;
    u8 __user *buf;
    u32 count, written;
    int err;
};

/* The record's head in `head` (its size returned) and the record's size. */
static size_t dirent_head(const struct getdents_context *g, u8 *head, size_t namelen, u64 ino, u64 next, u32 mode,
                          u16 *reclen)
{
    switch (g->format) {
    case DIRENT64: {
        *reclen = (u16)ALIGN_UP(sizeof(struct linux_dirent64_head) + namelen + 1, 8);
        struct linux_dirent64_head h = {ino, (s64)next, *reclen, dirent_type(mode)};
        memcpy(head, &h, sizeof(h));
        return sizeof(h);
    }
    case DIRENT_OLD: {
        *reclen = (u16)ALIGN_UP(sizeof(struct linux_dirent_head) + namelen + 2, 8);
        struct linux_dirent_head h = {ino, next, *reclen};
        memcpy(head, &h, sizeof(h));
        return sizeof(h);
    }
    default: {
        *reclen = (u16)ALIGN_UP(sizeof(struct compat_linux_dirent_head) + namelen + 2, 4);
        struct compat_linux_dirent_head h = {(u32)ino, (u32)next, *reclen};
        memcpy(head, &h, sizeof(h));
        return sizeof(h);
    }
    }
}

/* One record into the caller's buffer; d_off is the next entry's position. */
static bool getdents_emit(struct dir_context *ctx, const char *name, size_t namelen, u64 ino, u32 mode)
{
    struct getdents_context *g = container_of(ctx, struct getdents_context, ctx);
    if (g->format == DIRENT_OLD_COMPAT && ino > 0xffffffffu) {
        g->err = -EOVERFLOW; /* an inode number a 32-bit d_ino cannot hold */
        return false;
    }
    u8 head[sizeof(struct linux_dirent64_head)];
    u16 reclen;
    size_t head_size = dirent_head(g, head, namelen, ino, ctx->pos + 1, mode, &reclen);
    if (g->written + reclen > g->count) {
        if (!g->written)
            g->err = -EINVAL;
        return false;
    }
    u8 __user *at = g->buf + g->written;
    size_t name_end = head_size + namelen;
    u8 type = dirent_type(mode);
    if (copy_to_user(at, head, head_size) || copy_to_user(at + head_size, name, namelen) ||
        clear_user(at + name_end, reclen - name_end) ||
        (g->format != DIRENT64 && copy_to_user(at + reclen - 1, &type, 1))) {
        g->err = -EFAULT;
        return false;
    }
    g->written += reclen;
    return true;
}

/* The file position is the directory's own (entry positions: 0 is ".", 1
 * "..", the file system's from 2): getdents goes through its iterate. */
static long getdents_file(struct file *f, void __user *buf, u32 count, enum dirent_format format)
{
    struct inode *dir = f->inode;
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (dir->nlink == 0)
        return -ENOENT;
    if (!f->ops || !f->ops->iterate)
        return -ENOTDIR;
    struct getdents_context g = {
        .ctx = {.emit = getdents_emit, .pos = f->pos}, .format = format, .buf = buf, .count = count};
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

static long getdents_fd(int fd, void __user *buf, u32 count, enum dirent_format format)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long written = getdents_file(f, buf, count, format);
    fdput(f);
    return written;
}

long sys_getdents64(int fd, void __user *buf, u32 count) { return getdents_fd(fd, buf, count, DIRENT64); }

/* The old getdents, in the calling ABI's struct linux_dirent. */
long sys_getdents(int fd, void __user *buf, u32 count)
{
    return getdents_fd(fd, buf, count, in_compat_syscall() ? DIRENT_OLD_COMPAT : DIRENT_OLD);
}
