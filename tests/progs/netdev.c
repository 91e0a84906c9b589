/*
 * The network as programs see it, run alike on Linux and sysgate (the host
 * side runs in a network namespace of its own with only `lo`, up): the
 * interface ioctls on sockets of each family (the whole struct ifreq is
 * printed after each call, so the copied-back size of each ABI, the bytes
 * left alone and the errno values are compared), if_nametoindex and
 * if_indextoname, and ICMP echo to loopback through ping (SOCK_DGRAM) and
 * raw (SOCK_RAW) sockets.
 *
 *   netdev ioctls   the interface ioctls
 *   netdev ping     ICMP echo through ping and raw sockets
 *   netdev ping6    ICMPv6 echo through ping and raw sockets on ::1
 *   netdev rawlist  /proc/net/raw, raw6 and busybox netstat -wan list the raw sockets
 *   netdev unix     /proc/net/unix and busybox netstat -xa list this program's AF_UNIX sockets
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ICMP_FILTER
#define ICMP_FILTER 1 /* linux/icmp.h: the types a raw ICMP socket does not want */
#endif

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

static void hex(const char *what, const void *p, size_t n)
{
    const unsigned char *b = p;
    printf("  %s:", what);
    for (size_t i = 0; i < n; i++)
        printf("%s%02x", i % 8 ? "" : " ", b[i]);
    printf("\n");
}

/* An ifreq naming `name`, the rest filled with a pattern the kernel must leave alone where it writes nothing. */
static void ifreq_for(struct ifreq *r, const char *name)
{
    memset(r, 0x5a, sizeof(*r));
    strncpy(r->ifr_name, name, IFNAMSIZ);
}

/* One ioctl on an ifreq: its result, then the whole structure as it came back. */
static void ifreq_call(int fd, const char *what, unsigned long cmd, const char *name)
{
    struct ifreq r;
    ifreq_for(&r, name);
    errno = 0;
    show(what, ioctl(fd, cmd, &r));
    hex("ifreq", &r, sizeof(r));
}

static const struct {
    const char *name;
    unsigned long cmd;
} getters[] = {
    {"SIOCGIFFLAGS", SIOCGIFFLAGS},     {"SIOCGIFADDR", SIOCGIFADDR},     {"SIOCGIFNETMASK", SIOCGIFNETMASK},
    {"SIOCGIFBRDADDR", SIOCGIFBRDADDR}, {"SIOCGIFDSTADDR", SIOCGIFDSTADDR}, {"SIOCGIFMTU", SIOCGIFMTU},
    {"SIOCGIFINDEX", SIOCGIFINDEX},     {"SIOCGIFHWADDR", SIOCGIFHWADDR}, {"SIOCGIFMETRIC", SIOCGIFMETRIC},
    {"SIOCGIFTXQLEN", SIOCGIFTXQLEN},   {"SIOCGIFMAP", SIOCGIFMAP},       {"SIOCGIFPFLAGS", SIOCGIFPFLAGS},
};

static void getters_on(int fd, const char *family)
{
    static const char *const names[] = {"lo", "lo:0", "nosuch0", "LO"};
    for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
        for (size_t i = 0; i < sizeof(getters) / sizeof(getters[0]); i++) {
            char what[96];
            snprintf(what, sizeof(what), "%s %s(%s)", family, getters[i].name, names[n]);
            ifreq_call(fd, what, getters[i].cmd, names[n]);
        }
    }
    /* The address getters with a matching or another AF_INET address given (4.4BSD's style). */
    struct ifreq r;
    ifreq_for(&r, "lo");
    struct sockaddr_in *sin = (struct sockaddr_in *)&r.ifr_addr;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    errno = 0;
    int ret = ioctl(fd, SIOCGIFADDR, &r);
    printf("%s SIOCGIFADDR(lo, 127.0.0.1 given) = %d errno %d\n", family, ret, errno);
    hex("ifreq", &r, sizeof(r));
    ifreq_for(&r, "lo");
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(0x0a000001);
    errno = 0;
    ret = ioctl(fd, SIOCGIFNETMASK, &r);
    printf("%s SIOCGIFNETMASK(lo, 10.0.0.1 given) = %d errno %d\n", family, ret, errno);
    hex("ifreq", &r, sizeof(r));
}

static void names_and_indexes(int fd, const char *family)
{
    int ret;
    static const int indexes[] = {1, 0, 2, -1, 1000};
    for (size_t i = 0; i < sizeof(indexes) / sizeof(indexes[0]); i++) {
        struct ifreq r;
        ifreq_for(&r, "garbage-name-xx");
        r.ifr_ifindex = indexes[i];
        errno = 0;
        ret = ioctl(fd, SIOCGIFNAME, &r);
        printf("%s SIOCGIFNAME(%d) = %d errno %d\n", family, indexes[i], ret, errno);
        hex("ifreq", &r, sizeof(r));
    }
}

static void ifconf_on(int fd, const char *family)
{
    int ret;
    struct ifconf c;
    memset(&c, 0x5a, sizeof(c));
    c.ifc_len = 12345;
    c.ifc_buf = NULL;
    errno = 0;
    ret = ioctl(fd, SIOCGIFCONF, &c);
    printf("%s SIOCGIFCONF(NULL buffer) = %d errno %d ifc_len %d (ifreq %zu)\n", family, ret, errno, c.ifc_len, sizeof(struct ifreq));

    static const int lengths[] = {4 * (int)sizeof(struct ifreq), (int)sizeof(struct ifreq),
                                  (int)sizeof(struct ifreq) - 1, 0, -5};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        struct ifreq reqs[4];
        memset(reqs, 0x5a, sizeof(reqs));
        c.ifc_len = lengths[i];
        c.ifc_req = reqs;
        errno = 0;
        ret = ioctl(fd, SIOCGIFCONF, &c);
        printf("%s SIOCGIFCONF(len %d) = %d errno %d ifc_len %d\n", family, lengths[i], ret, errno, c.ifc_len);
        hex("first", &reqs[0], sizeof(reqs[0]));
        hex("second", &reqs[1], 8);
    }
    c.ifc_len = sizeof(struct ifreq);
    c.ifc_buf = bad_pointer();
    errno = 0;
    ret = ioctl(fd, SIOCGIFCONF, &c);
    printf("%s SIOCGIFCONF(bad buffer) = %d errno %d\n", family, ret, errno);
    errno = 0;
    ret = ioctl(fd, SIOCGIFCONF, bad_pointer());
    printf("%s SIOCGIFCONF(bad ifconf) = %d errno %d\n", family, ret, errno);
}

/* An ifreq at the very end of the mapped memory: an ABI whose ifreq is smaller must not read past it. */
static void edge_of_memory(int fd, const char *family)
{
    int ret;
    long page = sysconf(_SC_PAGESIZE);
    char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        return;
    munmap(area + page, page);
    struct ifreq *r = (struct ifreq *)(area + page - sizeof(struct ifreq));
    ifreq_for(r, "lo");
    errno = 0;
    ret = ioctl(fd, SIOCGIFMTU, r);
    printf("%s SIOCGIFMTU(at the end of memory) = %d errno %d mtu %d\n", family, ret, errno,
           r->ifr_mtu);
    r = (struct ifreq *)(area + page - sizeof(struct ifreq) + 8);
    errno = 0;
    ret = ioctl(fd, SIOCGIFMTU, r);
    printf("%s SIOCGIFMTU(past the end of memory) = %d errno %d\n", family, ret, errno);
    struct ifconf *c = (struct ifconf *)(area + page - sizeof(struct ifconf));
    c->ifc_len = 0;
    c->ifc_buf = NULL;
    errno = 0;
    ret = ioctl(fd, SIOCGIFCONF, c);
    printf("%s SIOCGIFCONF(ifconf at the end of memory) = %d errno %d len %d\n", family, ret, errno, c->ifc_len);
    munmap(area, page);
}

static void setters_on(int fd, const char *family)
{
    int ret;
    struct ifreq r;
    /* Setting what is already set changes nothing, on the host's lo too. */
    ifreq_for(&r, "lo");
    r.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    errno = 0;
    ret = ioctl(fd, SIOCSIFFLAGS, &r);
    printf("%s SIOCSIFFLAGS(lo, unchanged) = %d errno %d\n", family, ret, errno);
    hex("ifreq", &r, sizeof(r));
    ifreq_for(&r, "nosuch0");
    r.ifr_flags = IFF_UP;
    errno = 0;
    ret = ioctl(fd, SIOCSIFFLAGS, &r);
    printf("%s SIOCSIFFLAGS(nosuch0) = %d errno %d\n", family, ret, errno);
    ifreq_for(&r, "lo");
    r.ifr_mtu = 65536;
    errno = 0;
    ret = ioctl(fd, SIOCSIFMTU, &r);
    printf("%s SIOCSIFMTU(lo, unchanged) = %d errno %d\n", family, ret, errno);
    hex("ifreq", &r, sizeof(r));
    ifreq_for(&r, "lo");
    r.ifr_mtu = -1;
    errno = 0;
    ret = ioctl(fd, SIOCSIFMTU, &r);
    printf("%s SIOCSIFMTU(lo, -1) = %d errno %d\n", family, ret, errno);
    ifreq_for(&r, "nosuch0");
    r.ifr_mtu = 1500;
    errno = 0;
    ret = ioctl(fd, SIOCSIFMTU, &r);
    printf("%s SIOCSIFMTU(nosuch0) = %d errno %d\n", family, ret, errno);
    ifreq_for(&r, "lo");
    r.ifr_metric = 3;
    errno = 0;
    ret = ioctl(fd, SIOCSIFMETRIC, &r);
    printf("%s SIOCSIFMETRIC(lo) = %d errno %d\n", family, ret, errno);
}

static void bad_input(int fd, const char *family)
{
    int ret;
    errno = 0;
    ret = ioctl(fd, SIOCGIFFLAGS, bad_pointer());
    printf("%s SIOCGIFFLAGS(bad pointer) = %d errno %d\n", family, ret, errno);
    errno = 0;
    ret = ioctl(fd, SIOCGIFADDR, bad_pointer());
    printf("%s SIOCGIFADDR(bad pointer) = %d errno %d\n", family, ret, errno);
    errno = 0;
    ret = ioctl(fd, SIOCGIFNAME, bad_pointer());
    printf("%s SIOCGIFNAME(bad pointer) = %d errno %d\n", family, ret, errno);
    errno = 0;
    ret = ioctl(fd, SIOCSIFFLAGS, bad_pointer());
    printf("%s SIOCSIFFLAGS(bad pointer) = %d errno %d\n", family, ret, errno);
    struct ifreq r;
    ifreq_for(&r, "lo");
    errno = 0;
    ret = ioctl(fd, 0x8950, &r);
    printf("%s 0x8950 (no such command) = %d errno %d\n", family, ret, errno);
    errno = 0;
    ret = ioctl(fd, 0x8950, bad_pointer());
    printf("%s 0x8950 (no such command, bad pointer) = %d errno %d\n", family, ret, errno);
    errno = 0;
    ret = ioctl(fd, 0x12345, &r);
    printf("%s 0x12345 (not a socket command) = %d errno %d\n", family, ret, errno);
    errno = 0;
    ret = ioctl(fd, SIOCGIFMEM, &r);
    printf("%s SIOCGIFMEM = %d errno %d\n", family, ret, errno);
    /* A name that fills all sixteen bytes: the kernel ends it at the sixteenth. */
    memset(r.ifr_name, 'l', IFNAMSIZ);
    errno = 0;
    ret = ioctl(fd, SIOCGIFFLAGS, &r);
    printf("%s SIOCGIFFLAGS(unterminated name) = %d errno %d\n", family, ret, errno);
    hex("ifreq", &r, sizeof(r));
}

static void ioctls_on(int fd, const char *family)
{
    getters_on(fd, family);
    names_and_indexes(fd, family);
    ifconf_on(fd, family);
    edge_of_memory(fd, family);
    setters_on(fd, family);
    bad_input(fd, family);
}

static void show_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    printf("%s:\n", path);
    while (f && fgets(line, sizeof(line), f))
        printf("  %s", line);
    if (f)
        fclose(f);
}

static short get_flags(int fd)
{
    struct ifreq r;
    ifreq_for(&r, "lo");
    return ioctl(fd, SIOCGIFFLAGS, &r) < 0 ? -1 : r.ifr_flags;
}

/* Taking lo down and up, changing its MTU and back (the host side runs in a namespace of its own). */
static void changes(int fd)
{
    struct ifreq r;
    ifreq_for(&r, "lo");
    r.ifr_flags = IFF_LOOPBACK;
    T(ioctl(fd, SIOCSIFFLAGS, &r));
    printf("flags down %#x\n", get_flags(fd));
    show_file("/proc/net/if_inet6");
    ifreq_for(&r, "lo");
    printf("SIOCGIFADDR while down = %d\n", ioctl(fd, SIOCGIFADDR, &r));
    ifreq_for(&r, "lo");
    r.ifr_flags = IFF_UP | IFF_PROMISC | IFF_RUNNING;
    T(ioctl(fd, SIOCSIFFLAGS, &r));
    printf("flags up promiscuous %#x\n", get_flags(fd));
    r.ifr_flags = IFF_UP;
    T(ioctl(fd, SIOCSIFFLAGS, &r));
    printf("flags up %#x\n", get_flags(fd));
    show_file("/proc/net/if_inet6");
    ifreq_for(&r, "lo");
    r.ifr_mtu = 1500;
    T(ioctl(fd, SIOCSIFMTU, &r));
    ifreq_for(&r, "lo");
    T(ioctl(fd, SIOCGIFMTU, &r));
    printf("mtu %d\n", r.ifr_mtu);
    r.ifr_mtu = 65536;
    T(ioctl(fd, SIOCSIFMTU, &r));
}

static int ioctls(void)
{
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    ioctls_on(u, "unix");
    close(u);
    int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (r >= 0) {
        ioctls_on(r, "inet-raw");
        changes(r);
        close(r);
    } else {
        printf("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = -1 errno %d\n", errno);
    }
    int p = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (p >= 0) {
        ioctls_on(p, "inet-ping");
        close(p);
    } else {
        printf("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) = -1 errno %d\n", errno);
    }

    static const struct {
        const char *name;
        int family, type;
    } others[] = {{"inet-udp", AF_INET, SOCK_DGRAM}, {"inet-tcp", AF_INET, SOCK_STREAM},
                  {"inet6-udp", AF_INET6, SOCK_DGRAM}, {"inet6-raw", AF_INET6, SOCK_RAW}};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        int fd = socket(others[i].family, others[i].type,
                        others[i].type == SOCK_RAW ? IPPROTO_ICMPV6 : 0);
        if (fd < 0) {
            printf("%s: socket = -1 errno %d\n", others[i].name, errno);
            continue;
        }
        ioctls_on(fd, others[i].name);
        close(fd);
    }
    printf("if_nametoindex(lo) = %u\n", if_nametoindex("lo"));
    errno = 0;
    printf("if_nametoindex(nosuch0) = %u errno %d\n", if_nametoindex("nosuch0"), errno);
    char name[IF_NAMESIZE] = "";
    printf("if_indextoname(1) = %s\n", if_indextoname(1, name) ? name : "(null)");
    errno = 0;
    char *gone = if_indextoname(7, name);
    printf("if_indextoname(7) = %s errno %d\n", gone ? gone : "(null)", errno);
    return 0;
}

/* ---- ICMP ---- */

static uint16_t checksum(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons((uint16_t)~sum);
}

/* An echo request: the header, then `payload` bytes counting up. */
static size_t echo_request(uint8_t *buf, uint16_t id, uint16_t seq, size_t payload)
{
    struct icmphdr *h = (struct icmphdr *)buf;
    memset(h, 0, sizeof(*h));
    h->type = ICMP_ECHO;
    h->un.echo.id = htons(id);
    h->un.echo.sequence = htons(seq);
    for (size_t i = 0; i < payload; i++)
        buf[sizeof(*h) + i] = (uint8_t)i;
    h->checksum = checksum(buf, sizeof(*h) + payload);
    return sizeof(*h) + payload;
}

static struct sockaddr_in inet_addr_of(uint32_t host_order)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(host_order)};
    return a;
}

/* What came: its length, the sender, and the ICMP header (after the IP header when `with_ip`). */
static void show_received(const char *what, int fd, bool with_ip, int flags)
{
    uint8_t buf[256];
    struct sockaddr_in from;
    memset(&from, 0x5a, sizeof(from));
    socklen_t fromlen = sizeof(from);
    errno = 0;
    ssize_t n = recvfrom(fd, buf, sizeof(buf), flags | MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    if (n < 0) {
        printf("%s: -1 errno %d\n", what, errno);
        return;
    }
    printf("%s: %zd bytes from %s port %d (len %u)", what, n, inet_ntoa(from.sin_addr), ntohs(from.sin_port),
           (unsigned)fromlen);
    const uint8_t *icmp = buf;
    size_t icmp_len = (size_t)n;
    if (with_ip) {
        const struct iphdr *ip = (const struct iphdr *)buf;
        size_t ihl = (size_t)ip->ihl * 4;
        struct in_addr s = {ip->saddr}, d = {ip->daddr};
        printf(" ip v%d ihl %zu tos %d len %d ttl %d proto %d checksum %s", ip->version, ihl, ip->tos,
               ntohs(ip->tot_len), ip->ttl, ip->protocol, checksum(buf, ihl) == 0 ? "ok" : "bad");
        printf(" %s", inet_ntoa(s));
        printf("->%s frag_off %#x", inet_ntoa(d), ntohs(ip->frag_off));
        icmp += ihl;
        icmp_len -= ihl;
    }
    const struct icmphdr *h = (const struct icmphdr *)icmp;
    printf(" icmp type %d code %d seq %d checksum %s", h->type, h->code, ntohs(h->un.echo.sequence),
           checksum(icmp, icmp_len) == 0 ? "ok" : "bad");
    bool payload_ok = true;
    for (size_t i = sizeof(*h); i < icmp_len; i++)
        payload_ok &= icmp[i] == (uint8_t)(i - sizeof(*h));
    printf(" payload %s\n", payload_ok ? "ok" : "differs");
}

static uint16_t received_id(int fd, bool with_ip)
{
    uint8_t buf[256];
    ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_PEEK);
    if (n < 0)
        return 0;
    size_t off = with_ip ? (size_t)(buf[0] & 0xf) * 4 : 0;
    return ntohs(((const struct icmphdr *)(buf + off))->un.echo.id);
}

static void wait_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    poll(&p, 1, 2000);
}

static void ping_socket(void)
{
    int p = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (p < 0) {
        printf("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) = -1 errno %d\n", errno);
        return;
    }
    struct sockaddr_in lo = inet_addr_of(INADDR_LOOPBACK);
    uint8_t buf[128];
    size_t len = echo_request(buf, 0x1234, 1, 40);
    T(sendto(p, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    wait_readable(p);
    struct sockaddr_in self;
    socklen_t selflen = sizeof(self);
    getsockname(p, (struct sockaddr *)&self, &selflen);
    /* The kernel put the socket's port in as the identifier. */
    printf("ping: reply id is the socket's port: %s\n", received_id(p, false) == ntohs(self.sin_port) ? "yes" : "no");
    printf("ping: bound to %s\n", inet_ntoa(self.sin_addr));
    show_received("ping reply", p, false, 0);
    show_received("ping nothing more", p, false, 0);

    /* A bound identifier, a truncated reply, a connected socket. */
    struct sockaddr_in bound = inet_addr_of(INADDR_LOOPBACK);
    bound.sin_port = htons(4242);
    int q = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    T(bind(q, (struct sockaddr *)&bound, sizeof(bound)));
    T(bind(q, (struct sockaddr *)&bound, sizeof(bound)));
    T(connect(q, (struct sockaddr *)&lo, sizeof(lo)));
    len = echo_request(buf, 1, 7, 20);
    T(send(q, buf, len, 0));
    wait_readable(q);
    printf("ping: reply id %d\n", received_id(q, false));
    char small[10];
    T(recv(q, small, sizeof(small), MSG_DONTWAIT | MSG_TRUNC));
    T(recv(q, small, sizeof(small), MSG_DONTWAIT));

    /* What a ping socket refuses. */
    T(sendto(p, buf, 4, 0, (struct sockaddr *)&lo, sizeof(lo)));
    buf[0] = ICMP_TIMESTAMP;
    T(sendto(p, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    buf[0] = ICMP_ECHO;
    buf[1] = 1;
    T(sendto(p, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    buf[1] = 0;
    T(send(p, buf, len, 0));
    T(sendto(p, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo) - 1));
    struct sockaddr_in6 six = {.sin6_family = AF_INET6};
    T(sendto(p, buf, len, 0, (struct sockaddr *)&six, sizeof(six)));
    T(sendto(p, bad_pointer(), len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    struct sockaddr_in far = inet_addr_of(0x0a000001);
    T(sendto(p, buf, len, 0, (struct sockaddr *)&far, sizeof(far)));
    T(recv(p, buf, sizeof(buf), MSG_DONTWAIT));
    T(recv(p, bad_pointer(), sizeof(buf), MSG_DONTWAIT));
    int type = 0;
    socklen_t tl = sizeof(type);
    T(getsockopt(p, SOL_SOCKET, SO_TYPE, &type, &tl));
    printf("SO_TYPE %d\n", type);
    T(getsockopt(p, SOL_SOCKET, SO_PROTOCOL, &type, &tl));
    printf("SO_PROTOCOL %d\n", type);
    close(p);
    close(q);
}

static void raw_socket(void)
{
    int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    int other = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (r < 0 || other < 0) {
        printf("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = -1 errno %d\n", errno);
        return;
    }
    struct sockaddr_in self;
    socklen_t selflen = sizeof(self);
    T(getsockname(r, (struct sockaddr *)&self, &selflen));
    printf("raw: name %s port %d\n", inet_ntoa(self.sin_addr), ntohs(self.sin_port));
    struct sockaddr_in lo = inet_addr_of(INADDR_LOOPBACK);
    uint8_t buf[128];
    size_t len = echo_request(buf, 0xbeef, 3, 56);
    T(sendto(r, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    wait_readable(r);
    /* The request, then the reply: every raw ICMP socket sees both. */
    show_received("raw sender 1st", r, true, 0);
    show_received("raw sender 2nd", r, true, 0);
    show_received("raw sender 3rd", r, true, 0);
    show_received("raw other 1st", other, true, 0);
    show_received("raw other 2nd", other, true, 0);

    /* To another loopback address: the reply comes from it. */
    struct sockaddr_in lo2 = inet_addr_of(0x7f000102);
    len = echo_request(buf, 0xbeef, 4, 8);
    T(sendto(r, buf, len, 0, (struct sockaddr *)&lo2, sizeof(lo2)));
    wait_readable(r);
    show_received("raw 127.0.1.2 1st", r, true, 0);
    show_received("raw 127.0.1.2 2nd", r, true, 0);

    /* ICMP_FILTER: the echo requests filtered out, the replies kept. */
    uint32_t filter = 1u << ICMP_ECHO;
    T(setsockopt(other, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter)));
    uint32_t got = 0;
    socklen_t gl = sizeof(got);
    T(getsockopt(other, SOL_RAW, ICMP_FILTER, &got, &gl));
    printf("filter %#x len %u\n", got, (unsigned)gl);
    show_received("raw other 3rd", other, true, 0);
    show_received("raw other 4th", other, true, 0);
    show_received("raw other 5th", other, true, 0);
    len = echo_request(buf, 0xbeef, 5, 0);
    T(sendto(r, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    wait_readable(other);
    show_received("raw filtered 1st", other, true, 0);
    show_received("raw filtered 2nd", other, true, 0);
    /* A truncated read. */
    char small[12];
    T(recv(r, small, sizeof(small), MSG_DONTWAIT | MSG_TRUNC));
    T(recv(r, small, sizeof(small), MSG_DONTWAIT));
    T(recv(r, small, sizeof(small), MSG_DONTWAIT));

    /* A message that is no echo request is delivered but answered by nobody. */
    buf[0] = 42;
    buf[2] = buf[3] = 0;
    uint16_t c = checksum(buf, 8);
    memcpy(buf + 2, &c, 2);
    T(sendto(r, buf, 8, 0, (struct sockaddr *)&lo, sizeof(lo)));
    wait_readable(r);
    show_received("raw type 42", r, true, 0);
    show_received("raw nothing more", r, true, 0);

    /* A timestamp request is answered too: the reply's times are the kernel's clock. */
    memset(buf, 0, 20);
    buf[0] = ICMP_TIMESTAMP;
    buf[7] = 11;
    c = checksum(buf, 20);
    memcpy(buf + 2, &c, 2);
    T(sendto(r, buf, 20, 0, (struct sockaddr *)&lo, sizeof(lo)));
    wait_readable(r);
    for (int i = 0; i < 3; i++) {
        uint8_t got[128];
        ssize_t n = recv(r, got, sizeof(got), MSG_DONTWAIT);
        printf("timestamp exchange: %zd bytes type %d code %d seq %d checksum %s\n", n, n > 20 ? got[20] : -1,
               n > 21 ? got[21] : -1, n > 27 ? got[27] : -1, n > 20 && checksum(got + 20, (size_t)n - 20) == 0 ? "ok" : "-");
    }
    T(sendto(r, buf, 8, 0, (struct sockaddr *)&lo, sizeof(lo) - 1));
    T(send(r, buf, 8, 0));
    struct sockaddr_in far = inet_addr_of(0x0a000001);
    T(sendto(r, buf, 8, 0, (struct sockaddr *)&far, sizeof(far)));
    T(sendto(r, bad_pointer(), 8, 0, (struct sockaddr *)&lo, sizeof(lo)));
    T(bind(r, (struct sockaddr *)&far, sizeof(far)));
    T(bind(r, (struct sockaddr *)&lo, sizeof(lo)));
    T(connect(r, (struct sockaddr *)&lo, sizeof(lo)));
    selflen = sizeof(self);
    T(getpeername(r, (struct sockaddr *)&self, &selflen));
    printf("raw: peer %s port %d\n", inet_ntoa(self.sin_addr), ntohs(self.sin_port));
    len = echo_request(buf, 0xbeef, 6, 4);
    T(send(r, buf, len, 0));
    wait_readable(r);
    show_received("raw connected 1st", r, true, 0);
    show_received("raw connected 2nd", r, true, 0);
    T(socket(AF_INET, SOCK_RAW, 0));
    T(socket(AF_INET, SOCK_STREAM, IPPROTO_ICMP));
    T(socket(AF_INET, SOCK_SEQPACKET, IPPROTO_ICMP));
    close(r);
    close(other);
}

/* Whether a process sleeps (its state in /proc/PID/stat is S). */
static bool sleeping(pid_t pid)
{
    char path[64], text[256];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = 0;
    char *end = strrchr(text, ')');
    return end && end[1] == ' ' && end[2] == 'S';
}

/* A receive that sleeps until the reply comes: the sender, a child, sends
 * once the parent is asleep in it. Then a peek and a read of the same packet. */
static void blocking_receive(void)
{
    int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    uint32_t filter = ~(1u << ICMP_ECHOREPLY);
    setsockopt(r, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        while (!sleeping(parent))
            sched_yield();
        int p = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        uint8_t buf[64];
        size_t len = echo_request(buf, 0, 9, 16);
        struct sockaddr_in lo = inet_addr_of(INADDR_LOOPBACK);
        sendto(p, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo));
        _exit(0);
    }
    uint8_t buf[256];
    ssize_t n = recv(r, buf, sizeof(buf), 0);
    printf("blocking raw receive: %zd bytes, type %d seq %d\n", n, buf[20], buf[27]);
    waitpid(child, NULL, 0);
    struct sockaddr_in lo = inet_addr_of(INADDR_LOOPBACK);
    size_t len = echo_request(buf, 5, 10, 4);
    sendto(r, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo));
    wait_readable(r);
    show_received("peeked", r, true, MSG_PEEK);
    show_received("read", r, true, 0);
    show_received("nothing more", r, true, 0);
    close(r);
}

/* ---- ICMPv6 ---- */

static struct sockaddr_in6 inet6_addr_of(const char *text)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, text, &a.sin6_addr);
    return a;
}

/* An echo request without its checksum, which the kernel computes for ICMPv6. */
static size_t echo6_request(uint8_t *buf, uint16_t id, uint16_t seq, size_t payload)
{
    struct icmp6_hdr *h = (struct icmp6_hdr *)buf;
    memset(h, 0, sizeof(*h));
    h->icmp6_type = ICMP6_ECHO_REQUEST;
    h->icmp6_id = htons(id);
    h->icmp6_seq = htons(seq);
    for (size_t i = 0; i < payload; i++)
        buf[sizeof(*h) + i] = (uint8_t)i;
    return sizeof(*h) + payload;
}

/* The checksum over the pseudo-header of ::1 to ::1. */
static bool checksum6_ok(const uint8_t *icmp, size_t len)
{
    uint8_t pseudo[40 + 256];
    if (len > 256)
        return false;
    memset(pseudo, 0, 40);
    pseudo[15] = 1;
    pseudo[31] = 1;
    pseudo[34] = (uint8_t)(len >> 8);
    pseudo[35] = (uint8_t)len;
    pseudo[39] = IPPROTO_ICMPV6;
    memcpy(pseudo + 40, icmp, len);
    return checksum(pseudo, 40 + len) == 0;
}

/* What came, with its control messages. */
static void show_received6(const char *what, int fd)
{
    uint8_t buf[256];
    struct sockaddr_in6 from;
    memset(&from, 0x5a, sizeof(from));
    union {
        struct cmsghdr align;
        char bytes[256];
    } control;
    struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
                       .msg_control = control.bytes, .msg_controllen = sizeof(control.bytes)};
    errno = 0;
    ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
    if (n < 0) {
        printf("%s: -1 errno %d\n", what, errno);
        return;
    }
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &from.sin6_addr, text, sizeof(text));
    const struct icmp6_hdr *h = (const struct icmp6_hdr *)buf;
    printf("%s: %zd bytes from %s port %d flow %u scope %u (len %u) type %d code %d seq %d checksum %s flags %#x\n",
           what, n, text, ntohs(from.sin6_port), from.sin6_flowinfo, from.sin6_scope_id, (unsigned)m.msg_namelen,
           h->icmp6_type, h->icmp6_code, ntohs(h->icmp6_seq), checksum6_ok(buf, (size_t)n) ? "ok" : "bad",
           (unsigned)m.msg_flags);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        printf("  cmsg level %d type %d len %zu:", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
        if (c->cmsg_type == IPV6_PKTINFO || c->cmsg_type == IPV6_2292PKTINFO) {
            struct in6_pktinfo info;
            memcpy(&info, CMSG_DATA(c), sizeof(info));
            inet_ntop(AF_INET6, &info.ipi6_addr, text, sizeof(text));
            printf(" to %s ifindex %u\n", text, info.ipi6_ifindex);
        } else {
            int v;
            memcpy(&v, CMSG_DATA(c), sizeof(v));
            printf(" %d\n", v);
        }
    }
}

static void ping6_sockets(void)
{
    int p = socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
    int r = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    if (p < 0 || r < 0) {
        printf("socket(AF_INET6, ICMPV6) = -1 errno %d\n", errno);
        return;
    }
    struct sockaddr_in6 lo = inet6_addr_of("::1");
    uint8_t buf[128];
    size_t len = echo6_request(buf, 0x4321, 1, 24);
    int on = 1;
    T(setsockopt(p, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)));
    T(setsockopt(p, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)));
    T(sendto(p, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    struct pollfd pf = {.fd = p, .events = POLLIN};
    poll(&pf, 1, 2000);
    show_received6("ping6 reply", p);
    show_received6("ping6 nothing more", p);
    /* The raw socket saw the request and the reply. */
    show_received6("raw6 1st", r);
    show_received6("raw6 2nd", r);
    show_received6("raw6 3rd", r);

    struct sockaddr_in6 self;
    socklen_t selflen = sizeof(self);
    T(getsockname(r, (struct sockaddr *)&self, &selflen));
    printf("raw6: port %d len %u\n", ntohs(self.sin6_port), (unsigned)selflen);

    /* Only echo replies through the filter, the old-style hop limit, a request from the raw socket. */
    struct icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    T(setsockopt(r, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)));
    T(setsockopt(r, IPPROTO_IPV6, IPV6_2292HOPLIMIT, &on, sizeof(on)));
    int offset = 2;
    T(setsockopt(r, SOL_RAW, IPV6_CHECKSUM, &offset, sizeof(offset)));
    T(setsockopt(r, IPPROTO_IPV6, IPV6_CHECKSUM, &offset, sizeof(offset)));
    offset = 3;
    T(setsockopt(r, SOL_RAW, IPV6_CHECKSUM, &offset, sizeof(offset)));
    len = echo6_request(buf, 0x77, 2, 8);
    buf[2] = 0x12; /* whatever the program puts there, the kernel's checksum replaces it */
    T(sendto(r, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    pf.fd = r;
    poll(&pf, 1, 2000);
    show_received6("raw6 filtered 1st", r);
    show_received6("raw6 filtered 2nd", r);
    int hops = 7;
    T(setsockopt(r, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)));
    struct sockaddr_in6 any = inet6_addr_of("::");
    T(sendto(r, buf, len, 0, (struct sockaddr *)&any, sizeof(any)));
    poll(&pf, 1, 2000);
    show_received6("raw6 to ::", r);
    int got = 0;
    socklen_t gl = sizeof(got);
    T(getsockopt(r, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &got, &gl));
    printf("hops %d\n", got);

    /* What each refuses. */
    struct sockaddr_in6 far = inet6_addr_of("2001:db8::1");
    T(sendto(r, buf, len, 0, (struct sockaddr *)&far, sizeof(far)));
    T(sendto(p, buf, len, 0, (struct sockaddr *)&far, sizeof(far)));
    T(sendto(r, buf, 3, 0, (struct sockaddr *)&lo, sizeof(lo)));
    T(sendto(r, buf, len, 0, (struct sockaddr *)&lo, 24));
    T(sendto(p, buf, len, 0, (struct sockaddr *)&lo, 24));
    T(sendto(r, buf, len, 0, (struct sockaddr *)&lo, 23));
    struct sockaddr_in v4 = inet_addr_of(INADDR_LOOPBACK);
    T(sendto(p, buf, len, 0, (struct sockaddr *)&v4, sizeof(lo)));
    buf[0] = ICMP6_ECHO_REPLY;
    T(sendto(p, buf, len, 0, (struct sockaddr *)&lo, sizeof(lo)));
    T(send(p, buf, len, 0));
    T(bind(r, (struct sockaddr *)&far, sizeof(far)));
    T(bind(r, (struct sockaddr *)&lo, sizeof(lo)));
    T(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMP));
    T(socket(AF_INET6, SOCK_RAW, 0));
    close(p);
    close(r);
}

/* ---- /proc/net/raw ---- */

static int compare_lines(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A /proc/net/raw line with its bucket, receive queue, inode and kernel address replaced. */
static void masked_raw_line(const char *line)
{
    char out[512];
    size_t n = 0;
    int word = -1;
    const char *p = line;
    while (*p == ' ')
        p++; /* the bucket's padding */
    for (; *p && n < sizeof(out) - 16; p++) {
        if (*p != ' ' && (p == line || p[-1] == ' ')) {
            word++;
            const char *mask = word == 0 ? "SL:" : word == 9 ? "INODE" : word == 11 ? "POINTER" : NULL;
            if (word == 4) {
                while (*p != ':')
                    out[n++] = *p++;
                n += (size_t)snprintf(out + n, sizeof(out) - n, ":RXQUEUE");
                while (p[1] && p[1] != ' ')
                    p++;
                continue;
            }
            if (mask) {
                n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", mask);
                while (p[1] && p[1] != ' ')
                    p++;
                continue;
            }
        }
        out[n++] = *p;
    }
    out[n] = 0;
    printf("%s", out);
}

/* The lines of `file` whose inode column is one of `inodes`, in their order,
 * without what differs between runs: the bucket (from a hash on Linux), the
 * receive queue's bytes (each packet's truesize) and the kernel address. */
static void raw_lines(const char *file, const ino_t *inodes, int count)
{
    FILE *f = fopen(file, "r");
    char lines[16][512];
    int n = 0;
    if (!f) {
        printf("%s: errno %d\n", file, errno);
        return;
    }
    while (n < 16 && fgets(lines[n], sizeof(lines[n]), f))
        n++;
    fclose(f);
    printf("%s header: %s", file, n ? lines[0] : "none\n");
    for (int i = 0; i < count; i++) {
        for (int l = 1; l < n; l++) {
            char copy[512], *w[16];
            int words = 0;
            strcpy(copy, lines[l]);
            for (char *t = strtok(copy, " \n"); t && words < 16; t = strtok(NULL, " \n"))
                w[words++] = t;
            if (words < 13 || strtoul(w[9], NULL, 10) != inodes[i])
                continue;
            printf("socket %d: ", i);
            masked_raw_line(lines[l]);
        }
    }
}

static int raw_listing(void)
{
    int fds[3];
    fds[0] = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    fds[1] = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    fds[2] = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    struct sockaddr_in lo = inet_addr_of(INADDR_LOOPBACK);
    connect(fds[2], (struct sockaddr *)&lo, sizeof(lo));
    uint8_t buf[64];
    size_t len = echo_request(buf, 3, 1, 0);
    sendto(fds[0], buf, len, 0, (struct sockaddr *)&lo, sizeof(lo));
    wait_readable(fds[0]);
    ino_t inodes[3];
    for (int i = 0; i < 3; i++) {
        struct stat st;
        fstat(fds[i], &st);
        inodes[i] = st.st_ino;
    }
    raw_lines("/proc/net/raw", inodes, 3);
    raw_lines("/proc/net/raw6", inodes, 3);
    FILE *f = popen("busybox netstat -wan", "r");
    char *lines[16];
    int n = 0;
    char line[256];
    while (f && n < 16 && fgets(line, sizeof(line), f)) {
        /* The Recv-Q column counts truesize: masked. */
        char proto[16], recvq[16];
        int at = 0;
        if (sscanf(line, "%15s %15s %n", proto, recvq, &at) == 2 && !strcmp(proto, "raw"))
            memmove(line, line + at, strlen(line + at) + 1);
        /* busybox prints an IPv6 address's scope id from memory it never set: masked. */
        for (char *pct = strchr(line, '%'); pct; pct = strchr(pct + 1, '%')) {
            char *end = pct + 1;
            while (*end >= '0' && *end <= '9')
                end++;
            memmove(pct + 2, end, strlen(end) + 1);
            pct[1] = 'N';
        }
        lines[n++] = strdup(line);
    }
    if (f)
        pclose(f);
    qsort(lines, (size_t)n, sizeof(lines[0]), compare_lines);
    for (int i = 0; i < n; i++)
        printf("netstat: %s", lines[i]);
    return 0;
}

/* ---- /proc/net/unix ---- */

#define UNIX_SOCKETS 6

static ino_t unix_inodes[UNIX_SOCKETS];
static char tag[32];

/* A line that names this program's sockets, with what differs between runs
 * replaced: the inode number (its last appearance as a word: the columns
 * before it may hold the same number) with its padding, and the pid in the names. */
static void masked(const char *line, const char *inode_text)
{
    size_t ilen = inode_text ? strlen(inode_text) : 0;
    const char *inode_at = NULL;
    for (const char *p = line; inode_text && *p; p++) {
        if (!strncmp(p, inode_text, ilen) && (p == line || p[-1] == ' ') &&
            (p[ilen] == ' ' || p[ilen] == '\n' || !p[ilen]))
            inode_at = p;
    }
    char out[512];
    size_t n = 0;
    for (const char *p = line; *p && n < sizeof(out) - 16;) {
        if (!strncmp(p, tag, strlen(tag))) {
            n += (size_t)snprintf(out + n, sizeof(out) - n, "TAG");
            p += strlen(tag);
        } else if (p == inode_at) {
            while (n > 1 && out[n - 1] == ' ' && out[n - 2] == ' ')
                n--; /* the inode's padding, which depends on its width */
            n += (size_t)snprintf(out + n, sizeof(out) - n, "INODE");
            p += ilen;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = 0;
    printf("%s", out);
}

/* The inode of a /proc/net/unix line (past its first column) or of a netstat
 * line: the word after Type and St, or after the type and the optional state. */
static unsigned long inode_column(const char *line, bool proc)
{
    char copy[512];
    strcpy(copy, line);
    char *words[16];
    int n = 0;
    for (char *w = strtok(copy, " \n"); w && n < 16; w = strtok(NULL, " \n"))
        words[n++] = w;
    if (proc)
        return n > 5 ? strtoul(words[5], NULL, 10) : 0;
    int i = 0;
    while (i < n && strcmp(words[i], "]"))
        i++;
    i += 2; /* past "]" and the type */
    if (i < n && (words[i][0] < '0' || words[i][0] > '9'))
        i++; /* the state */
    return i < n ? strtoul(words[i], NULL, 10) : 0;
}

/* The lines of a listing that name one of our sockets, in the order the sockets were made. */
static void our_lines(FILE *f, bool skip_first_column)
{
    char lines[64][512];
    int count = 0;
    while (count < 64 && fgets(lines[count], sizeof(lines[count]), f))
        count++;
    printf("%s", count ? "" : "(empty)\n");
    for (int i = 0; i < UNIX_SOCKETS; i++) {
        char inode_text[32];
        snprintf(inode_text, sizeof(inode_text), "%lu", (unsigned long)unix_inodes[i]);
        for (int l = 0; l < count; l++) {
            char *rest = lines[l];
            if (skip_first_column) {
                rest = strchr(lines[l], ':');
                if (!rest)
                    continue;
                rest += 2;
            }
            if (inode_column(rest, skip_first_column) == unix_inodes[i]) {
                printf("socket %d: ", i);
                masked(rest, inode_text);
            }
        }
    }
    /* A connection not yet accepted has no socket, so no inode: its line shows the listener's name. */
    for (int l = 0; l < count; l++) {
        char *rest = skip_first_column ? strchr(lines[l], ':') : lines[l];
        if (rest && strstr(rest, tag) && strstr(rest, skip_first_column ? " 02     0 " : "CONNECTING")) {
            printf("embryo: ");
            masked(skip_first_column ? rest + 2 : rest, NULL);
        }
    }
}

static int unix_listing(void)
{
    snprintf(tag, sizeof(tag), "nettools-%d", (int)getpid());
    int fds[UNIX_SOCKETS];
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    /* A listener bound to a path, a client connected to it but not accepted, a pair,
     * a datagram socket with an abstract name holding a NUL, and an unbound one. */
    fds[0] = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/%s", tag);
    unlink(a.sun_path);
    bind(fds[0], (struct sockaddr *)&a, sizeof(a));
    listen(fds[0], 4);
    fds[1] = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(fds[1], (struct sockaddr *)&a, sizeof(a));
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, &fds[2]);
    fds[4] = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un abstract = {.sun_family = AF_UNIX};
    int n = snprintf(abstract.sun_path + 1, sizeof(abstract.sun_path) - 1, "%s", tag);
    abstract.sun_path[1 + n] = 0; /* a NUL inside the name, shown as @ */
    abstract.sun_path[2 + n] = 'x';
    bind(fds[4], (struct sockaddr *)&abstract, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 3 + n));
    fds[5] = socket(AF_UNIX, SOCK_DGRAM, 0);
    for (int i = 0; i < UNIX_SOCKETS; i++) {
        struct stat st;
        fstat(fds[i], &st);
        unix_inodes[i] = st.st_ino;
    }
    FILE *f = fopen("/proc/net/unix", "r");
    if (!f) {
        printf("/proc/net/unix: errno %d\n", errno);
        return 1;
    }
    char header[256];
    if (fgets(header, sizeof(header), f))
        printf("header: %s", header);
    our_lines(f, true);
    fclose(f);
    f = popen("busybox netstat -xa", "r");
    if (f) {
        for (int i = 0; i < 2 && fgets(header, sizeof(header), f); i++)
            printf("netstat: %s", header);
        our_lines(f, false);
        pclose(f);
    }
    unlink(a.sun_path);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "ioctls"))
        return ioctls();
    if (argc > 1 && !strcmp(argv[1], "ping")) {
        ping_socket();
        raw_socket();
        blocking_receive();
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "ping6")) {
        ping6_sockets();
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "rawlist"))
        return raw_listing();
    if (argc > 1 && !strcmp(argv[1], "unix"))
        return unix_listing();
    fprintf(stderr, "usage: netdev ioctls|ping|ping6|unix\n");
    return 2;
}
