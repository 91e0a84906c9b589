/*
 * UDP on loopback (docs/sockets.md): a send copies the datagram once into a
 * buffer and queues it on the socket its address and port reach, which a
 * receive copies it out of. What Linux's network does on the way is kept:
 * the socket whose bound address fits best takes it (a connected socket only
 * from its peer), a full receive buffer (SO_RCVBUF) drops it, and a datagram
 * to a port nobody has is answered by ICMP's port unreachable, which a
 * connected sender sees as ECONNREFUSED on its next call.
 */
#include "errno.h"
#include "fasync.h"
#include "inet.h"
#include "lib.h"
#include "mm.h"
#include "seq_buf.h"
#include "uaccess.h"

#define UDP_MAX_PAYLOAD_V4 65507 /* 65535 less the IPv4 and UDP headers */
#define UDP_MAX_PAYLOAD_V6 65527 /* 65535 less the UDP header */
#define UDP_SKB_HEADROOM 192     /* what Linux allocates before a datagram's bytes */
#define UDP_SKB_OVERHEAD 576     /* struct sk_buff and skb_shared_info, aligned */
#define UDP_SKB_SMALLEST 256
#define SHUTDOWN_MASK (RCV_SHUTDOWN | SEND_SHUTDOWN)
#define SIOCINQ 0x541B
#define SIOCOUTQ 0x5411
#define UDP_CORK 1
#define POLLWRBAND 0x200

struct udp_dgram {
    struct udp_dgram *next;
    u32 len, truesize;
    struct inet_endpoint from;
    u8 data[];
};

struct udp_sock {
    struct inet_sock inet;
    struct udp_dgram *rx_head, *rx_tail;
    u64 rmem;                  /* the truesize of what is queued, against SO_RCVBUF */
    u32 drops;
};

static struct udp_sock *udp_sk(struct socket *sock) { return sock->sk; }

/* What a datagram is charged against SO_RCVBUF (and /proc/net/udp shows):
 * Linux's truesize, a power of two of data and headroom plus the sk_buff. */
static u32 truesize(u64 len)
{
    u64 data = UDP_SKB_SMALLEST;
    while (data < len + UDP_SKB_HEADROOM)
        data <<= 1;
    return (u32)(data + UDP_SKB_OVERHEAD);
}

static void dgram_free_list(struct udp_dgram *d)
{
    while (d) {
        struct udp_dgram *next = d->next;
        kfree(d);
        d = next;
    }
}

/* Called with inet_lock held: an unbound socket gets an ephemeral port (EAGAIN when none is left). */
static int autobind(struct udp_sock *u)
{
    if (u->inet.bound)
        return 0;
    struct inet_endpoint any = u->inet.local;
    any.port = 0;
    u->inet.reuse = u->inet.sock->reuseaddr;
    return inet_port_bind(&udp_ports, &u->inet, &any, -EAGAIN);
}

static void disconnect(struct udp_sock *u)
{
    u->inet.state = TCP_CLOSE;
    memset(&u->inet.remote, 0, sizeof(u->inet.remote));
    if (!u->inet.port_locked) {
        inet_port_unbind(&udp_ports, &u->inet);
        u->inet.local.port = 0;
    }
    if (!u->inet.addr_locked) {
        memset(u->inet.local.addr, 0, INET_ADDR_LEN);
        if (u->inet.family == AF_INET)
            inet_addr_set_v4(u->inet.local.addr, 0);
    }
    u->inet.sock->state = SS_UNCONNECTED;
}

static int udp_connect(struct socket *sock, const void *addr, int len, u32 file_flags)
{
    (void)file_flags;
    struct udp_sock *u = udp_sk(sock);
    if (len < (int)sizeof(u16))
        return -EINVAL;
    u16 sa_family;
    memcpy(&sa_family, addr, sizeof(sa_family));
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = 0;
    if (sa_family == AF_UNSPEC) {
        disconnect(u);
        goto out;
    }
    err = autobind(u);
    if (err)
        goto out;
    struct inet_endpoint dest;
    if (u->inet.family == AF_INET6 && sa_family == AF_INET && u->inet.v6only) {
        err = -EAFNOSUPPORT;
        goto out;
    }
    err = inet_addr_from_user(u->inet.family, INET_USE_CONNECT, addr, len, &dest);
    if (err)
        goto out;
    u8 saddr[INET_ADDR_LEN];
    err = inet_route(&u->inet, dest.addr, saddr);
    if (err)
        goto out;
    if (inet_addr_is_any(u->inet.local.addr))
        memcpy(u->inet.local.addr, saddr, INET_ADDR_LEN);
    u->inet.remote = dest;
    u->inet.state = TCP_ESTABLISHED;
    sock->state = SS_CONNECTED;
out:
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

/* The socket a datagram from `src` to `dest` goes to: the best fit, as Linux's compute_score. */
static struct udp_sock *find_receiver(const struct inet_endpoint *dest, const struct inet_endpoint *src)
{
    struct udp_sock *best = NULL;
    int best_score = 0;
    for (struct inet_sock *e = inet_port_chain(&udp_ports, dest->port); e; e = e->port_next) {
        if (e->local.port != dest->port || !inet_local_matches(e, dest->addr))
            continue;
        int score = 1;
        if (e->state == TCP_ESTABLISHED) {
            if (e->remote.port != src->port || memcmp(e->remote.addr, src->addr, INET_ADDR_LEN))
                continue;
            score += 4;
        }
        if (!memcmp(e->local.addr, dest->addr, INET_ADDR_LEN))
            score += 2;
        if ((e->family == AF_INET) == inet_addr_is_v4(dest->addr))
            score += 1;
        if (score > best_score) {
            best_score = score;
            best = (struct udp_sock *)e;
        }
    }
    return best;
}

static long udp_sendmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct udp_sock *u = udp_sk(sock);
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    u64 irq = spin_lock_irqsave(&inet_lock);
    long err = autobind(u);
    struct inet_endpoint dest, src;
    bool has_dest = false;
    if (!err && msg->namelen) {
        int r = inet_addr_from_user(u->inet.family, INET_USE_SENDTO, msg->name, msg->namelen, &dest);
        if (r < 0)
            err = r;
        else if (r == 0 && inet_addr_is_v4(dest.addr) && u->inet.family == AF_INET6 && u->inet.v6only)
            err = -ENETUNREACH;
        else if (r == 0 && !dest.port)
            err = -EINVAL;
        has_dest = r == 0;
    }
    if (!err && !has_dest) {
        if (u->inet.state != TCP_ESTABLISHED)
            err = -EDESTADDRREQ;
        dest = u->inet.remote;
    }
    u64 max = inet_addr_is_v4(dest.addr) ? UDP_MAX_PAYLOAD_V4 : UDP_MAX_PAYLOAD_V6;
    if (!err && len > max)
        err = -EMSGSIZE;
    if (!err) {
        src.port = u->inet.local.port;
        err = inet_route(&u->inet, dest.addr, src.addr);
        if (!err && !inet_addr_is_any(u->inet.local.addr))
            memcpy(src.addr, u->inet.local.addr, INET_ADDR_LEN);
    }
    if (!err)
        err = inet_take_error(&u->inet);
    if (!err && (u->inet.shutdown & SEND_SHUTDOWN))
        err = -EPIPE;
    spin_unlock_irqrestore(&inet_lock, irq);
    if (err)
        return err;
    struct udp_dgram *d = kmalloc(sizeof(*d) + len);
    if (!d)
        return -ENOBUFS;
    if (kmsg_copy_from(msg, 0, d->data, len)) {
        kfree(d);
        return -EFAULT;
    }
    d->next = NULL;
    d->len = (u32)len;
    d->truesize = truesize(len);
    d->from = src;
    irq = spin_lock_irqsave(&inet_lock);
    inet_count_packet(dest.addr, len, UDP_HEADER_LEN);
    struct udp_sock *r = find_receiver(&dest, &src);
    if (!r) {
        /* ICMP port unreachable: a connected sender (or one asking with IP_RECVERR) hears of it. */
        if (u->inet.state == TCP_ESTABLISHED || u->inet.recverr) {
            u->inet.err = ECONNREFUSED;
            wake_up_all(&u->inet.wait);
        }
    } else if (r->rmem > (u64)inet_rcvbuf(&r->inet) || (r->inet.shutdown & RCV_SHUTDOWN)) {
        r->drops++;
    } else {
        if (r->rx_tail)
            r->rx_tail->next = d;
        else
            r->rx_head = d;
        r->rx_tail = d;
        r->rmem += d->truesize;
        d = NULL;
        wake_up_all(&r->inet.wait);
        fasync_notify(r->inet.sock, POLL_IN);
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    kfree(d);
    return (long)len;
}

static long udp_recvmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct udp_sock *u = udp_sk(sock);
    msg->namelen = 0;
    if (flags & MSG_ERRQUEUE)
        return -EAGAIN; /* errors are reported through SO_ERROR only */
    u64 timeout = sock->rcvtimeo_ns, deadline = socket_deadline(timeout);
    u64 irq = spin_lock_irqsave(&inet_lock);
    long result = 0;
    struct udp_dgram *d;
    for (;;) {
        result = inet_take_error(&u->inet);
        if (result)
            break;
        d = u->rx_head;
        if (d)
            break;
        if (socket_nonblocking(sock, flags)) {
            result = -EAGAIN;
            break;
        }
        if (u->inet.shutdown & RCV_SHUTDOWN)
            break;
        int e = wait_sleep(&u->inet.wait, &inet_lock, deadline);
        if (e) {
            result = socket_sleep_errno(e, timeout);
            break;
        }
    }
    if (result || !d) {
        spin_unlock_irqrestore(&inet_lock, irq);
        return result;
    }
    u64 n = MIN(len, (u64)d->len);
    bool fault = kmsg_copy_to(msg, 0, d->data, n) != 0;
    if (d->len > len)
        msg->flags |= MSG_TRUNC;
    if (msg->name)
        msg->namelen = inet_addr_to_sockaddr(u->inet.family, &d->from, msg->name);
    result = fault ? -EFAULT : (long)((flags & MSG_TRUNC) ? d->len : n);
    if (!(flags & MSG_PEEK) || fault) {
        /* A datagram that could not be copied is lost, as on Linux. */
        u->rx_head = d->next;
        if (!u->rx_head)
            u->rx_tail = NULL;
        u->rmem -= d->truesize;
        d->next = NULL;
    } else {
        d = NULL;
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    kfree(d);
    return result;
}

static unsigned udp_poll(struct socket *sock, struct file *f, struct poll_table *table)
{
    struct udp_sock *u = udp_sk(sock);
    poll_wait(f, &u->inet.wait, table);
    u64 irq = spin_lock_irqsave(&inet_lock);
    unsigned mask = POLLOUT | POLLWRNORM | POLLWRBAND; /* a datagram never waits for room here */
    if (u->inet.err)
        mask |= POLLERR;
    if (u->inet.shutdown & RCV_SHUTDOWN)
        mask |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (u->inet.shutdown == SHUTDOWN_MASK)
        mask |= POLLHUP;
    if (u->rx_head)
        mask |= POLLIN | POLLRDNORM;
    spin_unlock_irqrestore(&inet_lock, irq);
    return mask;
}

static int udp_shutdown(struct socket *sock, int how)
{
    struct udp_sock *u = udp_sk(sock);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = u->inet.state == TCP_ESTABLISHED ? 0 : -ENOTCONN;
    u->inet.shutdown |= (u32)how + 1; /* set even when not connected, as Linux: poll shows it */
    wake_up_all(&u->inet.wait);
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

static void udp_release(struct socket *sock)
{
    struct udp_sock *u = udp_sk(sock);
    if (!u)
        return;
    u64 irq = spin_lock_irqsave(&inet_lock);
    sock->sk = NULL;
    u->inet.sock = NULL;
    inet_port_unbind(&udp_ports, &u->inet);
    struct udp_dgram *rx = u->rx_head;
    u->rx_head = u->rx_tail = NULL;
    spin_unlock_irqrestore(&inet_lock, irq);
    dgram_free_list(rx);
    if (refcount_put(&u->inet.refs))
        kfree(u);
}

static int udp_listen(struct socket *sock, int backlog)
{
    (void)sock, (void)backlog;
    return -EOPNOTSUPP;
}

static int udp_accept(struct socket *sock, struct socket *child, u32 file_flags)
{
    (void)sock, (void)child, (void)file_flags;
    return -EOPNOTSUPP;
}

static int udp_setsockopt(struct socket *sock, int level, int name, const void *value, u32 len)
{
    if (level == SOL_UDP)
        return -ENOPROTOOPT;
    return inet_setsockopt(sock, level, name, value, len);
}

static int udp_getsockopt(struct socket *sock, int level, int name, void *value, u32 *len)
{
    if (level == SOL_UDP) {
        if (name != UDP_CORK)
            return -ENOPROTOOPT;
        int corked = 0; /* MSG_MORE and UDP_CORK are not kept: every send is a datagram */
        *len = MIN(*len, (u32)sizeof(corked));
        memcpy(value, &corked, *len);
        return 0;
    }
    return inet_getsockopt(sock, level, name, value, len);
}

static long udp_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
    struct udp_sock *u = udp_sk(sock);
    if (cmd != SIOCINQ && cmd != SIOCOUTQ)
        return -ENOIOCTLCMD; /* the interface ioctls' (netdev_ioctl) */
    u64 irq = spin_lock_irqsave(&inet_lock);
    int amount = cmd == SIOCINQ && u->rx_head ? (int)u->rx_head->len : 0;
    spin_unlock_irqrestore(&inet_lock, irq);
    return put_user(amount, (int __user *)arg) ? -EFAULT : 0;
}

/* ---- /proc/net/udp and udp6, in Linux's format ---- */

#define UDP4_LINE_WIDTH 127 /* Linux pads each line of /proc/net/udp to this */

static void pad_line(struct seq_buf *m, size_t start)
{
    while (m->len - start < UDP4_LINE_WIDTH && !m->overflow)
        seq_write(m, " ", 1);
    seq_write(m, "\n", 1);
}

static void udp_proc_show(struct seq_buf *m, bool v6)
{
    size_t start = m->len;
    if (v6) {
        seq_printf(m, "  sl  local_address                         remote_address                        st tx_queue "
                      "rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
    } else {
        seq_printf(m, "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
                      "inode ref pointer drops");
        pad_line(m, start);
    }
    int family = v6 ? AF_INET6 : AF_INET;
    u64 irq = spin_lock_irqsave(&inet_lock);
    for (size_t c = 0; c < ARRAY_SIZE(udp_ports.chains); c++) {
        for (struct inet_sock *s = udp_ports.chains[c]; s; s = s->port_next) {
            if (s->family != family)
                continue;
            struct udp_sock *u = (struct udp_sock *)s;
            start = m->len;
            seq_printf(m, "%5d: ", (int)c);
            inet_show_endpoint(m, &s->local, v6);
            seq_write(m, " ", 1);
            inet_show_endpoint(m, &s->remote, v6);
            seq_printf(m, " %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016lx %u", s->state, 0, (u32)u->rmem, 0,
                       0ul, 0, 0u, 0, (unsigned long)inet_ino(s), 2, 0ul, u->drops);
            if (v6)
                seq_write(m, "\n", 1);
            else
                pad_line(m, start);
        }
    }
    spin_unlock_irqrestore(&inet_lock, irq);
}

void udp4_proc_show(struct task *task, struct seq_buf *m)
{
    (void)task;
    udp_proc_show(m, false);
}

void udp6_proc_show(struct task *task, struct seq_buf *m)
{
    (void)task;
    udp_proc_show(m, true);
}

static const struct proto_ops udp_ops = {
    .family = AF_INET,
    .release = udp_release,
    .bind = inet_bind,
    .connect = udp_connect,
    .listen = udp_listen,
    .accept = udp_accept,
    .getname = inet_getname,
    .poll = udp_poll,
    .shutdown = udp_shutdown,
    .setsockopt = udp_setsockopt,
    .getsockopt = udp_getsockopt,
    .sendmsg = udp_sendmsg,
    .recvmsg = udp_recvmsg,
    .ioctl = udp_ioctl,
};

int udp_create(struct socket *sock, int family)
{
    struct udp_sock *u = kzalloc(sizeof(*u));
    if (!u)
        return -ENOBUFS;
    inet_sock_init(&u->inet, sock, family, IPPROTO_UDP);
    sock->sk = u;
    sock->ops = &udp_ops;
    return 0;
}
