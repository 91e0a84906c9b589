/*
 * AF_INET and AF_INET6 on loopback, TCP and UDP: what a program sees must be
 * Linux's. Ports are always the kernel's choice (bind to port 0, read back
 * with getsockname) and never printed, since the host has ports in use.
 *
 *   inet          differential: every call's result, errno, poll mask and
 *                 option value, printed alike on Linux and sysgate
 *   inet stress   threads sending checksummed data both ways over several
 *                 TCP connections at once: nothing lost, reordered or doubled
 *   inet leak     1,000 connect/accept/close cycles (and UDP sockets): no
 *                 descriptor, port or kernel memory kept
 *   inet lo       what only a machine with nothing but lo gives (sysgate):
 *                 ENETUNREACH beyond lo, ephemeral ports running out
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif
#define ALL_EVENTS (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND | POLLRDHUP)
#define TCP_STATE_SYN_SENT 2
#define MIN_SIZE(a, b) ((a) < (b) ? (a) : (b))

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

/* "name = result" or "name = -1 errno N": the line both kernels must print alike. */
static long show(const char *what, long r)
{
    if (r < 0)
        printf("%s = -1 errno %d\n", what, errno);
    else
        printf("%s = %ld\n", what, r);
    return r;
}
#define T(expr) show(#expr, (long)(expr))

static void *volatile unmapped_address = (void *)16;
static void *bad_pointer(void) { return unmapped_address; }

/* The family under test, and its names for the loopback address. */
static int fam;
static const char *fam_name(void) { return fam == AF_INET ? "v4" : "v6"; }

union addr {
    struct sockaddr sa;
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    struct sockaddr_storage ss;
};

static socklen_t addr_len(int family) { return family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6); }

/* An address of the family: "lo" (127.0.0.1 or ::1), "any", or a literal. */
static socklen_t make_addr(union addr *a, int family, const char *host, int port)
{
    memset(a, 0, sizeof(*a));
    a->sa.sa_family = (sa_family_t)family;
    if (!strcmp(host, "lo"))
        host = family == AF_INET ? "127.0.0.1" : "::1";
    if (!strcmp(host, "any"))
        host = family == AF_INET ? "0.0.0.0" : "::";
    if (family == AF_INET) {
        a->in.sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, host, &a->in.sin_addr);
    } else {
        a->in6.sin6_port = htons((uint16_t)port);
        inet_pton(AF_INET6, host, &a->in6.sin6_addr);
    }
    return addr_len(family);
}

static int port_of(const union addr *a)
{
    return ntohs(a->sa.sa_family == AF_INET ? a->in.sin_port : a->in6.sin6_port);
}

static union addr name_of(int fd, bool peer, socklen_t *len)
{
    union addr a;
    memset(&a, 0, sizeof(a));
    socklen_t l = sizeof(a);
    if ((peer ? getpeername(fd, &a.sa, &l) : getsockname(fd, &a.sa, &l)) < 0)
        l = 0;
    if (len)
        *len = l;
    return a;
}

static int local_port(int fd) { return port_of(&(union addr){.ss = name_of(fd, false, NULL).ss}); }

/* "len 16 AF_INET 127.0.0.1": the address without its port. */
static void show_name(const char *what, int fd, bool peer)
{
    union addr a;
    memset(&a, 0, sizeof(a));
    socklen_t l = sizeof(a);
    int r = peer ? getpeername(fd, &a.sa, &l) : getsockname(fd, &a.sa, &l);
    if (r < 0) {
        printf("%s: -1 errno %d\n", what, errno);
        return;
    }
    char text[INET6_ADDRSTRLEN] = "?";
    if (a.sa.sa_family == AF_INET)
        inet_ntop(AF_INET, &a.in.sin_addr, text, sizeof(text));
    else if (a.sa.sa_family == AF_INET6)
        inet_ntop(AF_INET6, &a.in6.sin6_addr, text, sizeof(text));
    printf("%s: len %u family %d %s port %s", what, l, a.sa.sa_family, text, port_of(&a) ? "set" : "0");
    if (a.sa.sa_family == AF_INET6)
        printf(" flowinfo %u scope %u", a.in6.sin6_flowinfo, a.in6.sin6_scope_id);
    printf("\n");
}

static int getint(int fd, int level, int name)
{
    int v = -7;
    socklen_t len = sizeof(v);
    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -errno * 1000;
    return v;
}

static void show_int(const char *what, int fd, int level, int name)
{
    int v = -7;
    socklen_t len = sizeof(v);
    if (getsockopt(fd, level, name, &v, &len) < 0)
        printf("%s: -1 errno %d\n", what, errno);
    else
        printf("%s: %d (len %u)\n", what, v, len);
}

static int tcp_state(int fd)
{
    struct tcp_info info;
    socklen_t len = sizeof(info);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) < 0)
        return -errno;
    return info.tcpi_state;
}

static void show_poll(const char *what, int fd)
{
    struct pollfd p = {fd, ALL_EVENTS, 0};
    poll(&p, 1, 0);
    printf("%s poll: %#x\n", what, (unsigned)p.revents);
}

/* Waits (a generous bound, not a measure) for an event on one descriptor. */
static short wait_event(int fd, short events)
{
    struct pollfd p = {fd, events, 0};
    poll(&p, 1, 10000);
    return p.revents;
}

static int inq(int fd)
{
    int n = -7;
    return ioctl(fd, SIOCINQ, &n) < 0 ? -errno * 1000 : n;
}

static int outq(int fd)
{
    int n = -7;
    return ioctl(fd, SIOCOUTQ, &n) < 0 ? -errno * 1000 : n;
}

/* A listener on loopback port 0, its address in *a. */
static int listener(int family, int backlog, union addr *a)
{
    int l = socket(family, SOCK_STREAM, 0);
    socklen_t len = make_addr(a, family, "lo", 0);
    if (bind(l, &a->sa, len) < 0 || listen(l, backlog) < 0)
        printf("FAIL listener: errno %d\n", errno);
    *a = name_of(l, false, NULL);
    return l;
}

static int connect_to(int family, const union addr *a)
{
    int c = socket(family, SOCK_STREAM, 0);
    if (connect(c, &a->sa, addr_len(a->sa.sa_family)) < 0)
        printf("FAIL connect: errno %d\n", errno);
    return c;
}

/* A connected pair: *client and the accepted *server; returns the listener. */
static int tcp_pair(int *client, int *server)
{
    union addr a;
    int l = listener(fam, 5, &a);
    *client = connect_to(fam, &a);
    *server = accept(l, NULL, NULL);
    return l;
}

/* A port nobody listens on: bound, then released. */
static int free_port(int family, int type)
{
    int s = socket(family, type, 0);
    union addr a;
    bind(s, &a.sa, make_addr(&a, family, "lo", 0));
    int port = local_port(s);
    close(s);
    return port;
}

static void argument_checks(void)
{
    printf("-- argument checks (%s)\n", fam_name());
    int other = fam == AF_INET ? AF_INET6 : AF_INET;
    T(socket(fam, SOCK_STREAM, IPPROTO_UDP));
    T(socket(fam, SOCK_DGRAM, IPPROTO_TCP));
    T(socket(fam, SOCK_SEQPACKET, 0));
    T(socket(fam, 11, 0));
    T(socketpair(fam, SOCK_STREAM, 0, (int[2]){0}));
    T(socketpair(fam, SOCK_DGRAM, 0, (int[2]){0}));
    int s = socket(fam, SOCK_STREAM, 0), u = socket(fam, SOCK_DGRAM, IPPROTO_UDP);
    printf("stream: type %d protocol %d domain %d; dgram: type %d protocol %d domain %d\n",
           getint(s, SOL_SOCKET, SO_TYPE), getint(s, SOL_SOCKET, SO_PROTOCOL), getint(s, SOL_SOCKET, SO_DOMAIN) == fam,
           getint(u, SOL_SOCKET, SO_TYPE), getint(u, SOL_SOCKET, SO_PROTOCOL), getint(u, SOL_SOCKET, SO_DOMAIN) == fam);
    show_name("fresh getsockname", s, false);
    show_name("fresh getpeername", s, true);
    union addr a, b;
    socklen_t len = make_addr(&a, fam, "lo", 0);
    T(bind(s, &a.sa, len - 1)); /* IPv6 takes RFC 2133's sockaddr_in6, without the scope */
    close(s);
    s = socket(fam, SOCK_STREAM, 0);
    T(bind(s, &a.sa, 0));
    T(bind(s, &a.sa, sizeof(a) + 1));
    T(bind(s, bad_pointer(), len));
    make_addr(&b, other, other == AF_INET ? "127.0.0.1" : "::1", 0);
    T(bind(s, &b.sa, len));
    make_addr(&b, fam, fam == AF_INET ? "198.51.100.7" : "2001:db8::7", 0);
    T(bind(s, &b.sa, len));
    if (fam == AF_INET) {
        make_addr(&b, fam, "127.0.0.1", 0);
        b.sa.sa_family = AF_UNSPEC;
        T(bind(s, &b.sa, len));
        make_addr(&b, fam, "0.0.0.0", 0);
        b.sa.sa_family = AF_UNSPEC;
        int any = socket(fam, SOCK_STREAM, 0);
        T(bind(any, &b.sa, len));
        show_name("bound with AF_UNSPEC", any, false);
        close(any);
    } else {
        make_addr(&b, fam, "::ffff:127.0.0.1", 0);
        int only = socket(fam, SOCK_STREAM, 0);
        T(setsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int)));
        T(bind(only, &b.sa, len));
        close(only);
    }
    T(bind(s, &a.sa, len));
    show_name("bound getsockname", s, false);
    T(bind(s, &a.sa, len));
    make_addr(&b, fam, fam == AF_INET ? "198.51.100.7" : "2001:db8::7", 0);
    T(bind(s, &b.sa, len)); /* which check comes first differs between the families */
    union addr small;
    socklen_t slen = 4;
    memset(&small, 0x55, sizeof(small));
    T(getsockname(s, &small.sa, &slen));
    printf("truncated name: len %u family %d\n", slen, small.sa.sa_family);
    T(getsockname(s, bad_pointer(), &(socklen_t){sizeof(a)}));
    T(getsockname(s, &small.sa, &(socklen_t){-1}));

    printf("unconnected stream:\n");
    int fresh = socket(fam, SOCK_STREAM, 0);
    show_poll("fresh", fresh);
    int before = sigpipes;
    T(send(fresh, "x", 1, 0));
    printf("SIGPIPE: %d\n", sigpipes - before);
    T(send(fresh, "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE with MSG_NOSIGNAL: %d\n", sigpipes - before);
    char c;
    T(recv(fresh, &c, 1, 0));
    T(recv(fresh, &c, 0, 0));
    T(accept(fresh, NULL, NULL));
    T(shutdown(fresh, SHUT_WR));
    show_poll("after shutdown", fresh);
    T(shutdown(fresh, 3));
    T(connect(fresh, &a.sa, 1));
    T(connect(fresh, &a.sa, len - 1));
    T(connect(fresh, bad_pointer(), len));
    make_addr(&b, other, other == AF_INET ? "127.0.0.1" : "::1", local_port(s));
    T(connect(fresh, &b.sa, addr_len(other)));
    T(connect(fresh, &b.sa, len));
    close(fresh);

    printf("unconnected datagram:\n");
    show_poll("fresh", u);
    T(send(u, "x", 1, 0));
    T(sendto(u, "x", 1, 0, &a.sa, len)); /* port 0 */
    T(sendto(u, "x", 1, 0, &a.sa, len - 1));
    T(sendto(u, "x", 1, 0, bad_pointer(), len));
    make_addr(&b, fam, "lo", local_port(s));
    T(sendto(u, bad_pointer(), 1, 0, &b.sa, len));
    T(listen(u, 1));
    T(accept(u, NULL, NULL));
    T(shutdown(u, SHUT_RD));
    show_poll("after shutdown", u);
    T(recv(u, &c, 1, MSG_DONTWAIT));
    T(recv(u, &c, 1, 0)); /* shut down: no wait */
    show_name("autobound by sendto", u, false);
    close(u);
    close(s);
}

struct sender {
    int fd;
    const char *parts[4];
};

static void *send_parts(void *arg)
{
    struct sender *s = arg;
    for (int i = 0; s->parts[i]; i++) {
        sched_yield();
        send(s->fd, s->parts[i], strlen(s->parts[i]), 0);
    }
    return NULL;
}

static void tcp_basics(void)
{
    printf("-- TCP connection (%s)\n", fam_name());
    union addr la;
    int l = listener(fam, 5, &la);
    show_name("listener", l, false);
    printf("SO_ACCEPTCONN %d, state %d\n", getint(l, SOL_SOCKET, SO_ACCEPTCONN), tcp_state(l));
    show_poll("idle listener", l);
    T(inq(l));
    T(outq(l));
    T(listen(l, 10)); /* again: a new backlog */
    int c = socket(fam, SOCK_STREAM, 0);
    T(connect(c, &la.sa, addr_len(fam)));
    show_poll("listener with a connection", l);
    T(send(c, "hello", 5, 0)); /* before the accept */
    show_name("client", c, false);
    show_name("client's peer", c, true);
    union addr peer = name_of(c, true, NULL);
    printf("client's peer is the listener: %s\n", port_of(&peer) == port_of(&la) ? "yes" : "no");
    printf("client's port is its own: %s\n", local_port(c) != port_of(&la) ? "yes" : "no");
    union addr from;
    socklen_t flen = sizeof(from);
    int s = accept4(l, &from.sa, &flen, SOCK_NONBLOCK | SOCK_CLOEXEC);
    printf("accept4: %s, len %u, peer is the client: %s\n", s >= 0 ? "ok" : strerror(errno), flen,
           port_of(&from) == local_port(c) ? "yes" : "no");
    printf("accepted: nonblocking %d cloexec %d, same port as the listener: %s\n",
           !!(fcntl(s, F_GETFL) & O_NONBLOCK), !!(fcntl(s, F_GETFD) & FD_CLOEXEC),
           local_port(s) == port_of(&la) ? "yes" : "no");
    show_name("accepted", s, false);
    printf("states: client %d server %d\n", tcp_state(c), tcp_state(s));
    T(connect(c, &la.sa, addr_len(fam)));
    T(listen(c, 1));
    T(bind(c, &la.sa, addr_len(fam)));
    T(connect(l, &la.sa, addr_len(fam)));
    T(inq(s));
    T(outq(c));
    show_poll("server with data", s);
    char buf[64] = {0};
    T(recv(s, buf, 3, MSG_PEEK));
    printf("peeked \"%s\"\n", buf);
    memset(buf, 0, sizeof(buf));
    T(recv(s, buf, sizeof(buf), 0));
    printf("read \"%s\"\n", buf);
    T(recv(s, buf, sizeof(buf), 0));
    T(recv(c, buf, sizeof(buf), MSG_DONTWAIT));
    T(read(s, buf, 0));

    /* MSG_WAITALL gathers parts sent one by one; MSG_TRUNC drops bytes unread. */
    struct sender parts = {c, {"abc", "de", "f", NULL}};
    pthread_t th;
    pthread_create(&th, NULL, send_parts, &parts);
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl & ~O_NONBLOCK);
    memset(buf, 0, sizeof(buf));
    T(recv(s, buf, 6, MSG_WAITALL));
    printf("waited for all: \"%s\"\n", buf);
    pthread_join(th, NULL);
    T(send(c, "xyz", 3, 0));
    T(recv(s, NULL, 2, MSG_TRUNC));
    memset(buf, 0, sizeof(buf));
    T(recv(s, buf, sizeof(buf), 0));
    printf("after MSG_TRUNC: \"%s\"\n", buf);

    /* Scatter and gather; recvfrom gives no address on a stream. */
    struct iovec out[2] = {{"ab", 2}, {"cd", 2}};
    struct msghdr m = {.msg_iov = out, .msg_iovlen = 2};
    T(sendmsg(c, &m, 0));
    T(writev(c, out, 2));
    char p1[3] = {0}, p2[3] = {0}, p3[3] = {0};
    struct iovec in[3] = {{p1, 2}, {p2, 2}, {p3, 2}};
    struct msghdr r = {.msg_iov = in, .msg_iovlen = 3};
    T(recvmsg(s, &r, 0));
    printf("gathered \"%s\" \"%s\" \"%s\" flags %#x\n", p1, p2, p3, r.msg_flags);
    socklen_t alen = sizeof(from);
    T(recvfrom(s, buf, sizeof(buf), 0, &from.sa, &alen));
    printf("recvfrom's address length: %u\n", alen);
    T(sendto(c, "q", 1, 0, &la.sa, addr_len(fam))); /* an address on a stream is ignored */
    T(recv(s, buf, 1, 0));
    T(send(c, bad_pointer(), 10, 0));
    T(send(c, "r", 1, 0));
    T(recv(s, bad_pointer(), 1, 0));
    T(recv(s, buf, 1, 0)); /* the byte is still there */

    /* Half-close: the reader gets the end, the other direction still works. */
    T(shutdown(c, SHUT_WR));
    show_poll("server after the client's SHUT_WR", s);
    show_poll("client after its SHUT_WR", c);
    T(recv(s, buf, sizeof(buf), 0));
    /* FIN_WAIT1 or 2 as the peer's ACK is delayed or not: Linux's timing */
    int cs = tcp_state(c);
    printf("states: client %s server %d\n", cs == 4 || cs == 5 ? "FIN_WAIT" : "?", tcp_state(s));
    int before = sigpipes;
    T(send(c, "x", 1, 0));
    printf("SIGPIPE: %d\n", sigpipes - before);
    T(send(s, "late", 4, 0));
    memset(buf, 0, sizeof(buf));
    T(recv(c, buf, sizeof(buf), 0));
    printf("after half-close the client read \"%s\"\n", buf);
    int client_port = local_port(c);
    T(close(s));
    printf("states after the server's close: client %d\n", tcp_state(c));
    show_poll("client after both FINs", c);
    T(recv(c, buf, sizeof(buf), 0));
    show_name("client's peer after the close", c, true);
    T(close(c));

    /* The client closed first and its TIME_WAIT keeps the port. */
    int b = socket(fam, SOCK_STREAM, 0);
    union addr ba;
    socklen_t blen = make_addr(&ba, fam, "lo", client_port);
    T(bind(b, &ba.sa, blen));
    close(b);
    T(close(l));
}

static void tcp_resets(void)
{
    printf("-- TCP resets and refusals (%s)\n", fam_name());
    int c, s;
    int l = tcp_pair(&c, &s);
    char buf[16];
    /* close with unread data resets the peer */
    T(send(c, "abc", 3, 0));
    T(close(s));
    show_poll("client after the reset", c);
    printf("state %d\n", tcp_state(c));
    T(recv(c, buf, sizeof(buf), 0));
    T(recv(c, buf, sizeof(buf), 0));
    int before = sigpipes;
    T(send(c, "a", 1, 0));
    printf("SIGPIPE: %d\n", sigpipes - before);
    show_name("peer after the reset", c, true);
    show_int("SO_ERROR", c, SOL_SOCKET, SO_ERROR);
    close(c);

    /* SO_LINGER with no time: a reset, data still readable before it */
    c = connect_to(fam, &(union addr){.ss = name_of(l, false, NULL).ss});
    s = accept(l, NULL, NULL);
    struct linger lg = {1, 0};
    T(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
    T(send(s, "bye", 3, 0));
    T(close(s));
    memset(buf, 0, sizeof(buf));
    T(recv(c, buf, sizeof(buf), 0));
    printf("read before the reset: \"%s\"\n", buf);
    T(recv(c, buf, sizeof(buf), 0));
    show_poll("after", c);
    close(c);

    /* The peer closed: the first write goes, the reset it causes makes the next EPIPE. */
    c = connect_to(fam, &(union addr){.ss = name_of(l, false, NULL).ss});
    s = accept(l, NULL, NULL);
    T(close(s));
    show_poll("client after the server's FIN", c);
    printf("state %d\n", tcp_state(c));
    T(recv(c, buf, sizeof(buf), 0));
    before = sigpipes;
    T(send(c, "a", 1, 0));
    printf("state %d\n", tcp_state(c));
    show_poll("client after the reset", c);
    T(recv(c, buf, sizeof(buf), 0));
    T(send(c, "a", 1, 0));
    T(send(c, "a", 1, MSG_NOSIGNAL));
    printf("SIGPIPE: %d\n", sigpipes - before);
    close(c);

    /* Nobody listens: refused, blocking or not */
    union addr nobody;
    socklen_t len = make_addr(&nobody, fam, "lo", free_port(fam, SOCK_STREAM));
    c = socket(fam, SOCK_STREAM, 0);
    T(connect(c, &nobody.sa, len));
    show_poll("after a refused connect", c);
    T(connect(c, &nobody.sa, len));
    show_name("refused's name", c, false);
    T(listen(c, 1)); /* takes a port of its own */
    show_name("listening after a refused connect", c, false);
    close(c);
    c = socket(fam, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(c, &nobody.sa, len));
    show_poll("non-blocking, refused", c);
    show_int("SO_ERROR", c, SOL_SOCKET, SO_ERROR);
    show_int("SO_ERROR again", c, SOL_SOCKET, SO_ERROR);
    show_poll("after SO_ERROR", c);
    T(connect(c, &nobody.sa, len));
    T(connect(c, &nobody.sa, len));
    T(connect(c, &nobody.sa, len)); /* not taken by SO_ERROR this time */
    close(c);
    /* A bound socket that does not listen refuses too */
    int bound = socket(fam, SOCK_STREAM, 0);
    union addr ba;
    bind(bound, &ba.sa, make_addr(&ba, fam, "lo", 0));
    ba = name_of(bound, false, NULL);
    c = socket(fam, SOCK_STREAM, 0);
    T(connect(c, &ba.sa, len));
    close(c);
    close(bound);

    /* Non-blocking connect to a listener with room */
    union addr la = name_of(l, false, NULL);
    c = socket(fam, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(c, &la.sa, len));
    printf("writable: %#x\n", (unsigned)wait_event(c, POLLOUT));
    show_int("SO_ERROR", c, SOL_SOCKET, SO_ERROR);
    T(connect(c, &la.sa, len));
    T(connect(c, &la.sa, len));
    s = accept(l, NULL, NULL);
    /* connect with AF_UNSPEC takes the connection down with a reset */
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    T(connect(c, &unspec, sizeof(unspec)));
    printf("state %d\n", tcp_state(c));
    show_name("after AF_UNSPEC", c, true);
    T(recv(s, buf, sizeof(buf), 0));
    close(c);
    close(s);
    close(l);
}

struct blocked_connect {
    int fd;
    const union addr *to;
    long result;
    int err;
};

static void *connect_blocking(void *arg)
{
    struct blocked_connect *b = arg;
    b->result = connect(b->fd, &b->to->sa, addr_len(b->to->sa.sa_family));
    b->err = errno;
    return NULL;
}

static void *connect_yielding(void *arg)
{
    sched_yield();
    return connect_blocking(arg);
}

static void tcp_backlog(void)
{
    printf("-- TCP backlog (%s)\n", fam_name());
    union addr la;
    int l = listener(fam, 0, &la); /* room for one: Linux's queue is full past the backlog */
    socklen_t len = addr_len(fam);
    int c1 = connect_to(fam, &la);
    int c2 = socket(fam, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(c2, &la.sa, len));
    show_poll("second connector", c2);
    printf("state %d\n", tcp_state(c2));
    T(connect(c2, &la.sa, len));
    T(send(c2, "x", 1, 0));
    char buf[4];
    T(recv(c2, buf, 1, 0));
    show_name("waiting connector's peer", c2, true);
    int s1 = accept(l, NULL, NULL);
    printf("accepted the first: %s\n", name_of(s1, true, NULL).in.sin_port == name_of(c1, false, NULL).in.sin_port ? "yes" : "no");
    printf("second connector writable: %#x\n", (unsigned)wait_event(c2, POLLOUT));
    T(connect(c2, &la.sa, len));
    /* a blocking connector waits for the accept */
    struct blocked_connect b = {socket(fam, SOCK_STREAM, 0), &la, -2, 0};
    pthread_t th;
    pthread_create(&th, NULL, connect_blocking, &b);
    while (tcp_state(b.fd) != TCP_STATE_SYN_SENT && b.result == -2)
        sched_yield();
    printf("blocked connector's state %d\n", tcp_state(b.fd));
    int s2 = accept(l, NULL, NULL);
    pthread_join(th, NULL);
    printf("blocked connect: %ld errno %d\n", b.result, b.result < 0 ? b.err : 0);
    int s3 = accept(l, NULL, NULL);
    printf("accepted in order: %s %s\n", local_port(c2) == port_of(&(union addr){.ss = name_of(s2, true, NULL).ss}) ? "yes" : "no",
           local_port(b.fd) == port_of(&(union addr){.ss = name_of(s3, true, NULL).ss}) ? "yes" : "no");
    /* closing the listener: the unaccepted connection is reset, the waiting connector refused */
    int c4 = connect_to(fam, &la);
    int c5 = socket(fam, SOCK_STREAM | SOCK_NONBLOCK, 0);
    T(connect(c5, &la.sa, len));
    T(close(l));
    T(recv(c4, buf, sizeof(buf), 0));
    printf("waiting connector: %#x\n", (unsigned)wait_event(c5, POLLOUT));
    show_int("SO_ERROR", c5, SOL_SOCKET, SO_ERROR);
    T(accept(l, NULL, NULL));
    close(c1), close(c2), close(b.fd), close(c4), close(c5), close(s1), close(s2), close(s3);
}

/* Two sockets of the types and families, the second binding the first's port. */
static void try_share(const char *what, int type, int fam1, const char *addr1, bool reuse1, int fam2, const char *addr2,
                      bool reuse2, bool listen1, bool v6only2)
{
    int a = socket(fam1, type, 0), b = socket(fam2, type, 0);
    setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &(int){reuse1}, sizeof(int));
    setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &(int){reuse2}, sizeof(int));
    if (v6only2)
        setsockopt(b, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int));
    union addr aa, ba;
    bind(a, &aa.sa, make_addr(&aa, fam1, addr1, 0));
    if (listen1)
        listen(a, 1);
    int r = bind(b, &ba.sa, make_addr(&ba, fam2, addr2, local_port(a)));
    printf("%s: %s\n", what, r < 0 ? strerror(errno) : "shared");
    if (r == 0 && type == SOCK_STREAM && !listen1) {
        int la = listen(a, 1), lb = listen(b, 1);
        printf("  then listen on both: %d %d\n", la, lb < 0 ? -errno : lb);
    }
    close(a);
    close(b);
}

static void port_sharing(void)
{
    printf("-- ports: EADDRINUSE and SO_REUSEADDR\n");
    try_share("tcp same address", SOCK_STREAM, AF_INET, "127.0.0.1", false, AF_INET, "127.0.0.1", false, false, false);
    try_share("tcp same address, reuse on one", SOCK_STREAM, AF_INET, "127.0.0.1", true, AF_INET, "127.0.0.1", false, false, false);
    try_share("tcp same address, reuse on both", SOCK_STREAM, AF_INET, "127.0.0.1", true, AF_INET, "127.0.0.1", true, false, false);
    try_share("tcp reuse, first listening", SOCK_STREAM, AF_INET, "127.0.0.1", true, AF_INET, "127.0.0.1", true, true, false);
    try_share("tcp other loopback address", SOCK_STREAM, AF_INET, "127.0.0.1", false, AF_INET, "127.0.0.2", false, true, false);
    try_share("tcp any and loopback", SOCK_STREAM, AF_INET, "0.0.0.0", false, AF_INET, "127.0.0.1", false, false, false);
    try_share("tcp loopback and any", SOCK_STREAM, AF_INET, "127.0.0.1", false, AF_INET, "0.0.0.0", false, false, false);
    try_share("tcp v4 any, v6 any", SOCK_STREAM, AF_INET, "0.0.0.0", false, AF_INET6, "::", false, false, false);
    try_share("tcp v4 any, v6only any", SOCK_STREAM, AF_INET, "0.0.0.0", false, AF_INET6, "::", false, false, true);
    try_share("tcp v4 lo, v6 ::1", SOCK_STREAM, AF_INET, "127.0.0.1", false, AF_INET6, "::1", false, true, false);
    try_share("tcp v4 lo, v6 mapped lo", SOCK_STREAM, AF_INET, "127.0.0.1", false, AF_INET6, "::ffff:127.0.0.1", false, false, false);
    try_share("tcp v6 ::1 twice", SOCK_STREAM, AF_INET6, "::1", false, AF_INET6, "::1", false, false, false);
    try_share("udp same address", SOCK_DGRAM, AF_INET, "127.0.0.1", false, AF_INET, "127.0.0.1", false, false, false);
    try_share("udp reuse on both", SOCK_DGRAM, AF_INET, "127.0.0.1", true, AF_INET, "127.0.0.1", true, false, false);
    try_share("udp v6 any, v4 lo", SOCK_DGRAM, AF_INET6, "::", false, AF_INET, "127.0.0.1", false, false, false);
    /* TCP and UDP ports are apart */
    int t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
    union addr a;
    bind(t, &a.sa, make_addr(&a, AF_INET, "lo", 0));
    T(bind(u, &a.sa, make_addr(&a, AF_INET, "lo", local_port(t))));
    close(t);
    close(u);

    /* A server restarting: its accepted connection closed first and sits in TIME_WAIT. */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    bind(l, &a.sa, make_addr(&a, AF_INET, "lo", 0));
    listen(l, 1);
    a = name_of(l, false, NULL);
    int c = connect_to(AF_INET, &a);
    int s = accept(l, NULL, NULL);
    close(s);
    char buf[4];
    T(recv(c, buf, sizeof(buf), 0));
    close(c);
    close(l);
    int again = socket(AF_INET, SOCK_STREAM, 0);
    T(bind(again, &a.sa, sizeof(a.in)));
    T(setsockopt(again, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int)));
    T(bind(again, &a.sa, sizeof(a.in)));
    T(listen(again, 1));
    close(again);
}

static void dual_stack(void)
{
    printf("-- IPv4 through AF_INET6 sockets\n");
    int l6 = socket(AF_INET6, SOCK_STREAM, 0);
    union addr a;
    bind(l6, &a.sa, make_addr(&a, AF_INET6, "::", 0));
    listen(l6, 4);
    int port = local_port(l6);
    show_name("v6 listener", l6, false);
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    union addr to;
    T(connect(c4, &to.sa, make_addr(&to, AF_INET, "127.0.0.1", port)));
    int s = accept(l6, NULL, NULL);
    show_name("accepted v4 connection", s, false);
    show_name("its peer", s, true);
    printf("IPV6 options of it: v6only %d\n", getint(s, IPPROTO_IPV6, IPV6_V6ONLY));
    T(send(c4, "4to6", 4, 0));
    char buf[8] = {0};
    T(recv(s, buf, sizeof(buf), 0));
    close(s);
    close(c4);
    /* a v6 client reaching a v4 listener through a mapped address */
    union addr la;
    int l4 = listener(AF_INET, 4, &la);
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    T(connect(c6, &to.sa, make_addr(&to, AF_INET6, "::ffff:127.0.0.1", port_of(&la))));
    show_name("v6 client of a v4 listener", c6, false);
    show_name("its peer", c6, true);
    s = accept(l4, NULL, NULL);
    show_name("v4 server's peer", s, true);
    close(s);
    close(c6);
    close(l4);
    /* IPV6_V6ONLY keeps IPv4 out */
    close(l6);
    l6 = socket(AF_INET6, SOCK_STREAM, 0);
    T(setsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int)));
    bind(l6, &a.sa, make_addr(&a, AF_INET6, "::", 0));
    listen(l6, 4);
    c4 = socket(AF_INET, SOCK_STREAM, 0);
    T(connect(c4, &to.sa, make_addr(&to, AF_INET, "127.0.0.1", local_port(l6))));
    int c6only = socket(AF_INET6, SOCK_STREAM, 0);
    T(setsockopt(c6only, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int)));
    T(connect(c6only, &to.sa, make_addr(&to, AF_INET6, "::ffff:127.0.0.1", port_of(&la))));
    close(c6only);
    close(c4);
    close(l6);
}

static void udp_datagrams(void)
{
    printf("-- UDP (%s)\n", fam_name());
    int a = socket(fam, SOCK_DGRAM, 0), b = socket(fam, SOCK_DGRAM, 0), c = socket(fam, SOCK_DGRAM, 0);
    union addr x;
    socklen_t len = make_addr(&x, fam, "lo", 0);
    bind(a, &x.sa, len);
    bind(b, &x.sa, len);
    bind(c, &x.sa, len);
    union addr aa = name_of(a, false, NULL), ba = name_of(b, false, NULL), ca = name_of(c, false, NULL);
    show_poll("idle", b);
    T(sendto(a, "one", 3, 0, &ba.sa, len));
    T(sendto(a, "three", 5, 0, &ba.sa, len));
    show_poll("with datagrams", b);
    T(inq(b));
    T(outq(a));
    char buf[64] = {0};
    union addr from;
    socklen_t flen = sizeof(from);
    T(recvfrom(b, buf, sizeof(buf), MSG_PEEK, &from.sa, &flen));
    T(recvfrom(b, buf, sizeof(buf), 0, &from.sa, &flen));
    printf("\"%s\" from a: %s, len %u\n", buf, port_of(&from) == port_of(&aa) ? "yes" : "no", flen);
    /* truncation */
    struct iovec iov = {buf, 2};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
    T(recvmsg(b, &m, 0));
    printf("flags %#x namelen %u\n", m.msg_flags, m.msg_namelen);
    T(sendto(a, "truncated", 9, 0, &ba.sa, len));
    T(recv(b, buf, 4, MSG_TRUNC));
    T(sendto(a, "", 0, 0, &ba.sa, len));
    show_poll("empty datagram queued", b);
    T(recv(b, buf, sizeof(buf), 0));
    T(recv(b, buf, sizeof(buf), MSG_DONTWAIT));
    static char big[65536];
    int max = fam == AF_INET ? 65507 : 65527;
    T(sendto(a, big, (size_t)max + 1, 0, &ba.sa, len));
    T(sendto(a, big, (size_t)max, 0, &ba.sa, len));
    T(recv(b, big, sizeof(big), 0));
    struct timeval tv = {0, 20000};
    setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    T(recv(b, buf, sizeof(buf), 0));
    tv.tv_usec = 0;
    setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

    /* connected: sends without an address, takes only from its peer */
    T(connect(a, &ba.sa, len));
    show_name("a's peer", a, true);
    T(send(a, "hi", 2, 0));
    T(sendto(c, "not for you", 11, 0, &aa.sa, len));
    T(recv(a, buf, sizeof(buf), MSG_DONTWAIT));
    T(sendto(b, "yes", 3, 0, &aa.sa, len));
    memset(buf, 0, sizeof(buf));
    T(recv(a, buf, sizeof(buf), MSG_DONTWAIT));
    printf("a got \"%s\"\n", buf);
    T(sendto(a, "elsewhere", 9, 0, &ca.sa, len)); /* an address still goes */
    T(recv(c, buf, sizeof(buf), MSG_DONTWAIT));
    T(recv(b, buf, sizeof(buf), MSG_DONTWAIT));
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    T(connect(a, &unspec, sizeof(unspec)));
    show_name("a's peer after AF_UNSPEC", a, true);
    show_name("a after AF_UNSPEC", a, false);
    T(send(a, "x", 1, 0));

    /* a connected socket hears of a port nobody has: ECONNREFUSED on its next call */
    union addr nobody;
    make_addr(&nobody, fam, "lo", free_port(fam, SOCK_DGRAM));
    T(connect(a, &nobody.sa, len));
    T(send(a, "x", 1, 0));
    show_poll("after sending to nobody", a);
    T(send(a, "x", 1, 0));
    T(send(a, "x", 1, 0));
    T(recv(a, buf, sizeof(buf), MSG_DONTWAIT));
    T(send(a, "x", 1, 0));
    show_int("SO_ERROR", a, SOL_SOCKET, SO_ERROR);
    T(recv(a, buf, sizeof(buf), MSG_DONTWAIT));
    T(sendto(c, "x", 1, 0, &nobody.sa, len)); /* unconnected: nothing */
    show_poll("unconnected after sending to nobody", c);
    T(shutdown(a, SHUT_WR));
    T(send(a, "x", 1, 0));
    show_poll("connected after SHUT_WR", a);

    /* a full receive buffer drops datagrams */
    int small = socket(fam, SOCK_DGRAM, 0);
    T(setsockopt(small, SOL_SOCKET, SO_RCVBUF, &(int){1024}, sizeof(int)));
    show_int("SO_RCVBUF", small, SOL_SOCKET, SO_RCVBUF);
    bind(small, &x.sa, len);
    union addr sa = name_of(small, false, NULL);
    int sent = 0, got = 0;
    for (int i = 0; i < 64; i++)
        sent += sendto(c, big, 1000, 0, &sa.sa, len) == 1000;
    while (recv(small, big, sizeof(big), MSG_DONTWAIT) == 1000)
        got++;
    printf("sent %d, some dropped: %s, some received: %s\n", sent, got < sent ? "yes" : "no", got > 0 ? "yes" : "no");
    close(small);
    close(a);
    close(b);
    close(c);
}

static void udp_dual_stack(void)
{
    printf("-- UDP between the families\n");
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0), s4 = socket(AF_INET, SOCK_DGRAM, 0);
    union addr a;
    bind(s6, &a.sa, make_addr(&a, AF_INET6, "::", 0));
    T(sendto(s4, "v4", 2, 0, &a.sa, make_addr(&a, AF_INET, "127.0.0.1", local_port(s6))));
    union addr from;
    socklen_t flen = sizeof(from);
    char buf[8] = {0};
    T(recvfrom(s6, buf, sizeof(buf), 0, &from.sa, &flen));
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &from.in6.sin6_addr, text, sizeof(text));
    printf("v6 socket got \"%s\" from %s, len %u, port is the sender's: %s\n", buf, text, flen,
           port_of(&from) == local_port(s4) ? "yes" : "no");
    T(sendto(s6, "back", 4, 0, &from.sa, flen));
    flen = sizeof(from);
    T(recvfrom(s4, buf, sizeof(buf), 0, &from.sa, &flen));
    printf("reply from family %d len %u\n", from.sa.sa_family, flen);
    close(s4);
    close(s6);
}

static void options(void)
{
    printf("-- options (%s)\n", fam_name());
    int s = socket(fam, SOCK_STREAM, 0), u = socket(fam, SOCK_DGRAM, 0);
    show_int("tcp SO_SNDBUF", s, SOL_SOCKET, SO_SNDBUF);
    show_int("tcp SO_RCVBUF", s, SOL_SOCKET, SO_RCVBUF);
    show_int("udp SO_SNDBUF", u, SOL_SOCKET, SO_SNDBUF);
    show_int("udp SO_RCVBUF", u, SOL_SOCKET, SO_RCVBUF);
    T(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){10000}, sizeof(int)));
    show_int("SO_RCVBUF set", s, SOL_SOCKET, SO_RCVBUF);
    show_int("SO_ERROR", s, SOL_SOCKET, SO_ERROR);
    show_int("SO_KEEPALIVE", s, SOL_SOCKET, SO_KEEPALIVE);
    T(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &(int){1}, sizeof(int)));
    show_int("SO_KEEPALIVE set", s, SOL_SOCKET, SO_KEEPALIVE);
    show_int("TCP_NODELAY", s, IPPROTO_TCP, TCP_NODELAY);
    T(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int)));
    T(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){1}, 2));
    show_int("TCP_NODELAY set", s, IPPROTO_TCP, TCP_NODELAY);
    show_int("TCP_MAXSEG", s, IPPROTO_TCP, TCP_MAXSEG);
    T(setsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &(int){10}, sizeof(int)));
    T(setsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &(int){1000}, sizeof(int)));
    show_int("TCP_MAXSEG set", s, IPPROTO_TCP, TCP_MAXSEG);
    show_int("TCP_KEEPIDLE", s, IPPROTO_TCP, TCP_KEEPIDLE);
    show_int("TCP_KEEPINTVL", s, IPPROTO_TCP, TCP_KEEPINTVL);
    show_int("TCP_KEEPCNT", s, IPPROTO_TCP, TCP_KEEPCNT);
    T(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &(int){0}, sizeof(int)));
    T(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &(int){60}, sizeof(int)));
    T(setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &(int){128}, sizeof(int)));
    show_int("TCP_KEEPIDLE set", s, IPPROTO_TCP, TCP_KEEPIDLE);
    T(setsockopt(s, IPPROTO_TCP, 9999, &(int){1}, sizeof(int)));
    T(getsockopt(s, IPPROTO_TCP, 9999, &(int){0}, &(socklen_t){4}));
    struct tcp_info info;
    socklen_t ilen = sizeof(info);
    T(getsockopt(s, IPPROTO_TCP, TCP_INFO, &info, &ilen));
    printf("TCP_INFO: len %s, state %d\n", ilen == sizeof(info) ? "all" : "short", info.tcpi_state);
    char one[2] = {0, 0};
    socklen_t olen = 1;
    T(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, one, &olen));
    printf("one byte of TCP_NODELAY: %d len %u\n", one[0], olen);
    T(setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int)));
    T(getsockopt(u, IPPROTO_TCP, TCP_NODELAY, &(int){0}, &(socklen_t){4}));
    T(getsockopt(u, IPPROTO_UDP, 1, &(int){0}, &(socklen_t){4}));

    show_int("IP_TOS", s, IPPROTO_IP, IP_TOS);
    T(setsockopt(s, IPPROTO_IP, IP_TOS, &(int){0x13}, sizeof(int)));
    T(setsockopt(u, IPPROTO_IP, IP_TOS, &(int){0x13}, sizeof(int)));
    show_int("tcp IP_TOS set", s, IPPROTO_IP, IP_TOS);
    show_int("udp IP_TOS set", u, IPPROTO_IP, IP_TOS);
    show_int("IP_TTL", s, IPPROTO_IP, IP_TTL);
    T(setsockopt(s, IPPROTO_IP, IP_TTL, &(int){0}, sizeof(int)));
    T(setsockopt(s, IPPROTO_IP, IP_TTL, &(int){256}, sizeof(int)));
    T(setsockopt(s, IPPROTO_IP, IP_TTL, &(int){32}, sizeof(int)));
    show_int("IP_TTL set", s, IPPROTO_IP, IP_TTL);
    unsigned char ttl_byte = 0;
    olen = 1;
    T(getsockopt(s, IPPROTO_IP, IP_TTL, &ttl_byte, &olen));
    printf("IP_TTL in a byte: %d len %u\n", ttl_byte, olen);
    T(setsockopt(s, IPPROTO_IP, IP_TTL, &(int){-1}, sizeof(int)));
    show_int("IP_TTL back to the default", s, IPPROTO_IP, IP_TTL);
    show_int("IP_MTU_DISCOVER", s, IPPROTO_IP, IP_MTU_DISCOVER);
    show_int("IP_MTU unconnected", s, IPPROTO_IP, IP_MTU);
    T(setsockopt(s, IPPROTO_IP, 9999, &(int){1}, sizeof(int)));
    show_int("IPV6_V6ONLY", s, IPPROTO_IPV6, IPV6_V6ONLY);
    show_int("IPV6_UNICAST_HOPS", u, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
    T(setsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &(int){-2}, sizeof(int)));
    T(setsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &(int){300}, sizeof(int)));
    T(setsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &(int){9}, sizeof(int)));
    T(setsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &(int){9}, 2));
    show_int("IPV6_UNICAST_HOPS set", u, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
    T(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int)));
    show_int("IPV6_V6ONLY set", s, IPPROTO_IPV6, IPV6_V6ONLY);
    union addr a;
    bind(u, &a.sa, make_addr(&a, fam, "lo", 0));
    T(setsockopt(u, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int)));

    /* a connection's values */
    int c, srv;
    int l = tcp_pair(&c, &srv);
    show_int("connected TCP_MAXSEG", c, IPPROTO_TCP, TCP_MAXSEG);
    show_int("connected IP_MTU", c, IPPROTO_IP, IP_MTU);
    show_int("accepted SO_RCVBUF", srv, SOL_SOCKET, SO_RCVBUF);
    show_int("accepted TCP_NODELAY", srv, IPPROTO_TCP, TCP_NODELAY);
    printf("TCP_INFO states %d %d\n", tcp_state(c), tcp_state(srv));
    struct linger lg = {0, 0};
    socklen_t llen = sizeof(lg);
    T(getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &llen));
    printf("SO_LINGER %d %d\n", lg.l_onoff, lg.l_linger);
    close(c);
    close(srv);
    close(l);
    close(s);
    close(u);
}

static void readiness(void)
{
    printf("-- poll, select, epoll (%s)\n", fam_name());
    union addr la;
    int l = listener(fam, 5, &la);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    struct epoll_event got[4];
    T(epoll_wait(ep, got, 4, 0));
    int c = connect_to(fam, &la);
    T(epoll_wait(ep, got, 4, 1000));
    printf("event %#x on %u\n", got[0].events, got[0].data.u32);
    int s = accept(l, NULL, NULL);
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u32 = 2};
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    T(epoll_wait(ep, got, 4, 0));
    T(send(c, "x", 1, 0));
    T(epoll_wait(ep, got, 4, 1000));
    printf("event %#x on %u\n", got[0].events, got[0].data.u32);
    T(epoll_wait(ep, got, 4, 0)); /* edge-triggered: once */
    T(shutdown(c, SHUT_WR));
    T(epoll_wait(ep, got, 4, 1000));
    printf("event %#x on %u\n", got[0].events, got[0].data.u32);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(s, &r);
    FD_SET(c, &w);
    FD_SET(l, &r);
    struct timeval tv = {0, 0};
    T(select(FD_SETSIZE, &r, &w, NULL, &tv));
    printf("select: s readable %d, c writable %d, l readable %d\n", FD_ISSET(s, &r), FD_ISSET(c, &w), FD_ISSET(l, &r));
    /* a blocked reader is woken by the data */
    struct sender parts = {s, {"wake", NULL}};
    pthread_t th;
    pthread_create(&th, NULL, send_parts, &parts);
    char buf[8] = {0};
    T(recv(c, buf, sizeof(buf), 0));
    printf("woken with \"%s\"\n", buf);
    pthread_join(th, NULL);
    /* a blocked acceptor is woken by the connect */
    struct blocked_connect later = {socket(fam, SOCK_STREAM, 0), &la, -2, 0};
    pthread_create(&th, NULL, connect_yielding, &later);
    int acc = accept(l, NULL, NULL);
    pthread_join(th, NULL);
    printf("accept woken: %s, connect %ld\n", acc >= 0 ? "yes" : strerror(errno), later.result);
    close(acc);
    close(later.fd);
    /* SO_RCVTIMEO on accept and recv */
    struct timeval to = {0, 20000};
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &to, sizeof(to));
    T(accept(l, NULL, NULL));
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &to, sizeof(to));
    T(recv(c, buf, sizeof(buf), 0));
    /* a writer blocked on a full buffer is woken by the reader */
    int fl = fcntl(c, F_GETFL);
    fcntl(c, F_SETFL, fl | O_NONBLOCK);
    static char chunk[65536];
    long filled = 0;
    for (;;) {
        long n = send(s, chunk, sizeof(chunk), MSG_DONTWAIT);
        if (n < 0)
            break;
        filled += n;
    }
    struct pollfd full = {s, POLLOUT, 0};
    int full_errno = errno;
    poll(&full, 1, 0);
    printf("filled until %s, then writable: %s\n", full_errno == EAGAIN ? "EAGAIN" : strerror(full_errno),
           full.revents & POLLOUT ? "yes" : "no");
    struct timeval sndto = {0, 20000};
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &sndto, sizeof(sndto));
    T(send(s, chunk, 1, 0)); /* blocks until SO_SNDTIMEO */
    long drained = 0;
    for (;;) {
        long n = recv(c, chunk, sizeof(chunk), 0);
        if (n <= 0)
            break;
        drained += n;
    }
    printf("drained all that was sent: %s; writable again: %#x\n", drained == filled ? "yes" : "no",
           (unsigned)wait_event(s, POLLOUT));
    close(ep);
    close(c);
    close(s);
    close(l);
}

/* ---- /proc/net ---- */

struct known {
    const char *name;
    int port;
    unsigned long ino;
};

static const char *known_port(const struct known *k, int n, int port)
{
    if (!port)
        return "0";
    for (int i = 0; i < n; i++)
        if (k[i].port == port)
            return k[i].name;
    return NULL;
}

static const char *known_ino(const struct known *k, int n, unsigned long ino)
{
    if (!ino)
        return "0";
    for (int i = 0; i < n; i++)
        if (k[i].ino == ino)
            return k[i].name;
    return "another";
}

static int compare_lines(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The file's header as it is, then the lines of our sockets, sorted, with
 * their ports and inodes named (the rest of the host's sockets left out). */
static void show_proc_net(const char *path, const struct known *k, int n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: errno %d\n", path, errno);
        return;
    }
    char line[512];
    char *lines[64];
    int count = 0;
    if (fgets(line, sizeof(line), f))
        printf("%s (%zu): %s", path, strlen(line), line);
    while (fgets(line, sizeof(line), f) && count < 64) {
        char local[40], remote[40];
        unsigned lport, rport, state, tx, rx, tr, uid;
        unsigned long ino;
        if (sscanf(line, "%*d: %39[0-9A-F]:%X %39[0-9A-F]:%X %X %X:%X %X:%*X %*X %u %*d %lu", local, &lport, remote,
                   &rport, &state, &tx, &rx, &tr, &uid, &ino) != 10)
            continue;
        const char *ln = known_port(k, n, (int)lport), *rn = known_port(k, n, (int)rport);
        if (!ln || !rn || !strcmp(ln, "0"))
            continue;
        char out[256];
        int len = snprintf(out, sizeof(out), "%s:%s %s:%s st %02X tx %X rx %X tr %X uid %u inode %s", local, ln, remote,
                           rn, state, tx, rx, tr, uid, known_ino(k, n, ino));
        if (strlen(local) == 8) /* IPv4's lines are padded to a width */
            snprintf(out + len, sizeof(out) - (size_t)len, " (%zu)", strlen(line));
        lines[count++] = strdup(out);
    }
    fclose(f);
    qsort(lines, (size_t)count, sizeof(lines[0]), compare_lines);
    for (int i = 0; i < count; i++) {
        printf("  %s\n", lines[i]);
        free(lines[i]);
    }
}

static unsigned long ino_of(int fd)
{
    struct stat st;
    return fstat(fd, &st) < 0 ? 0 : (unsigned long)st.st_ino;
}

static void proc_net(void)
{
    printf("-- /proc/net\n");
    union addr la, la6, a;
    int l = listener(AF_INET, 5, &la);
    int c = connect_to(AF_INET, &la), s = accept(l, NULL, NULL);
    send(c, "abc", 3, 0);
    int tw_client = connect_to(AF_INET, &la), tw_server = accept(l, NULL, NULL);
    int fw_client = connect_to(AF_INET, &la), fw_server = accept(l, NULL, NULL);
    int embryo_client = connect_to(AF_INET, &la); /* never accepted */
    send(embryo_client, "ab", 2, 0);
    int tw_port = local_port(tw_client);
    close(tw_client); /* closed first: TIME_WAIT once the server closes too */
    close(tw_server);
    shutdown(fw_client, SHUT_WR); /* half-closed: FIN_WAIT2 and CLOSE_WAIT */
    char buf[4];
    recv(fw_server, buf, sizeof(buf), 0);
    send(fw_server, "k", 1, 0); /* its segment acknowledges the FIN: Linux may delay an ACK alone */
    recv(fw_client, buf, sizeof(buf), 0);
    int l6 = listener(AF_INET6, 5, &la6);
    int u = socket(AF_INET, SOCK_DGRAM, 0), u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    bind(u, &a.sa, make_addr(&a, AF_INET, "lo", 0));
    bind(u6, &a.sa, make_addr(&a, AF_INET6, "::", 0));
    union addr ua = name_of(u, false, NULL);
    sendto(u, "x", 1, 0, &ua.sa, sizeof(ua.in));
    int uc = socket(AF_INET6, SOCK_DGRAM, 0);
    connect(uc, &a.sa, make_addr(&a, AF_INET6, "::1", local_port(u6)));
    struct known k[] = {
        {"L", port_of(&la), ino_of(l)},
        {"C", local_port(c), ino_of(c)},
        {"S", -1, ino_of(s)},
        {"E", local_port(embryo_client), ino_of(embryo_client)},
        {"T", tw_port, 0},
        {"F", local_port(fw_client), ino_of(fw_client)},
        {"G", -1, ino_of(fw_server)},
        {"L6", port_of(&la6), ino_of(l6)},
        {"U", local_port(u), ino_of(u)},
        {"U6", local_port(u6), ino_of(u6)},
        {"UC", local_port(uc), ino_of(uc)},
    };
    int n = (int)(sizeof(k) / sizeof(k[0]));
    show_proc_net("/proc/net/tcp", k, n);
    show_proc_net("/proc/net/tcp6", k, n);
    show_proc_net("/proc/net/udp", k, n);
    show_proc_net("/proc/net/udp6", k, n);
    close(c), close(s), close(embryo_client), close(fw_client), close(fw_server), close(l), close(l6);
    close(u), close(u6), close(uc);
}

/* ---- bulk data, checksummed ---- */

static unsigned char pattern(uint64_t i, unsigned seed) { return (unsigned char)((i * 2654435761u) >> 13 ^ seed); }

struct stream_job {
    int fd;
    unsigned seed;
    uint64_t bytes;
    bool ok;
};

static void *write_stream(void *arg)
{
    struct stream_job *j = arg;
    static __thread unsigned char buf[40000];
    uint64_t done = 0;
    size_t step = 1 + j->seed % 37000;
    while (done < j->bytes) {
        size_t n = MIN_SIZE(step, j->bytes - done);
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern(done + i, j->seed);
        size_t off = 0;
        while (off < n) {
            long w = send(j->fd, buf + off, n - off, MSG_NOSIGNAL);
            if (w <= 0) {
                j->ok = false;
                return NULL;
            }
            off += (size_t)w;
        }
        done += n;
        step = 1 + (step * 7919) % 37000;
    }
    shutdown(j->fd, SHUT_WR);
    j->ok = true;
    return NULL;
}

static void *read_stream(void *arg)
{
    struct stream_job *j = arg;
    static __thread unsigned char buf[50000];
    uint64_t done = 0;
    j->ok = true;
    for (;;) {
        long n = recv(j->fd, buf, 1 + (done * 31) % sizeof(buf), 0);
        if (n < 0) {
            j->ok = false;
            return NULL;
        }
        if (n == 0)
            break;
        for (long i = 0; i < n; i++)
            if (buf[i] != pattern(done + (uint64_t)i, j->seed))
                j->ok = false;
        done += (uint64_t)n;
    }
    if (done != j->bytes)
        j->ok = false;
    return NULL;
}

static int bulk(int connections, uint64_t bytes)
{
    union addr la;
    int l = listener(fam, connections, &la);
    int cs[16], ss[16];
    struct stream_job jobs[64];
    pthread_t th[64];
    int n = 0;
    for (int i = 0; i < connections; i++) {
        cs[i] = connect_to(fam, &la);
        ss[i] = accept(l, NULL, NULL);
        unsigned seed = (unsigned)(i * 77 + 5);
        jobs[n] = (struct stream_job){cs[i], seed, bytes, false};
        jobs[n + 1] = (struct stream_job){ss[i], seed, bytes, false};
        jobs[n + 2] = (struct stream_job){ss[i], seed + 1, bytes, false};
        jobs[n + 3] = (struct stream_job){cs[i], seed + 1, bytes, false};
        pthread_create(&th[n], NULL, write_stream, &jobs[n]);
        pthread_create(&th[n + 1], NULL, read_stream, &jobs[n + 1]);
        pthread_create(&th[n + 2], NULL, write_stream, &jobs[n + 2]);
        pthread_create(&th[n + 3], NULL, read_stream, &jobs[n + 3]);
        n += 4;
    }
    int failures = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        failures += !jobs[i].ok;
    }
    for (int i = 0; i < connections; i++) {
        close(cs[i]);
        close(ss[i]);
    }
    close(l);
    return failures;
}

static void bulk_differential(void)
{
    printf("-- a megabyte each way, checksummed (%s)\n", fam_name());
    printf("failed streams: %d\n", bulk(1, 1 << 20));
}

static int stress(void)
{
    int failures = 0;
    for (fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0) {
        int f = bulk(4, 8 << 20);
        printf("%s %s: 4 connections, 8 MiB each way: %d streams failed\n", f ? "FAIL" : "ok", fam_name(), f);
        failures += f;
    }
    return failures != 0;
}

/* ---- leaks ---- */

static unsigned long free_kib(void)
{
    struct sysinfo si;
    sysinfo(&si);
    return si.freeram * si.mem_unit / 1024;
}

/* Connections closed every way that needs no TIME_WAIT (which holds memory for its 60 s by design). */
static int cycles(int n, int l, const union addr *la)
{
    int failures = 0;
    for (int i = 0; i < n; i++) {
        int c = socket(la->sa.sa_family, SOCK_STREAM, 0);
        if (connect(c, &la->sa, addr_len(la->sa.sa_family)) < 0) {
            failures++;
            close(c);
            continue;
        }
        char buf[8];
        switch (i % 4) {
        case 0: { /* accepted, data both ways, an abortive close */
            int s = accept(l, NULL, NULL);
            send(c, "ping", 4, 0);
            failures += recv(s, buf, sizeof(buf), 0) != 4;
            send(s, "pong", 4, 0);
            failures += recv(c, buf, sizeof(buf), 0) != 4;
            setsockopt(c, SOL_SOCKET, SO_LINGER, &(struct linger){1, 0}, sizeof(struct linger));
            close(c);
            failures += recv(s, buf, sizeof(buf), 0) != -1;
            close(s);
            break;
        }
        case 1: { /* closed with unread data: a reset */
            int s = accept(l, NULL, NULL);
            send(s, "unread", 6, 0);
            close(c);
            close(s);
            break;
        }
        case 2: /* never accepted: the listener keeps the embryo until the client resets */
            setsockopt(c, SOL_SOCKET, SO_LINGER, &(struct linger){1, 0}, sizeof(struct linger));
            close(c);
            close(accept(l, NULL, NULL));
            break;
        default: { /* a UDP socket beside it */
            int u = socket(la->sa.sa_family, SOCK_DGRAM, 0);
            sendto(u, "x", 1, 0, &la->sa, addr_len(la->sa.sa_family));
            close(u);
            int s = accept(l, NULL, NULL);
            send(c, "unread", 6, 0);
            close(s);
            close(c);
        }
        }
    }
    return failures;
}

static int leak(void)
{
    union addr la;
    int l = listener(AF_INET, 8, &la);
    int failures = cycles(200, l, &la); /* what the first round makes stays (the heap's pages) */
    int lowest = dup(0);
    close(lowest);
    unsigned long before = free_kib();
    failures += cycles(1000, l, &la);
    unsigned long after = free_kib();
    int lowest_after = dup(0);
    close(lowest_after);
    printf("%s 1000 cycles: %d failed\n", failures ? "FAIL" : "ok", failures);
    printf("%s lowest free descriptor as before: %d\n", lowest == lowest_after ? "ok" : "FAIL", lowest_after);
    bool kept = after + 64 >= before;
    printf("%s free memory within 64 KiB of where it started (%lu KiB before, %lu after)\n", kept ? "ok" : "FAIL",
           before, after);
    close(l);
    /* the listener's port is free again */
    int again = socket(AF_INET, SOCK_STREAM, 0);
    bool rebound = bind(again, &la.sa, sizeof(la.in)) == 0;
    printf("%s the listener's port free after its close\n", rebound ? "ok" : "FAIL");
    close(again);
    return failures || lowest != lowest_after || !kept || !rebound;
}

/* ---- only lo ---- */

static int lo_only(void)
{
    int failures = 0;
    union addr a;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int r = connect(s, &a.sa, make_addr(&a, AF_INET, "198.51.100.7", 80));
    failures += r != -1 || errno != ENETUNREACH;
    printf("%s tcp connect beyond lo: errno %d\n", r == -1 && errno == ENETUNREACH ? "ok" : "FAIL", errno);
    close(s);
    s = socket(AF_INET6, SOCK_STREAM, 0);
    r = connect(s, &a.sa, make_addr(&a, AF_INET6, "2001:db8::7", 80));
    failures += r != -1 || errno != ENETUNREACH;
    printf("%s tcp6 connect beyond lo: errno %d\n", r == -1 && errno == ENETUNREACH ? "ok" : "FAIL", errno);
    close(s);
    s = socket(AF_INET, SOCK_DGRAM, 0);
    r = (int)sendto(s, "x", 1, 0, &a.sa, make_addr(&a, AF_INET, "198.51.100.7", 53));
    failures += r != -1 || errno != ENETUNREACH;
    printf("%s udp sendto beyond lo: errno %d\n", r == -1 && errno == ENETUNREACH ? "ok" : "FAIL", errno);
    close(s);

    /* Every ephemeral port taken (by children, 900 descriptors each):
     * bind to port 0 fails with EADDRINUSE, a connect with EADDRNOTAVAIL. */
    union addr la;
    int l = listener(AF_INET, 1, &la);
    int range = 60999 - 32768 + 1, taken = 1, err = 0, children = 0, in_range = 1;
    pid_t pids[64];
    while (!err && children < 64) {
        int report[2], hold[2];
        pipe(report);
        pipe(hold);
        pid_t pid = fork();
        if (pid == 0) {
            close(report[0]);
            close(hold[1]);
            int counts[3] = {0, 0, 1};
            for (int i = 0; i < 900; i++) { /* within RLIMIT_NOFILE, beside the inherited pipes */
                int b = socket(AF_INET, SOCK_STREAM, 0);
                if (bind(b, &a.sa, make_addr(&a, AF_INET, "lo", 0)) < 0) {
                    counts[1] = errno;
                    break;
                }
                int p = local_port(b);
                counts[2] &= p >= 32768 && p <= 60999;
                counts[0]++;
            }
            write(report[1], counts, sizeof(counts));
            char c;
            read(hold[0], &c, 1); /* holds its ports until the parent closes its end */
            _exit(0);
        }
        close(report[1]);
        close(hold[0]);
        int counts[3] = {0, 0, 0};
        read(report[0], counts, sizeof(counts));
        close(report[0]);
        pids[children++] = pid;
        taken += counts[0];
        err = counts[1];
        in_range &= counts[2];
        (void)hold[1]; /* kept open: the child waits on it */
    }
    bool all = taken == range && err == EADDRINUSE && in_range;
    printf("%s ephemeral ports in 32768..60999: all %d taken, then errno %d\n", all ? "ok" : "FAIL", taken, err);
    failures += !all;
    int c = socket(AF_INET, SOCK_STREAM, 0);
    r = connect(c, &la.sa, sizeof(la.in));
    printf("%s connect with no port left: errno %d\n", r == -1 && errno == EADDRNOTAVAIL ? "ok" : "FAIL", errno);
    failures += r != -1 || errno != EADDRNOTAVAIL;
    kill(pids[0], SIGKILL);
    waitpid(pids[0], NULL, 0);
    r = connect(c, &la.sa, sizeof(la.in));
    printf("%s connect once ports are free: %d\n", r == 0 ? "ok" : "FAIL", r == 0 ? 0 : errno);
    failures += r != 0;
    close(c);
    for (int i = 1; i < children; i++) {
        kill(pids[i], SIGKILL);
        waitpid(pids[i], NULL, 0);
    }
    close(l);
    return failures != 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa = {.sa_handler = on_sigpipe};
    sigaction(SIGPIPE, &sa, NULL);
    if (argc > 1 && !strcmp(argv[1], "stress"))
        return stress();
    if (argc > 1 && !strcmp(argv[1], "leak"))
        return leak();
    if (argc > 1 && !strcmp(argv[1], "lo"))
        return lo_only();
    int families[] = {AF_INET, AF_INET6};
    for (int i = 0; i < 2; i++) {
        fam = families[i];
        argument_checks();
        tcp_basics();
        tcp_resets();
        tcp_backlog();
        udp_datagrams();
        options();
        readiness();
        bulk_differential();
    }
    port_sharing();
    dual_stack();
    udp_dual_stack();
    proc_net();
    printf("SIGPIPEs in all: %d\n", sigpipes);
    return 0;
}
