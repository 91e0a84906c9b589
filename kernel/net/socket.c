/*
 * The socket system calls that make, name and connect sockets, and their
 * options: Linux's argument checks, then the family's proto_ops.
 */
#include "compat.h"
#include "errno.h"
#include "fasync.h"
#include "fd.h"
#include "lib.h"
#include "net.h"
#include "proc.h"
#include "signal.h"
#include "time.h"
#include "uaccess.h"

#define USEC_PER_SEC 1000000
#define NSEC_PER_USEC 1000

/* The socket behind a descriptor, its file held (fdput when done): NULL and EBADF or ENOTSOCK. */
struct socket *socket_fdget(int fd, struct file **file, long *err)
{
    struct file *f = fdget(fd);
    if (!f) {
        *err = -EBADF;
        return NULL;
    }
    struct socket *sock = socket_of_file(f);
    if (!sock) {
        fdput(f);
        *err = -ENOTSOCK;
        return NULL;
    }
    *file = f;
    return sock;
}

static bool socket_async(const struct socket *sock) { return sock->file && (sock->file->flags & O_ASYNC); }

void socket_no_room(struct socket *sock)
{
    /* Linux's sk_set_bit: only while O_ASYNC is on */
    if (socket_async(sock))
        sock->async_nospace = true;
}

void socket_room_announce(struct socket *sock)
{
    /* As Linux's sock_wake_async: with O_ASYNC off meanwhile the mark stays for a later one */
    if (!sock || !sock->async_nospace || !socket_async(sock))
        return;
    sock->async_nospace = false;
    fasync_notify(sock, POLL_OUT);
}

/* An address from the user: Linux's move_addr_to_kernel. */
static int address_from_user(void *addr, const void __user *uaddr, int len)
{
    if (len < 0 || len > SOCKADDR_MAX)
        return -EINVAL;
    if (len == 0)
        return 0;
    return copy_from_user(addr, uaddr, (size_t)len) ? -EFAULT : 0;
}

/* An address to the user, truncated to the room given; the full length goes back. */
int address_to_user(const void *addr, int klen, void __user *uaddr, int __user *ulen)
{
    int len;
    if (get_user(len, ulen))
        return -EFAULT;
    if (len < 0)
        return -EINVAL;
    if (len > klen)
        len = klen;
    if (len && copy_to_user(uaddr, addr, (size_t)len))
        return -EFAULT;
    return put_user(klen, ulen) ? -EFAULT : 0;
}

/* The type argument of socket and socketpair: the type, with SOCK_NONBLOCK and SOCK_CLOEXEC beside it. */
static int split_type(int type_arg, int *type, u32 *flags)
{
    *type = type_arg & SOCK_TYPE_MASK;
    *flags = (u32)type_arg & ~(u32)SOCK_TYPE_MASK;
    if (*flags & ~(u32)(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if (*type >= SOCK_MAX)
        return -EINVAL;
    return 0;
}

static int install_socket(struct socket *sock, u32 flags)
{
    int fd = fd_install(sock->file, 0, flags & SOCK_CLOEXEC);
    if (fd < 0)
        file_put(sock->file);
    return fd;
}

long sys_socket(int family, int type_arg, int protocol)
{
    int type;
    u32 flags;
    int err = split_type(type_arg, &type, &flags);
    if (err)
        return err;
    if (family < 0 || family >= AF_MAX)
        return -EAFNOSUPPORT;
    if (!net_family_known(family))
        return -EAFNOSUPPORT;
    struct socket *sock = socket_create_file(family, type, protocol, flags, &err);
    return sock ? install_socket(sock, flags) : err;
}

long sys_socketpair(int family, int type_arg, int protocol, int __user *usv)
{
    int type;
    u32 flags;
    int err = split_type(type_arg, &type, &flags);
    if (err)
        return err;
    if (family < 0 || family >= AF_MAX || !net_family_known(family))
        return -EAFNOSUPPORT;
    struct socket *a = socket_create_file(family, type, protocol, flags, &err);
    if (!a)
        return err;
    struct socket *b = socket_create_file(family, type, protocol, flags, &err);
    if (!b) {
        file_put(a->file);
        return err;
    }
    err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
    if (err) {
        file_put(a->file);
        file_put(b->file);
        return err;
    }
    int fds[2];
    fds[0] = install_socket(a, flags);
    if (fds[0] < 0) {
        file_put(b->file);
        return fds[0];
    }
    fds[1] = install_socket(b, flags);
    if (fds[1] < 0) {
        fd_close(fds[0]);
        return fds[1];
    }
    if (copy_to_user(usv, fds, sizeof(fds))) {
        fd_close(fds[0]);
        fd_close(fds[1]);
        return -EFAULT;
    }
    return 0;
}

long sys_bind(int fd, const void __user *uaddr, int len)
{
    u8 addr[SOCKADDR_MAX];
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    err = address_from_user(addr, uaddr, len);
    if (!err)
        err = sock->ops->bind(sock, addr, len);
    fdput(f);
    return err;
}

long sys_connect(int fd, const void __user *uaddr, int len)
{
    u8 addr[SOCKADDR_MAX];
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    err = address_from_user(addr, uaddr, len);
    if (!err)
        err = sock->ops->connect(sock, addr, len, f->flags);
    fdput(f);
    return err;
}

long sys_listen(int fd, int backlog)
{
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    if ((unsigned)backlog > SOMAXCONN)
        backlog = SOMAXCONN;
    err = sock->ops->listen(sock, backlog);
    fdput(f);
    return err;
}

long sys_accept4(int fd, void __user *uaddr, int __user *ulen, int flags)
{
    if ((u32)flags & ~(u32)(SOCK_CLOEXEC | SOCK_NONBLOCK))
        return -EINVAL;
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    struct socket *child = socket_create_child(sock, (u32)flags);
    if (!child) {
        fdput(f);
        return -ENFILE;
    }
    err = sock->ops->accept(sock, child, f->flags);
    fdput(f);
    if (err) {
        file_put(child->file);
        return err;
    }
    if (uaddr) {
        u8 addr[SOCKADDR_MAX];
        int len = child->ops->getname(child, addr, true);
        err = len < 0 ? -ECONNABORTED : address_to_user(addr, len, uaddr, ulen);
        if (err) {
            file_put(child->file);
            return err;
        }
    }
    return install_socket(child, (u32)flags);
}

long sys_accept(int fd, void __user *uaddr, int __user *ulen) { return sys_accept4(fd, uaddr, ulen, 0); }

static long get_name(int fd, void __user *uaddr, int __user *ulen, bool peer)
{
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    u8 addr[SOCKADDR_MAX];
    int len = sock->ops->getname(sock, addr, peer);
    fdput(f);
    return len < 0 ? len : address_to_user(addr, len, uaddr, ulen);
}

long sys_getsockname(int fd, void __user *uaddr, int __user *ulen) { return get_name(fd, uaddr, ulen, false); }
long sys_getpeername(int fd, void __user *uaddr, int __user *ulen) { return get_name(fd, uaddr, ulen, true); }

long sys_shutdown(int fd, int how)
{
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    err = (unsigned)how > SHUT_RDWR ? -EINVAL : sock->ops->shutdown(sock, how);
    fdput(f);
    return err;
}

struct linger {
    s32 onoff, secs;
};
struct timeval_64 {
    s64 sec, usec;
};
struct timeval_32 {
    s32 sec, usec;
};

/* SO_RCVTIMEO and SO_SNDTIMEO: a struct timeval of the caller's ABI, as Linux's sock_set_timeout. */
static int timeout_from_option(const void *value, u32 len, bool compat, u64 *out)
{
    s64 sec, usec;
    if (compat) {
        if (len < sizeof(struct timeval_32))
            return -EINVAL;
        const struct timeval_32 *tv = value;
        sec = tv->sec, usec = tv->usec;
    } else {
        if (len < sizeof(struct timeval_64))
            return -EINVAL;
        const struct timeval_64 *tv = value;
        sec = tv->sec, usec = tv->usec;
    }
    if (usec < 0 || usec >= USEC_PER_SEC)
        return -EDOM;
    if (sec < 0) {
        *out = 1; /* Linux's zero jiffies: the call gives up at once */
        return 0;
    }
    /* Whole jiffies, rounded up, as Linux keeps it (and getsockopt shows). */
    u64 usec_per_jiffy = COARSE_CLOCK_RESOLUTION_NS / NSEC_PER_USEC;
    *out = (u64)sec * NSEC_PER_SEC + (((u64)usec + usec_per_jiffy - 1) / usec_per_jiffy) * COARSE_CLOCK_RESOLUTION_NS;
    return 0;
}

static u32 timeout_to_option(u64 ns, bool compat, void *value)
{
    if (compat) {
        struct timeval_32 tv = {(s32)(ns / NSEC_PER_SEC), (s32)(ns % NSEC_PER_SEC / NSEC_PER_USEC)};
        memcpy(value, &tv, sizeof(tv));
        return sizeof(tv);
    }
    struct timeval_64 tv = {(s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC / NSEC_PER_USEC)};
    memcpy(value, &tv, sizeof(tv));
    return sizeof(tv);
}

static int buffer_size(int requested, int minimum)
{
    u32 value = MIN((u32)requested, (u32)SOCK_MAX_BUF); /* negative is huge, as Linux's min_t(u32) */
    return MAX((int)value * 2, minimum);
}

int sock_setsockopt_common(struct socket *sock, int name, const void *value, u32 len)
{
    bool compat = in_compat_syscall();
    if (name == SO_RCVTIMEO)
        return timeout_from_option(value, len, compat, &sock->rcvtimeo_ns);
    if (name == SO_SNDTIMEO)
        return timeout_from_option(value, len, compat, &sock->sndtimeo_ns);
    if (len < sizeof(int))
        return -EINVAL;
    int v;
    memcpy(&v, value, sizeof(v));
    switch (name) {
    case SO_REUSEADDR:
        sock->reuseaddr = v != 0;
        return 0;
    case SO_KEEPALIVE:
        sock->keepalive = v != 0;
        return 0;
    case SO_PASSCRED:
        sock->passcred = v != 0;
        return 0;
    case SO_SNDBUF:
        sock->sndbuf = buffer_size(v, SOCK_MIN_SNDBUF);
        return 0;
    case SO_RCVBUF:
        sock->rcvbuf = buffer_size(v, SOCK_MIN_RCVBUF);
        return 0;
    case SO_LINGER:
        if (len < sizeof(struct linger))
            return -EINVAL;
        struct linger l;
        memcpy(&l, value, sizeof(l));
        sock->linger_onoff = l.onoff != 0;
        sock->linger_secs = l.secs;
        return 0;
    }
    return -ENOPROTOOPT;
}

int sock_getsockopt_common(struct socket *sock, int name, void *value, u32 *len)
{
    int v;
    switch (name) {
    case SO_TYPE: v = sock->type; break;
    case SO_ERROR: v = 0; break;
    case SO_SNDBUF: v = sock->sndbuf; break;
    case SO_RCVBUF: v = sock->rcvbuf; break;
    case SO_PASSCRED: v = sock->passcred; break;
    case SO_REUSEADDR: v = sock->reuseaddr; break;
    case SO_KEEPALIVE: v = sock->keepalive; break;
    case SO_DOMAIN: v = sock->family; break;
    case SO_PROTOCOL: v = sock->protocol; break;
    case SO_ACCEPTCONN: v = sock->listening; break;
    case SO_LINGER: {
        struct linger l = {sock->linger_onoff, sock->linger_secs};
        *len = MIN(*len, (u32)sizeof(l));
        memcpy(value, &l, *len);
        return 0;
    }
    case SO_RCVTIMEO:
    case SO_SNDTIMEO: {
        u8 tv[sizeof(struct timeval_64)];
        u32 size = timeout_to_option(name == SO_RCVTIMEO ? sock->rcvtimeo_ns : sock->sndtimeo_ns,
                                     in_compat_syscall(), tv);
        *len = MIN(*len, size);
        memcpy(value, tv, *len);
        return 0;
    }
    default:
        return -ENOPROTOOPT;
    }
    *len = MIN(*len, (u32)sizeof(v));
    memcpy(value, &v, *len);
    return 0;
}

#define OPTION_MAX 320 /* the largest option value any family takes (TCP_INFO's 280 bytes) */

long sys_setsockopt(int fd, int level, int name, const void __user *uvalue, int len)
{
    if (len < 0)
        return -EINVAL;
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    u8 value[OPTION_MAX];
    u32 klen = MIN((u32)len, (u32)sizeof(value));
    if (klen && copy_from_user(value, uvalue, klen))
        err = -EFAULT;
    else if (level == SOL_SOCKET)
        err = sock_setsockopt_common(sock, name, value, klen);
    else
        err = sock->ops->setsockopt ? sock->ops->setsockopt(sock, level, name, value, klen) : -EOPNOTSUPP;
    fdput(f);
    return err;
}

long sys_getsockopt(int fd, int level, int name, void __user *uvalue, int __user *ulen)
{
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    int len;
    u8 value[OPTION_MAX];
    if (get_user(len, ulen)) {
        err = -EFAULT;
    } else if (len < 0) {
        err = -EINVAL;
    } else {
        u32 klen = MIN((u32)len, (u32)sizeof(value));
        err = sock->ops->getsockopt ? sock->ops->getsockopt(sock, level, name, value, &klen) : -EOPNOTSUPP;
        if (!err && (copy_to_user(uvalue, value, klen) || put_user((int)klen, ulen)))
            err = -EFAULT;
    }
    fdput(f);
    return err;
}
