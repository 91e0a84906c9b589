/*
 * Pipes: a ring buffer (64 KiB until F_SETPIPE_SZ resizes it) between a read
 * end and a write end, with Linux's rules: reads wait for data unless no writer is left (end of file),
 * writes wait for room unless no reader is left (EPIPE and SIGPIPE), writes
 * of at most PIPE_BUF bytes are never split, and O_NONBLOCK gives EAGAIN
 * instead of waiting. A FIFO is the same pipe reached by name: opening it
 * waits for the other end, as on Linux. Readers and writers sleep on the
 * pipe's two wait queues, and so do poll and select.
 *
 * An end counts as open while its open file lives: the counts drop when the
 * file is released (its last reference), not when a descriptor is closed, so
 * a read asleep in another thread keeps the read end open.
 */
#include "cred.h"
#include "errno.h"
#include "fasync.h"
#include "fcntl.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "tty.h" /* FIONREAD */
#include "uaccess.h"
#include "x86.h"

#define PIPE_DEFAULT_SIZE 65536 /* 16 pages, Linux's */
#define PIPE_BUF 4096

struct pipe {
    struct spinlock lock; /* everything below */
    u8 *buffer;
    u32 size;        /* the buffer's: F_SETPIPE_SZ changes it */
    u32 head, count; /* bytes at buffer[head ...], wrapping */
    use_count_t readers, writers; /* open files of each end */
    u32 reader_opens, writer_opens; /* counts that a waiting open watches */
    struct inode *inode;
    /* Readers wait for bytes or the last writer's close, and a FIFO's
     * reader-only open for a writer; writers wait for room or the last
     * reader's close, and a writer-only open for a reader. */
    struct wait_queue read_wait, write_wait;
};

static bool reads(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool writes(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }

static ssize_t pipe_read_locked(struct pipe *p, struct file *f, char __user *buf, size_t len)
{
    u64 flags = spin_lock_irqsave(&p->lock);
    while (p->count == 0) {
        if (use_count_read(&p->writers) == 0) {
            spin_unlock_irqrestore(&p->lock, flags);
            return 0;
        }
        if (f->flags & O_NONBLOCK) {
            spin_unlock_irqrestore(&p->lock, flags);
            return -EAGAIN;
        }
        fasync_notify(p, POLL_OUT);
        int err = wait_sleep(&p->read_wait, &p->lock, WAIT_NO_DEADLINE);
        if (err) {
            spin_unlock_irqrestore(&p->lock, flags);
            return err;
        }
    }
    size_t done = 0;
    while (done < len && p->count) {
        size_t chunk = MIN(MIN(len - done, (size_t)p->count), (size_t)(p->size - p->head));
        if (copy_to_user(buf + done, p->buffer + p->head, chunk)) {
            if (!done)
                done = (size_t)-EFAULT;
            break;
        }
        p->head = (p->head + chunk) % p->size;
        p->count -= (u32)chunk;
        done += chunk;
    }
    wake_up_all(&p->write_wait);
    spin_unlock_irqrestore(&p->lock, flags);
    return (ssize_t)done;
}

/* As Linux's, every read (even one that finds nothing) tells the O_ASYNC writers there may be room. */
static ssize_t pipe_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct pipe *p = f->private;
    if (len == 0)
        return 0;
    ssize_t ret = pipe_read_locked(p, f, buf, len);
    fasync_notify(p, POLL_OUT);
    return ret;
}

static ssize_t pipe_write_locked(struct pipe *p, struct file *f, const char __user *buf, size_t len)
{
    size_t done = 0;
    u64 flags = spin_lock_irqsave(&p->lock);
    while (done < len) {
        if (use_count_read(&p->readers) == 0) {
            spin_unlock_irqrestore(&p->lock, flags);
            signal_send_from_current(current_task(), SIGPIPE);
            return done ? (ssize_t)done : -EPIPE;
        }
        size_t room = p->size - p->count;
        /* Up to PIPE_BUF bytes go in one piece, or not at all yet. */
        bool must_wait = room == 0 || (len - done <= PIPE_BUF && room < len - done);
        if (must_wait) {
            if (f->flags & O_NONBLOCK) {
                spin_unlock_irqrestore(&p->lock, flags);
                return done ? (ssize_t)done : -EAGAIN;
            }
            fasync_notify(p, POLL_IN);
            int err = wait_sleep(&p->write_wait, &p->lock, WAIT_NO_DEADLINE);
            if (err) {
                spin_unlock_irqrestore(&p->lock, flags);
                return done ? (ssize_t)done : err;
            }
            continue;
        }
        size_t tail = (p->head + p->count) % p->size;
        size_t chunk = MIN(MIN(len - done, room), (size_t)(p->size - tail));
        if (copy_from_user(p->buffer + tail, buf + done, chunk)) {
            spin_unlock_irqrestore(&p->lock, flags);
            return done ? (ssize_t)done : -EFAULT;
        }
        p->count += (u32)chunk;
        done += chunk;
        wake_up_all(&p->read_wait);
    }
    spin_unlock_irqrestore(&p->lock, flags);
    return (ssize_t)done;
}

/* As Linux's, every write tells the O_ASYNC readers, even one that wrote nothing. */
static ssize_t pipe_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct pipe *p = f->private;
    if (len == 0)
        return 0;
    ssize_t ret = pipe_write_locked(p, f, buf, len);
    fasync_notify(p, POLL_IN);
    return ret;
}

/* The pipe goes once no end is open (its FIFO's name, if any, stays). */
static void pipe_destroy(struct pipe *p)
{
    p->inode->pipe = NULL;
    kfree(p->buffer);
    kfree(p);
}

static void pipe_release(struct file *f)
{
    struct pipe *p = f->private;
    if (!p)
        return; /* a FIFO whose open failed */
    u64 flags = spin_lock_irqsave(&p->lock);
    if (reads(f))
        use_count_put(&p->readers);
    if (writes(f))
        use_count_put(&p->writers);
    wake_up_all(&p->read_wait);
    wake_up_all(&p->write_wait);
    bool unused = use_count_read(&p->readers) == 0 && use_count_read(&p->writers) == 0;
    bool one_side_gone = !use_count_read(&p->readers) != !use_count_read(&p->writers);
    spin_unlock_irqrestore(&p->lock, flags);
    if (one_side_gone) {
        fasync_notify(p, POLL_IN);
        fasync_notify(p, POLL_OUT);
    }
    if (unused)
        pipe_destroy(p);
}

static unsigned pipe_poll(struct file *f, struct poll_table *table)
{
    struct pipe *p = f->private;
    if (reads(f))
        poll_wait(f, &p->read_wait, table);
    if (writes(f))
        poll_wait(f, &p->write_wait, table);
    unsigned events = 0;
    if (reads(f)) {
        if (p->count)
            events |= POLLIN | POLLRDNORM;
        if (use_count_read(&p->writers) == 0)
            events |= POLLHUP;
    }
    if (writes(f)) {
        if (p->count < p->size)
            events |= POLLOUT | POLLWRNORM;
        if (use_count_read(&p->readers) == 0)
            events |= POLLERR;
    }
    return events;
}

static long pipe_ioctl(struct file *f, unsigned cmd, u64 arg)
{
    if (cmd != FIONREAD)
        return -ENOTTY;
    struct pipe *p = f->private;
    u64 flags = spin_lock_irqsave(&p->lock);
    int count = (int)p->count;
    spin_unlock_irqrestore(&p->lock, flags);
    return put_user(count, (int __user *)arg) ? -EFAULT : 0;
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .ioctl = pipe_ioctl,
    .write = pipe_write,
    .release = pipe_release,
    .poll = pipe_poll,
    .stream = true,
    .fasync = true,
};

static struct pipe *pipe_create(struct inode *inode)
{
    struct pipe *p = kzalloc(sizeof(*p));
    u8 *buffer = kmalloc(PIPE_DEFAULT_SIZE);
    if (!p || !buffer) {
        kfree(p);
        kfree(buffer);
        return NULL;
    }
    p->buffer = buffer;
    p->size = PIPE_DEFAULT_SIZE;
    p->inode = inode;
    inode->pipe = p;
    return p;
}

/* F_SETPIPE_SZ's size: a power of two of pages, at least one; 0 for a request too large to round. */
static u32 round_pipe_size(u32 requested)
{
    if (requested > (1u << 31))
        return 0;
    u32 size = PAGE_SIZE;
    while (size < requested)
        size *= 2;
    return size;
}

long pipe_fcntl(struct file *f, unsigned cmd, u32 arg)
{
    if (f->ops != &pipe_ops)
        return -EBADF;
    struct pipe *p = f->private;
    if (cmd == F_GETPIPE_SZ)
        return p->size;
    u32 size = round_pipe_size(arg);
    if (!size)
        return -EINVAL;
    if (size > p->size && size > PIPE_MAX_SIZE && !capable(CAP_SYS_RESOURCE))
        return -EPERM;
    u8 *buffer = kmalloc(size);
    if (!buffer)
        return -ENOMEM;
    u64 flags = spin_lock_irqsave(&p->lock);
    if (p->count > size) {
        spin_unlock_irqrestore(&p->lock, flags);
        kfree(buffer);
        return -EBUSY; /* what it holds would not fit */
    }
    u32 first = MIN(p->count, p->size - p->head);
    memcpy(buffer, p->buffer + p->head, first);
    memcpy(buffer + first, p->buffer, p->count - first);
    u8 *old = p->buffer;
    p->buffer = buffer;
    p->size = size;
    p->head = 0;
    wake_up_all(&p->write_wait);
    spin_unlock_irqrestore(&p->lock, flags);
    kfree(old);
    return size;
}

/* Opening a FIFO by name (or an anonymous pipe through /proc/PID/fd): a
 * reader waits for a writer and a writer for a reader, unless O_NONBLOCK,
 * where a lone writer gets ENXIO; O_RDWR never waits. */
int fifo_open(struct file *f)
{
    struct inode *inode = f->inode;
    u64 flags = irq_save(); /* the inode's pipe comes and goes with interrupts off */
    struct pipe *p = inode->pipe ? inode->pipe : pipe_create(inode);
    if (!p) {
        irq_restore(flags);
        return -ENOMEM;
    }
    bool nonblock = f->flags & O_NONBLOCK;
    if (!reads(f) && nonblock && use_count_read(&p->readers) == 0) {
        if (use_count_read(&p->writers) == 0)
            pipe_destroy(p);
        irq_restore(flags);
        return -ENXIO;
    }
    f->ops = &pipe_ops;
    f->private = p;
    spin_lock_irqs_off(&p->lock);
    if (reads(f))
        use_count_get(&p->readers), p->reader_opens++;
    if (writes(f))
        use_count_get(&p->writers), p->writer_opens++;
    wake_up_all(&p->read_wait);
    wake_up_all(&p->write_wait);
    int err = 0;
    if (!writes(f) && !nonblock) {
        for (u32 seen = p->writer_opens; !err && use_count_read(&p->writers) == 0 && p->writer_opens == seen;)
            err = wait_sleep(&p->read_wait, &p->lock, WAIT_NO_DEADLINE);
    } else if (!reads(f)) {
        for (u32 seen = p->reader_opens; !err && use_count_read(&p->readers) == 0 && p->reader_opens == seen;)
            err = wait_sleep(&p->write_wait, &p->lock, WAIT_NO_DEADLINE);
    }
    spin_unlock_irqrestore(&p->lock, flags);
    return err; /* on error the caller's file_put undoes the counts */
}

long sys_pipe2(int __user *fds, int flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK | 040000 /* O_DIRECT */))
        return -EINVAL;
    struct inode *inode = pipe_inode_create();
    struct pipe *p = inode ? pipe_create(inode) : NULL;
    if (!p) {
        if (inode)
            inode_release(inode);
        return -ENFILE;
    }
    use_count_get(&p->readers);
    use_count_get(&p->writers);
    struct file *ends[2] = {file_open_inode(inode, O_RDONLY | (flags & O_NONBLOCK)),
                            file_open_inode(inode, O_WRONLY | (flags & O_NONBLOCK))};
    if (!ends[0] || !ends[1]) {
        for (int i = 0; i < 2; i++)
            if (ends[i])
                use_count_put(&inode->refs), kfree(ends[i]); /* not file_put: no end of p is open yet */
        pipe_destroy(p);
        inode_release(inode);
        return -ENFILE;
    }
    for (int i = 0; i < 2; i++) {
        ends[i]->ops = &pipe_ops;
        ends[i]->private = p;
    }
    int rfd = fd_install(ends[0], 0, flags & O_CLOEXEC);
    if (rfd < 0) {
        file_put(ends[0]);
        file_put(ends[1]);
        return rfd;
    }
    int wfd = fd_install(ends[1], 0, flags & O_CLOEXEC);
    if (wfd < 0) {
        fd_close(rfd);
        file_put(ends[1]);
        return wfd;
    }
    int pair[2] = {rfd, wfd};
    if (copy_to_user(fds, pair, sizeof(pair))) {
        fd_close(rfd);
        fd_close(wfd);
        return -EFAULT;
    }
    return 0;
}

long sys_pipe(int __user *fds) { return sys_pipe2(fds, 0); }
