/*
 * sockasync.c - the O_ASYNC notifications of stream sockets beyond data
 * arriving, with F_SETSIG so each comes with its siginfo, as Linux's
 * sk_wake_async: POLL_OUT (si_band POLLOUT|POLLWRNORM|POLLWRBAND) once when
 * room comes back after a send found none (SOCKWQ_ASYNC_NOSPACE), never for
 * room that no send missed; POLL_IN for the peer's FIN or SHUT_WR;
 * POLL_HUP (POLLHUP|POLLERR) when both directions are over (an AF_UNIX
 * peer's close or SHUT_RDWR; a TCP FIN after our own shutdown); POLL_ERR
 * for a TCP reset; nothing for the peer's SHUT_RD; a send that found no
 * room before O_ASYNC was on still announces the room. AF_UNIX stream pairs
 * and TCP over loopback. Waits with sigwaitinfo, checks for extra signals
 * with a zero timeout: nothing depends on timing. Exits 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 4096

static int notify_signal;

static const char *code_name(int code)
{
    switch (code) {
    case POLL_IN: return "POLL_IN";
    case POLL_OUT: return "POLL_OUT";
    case POLL_MSG: return "POLL_MSG";
    case POLL_ERR: return "POLL_ERR";
    case POLL_PRI: return "POLL_PRI";
    case POLL_HUP: return "POLL_HUP";
    default: return "other";
    }
}

static void make_async(int fd)
{
    fcntl(fd, F_SETOWN, getpid());
    fcntl(fd, F_SETSIG, notify_signal);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC | O_NONBLOCK);
}

/* The notifications queued now, without waiting. */
static void show_pending(const char *when)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, notify_signal);
    struct timespec zero = {0, 0};
    siginfo_t info;
    int count = 0;
    printf("%s:", when);
    while (sigtimedwait(&set, &info, &zero) == notify_signal) {
        printf(" %s band %#lx", code_name(info.si_code), (long)info.si_band);
        count++;
    }
    printf("%s\n", count ? "" : " nothing");
}

/* Waits for the next notification. */
static void show_next(const char *when)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, notify_signal);
    siginfo_t info;
    if (sigwaitinfo(&set, &info) != notify_signal) {
        printf("%s: sigwaitinfo failed\n", when);
        return;
    }
    printf("%s: %s band %#lx\n", when, code_name(info.si_code), (long)info.si_band);
}

/* Fills the connection from `writer` until a send finds no room; the byte count. */
static long fill(int writer)
{
    static char chunk[CHUNK];
    long total = 0;
    for (;;) {
        ssize_t n = send(writer, chunk, sizeof(chunk), MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN)
                printf("send: %s\n", strerror(errno));
            return total;
        }
        total += n;
    }
}

static void drain(int reader, long total)
{
    static char chunk[CHUNK];
    while (total > 0) {
        ssize_t n = recv(reader, chunk, sizeof(chunk), 0);
        if (n <= 0) {
            printf("recv: %s\n", n ? strerror(errno) : "end of file");
            return;
        }
        total -= n;
    }
}

/* a is the socket watched, b its peer. */
static void room_and_end(const char *kind, int a, int b)
{
    printf("-- %s\n", kind);
    make_async(a);
    show_pending("after O_ASYNC");
    send(a, "hello", 5, 0);
    drain(b, 5);
    show_pending("room no send missed");
    long sent = fill(a);
    show_pending("filled");
    drain(b, sent);
    show_next("drained");
    show_pending("then");
    shutdown(b, SHUT_RD);
    show_pending("peer's SHUT_RD");
    shutdown(b, SHUT_WR);
    show_next("peer's SHUT_WR");
    show_pending("then");
}

/* A send that found no room before O_ASYNC was on still counts once it is. */
static void late_async(const char *kind, int a, int b)
{
    drain(b, fill(a));
    make_async(a);
    show_pending(kind);
    send(a, "x", 1, 0);
    drain(b, 1);
    show_pending("then room after a send");
    send(a, "x", 1, 0);
    drain(b, 1);
    show_pending("and again");
}

static int unix_pair(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM, 0, fds); }

static void tcp_pair(int fds[2])
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    bind(l, (struct sockaddr *)&addr, sizeof(addr));
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&addr, &len);
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fds[0], (struct sockaddr *)&addr, sizeof(addr)))
        printf("connect: %s\n", strerror(errno));
    fds[1] = accept(l, NULL, NULL);
    close(l);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    notify_signal = SIGRTMIN + 2;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, notify_signal);
    sigaddset(&set, SIGIO);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int fds[2];

    unix_pair(fds);
    room_and_end("AF_UNIX stream", fds[0], fds[1]);
    close(fds[1]);
    show_next("peer's close");
    show_pending("then");
    close(fds[0]);

    unix_pair(fds);
    make_async(fds[0]);
    shutdown(fds[1], SHUT_RDWR);
    show_next("AF_UNIX peer's SHUT_RDWR");
    show_pending("then");
    close(fds[0]);
    close(fds[1]);

    tcp_pair(fds);
    room_and_end("TCP", fds[0], fds[1]);
    close(fds[1]);
    show_pending("peer's close after its SHUT_WR");
    close(fds[0]);

    unix_pair(fds);
    late_async("AF_UNIX: no room before O_ASYNC", fds[0], fds[1]);
    close(fds[0]);
    close(fds[1]);
    tcp_pair(fds);
    late_async("TCP: no room before O_ASYNC", fds[0], fds[1]);
    close(fds[0]);
    close(fds[1]);

    tcp_pair(fds);
    make_async(fds[0]);
    shutdown(fds[0], SHUT_WR);
    show_pending("TCP: our SHUT_WR");
    close(fds[1]);
    show_next("TCP: then the peer's close");
    show_pending("then");
    close(fds[0]);

    tcp_pair(fds);
    make_async(fds[0]);
    send(fds[0], "unread", 6, 0);
    close(fds[1]);
    show_next("TCP: the peer closes with data unread (a reset)");
    show_pending("then");
    close(fds[0]);

    sigset_t pending;
    sigpending(&pending);
    printf("SIGIO pending at the end: %d\n", sigismember(&pending, SIGIO));
    return 0;
}
