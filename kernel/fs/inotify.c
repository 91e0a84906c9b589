/*
 * inotify (Linux's semantics): an instance is an anonymous file holding a
 * queue of events; a watch joins an instance to an inode, which keeps a list
 * of the watches on it and is held by each. The VFS reports what happens
 * through the fsnotify_* calls (include/fsnotify.h); an event goes to the
 * watches of the inode concerned and, for what happens to a file, to those
 * of its directory with the file's name. An event equal to the last one
 * queued is dropped (Linux merges them); a full queue ends with one
 * IN_Q_OVERFLOW. Readers, poll and epoll wait on the instance's queue.
 *
 * One lock guards every instance and watch: events come from system calls
 * and are few. Inodes a removed watch held are let go after it is dropped.
 */
#include "anon_inodes.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "fsnotify.h"
#include "lib.h"
#include "mm.h"
#include "tty.h" /* FIONREAD */
#include "uaccess.h"

#define IN_ACCESS 0x00000001
#define IN_MODIFY 0x00000002
#define IN_ATTRIB 0x00000004
#define IN_CLOSE_WRITE 0x00000008
#define IN_CLOSE_NOWRITE 0x00000010
#define IN_OPEN 0x00000020
#define IN_MOVED_FROM 0x00000040
#define IN_MOVED_TO 0x00000080
#define IN_CREATE 0x00000100
#define IN_DELETE 0x00000200
#define IN_DELETE_SELF 0x00000400
#define IN_MOVE_SELF 0x00000800
#define IN_ALL_EVENTS 0x00000fff
#define IN_UNMOUNT 0x00002000
#define IN_Q_OVERFLOW 0x00004000
#define IN_IGNORED 0x00008000
#define IN_ONLYDIR 0x01000000
#define IN_DONT_FOLLOW 0x02000000
#define IN_EXCL_UNLINK 0x04000000
#define IN_MASK_CREATE 0x10000000
#define IN_MASK_ADD 0x20000000
#define IN_ISDIR 0x40000000
#define IN_ONESHOT 0x80000000
#define ALL_INOTIFY_BITS                                                                                       \
    (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | \
     IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)
/* What happens to a file that its directory's watches see too, with its name. */
#define EVENTS_ON_CHILD (IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN)

#define IN_CLOEXEC O_CLOEXEC
#define IN_NONBLOCK O_NONBLOCK
#define MAX_QUEUED_EVENTS 16384 /* /proc/sys/fs/inotify/max_queued_events */
#define MAX_WATCHES 8192        /* a bound on kernel memory (Linux's max_user_watches is per user) */
#define MAX_WD 0x7fffffff
#define NAME_MAX 255

int dirfd_base(int dirfd, const char *path, struct inode **base);

/* struct inotify_event as read() gives it: a name, when there is one, is
 * NUL-padded to a multiple of the header's size. */
struct inotify_event_header {
    s32 wd;
    u32 mask, cookie, len;
};

struct queued_event {
    struct queued_event *next;
    struct inotify_event_header header;
    u32 name_len; /* without its padding */
    char name[];
};

struct inotify_watch;

struct inotify_instance {
    struct inotify_watch *watches;
    struct queued_event *head, *tail;
    u32 queued;        /* events, the overflow one included, as Linux's q_len */
    u64 bytes;         /* what a read of everything would give (FIONREAD) */
    bool overflowed;   /* the IN_Q_OVERFLOW event is queued */
    int last_wd;       /* descriptors are handed out cyclically from 1 */
    u32 watch_count;
    struct wait_queue wait;
};

struct inotify_watch {
    struct inotify_instance *instance;
    struct inode *inode; /* held */
    int wd;
    u32 mask;
    struct inotify_watch *next_of_instance, *next_of_inode;
};

static struct spinlock inotify_lock;
static u32 move_cookie;

/* ---- the queue ---- */

static u32 padded_name_len(u32 name_len)
{
    return name_len ? ALIGN_UP(name_len + 1, (u32)sizeof(struct inotify_event_header)) : 0;
}

static bool same_event(const struct queued_event *e, s32 wd, u32 mask, u32 cookie, const char *name, u32 name_len)
{
    return e->header.wd == wd && e->header.mask == mask && e->header.cookie == cookie && e->name_len == name_len &&
           (!name_len || !memcmp(e->name, name, name_len));
}

/* Under inotify_lock. */
static void queue_event(struct inotify_instance *in, s32 wd, u32 mask, u32 cookie, const char *name)
{
    u32 name_len = name ? (u32)strlen(name) : 0;
    if (in->queued >= MAX_QUEUED_EVENTS) {
        if (in->overflowed)
            return;
        wd = -1, mask = IN_Q_OVERFLOW, cookie = 0, name_len = 0;
    } else if (in->tail && same_event(in->tail, wd, mask, cookie, name, name_len)) {
        return;
    }
    struct queued_event *e = kzalloc(sizeof(*e) + padded_name_len(name_len));
    if (!e)
        return; /* Linux queues the overflow event instead; with no memory, nothing */
    e->header = (struct inotify_event_header){wd, mask, cookie, padded_name_len(name_len)};
    e->name_len = name_len;
    memcpy(e->name, name, name_len);
    if (in->tail)
        in->tail->next = e;
    else
        in->head = e;
    in->tail = e;
    in->queued++;
    in->bytes += sizeof(e->header) + e->header.len;
    in->overflowed |= mask == IN_Q_OVERFLOW;
    wake_up_all(&in->wait);
}

/* ---- watches ---- */

/* Takes a watch off its instance and inode, queuing IN_IGNORED; the caller
 * frees it (and lets its inode go) once the lock is dropped. */
static void detach_watch(struct inotify_watch *w, struct inotify_watch **dead)
{
    for (struct inotify_watch **link = &w->instance->watches; *link; link = &(*link)->next_of_instance)
        if (*link == w) {
            *link = w->next_of_instance;
            break;
        }
    for (struct inotify_watch **link = &w->inode->inotify_watches; *link; link = &(*link)->next_of_inode)
        if (*link == w) {
            *link = w->next_of_inode;
            break;
        }
    w->instance->watch_count--;
    queue_event(w->instance, w->wd, IN_IGNORED, 0, NULL);
    w->next_of_inode = *dead;
    *dead = w;
}

static void free_dead(struct inotify_watch *dead)
{
    while (dead) {
        struct inotify_watch *w = dead;
        dead = w->next_of_inode;
        inode_put(w->inode);
        kfree(w);
    }
}

/* Queues an event at each watch of inode that wants it. */
static void deliver(struct inode *inode, u32 mask, u32 cookie, const char *name)
{
    if (!inode->inotify_watches)
        return;
    struct inotify_watch *dead = NULL;
    u64 flags = spin_lock_irqsave(&inotify_lock);
    for (struct inotify_watch *w = inode->inotify_watches, *next; w; w = next) {
        next = w->next_of_inode;
        if (!(mask & w->mask & IN_ALL_EVENTS))
            continue;
        queue_event(w->instance, w->wd, mask, cookie, name);
        if (w->mask & IN_ONESHOT)
            detach_watch(w, &dead);
    }
    spin_unlock_irqrestore(&inotify_lock, flags);
    free_dead(dead);
}

static u32 with_isdir(const struct inode *inode, u32 mask) { return S_ISDIR(inode->mode) ? mask | IN_ISDIR : mask; }

/* An event of a file: to its directory's watches with its name, then its own. */
static void notify_file(struct inode *inode, u32 mask)
{
    mask = with_isdir(inode, mask);
    struct inode *dir = inode->parent;
    if (dir && dir != inode && dir->inotify_watches && inode->nlink) {
        char name[NAME_MAX + 1];
        if (inode_name_in_parent(inode, name))
            deliver(dir, mask, 0, name);
    }
    deliver(inode, mask, 0, NULL);
}

/* The inode is gone from the tree: IN_DELETE_SELF, and every watch ends. */
static void delete_self(struct inode *inode)
{
    if (!inode->inotify_watches)
        return;
    deliver(inode, with_isdir(inode, IN_DELETE_SELF), 0, NULL);
    struct inotify_watch *dead = NULL;
    u64 flags = spin_lock_irqsave(&inotify_lock);
    while (inode->inotify_watches)
        detach_watch(inode->inotify_watches, &dead);
    spin_unlock_irqrestore(&inotify_lock, flags);
    free_dead(dead);
}

/* Gone once its last name and, for a regular file, its last open file are:
 * Linux's dentry goes then. */
static bool gone(const struct inode *inode)
{
    return inode->nlink == 0 && (!S_ISREG(inode->mode) || inode->open_readers + inode->open_writers == 0);
}

/* ---- the VFS's calls ---- */

void fsnotify_create(struct inode *dir, const char *name, struct inode *inode)
{
    deliver(dir, with_isdir(inode, IN_CREATE), 0, name);
}

void fsnotify_link(struct inode *dir, const char *name, struct inode *inode)
{
    deliver(inode, with_isdir(inode, IN_ATTRIB), 0, NULL);
    fsnotify_create(dir, name, inode);
}

void fsnotify_unlinked(struct inode *dir, const char *name, struct inode *inode)
{
    if (!S_ISDIR(inode->mode))
        deliver(inode, IN_ATTRIB, 0, NULL); /* its link count */
    if (gone(inode))
        delete_self(inode);
    deliver(dir, with_isdir(inode, IN_DELETE), 0, name);
}

void fsnotify_move(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
                   struct inode *inode, struct inode *replaced)
{
    if (!olddir->inotify_watches && !newdir->inotify_watches && !inode->inotify_watches &&
        !(replaced && replaced->inotify_watches))
        return;
    u64 flags = spin_lock_irqsave(&inotify_lock);
    u32 cookie = ++move_cookie;
    spin_unlock_irqrestore(&inotify_lock, flags);
    deliver(olddir, with_isdir(inode, IN_MOVED_FROM), cookie, oldname);
    deliver(newdir, with_isdir(inode, IN_MOVED_TO), cookie, newname);
    if (replaced)
        deliver(replaced, with_isdir(replaced, IN_ATTRIB), 0, NULL);
    deliver(inode, with_isdir(inode, IN_MOVE_SELF), 0, NULL);
    if (replaced && gone(replaced))
        delete_self(replaced);
}

void fsnotify_access(struct inode *inode) { notify_file(inode, IN_ACCESS); }
void fsnotify_modify(struct inode *inode) { notify_file(inode, IN_MODIFY); }
void fsnotify_attrib(struct inode *inode) { notify_file(inode, IN_ATTRIB); }

void fsnotify_open(struct file *f)
{
    if (!(f->flags & O_PATH))
        notify_file(f->inode, IN_OPEN);
}

void fsnotify_close(struct file *f)
{
    if (f->flags & O_PATH)
        return;
    bool wrote = (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
    notify_file(f->inode, wrote ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
    if (gone(f->inode))
        delete_self(f->inode);
}

/* ---- the file ---- */

static ssize_t inotify_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct inotify_instance *in = f->private;
    u64 flags = spin_lock_irqsave(&inotify_lock);
    while (!in->head) {
        int err = f->flags & O_NONBLOCK ? -EAGAIN : wait_sleep(&in->wait, &inotify_lock, WAIT_NO_DEADLINE);
        if (err) {
            spin_unlock_irqrestore(&inotify_lock, flags);
            return err;
        }
    }
    /* Whole events only; the first must fit. Taken off the queue first,
     * copied out after (the copy may fault and sleep). */
    struct queued_event *taken = NULL, **tail = &taken;
    size_t size = 0;
    while (in->head && size + sizeof(in->head->header) + in->head->header.len <= len) {
        struct queued_event *e = in->head;
        in->head = e->next;
        if (!in->head)
            in->tail = NULL;
        in->queued--;
        in->bytes -= sizeof(e->header) + e->header.len;
        if (e->header.mask == IN_Q_OVERFLOW)
            in->overflowed = false;
        size += sizeof(e->header) + e->header.len;
        e->next = NULL;
        *tail = e;
        tail = &e->next;
    }
    spin_unlock_irqrestore(&inotify_lock, flags);
    if (!taken)
        return -EINVAL;
    ssize_t done = 0;
    while (taken) {
        struct queued_event *e = taken;
        taken = e->next;
        if (done >= 0) {
            size_t n = sizeof(e->header) + e->header.len;
            if (copy_to_user(buf + done, &e->header, sizeof(e->header)) ||
                copy_to_user(buf + done + sizeof(e->header), e->name, e->header.len))
                done = -EFAULT;
            else
                done += (ssize_t)n;
        }
        kfree(e);
    }
    return done;
}

static unsigned inotify_poll(struct file *f, struct poll_table *table)
{
    struct inotify_instance *in = f->private;
    poll_wait(f, &in->wait, table);
    return __atomic_load_n(&in->head, __ATOMIC_RELAXED) ? POLLIN | POLLRDNORM : 0;
}

static long inotify_ioctl(struct file *f, unsigned cmd, u64 arg)
{
    if (cmd != FIONREAD)
        return -ENOTTY;
    struct inotify_instance *in = f->private;
    u64 flags = spin_lock_irqsave(&inotify_lock);
    int bytes = (int)in->bytes;
    spin_unlock_irqrestore(&inotify_lock, flags);
    return put_user(bytes, (int __user *)arg) ? -EFAULT : 0;
}

static void inotify_release(struct file *f)
{
    struct inotify_instance *in = f->private;
    struct inotify_watch *dead = NULL;
    u64 flags = spin_lock_irqsave(&inotify_lock);
    while (in->watches)
        detach_watch(in->watches, &dead);
    struct queued_event *events = in->head;
    in->head = in->tail = NULL;
    spin_unlock_irqrestore(&inotify_lock, flags);
    free_dead(dead);
    while (events) {
        struct queued_event *e = events;
        events = e->next;
        kfree(e);
    }
    kfree(in);
}

static const struct file_ops inotify_ops = {
    .read = inotify_read,
    .poll = inotify_poll,
    .ioctl = inotify_ioctl,
    .release = inotify_release,
    .llseek = anon_noop_llseek,
};

long sys_inotify_init1(int flags)
{
    if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
        return -EINVAL;
    struct inotify_instance *in = kzalloc(sizeof(*in));
    if (!in)
        return -ENOMEM;
    int fd = anon_inode_getfd("inotify", &inotify_ops, in, O_RDONLY | (flags & (IN_CLOEXEC | IN_NONBLOCK)));
    if (fd < 0)
        kfree(in);
    return fd;
}

long sys_inotify_init(void) { return sys_inotify_init1(0); }

/* The instance behind fd: -EBADF, or -EINVAL for another kind of file. */
static struct file *instance_file(int fd, long *err)
{
    struct file *f = fdget(fd);
    *err = !f ? -EBADF : f->ops != &inotify_ops ? -EINVAL : 0;
    if (*err && f) {
        fdput(f);
        f = NULL;
    }
    return f;
}

static int next_wd(struct inotify_instance *in)
{
    for (;;) {
        in->last_wd = in->last_wd >= MAX_WD ? 1 : in->last_wd + 1;
        bool used = false;
        for (struct inotify_watch *w = in->watches; w && !used; w = w->next_of_instance)
            used = w->wd == in->last_wd;
        if (!used)
            return in->last_wd;
    }
}

/* The inode a watch goes on, as Linux's inotify_find_inode. */
static long watched_inode(const char __user *upath, u32 mask, struct inode **out)
{
    char path[PATH_MAX];
    struct inode *base;
    long err = copy_path_from_user(path, upath);
    err = err ?: dirfd_base(AT_FDCWD, path, &base);
    err = err ?: path_lookup(base, path, !(mask & IN_DONT_FOLLOW), out);
    if (err)
        return err;
    if ((mask & IN_ONLYDIR) && !S_ISDIR((*out)->mode))
        return -ENOTDIR;
    return inode_permission(*out, MAY_READ);
}

long sys_inotify_add_watch(int fd, const char __user *path, u32 mask)
{
    if (!(mask & ALL_INOTIFY_BITS))
        return -EINVAL;
    if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
        return -EINVAL;
    long err;
    struct file *f = instance_file(fd, &err);
    if (!f)
        return err;
    struct inotify_instance *in = f->private;
    struct inode *inode;
    err = watched_inode(path, mask, &inode);
    if (err) {
        fdput(f);
        return err;
    }
    /* What a watch keeps: the events and IN_ONESHOT, IN_EXCL_UNLINK. */
    u32 kept = mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);
    struct inotify_watch *fresh = kzalloc(sizeof(*fresh));
    u64 flags = spin_lock_irqsave(&inotify_lock);
    struct inotify_watch *w = inode->inotify_watches;
    while (w && w->instance != in)
        w = w->next_of_inode;
    if (w && (mask & IN_MASK_CREATE)) {
        err = -EEXIST;
    } else if (w) {
        w->mask = mask & IN_MASK_ADD ? w->mask | kept : kept;
        err = w->wd;
    } else if (!fresh) {
        err = -ENOMEM;
    } else if (in->watch_count >= MAX_WATCHES) {
        err = -ENOSPC;
    } else {
        *fresh = (struct inotify_watch){in, inode, next_wd(in), kept, in->watches, inode->inotify_watches};
        in->watches = fresh;
        inode->inotify_watches = fresh;
        in->watch_count++;
        inode_get(inode);
        err = fresh->wd;
        fresh = NULL;
    }
    spin_unlock_irqrestore(&inotify_lock, flags);
    kfree(fresh);
    fdput(f);
    return err;
}

long sys_inotify_rm_watch(int fd, int wd)
{
    long err;
    struct file *f = instance_file(fd, &err);
    if (!f)
        return err;
    struct inotify_instance *in = f->private;
    struct inotify_watch *dead = NULL;
    u64 flags = spin_lock_irqsave(&inotify_lock);
    struct inotify_watch *w = in->watches;
    while (w && w->wd != wd)
        w = w->next_of_instance;
    if (w)
        detach_watch(w, &dead);
    spin_unlock_irqrestore(&inotify_lock, flags);
    free_dead(dead);
    fdput(f);
    return w ? 0 : -EINVAL;
}
