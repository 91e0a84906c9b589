/*
 * AF_INET and AF_INET6 on loopback (kernel/net/inet.c, tcp.c, udp.c;
 * docs/sockets.md). Bytes go from socket to socket, with no IP or TCP
 * segments; TCP keeps Linux's connection states so that what programs and
 * /proc/net/tcp see is Linux's.
 *
 * Every address is kept as an IPv6 one, an IPv4 address as v4-mapped
 * (::ffff:a.b.c.d), so that one comparison serves both families and an
 * AF_INET6 socket talks to an AF_INET one as Linux's dual stack does.
 *
 * One spinlock, inet_lock, guards every inet socket's state and the port
 * tables; each socket has one wait queue, which every change of its state
 * wakes.
 */
#ifndef SYSGATE_INET_H
#define SYSGATE_INET_H

#include "net.h"
#include "timer.h"

struct seq_buf;

/* Errnos only the network gives (identical redefinitions are harmless). */
#define ENETUNREACH 101
#define EALREADY 114
#define EINPROGRESS 115

#define IPPROTO_IP 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41
#define SOL_IP IPPROTO_IP
#define SOL_TCP IPPROTO_TCP
#define SOL_UDP IPPROTO_UDP
#define SOL_IPV6 IPPROTO_IPV6

#define SOCKADDR_IN_SIZE 16  /* sizeof(struct sockaddr_in) */
#define SOCKADDR_IN6_SIZE 28 /* sizeof(struct sockaddr_in6) */
#define SIN6_LEN_RFC2133 24  /* the shortest sockaddr_in6 Linux takes (no scope id) */

#define INET_ADDR_LEN 16
#define INET_EPHEMERAL_FIRST 32768 /* net.ipv4.ip_local_port_range */
#define INET_EPHEMERAL_LAST 60999
#define INET_DEFAULT_TTL 64        /* net.ipv4.ip_default_ttl, IPv6's hop limit too */
#define INET_TIMEWAIT_NS (60ull * NSEC_PER_SEC) /* TCP_TIMEWAIT_LEN, and tcp_fin_timeout */

/* Linux's TCP states, with its numbers (/proc/net/tcp shows them). UDP is
 * ESTABLISHED when connected and CLOSE otherwise, as on Linux. */
enum tcp_state {
    TCP_ESTABLISHED = 1,
    TCP_SYN_SENT,
    TCP_SYN_RECV,
    TCP_FIN_WAIT1,
    TCP_FIN_WAIT2,
    TCP_TIME_WAIT,
    TCP_CLOSE,
    TCP_CLOSE_WAIT,
    TCP_LAST_ACK,
    TCP_LISTEN,
    TCP_CLOSING,
};

/* An address (network order; IPv4 as ::ffff:a.b.c.d) and a port (host order). */
struct inet_endpoint {
    u8 addr[INET_ADDR_LEN];
    u16 port;
};

/* What every inet socket has, and all a port table looks at. A TCP
 * connection's TIME_WAIT is only this, with a timer (struct tcp_timewait). */
struct inet_sock {
    refcount_t refs;
    struct socket *sock;       /* NULL for an embryo not yet accepted, an orphan, a timewait */
    int family;                /* the socket's: AF_INET or AF_INET6 */
    int protocol;              /* IPPROTO_TCP or IPPROTO_UDP */
    int state;                 /* enum tcp_state */
    struct inet_endpoint local, remote;
    bool bound;                /* in its protocol's port table, holding local.port */
    bool port_locked;          /* bound by bind() to a port: a disconnect keeps it */
    bool addr_locked;          /* bound by bind() to an address: a disconnect keeps it */
    bool reuse;                /* SO_REUSEADDR when it bound */
    bool v6only;               /* IPV6_V6ONLY */
    bool timewait;             /* a struct tcp_timewait */
    int err;                   /* SO_ERROR's pending error (positive) */
    u32 shutdown;              /* RCV_SHUTDOWN, SEND_SHUTDOWN */
    int tos;                   /* IP_TOS, IPV6_TCLASS */
    int ttl, hops;             /* IP_TTL, IPV6_UNICAST_HOPS: -1 is the default */
    int mtu_discover;          /* IP_MTU_DISCOVER */
    bool recverr, freebind;    /* IP_RECVERR, IP_FREEBIND: kept and reported */
    int sndbuf, rcvbuf;        /* an embryo's, until accept gives it a socket */
    struct inet_sock *port_next;
    struct wait_queue wait;
};

struct inet_port_table {
    const char *name;
    u32 rover;                 /* where the search for an ephemeral port goes on */
    struct inet_sock *chains[1024];
};

extern struct spinlock inet_lock;
extern struct inet_port_table tcp_ports, udp_ports;

/* ---- addresses (inet.c) ---- */

bool inet_addr_is_v4(const u8 *addr);  /* v4-mapped */
/* Counts on lo the packet a send of `payload` bytes to `remote` would be (its
 * IP and transport headers added), as one packet each way: the bytes travel
 * socket to socket, and lo's counters show the traffic they stand for. */
void inet_count_packet(const u8 *remote, u64 payload, u64 transport_header);
#define TCP_HEADER_LEN 32 /* with the timestamps option Linux's loopback connections carry */
#define UDP_HEADER_LEN 8
bool inet_addr_is_any(const u8 *addr); /* :: or ::ffff:0.0.0.0 */
bool inet_addr_is_loopback(const u8 *addr);
void inet_addr_set_v4(u8 *addr, u32 v4_network_order);
/* The IPv4 address of a v4-mapped one, in network order. */
u32 inet_addr_v4(const u8 *addr);

/* Why an address, given to a call of a socket of `family`, is refused. */
enum inet_addr_use { INET_USE_BIND, INET_USE_CONNECT, INET_USE_SENDTO };
/*
 * A sockaddr_in or sockaddr_in6 (already in the kernel) for a socket of
 * `family`, with Linux's checks for the use: EINVAL for a short length,
 * EAFNOSUPPORT for another family (AF_UNSPEC where Linux takes it).
 * Does not judge the address itself (see inet_check_local/inet_route).
 */
int inet_addr_from_user(int family, enum inet_addr_use use, const void *addr, int len, struct inet_endpoint *out);
/* The sockaddr of `family` for an endpoint, into out (SOCKADDR_MAX bytes); returns its length. */
int inet_addr_to_sockaddr(int family, const struct inet_endpoint *ep, void *out);
/* Whether an address may be bound: EADDRNOTAVAIL for one this machine does not have. */
int inet_check_local(const struct inet_sock *s, const u8 *addr);
/* The destination as the loopback routes it, and the source address a
 * connection to it takes: ENETUNREACH for anything not on lo. */
int inet_route(const struct inet_sock *s, u8 *daddr, u8 *saddr);

/* ---- ports (inet.c); called with inet_lock held ---- */

/* Binds s to ep (port 0: an ephemeral port); EADDRINUSE for a conflict, `exhausted` when no ephemeral port is left. */
int inet_port_bind(struct inet_port_table *t, struct inet_sock *s, const struct inet_endpoint *ep, int exhausted);
/* Binds without looking for conflicts: an embryo beside its listener, a timewait in its socket's place. */
void inet_port_add(struct inet_port_table *t, struct inet_sock *s, const struct inet_endpoint *ep);
void inet_port_unbind(struct inet_port_table *t, struct inet_sock *s);
/* Whether s, about to listen, conflicts with another socket on its port. */
bool inet_port_listen_conflict(struct inet_port_table *t, const struct inet_sock *s);
/* Whether an address bound as `local` by s receives what is sent to daddr. */
bool inet_local_matches(const struct inet_sock *s, const u8 *daddr);
/* The first socket of a port's chain (iterate with port_next). */
struct inet_sock *inet_port_chain(struct inet_port_table *t, u16 port);

/* ---- the socket layer's operations shared by TCP and UDP (inet.c) ---- */

void inet_sock_init(struct inet_sock *s, struct socket *sock, int family, int protocol);
int inet_bind(struct socket *sock, const void *addr, int len);
int inet_getname(struct socket *sock, void *addr, bool peer);
int inet_setsockopt(struct socket *sock, int level, int name, const void *value, u32 len);
/* SOL_SOCKET's SO_ERROR, SOL_IP and SOL_IPV6 (TCP and UDP add their own level). */
int inet_getsockopt(struct socket *sock, int level, int name, void *value, u32 *len);
int inet_sndbuf(const struct inet_sock *s);
int inet_rcvbuf(const struct inet_sock *s);
/* A pending error, taken (Linux's sock_error): 0 or a negative errno. */
int inet_take_error(struct inet_sock *s);
/* The inode number /proc/net shows: the socket's, 0 when it has none. */
u64 inet_ino(const struct inet_sock *s);
/* /proc/net's address columns: 0100007F:1389, or four words for IPv6. */
void inet_show_endpoint(struct seq_buf *m, const struct inet_endpoint *ep, bool v6);

/* ---- TCP (tcp.c) and UDP (udp.c) ---- */

int tcp_create(struct socket *sock, int family);
int udp_create(struct socket *sock, int family);


#endif
