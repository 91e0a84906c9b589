/* read, write and their vector and positioned forms; lseek; sendfile. */
#include "compat.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "fsnotify.h"
#include "rw.h"
#include "lib.h"
#include "proc.h"
#include "uaccess.h"

#define MAX_RW_COUNT 0x7ffff000l /* Linux caps one transfer at this */
#define IOV_MAX 1024


static ssize_t do_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (!f->ops || !f->ops->read)
        return -EINVAL;
    if (!user_range_ok((u64)buf, len))
        return -EFAULT;
    ssize_t n = f->ops->read(f, buf, MIN(len, (size_t)MAX_RW_COUNT), pos);
    if (n > 0)
        fsnotify_access(f->inode);
    return n;
}

static ssize_t do_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (!f->ops || !f->ops->write)
        return -EINVAL;
    if (!user_range_ok((u64)buf, len))
        return -EFAULT;
    len = MIN(len, (size_t)MAX_RW_COUNT);
    if (S_ISREG(f->inode->mode) && len) {
        long allowed = rlimit_fsize_check(f->flags & O_APPEND ? f->inode->size : *pos, len);
        if (allowed < 0)
            return allowed;
        len = (size_t)allowed;
    }
    ssize_t n = f->ops->write(f, buf, len, pos);
    if (n > 0)
        fsnotify_modify(f->inode);
    return n;
}

long sys_read(int fd, char __user *buf, size_t len)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long n = do_read(f, buf, len, &f->pos);
    fdput(f);
    return n;
}

long sys_write(int fd, const char __user *buf, size_t len)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long n = do_write(f, buf, len, &f->pos);
    fdput(f);
    return n;
}

/* What pread and pwrite accept: files with a position, and devices that are
 * not streams (Linux's FMODE_PREAD: /dev/zero, /dev/cpu/N/msr; not a tty). */
static bool seekable(struct file *f)
{
    return S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode) || (S_ISCHR(f->inode->mode) && !f->ops->stream);
}

/* pread64 and pwrite64: at an offset, leaving the file position alone. */
static long positioned_io(int fd, char __user *buf, size_t len, s64 offset, bool writing)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long n;
    u64 pos = (u64)offset;
    if (offset < 0)
        n = -EINVAL;
    else if (!seekable(f))
        n = -ESPIPE;
    else
        n = writing ? do_write(f, buf, len, &pos) : do_read(f, buf, len, &pos);
    fdput(f);
    return n;
}

long sys_pread64(int fd, char __user *buf, size_t len, s64 offset)
{
    return positioned_io(fd, buf, len, offset, false);
}

long sys_pwrite64(int fd, const char __user *buf, size_t len, s64 offset)
{
    return positioned_io(fd, (char __user *)buf, len, offset, true);
}

/* readv/writev over an iovec array already in the kernel (each ABI copies in its own layout), at *pos. */
static long vector_io_file(struct file *f, const struct iovec *vec, int count, u64 *pos, bool writing)
{
    u64 total = 0;
    for (int i = 0; i < count; i++) {
        if ((s64)vec[i].len < 0 || vec[i].len > (u64)MAX_RW_COUNT - total)
            return -EINVAL;
        total += vec[i].len;
    }
    long done = 0;
    for (int i = 0; i < count; i++) {
        if (!vec[i].len)
            continue;
        ssize_t n = writing ? do_write(f, (const char __user *)vec[i].base, vec[i].len, pos)
                            : do_read(f, (char __user *)vec[i].base, vec[i].len, pos);
        if (n < 0)
            return done ? done : n;
        done += n;
        if ((u64)n < vec[i].len)
            break;
    }
    return done;
}

long vector_io(int fd, const struct iovec *vec, int count, bool writing)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long done = vector_io_file(f, vec, count, &f->pos, writing);
    fdput(f);
    return done;
}

struct compat_iovec {
    u32 base;
    u32 len;
};

int iovecs_from_user(const void __user *uvec, int count, struct iovec *vec)
{
    if (count < 0 || count > IOV_MAX)
        return -EINVAL;
    if (!in_compat_syscall())
        return copy_from_user(vec, uvec, count * sizeof(struct iovec)) ? -EFAULT : 0;
    const struct compat_iovec __user *cvec = uvec;
    for (int i = 0; i < count; i++) {
        struct compat_iovec c;
        if (copy_from_user(&c, &cvec[i], sizeof(c)))
            return -EFAULT;
        if ((s32)c.len < 0)
            return -EINVAL;
        vec[i] = (struct iovec){c.base, c.len};
    }
    return 0;
}

#define RWF_HIPRI 0x01 /* a polling hint */
#define RWF_DSYNC 0x02 /* with RWF_SYNC: nothing to write back, all is in memory */
#define RWF_SYNC 0x04
#define RWF_NOWAIT 0x08
#define RWF_APPEND 0x10
#define RWF_NOAPPEND 0x20
#define RWF_ATOMIC 0x40
#define RWF_DONTCACHE 0x80
#define RWF_SUPPORTED (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND | RWF_ATOMIC | RWF_DONTCACHE)

/* Linux's kiocb_set_rw_flags. RWF_ATOMIC and RWF_DONTCACHE are refused as
 * tmpfs refuses them. */
static long rw_flags_check(int flags)
{
    if (flags & ~RWF_SUPPORTED)
        return -EOPNOTSUPP;
    if ((flags & RWF_APPEND) && (flags & RWF_NOAPPEND))
        return -EINVAL;
    if (flags & (RWF_ATOMIC | RWF_DONTCACHE))
        return -EOPNOTSUPP;
    return 0;
}

/* The file as one preadv2 or pwritev2 sees it: RWF_APPEND and RWF_NOAPPEND
 * set or clear O_APPEND, RWF_NOWAIT adds O_NONBLOCK, for that call alone
 * (Linux carries them in the kiocb; the drivers here read the file's flags).
 * Only for regular files and pipes, whose calls use nothing else of it. */
static struct file *per_call_view(struct file *f, int rwflags, struct file *view)
{
    bool regular = S_ISREG(f->inode->mode), pipe = S_ISFIFO(f->inode->mode);
    u32 flags = f->flags;
    if (regular && (rwflags & RWF_APPEND))
        flags |= O_APPEND;
    if (regular && (rwflags & RWF_NOAPPEND))
        flags &= ~O_APPEND;
    if (pipe && (rwflags & RWF_NOWAIT))
        flags |= O_NONBLOCK;
    if (flags == f->flags)
        return f;
    *view = *f;
    view->flags = flags;
    return view;
}

/* readv, writev, and preadv, pwritev at `pos` (NULL: the file's position),
 * checked in Linux's order: the offset, the descriptor, its access mode,
 * then the iovecs; preadv2's and pwritev2's flags after those, once there
 * is something to transfer. */
static long do_vector_io_flags(int fd, const void __user *uvec, int count, const s64 *pos, bool writing, int rwflags)
{
    if (pos && *pos < 0)
        return -EINVAL;
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    u64 at = pos ? (u64)*pos : 0;
    long ret;
    if (pos && !seekable(f))
        ret = -ESPIPE;
    else if ((f->flags & O_ACCMODE) == (writing ? O_RDONLY : O_WRONLY))
        ret = -EBADF;
    else if (count < 0 || count > IOV_MAX)
        ret = -EINVAL;
    else {
        struct iovec vec[count ? count : 1];
        ret = iovecs_from_user(uvec, count, vec);
        u64 total = 0;
        for (int i = 0; !ret && i < count; i++)
            total |= vec[i].len;
        if (!ret && total)
            ret = rw_flags_check(rwflags);
        if (!ret) {
            struct file view;
            ret = vector_io_file(per_call_view(f, rwflags, &view), vec, count, pos ? &at : &f->pos, writing);
        }
    }
    fdput(f);
    return ret;
}

static long do_vector_io(int fd, const void __user *uvec, int count, const s64 *pos, bool writing)
{
    return do_vector_io_flags(fd, uvec, count, pos, writing, 0);
}

/* Both ABIs' (the iovecs' layout follows in_compat_syscall()). */
long sys_readv(int fd, const void __user *vec, int count) { return do_vector_io(fd, vec, count, NULL, false); }
long sys_writev(int fd, const void __user *vec, int count) { return do_vector_io(fd, vec, count, NULL, true); }

/* x86-64 passes the offset whole in pos_low (Linux's pos_from_hilo keeps
 * only it on a 64-bit kernel); i386 splits it over the two. */
static s64 offset_of(u64 pos_low, u64 pos_high)
{
    return in_compat_syscall() ? (s64)(((u64)(u32)pos_high << 32) | (u32)pos_low) : (s64)pos_low;
}

long sys_preadv(int fd, const void __user *vec, int count, u64 pos_low, u64 pos_high)
{
    s64 pos = offset_of(pos_low, pos_high);
    return do_vector_io(fd, vec, count, &pos, false);
}

long sys_pwritev(int fd, const void __user *vec, int count, u64 pos_low, u64 pos_high)
{
    s64 pos = offset_of(pos_low, pos_high);
    return do_vector_io(fd, vec, count, &pos, true);
}

/* An offset of -1: the file's position, as readv and writev. */
long sys_preadv2(int fd, const void __user *vec, int count, u64 pos_low, u64 pos_high, int flags)
{
    s64 pos = offset_of(pos_low, pos_high);
    return do_vector_io_flags(fd, vec, count, pos == -1 ? NULL : &pos, false, flags);
}

long sys_pwritev2(int fd, const void __user *vec, int count, u64 pos_low, u64 pos_high, int flags)
{
    s64 pos = offset_of(pos_low, pos_high);
    return do_vector_io_flags(fd, vec, count, pos == -1 ? NULL : &pos, true, flags);
}

/* The file system's llseek; without one, what Linux does for such a file:
 * a device ignores seeks, anything else without a position refuses them. */
static long lseek_file(struct file *f, s64 offset, unsigned whence)
{
    if (f->ops && f->ops->llseek)
        return f->ops->llseek(f, offset, whence);
    if (S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode))
        return generic_file_llseek(f, offset, whence);
    return S_ISCHR(f->inode->mode) && !f->ops->stream ? 0 : -ESPIPE; /* /dev/null and friends ignore seeks */
}

long do_lseek(int fd, s64 offset, unsigned whence)
{
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    long pos = lseek_file(f, offset, whence);
    fdput(f);
    return pos;
}

long sys_lseek(int fd, s64 offset, unsigned whence) { return do_lseek(fd, offset, whence); }


long map_file_window(struct inode *file, u64 offset, u64 len, u64 *window, u64 *window_size);

#define SENDFILE_WINDOW (1ul << 20)

/* One window of sendfile: a file with a page cache is mapped (its very
 * pages) and written from there; any other (/proc's, made on each read) is
 * read into a fresh window first. Returns bytes written or an errno. */
static long sendfile_window(struct file *in, struct file *out, u64 *pos, u64 chunk)
{
    bool cached = in->inode->mapping.ops != NULL;
    u64 window, window_size;
    long from = map_file_window(cached ? in->inode : NULL, cached ? *pos : 0, chunk, &window, &window_size);
    if (from < 0)
        return from;
    long n = (long)chunk;
    u64 read_pos = *pos;
    if (!cached)
        n = do_read(in, (char __user *)from, chunk, &read_pos);
    if (n > 0)
        n = do_write(out, (const char __user *)from, (size_t)n, &out->pos);
    vma_unmap(current_task()->mm, window, window + window_size);
    if (n > 0)
        *pos += (u64)n;
    return n;
}

/* sendfile from a regular file to any file, a window at a time.
 * `offset` NULL: from and advancing the source's own position. */
static long sendfile_files(struct file *in, struct file *out, s64 *offset, u64 count)
{
    if ((in->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if ((out->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (!S_ISREG(in->inode->mode) || (out->flags & O_APPEND))
        return -EINVAL;
    if (offset && *offset < 0)
        return -EINVAL;
    u64 pos = offset ? (u64)*offset : in->pos;
    count = MIN(count, (u64)MAX_RW_COUNT);
    if (in->inode->mapping.ops)
        count = MIN(count, in->inode->size - MIN(pos, in->inode->size)); /* generated files know their end by reading */
    long done = 0;
    while ((u64)done < count) {
        u64 chunk = MIN(count - (u64)done, SENDFILE_WINDOW);
        long n = sendfile_window(in, out, &pos, chunk);
        if (n <= 0) {
            if (!done)
                done = n;
            break;
        }
        done += n;
        if ((u64)n < chunk)
            break;
    }
    if (done > 0) {
        if (offset)
            *offset = (s64)pos;
        else
            in->pos = pos;
    }
    return done;
}

long do_sendfile(int out_fd, int in_fd, s64 *offset, u64 count)
{
    struct file *in = fdget(in_fd), *out = fdget(out_fd);
    long done = in && out ? sendfile_files(in, out, offset, count) : -EBADF;
    fdput(in);
    fdput(out);
    return done;
}

long sys_sendfile(int out_fd, int in_fd, s64 __user *uoffset, u64 count)
{
    s64 offset;
    if (uoffset && copy_from_user(&offset, uoffset, sizeof(offset)))
        return -EFAULT;
    long n = do_sendfile(out_fd, in_fd, uoffset ? &offset : NULL, count);
    if (uoffset && n >= 0 && copy_to_user(uoffset, &offset, sizeof(offset)))
        return -EFAULT;
    return n;
}
