/*
 * Pipes: a 64 KiB ring buffer between a read end and a write end, with
 * Linux's rules: reads wait for data unless no writer is left (end of file),
 * writes wait for room unless no reader is left (EPIPE and SIGPIPE), writes
 * of at most PIPE_BUF bytes are never split, and O_NONBLOCK gives EAGAIN
 * instead of waiting. A FIFO is the same pipe reached by name: opening it
 * waits for the other end, as on Linux.
 */
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "uaccess.h"
#include "x86.h"

#define PIPE_SIZE 65536
#define PIPE_BUF 4096

struct pipe {
    u8 *buffer;
    u32 head, count; /* bytes at buffer[head ...], wrapping */
    int readers, writers;
    u32 reader_opens, writer_opens; /* counts that a waiting open watches */
    struct inode *inode;
};

static bool reads(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool writes(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }

static ssize_t pipe_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct pipe *p = f->private;
    if (len == 0)
        return 0;
    u64 flags = irq_save();
    while (p->count == 0) {
        if (p->writers == 0) {
            irq_restore(flags);
            return 0;
        }
        if (f->flags & O_NONBLOCK) {
            irq_restore(flags);
            return -EAGAIN;
        }
        int err = sleep_on(p);
        if (err) {
            irq_restore(flags);
            return err;
        }
    }
    size_t done = 0;
    while (done < len && p->count) {
        size_t chunk = MIN(MIN(len - done, (size_t)p->count), (size_t)(PIPE_SIZE - p->head));
        if (copy_to_user(buf + done, p->buffer + p->head, chunk)) {
            if (!done)
                done = (size_t)-EFAULT;
            break;
        }
        p->head = (p->head + chunk) % PIPE_SIZE;
        p->count -= (u32)chunk;
        done += chunk;
    }
    wake_up(p);
    irq_restore(flags);
    return (ssize_t)done;
}

static ssize_t pipe_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct pipe *p = f->private;
    size_t done = 0;
    u64 flags = irq_save();
    while (done < len) {
        if (p->readers == 0) {
            irq_restore(flags);
            signal_send_from_current(current_task(), SIGPIPE);
            return done ? (ssize_t)done : -EPIPE;
        }
        size_t room = PIPE_SIZE - p->count;
        /* Up to PIPE_BUF bytes go in one piece, or not at all yet. */
        bool must_wait = room == 0 || (len - done <= PIPE_BUF && room < len - done);
        if (must_wait) {
            if (f->flags & O_NONBLOCK) {
                irq_restore(flags);
                return done ? (ssize_t)done : -EAGAIN;
            }
            wake_up(p);
            int err = sleep_on(p);
            if (err) {
                irq_restore(flags);
                return done ? (ssize_t)done : err;
            }
            continue;
        }
        size_t tail = (p->head + p->count) % PIPE_SIZE;
        size_t chunk = MIN(MIN(len - done, room), (size_t)(PIPE_SIZE - tail));
        if (copy_from_user(p->buffer + tail, buf + done, chunk)) {
            irq_restore(flags);
            return done ? (ssize_t)done : -EFAULT;
        }
        p->count += (u32)chunk;
        done += chunk;
        wake_up(p);
    }
    irq_restore(flags);
    return (ssize_t)done;
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
    if (reads(f))
        p->readers--;
    if (writes(f))
        p->writers--;
    wake_up(p);
    if (p->readers == 0 && p->writers == 0)
        pipe_destroy(p);
}

static unsigned pipe_poll(struct file *f)
{
    struct pipe *p = f->private;
    unsigned events = 0;
    if (reads(f)) {
        if (p->count)
            events |= POLLIN | POLLRDNORM;
        if (p->writers == 0)
            events |= POLLHUP;
    }
    if (writes(f)) {
        if (p->count < PIPE_SIZE)
            events |= POLLOUT | POLLWRNORM;
        if (p->readers == 0)
            events |= POLLERR;
    }
    return events;
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .release = pipe_release,
    .poll = pipe_poll,
    .stream = true,
};

static struct pipe *pipe_create(struct inode *inode)
{
    struct pipe *p = kzalloc(sizeof(*p));
    u8 *buffer = kmalloc(PIPE_SIZE);
    if (!p || !buffer) {
        kfree(p);
        kfree(buffer);
        return NULL;
    }
    p->buffer = buffer;
    p->inode = inode;
    inode->pipe = p;
    return p;
}

/* Opening a FIFO by name (or an anonymous pipe through /proc/PID/fd): a
 * reader waits for a writer and a writer for a reader, unless O_NONBLOCK,
 * where a lone writer gets ENXIO; O_RDWR never waits. */
int fifo_open(struct file *f)
{
    struct inode *inode = f->inode;
    u64 flags = irq_save();
    struct pipe *p = inode->pipe ? inode->pipe : pipe_create(inode);
    if (!p) {
        irq_restore(flags);
        return -ENOMEM;
    }
    bool nonblock = f->flags & O_NONBLOCK;
    if (!reads(f) && nonblock && p->readers == 0) {
        if (p->writers == 0)
            pipe_destroy(p);
        irq_restore(flags);
        return -ENXIO;
    }
    f->ops = &pipe_ops;
    f->private = p;
    if (reads(f))
        p->readers++, p->reader_opens++;
    if (writes(f))
        p->writers++, p->writer_opens++;
    wake_up(p);
    int err = 0;
    if (!writes(f) && !nonblock) {
        for (u32 seen = p->writer_opens; !err && p->writers == 0 && p->writer_opens == seen;)
            err = sleep_on(p);
    } else if (!reads(f)) {
        for (u32 seen = p->reader_opens; !err && p->readers == 0 && p->reader_opens == seen;)
            err = sleep_on(p);
    }
    irq_restore(flags);
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
    p->readers = p->writers = 1;
    struct file *ends[2] = {file_open_inode(inode, O_RDONLY | (flags & O_NONBLOCK)),
                            file_open_inode(inode, O_WRONLY | (flags & O_NONBLOCK))};
    if (!ends[0] || !ends[1]) {
        for (int i = 0; i < 2; i++)
            if (ends[i])
                inode->refs--, kfree(ends[i]);
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
