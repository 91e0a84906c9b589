/*
 * ICMP and ICMPv6 over loopback: ping sockets (SOCK_DGRAM with IPPROTO_ICMP
 * or IPPROTO_ICMPV6) and raw ICMP sockets (SOCK_RAW), as Linux's
 * net/ipv4/ping.c, raw.c, icmp.c and their IPv6 counterparts behave for the
 * addresses of lo (127.0.0.0/8 and ::1).
 *
 * A send builds the packet Linux would (TTL or hop limit 64, DF on IPv4, the
 * kernel's identifier and checksum on a ping socket's echo request, the
 * kernel's checksum on every ICMPv6 message), counts it on lo and delivers
 * it at once, as loopback's receive path does: every raw socket of its
 * protocol whose binding, connection and filter let it through gets a copy,
 * and then ICMP itself answers an echo request (or an IPv4 timestamp
 * request) with its reply, which goes through the same delivery: the raw
 * sockets see it, and the ping socket whose identifier it carries gets it.
 * Queued packets are whole (IPv4 or IPv6 header first); a raw IPv4 socket
 * reads the header too, the others only the ICMP message.
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
#include "seq_buf.h"
#include "time.h"
#include "uaccess.h"

#define SOL_IP 0
#define SOL_IPV6 41
#define SOL_ICMPV6 58
#define SOL_RAW 255
#define ICMP_FILTER 1  /* SOL_RAW, IPv4 */
#define ICMP6_FILTER 1 /* SOL_ICMPV6 */
#define IP_TTL 2
#define IPV6_2292PKTINFO 2
#define IPV6_CHECKSUM 7
#define IPV6_2292HOPLIMIT 8
#define IPV6_UNICAST_HOPS 16
#define IPV6_RECVPKTINFO 49
#define IPV6_PKTINFO 50
#define IPV6_RECVHOPLIMIT 51
#define IPV6_HOPLIMIT 52

#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
#define ICMP_TIMESTAMP 13
#define ICMP_TIMESTAMPREPLY 14
#define ICMP_FILTER_TYPES 32 /* ICMP_FILTER's mask covers the types below it */
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY 129
#define ICMP6_FILTER_WORDS 8 /* a bit per type: set, the type is blocked */

#define IPV4_VERSION_IHL 0x45 /* version 4, five words of header */
#define IPV4_HEADER_LEN 20
#define IPV6_VERSION 0x60
#define IPV6_HEADER_LEN 40
#define IP_DF 0x4000
#define IP_DEFAULT_TTL 64 /* net.ipv4.ip_default_ttl, and IPv6's hop_limit */
#define IP_MAX_PACKET 0xffff
#define ICMP_HEADER_LEN 8
#define ICMP_CHECKSUM_OFFSET 2
#define ICMP_TIMESTAMP_DATA 12 /* originate, receive and transmit times */
#define SOCKADDR_IN_SIZE 16
#define SOCKADDR_IN6_SIZE 28
#define SIN6_LEN_RFC2133 24 /* a sockaddr_in6 without its scope id, which Linux still takes */

/* What a received packet costs its receive buffer beside its bytes, about
 * the truesize of a small sk_buff on Linux. */
#define ICMP_SKB_OVERHEAD 768

#define SIOCINQ 0x541B
#define SIOCOUTQ 0x5411

#define MS_PER_DAY (24ull * 60 * 60 * 1000)
#define NSEC_PER_MSEC 1000000ull

/* An address of either family, in network order; an IPv4 one is v4. */
union ip_addr {
    u32 v4;
    u8 v6[16];
};

struct sockaddr_in_k {
    u16 family;
    u16 port; /* network order */
    u32 addr; /* network order */
    u8 zero[8];
};

struct sockaddr_in6_k {
    u16 family;
    u16 port;
    u32 flowinfo;
    u8 addr[16];
    u32 scope_id;
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

struct ipv6_header {
    u32 version_class_flow;
    u16 payload_len;
    u8 next_header;
    u8 hop_limit;
    u8 saddr[16], daddr[16];
};
_Static_assert(sizeof(struct ipv6_header) == IPV6_HEADER_LEN, "an IPv6 header");

struct icmp_header {
    u8 type;
    u8 code;
    u16 checksum;
    u16 id; /* the echo's identifier and sequence, network order */
    u16 sequence;
};

struct in6_pktinfo_k {
    u8 addr[16];
    s32 ifindex;
};

/* A packet on a receive queue: the whole packet, its IP header first. */
struct icmp_pkt {
    struct icmp_pkt *next;
    u32 len;
    u8 data[];
};

/* The IPv6 control messages a receive gives (IPV6_RECVPKTINFO and the like). */
enum {
    RX_PKTINFO = 1 << 0,
    RX_HOPLIMIT = 1 << 1,
    RX_2292_PKTINFO = 1 << 2,
    RX_2292_HOPLIMIT = 1 << 3,
};

struct icmp_sock {
    struct socket *sock;
    int family;                /* AF_INET or AF_INET6 */
    bool raw;                  /* SOCK_RAW; else a ping socket */
    union ip_addr bound_addr;  /* any: none */
    union ip_addr source_addr; /* the address it sends from once bound or connected; any: chosen per packet */
    u16 ident;                 /* a ping socket's port, the echo identifier (host order); 0: not bound yet */
    bool connected;
    union ip_addr peer_addr;
    u32 filter[ICMP6_FILTER_WORDS]; /* ICMP_FILTER (its first word) or ICMP6_FILTER: the types not wanted */
    int ttl;                   /* IP_TTL or IPV6_UNICAST_HOPS; -1: the default */
    int checksum_offset;       /* IPV6_CHECKSUM: where the kernel puts an ICMPv6 checksum; -1: nowhere */
    u32 rx_options;            /* RX_*: an IPv6 socket's control messages */
    u32 shutdown;
    struct icmp_pkt *rx_head, *rx_tail;
    u64 rx_mem;                /* charged against SO_RCVBUF */
    u32 drops;                 /* packets that did not fit */
    struct wait_queue wait;
    struct icmp_sock *next;    /* every ICMP socket */
};

static struct spinlock icmp_lock;
static struct icmp_sock *icmp_sockets;
static u16 ping_port_rover;
static u16 ip_ident_next;

static const u8 ipv6_loopback[16] = {[15] = 1};

static struct icmp_sock *icmp_sk(struct socket *sock) { return sock->sk; }

static u16 be16(u16 v) { return __builtin_bswap16(v); }
static u32 be32(u32 v) { return __builtin_bswap32(v); }

static bool is_v6(const struct icmp_sock *isk) { return isk->family == AF_INET6; }
static u32 ip_header_len(int family) { return family == AF_INET6 ? IPV6_HEADER_LEN : IPV4_HEADER_LEN; }

static bool addr_any(int family, const union ip_addr *a)
{
    if (family == AF_INET)
        return !a->v4;
    static const u8 zero[16];
    return !memcmp(a->v6, zero, sizeof(zero));
}

static bool addr_eq(int family, const union ip_addr *a, const union ip_addr *b)
{
    return family == AF_INET ? a->v4 == b->v4 : !memcmp(a->v6, b->v6, sizeof(a->v6));
}

/* ---- checksums ---- */

static u32 checksum_add(u32 sum, const void *data, u32 len)
{
    const u8 *p = data;
    for (u32 i = 0; i + 1 < len; i += 2)
        sum += (u32)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (u32)p[len - 1] << 8;
    return sum;
}

static u16 checksum_fold(u32 sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return be16((u16)~sum);
}

/* The Internet checksum (RFC 1071) of a buffer, ready to store. */
static u16 inet_checksum(const void *data, u32 len) { return checksum_fold(checksum_add(0, data, len)); }

/* ICMPv6's: over the IPv6 pseudo-header too (RFC 8200 8.1). */
static u16 icmpv6_checksum(const u8 *saddr, const u8 *daddr, const void *data, u32 len)
{
    u32 sum = checksum_add(0, saddr, 16);
    sum = checksum_add(sum, daddr, 16);
    sum += (len >> 16) + (len & 0xffff) + IPPROTO_ICMPV6;
    return checksum_fold(checksum_add(sum, data, len));
}

/* ---- the route: lo's addresses only ---- */

/* Where a packet to `daddr` goes: the unspecified address is this host, lo's
 * addresses (127/8, ::1) are lo; the rest is unreachable (no other route).
 * The source is the bound address, else lo's own. */
static int route_output(int family, union ip_addr *daddr, const union ip_addr *bound, union ip_addr *saddr)
{
    union ip_addr loopback;
    if (family == AF_INET)
        loopback.v4 = be32(INADDR_LOOPBACK);
    else
        memcpy(loopback.v6, ipv6_loopback, 16);
    if (addr_any(family, daddr))
        *daddr = addr_any(family, bound) ? loopback : *bound;
    if (family == AF_INET ? !ipv4_is_loopback(daddr->v4) : !addr_eq(family, daddr, &loopback))
        return -ENETUNREACH;
    *saddr = addr_any(family, bound) ? loopback : *bound;
    return 0;
}

/* The address a socket may bind to: any, or one of lo's. */
static bool bindable(int family, const union ip_addr *addr)
{
    if (addr_any(family, addr))
        return true;
    return family == AF_INET ? ipv4_is_loopback(addr->v4) : !memcmp(addr->v6, ipv6_loopback, 16);
}

/* ---- packets ---- */

static struct icmp_pkt *pkt_alloc(u32 len)
{
    struct icmp_pkt *pkt = kmalloc(sizeof(*pkt) + len);
    if (pkt) {
        pkt->next = NULL;
        pkt->len = len;
    }
    return pkt;
}

static int pkt_family(const u8 *packet) { return (packet[0] >> 4) == 6 ? AF_INET6 : AF_INET; }

static void pkt_addrs(const u8 *packet, union ip_addr *saddr, union ip_addr *daddr)
{
    if (pkt_family(packet) == AF_INET) {
        const struct ipv4_header *ip = (const void *)packet;
        saddr->v4 = ip->saddr;
        daddr->v4 = ip->daddr;
    } else {
        const struct ipv6_header *ip = (const void *)packet;
        memcpy(saddr->v6, ip->saddr, 16);
        memcpy(daddr->v6, ip->daddr, 16);
    }
}

/* An IP header for an ICMP message of `icmp_len` bytes. */
static void build_ip_header(int family, u8 *packet, u32 icmp_len, const union ip_addr *saddr,
                            const union ip_addr *daddr, u8 tos, u8 ttl, bool dont_fragment)
{
    if (family == AF_INET6) {
        struct ipv6_header *ip = (void *)packet;
        *ip = (struct ipv6_header){
            .version_class_flow = be32((u32)IPV6_VERSION << 24 | (u32)tos << 20),
            .payload_len = be16((u16)icmp_len),
            .next_header = IPPROTO_ICMPV6,
            .hop_limit = ttl,
        };
        memcpy(ip->saddr, saddr->v6, 16);
        memcpy(ip->daddr, daddr->v6, 16);
        return;
    }
    struct ipv4_header *ip = (void *)packet;
    *ip = (struct ipv4_header){
        .version_ihl = IPV4_VERSION_IHL,
        .tos = tos,
        .total_len = be16((u16)(IPV4_HEADER_LEN + icmp_len)),
        .id = be16(ip_ident_next++),
        .frag_off = be16(dont_fragment ? IP_DF : 0),
        .ttl = ttl,
        .protocol = IPPROTO_ICMP,
        .saddr = saddr->v4,
        .daddr = daddr->v4,
    };
    ip->checksum = inet_checksum(ip, IPV4_HEADER_LEN);
}

static u8 pkt_tos(const u8 *packet)
{
    if (pkt_family(packet) == AF_INET)
        return ((const struct ipv4_header *)packet)->tos;
    return (u8)(be32(((const struct ipv6_header *)packet)->version_class_flow) >> 20);
}

static u8 pkt_hop_limit(const u8 *packet)
{
    if (pkt_family(packet) == AF_INET)
        return ((const struct ipv4_header *)packet)->ttl;
    return ((const struct ipv6_header *)packet)->hop_limit;
}

/* Whether an ICMP message arrived intact: its checksum adds up. */
static bool checksum_ok(const u8 *packet, u32 len)
{
    u32 hlen = ip_header_len(pkt_family(packet));
    if (pkt_family(packet) == AF_INET)
        return inet_checksum(packet + hlen, len - hlen) == 0;
    const struct ipv6_header *ip = (const void *)packet;
    return icmpv6_checksum(ip->saddr, ip->daddr, packet + hlen, len - hlen) == 0;
}

/* ---- delivery ---- */

/* Queues a copy of the packet on the socket, unless its receive buffer is full (the packet is dropped, as Linux's). */
static void queue_copy(struct icmp_sock *isk, const u8 *packet, u32 len)
{
    if (isk->shutdown & RCV_SHUTDOWN)
        return;
    struct icmp_pkt *pkt = isk->rx_mem < (u64)isk->sock->rcvbuf ? pkt_alloc(len) : NULL;
    if (!pkt) {
        isk->drops++;
        return;
    }
    memcpy(pkt->data, packet, len);
    if (isk->rx_tail)
        isk->rx_tail->next = pkt;
    else
        isk->rx_head = pkt;
    isk->rx_tail = pkt;
    isk->rx_mem += len + ICMP_SKB_OVERHEAD;
    wake_up_all(&isk->wait);
}

/* Linux's icmp_filter and icmpv6_filter: a packet too short to have a whole
 * ICMP header is filtered too. */
static bool filtered(const struct icmp_sock *isk, const u8 *icmp, u32 icmp_len)
{
    if (icmp_len < ICMP_HEADER_LEN)
        return true;
    u8 type = icmp[0];
    if (is_v6(isk))
        return isk->filter[type >> 5] & (1u << (type & 31));
    return type < ICMP_FILTER_TYPES && (isk->filter[0] & (1u << type));
}

/* Linux's raw_v4_input and ipv6_raw_deliver: every raw socket of the packet's family the packet matches. */
static void deliver_raw(const u8 *packet, u32 len)
{
    int family = pkt_family(packet);
    u32 hlen = ip_header_len(family);
    union ip_addr saddr, daddr;
    pkt_addrs(packet, &saddr, &daddr);
    for (struct icmp_sock *isk = icmp_sockets; isk; isk = isk->next) {
        if (!isk->raw || !isk->sock || isk->family != family)
            continue;
        if (!addr_any(family, &isk->bound_addr) && !addr_eq(family, &isk->bound_addr, &daddr))
            continue;
        if (isk->connected && !addr_eq(family, &isk->peer_addr, &saddr))
            continue;
        if (filtered(isk, packet + hlen, len - hlen))
            continue;
        queue_copy(isk, packet, len);
    }
}

/* Linux's ping_rcv: an echo reply goes to the ping socket whose identifier it carries. */
static void deliver_ping(const u8 *packet, u32 len)
{
    int family = pkt_family(packet);
    const struct icmp_header *icmp = (const void *)(packet + ip_header_len(family));
    union ip_addr saddr, daddr;
    pkt_addrs(packet, &saddr, &daddr);
    for (struct icmp_sock *isk = icmp_sockets; isk; isk = isk->next) {
        if (isk->raw || !isk->sock || isk->family != family || isk->ident != be16(icmp->id))
            continue;
        if (!addr_any(family, &isk->bound_addr) && !addr_eq(family, &isk->bound_addr, &daddr))
            continue;
        queue_copy(isk, packet, len);
        return;
    }
}

/* Milliseconds since midnight UT, in network order: what a timestamp reply carries. */
static u32 timestamp_now(void) { return be32((u32)((realtime_ns() / NSEC_PER_MSEC) % MS_PER_DAY)); }

/* ICMP's answer to a request (Linux's icmp_echo, icmp_timestamp and
 * icmpv6_echo_reply), or NULL when there is none: another type, too short. */
static struct icmp_pkt *build_reply(const u8 *packet, u32 len)
{
    int family = pkt_family(packet);
    u32 hlen = ip_header_len(family);
    const u8 *icmp = packet + hlen;
    u32 icmp_len = len - hlen;
    u8 echo = family == AF_INET ? ICMP_ECHO : ICMPV6_ECHO_REQUEST;
    u32 reply_len;
    if (icmp[0] == echo)
        reply_len = icmp_len;
    else if (family == AF_INET && icmp[0] == ICMP_TIMESTAMP && icmp_len >= ICMP_HEADER_LEN + 4)
        reply_len = ICMP_HEADER_LEN + ICMP_TIMESTAMP_DATA;
    else
        return NULL;
    struct icmp_pkt *reply = pkt_alloc(hlen + reply_len);
    if (!reply)
        return NULL;
    u8 *out = reply->data + hlen;
    if (icmp[0] == echo) {
        memcpy(out, icmp, icmp_len);
        out[0] = family == AF_INET ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY;
    } else {
        memcpy(out, icmp, ICMP_HEADER_LEN + 4); /* the originate time */
        out[0] = ICMP_TIMESTAMPREPLY;
        out[1] = 0;
        u32 now = timestamp_now();
        memcpy(out + ICMP_HEADER_LEN + 4, &now, 4);
        memcpy(out + ICMP_HEADER_LEN + 8, &now, 4);
    }
    /* From the address the request went to, back to its sender, with its TOS or traffic class. */
    union ip_addr saddr, daddr;
    pkt_addrs(packet, &daddr, &saddr);
    out[2] = out[3] = 0;
    u16 sum = family == AF_INET ? inet_checksum(out, reply_len) : icmpv6_checksum(saddr.v6, daddr.v6, out, reply_len);
    memcpy(out + ICMP_CHECKSUM_OFFSET, &sum, 2);
    build_ip_header(family, reply->data, reply_len, &saddr, &daddr, pkt_tos(packet), IP_DEFAULT_TTL, false);
    return reply;
}

/* One packet through lo: counted, then received (Linux's ip_local_deliver
 * for ICMP). Called with icmp_lock held. */
static void loopback_receive(const u8 *packet, u32 len)
{
    netdev_loopback_count(len);
    deliver_raw(packet, len);
    u32 hlen = ip_header_len(pkt_family(packet));
    /* ICMP drops a message too short for its header or whose checksum is wrong. */
    if (len - hlen < ICMP_HEADER_LEN || !checksum_ok(packet, len))
        return;
    u8 type = packet[hlen];
    if (type == (pkt_family(packet) == AF_INET ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY))
        deliver_ping(packet, len);
    struct icmp_pkt *reply = build_reply(packet, len);
    if (reply) {
        netdev_loopback_count(reply->len);
        deliver_raw(reply->data, reply->len);
        deliver_ping(reply->data, reply->len);
        kfree(reply);
    }
}

/* ---- addresses from the user ---- */

/* A sockaddr_in or sockaddr_in6 of the socket's family: its address and port. */
static int addr_from_user(const struct icmp_sock *isk, const void *addr, int len, union ip_addr *out, u16 *port)
{
    if (is_v6(isk)) {
        struct sockaddr_in6_k sin6 = {0};
        memcpy(&sin6, addr, MIN((size_t)len, sizeof(sin6)));
        memcpy(out->v6, sin6.addr, 16);
        *port = be16(sin6.port);
        return sin6.family;
    }
    struct sockaddr_in_k sin;
    memcpy(&sin, addr, sizeof(sin));
    out->v4 = sin.addr;
    *port = be16(sin.port);
    return sin.family;
}

static int min_addr_len(const struct icmp_sock *isk) { return is_v6(isk) ? SIN6_LEN_RFC2133 : SOCKADDR_IN_SIZE; }

/* ---- binding ---- */

/* A free ping identifier, Linux's ping_get_port: the one asked for, or the next unused after the last given. */
static int ping_get_port(struct icmp_sock *isk, u16 port)
{
    int family = isk->family;
    if (port) {
        for (struct icmp_sock *o = icmp_sockets; o; o = o->next)
            if (o != isk && !o->raw && o->family == family && o->ident == port &&
                (addr_any(family, &o->bound_addr) || addr_any(family, &isk->bound_addr) ||
                 addr_eq(family, &o->bound_addr, &isk->bound_addr)) &&
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
            used = o != isk && !o->raw && o->family == family && o->ident == candidate;
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

static int icmp_bind(struct socket *sock, const void *addr, int len)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (len < min_addr_len(isk))
        return -EINVAL;
    union ip_addr a;
    u16 port;
    int family = addr_from_user(isk, addr, len, &a, &port);
    if (is_v6(isk)) {
        if (family != AF_INET6)
            return isk->raw ? -EINVAL : -EAFNOSUPPORT;
    } else if (!isk->raw && family != AF_INET && !(family == AF_UNSPEC && !a.v4)) {
        return -EAFNOSUPPORT;
    }
    if (!bindable(isk->family, &a))
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
        union ip_addr old = isk->bound_addr;
        isk->bound_addr = a;
        if (!isk->raw) {
            err = ping_get_port(isk, port);
            if (err)
                isk->bound_addr = old;
        }
        if (!err)
            isk->source_addr = a;
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    return err;
}

/* Linux's ip4_datagram_connect and ip6_datagram_connect: the peer a send
 * without an address goes to, and the only sender a raw socket hears. */
static int icmp_connect(struct socket *sock, const void *addr, int len, u32 file_flags)
{
    (void)file_flags;
    struct icmp_sock *isk = icmp_sk(sock);
    if (len >= (int)sizeof(u16) && ((const u16 *)addr)[0] == AF_UNSPEC) {
        u64 irq = spin_lock_irqsave(&icmp_lock);
        isk->connected = false;
        memset(&isk->peer_addr, 0, sizeof(isk->peer_addr));
        sock->state = SS_UNCONNECTED;
        spin_unlock_irqrestore(&icmp_lock, irq);
        return 0;
    }
    if (len < min_addr_len(isk))
        return -EINVAL;
    union ip_addr daddr, saddr;
    u16 port;
    if (addr_from_user(isk, addr, len, &daddr, &port) != isk->family)
        return -EAFNOSUPPORT;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    int err = autobind_locked(isk);
    if (!err)
        err = route_output(isk->family, &daddr, &isk->bound_addr, &saddr);
    if (!err) {
        isk->connected = true;
        isk->peer_addr = daddr;
        if (addr_any(isk->family, &isk->source_addr))
            isk->source_addr = saddr;
        sock->state = SS_CONNECTED;
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    return err;
}

/* Linux's inet_getname and inet6_getname: the port is a raw socket's
 * protocol, a ping socket's identifier; neither has a peer port, so neither
 * has a peer name. */
static int icmp_getname(struct socket *sock, void *addr, bool peer)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (peer)
        return -ENOTCONN;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    u16 port = be16(isk->raw ? (u16)sock->protocol : isk->ident);
    union ip_addr a = addr_any(isk->family, &isk->bound_addr) ? isk->source_addr : isk->bound_addr;
    spin_unlock_irqrestore(&icmp_lock, irq);
    if (is_v6(isk)) {
        struct sockaddr_in6_k sin6 = {.family = AF_INET6, .port = port};
        memcpy(sin6.addr, a.v6, 16);
        memcpy(addr, &sin6, sizeof(sin6));
        return sizeof(sin6);
    }
    struct sockaddr_in_k sin = {.family = AF_INET, .port = port, .addr = a.v4};
    memcpy(addr, &sin, sizeof(sin));
    return sizeof(sin);
}

/* ---- sending ---- */

/* The destination of a send: the address given, or the connected peer's. */
static int send_destination(struct icmp_sock *isk, const struct kmsg *msg, union ip_addr *daddr)
{
    if (!msg->namelen) {
        if (!isk->connected)
            return -EDESTADDRREQ;
        *daddr = isk->peer_addr;
        return 0;
    }
    /* A ping socket's IPv6 address must be whole; a raw socket's may lack its scope id. */
    int min_len = is_v6(isk) && !isk->raw ? SOCKADDR_IN6_SIZE : min_addr_len(isk);
    if (msg->namelen < min_len)
        return -EINVAL;
    u16 port;
    int family = addr_from_user(isk, msg->name, msg->namelen, daddr, &port);
    /* A raw socket takes AF_UNSPEC for its family, as Linux does for old programs. */
    if (family != isk->family && (!isk->raw || family != AF_UNSPEC))
        return -EAFNOSUPPORT;
    /* A raw IPv6 socket's port is the protocol, if given. */
    if (is_v6(isk) && isk->raw && port && port != IPPROTO_ICMPV6)
        return -EINVAL;
    return 0;
}

/* A ping socket's request (Linux's ping_common_sendmsg): a whole header, an echo request with code 0. */
static int ping_check_header(const struct icmp_sock *isk, const struct kmsg *msg, u32 len, u8 *icmp)
{
    if (len < ICMP_HEADER_LEN)
        return -EINVAL;
    if (kmsg_copy_from(msg, 0, icmp, ICMP_HEADER_LEN))
        return -EFAULT;
    if (icmp[0] != (is_v6(isk) ? ICMPV6_ECHO_REQUEST : ICMP_ECHO) || icmp[1] != 0)
        return -EINVAL;
    return 0;
}

/* The kernel's part of an ICMP message: a ping socket's identifier, and the
 * checksum of a ping socket's or an ICMPv6 raw socket's message. */
static int finish_message(const struct icmp_sock *isk, u8 *icmp, u32 len, const union ip_addr *saddr,
                          const union ip_addr *daddr)
{
    if (!isk->raw)
        ((struct icmp_header *)icmp)->id = be16(isk->ident);
    int offset = isk->raw ? isk->checksum_offset : ICMP_CHECKSUM_OFFSET;
    if (offset < 0)
        return 0;
    if ((u32)offset + 1 >= len)
        return -EINVAL; /* no room for the checksum, as Linux's rawv6_push_pending_frames */
    icmp[offset] = icmp[offset + 1] = 0;
    u16 sum = is_v6(isk) ? icmpv6_checksum(saddr->v6, daddr->v6, icmp, len) : inet_checksum(icmp, len);
    memcpy(icmp + offset, &sum, 2);
    return 0;
}

static long icmp_sendmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct icmp_sock *isk = icmp_sk(sock);
    u32 hlen = ip_header_len(isk->family);
    if (len > IP_MAX_PACKET)
        return -EMSGSIZE;
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    u32 icmp_len = (u32)len;
    if ((is_v6(isk) ? 0 : hlen) + icmp_len > IP_MAX_PACKET)
        return -EMSGSIZE;
    struct icmp_pkt *pkt = pkt_alloc(hlen + icmp_len);
    if (!pkt)
        return -ENOBUFS;
    u8 *icmp = pkt->data + hlen;
    long err = isk->raw ? 0 : ping_check_header(isk, msg, icmp_len, icmp);
    union ip_addr daddr = {0}, saddr;
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
    const union ip_addr *from = addr_any(isk->family, &isk->source_addr) ? &isk->bound_addr : &isk->source_addr;
    if (!err)
        err = route_output(isk->family, &daddr, from, &saddr);
    if (!err)
        err = autobind_locked(isk);
    if (!err)
        err = finish_message(isk, icmp, icmp_len, &saddr, &daddr);
    if (!err) {
        u8 ttl = isk->ttl < 0 ? IP_DEFAULT_TTL : (u8)isk->ttl;
        build_ip_header(isk->family, pkt->data, icmp_len, &saddr, &daddr, 0, ttl, true);
        loopback_receive(pkt->data, pkt->len);
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    kfree(pkt);
    return err ? err : (long)len;
}

/* ---- receiving ---- */

/* The sender's address and an IPv6 socket's control messages (Linux's
 * ip6_datagram_recv_ctl, in its order). */
static int put_source(const struct icmp_sock *isk, struct kmsg *msg, const u8 *packet)
{
    union ip_addr saddr, daddr;
    pkt_addrs(packet, &saddr, &daddr);
    if (msg->name) {
        if (is_v6(isk)) {
            struct sockaddr_in6_k sin6 = {.family = AF_INET6};
            memcpy(sin6.addr, saddr.v6, 16);
            memcpy(msg->name, &sin6, sizeof(sin6));
            msg->namelen = sizeof(sin6);
        } else {
            struct sockaddr_in_k sin = {.family = AF_INET, .addr = saddr.v4};
            memcpy(msg->name, &sin, sizeof(sin));
            msg->namelen = sizeof(sin);
        }
    }
    if (!is_v6(isk))
        return 0;
    struct in6_pktinfo_k info = {.ifindex = 1};
    memcpy(info.addr, daddr.v6, 16);
    int hop_limit = pkt_hop_limit(packet);
    if ((isk->rx_options & RX_PKTINFO) && kmsg_put_cmsg(msg, SOL_IPV6, IPV6_PKTINFO, &info, sizeof(info)) < 0)
        return -EFAULT;
    if ((isk->rx_options & RX_HOPLIMIT) &&
        kmsg_put_cmsg(msg, SOL_IPV6, IPV6_HOPLIMIT, &hop_limit, sizeof(hop_limit)) < 0)
        return -EFAULT;
    if ((isk->rx_options & RX_2292_PKTINFO) &&
        kmsg_put_cmsg(msg, SOL_IPV6, IPV6_2292PKTINFO, &info, sizeof(info)) < 0)
        return -EFAULT;
    if ((isk->rx_options & RX_2292_HOPLIMIT) &&
        kmsg_put_cmsg(msg, SOL_IPV6, IPV6_2292HOPLIMIT, &hop_limit, sizeof(hop_limit)) < 0)
        return -EFAULT;
    return 0;
}

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
    /* The packet is the reader's own from here (a peek takes a copy), and is
     * copied out with the lock dropped, since the copy may fault. */
    struct icmp_pkt *pkt = err ? NULL : isk->rx_head;
    if (pkt && (flags & MSG_PEEK)) {
        struct icmp_pkt *copy = pkt_alloc(pkt->len);
        if (copy)
            memcpy(copy->data, pkt->data, pkt->len);
        else
            err = -ENOBUFS;
        pkt = copy;
    } else if (pkt) {
        isk->rx_head = pkt->next;
        if (!isk->rx_head)
            isk->rx_tail = NULL;
        isk->rx_mem -= pkt->len + ICMP_SKB_OVERHEAD;
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    long result = err;
    if (pkt) {
        /* A raw IPv4 socket reads the whole packet; the others the ICMP message. */
        u32 offset = isk->raw && !is_v6(isk) ? 0 : ip_header_len(isk->family);
        u64 size = pkt->len - offset;
        u64 copied = MIN(size, len);
        if (kmsg_copy_to(msg, 0, pkt->data + offset, copied)) {
            result = -EFAULT;
        } else {
            if (size > len)
                msg->flags |= MSG_TRUNC;
            /* MSG_TRUNC asks a raw socket for the real size; a ping socket ignores it, as Linux's. */
            result = (long)((isk->raw && (flags & MSG_TRUNC)) ? size : copied);
            int e = put_source(isk, msg, pkt->data);
            if (e)
                result = e;
        }
    }
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

static int int_option(const void *value, u32 len, int *out)
{
    if (len < sizeof(int))
        return -EINVAL;
    memcpy(out, value, sizeof(int));
    return 0;
}

static int set_rx_option(struct icmp_sock *isk, u32 bit, const void *value, u32 len)
{
    int v;
    int err = int_option(value, len, &v);
    if (err)
        return err;
    if (v)
        isk->rx_options |= bit;
    else
        isk->rx_options &= ~bit;
    return 0;
}

static u32 rx_option_bit(int name)
{
    switch (name) {
    case IPV6_RECVPKTINFO: return RX_PKTINFO;
    case IPV6_RECVHOPLIMIT: return RX_HOPLIMIT;
    case IPV6_2292PKTINFO: return RX_2292_PKTINFO;
    case IPV6_2292HOPLIMIT: return RX_2292_HOPLIMIT;
    default: return 0;
    }
}

/* The filters: ICMP_FILTER (SOL_RAW) on a raw IPv4 socket, ICMP6_FILTER (SOL_ICMPV6) on a raw IPv6 one. */
static bool is_filter_option(const struct icmp_sock *isk, int level, int name)
{
    return isk->raw && (is_v6(isk) ? level == SOL_ICMPV6 && name == ICMP6_FILTER : level == SOL_RAW && name == ICMP_FILTER);
}

static int icmp_setsockopt(struct socket *sock, int level, int name, const void *value, u32 len)
{
    struct icmp_sock *isk = icmp_sk(sock);
    u64 irq = spin_lock_irqsave(&icmp_lock);
    int err = -ENOPROTOOPT, v;
    if (is_filter_option(isk, level, name)) {
        u32 size = is_v6(isk) ? sizeof(isk->filter) : sizeof(isk->filter[0]);
        memcpy(isk->filter, value, MIN(len, size));
        err = 0;
    } else if (is_v6(isk) && isk->raw && level == SOL_RAW && name == IPV6_CHECKSUM) {
        /* Linux's do_rawv6_setsockopt: an even offset, or negative for none. */
        err = int_option(value, len, &v);
        if (!err && v > 0 && (v & 1))
            err = -EINVAL;
        if (!err)
            isk->checksum_offset = v < 0 ? -1 : v;
    } else if (is_v6(isk) && isk->raw && level == SOL_IPV6 && name == IPV6_CHECKSUM) {
        err = -EINVAL; /* not at this level on an ICMPv6 socket (RFC 3542) */
    } else if (is_v6(isk) && level == SOL_IPV6 && rx_option_bit(name)) {
        err = set_rx_option(isk, rx_option_bit(name), value, len);
    } else if ((!is_v6(isk) && level == SOL_IP && name == IP_TTL) ||
               (is_v6(isk) && level == SOL_IPV6 && name == IPV6_UNICAST_HOPS)) {
        err = int_option(value, len, &v);
        int lowest = is_v6(isk) ? 0 : 1;
        if (!err && v != -1 && (v < lowest || v > 255))
            err = -EINVAL;
        if (!err)
            isk->ttl = v;
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
    return err;
}

static int icmp_getsockopt(struct socket *sock, int level, int name, void *value, u32 *len)
{
    struct icmp_sock *isk = icmp_sk(sock);
    if (level == SOL_SOCKET)
        return sock_getsockopt_common(sock, name, value, len);
    u64 irq = spin_lock_irqsave(&icmp_lock);
    int err = 0, v = 0;
    if (is_filter_option(isk, level, name)) {
        *len = MIN(*len, is_v6(isk) ? (u32)sizeof(isk->filter) : (u32)sizeof(isk->filter[0]));
        memcpy(value, isk->filter, *len);
        spin_unlock_irqrestore(&icmp_lock, irq);
        return 0;
    }
    if (is_v6(isk) && isk->raw && level == SOL_RAW && name == IPV6_CHECKSUM)
        v = isk->checksum_offset;
    else if (is_v6(isk) && level == SOL_IPV6 && rx_option_bit(name))
        v = (isk->rx_options & rx_option_bit(name)) != 0;
    else if ((!is_v6(isk) && level == SOL_IP && name == IP_TTL) ||
             (is_v6(isk) && level == SOL_IPV6 && name == IPV6_UNICAST_HOPS))
        v = isk->ttl < 0 ? IP_DEFAULT_TTL : isk->ttl;
    else
        err = -ENOPROTOOPT;
    spin_unlock_irqrestore(&icmp_lock, irq);
    if (err)
        return err;
    *len = MIN(*len, (u32)sizeof(v));
    memcpy(value, &v, *len);
    return 0;
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
        if (isk->rx_head)
            amount = (int)(isk->rx_head->len - (is_v6(isk) ? IPV6_HEADER_LEN : 0));
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

/* What a ping or raw socket lacks, as Linux's sock_no_listen and sock_no_accept. */
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

#define ICMP_OPS(fam)                                                                                                  \
    {                                                                                                                  \
        .family = (fam), .release = icmp_release, .bind = icmp_bind, .connect = icmp_connect,                          \
        .listen = icmp_listen, .accept = icmp_accept, .getname = icmp_getname, .poll = icmp_poll,                      \
        .shutdown = icmp_shutdown, .setsockopt = icmp_setsockopt, .getsockopt = icmp_getsockopt,                       \
        .sendmsg = icmp_sendmsg, .recvmsg = icmp_recvmsg, .ioctl = icmp_ioctl,                                         \
    }
static const struct proto_ops icmp_ops = ICMP_OPS(AF_INET);
static const struct proto_ops icmpv6_ops = ICMP_OPS(AF_INET6);

int icmp_create(struct socket *sock, int type, int protocol)
{
    int family = sock->family;
    if (protocol != icmp_protocol(family) || (type != SOCK_DGRAM && type != SOCK_RAW))
        return -EPROTONOSUPPORT;
    /* Every process is root, which net.ipv4.ping_group_range lets make ping
     * sockets (every group may: ping_group_range_show) and CAP_NET_RAW raw ones. */
    struct icmp_sock *isk = kzalloc(sizeof(*isk));
    if (!isk)
        return -ENOBUFS;
    isk->sock = sock;
    isk->family = family;
    isk->raw = type == SOCK_RAW;
    isk->ttl = -1;
    /* An ICMPv6 raw socket's checksum is the kernel's to compute (RFC 3542); an ICMP one the program's. */
    isk->checksum_offset = family == AF_INET6 ? ICMP_CHECKSUM_OFFSET : -1;
    sock->sk = isk;
    sock->ops = family == AF_INET6 ? &icmpv6_ops : &icmp_ops;
    u64 irq = spin_lock_irqsave(&icmp_lock);
    if (!ip_ident_next)
        ip_ident_next = (u16)random_u64();
    isk->next = icmp_sockets;
    icmp_sockets = isk;
    spin_unlock_irqrestore(&icmp_lock, irq);
    return 0;
}

/* ---- /proc/sys/net/ipv4/ping_group_range ---- */

#define PING_GROUP_MAX 2147483647 /* every group may make ping sockets */

/* The policy icmp_create follows: every group, as distributions set it. */
void ping_group_range_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "%u\t%u\n", 0u, PING_GROUP_MAX);
}

/* ---- /proc/net/raw and raw6 ---- */

#define TCP_ESTABLISHED 1 /* the st column: a connected socket's state, else TCP_CLOSE */
#define TCP_CLOSE 7
#define RAW_HTABLE_MASK 0xff /* the sl column: the socket's bucket in Linux's table of raw sockets */

/* Linux's raw_seq_show and raw6_seq_show: one line per raw socket of the
 * family (the kernel address column is zeros, as Linux shows it to readers
 * without CAP_SYSLOG; the reference count is Linux's usual 2). */
static void raw_show(int family, struct seq_buf *s)
{
    if (family == AF_INET)
        seq_printf(s, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
                      "inode ref pointer drops\n");
    else
        seq_printf(s, "  sl  local_address                         remote_address                        st tx_queue "
                      "rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
    u64 irq = spin_lock_irqsave(&icmp_lock);
    for (struct icmp_sock *isk = icmp_sockets; isk; isk = isk->next) {
        if (!isk->raw || !isk->sock || isk->family != family)
            continue;
        int protocol = isk->sock->protocol;
        union ip_addr local = addr_any(family, &isk->bound_addr) ? isk->source_addr : isk->bound_addr;
        u64 ino = isk->sock->file ? isk->sock->file->inode->ino : 0;
        int state = isk->connected ? TCP_ESTABLISHED : TCP_CLOSE;
        if (family == AF_INET) {
            seq_printf(s, "%4d: %08X:%04X %08X:%04X", protocol & RAW_HTABLE_MASK, local.v4, protocol,
                       isk->peer_addr.v4, 0);
        } else {
            u32 l[4], p[4];
            memcpy(l, local.v6, 16);
            memcpy(p, isk->peer_addr.v6, 16);
            seq_printf(s, "%5d: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X", protocol & RAW_HTABLE_MASK, l[0], l[1],
                       l[2], l[3], protocol, p[0], p[1], p[2], p[3], 0);
        }
        seq_printf(s, " %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016lx %u\n", state, 0u, (u32)isk->rx_mem, 0,
                   0ul, 0u, 0u, 0, ino, 2, 0ul, isk->drops);
    }
    spin_unlock_irqrestore(&icmp_lock, irq);
}

void raw_proc_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    raw_show(AF_INET, s);
}

void raw6_proc_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    raw_show(AF_INET6, s);
}
