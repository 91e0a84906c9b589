/*
 * tcpbench.c - loopback sockets: TCP throughput with 64 KiB writes from one
 * process to another, connect+accept+close of a TCP connection, and
 * ping-pong round trips of one byte between two processes over TCP and over
 * UDP. Runs on sysgate and on Linux
 * alike (as Linux's first process it first brings `lo` up, which Linux
 * leaves down at boot; sysgate configures it itself).
 *
 * Prints "NAME TSC_PER_UNIT NS_PER_UNIT" lines like procbench: under
 * -icount shift=0 the TSC counts guest instructions. The stream's unit is one
 * byte, the others' one iteration.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "benchclock.h"
#include "poweroff.h"

#define STREAM_BYTES (16u << 20)
#define CHUNK (64u << 10)
#define CONNECTS 500
#define ROUND_TRIPS 2000

static void report(const char *name, uint64_t t0, uint64_t t1, uint64_t n0, uint64_t n1, double units)
{
    printf("%s %.3f %.3f\n", name, (double)(t1 - t0) / units, (double)(n1 - n0) / units);
}

static int fail(const char *what)
{
    perror(what);
    return 1;
}

/* Linux's lo is down until someone brings it up; sysgate's is up from boot. */
static void loopback_up(void)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr))
            perror("tcpbench: bringing lo up");
    }
    close(fd);
}

/* A socket of TYPE bound to 127.0.0.1 on a port the kernel picks; its address in *addr. */
static int bound_socket(int type, struct sockaddr_in *addr)
{
    socklen_t len = sizeof(*addr);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, type, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
        getsockname(fd, (struct sockaddr *)addr, &len))
        return -1;
    return fd;
}

static char chunk[CHUNK];

/* One process writes STREAM_BYTES in 64 KiB writes, the other reads them and
 * answers one byte at the end: the time is until that byte is back. */
static int stream_once(int listener, const struct sockaddr_in *addr, uint64_t *tsc_spent, uint64_t *ns_spent)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof(*addr)))
        return fail("tcpbench: connect");
    pid_t reader = fork();
    if (reader == 0) {
        static char buf[CHUNK];
        int conn = accept(listener, NULL, NULL);
        uint64_t got = 0;
        ssize_t n;
        while ((n = read(conn, buf, sizeof(buf))) > 0)
            got += (uint64_t)n;
        _exit(got == STREAM_BYTES && write(conn, "!", 1) == 1 ? 0 : 1);
    }
    uint64_t n0 = now_ns(), t0 = tsc();
    for (unsigned done = 0; done < STREAM_BYTES; done += CHUNK)
        if (write(fd, chunk, CHUNK) != CHUNK)
            return fail("tcpbench: write");
    char c;
    if (shutdown(fd, SHUT_WR) || read(fd, &c, 1) != 1)
        return fail("tcpbench: the reader's answer");
    uint64_t t1 = tsc(), n1 = now_ns();
    int status;
    waitpid(reader, &status, 0);
    close(fd);
    *tsc_spent = t1 - t0;
    *ns_spent = n1 - n0;
    return status != 0;
}

static int tcp_stream(void)
{
    struct sockaddr_in addr;
    int listener = bound_socket(SOCK_STREAM, &addr);
    if (listener < 0 || listen(listener, 1))
        return fail("tcpbench: listener");
    uint64_t tsc_spent, ns_spent;
    /* The first round brings the pages and the translated code in. */
    if (stream_once(listener, &addr, &tsc_spent, &ns_spent) || stream_once(listener, &addr, &tsc_spent, &ns_spent))
        return 1;
    report("tcp_stream_per_byte", 0, tsc_spent, 0, ns_spent, STREAM_BYTES);
    close(listener);
    return 0;
}

/* connect, accept and both closes, in one process (the client closes first). */
static int connect_accept_close_once(int listener, const struct sockaddr_in *addr)
{
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (const struct sockaddr *)addr, sizeof(*addr)))
        return fail("tcpbench: connect");
    int server = accept(listener, NULL, NULL);
    if (server < 0)
        return fail("tcpbench: accept");
    close(client);
    close(server);
    return 0;
}

static int tcp_connect(void)
{
    struct sockaddr_in addr;
    int listener = bound_socket(SOCK_STREAM, &addr);
    if (listener < 0 || listen(listener, 16))
        return fail("tcpbench: listener");
    if (connect_accept_close_once(listener, &addr))
        return 1;
    uint64_t n0 = now_ns(), t0 = tsc();
    for (int i = 0; i < CONNECTS; i++)
        if (connect_accept_close_once(listener, &addr))
            return 1;
    uint64_t t1 = tsc(), n1 = now_ns();
    report("tcp_connect_accept_close", t0, t1, n0, n1, CONNECTS);
    close(listener);
    return 0;
}

/* Two processes bounce one byte over a TCP connection (TCP_NODELAY, as a
 * request-response protocol sets it). */
static int tcp_pingpong(void)
{
    struct sockaddr_in addr;
    int listener = bound_socket(SOCK_STREAM, &addr);
    if (listener < 0 || listen(listener, 1))
        return fail("tcpbench: listener");
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
        return fail("tcpbench: connect");
    int conn = accept(listener, NULL, NULL);
    if (conn < 0 || setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
        return fail("tcpbench: accept");
    char c = 0;
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < ROUND_TRIPS; i++)
            if (read(conn, &c, 1) != 1 || write(conn, &c, 1) != 1)
                _exit(1);
        _exit(0);
    }
    close(conn);
    if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
        return fail("tcpbench: TCP round trip");
    uint64_t n0 = now_ns(), t0 = tsc();
    for (int i = 1; i < ROUND_TRIPS; i++)
        if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
            return fail("tcpbench: TCP round trip");
    uint64_t t1 = tsc(), n1 = now_ns();
    int status;
    waitpid(child, &status, 0);
    report("tcp_pingpong", t0, t1, n0, n1, ROUND_TRIPS - 1);
    close(fd);
    close(listener);
    return status != 0;
}

/* Two processes bounce a one-byte datagram between connected UDP sockets. */
static int udp_pingpong(void)
{
    struct sockaddr_in a_addr, b_addr;
    int a = bound_socket(SOCK_DGRAM, &a_addr), b = bound_socket(SOCK_DGRAM, &b_addr);
    if (a < 0 || b < 0 || connect(a, (struct sockaddr *)&b_addr, sizeof(b_addr)) ||
        connect(b, (struct sockaddr *)&a_addr, sizeof(a_addr)))
        return fail("tcpbench: UDP sockets");
    char c = 0;
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < ROUND_TRIPS; i++)
            if (recv(b, &c, 1, 0) != 1 || send(b, &c, 1, 0) != 1)
                _exit(1);
        _exit(0);
    }
    /* One round first: the child is running and its pages are in. */
    if (send(a, &c, 1, 0) != 1 || recv(a, &c, 1, 0) != 1)
        return fail("tcpbench: UDP");
    uint64_t n0 = now_ns(), t0 = tsc();
    for (int i = 1; i < ROUND_TRIPS; i++)
        if (send(a, &c, 1, 0) != 1 || recv(a, &c, 1, 0) != 1)
            return fail("tcpbench: UDP");
    uint64_t t1 = tsc(), n1 = now_ns();
    int status;
    waitpid(child, &status, 0);
    report("udp_pingpong", t0, t1, n0, n1, ROUND_TRIPS - 1);
    return status != 0;
}

int main(void)
{
    loopback_up();
    int failed = tcp_stream();
    failed |= tcp_connect();
    failed |= tcp_pingpong();
    failed |= udp_pingpong();
    bench_finish(failed);
}
