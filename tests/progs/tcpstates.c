/*
 * tcpstates: puts TCP and UDP sockets on loopback into known states, then
 * runs a program that shows them (netstat) and exits with its status. Every
 * port is fixed, the clients' too, so that the listing is the same on every
 * kernel but for its order: run it where the ports are free.
 *
 *   tcpstates [-6] PROGRAM ARGS...     -6: IPv6 sockets as well
 *
 * The scene:
 *   127.0.0.1:7101  listening (backlog 5); a connection from 127.0.0.1:7201,
 *                   accepted, with 5 bytes the server has not read; one from
 *                   :7202, accepted, whose client shut down its writing half
 *                   and whose server read the end, then sent one byte the
 *                   client read (FIN_WAIT2 / CLOSE_WAIT); one from :7204
 *                   closed by both sides, the client's first (its
 *                   TIME_WAIT); one from :7203 not yet accepted
 *   0.0.0.0:7102    listening (backlog 3), nobody connected
 *   UDP 127.0.0.1:7301 bound; 127.0.0.1:7302 connected to it
 *   with -6: [::1]:7103 listening (backlog 2) and a connection to it from
 *   [::1]:7205, accepted; [::]:7104 listening, IPv6 only
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
    printf("tcpstates: %s: %s\n", what, strerror(errno));
    exit(1);
}

static socklen_t address(struct sockaddr_storage *ss, int family, const char *ip, int port)
{
    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        inet_pton(AF_INET, ip, &in->sin_addr);
        return sizeof(*in);
    }
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    inet_pton(AF_INET6, ip, &in6->sin6_addr);
    return sizeof(*in6);
}

static int bound(int family, int type, const char *ip, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = address(&ss, family, ip, port);
    int fd = socket(family, type, 0);
    if (fd < 0)
        die("socket");
    int one = 1;
    if (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
        die("setsockopt IPV6_V6ONLY");
    if (bind(fd, (struct sockaddr *)&ss, len)) {
        printf("tcpstates: bind %s port %d: %s\n", ip, port, strerror(errno));
        exit(1);
    }
    return fd;
}

static int listening(int family, const char *ip, int port, int backlog)
{
    int fd = bound(family, SOCK_STREAM, ip, port);
    if (listen(fd, backlog))
        die("listen");
    return fd;
}

static int connected(int family, int type, const char *ip, int from_port, int to_port)
{
    int fd = bound(family, type, ip, from_port);
    struct sockaddr_storage ss;
    socklen_t len = address(&ss, family, ip, to_port);
    if (connect(fd, (struct sockaddr *)&ss, len))
        die("connect");
    return fd;
}

static void wait_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, -1) != 1)
        die("poll");
}

int main(int argc, char **argv)
{
    int first = 1, ipv6 = 0;
    if (argc > 1 && !strcmp(argv[1], "-6")) {
        ipv6 = 1;
        first++;
    }
    if (argc <= first) {
        printf("usage: tcpstates [-6] PROGRAM ARGS...\n");
        return 2;
    }

    int listener = listening(AF_INET, "127.0.0.1", 7101, 5);
    listening(AF_INET, "0.0.0.0", 7102, 3);

    int first_client = connected(AF_INET, SOCK_STREAM, "127.0.0.1", 7201, 7101);
    int with_data = accept(listener, NULL, NULL);
    if (with_data < 0)
        die("accept");

    int half_closed = connected(AF_INET, SOCK_STREAM, "127.0.0.1", 7202, 7101);
    int close_wait = accept(listener, NULL, NULL);
    if (close_wait < 0)
        die("accept");
    if (shutdown(half_closed, SHUT_WR))
        die("shutdown");
    char c;
    wait_readable(close_wait);
    if (read(close_wait, &c, 1) != 0)
        die("read: no end of file");
    /* Linux delays the ACK of a FIN: a byte back carries it, and the client
     * has it once it has the byte (FIN_WAIT2 rather than FIN_WAIT1). */
    if (write(close_wait, "!", 1) != 1)
        die("write");
    wait_readable(half_closed);
    if (read(half_closed, &c, 1) != 1)
        die("read");

    /* Both halves closed, the client's first: it keeps the connection's
     * TIME_WAIT, the server's side is gone. */
    int closer = connected(AF_INET, SOCK_STREAM, "127.0.0.1", 7204, 7101);
    int passive = accept(listener, NULL, NULL);
    if (passive < 0)
        die("accept");
    if (shutdown(closer, SHUT_WR))
        die("shutdown");
    wait_readable(passive);
    if (read(passive, &c, 1) != 0)
        die("read: no end of file");
    close(passive);
    wait_readable(closer);
    if (read(closer, &c, 1) != 0)
        die("read: no end of file");
    close(closer);

    /* Last, since accept takes the connections in order. */
    connected(AF_INET, SOCK_STREAM, "127.0.0.1", 7203, 7101);

    /* Unread by the server: there once it could read. */
    if (write(first_client, "hello", 5) != 5)
        die("write");
    wait_readable(with_data);

    bound(AF_INET, SOCK_DGRAM, "127.0.0.1", 7301);
    connected(AF_INET, SOCK_DGRAM, "127.0.0.1", 7302, 7301);

    if (ipv6) {
        int listener6 = listening(AF_INET6, "::1", 7103, 2);
        listening(AF_INET6, "::", 7104, 4);
        connected(AF_INET6, SOCK_STREAM, "::1", 7205, 7103);
        if (accept(listener6, NULL, NULL) < 0)
            die("accept ipv6");
    }

    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        execv(argv[first], argv + first);
        die("execv");
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        die("waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
