/*
 * echo100: a TCP echo server written with epoll and the clients that load
 * it, in one program over loopback. The server is a forked process serving
 * every connection from one epoll instance (non-blocking sockets; every other
 * connection level-triggered, the rest edge-triggered); the clients are the
 * parent, all connected at once through non-blocking connects on an epoll
 * instance of their own. Each client sends its own pseudo-random stream in
 * writes of varying sizes, shuts down its writing half, and checks every byte
 * it gets back against the stream, then the end of file: nothing lost,
 * duplicated, reordered or mixed with another client's bytes.
 *
 *   echo100 [CLIENTS [BYTES]]   CLIENTS clients (default 100), each sending
 *                               and receiving BYTES (default 100000: 10 MB
 *                               each way in all)
 *
 * Prints the same lines on every kernel (no ports, no timings) and exits 0
 * when everything came back.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_CLIENTS 100
#define DEFAULT_BYTES 100000
#define MAX_CLIENTS 1000
#define LISTEN_BACKLOG 1024
#define SERVER_BUFFER 16384 /* what the server holds per connection before it stops reading */
#define MAX_WRITE 65536     /* the largest single write of a client */
#define EVENTS_PER_WAIT 64
#define WATCHDOG_SECONDS 600 /* a hang ends the program instead of the test run */

static pid_t server_pid; /* in the clients' process: ended with it when they fail */

static _Noreturn void fail(void)
{
    fflush(stdout);
    if (server_pid > 0)
        kill(server_pid, SIGKILL);
    _exit(1);
}

/* A handler, not the default action: as PID 1 (sysgate's first process, or
 * on the host in a PID namespace) the program would ignore SIGALRM. */
static void on_watchdog(int sig)
{
    static const char message[] = "echo100: still not done after the watchdog's time\n";
    (void)sig;
    if (write(STDOUT_FILENO, message, sizeof(message) - 1) < 0) {
        /* nothing more to say */
    }
    if (server_pid > 0)
        kill(server_pid, SIGKILL);
    _exit(1);
}

static _Noreturn void die(const char *what)
{
    printf("echo100: %s: %s\n", what, strerror(errno));
    fail();
}

/* ---- the clients' streams: byte i of client c, the same wherever it is computed ---- */

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Word w of client c's stream is pattern[w % PATTERN_WORDS] ^ (key(c) + w):
 * cheap enough that the clients' own work does not hide the kernel's, and
 * no two clients, nor two places of one stream, alike. */
#define PATTERN_WORDS 4093 /* a prime: the pattern never lines up with a buffer */
static uint64_t pattern[PATTERN_WORDS];
static uint64_t stream_words[MAX_WRITE / 8 + 2];

static void stream_fill(unsigned char *buf, unsigned client, uint64_t offset, size_t len)
{
    uint64_t first = offset / 8, end = (offset + len + 7) / 8, key = splitmix64(client);
    size_t at = (size_t)(first % PATTERN_WORDS);
    for (uint64_t w = first; w < end; w++) {
        stream_words[w - first] = pattern[at] ^ (key + w);
        if (++at == PATTERN_WORDS)
            at = 0;
    }
    memcpy(buf, (unsigned char *)stream_words + offset % 8, len);
}

/* A Fletcher-like checksum of a stream, over its little-endian 64-bit words:
 * their sum and the sum of each times its place, fed in pieces that need
 * not be whole words. */
struct checksum {
    uint64_t sum, weighted;
};

static void checksum_add(struct checksum *k, uint64_t offset, const unsigned char *p, size_t len)
{
    while (len && offset % 8) {
        uint64_t part = (uint64_t)*p++ << (8 * (offset % 8));
        k->sum += part;
        k->weighted += part * (offset / 8 + 1);
        offset++, len--;
    }
    for (; len >= 8; p += 8, offset += 8, len -= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        k->sum += word;
        k->weighted += word * (offset / 8 + 1);
    }
    for (; len; p++, offset++, len--) {
        uint64_t part = (uint64_t)*p << (8 * (offset % 8));
        k->sum += part;
        k->weighted += part * (offset / 8 + 1);
    }
}

static uint64_t checksum_value(const struct checksum *k) { return splitmix64(k->sum ^ splitmix64(k->weighted)); }

/* ---- the server ---- */

struct connection {
    int fd;
    bool edge_triggered;
    bool readable, writable; /* edge-triggered: not yet seen EAGAIN since the last edge */
    bool peer_done;          /* the client shut down its writing half */
    uint32_t watching;       /* level-triggered: the events asked for */
    size_t start, end;       /* the bytes received and not yet echoed: buf[start, end) */
    unsigned char buf[SERVER_BUFFER];
};

static void server_watch(int ep, struct connection *c)
{
    uint32_t want = 0;
    if (c->end < SERVER_BUFFER && !c->peer_done)
        want |= EPOLLIN;
    if (c->start < c->end)
        want |= EPOLLOUT;
    if (want == c->watching)
        return;
    struct epoll_event ev = {.events = want, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev))
        die("server: epoll_ctl MOD");
    c->watching = want;
}

/* Moves what it can; returns false once the connection is finished (closed). */
static bool server_serve(int ep, struct connection *c, uint32_t events, uint64_t *echoed)
{
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        c->readable = true;
    if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
        c->writable = true;
    for (bool moved = true; moved;) {
        moved = false;
        if (c->readable && !c->peer_done && c->end < SERVER_BUFFER) {
            ssize_t n = read(c->fd, c->buf + c->end, SERVER_BUFFER - c->end);
            if (n > 0) {
                c->end += (size_t)n;
                moved = true;
            } else if (n == 0) {
                c->peer_done = true;
            } else if (errno == EAGAIN) {
                c->readable = false;
            } else {
                die("server: read");
            }
        }
        if (c->writable && c->start < c->end) {
            ssize_t n = write(c->fd, c->buf + c->start, c->end - c->start);
            if (n > 0) {
                c->start += (size_t)n;
                *echoed += (uint64_t)n;
                if (c->start == c->end)
                    c->start = c->end = 0;
                moved = true;
            } else if (n < 0 && errno == EAGAIN) {
                c->writable = false;
            } else {
                die("server: write");
            }
        }
        if (!c->edge_triggered)
            c->readable = c->writable = false; /* level-triggered: epoll says again */
    }
    if (c->peer_done && c->start == c->end) {
        close(c->fd); /* also leaves the epoll instance */
        free(c);
        return false;
    }
    if (!c->edge_triggered)
        server_watch(ep, c);
    return true;
}

static _Noreturn void server(int listener, int clients)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        die("server: epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev))
        die("server: epoll_ctl listener");
    int accepted = 0, finished = 0, edge_triggered = 0;
    uint64_t echoed = 0;
    struct epoll_event events[EVENTS_PER_WAIT];
    while (finished < clients) {
        int n = epoll_wait(ep, events, EVENTS_PER_WAIT, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("server: epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct connection *c = events[i].data.ptr;
            if (c) {
                if (!server_serve(ep, c, events[i].events, &echoed))
                    finished++;
                continue;
            }
            for (;;) {
                int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) {
                    if (errno == EAGAIN)
                        break;
                    die("server: accept4");
                }
                c = calloc(1, sizeof(*c));
                if (!c)
                    die("server: calloc");
                c->fd = fd;
                c->edge_triggered = accepted++ % 2;
                edge_triggered += c->edge_triggered;
                struct epoll_event cev = {.data.ptr = c};
                cev.events = c->edge_triggered ? EPOLLIN | EPOLLOUT | EPOLLET : EPOLLIN;
                c->watching = cev.events;
                if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev))
                    die("server: epoll_ctl ADD");
            }
        }
    }
    printf("echo100: server: %d connections (%d edge-triggered), %llu bytes echoed\n", accepted, edge_triggered,
           (unsigned long long)echoed);
    fflush(stdout);
    _exit(accepted == clients ? 0 : 1);
}

/* ---- the clients ---- */

struct client {
    unsigned index;
    int fd;
    bool connected;
    uint64_t sent, received;
    struct checksum checksum;
};

static uint64_t total_bytes;
static unsigned char *send_buf, *recv_buf, *expected_buf;

/* A write size that varies from one write to the next, 1..MAX_WRITE. */
static size_t write_size(struct client *c)
{
    size_t n = (size_t)(splitmix64(c->sent ^ ((uint64_t)c->index << 48)) % MAX_WRITE) + 1;
    return n < total_bytes - c->sent ? n : (size_t)(total_bytes - c->sent);
}

static void client_watch(int ep, struct client *c, int op)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (c->sent < total_bytes)
        ev.events |= EPOLLOUT;
    if (epoll_ctl(ep, op, c->fd, &ev))
        die("client: epoll_ctl");
}

/* Returns true once the client got every byte back and then the end of file. */
static bool client_serve(int ep, struct client *c, uint32_t events)
{
    if (!c->connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int error = 0;
        socklen_t len = sizeof(error);
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &len))
            die("client: getsockopt SO_ERROR");
        if (error) {
            errno = error;
            die("client: connect");
        }
        c->connected = true;
    }
    if ((events & EPOLLOUT) && c->sent < total_bytes) {
        size_t len = write_size(c);
        stream_fill(send_buf, c->index, c->sent, len);
        ssize_t n = write(c->fd, send_buf, len);
        if (n < 0 && errno != EAGAIN)
            die("client: write");
        if (n > 0) {
            c->sent += (uint64_t)n;
            if (c->sent == total_bytes) {
                if (shutdown(c->fd, SHUT_WR))
                    die("client: shutdown");
                client_watch(ep, c, EPOLL_CTL_MOD);
            }
        }
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        ssize_t n = read(c->fd, recv_buf, MAX_WRITE);
        if (n < 0 && errno != EAGAIN)
            die("client: read");
        if (n > 0) {
            if (c->received + (uint64_t)n > total_bytes) {
                printf("echo100: client %u: %llu bytes more than it sent\n", c->index,
                       (unsigned long long)(c->received + (uint64_t)n - total_bytes));
                fail();
            }
            stream_fill(expected_buf, c->index, c->received, (size_t)n);
            if (memcmp(recv_buf, expected_buf, (size_t)n)) {
                size_t at = 0;
                while (recv_buf[at] == expected_buf[at])
                    at++;
                printf("echo100: client %u: byte %llu differs from what it sent\n", c->index,
                       (unsigned long long)(c->received + at));
                fail();
            }
            checksum_add(&c->checksum, c->received, recv_buf, (size_t)n);
            c->received += (uint64_t)n;
        } else if (n == 0) {
            if (c->received != total_bytes) {
                printf("echo100: client %u: end of file after %llu of %llu bytes\n", c->index,
                       (unsigned long long)c->received, (unsigned long long)total_bytes);
                fail();
            }
            close(c->fd);
            return true;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    int clients = argc > 1 ? atoi(argv[1]) : DEFAULT_CLIENTS;
    total_bytes = argc > 2 ? strtoull(argv[2], NULL, 10) : DEFAULT_BYTES;
    if (clients < 1 || clients > MAX_CLIENTS) {
        printf("usage: echo100 [CLIENTS (1-%d) [BYTES]]\n", MAX_CLIENTS);
        return 2;
    }
    signal(SIGALRM, on_watchdog);
    alarm(WATCHDOG_SECONDS);
    printf("echo100: %d clients, %llu bytes each way each, %llu in all\n", clients, (unsigned long long)total_bytes,
           (unsigned long long)total_bytes * (unsigned)clients);
    fflush(stdout);

    /* Listening before the fork: every connect finds the server. */
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addr_len = sizeof(addr);
    if (listener < 0)
        die("socket");
    if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, LISTEN_BACKLOG) ||
        getsockname(listener, (struct sockaddr *)&addr, &addr_len))
        die("bind/listen/getsockname");
    server_pid = fork();
    if (server_pid < 0)
        die("fork");
    if (server_pid == 0) {
        server_pid = 0; /* the server is not its own client */
        server(listener, clients);
    }
    close(listener);

    for (size_t i = 0; i < PATTERN_WORDS; i++)
        pattern[i] = splitmix64(i);
    send_buf = malloc(MAX_WRITE);
    recv_buf = malloc(MAX_WRITE);
    expected_buf = malloc(MAX_WRITE);
    struct client *all = calloc((size_t)clients, sizeof(*all));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!send_buf || !recv_buf || !expected_buf || !all || ep < 0)
        die("setting up the clients");
    for (int i = 0; i < clients; i++) {
        struct client *c = &all[i];
        c->index = (unsigned)i;
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c->fd < 0)
            die("client: socket");
        if (connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
            c->connected = true;
        else if (errno != EINPROGRESS)
            die("client: connect");
        client_watch(ep, c, EPOLL_CTL_ADD);
    }

    int done = 0;
    struct epoll_event events[EVENTS_PER_WAIT];
    while (done < clients) {
        int n = epoll_wait(ep, events, EVENTS_PER_WAIT, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("client: epoll_wait");
        }
        for (int i = 0; i < n; i++)
            done += client_serve(ep, events[i].data.ptr, events[i].events);
    }

    int status;
    if (waitpid(server_pid, &status, 0) != server_pid)
        die("waitpid");
    uint64_t checksum = 0, received = 0;
    for (int i = 0; i < clients; i++) {
        checksum = splitmix64(checksum ^ checksum_value(&all[i].checksum));
        received += all[i].received;
    }
    printf("echo100: every client got its %llu bytes back, %llu in all, checksum %016llx\n",
           (unsigned long long)total_bytes, (unsigned long long)received, (unsigned long long)checksum);
    printf("echo100: server exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
