/*
 * Sending and receiving: send/sendto/sendmsg/sendmmsg, recv/recvfrom/
 * recvmsg/recvmmsg. Each ABI's msghdr, iovec and cmsg layouts are read into
 * a struct kmsg here (64-bit and i386 alike), so the families see one layout;
 * control messages are written back in the receiver's layout.
 */
#include "apic.h"
#include "compat.h"
#include "errno.h"
#include "fd.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "proc.h"
#include "time.h"
#include "uaccess.h"

#define MAX_RW_COUNT 0x7ffff000l
#define INT_MAX 0x7fffffff

struct msghdr_64 {
    u64 name;
    s32 namelen;
    u64 iov;
    u64 iovlen;
    u64 control;
    u64 controllen;
    s32 flags;
};
struct msghdr_32 {
    u32 name;
    s32 namelen;
    u32 iov;
    u32 iovlen;
    u32 control;
    u32 controllen;
    s32 flags;
};
struct mmsghdr_64 {
    struct msghdr_64 hdr;
    u32 len;
};
struct mmsghdr_32 {
    struct msghdr_32 hdr;
    u32 len;
};
struct cmsghdr_64 {
    u64 len;
    s32 level, type;
};
struct cmsghdr_32 {
    u32 len;
    s32 level, type;
};
struct iovec_32 {
    u32 base, len;
};

/* A user msghdr, read in the caller's layout. */
struct user_msg {
    void __user *name;
    int namelen;
    void __user *iov;
    u64 iovlen;
    void __user *control;
    u64 controllen;
};

static size_t msghdr_size(bool compat) { return compat ? sizeof(struct msghdr_32) : sizeof(struct msghdr_64); }
static size_t mmsghdr_size(bool compat) { return compat ? sizeof(struct mmsghdr_32) : sizeof(struct mmsghdr_64); }
static size_t cmsg_align(size_t len, bool compat) { return compat ? ALIGN_UP(len, 4) : ALIGN_UP(len, 8); }
static size_t cmsg_header(bool compat) { return compat ? sizeof(struct cmsghdr_32) : sizeof(struct cmsghdr_64); }

static int read_user_msg(const void __user *umsg, bool compat, struct user_msg *out)
{
    if (compat) {
        struct msghdr_32 m;
        if (copy_from_user(&m, umsg, sizeof(m)))
            return -EFAULT;
        *out = (struct user_msg){compat_ptr(m.name), m.namelen, compat_ptr(m.iov), m.iovlen, compat_ptr(m.control),
                                 m.controllen};
    } else {
        struct msghdr_64 m;
        if (copy_from_user(&m, umsg, sizeof(m)))
            return -EFAULT;
        *out = (struct user_msg){(void __user *)m.name, m.namelen, (void __user *)m.iov, m.iovlen,
                                 (void __user *)m.control, m.controllen};
    }
    if (!out->name)
        out->namelen = 0;
    if (out->namelen < 0)
        return -EINVAL;
    if (out->namelen > SOCKADDR_MAX)
        out->namelen = SOCKADDR_MAX;
    if (out->iovlen > IOV_MAX)
        return -EMSGSIZE;
    return 0;
}

/* The iovecs into msg->iov (kmalloc'd); returns the total length, clipped to MAX_RW_COUNT as Linux does. */
static long import_iovecs(const void __user *uiov, u64 count, bool compat, struct kmsg *msg)
{
    msg->iov = kmalloc(sizeof(struct iovec) * (count ? count : 1));
    if (!msg->iov)
        return -ENOMEM;
    msg->iovlen = (int)count;
    for (u64 i = 0; i < count; i++) {
        if (compat) {
            struct iovec_32 v;
            if (copy_from_user(&v, (const u8 __user *)uiov + i * sizeof(v), sizeof(v)))
                return -EFAULT;
            msg->iov[i] = (struct iovec){v.base, v.len};
        } else if (copy_from_user(&msg->iov[i], (const u8 __user *)uiov + i * sizeof(struct iovec),
                                  sizeof(struct iovec))) {
            return -EFAULT;
        }
    }
    u64 total = 0;
    for (u64 i = 0; i < count; i++) {
        if ((s64)msg->iov[i].len < 0)
            return -EINVAL;
        u64 room = (u64)MAX_RW_COUNT - total;
        if (msg->iov[i].len > room)
            msg->iov[i].len = room;
        total += msg->iov[i].len;
    }
    return (long)total;
}

/* Walks the iovecs from `offset`, copying len bytes in the direction given. */
static int kmsg_copy(const struct kmsg *msg, u64 offset, void *kbuf, u64 len, bool to_user)
{
    u8 *k = kbuf;
    for (int i = 0; i < msg->iovlen && len; i++) {
        u64 seg = msg->iov[i].len;
        if (offset >= seg) {
            offset -= seg;
            continue;
        }
        u64 n = MIN(seg - offset, len);
        void __user *u = (void __user *)(msg->iov[i].base + offset);
        if (to_user ? copy_to_user(u, k, n) : copy_from_user(k, u, n))
            return -EFAULT;
        k += n;
        len -= n;
        offset = 0;
    }
    return 0;
}

int kmsg_copy_from(const struct kmsg *msg, u64 offset, void *dst, u64 len) { return kmsg_copy(msg, offset, dst, len, false); }
int kmsg_copy_to(const struct kmsg *msg, u64 offset, const void *src, u64 len)
{
    return kmsg_copy(msg, offset, (void *)src, len, true);
}

void scm_destroy(struct scm *scm)
{
    if (!scm)
        return;
    for (int i = 0; i < scm->nfds; i++)
        file_put(scm->files[i]);
    kfree(scm);
}

struct ucred current_ucred(void)
{
    return (struct ucred){.pid = (u32)current_task()->tgid, .uid = 0, .gid = 0};
}

/* The control messages of a send, as Linux's __scm_send: SCM_RIGHTS and SCM_CREDENTIALS at SOL_SOCKET. */
static int scm_from_user(const void __user *control, u64 controllen, bool compat, struct scm **out)
{
    *out = NULL;
    if (controllen > INT_MAX)
        return -ENOBUFS;
    size_t header = cmsg_header(compat);
    if (controllen < header)
        return 0;
    u8 *buf = kmalloc(controllen);
    struct scm *scm = kzalloc(sizeof(*scm));
    int err = 0;
    if (!buf || !scm) {
        err = -ENOMEM;
        goto out;
    }
    if (copy_from_user(buf, control, controllen)) {
        err = -EFAULT;
        goto out;
    }
    for (u64 at = 0; at + header <= controllen;) {
        u64 len;
        int level, type;
        if (compat) {
            struct cmsghdr_32 *c = (void *)(buf + at);
            len = c->len, level = c->level, type = c->type;
        } else {
            struct cmsghdr_64 *c = (void *)(buf + at);
            len = c->len, level = c->level, type = c->type;
        }
        if (len < header || len > controllen - at) {
            err = -EINVAL;
            goto out;
        }
        const u8 *data = buf + at + cmsg_align(header, compat);
        u64 data_len = len - cmsg_align(header, compat);
        if (level == SOL_SOCKET) {
            if (type == SCM_RIGHTS) {
                int n = (int)(data_len / sizeof(int));
                if (scm->nfds + n > SCM_MAX_FD) {
                    err = -EINVAL;
                    goto out;
                }
                for (int i = 0; i < n; i++) {
                    int fd;
                    memcpy(&fd, data + i * sizeof(int), sizeof(fd));
                    struct file *f = fdget(fd);
                    if (!f) {
                        err = -EBADF;
                        goto out;
                    }
                    scm->files[scm->nfds++] = f; /* fdget's reference travels with the message */
                }
            } else if (type == SCM_CREDENTIALS) {
                if (data_len != sizeof(struct ucred)) {
                    err = -EINVAL;
                    goto out;
                }
                memcpy(&scm->creds, data, sizeof(scm->creds));
                scm->has_creds = true;
            } else {
                err = -EINVAL;
                goto out;
            }
        }
        at += cmsg_align(len, compat);
    }
out:
    kfree(buf);
    if (err || (!scm->nfds && !scm->has_creds)) {
        scm_destroy(scm);
        return err;
    }
    *out = scm;
    return 0;
}

long kmsg_put_cmsg(struct kmsg *msg, int level, int type, const void *data, u64 len)
{
    bool compat = msg->flags & MSG_CMSG_COMPAT;
    size_t header = cmsg_header(compat);
    if (!msg->control || msg->controllen < header) {
        msg->flags |= MSG_CTRUNC;
        return 0;
    }
    u64 cmlen = cmsg_align(header, compat) + len;
    if (msg->controllen < cmlen) {
        msg->flags |= MSG_CTRUNC;
        cmlen = msg->controllen;
    }
    int err;
    if (compat) {
        struct cmsghdr_32 c = {(u32)cmlen, level, type};
        err = copy_to_user(msg->control, &c, sizeof(c));
    } else {
        struct cmsghdr_64 c = {cmlen, level, type};
        err = copy_to_user(msg->control, &c, sizeof(c));
    }
    u64 data_len = cmlen - cmsg_align(header, compat);
    if (err || copy_to_user((u8 __user *)msg->control + cmsg_align(header, compat), data, data_len))
        return -EFAULT;
    u64 used = MIN(cmsg_align(cmlen, compat), msg->controllen);
    msg->control = (u8 __user *)msg->control + used;
    msg->controllen -= used;
    return (long)data_len;
}

int scm_deliver(struct kmsg *msg, const struct ucred *creds, struct file **files, int nfds)
{
    int err = 0;
    if (creds && kmsg_put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, creds, sizeof(*creds)) < 0)
        err = -EFAULT;
    if (!nfds)
        return err;
    bool compat = msg->flags & MSG_CMSG_COMPAT;
    size_t header = cmsg_align(cmsg_header(compat), compat);
    int room = msg->control && msg->controllen > header ? (int)((msg->controllen - header) / sizeof(int)) : 0;
    int fds[SCM_MAX_FD];
    int installed = 0;
    for (int i = 0; i < nfds; i++) {
        if (!err && installed < room) {
            int fd = fd_install(files[i], 0, msg->flags & MSG_CMSG_CLOEXEC);
            if (fd >= 0) {
                fds[installed++] = fd;
                continue;
            }
            err = fd;
        }
        file_put(files[i]);
    }
    if (installed < nfds)
        msg->flags |= MSG_CTRUNC;
    if (installed && kmsg_put_cmsg(msg, SOL_SOCKET, SCM_RIGHTS, fds, installed * sizeof(int)) < 0)
        err = -EFAULT;
    return err == -EMFILE ? 0 : err; /* Linux reports a full table as MSG_CTRUNC only */
}

static long send_kmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    if (sock->file->flags & O_NONBLOCK)
        flags |= MSG_DONTWAIT;
    return sock->ops->sendmsg(sock, msg, len, flags);
}

long sys_sendto(int fd, const void __user *buf, u64 len, u32 flags, const void __user *uaddr, int addrlen)
{
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    u8 addr[SOCKADDR_MAX];
    struct iovec iov = {(u64)buf, MIN(len, (u64)MAX_RW_COUNT)};
    struct kmsg msg = {.iov = &iov, .iovlen = 1};
    err = 0;
    if (uaddr) {
        if (addrlen < 0 || addrlen > SOCKADDR_MAX)
            err = -EINVAL;
        else if (copy_from_user(addr, uaddr, (size_t)addrlen))
            err = -EFAULT;
        msg.name = addr;
        msg.namelen = addrlen;
    }
    if (!err)
        err = send_kmsg(sock, &msg, iov.len, flags);
    fdput(f);
    return err;
}

long sys_recvfrom(int fd, void __user *buf, u64 len, u32 flags, void __user *uaddr, int __user *ulen)
{
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    u8 addr[SOCKADDR_MAX];
    struct iovec iov = {(u64)buf, MIN(len, (u64)MAX_RW_COUNT)};
    struct kmsg msg = {.name = addr, .iov = &iov, .iovlen = 1};
    if (sock->file->flags & O_NONBLOCK)
        flags |= MSG_DONTWAIT;
    err = sock->ops->recvmsg(sock, &msg, iov.len, flags & ~(u32)MSG_CMSG_COMPAT);
    if (err >= 0 && uaddr) {
        int e = address_to_user(addr, msg.namelen, uaddr, ulen);
        if (e)
            err = e;
    }
    fdput(f);
    return err;
}

long sys_send(int fd, const void __user *buf, u64 len, u32 flags) { return sys_sendto(fd, buf, len, flags, NULL, 0); }
long sys_recv(int fd, void __user *buf, u64 len, u32 flags) { return sys_recvfrom(fd, buf, len, flags, NULL, NULL); }

static long sendmsg_one(struct socket *sock, const void __user *umsg, u32 flags, bool compat)
{
    struct user_msg um;
    long err = read_user_msg(umsg, compat, &um);
    if (err)
        return err;
    u8 addr[SOCKADDR_MAX];
    struct kmsg msg = {0};
    if (um.namelen) {
        if (copy_from_user(addr, um.name, (size_t)um.namelen))
            return -EFAULT;
        msg.name = addr;
        msg.namelen = um.namelen;
    }
    long len = import_iovecs(um.iov, um.iovlen, compat, &msg);
    if (len >= 0)
        len = scm_from_user(um.control, um.controllen, compat, &msg.scm) ?: len;
    if (len >= 0)
        len = send_kmsg(sock, &msg, (u64)len, flags);
    scm_destroy(msg.scm);
    kfree(msg.iov);
    return len;
}

static long recvmsg_one(struct socket *sock, void __user *umsg, u32 flags, bool compat)
{
    struct user_msg um;
    long err = read_user_msg(umsg, compat, &um);
    if (err)
        return err;
    u8 addr[SOCKADDR_MAX];
    struct kmsg msg = {.name = addr, .control = um.control, .controllen = um.controllen};
    msg.flags = (flags & MSG_CMSG_CLOEXEC) | (compat ? MSG_CMSG_COMPAT : 0);
    long len = import_iovecs(um.iov, um.iovlen, compat, &msg);
    if (len >= 0) {
        if (sock->file->flags & O_NONBLOCK)
            flags |= MSG_DONTWAIT;
        len = sock->ops->recvmsg(sock, &msg, (u64)len, flags & ~(u32)(MSG_CMSG_COMPAT | MSG_CMSG_CLOEXEC));
    }
    kfree(msg.iov);
    if (len < 0)
        return len;
    /* What the call found goes back into the user's msghdr. */
    u64 used = um.controllen - msg.controllen;
    s32 out_flags = (s32)(msg.flags & ~(u32)MSG_CMSG_COMPAT); /* MSG_CMSG_CLOEXEC shows, as on Linux */
    size_t namelen_at = compat ? offsetof(struct msghdr_32, namelen) : offsetof(struct msghdr_64, namelen);
    if (um.name && address_to_user(addr, msg.namelen, um.name, (int __user *)((u8 __user *)umsg + namelen_at)))
        return -EFAULT;
    if (compat) {
        struct msghdr_32 __user *m = umsg;
        if (put_user((u32)used, &m->controllen) || put_user(out_flags, &m->flags))
            return -EFAULT;
    } else {
        struct msghdr_64 __user *m = umsg;
        if (put_user(used, &m->controllen) || put_user(out_flags, &m->flags))
            return -EFAULT;
    }
    return len;
}

long do_sendmsg(int fd, void __user *umsg, u32 flags, bool compat)
{
    if (!compat && (flags & MSG_CMSG_COMPAT))
        return -EINVAL;
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    err = sendmsg_one(sock, umsg, flags & ~MSG_CMSG_COMPAT, compat);
    fdput(f);
    return err;
}

long do_recvmsg(int fd, void __user *umsg, u32 flags, bool compat)
{
    if (!compat && (flags & MSG_CMSG_COMPAT))
        return -EINVAL;
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    err = recvmsg_one(sock, umsg, flags, compat);
    fdput(f);
    return err;
}

long sys_sendmsg(int fd, void __user *umsg, u32 flags) { return do_sendmsg(fd, umsg, flags, false); }
long sys_recvmsg(int fd, void __user *umsg, u32 flags) { return do_recvmsg(fd, umsg, flags, false); }

long do_sendmmsg(int fd, void __user *vec, u32 vlen, u32 flags, bool compat)
{
    if (!compat && (flags & MSG_CMSG_COMPAT))
        return -EINVAL;
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    if (vlen > IOV_MAX)
        vlen = IOV_MAX;
    u32 sent = 0;
    err = 0;
    for (; sent < vlen; sent++) {
        u8 __user *entry = (u8 __user *)vec + sent * mmsghdr_size(compat);
        long n = sendmsg_one(sock, entry, flags & ~MSG_CMSG_COMPAT, compat);
        if (n < 0) {
            err = n;
            break;
        }
        if (put_user((u32)n, (u32 __user *)(entry + msghdr_size(compat)))) {
            err = -EFAULT;
            break;
        }
    }
    fdput(f);
    return sent ? (long)sent : err;
}

long do_recvmmsg(int fd, void __user *vec, u32 vlen, u32 flags, s64 timeout_ns, bool compat)
{
    if (!compat && (flags & MSG_CMSG_COMPAT))
        return -EINVAL;
    struct file *f;
    long err;
    struct socket *sock = socket_fdget(fd, &f, &err);
    if (!sock)
        return err;
    if (vlen > IOV_MAX)
        vlen = IOV_MAX;
    u64 deadline = timeout_ns >= 0 ? monotonic_ns() + (u64)timeout_ns : 0;
    u32 received = 0;
    err = 0;
    while (received < vlen) {
        u8 __user *entry = (u8 __user *)vec + received * mmsghdr_size(compat);
        long n = recvmsg_one(sock, entry, flags & ~MSG_CMSG_COMPAT & ~(u32)MSG_WAITFORONE, compat);
        if (n < 0) {
            err = n;
            break;
        }
        if (put_user((u32)n, (u32 __user *)(entry + msghdr_size(compat)))) {
            err = -EFAULT;
            break;
        }
        received++;
        if (flags & MSG_WAITFORONE)
            flags |= MSG_DONTWAIT;
        if (deadline && monotonic_ns() >= deadline)
            break;
    }
    fdput(f);
    return received ? (long)received : err;
}

long sys_sendmmsg(int fd, void __user *vec, u32 vlen, u32 flags) { return do_sendmmsg(fd, vec, vlen, flags, false); }

long sys_recvmmsg(int fd, void __user *vec, u32 vlen, u32 flags, struct timespec_k __user *timeout)
{
    s64 ns = -1;
    if (timeout) {
        struct timespec_k ts;
        if (copy_from_user(&ts, timeout, sizeof(ts)))
            return -EFAULT;
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
            return -EINVAL;
        ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
    }
    return do_recvmmsg(fd, vec, vlen, flags, ns, false);
}
