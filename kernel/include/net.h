/*
 * The socket layer (kernel/net/, docs/sockets.md): a socket is an inode of
 * sockfs, an unmounted file system like pipefs, whose open file's private
 * data is a struct socket. Each address family registers the function that
 * creates its sockets (net_family_register, Linux's sock_register), and each
 * socket carries its family's proto_ops, which the system calls call.
 */
#ifndef SYSGATE_NET_H
#define SYSGATE_NET_H

#include "fs.h"
#include "refcount.h"
#include "rw.h"
#include "time.h"
#include "types.h"
#include "wait.h"

#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AF_MAX 46 /* Linux's NPROTO: families at or above it are EAFNOSUPPORT */

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_MAX 11 /* types at or above it are EINVAL */
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC O_CLOEXEC

#define SOL_SOCKET 1
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_LINGER 13
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVTIMEO 20 /* the _OLD ones: a struct timeval of the caller's ABI */
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39

#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2

#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_ERRQUEUE 0x2000 /* the socket's error queue, always empty here */
#define MSG_NOSIGNAL 0x4000
#define MSG_WAITFORONE 0x10000
#define MSG_CMSG_CLOEXEC 0x40000000
#define MSG_CMSG_COMPAT 0x80000000u /* the kernel's own: the control data is i386's */

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2

#define POLLRDHUP 0x2000

#define SOCKADDR_MAX 128 /* sizeof(struct sockaddr_storage) */
#define SOCK_MIN_SNDBUF 4608 /* Linux's minimums: 2 * (2048 + the skb overhead) */
#define SOCK_MIN_RCVBUF 2304
#define SOCK_DEFAULT_BUF 212992 /* net.core.wmem_default, rmem_default */
#define SOCK_MAX_BUF 212992     /* net.core.wmem_max, rmem_max */
#define SOMAXCONN 4096

/* The kernel's own errno, never returned to a program: a family's ioctl does
 * not know the command, which then goes to the interface ioctls (netdev_ioctl). */
#define ENOIOCTLCMD 515

enum socket_state { SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED, SS_DISCONNECTING };

struct ucred {
    u32 pid, uid, gid;
};

/* A message being sent or received, with its user memory already described
 * in the kernel's layout (each ABI copies its msghdr in its own way). */
struct kmsg {
    void *name;                /* SOCKADDR_MAX bytes: the address to send to, or the sender's */
    int namelen;               /* 0: none */
    struct iovec *iov;
    int iovlen;
    void __user *control;      /* the user's control buffer */
    u64 controllen;            /* its size; recvmsg leaves the size used */
    u32 flags;                 /* recvmsg: MSG_TRUNC, MSG_CTRUNC, MSG_CMSG_COMPAT, MSG_CMSG_CLOEXEC */
    struct scm *scm;           /* sendmsg: the control data, NULL when none */
};

#define SCM_MAX_FD 253 /* descriptors in one SCM_RIGHTS message, as Linux */

/* The control data of a message being sent, taken from the user's cmsgs:
 * the files are held (the family takes them over by zeroing nfds). */
struct scm {
    int nfds;
    struct file *files[SCM_MAX_FD];
    bool has_creds;
    struct ucred creds;
};
void scm_destroy(struct scm *scm);
/* Delivers received control data into a recvmsg's buffer: the credentials
 * (when `creds`), then the files, installed as descriptors (the ones that do
 * not fit are closed, with MSG_CTRUNC). Consumes the files' references. */
int scm_deliver(struct kmsg *msg, const struct ucred *creds, struct file **files, int nfds);
struct ucred current_ucred(void);

struct socket;

/* A family's operations (Linux's proto_ops). Each returns a negative errno or its result. */
struct proto_ops {
    int family;
    void (*release)(struct socket *sock);
    int (*socketpair)(struct socket *a, struct socket *b); /* connects two new sockets */
    int (*bind)(struct socket *sock, const void *addr, int len);
    int (*connect)(struct socket *sock, const void *addr, int len, u32 file_flags);
    int (*listen)(struct socket *sock, int backlog);
    /* Fills `child`, a new socket of the same family, with the next connection. */
    int (*accept)(struct socket *sock, struct socket *child, u32 file_flags);
    /* The socket's own address (peer false) or its peer's, into addr; returns the length. */
    int (*getname)(struct socket *sock, void *addr, bool peer);
    unsigned (*poll)(struct socket *sock, struct file *f, struct poll_table *table);
    int (*shutdown)(struct socket *sock, int how);
    int (*setsockopt)(struct socket *sock, int level, int name, const void *value, u32 len);
    int (*getsockopt)(struct socket *sock, int level, int name, void *value, u32 *len);
    long (*sendmsg)(struct socket *sock, struct kmsg *msg, u64 len, u32 flags);
    long (*recvmsg)(struct socket *sock, struct kmsg *msg, u64 len, u32 flags);
    long (*ioctl)(struct socket *sock, unsigned cmd, u64 arg);
};

struct socket {
    short type;                /* SOCK_STREAM ... */
    int family, protocol;
    enum socket_state state;
    refcount_t refs;           /* its file; the family's objects that point back */
    struct file *file;
    const struct proto_ops *ops;
    void *sk;                  /* the family's own state */
    /* Common options (SOL_SOCKET): */
    int sndbuf, rcvbuf;
    bool passcred, reuseaddr, keepalive;
    bool listening;            /* SO_ACCEPTCONN */
    int linger_onoff, linger_secs;
    u64 rcvtimeo_ns, sndtimeo_ns; /* 0: wait for ever */
    /* A send found no room with O_ASYNC on: the room that comes next is
     * announced to O_ASYNC owners as POLL_OUT, once (Linux's SOCKWQ_ASYNC_NOSPACE). */
    bool async_nospace;
};

/* A send found no room (under the family's lock): marked if O_ASYNC is on. */
void socket_no_room(struct socket *sock);
/* Room again for sends (under the family's lock): POLL_OUT to the O_ASYNC
 * owners if the socket is marked, and the mark goes (Linux's SOCK_WAKE_SPACE). */
void socket_room_announce(struct socket *sock);

/* Creates a socket of the family; the family fills sock->ops and sock->sk. */
typedef int (*net_family_create)(struct socket *sock, int protocol);
void net_family_register(int family, net_family_create create);
void af_unix_init(void);
void inet_init(void); /* AF_INET and AF_INET6: net/inet.c */
/* ICMP sockets (net/icmp.c): AF_INET's and AF_INET6's create call it for
 * SOCK_RAW (of the family's ICMP only: EPROTONOSUPPORT for other protocols)
 * and for SOCK_DGRAM with the family's ICMP protocol (ping sockets). */
#define IPPROTO_ICMP 1
#define IPPROTO_ICMPV6 58
static inline int icmp_protocol(int family) { return family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP; }
int icmp_create(struct socket *sock, int type, int protocol);
struct seq_buf;
struct task;
/* /proc/net/raw and raw6: the raw sockets, in Linux's format. */
void raw_proc_show(struct task *t, struct seq_buf *s);
void raw6_proc_show(struct task *t, struct seq_buf *s);
/* /proc/sys/net/ipv4/ping_group_range: who may make ping sockets (everyone). */
void ping_group_range_show(struct task *t, struct seq_buf *s);
/* /proc/net/tcp, tcp6, udp and udp6 in Linux's format (net/tcp.c, net/udp.c). */
void tcp4_proc_show(struct task *t, struct seq_buf *s);
void tcp6_proc_show(struct task *t, struct seq_buf *s);
void udp4_proc_show(struct task *t, struct seq_buf *s);
void udp6_proc_show(struct task *t, struct seq_buf *s);
/* /proc/net/unix: every AF_UNIX socket, in Linux's format. */
void unix_proc_show(struct task *t, struct seq_buf *s);

/* A new socket with its file (file_flags: O_NONBLOCK), or NULL and *err. */
struct socket *socket_create_file(int family, int type, int protocol, u32 file_flags, int *err);
/* The socket an accept returns: the listener's family, type and ops, no state yet. */
struct socket *socket_create_child(struct socket *listener, u32 file_flags);
bool net_family_known(int family);
void socket_get(struct socket *sock);
void socket_put(struct socket *sock);
/* The socket of an open file, or NULL when it is not one. */
struct socket *socket_of_file(struct file *f);

/* Sleeping in a socket call: the deadline of a send or receive (its timeout
 * option, none with O_NONBLOCK or MSG_DONTWAIT: see socket_would_block), and
 * the errno an interrupted or timed-out sleep gives, as Linux's
 * sock_intr_errno. */
u64 socket_deadline(u64 timeout_ns);
int socket_sleep_errno(int err, u64 timeout_ns);
static inline bool socket_nonblocking(const struct socket *sock, u32 msg_flags)
{
    return (msg_flags & MSG_DONTWAIT) || (sock->file && (sock->file->flags & O_NONBLOCK));
}

/* Copying between a kmsg's iovecs and the kernel: bytes at `offset` of the message. 0 or -EFAULT. */
int kmsg_copy_from(const struct kmsg *msg, u64 offset, void *dst, u64 len);
int kmsg_copy_to(const struct kmsg *msg, u64 offset, const void *src, u64 len);
/* Appends one control message (level, type, data) to the kmsg's control
 * buffer in the receiver's layout; MSG_CTRUNC when it does not fit. Returns
 * how many data bytes went in, or -EFAULT. */
long kmsg_put_cmsg(struct kmsg *msg, int level, int type, const void *data, u64 len);

/* The common options, which the families' setsockopt/getsockopt fall back to. */
int sock_setsockopt_common(struct socket *sock, int name, const void *value, u32 len);
int sock_getsockopt_common(struct socket *sock, int name, void *value, u32 *len);

/* The socket behind a descriptor, its file held (fdput when done): NULL and EBADF or ENOTSOCK. */
struct socket *socket_fdget(int fd, struct file **file, long *err);
int address_to_user(const void *addr, int klen, void __user *uaddr, int __user *ulen);

/* The i386 socket calls that take structures of the 32-bit layout. */
long do_sendmsg(int fd, void __user *umsg, u32 flags, bool compat);
long do_recvmsg(int fd, void __user *umsg, u32 flags, bool compat);
long do_sendmmsg(int fd, void __user *vec, u32 vlen, u32 flags, bool compat);
long do_recvmmsg(int fd, void __user *vec, u32 vlen, u32 flags, s64 timeout_ns, bool compat);
/* Both ABIs' (SO_RCVTIMEO's timeval follows in_compat_syscall()). */
long sys_setsockopt(int fd, int level, int name, const void __user *value, int len);
long sys_getsockopt(int fd, int level, int name, void __user *value, int __user *len);
long sys_socket(int family, int type, int protocol);
long sys_socketpair(int family, int type, int protocol, int __user *sv);
long sys_bind(int fd, const void __user *addr, int len);
long sys_connect(int fd, const void __user *addr, int len);
long sys_listen(int fd, int backlog);
long sys_accept4(int fd, void __user *addr, int __user *len, int flags);
long sys_getsockname(int fd, void __user *addr, int __user *len);
long sys_getpeername(int fd, void __user *addr, int __user *len);
long sys_sendto(int fd, const void __user *buf, u64 len, u32 flags, const void __user *addr, int addrlen);
long sys_recvfrom(int fd, void __user *buf, u64 len, u32 flags, void __user *addr, int __user *addrlen);
long sys_shutdown(int fd, int how);

#endif
