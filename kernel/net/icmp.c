/*
 * ICMP over loopback: ping sockets (SOCK_DGRAM, IPPROTO_ICMP) and raw ICMP
 * sockets (SOCK_RAW, IPPROTO_ICMP), as Linux's net/ipv4/ping.c, raw.c and
 * icmp.c behave for the addresses of lo.
 *
 * A send builds the IPv4 packet Linux would (TTL 64, DF, the kernel's
 * identifier and checksum on a ping socket's echo request), counts it on lo
 * and delivers it at once, as loopback's receive path does: every raw ICMP
 * socket whose binding, connection and ICMP_FILTER let it through gets a
 * copy, and then ICMP itself answers an echo request (or a timestamp
 * request) with its reply, which goes through the same delivery: the raw
 * sockets see it, and the ping socket whose identifier it carries gets it.
 *
 * One lock (icmp_lock) guards every ICMP socket's state and the list of
 * them; each socket has one wait queue, for its readers and pollers.
 */
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "netdev.h"
#include "random.h"
#include "time.h"
#include "uaccess.h"

#define IPPROTO_IP 0
#define IPPROTO_ICMP 1
#define SOL_IP 0
#define SOL_RAW 255
#define ICMP_FILTER 1
#define IP_TTL 2

#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
#define ICMP_TIMESTAMP 13
#define ICMP_TIMESTAMPREPLY 14
#define ICMP_FILTER_TYPES 32 /* ICMP_FILTER's mask covers the types below it */

#define IPV4_VERSION_IHL 0x45 /* version 4, five words of header */
#define IPV4_HEADER_LEN 20
#define IP_DF 0x4000
#define IP_DEFAULT_TTL 64 /* net.ipv4.ip_default_ttl */
#define IP_MAX_PACKET 0xffff
#define ICMP_HEADER_LEN 8
#define ICMP_TIMESTAMP_DATA 12 /* originate, receive and transmit times */
#define SOCKADDR_IN_SIZE 16

/* What a received packet costs its receive buffer beside its bytes, about
 * the truesize of a small sk_buff on Linux. */
#define ICMP_SKB_OVERHEAD 768

#define SIOCINQ 0x541B
#define SIOCOUTQ 0x5411

#define MS_PER_DAY (24ull * 60 * 60 * 1000)
#define NSEC_PER_MSEC 1000000ull

struct sockaddr_in_k {
    u16 family;
    u16 port; /* network order */
    u32 addr; /* network order */
    u8 zero[8];
};

struct ipv4_header {
    u8 version_ihl;
    u8 tos;
    u16 total_len;
    u16 id;
    u16 frag_off;
    u8 ttl;
    u8 protocol;
    u16 checksum;
    u32 saddr, daddr;
};
_Static_assert(sizeof(struct ipv4_header) == IPV4_HEADER_LEN, "an IPv4 header without options");

struct icmp_header {
    u8 type;
    u8 code;
    u16 checksum;
    u16 id; /* the echo's identifier and sequence, network order */
    u16 sequence;
};

/* A packet on a receive queue: the whole IPv4 packet (a ping socket reads past its header). */
struct icmp_pkt {
    struct icmp_pkt *next;
    u32 len;
    u8 data[];
};

struct icmp_sock {
    struct socket *sock;
    bool raw;                  /* SOCK_RAW; else a ping socket */
    u32 bound_addr;            /* network order; 0: any */
    u32 source_addr;           /* the address it sends from once connected or bound; 0: chosen per packet */
    u16 ident;                 /* a ping socket's port, the echo identifier (host order); 0: not bound yet */
    bool connected;
    u32 peer_addr;
    u32 filter;                /* ICMP_FILTER: the types a raw socket does not want */
    int ttl;                   /* IP_TTL; -1: the default */
    u32 shutdown;
    struct icmp_pkt *rx_head, *rx_tail;
    u64 rx_mem;                /* charged against SO_RCVBUF */
    struct wait_queue wait;
    struct icmp_sock *next;    /* every ICMP socket */
};

static struct spinlock icmp_lock;
static struct icmp_sock *icmp_sockets;
static u16 ping_port_rover;
static u16 ip_ident_next;

static struct icmp_sock *icmp_sk(struct socket *sock) { return sock->sk; }

static u16 be16(u16 v) { return __builtin_bswap16(v); }
static u32 be32(u32 v) { return __builtin_bswap32(v); }

/* The Internet checksum (RFC 1071) of a buffer, ready to store. */
static u16 inet_checksum(const void *data, u32 len)
{
    const u8 *p = data;
    u32 sum = 0;
    for (u32 i = 0; i + 1 < len; i += 2)
        sum += (u32)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (u32)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return be16((u16)~sum);
}

/* ---- the route: lo's addresses only ---- */

/* Where a packet to `daddr` goes: 0.0.0.0 is this host, 127/8 is lo; the rest is unreachable (no other route). */
static int route_output(u32 *daddr, u32 bound, u32 *saddr)
{
    if (!*daddr)
        *daddr = bound ? bound : be32(INADDR_LOOPBACK);
    if (!ipv4_is_loopback(*daddr))
        return -ENETUNREACH;
    *saddr = bound ? bound : be32(INADDR_LOOPBACK);
    return 0;
}

/* ---- delivery ---- */

static struct icmp_pkt *pkt_alloc(u32 len)
{
    struct icmp_pkt *pkt = kmalloc(sizeof(*pkt) + len);
    if (pkt) {
        pkt->next = NULL;
        pkt->len = len;
    }
    return pkt;
}

/* Queues a copy of the packet on the socket, unless its receive buffer is full (the packet is dropped, as Linux's). */
static void queue_copy(struct icmp_sock *isk, const u8 *packet, u32 len)
{
    if (isk->rx_mem >= (u64)isk->sock->rcvbuf || (isk->shutdown & RCV_SHUTDOWN))
        return;
    struct icmp_pkt *pkt = pkt_alloc(len);
    if (!pkt)
        return;
    memcpy(pkt->data, packet, len);
    if (isk->rx_tail)
        isk->rx_tail->next = pkt;
    else
        isk->rx_head = pkt;
    isk->rx_tail = pkt;
    isk->rx_mem += len + ICMP_SKB_OVERHEAD;
    wake_up_all(&isk->wait);
}

/* Linux's icmp_filter: a packet too short to have a whole ICMP header is filtered too. */
static bool filtered(const struct icmp_sock *isk, const u8 *icmp, u32 icmp_len)
{
    if (icmp_len < ICMP_HEADER_LEN)
        return true;
    return icmp[0] < ICMP_FILTER_TYPES && (isk->filter & (1u << icmp[0]));
}

/* Linux's raw_v4_input: every raw ICMP socket the packet matches. Called with icmp_lock held. */
static void deliver_raw(const u8 *packet, u32 len)
{
    const struct ipv4_header *ip = (const void *)packet;
    for (struct icmp_sock *isk = icmp_sockets; isk; isk = isk->next) {
        if (!isk->raw || !isk->sock)
            continue;
        if (isk->bound_addr && isk->bound_addr != ip->daddr)
            continue;
        if (isk->connected && isk->peer_addr != ip->saddr)
            continue;
        if (filtered(isk, packet + IPV4_HEADER_LEN, len - IPV4_HEADER_LEN))
            continue;
        queue_copy(isk, packet, len);
    }
}

/* Linux's ping_rcv: an echo reply goes to the ping socket whose identifier it carries. */
static void deliver_ping(const u8 *packet, u32 len)
{
    const struct ipv4_header *ip = (const void *)packet;
    const struct icmp_header *icmp = (const void *)(packet + IPV4_HEADER_LEN);
    for (struct icmp_sock *isk = icmp_sockets; isk; isk = isk->next) {
        if (isk->raw || !isk->sock || isk->ident != be16(icmp->id))
            continue;
        if (isk->bound_addr && isk->bound_addr != ip->daddr)
            continue;
        queue_copy(isk, packet, len);
        return;
    }
}

/* An IPv4 header for an ICMP packet of `icmp_len` bytes. */
static void build_ip_header(u8 *packet, u32 icmp_len, u32 saddr, u32 daddr, u8 tos, u8 ttl, bool dont_fragment)
{
    struct ipv4_header *ip = (void *)packet;
    *ip = (struct ipv4_header){
        .version_ihl = IPV4_VERSION_IHL,
        .tos = tos,
        .total_len = be16((u16)(IPV4_HEADER_LEN + icmp_len)),
        .id = be16(ip_ident_next++),
        .frag_off = be16(dont_fragment ? IP_DF : 0),
        .ttl = ttl,
        .protocol = IPPROTO_ICMP,
        .saddr = saddr,
        .daddr = daddr,
    };
    ip->checksum = inet_checksum(ip, IPV4_HEADER_LEN);
}

/* Milliseconds since midnight UT, in network order: what a timestamp reply carries. */
static u32 timestamp_now(void) { return be32((u32)((realtime_ns() / NSEC_PER_MSEC) % MS_PER_DAY)); }

/* ICMP's answer to a request (Linux's icmp_echo and icmp_timestamp), or NULL
 * when there is none: a bad checksum, another type, too short. */
static struct icmp_pkt *build_reply(const u8 *packet, u32 len)
{
    const struct ipv4_header *ip = (const void *)packet;
    const u8 *icmp = packet + IPV4_HEADER_LEN;
    u32 icmp_len = len - IPV4_HEADER_LEN;
    if (icmp_len < ICMP_HEADER_LEN || inet_checksum(icmp, icmp_len) != 0)
        return NULL;
    u32 reply_len;
    if (icmp[0] == ICMP_ECHO)
        reply_len = icmp_len;
    else if (icmp[0] == ICMP_TIMESTAMP && icmp_len >= ICMP_HEADER_LEN + 4)
        reply_len = ICMP_HEADER_LEN + ICMP_TIMESTAMP_DATA;
    else
        return NULL;
    struct icmp_pkt *reply = pkt_alloc(IPV4_HEADER_LEN + reply_len);
    if (!reply)
        return NULL;
    u8 *out = reply->data + IPV4_HEADER_LEN;
    if (icmp[0] == ICMP_ECHO) {
        memcpy(out, icmp, icmp_len);
        out[0] = ICMP_ECHOREPLY;
    } else {
        memcpy(out, icmp, ICMP_HEADER_LEN + 4); /* the originate time */
        out[0] = ICMP_TIMESTAMPREPLY;
        out[1] = 0;
        u32 now = timestamp_now();
        memcpy(out + ICMP_HEADER_LEN + 4, &now, 4);
        memcpy(out + ICMP_HEADER_LEN + 8, &now, 4);
    }
    out[2] = out[3] = 0;
    u16 sum = inet_checksum(out, reply_len);
    memcpy(out + 2, &sum, 2);
    /* From the address the request went to, back to its sender, with its TOS. */
    build_ip_header(reply->data, reply_len, ip->daddr, ip->saddr, ip->tos, IP_DEFAULT_TTL, false);
    return reply;
}

/* One packet through lo: counted, then received (Linux's ip_local_deliver
 * for protocol 1). Called with icmp_lock held. */
static void loopback_receive(const u8 *packet, u32 len)
{
    netdev_loopback_count(len);
    deliver_raw(packet, len);
    const u8 *icmp = packet + IPV4_HEADER_LEN;
    if (len - IPV4_HEADER_LEN >= ICMP_HEADER_LEN && icmp[0] == ICMP_ECHOREPLY &&
        inet_checksum(icmp, len - IPV4_HEADER_LEN) == 0)
        deliver_ping(packet, len);
    struct icmp_pkt *reply = build_reply(packet, len);
    if (reply) {
        netdev_loopback_count(reply->len);
        deliver_raw(reply->data, reply->len);
        deliver_ping(reply->data, reply->len);
        kfree(reply);
    }
}

/* ---- binding ---- */

/* A free ping identifier, Linux's ping_get_port: the one asked for, or the next unused after the last given. */
static int ping_get_port(struct icmp_sock *isk, u16 port)
{
    if (port) {
        for (struct icmp_sock *o = icmp_sockets; o; o = o->next)
            if (o != isk && !o->raw && o->ident == port &&
                (!o->bound_addr || !isk->bound_addr || o->bound_addr == isk->bound_addr) &&
                !(o->sock && o->sock->reuseaddr && isk->sock->reuseaddr))
                return -EADDRINUSE;
        isk->ident = port;
        return 0;
    }
    for (u32 tries = 0; tries <= 0xffff; tries++) {
        u16 candidate = ++ping_port_rover;
        if (!candidate)
            continue;
        bool used = false;
        for (struct icmp_sock *o = icmp_sockets; o && !used; o = o->next)
            used = o != isk && !o->raw && o->ident == candidate;
        if (!used) {
            isk->ident = candidate;
            return 0;
        }
    }
    return -EAGAIN;
}

/* Linux's inet_autobind for a ping socket: an identifier before the first send or connect. Called with icmp_lock held. */
static int autobind_locked(struct icmp_sock *isk)
{
    if (isk->raw || isk->ident)
        return 0;
    return ping_get_port(isk, 0);
}

/* The address a socket may bind to: any, or one of lo's (Linux's inet_addr_valid_or_nonlocal). */
static bool bindable(u32 addr) { return !addr || ipv4_is_loopback(addr); }

static int icmp_bind(struct socket *sock, const void *addr, int len)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (len < SOCKADDR_IN_SIZE)
        return -EINVAL;
    struct sockaddr_in_k sin;
    memcpy(&sin, addr, sizeof(sin));
    if (!isk->raw && sin.family != AF_INET && !(sin.family == AF_UNSPEC && sin.addr == 0))
        return -EAFNOSUPPORT;
    if (!bindable(sin.addr))
        return -EADDRNOTAVAIL;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    int err = 0;
    if (isk->raw) {
        if (isk->connected)
            err = -EINVAL;
    } else if (isk->ident) {
        err = -EINVAL;
    }
    if (!err) {
        u32 old = isk->bound_addr;
        isk->bound_addr = sin.addr;
        if (!isk->raw) {
            err = ping_get_port(isk, be16(sin.port));
            if (err)
                isk->bound_addr = old;
        }
        if (!err)
            isk->source_addr = sin.addr;
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    return err;
}

/* Linux's ip4_datagram_connect: the peer a send without an address goes to, and the only sender a raw socket hears. */
static int icmp_connect(struct socket *sock, const void *addr, int len, u32 file_flags)
{
    (void)file_flags;
    struct icmp_sock *isk = icmp_sk(sock);
    if (len >= (int)sizeof(u16) && ((const u16 *)addr)[0] == AF_UNSPEC) {
        u64 irq = spin_lock_irqsave(&icmp_lock);
        isk->connected = false;
        isk->peer_addr = 0;
        sock->state = SS_UNCONNECTED;
        spin_unlock_irqrestore(&icmp_lock, irq);
        return 0;
    }
    if (len < SOCKADDR_IN_SIZE)
        return -EINVAL;
    struct sockaddr_in_k sin;
    memcpy(&sin, addr, sizeof(sin));
    if (sin.family != AF_INET)
        return -EAFNOSUPPORT;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    int err = autobind_locked(isk);
    u32 daddr = sin.addr, saddr;
    if (!err)
        err = route_output(&daddr, isk->bound_addr, &saddr);
    if (!err) {
        isk->connected = true;
        isk->peer_addr = daddr;
        if (!isk->source_addr)
            isk->source_addr = saddr;
        sock->state = SS_CONNECTED;
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    return err;
}

/* Linux's inet_getname: the port is a raw socket's protocol, a ping socket's
 * identifier; neither has a peer port, so neither has a peer name. */
static int icmp_getname(struct socket *sock, void *addr, bool peer)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (peer)
        return -ENOTCONN;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    struct sockaddr_in_k sin = {
        .family = AF_INET,
        .port = be16(isk->raw ? IPPROTO_ICMP : isk->ident),
        .addr = isk->bound_addr ? isk->bound_addr : isk->source_addr,
    };
    spin_unlock_irqrestore(&icmp_lock, irq);
    memcpy(addr, &sin, sizeof(sin));
    return sizeof(sin);
}

/* ---- sending ---- */

/* The destination of a send: the address given, or the connected peer's. */
static int send_destination(struct icmp_sock *isk, const struct kmsg *msg, u32 *daddr)
{
    if (msg->namelen) {
        if (msg->namelen < SOCKADDR_IN_SIZE)
            return -EINVAL;
        struct sockaddr_in_k sin;
        memcpy(&sin, msg->name, sizeof(sin));
        /* A raw socket takes AF_UNSPEC for AF_INET, as Linux does for old programs. */
        if (sin.family != AF_INET && (!isk->raw || sin.family != AF_UNSPEC))
            return -EAFNOSUPPORT;
        *daddr = sin.addr;
        return 0;
    }
    if (!isk->connected)
        return -EDESTADDRREQ;
    *daddr = isk->peer_addr;
    return 0;
}

static long icmp_sendmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (len > IP_MAX_PACKET)
        return -EMSGSIZE;
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    u32 icmp_len = (u32)len;
    if (IPV4_HEADER_LEN + icmp_len > IP_MAX_PACKET)
        return -EMSGSIZE;
    struct icmp_pkt *pkt = pkt_alloc(IPV4_HEADER_LEN + icmp_len);
    if (!pkt)
        return -ENOBUFS;
    u8 *icmp = pkt->data + IPV4_HEADER_LEN;
    long err = 0;
    if (!isk->raw) {
        /* Linux's ping_common_sendmsg: a whole header, an echo request with code 0. */
        if (icmp_len < ICMP_HEADER_LEN)
            err = -EINVAL;
        else if (kmsg_copy_from(msg, 0, icmp, ICMP_HEADER_LEN))
            err = -EFAULT;
        else if (icmp[0] != ICMP_ECHO || icmp[1] != 0)
            err = -EINVAL;
    }
    u32 daddr = 0, saddr;
    if (!err)
        err = send_destination(isk, msg, &daddr);
    if (!err && kmsg_copy_from(msg, 0, icmp, icmp_len))
        err = -EFAULT;
    if (err) {
        kfree(pkt);
        return err;
    }
    u64 irq = spin_lock_irqsave(&icmp_lock);
    if (isk->shutdown & SEND_SHUTDOWN)
        err = -EPIPE;
    if (!err)
        err = route_output(&daddr, isk->source_addr ? isk->source_addr : isk->bound_addr, &saddr);
    if (!err)
        err = autobind_locked(isk);
    if (!err) {
        if (!isk->raw) {
            /* The kernel's identifier and checksum on a ping socket's request. */
            struct icmp_header *h = (void *)icmp;
            h->id = be16(isk->ident);
            h->checksum = 0;
            h->checksum = inet_checksum(icmp, icmp_len);
        }
        u8 ttl = isk->ttl < 0 ? IP_DEFAULT_TTL : (u8)isk->ttl;
        build_ip_header(pkt->data, icmp_len, saddr, daddr, 0, ttl, true);
        loopback_receive(pkt->data, pkt->len);
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    kfree(pkt);
    return err ? err : (long)len;
}

/* ---- receiving ---- */

static long icmp_recvmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    msg->namelen = 0;
    u64 timeout = sock->rcvtimeo_ns, deadline = socket_deadline(timeout);
    u64 irq = spin_lock_irqsave(&icmp_lock);
    long err = 0;
    while (!isk->rx_head) {
        if (isk->shutdown & RCV_SHUTDOWN)
            break;
        if (socket_nonblocking(sock, flags)) {
            err = -EAGAIN;
            break;
        }
        int e = wait_sleep(&isk->wait, &icmp_lock, deadline);
        if (e) {
            err = socket_sleep_errno(e, timeout);
            break;
        }
    }
    struct icmp_pkt *pkt = err ? NULL : isk->rx_head;
    if (pkt && !(flags & MSG_PEEK)) {
        isk->rx_head = pkt->next;
        if (!isk->rx_head)
            isk->rx_tail = NULL;
        isk->rx_mem -= pkt->len + ICMP_SKB_OVERHEAD;
    }
    /* A peeked packet is copied under the lock: a reader may take it meanwhile. */
    long result = err;
    if (pkt) {
        /* A ping socket reads the ICMP message, a raw one the whole packet. */
        u32 offset = isk->raw ? 0 : IPV4_HEADER_LEN;
        u64 size = pkt->len - offset;
        u64 copied = MIN(size, len);
        if (kmsg_copy_to(msg, 0, pkt->data + offset, copied)) {
            result = -EFAULT;
        } else {
            if (size > len)
                msg->flags |= MSG_TRUNC;
            /* MSG_TRUNC asks a raw socket for the real size; a ping socket ignores it, as Linux's. */
            result = (long)((isk->raw && (flags & MSG_TRUNC)) ? size : copied);
            if (msg->name) {
                const struct ipv4_header *ip = (const void *)pkt->data;
                struct sockaddr_in_k sin = {.family = AF_INET, .addr = ip->saddr};
                memcpy(msg->name, &sin, sizeof(sin));
                msg->namelen = sizeof(sin);
            }
        }
        if (flags & MSG_PEEK)
            pkt = NULL;
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    kfree(pkt);
    return result;
}

static unsigned icmp_poll(struct socket *sock, struct file *f, struct poll_table *table)
{
    struct icmp_sock *isk = icmp_sk(sock);
    poll_wait(f, &isk->wait, table);
    u64 irq = spin_lock_irqsave(&icmp_lock);
    unsigned mask = POLLOUT | POLLWRNORM;
    if (isk->rx_head)
        mask |= POLLIN | POLLRDNORM;
    if (isk->shutdown & RCV_SHUTDOWN)
        mask |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (isk->shutdown == (RCV_SHUTDOWN | SEND_SHUTDOWN))
        mask |= POLLHUP;
    spin_unlock_irqrestore(&icmp_lock, irq);
    return mask;
}

/* Linux's inet_shutdown for a datagram socket: the flags are set, and an unconnected one says ENOTCONN. */
static int icmp_shutdown(struct socket *sock, int how)
{
    struct icmp_sock *isk = icmp_sk(sock);
    u64 irq = spin_lock_irqsave(&icmp_lock);
    isk->shutdown |= (u32)how + 1;
    int err = isk->connected ? 0 : -ENOTCONN;
    wake_up_all(&isk->wait);
    spin_unlock_irqrestore(&icmp_lock, irq);
    return err;
}

/* ---- options, ioctl ---- */

static int icmp_setsockopt(struct socket *sock, int level, int name, const void *value, u32 len)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (level == SOL_RAW) {
        if (!isk->raw || name != ICMP_FILTER)
            return isk->raw ? -EOPNOTSUPP : -ENOPROTOOPT;
        u32 filter = isk->filter;
        memcpy(&filter, value, MIN(len, (u32)sizeof(filter)));
        isk->filter = filter;
        return 0;
    }
    if (level == SOL_IP && name == IP_TTL) {
        if (len < sizeof(int))
            return -EINVAL;
        int ttl;
        memcpy(&ttl, value, sizeof(ttl));
        if (ttl != -1 && (ttl < 1 || ttl > 255))
            return -EINVAL;
        isk->ttl = ttl;
        return 0;
    }
    return -ENOPROTOOPT;
}

static int icmp_getsockopt(struct socket *sock, int level, int name, void *value, u32 *len)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (level == SOL_SOCKET)
        return sock_getsockopt_common(sock, name, value, len);
    if (level == SOL_RAW) {
        if (!isk->raw || name != ICMP_FILTER)
            return isk->raw ? -EOPNOTSUPP : -ENOPROTOOPT;
        *len = MIN(*len, (u32)sizeof(isk->filter));
        memcpy(value, &isk->filter, *len);
        return 0;
    }
    if (level == SOL_IP && name == IP_TTL) {
        int ttl = isk->ttl < 0 ? IP_DEFAULT_TTL : isk->ttl;
        *len = MIN(*len, (u32)sizeof(ttl));
        memcpy(value, &ttl, *len);
        return 0;
    }
    return -ENOPROTOOPT;
}

/* A raw socket answers SIOCINQ (the next packet's size) and SIOCOUTQ (nothing
 * waits to go: loopback sends at once); a ping socket has no commands of its own. */
static long icmp_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (!isk->raw || (cmd != SIOCINQ && cmd != SIOCOUTQ))
        return -ENOIOCTLCMD;
    int amount = 0;
    if (cmd == SIOCINQ) {
        u64 irq = spin_lock_irqsave(&icmp_lock);
        amount = isk->rx_head ? (int)isk->rx_head->len : 0;
        spin_unlock_irqrestore(&icmp_lock, irq);
    }
    return put_user(amount, (int __user *)arg) ? -EFAULT : 0;
}

/* ---- life ---- */

static void icmp_release(struct socket *sock)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (!isk)
        return;
    sock->sk = NULL;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    for (struct icmp_sock **p = &icmp_sockets; *p; p = &(*p)->next) {
        if (*p == isk) {
            *p = isk->next;
            break;
        }
    }
    struct icmp_pkt *queued = isk->rx_head;
    isk->rx_head = isk->rx_tail = NULL;
    isk->sock = NULL;
    spin_unlock_irqrestore(&icmp_lock, irq);
    while (queued) {
        struct icmp_pkt *next = queued->next;
        kfree(queued);
        queued = next;
    }
    kfree(isk);
}

/* The operations a ping or raw ICMP socket lacks (listen, accept, socketpair) are EOPNOTSUPP, as Linux's sock_no_*. */
static int icmp_listen(struct socket *sock, int backlog)
{
    (void)sock, (void)backlog;
    return -EOPNOTSUPP;
}

static int icmp_accept(struct socket *sock, struct socket *child, u32 file_flags)
{
    (void)sock, (void)child, (void)file_flags;
    return -EOPNOTSUPP;
}

static const struct proto_ops icmp_ops = {
    .family = AF_INET,
    .release = icmp_release,
    .bind = icmp_bind,
    .connect = icmp_connect,
    .listen = icmp_listen,
    .accept = icmp_accept,
    .getname = icmp_getname,
    .poll = icmp_poll,
    .shutdown = icmp_shutdown,
    .setsockopt = icmp_setsockopt,
    .getsockopt = icmp_getsockopt,
    .sendmsg = icmp_sendmsg,
    .recvmsg = icmp_recvmsg,
    .ioctl = icmp_ioctl,
};

int icmp_create(struct socket *sock, int type, int protocol)
{
    if (protocol != IPPROTO_ICMP || (type != SOCK_DGRAM && type != SOCK_RAW))
        return -EPROTONOSUPPORT;
    /* Every process is root, which net.ipv4.ping_group_range lets make ping
     * sockets (as the ranges distributions set do) and CAP_NET_RAW raw ones. */
    struct icmp_sock *isk = kzalloc(sizeof(*isk));
    if (!isk)
        return -ENOBUFS;
    isk->sock = sock;
    isk->raw = type == SOCK_RAW;
    isk->ttl = -1;
    sock->sk = isk;
    sock->ops = &icmp_ops;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    if (!ip_ident_next)
        ip_ident_next = (u16)random_u64();
    isk->next = icmp_sockets;
    icmp_sockets = isk;
    spin_unlock_irqrestore(&icmp_lock, irq);
    return 0;
}

/* AF_INET's sockets until the family's own create function (TCP and UDP)
 * takes over the registration: only the ICMP ones, with inet_create's
 * answers for the rest. */
#define IPPROTO_MAX 263

static int inet_icmp_only_create(struct socket *sock, int protocol)
{
    if (protocol < 0 || protocol >= IPPROTO_MAX)
        return -EINVAL;
    switch (sock->type) {
    case SOCK_STREAM:
    case SOCK_DGRAM:
    case SOCK_RAW:
        return icmp_create(sock, sock->type, protocol);
    default:
        return -ESOCKTNOSUPPORT;
    }
}

void icmp_init(void)
{
    if (!net_family_known(AF_INET))
        net_family_register(AF_INET, inet_icmp_only_create);
}
