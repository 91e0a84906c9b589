/*
 * AF_INET and AF_INET6 (docs/sockets.md): the families' sockets, their
 * addresses and Linux's checks on them, the port tables of TCP and UDP
 * (bind conflicts, SO_REUSEADDR, ephemeral ports), and what TCP and UDP
 * share: bind, getsockname/getpeername and the IP-level options.
 *
 * There is one interface, lo: 127.0.0.0/8 and ::1 are this machine's
 * addresses, and nothing else is reachable (ENETUNREACH, as Linux answers
 * with only lo up).
 */
#include "errno.h"
#include "inet.h"
#include "lib.h"
#include "netdev.h"
#include "random.h"
#include "seq_buf.h"

#define IP_TOS 1
#define IP_TTL 2
#define IP_MTU_DISCOVER 10
#define IP_RECVERR 11
#define IP_MTU 14
#define IP_FREEBIND 15
#define IP_PMTUDISC_WANT 1
#define IP_PMTUDISC_OMIT 5
#define IPV6_UNICAST_HOPS 16
#define IPV6_MTU_DISCOVER 23
#define IPV6_MTU 24
#define IPV6_RECVERR 25
#define IPV6_V6ONLY 26
#define IPV6_TCLASS 67
#define INET_ECN_MASK 3        /* the low bits of the TOS: TCP keeps its own */
#define MAX_TTL 255
#define LOOPBACK_MTU 65536
#define IPV4_MAX_MTU 65535 /* lo's MTU as IPv4 caps it */
#define IPV4_LOOPBACK_NET 127  /* 127.0.0.0/8 */
#define IPV4_LOOPBACK 0x7f000001u
#define IPV4_MULTICAST_TOP 0xe /* 224.0.0.0/4 */
#define IPV6_MULTICAST_TOP 0xff /* ff00::/8 */

struct spinlock inet_lock;
struct inet_port_table tcp_ports = {.name = "tcp"};
struct inet_port_table udp_ports = {.name = "udp"};

static u16 be16(u16 v) { return __builtin_bswap16(v); }

/* ---- addresses ---- */

static const u8 v4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool inet_addr_is_v4(const u8 *addr) { return !memcmp(addr, v4_mapped_prefix, sizeof(v4_mapped_prefix)); }

u32 inet_addr_v4(const u8 *addr)
{
    u32 v;
    memcpy(&v, addr + 12, sizeof(v));
    return v;
}

void inet_addr_set_v4(u8 *addr, u32 v4_network_order)
{
    memcpy(addr, v4_mapped_prefix, sizeof(v4_mapped_prefix));
    memcpy(addr + 12, &v4_network_order, sizeof(v4_network_order));
}

static bool all_zero(const u8 *addr)
{
    for (int i = 0; i < INET_ADDR_LEN; i++)
        if (addr[i])
            return false;
    return true;
}

bool inet_addr_is_any(const u8 *addr) { return all_zero(addr) || (inet_addr_is_v4(addr) && !inet_addr_v4(addr)); }

static bool is_v6_loopback(const u8 *addr)
{
    for (int i = 0; i < INET_ADDR_LEN - 1; i++)
        if (addr[i])
            return false;
    return addr[INET_ADDR_LEN - 1] == 1;
}

bool inet_addr_is_loopback(const u8 *addr)
{
    if (inet_addr_is_v4(addr))
        return addr[12] == IPV4_LOOPBACK_NET;
    return is_v6_loopback(addr);
}

static void set_v6_loopback(u8 *addr)
{
    memset(addr, 0, INET_ADDR_LEN);
    addr[INET_ADDR_LEN - 1] = 1;
}

struct sockaddr_in_k {
    u16 family, port;
    u32 addr;
    u8 zero[8];
};

struct sockaddr_in6_k {
    u16 family, port;
    u32 flowinfo;
    u8 addr[INET_ADDR_LEN];
    u32 scope_id;
};

static int v4_from_user(enum inet_addr_use use, const void *addr, int len, struct inet_endpoint *out)
{
    struct sockaddr_in_k sin;
    if (len < SOCKADDR_IN_SIZE)
        return -EINVAL;
    memcpy(&sin, addr, sizeof(sin));
    if (sin.family != AF_INET) {
        /* bind takes AF_UNSPEC with INADDR_ANY, and sendto any AF_UNSPEC, for old programs */
        bool taken = (use == INET_USE_BIND && sin.family == AF_UNSPEC && !sin.addr) ||
                     (use == INET_USE_SENDTO && sin.family == AF_UNSPEC);
        if (!taken)
            return -EAFNOSUPPORT;
    }
    inet_addr_set_v4(out->addr, sin.addr);
    out->port = be16(sin.port);
    return 0;
}

int inet_addr_from_user(int family, enum inet_addr_use use, const void *addr, int len, struct inet_endpoint *out)
{
    if (family == AF_INET)
        return v4_from_user(use, addr, len, out);
    if (len < (int)sizeof(u16))
        return -EINVAL;
    u16 sa_family;
    memcpy(&sa_family, addr, sizeof(sa_family));
    if (use != INET_USE_BIND && sa_family == AF_INET)
        return v4_from_user(use, addr, len, out); /* a datagram socket's; TCP says EAFNOSUPPORT */
    if (use == INET_USE_SENDTO && sa_family == AF_UNSPEC)
        return 1; /* as if no address were given */
    if (len < SIN6_LEN_RFC2133)
        return -EINVAL;
    if (sa_family != AF_INET6)
        return use == INET_USE_SENDTO ? -EINVAL : -EAFNOSUPPORT;
    struct sockaddr_in6_k sin6 = {0};
    memcpy(&sin6, addr, (size_t)MIN(len, SOCKADDR_IN6_SIZE));
    memcpy(out->addr, sin6.addr, INET_ADDR_LEN);
    out->port = be16(sin6.port);
    return 0;
}

int inet_addr_to_sockaddr(int family, const struct inet_endpoint *ep, void *out)
{
    if (family == AF_INET) {
        struct sockaddr_in_k sin = {.family = AF_INET, .port = be16(ep->port), .addr = inet_addr_v4(ep->addr)};
        memcpy(out, &sin, sizeof(sin));
        return SOCKADDR_IN_SIZE;
    }
    struct sockaddr_in6_k sin6 = {.family = AF_INET6, .port = be16(ep->port)};
    memcpy(sin6.addr, ep->addr, INET_ADDR_LEN);
    memcpy(out, &sin6, sizeof(sin6));
    return SOCKADDR_IN6_SIZE;
}

static bool v4_is_local(u32 v4)
{
    u32 host = __builtin_bswap32(v4);
    u8 top = (u8)(host >> 24);
    return !host || top == IPV4_LOOPBACK_NET || (top >> 4) == IPV4_MULTICAST_TOP || host == 0xffffffffu;
}

int inet_check_local(const struct inet_sock *s, const u8 *addr)
{
    if (inet_addr_is_v4(addr)) {
        if (s->family == AF_INET6 && s->v6only)
            return -EINVAL;
        return v4_is_local(inet_addr_v4(addr)) || s->freebind ? 0 : -EADDRNOTAVAIL;
    }
    if (all_zero(addr) || is_v6_loopback(addr) || addr[0] == IPV6_MULTICAST_TOP || s->freebind)
        return 0;
    return -EADDRNOTAVAIL;
}

int inet_route(const struct inet_sock *s, u8 *daddr, u8 *saddr)
{
    bool bound_v4 = s->bound && inet_addr_is_v4(s->local.addr);
    if (all_zero(daddr)) {
        /* The unspecified destination is this machine, as Linux takes it. */
        if (bound_v4)
            inet_addr_set_v4(daddr, __builtin_bswap32(IPV4_LOOPBACK));
        else
            set_v6_loopback(daddr);
    }
    if (inet_addr_is_v4(daddr)) {
        if (s->family == AF_INET6 && s->v6only)
            return -ENETUNREACH;
        if (!inet_addr_v4(daddr))
            inet_addr_set_v4(daddr, __builtin_bswap32(IPV4_LOOPBACK));
        if (daddr[12] != IPV4_LOOPBACK_NET)
            return -ENETUNREACH;
        if (s->bound && !inet_addr_is_any(s->local.addr) && !bound_v4)
            return -ENETUNREACH;
        if (bound_v4 && inet_addr_v4(s->local.addr))
            memcpy(saddr, s->local.addr, INET_ADDR_LEN);
        else
            inet_addr_set_v4(saddr, __builtin_bswap32(IPV4_LOOPBACK));
        return 0;
    }
    if (!is_v6_loopback(daddr) || bound_v4)
        return -ENETUNREACH;
    set_v6_loopback(saddr);
    return 0;
}

/* ---- port tables ---- */

struct inet_sock *inet_port_chain(struct inet_port_table *t, u16 port) { return t->chains[port % ARRAY_SIZE(t->chains)]; }

/* Whether two bound addresses claim a destination in common. */
static bool addresses_overlap(const u8 *a, const struct inet_sock *sa, const u8 *b, const struct inet_sock *sb)
{
    if (!memcmp(a, b, INET_ADDR_LEN))
        return true;
    bool a4 = inet_addr_is_v4(a), b4 = inet_addr_is_v4(b);
    if (a4 && b4)
        return !inet_addr_v4(a) || !inet_addr_v4(b);
    if (!a4 && !b4)
        return all_zero(a) || all_zero(b);
    /* An AF_INET6 socket on :: takes IPv4 too, unless IPV6_V6ONLY. */
    return a4 ? all_zero(b) && !sb->v6only : all_zero(a) && !sa->v6only;
}

/* Linux's inet_bind_conflict: two sockets may share an address and port
 * when both set SO_REUSEADDR and the one already there does not listen. */
static bool reuse_of(const struct inet_sock *s) { return s->sock ? s->sock->reuseaddr : s->reuse; }

static bool conflicts(const struct inet_sock *s, const u8 *addr, const struct inet_sock *other)
{
    if (!addresses_overlap(addr, s, other->local.addr, other))
        return false;
    return !(reuse_of(s) && reuse_of(other) && other->state != TCP_LISTEN);
}

static bool port_in_use(struct inet_port_table *t, u16 port)
{
    for (struct inet_sock *e = inet_port_chain(t, port); e; e = e->port_next)
        if (e->local.port == port)
            return true;
    return false;
}

/* The next free port after the last one given (from a random start), so
 * that a search costs little until the range is nearly full. */
static u16 ephemeral_port(struct inet_port_table *t)
{
    u32 range = INET_EPHEMERAL_LAST - INET_EPHEMERAL_FIRST + 1;
    if (!t->rover)
        t->rover = 1 + (u32)random_u64() % range;
    for (u32 i = 0; i < range; i++) {
        u16 port = (u16)(INET_EPHEMERAL_FIRST + (t->rover + i) % range);
        if (!port_in_use(t, port)) {
            t->rover = (t->rover + i + 1) % range ?: range;
            return port;
        }
    }
    return 0;
}

static void link_port(struct inet_port_table *t, struct inet_sock *s)
{
    struct inet_sock **chain = &t->chains[s->local.port % ARRAY_SIZE(t->chains)];
    s->port_next = *chain;
    *chain = s;
    s->bound = true;
}

int inet_port_bind(struct inet_port_table *t, struct inet_sock *s, const struct inet_endpoint *ep, int exhausted)
{
    u16 port = ep->port;
    if (!port) {
        port = ephemeral_port(t);
        if (!port)
            return exhausted;
    } else {
        for (struct inet_sock *e = inet_port_chain(t, port); e; e = e->port_next)
            if (e != s && e->local.port == port && conflicts(s, ep->addr, e))
                return -EADDRINUSE;
    }
    memcpy(s->local.addr, ep->addr, INET_ADDR_LEN);
    s->local.port = port;
    link_port(t, s);
    return 0;
}

void inet_port_add(struct inet_port_table *t, struct inet_sock *s, const struct inet_endpoint *ep)
{
    s->local = *ep;
    link_port(t, s);
}

void inet_port_unbind(struct inet_port_table *t, struct inet_sock *s)
{
    if (!s->bound)
        return;
    for (struct inet_sock **p = &t->chains[s->local.port % ARRAY_SIZE(t->chains)]; *p; p = &(*p)->port_next) {
        if (*p == s) {
            *p = s->port_next;
            break;
        }
    }
    s->port_next = NULL;
    s->bound = false;
}

bool inet_port_listen_conflict(struct inet_port_table *t, const struct inet_sock *s)
{
    for (struct inet_sock *e = inet_port_chain(t, s->local.port); e; e = e->port_next)
        if (e != s && e->local.port == s->local.port && conflicts(s, s->local.addr, e))
            return true;
    return false;
}

bool inet_local_matches(const struct inet_sock *s, const u8 *daddr)
{
    const u8 *local = s->local.addr;
    if (!memcmp(local, daddr, INET_ADDR_LEN))
        return true;
    if (inet_addr_is_v4(daddr)) {
        if (inet_addr_is_v4(local))
            return !inet_addr_v4(local);
        return s->family == AF_INET6 && all_zero(local) && !s->v6only;
    }
    return !inet_addr_is_v4(local) && all_zero(local);
}

/* ---- the shared operations ---- */

void inet_sock_init(struct inet_sock *s, struct socket *sock, int family, int protocol)
{
    refcount_set(&s->refs, 1);
    s->sock = sock;
    s->family = family;
    s->protocol = protocol;
    s->state = TCP_CLOSE;
    s->ttl = -1;
    s->hops = -1;
    s->mtu_discover = IP_PMTUDISC_WANT;
    if (family == AF_INET)
        inet_addr_set_v4(s->local.addr, 0);
}

static struct inet_sock *inet_sk(struct socket *sock) { return sock->sk; }

static struct inet_port_table *ports_of(const struct inet_sock *s)
{
    return s->protocol == IPPROTO_TCP ? &tcp_ports : &udp_ports;
}

int inet_bind(struct socket *sock, const void *addr, int len)
{
    struct inet_sock *s = inet_sk(sock);
    struct inet_endpoint ep;
    int err = inet_addr_from_user(s->family, INET_USE_BIND, addr, len, &ep);
    if (err)
        return err;
    u64 irq = spin_lock_irqsave(&inet_lock);
    /* Linux's IPv4 looks at the address before the socket, its IPv6 after. */
    bool already = s->state != TCP_CLOSE || s->bound;
    if (s->family == AF_INET6 && already)
        err = -EINVAL;
    if (!err)
        err = inet_check_local(s, ep.addr);
    if (!err && already)
        err = -EINVAL;
    if (!err) {
        s->reuse = sock->reuseaddr;
        err = inet_port_bind(ports_of(s), s, &ep, -EADDRINUSE);
        if (!err) {
            s->port_locked = ep.port != 0;
            s->addr_locked = !inet_addr_is_any(ep.addr);
        }
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

int inet_getname(struct socket *sock, void *addr, bool peer)
{
    struct inet_sock *s = inet_sk(sock);
    u64 irq = spin_lock_irqsave(&inet_lock);
    struct inet_endpoint ep;
    int len = 0;
    if (peer) {
        bool connected = s->remote.port &&
                         (s->protocol == IPPROTO_UDP ? s->state == TCP_ESTABLISHED
                                                     : s->state != TCP_CLOSE && s->state != TCP_SYN_SENT);
        if (!connected)
            len = -ENOTCONN;
        ep = s->remote;
    } else {
        ep = s->local; /* a port given back keeps showing, as Linux's inet_sport */
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    return len < 0 ? len : inet_addr_to_sockaddr(s->family, &ep, addr);
}

int inet_sndbuf(const struct inet_sock *s) { return s->sock ? s->sock->sndbuf : s->sndbuf; }
int inet_rcvbuf(const struct inet_sock *s) { return s->sock ? s->sock->rcvbuf : s->rcvbuf; }

int inet_take_error(struct inet_sock *s)
{
    int err = s->err;
    s->err = 0;
    return -err;
}

u64 inet_ino(const struct inet_sock *s)
{
    return s->sock && s->sock->file ? s->sock->file->inode->ino : 0;
}

/* An int option's value: an int, or a single byte where Linux's IP level takes one. */
static int option_int(const void *value, u32 len)
{
    int v = 0;
    if (len >= sizeof(int))
        memcpy(&v, value, sizeof(v));
    else if (len >= 1)
        v = *(const u8 *)value;
    return v;
}

static int ip_setsockopt(struct inet_sock *s, int name, const void *value, u32 len)
{
    int v = option_int(value, len);
    switch (name) {
    case IP_TOS:
        if (s->protocol == IPPROTO_TCP)
            v = (v & ~INET_ECN_MASK) | (s->tos & INET_ECN_MASK);
        s->tos = v & 0xff;
        return 0;
    case IP_TTL:
        if (len < 1 || (v != -1 && (v < 1 || v > MAX_TTL)))
            return -EINVAL;
        s->ttl = v;
        return 0;
    case IP_MTU_DISCOVER:
        if (v < 0 || v > IP_PMTUDISC_OMIT)
            return -EINVAL;
        s->mtu_discover = v;
        return 0;
    case IP_RECVERR:
        s->recverr = v != 0;
        return 0;
    case IP_FREEBIND:
        s->freebind = v != 0;
        return 0;
    }
    return -ENOPROTOOPT;
}

static int ipv6_setsockopt(struct inet_sock *s, int name, const void *value, u32 len)
{
    if (s->family != AF_INET6)
        return -ENOPROTOOPT;
    int v = 0;
    if (len >= sizeof(int))
        memcpy(&v, value, sizeof(v));
    switch (name) {
    case IPV6_V6ONLY:
    case IPV6_UNICAST_HOPS:
    case IPV6_TCLASS:
    case IPV6_MTU_DISCOVER:
    case IPV6_RECVERR:
        break;
    default:
        return -ENOPROTOOPT;
    }
    if (len < sizeof(int))
        return -EINVAL;
    switch (name) {
    case IPV6_V6ONLY:
        if (s->bound)
            return -EINVAL;
        s->v6only = v != 0;
        return 0;
    case IPV6_UNICAST_HOPS:
        if (v < -1 || v > MAX_TTL)
            return -EINVAL;
        s->hops = v;
        return 0;
    case IPV6_TCLASS:
        if (v < -1 || v > 0xff)
            return -EINVAL;
        if (v == -1)
            v = 0;
        if (s->protocol == IPPROTO_TCP)
            v = (v & ~INET_ECN_MASK) | (s->tos & INET_ECN_MASK);
        s->tos = v;
        return 0;
    case IPV6_MTU_DISCOVER:
        if (v < 0 || v > IP_PMTUDISC_OMIT)
            return -EINVAL;
        s->mtu_discover = v;
        return 0;
    default: /* IPV6_RECVERR */
        s->recverr = v != 0;
        return 0;
    }
}

int inet_setsockopt(struct socket *sock, int level, int name, const void *value, u32 len)
{
    struct inet_sock *s = inet_sk(sock);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = -ENOPROTOOPT;
    if (level == SOL_IP)
        err = ip_setsockopt(s, name, value, len);
    else if (level == SOL_IPV6)
        err = ipv6_setsockopt(s, name, value, len);
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

static bool connected(const struct inet_sock *s)
{
    return s->state == TCP_ESTABLISHED || s->state == TCP_CLOSE_WAIT;
}

/* Linux's do_ip_getsockopt: a byte when the room is less than an int and the value fits one. */
static int ip_getsockopt(struct inet_sock *s, int name, void *value, u32 *len)
{
    int v;
    switch (name) {
    case IP_TOS: v = s->tos; break;
    case IP_TTL: v = s->ttl < 0 ? INET_DEFAULT_TTL : s->ttl; break;
    case IP_MTU_DISCOVER: v = s->mtu_discover; break;
    case IP_RECVERR: v = s->recverr; break;
    case IP_FREEBIND: v = s->freebind; break;
    case IP_MTU:
        if (!connected(s))
            return -ENOTCONN;
        v = inet_addr_is_v4(s->remote.addr) ? IPV4_MAX_MTU : LOOPBACK_MTU;
        break;
    default:
        return -ENOPROTOOPT;
    }
    if (*len < sizeof(int) && *len > 0 && v >= 0 && v <= 0xff) {
        *len = 1;
        *(u8 *)value = (u8)v;
        return 0;
    }
    *len = MIN(*len, (u32)sizeof(int));
    memcpy(value, &v, *len);
    return 0;
}

static int ipv6_getsockopt(struct inet_sock *s, int name, void *value, u32 *len)
{
    if (s->family != AF_INET6)
        return -ENOPROTOOPT;
    int v;
    switch (name) {
    case IPV6_V6ONLY: v = s->v6only; break;
    case IPV6_UNICAST_HOPS: v = s->hops < 0 ? INET_DEFAULT_TTL : s->hops; break;
    case IPV6_TCLASS: v = s->tos; break;
    case IPV6_MTU_DISCOVER: v = s->mtu_discover; break;
    case IPV6_RECVERR: v = s->recverr; break;
    case IPV6_MTU:
        if (!connected(s))
            return -ENOTCONN;
        v = LOOPBACK_MTU;
        break;
    default:
        return -ENOPROTOOPT;
    }
    *len = MIN(*len, (u32)sizeof(int));
    memcpy(value, &v, *len);
    return 0;
}

int inet_getsockopt(struct socket *sock, int level, int name, void *value, u32 *len)
{
    struct inet_sock *s = inet_sk(sock);
    if (level == SOL_SOCKET && name != SO_ERROR)
        return sock_getsockopt_common(sock, name, value, len);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = -ENOPROTOOPT;
    if (level == SOL_SOCKET) {
        int v = -inet_take_error(s);
        *len = MIN(*len, (u32)sizeof(v));
        memcpy(value, &v, *len);
        err = 0;
    } else if (level == SOL_IP) {
        err = ip_getsockopt(s, name, value, len);
    } else if (level == SOL_IPV6 && s->family == AF_INET6) {
        err = ipv6_getsockopt(s, name, value, len);
    } else if (s->family == AF_INET) {
        err = -EOPNOTSUPP; /* Linux's ip_getsockopt, unlike its ip_setsockopt */
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

/* ---- /proc/net ---- */

void inet_show_endpoint(struct seq_buf *m, const struct inet_endpoint *ep, bool v6)
{
    if (!v6) {
        seq_printf(m, "%08X:%04X", inet_addr_v4(ep->addr), ep->port);
        return;
    }
    u32 w[4];
    memcpy(w, ep->addr, sizeof(w));
    seq_printf(m, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], ep->port);
}

/* ---- the families ---- */

static int inet_family_create(struct socket *sock, int family, int protocol)
{
    if (sock->type == SOCK_RAW || (sock->type == SOCK_DGRAM && protocol == icmp_protocol(family)))
        return icmp_create(sock, sock->type, protocol);
    switch (sock->type) {
    case SOCK_STREAM:
        if (protocol && protocol != IPPROTO_TCP)
            return -EPROTONOSUPPORT;
        sock->protocol = IPPROTO_TCP;
        return tcp_create(sock, family);
    case SOCK_DGRAM:
        if (protocol && protocol != IPPROTO_UDP)
            return -EPROTONOSUPPORT;
        sock->protocol = IPPROTO_UDP;
        return udp_create(sock, family);
    default:
        return -ESOCKTNOSUPPORT;
    }
}

static int inet4_create(struct socket *sock, int protocol) { return inet_family_create(sock, AF_INET, protocol); }
static int inet6_create(struct socket *sock, int protocol) { return inet_family_create(sock, AF_INET6, protocol); }

void inet_init(void)
{
    net_family_register(AF_INET, inet4_create);
    net_family_register(AF_INET6, inet6_create);
}

#define IPV4_HEADER_LEN 20
#define IPV6_HEADER_LEN 40

void inet_count_packet(const u8 *remote, u64 payload, u64 transport_header)
{
    u64 ip_header = inet_addr_is_v4(remote) ? IPV4_HEADER_LEN : IPV6_HEADER_LEN;
    netdev_loopback_count(ip_header + transport_header + payload);
}
