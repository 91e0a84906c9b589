/*
 * sockfs: the file system of sockets' inodes, never mounted (as on Linux).
 * Each inode is S_IFSOCK and its open file carries the struct socket; the
 * socket goes with its file's last reference, which releases the family's
 * state first.
 */
#include "apic.h"
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "netdev.h"
#include "signal.h"

#define SOCKFS_MAGIC 0x534f434b
#define SOCKET_INODE_MODE (S_IFSOCK | 0777)

static struct inode *sockfs_alloc_inode(struct super_block *sb)
{
    (void)sb;
    return kzalloc(sizeof(struct inode));
}

static void sockfs_destroy_inode(struct inode *inode) { kfree(inode); }

static bool sockfs_drop_inode(struct inode *inode)
{
    (void)inode;
    return true;
}

static const struct super_operations sockfs_super_ops = {
    .alloc_inode = sockfs_alloc_inode,
    .destroy_inode = sockfs_destroy_inode,
    .drop_inode = sockfs_drop_inode,
    .statfs = statfs_ram,
};

static struct file_system_type sockfs_type = {.name = "sockfs"};
static struct super_block *sockfs_sb;

static net_family_create families[AF_MAX];

void net_family_register(int family, net_family_create create) { families[family] = create; }

void socket_get(struct socket *sock) { refcount_get(&sock->refs); }

void socket_put(struct socket *sock)
{
    if (refcount_put(&sock->refs))
        kfree(sock);
}

static ssize_t socket_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    if (!len)
        return 0; /* before the family, as Linux's sock_read_iter (a recv of 0 bytes may wait) */
    struct socket *sock = f->private;
    struct iovec iov = {.base = (u64)buf, .len = len};
    struct kmsg msg = {.iov = &iov, .iovlen = 1};
    return sock->ops->recvmsg(sock, &msg, len, 0);
}

static ssize_t socket_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct socket *sock = f->private;
    struct iovec iov = {.base = (u64)buf, .len = len};
    struct kmsg msg = {.iov = &iov, .iovlen = 1};
    return sock->ops->sendmsg(sock, &msg, len, 0);
}

static unsigned socket_poll(struct file *f, struct poll_table *table)
{
    struct socket *sock = f->private;
    return sock->ops->poll(sock, f, table);
}

/* The family's commands first, then the interfaces' (Linux's sock_do_ioctl). */
static long socket_ioctl(struct file *f, unsigned cmd, u64 arg)
{
    struct socket *sock = f->private;
    long err = sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg) : -ENOIOCTLCMD;
    return err == -ENOIOCTLCMD ? netdev_ioctl(sock, cmd, arg) : err;
}

static void socket_release(struct file *f)
{
    struct socket *sock = f->private;
    if (!sock)
        return;
    if (sock->ops && sock->ops->release)
        sock->ops->release(sock);
    sock->file = NULL;
    socket_put(sock);
}

static const struct file_ops socket_file_ops = {
    .read = socket_read,
    .write = socket_write,
    .poll = socket_poll,
    .ioctl = socket_ioctl,
    .release = socket_release,
    .stream = true,
    .fasync = true,
};

struct socket *socket_of_file(struct file *f) { return f->ops == &socket_file_ops ? f->private : NULL; }

/* A socket and its file, without the family's state yet. */
static struct socket *socket_alloc_file(int family, int type, int protocol, u32 file_flags)
{
    if (!sockfs_sb)
        sockfs_sb = super_create(&sockfs_type, &sockfs_super_ops, SOCKFS_MAGIC);
    if (!sockfs_sb)
        return NULL;
    struct socket *sock = kzalloc(sizeof(*sock));
    struct inode *inode = sock ? inode_alloc(sockfs_sb, SOCKET_INODE_MODE) : NULL;
    if (!inode) {
        kfree(sock);
        return NULL;
    }
    inode->fops = &socket_file_ops;
    inode->parent = inode;
    struct file *f = file_open_inode(inode, O_RDWR | (file_flags & O_NONBLOCK));
    if (!f) {
        inode_release(inode);
        kfree(sock);
        return NULL;
    }
    sock->family = family;
    sock->type = (short)type;
    sock->protocol = protocol;
    sock->state = SS_UNCONNECTED;
    sock->sndbuf = SOCK_DEFAULT_BUF;
    sock->rcvbuf = SOCK_DEFAULT_BUF;
    refcount_set(&sock->refs, 1);
    sock->file = f;
    f->private = sock;
    return sock;
}

struct socket *socket_create_file(int family, int type, int protocol, u32 file_flags, int *err)
{
    struct socket *sock = socket_alloc_file(family, type, protocol, file_flags);
    if (!sock) {
        *err = -ENFILE;
        return NULL;
    }
    *err = families[family](sock, protocol);
    if (*err) {
        file_put(sock->file); /* no ops yet: only the socket and its inode go */
        return NULL;
    }
    return sock;
}

/* The child of an accept: the listener's family and type, its state the family's accept fills. */
struct socket *socket_create_child(struct socket *listener, u32 file_flags)
{
    struct socket *sock = socket_alloc_file(listener->family, listener->type, listener->protocol, file_flags);
    if (sock)
        sock->ops = listener->ops;
    return sock;
}

u64 socket_deadline(u64 timeout_ns) { return timeout_ns ? monotonic_ns() + timeout_ns : WAIT_NO_DEADLINE; }

int socket_sleep_errno(int err, u64 timeout_ns)
{
    if (err == -ETIMEDOUT)
        return -EAGAIN;
    if (err == -ERESTARTSYS && timeout_ns)
        return -EINTR; /* a call with a timeout is not restarted, as Linux's sock_intr_errno */
    return err;
}

bool net_family_known(int family) { return family >= 0 && family < AF_MAX && families[family]; }
