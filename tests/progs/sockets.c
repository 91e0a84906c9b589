/*
 * AF_UNIX sockets and the socket calls, run alike on Linux and sysgate (the
 * outputs are compared): argument checks and errno values, stream, datagram
 * and seqpacket semantics, names, options, readiness, descriptor and
 * credential passing (across a fork, and to a program of the other ABI).
 *
 *   sockets             everything that follows the program's own steps
 *   sockets pass PROG   passes a descriptor to PROG (run as "PROG recvfd N")
 *   sockets recvfd N    receives one on descriptor N and reads through it
 *   sockets stress      threads sending and receiving checksummed messages on shared sockets
 *   sockets leak        1,000 socketpair/connect/close cycles: no descriptor or memory kept
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Opaque to the compiler, which would otherwise warn about the deliberate misuse. */
static void *volatile unmapped_address = (void *)16;
static void *bad_pointer(void) { return unmapped_address; }

static socklen_t unix_addr(struct sockaddr_un *a, const char *path)
{
    memset(a, 0, sizeof(*a));
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* An abstract name unique to this process, of a fixed length so both kernels print alike. */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *tag)
{
    memset(a, 0, sizeof(*a));
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "sg-%s-%08d", tag, (int)getpid());
    return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

static void show_name(const char *what, int fd, bool peer)
{
    struct sockaddr_un a;
    memset(&a, 0x55, sizeof(a));
    socklen_t len = sizeof(a);
    int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
    if (r < 0) {
        printf("%s: -1 errno %d\n", what, errno);
        return;
    }
    printf("%s: len %u family %d", what, len, a.sun_family);
    if (len > offsetof(struct sockaddr_un, sun_path) && a.sun_path[0])
        printf(" path \"%s\"", a.sun_path);
    else if (len > offsetof(struct sockaddr_un, sun_path))
        printf(" abstract of %u bytes", len - (unsigned)offsetof(struct sockaddr_un, sun_path));
    printf("\n");
}

static int getint(int fd, int name)
{
    int v = -7;
    socklen_t len = sizeof(v);
    if (getsockopt(fd, SOL_SOCKET, name, &v, &len) < 0)
        return -errno * 1000;
    return v;
}

static short revents(int fd, short events)
{
    struct pollfd p = {fd, events, 0};
    poll(&p, 1, 0);
    return p.revents;
}

static void argument_checks(void)
{
    printf("-- argument checks\n");
    T(socket(46, SOCK_STREAM, 0));
    T(socket(1000, SOCK_STREAM, 0));
    T(socket(-1, SOCK_STREAM, 0));
    T(socket(AF_UNIX, 11, 0));
    T(socket(AF_UNIX, -1, 0));
    T(socket(AF_UNIX, SOCK_STREAM | 0x100000, 0));
    T(socket(AF_UNIX, SOCK_STREAM, 5));
    T(socket(AF_UNIX, SOCK_RDM, 0));
    T(socket(AF_UNIX, SOCK_PACKET, 0));
    int raw = socket(AF_UNIX, SOCK_RAW, 0);
    printf("SOCK_RAW gives type %d\n", getint(raw, SO_TYPE));
    close(raw);
    T(socketpair(AF_UNIX, SOCK_STREAM, 0, bad_pointer()));
    T(socketpair(1000, SOCK_STREAM, 0, (int[2]){0}));

    int pipefd[2];
    pipe(pipefd);
    struct sockaddr_un a;
    socklen_t alen = unix_addr(&a, "x");
    T(bind(pipefd[0], (struct sockaddr *)&a, alen));
    T(bind(999, (struct sockaddr *)&a, alen));
    T(listen(pipefd[0], 1));
    T(accept(pipefd[0], NULL, NULL));
    T(connect(pipefd[0], (struct sockaddr *)&a, alen));
    T(send(pipefd[1], "x", 1, 0));
    T(recv(pipefd[0], &a, 1, 0));
    T(shutdown(pipefd[0], SHUT_RD));
    T(getsockopt(pipefd[0], SOL_SOCKET, SO_TYPE, &(int){0}, &(socklen_t){4}));
    T(setsockopt(pipefd[0], SOL_SOCKET, SO_KEEPALIVE, &(int){1}, 4));
    T(getsockname(pipefd[0], (struct sockaddr *)&a, &alen));
    close(pipefd[0]);
    close(pipefd[1]);

    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    T(bind(s, (struct sockaddr *)&a, 1));
    T(bind(s, (struct sockaddr *)&a, 0));
    T(bind(s, (struct sockaddr *)&a, 111));
    T(bind(s, (struct sockaddr *)&a, -1));
    T(bind(s, bad_pointer(), 10));
    struct sockaddr_un inet = a;
    inet.sun_family = AF_INET;
    T(bind(s, (struct sockaddr *)&inet, alen));
    T(connect(s, (struct sockaddr *)&inet, alen));
    T(connect(s, bad_pointer(), 10));
    T(connect(s, (struct sockaddr *)&a, 1));
    alen = unix_addr(&a, "no-such-dir/x");
    T(connect(s, (struct sockaddr *)&a, alen));
    T(bind(s, (struct sockaddr *)&a, alen));
    alen = unix_addr(&a, "no-such-file");
    T(connect(s, (struct sockaddr *)&a, alen));
    close(open("plain-file", O_CREAT | O_WRONLY, 0644));
    alen = unix_addr(&a, "plain-file");
    T(connect(s, (struct sockaddr *)&a, alen));
    T(bind(s, (struct sockaddr *)&a, alen));
    T(listen(s, 5));
    T(accept(s, NULL, NULL));
    T(accept4(s, NULL, NULL, 0x1234));
    T(send(s, "x", 1, 0));
    T(sendto(s, "x", 1, 0, (struct sockaddr *)&a, alen));
    T(recv(s, &a, 1, MSG_DONTWAIT));
    T(shutdown(s, 3));
    T(shutdown(s, -1));
    T(shutdown(s, SHUT_RDWR));
    socklen_t len = sizeof(a);
    T(getsockname(s, bad_pointer(), &len));
    T(getsockname(s, (struct sockaddr *)&a, bad_pointer()));
    len = (socklen_t)-1;
    T(getsockname(s, (struct sockaddr *)&a, &len));
    len = sizeof(a);
    T(getpeername(s, (struct sockaddr *)&a, &len));
    T(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &(int){1}, 2));
    T(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &(int){1}, -1));
    T(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, bad_pointer(), 4));
    T(setsockopt(s, SOL_SOCKET, 9999, &(int){1}, 4));
    T(setsockopt(s, SOL_SOCKET, SO_TYPE, &(int){1}, 4));
    T(setsockopt(s, 6 /* IPPROTO_TCP */, 1, &(int){1}, 4));
    T(getsockopt(s, 6, 1, &(int){1}, &(socklen_t){4}));
    T(getsockopt(s, SOL_SOCKET, 9999, &(int){1}, &(socklen_t){4}));
    T(getsockopt(s, SOL_SOCKET, SO_TYPE, &(int){1}, &(socklen_t){-1}));
    T(getsockopt(s, SOL_SOCKET, SO_TYPE, &(int){1}, bad_pointer()));
    T(getsockopt(s, SOL_SOCKET, SO_TYPE, bad_pointer(), &(socklen_t){4}));
    T(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){0, 2000000}, sizeof(struct timeval)));
    T(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){0, 1}, 4));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(listen(d, 1));
    T(accept(d, NULL, NULL));
    T(send(d, "x", 1, 0));
    T(sendmsg(d, &(struct msghdr){.msg_iovlen = 1025}, 0));
    /* Straight to the kernel: musl's wrappers read the msghdr themselves. */
    T(syscall(SYS_sendmsg, d, bad_pointer(), 0));
    T(syscall(SYS_recvmsg, d, bad_pointer(), MSG_DONTWAIT));
    T(syscall(SYS_sendmsg, d, &(struct msghdr){.msg_iov = bad_pointer(), .msg_iovlen = 1}, 0));
    T(syscall(SYS_sendmsg, d, &(struct msghdr){.msg_name = &a, .msg_namelen = -1}, 0));
    T(recvmsg(d, &(struct msghdr){0}, MSG_DONTWAIT));
    T(recvmsg(d, &(struct msghdr){0}, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
    struct mmsghdr mm = {0};
    T(sendmmsg(d, &mm, 1, 0));
    T(recvmmsg(d, &mm, 1, MSG_DONTWAIT, NULL));
    T(recvmmsg(d, &mm, 1, MSG_DONTWAIT, &(struct timespec){0, -1}));
    close(d);
    close(s);
}

static void stream_pair(void)
{
    printf("-- stream socketpair\n");
    int sv[2];
    T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    printf("types %d %d domain %d protocol %d acceptconn %d\n", getint(sv[0], SO_TYPE), getint(sv[1], SO_TYPE),
           getint(sv[0], SO_DOMAIN), getint(sv[0], SO_PROTOCOL), getint(sv[0], SO_ACCEPTCONN));
    struct stat st;
    fstat(sv[0], &st);
    printf("fstat: socket %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
    show_name("socketpair name", sv[0], false);
    show_name("socketpair peer", sv[0], true);
    printf("poll empty: %#x\n", revents(sv[0], POLLIN | POLLOUT | POLLRDHUP));
    T(write(sv[0], "hello", 5));
    T(send(sv[0], " world", 6, 0));
    printf("poll with data: %#x\n", revents(sv[1], POLLIN | POLLOUT | POLLRDHUP));
    int inq = -1;
    T(ioctl(sv[1], FIONREAD, &inq));
    printf("FIONREAD %d\n", inq);
    char buf[64] = {0};
    T(recv(sv[1], buf, 3, MSG_PEEK));
    T(recv(sv[1], buf, sizeof(buf), MSG_PEEK));
    T(read(sv[1], buf, 4));
    printf("read \"%.4s\"\n", buf);
    T(recv(sv[1], buf, sizeof(buf), 0));
    printf("then \"%.7s\"\n", buf);
    T(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
    struct iovec iov[2] = {{buf, 2}, {buf + 10, 3}};
    T(writev(sv[1], iov, 2));
    T(readv(sv[0], iov, 2));
    T(shutdown(sv[0], SHUT_WR));
    printf("after SHUT_WR: writer %#x reader %#x\n", revents(sv[0], POLLIN | POLLOUT | POLLRDHUP),
           revents(sv[1], POLLIN | POLLOUT | POLLRDHUP));
    T(read(sv[1], buf, 10));
    sigpipes = 0;
    T(write(sv[0], "x", 1));
    printf("SIGPIPE after a write past SHUT_WR: %d\n", (int)sigpipes);
    T(write(sv[1], "back", 4));
    T(read(sv[0], buf, 10));
    T(close(sv[1]));
    printf("peer closed: %#x\n", revents(sv[0], POLLIN | POLLOUT | POLLRDHUP));
    sigpipes = 0;
    T(send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE with MSG_NOSIGNAL: %d\n", (int)sigpipes);
    T(read(sv[0], buf, 10));
    show_name("peer of a closed one", sv[0], true);
    close(sv[0]);

    /* Unread data at a close is a reset for the peer. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "unread", 6);
    close(sv[0]);
    T(read(sv[1], buf, 10));
    close(sv[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "unread", 6);
    close(sv[0]);
    printf("reset: so_error %d poll %#x\n", getint(sv[1], SO_ERROR), revents(sv[1], POLLIN | POLLOUT));
    T(read(sv[1], buf, 10));
    close(sv[1]);

    /* MSG_WAITALL waits for the whole, the peer's writes arriving in pieces. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < 4; i++) {
            usleep(10000);
            write(sv[1], "abcd", 4);
        }
        _exit(0);
    }
    T(recv(sv[0], buf, 16, MSG_WAITALL));
    waitpid(child, NULL, 0);
    /* A reader asleep in another process is woken by the write. */
    child = fork();
    if (child == 0) {
        char c;
        ssize_t n = read(sv[1], &c, 1);
        printf("child woke with %zd '%c'\n", n, n == 1 ? c : '?');
        fflush(stdout);
        _exit(0);
    }
    usleep(20000);
    write(sv[0], "z", 1);
    waitpid(child, NULL, 0);
    close(sv[0]);
    close(sv[1]);

    /* Nonblocking: the pair fills up, then EAGAIN, and poll stops saying POLLOUT. */
    T(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
    printf("flags: nonblock %d cloexec %d\n", !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK),
           !!(fcntl(sv[0], F_GETFD) & FD_CLOEXEC));
    static char big[65536];
    long total = 0;
    ssize_t n;
    while ((n = write(sv[0], big, sizeof(big))) > 0)
        total += n;
    printf("filled: last %zd errno %d, something written %d, POLLOUT %d\n", n, errno, total > 0,
           !!(revents(sv[0], POLLOUT) & POLLOUT));
    while (read(sv[1], big, sizeof(big)) > 0)
        ;
    printf("drained: POLLOUT %d\n", !!(revents(sv[0], POLLOUT) & POLLOUT));
    close(sv[0]);
    close(sv[1]);
}

static void options(void)
{
    printf("-- options\n");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("sndbuf %d rcvbuf %d\n", getint(s, SO_SNDBUF), getint(s, SO_RCVBUF));
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &(int){10000}, 4);
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){10000}, 4);
    printf("after 10000: sndbuf %d rcvbuf %d\n", getint(s, SO_SNDBUF), getint(s, SO_RCVBUF));
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &(int){1}, 4);
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){1}, 4);
    printf("after 1: sndbuf %d rcvbuf %d\n", getint(s, SO_SNDBUF), getint(s, SO_RCVBUF));
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){5}, 4);
    setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &(int){1}, 4);
    setsockopt(s, SOL_SOCKET, SO_PASSCRED, &(int){1}, 4);
    printf("reuseaddr %d keepalive %d passcred %d error %d\n", getint(s, SO_REUSEADDR), getint(s, SO_KEEPALIVE),
           getint(s, SO_PASSCRED), getint(s, SO_ERROR));
    struct linger l = {1, 7};
    T(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
    T(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, 4));
    memset(&l, 0, sizeof(l));
    socklen_t len = sizeof(l);
    getsockopt(s, SOL_SOCKET, SO_LINGER, &l, &len);
    printf("linger %d %d len %u\n", l.l_onoff, l.l_linger, len);
    int v = 0;
    len = 2;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
    printf("short getsockopt: len %u\n", len);
    len = 16;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
    printf("long getsockopt: len %u\n", len);
    struct ucred cred;
    len = sizeof(cred);
    T(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len));
    printf("unconnected peercred: pid %d uid %d gid %d\n", cred.pid, (int)cred.uid, (int)cred.gid);
    struct timeval tv = {0, 50000};
    T(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
    memset(&tv, 0, sizeof(tv));
    len = sizeof(tv);
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len);
    printf("rcvtimeo %ld.%06ld len %u\n", (long)tv.tv_sec, (long)tv.tv_usec, len);
    close(s);

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    len = sizeof(cred);
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len);
    printf("socketpair peercred: mine %d uid %d gid %d len %u\n", cred.pid == getpid(), cred.uid == getuid(),
           cred.gid == getgid(), len);
    tv = (struct timeval){0, 30000};
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char c;
    T(read(sv[0], &c, 1));
    close(sv[0]);
    close(sv[1]);
}

static void names_and_connections(void)
{
    printf("-- names and connections\n");
    umask(022);
    struct sockaddr_un a, b;
    socklen_t alen = unix_addr(&a, "srv");
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    show_name("unbound", srv, false);
    T(bind(srv, (struct sockaddr *)&a, alen));
    T(bind(srv, (struct sockaddr *)&a, alen));
    show_name("bound", srv, false);
    struct stat st;
    T(stat("srv", &st));
    printf("node: socket %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
    T(open("srv", O_RDONLY));
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    T(bind(other, (struct sockaddr *)&a, alen));
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    T(connect(cl, (struct sockaddr *)&a, alen));
    T(listen(srv, 1));
    printf("listener: acceptconn %d poll %#x\n", getint(srv, SO_ACCEPTCONN), revents(srv, POLLIN | POLLOUT));
    T(connect(cl, (struct sockaddr *)&a, alen));
    T(connect(cl, (struct sockaddr *)&a, alen));
    printf("listener with one waiting: poll %#x\n", revents(srv, POLLIN | POLLOUT));
    T(write(cl, "early", 5));
    struct sockaddr_un peer;
    socklen_t plen = sizeof(peer);
    int acc = accept(srv, (struct sockaddr *)&peer, &plen);
    printf("accepted %d, peer address len %u\n", acc >= 0, plen);
    show_name("accepted name", acc, false);
    show_name("accepted peer", acc, true);
    show_name("client peer", cl, true);
    char buf[32] = {0};
    T(read(acc, buf, sizeof(buf)));
    struct ucred cred;
    socklen_t clen = sizeof(cred);
    getsockopt(cl, SOL_SOCKET, SO_PEERCRED, &cred, &clen);
    printf("client's peercred is mine: %d\n", cred.pid == getpid());

    /* The backlog: a nonblocking connect past it gets EAGAIN. */
    int nb[4];
    for (int i = 0; i < 4; i++) {
        nb[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        T(connect(nb[i], (struct sockaddr *)&a, alen));
    }
    fcntl(srv, F_SETFL, O_NONBLOCK);
    for (int i = 0; i < 4; i++) {
        int x = accept4(srv, NULL, NULL, SOCK_NONBLOCK);
        printf("accept %d: %d errno %d", i, x >= 0, x < 0 ? errno : 0);
        printf(" nonblocking %d\n", x >= 0 && (fcntl(x, F_GETFL) & O_NONBLOCK));
        if (x >= 0)
            close(x);
        close(nb[i]);
    }
    fcntl(srv, F_SETFL, 0);

    /* A blocking connect past the backlog waits for an accept. */
    int c1 = socket(AF_UNIX, SOCK_STREAM, 0), c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    T(connect(c1, (struct sockaddr *)&a, alen));
    T(connect(c2, (struct sockaddr *)&a, alen));
    pid_t child = fork();
    if (child == 0) {
        int c3 = socket(AF_UNIX, SOCK_STREAM, 0);
        printf("blocked connect: %d\n", connect(c3, (struct sockaddr *)&a, alen));
        fflush(stdout);
        _exit(0);
    }
    usleep(50000);
    printf("accepting to let it in\n");
    fflush(stdout);
    close(accept(srv, NULL, NULL));
    waitpid(child, NULL, 0);
    close(accept(srv, NULL, NULL));
    close(accept(srv, NULL, NULL));
    close(c1);
    close(c2);

    close(srv);
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    T(connect(late, (struct sockaddr *)&a, alen));
    T(unlink("srv"));
    srv = socket(AF_UNIX, SOCK_STREAM, 0);
    T(bind(srv, (struct sockaddr *)&a, alen));
    close(srv);
    close(late);
    close(acc);
    close(cl);
    close(other);

    /* Abstract names: no file, exact lengths. */
    alen = abstract_addr(&a, "abs");
    srv = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    T(bind(srv, (struct sockaddr *)&a, alen));
    show_name("abstract", srv, false);
    int dup = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    T(bind(dup, (struct sockaddr *)&a, alen));
    close(dup);
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(connect(dg, (struct sockaddr *)&a, alen));
    close(dg);
    T(listen(srv, 5));
    cl = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    T(connect(cl, (struct sockaddr *)&a, alen));
    acc = accept(srv, NULL, NULL);
    T(send(cl, "one", 3, 0));
    T(send(cl, "three", 5, 0));
    T(recv(acc, buf, 2, 0));
    T(recv(acc, buf, sizeof(buf), 0));
    struct msghdr mh = {.msg_iov = &(struct iovec){buf, 1}, .msg_iovlen = 1};
    T(send(cl, "four", 4, 0));
    T(recvmsg(acc, &mh, 0));
    printf("seqpacket truncated: flags %#x\n", mh.msg_flags);
    T(send(cl, "", 0, 0));
    T(recv(acc, buf, sizeof(buf), MSG_DONTWAIT));
    close(cl);
    T(recv(acc, buf, sizeof(buf), 0));
    sigpipes = 0;
    T(send(acc, "x", 1, 0));
    printf("seqpacket SIGPIPE: %d\n", (int)sigpipes);
    close(acc);
    close(srv);
    T(connect(socket(AF_UNIX, SOCK_SEQPACKET, 0), (struct sockaddr *)&a, alen));

    /* Autobind: an empty address, and an unbound sender with SO_PASSCRED. */
    int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(bind(ab, (struct sockaddr *)&(sa_family_t){AF_UNIX}, sizeof(sa_family_t)));
    show_name("autobound", ab, false);
    T(bind(ab, (struct sockaddr *)&(sa_family_t){AF_UNIX}, sizeof(sa_family_t)));
    close(ab);
    (void)b;
}

static void datagrams(void)
{
    printf("-- datagrams\n");
    struct sockaddr_un a, from;
    socklen_t alen = unix_addr(&a, "dg");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(bind(r, (struct sockaddr *)&a, alen));
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(send(s, "x", 1, 0));
    T(sendto(s, "first", 5, 0, (struct sockaddr *)&a, alen));
    socklen_t flen = sizeof(from);
    char buf[64];
    T(recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen));
    printf("from an unbound sender: len %u\n", flen);
    struct sockaddr_un sa;
    socklen_t salen = unix_addr(&sa, "dg-sender");
    bind(s, (struct sockaddr *)&sa, salen);
    T(sendto(s, "second", 6, 0, (struct sockaddr *)&a, alen));
    flen = sizeof(from);
    T(recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen));
    printf("from: len %u path \"%s\"\n", flen, from.sun_path);
    T(connect(s, (struct sockaddr *)&a, alen));
    show_name("dgram peer", s, true);
    T(send(s, "long message", 12, 0));
    T(send(s, "next", 4, 0));
    T(recv(r, buf, 4, MSG_PEEK | MSG_TRUNC));
    struct msghdr mh = {.msg_iov = &(struct iovec){buf, 4}, .msg_iovlen = 1};
    T(recvmsg(r, &mh, 0));
    printf("truncated: flags %#x \"%.4s\"\n", mh.msg_flags, buf);
    T(recv(r, buf, sizeof(buf), 0));
    T(recv(r, buf, sizeof(buf), MSG_DONTWAIT));
    /* A socket connected elsewhere refuses others' datagrams. */
    int third = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(connect(r, (struct sockaddr *)&sa, salen));
    T(sendto(third, "x", 1, 0, (struct sockaddr *)&a, alen));
    T(connect(r, (struct sockaddr *)&(sa_family_t){AF_UNSPEC}, sizeof(sa_family_t)));
    T(sendto(third, "y", 1, 0, (struct sockaddr *)&a, alen));
    T(recv(r, buf, sizeof(buf), 0));
    int big = 300000;
    char *huge = calloc(1, (size_t)big);
    T(send(s, huge, (size_t)big, 0));
    free(huge);
    /* The receiver's queue holds max_dgram_qlen + 1 from others. */
    int fill = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int sent = 0;
    while (sendto(fill, "q", 1, 0, (struct sockaddr *)&a, alen) == 1)
        sent++;
    printf("queued %d, then errno %d, sender POLLOUT %d\n", sent, errno, !!(revents(s, POLLOUT) & POLLOUT));
    close(fill);
    T(close(r));
    T(send(s, "gone", 4, 0));
    T(send(s, "gone", 4, 0));
    close(s);
    close(third);
    unlink("dg");
    unlink("dg-sender");

    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    T(send(sv[0], "a", 1, 0));
    T(send(sv[0], "bb", 2, 0));
    struct mmsghdr mm[3];
    char bufs[3][8];
    memset(mm, 0, sizeof(mm));
    for (int i = 0; i < 3; i++) {
        mm[i].msg_hdr.msg_iov = &(struct iovec){bufs[i], 8};
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    struct iovec iovs[3] = {{bufs[0], 8}, {bufs[1], 8}, {bufs[2], 8}};
    for (int i = 0; i < 3; i++)
        mm[i].msg_hdr.msg_iov = &iovs[i];
    T(recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL));
    printf("lengths %u %u\n", mm[0].msg_len, mm[1].msg_len);
    memcpy(bufs[0], "x", 1);
    memcpy(bufs[1], "yy", 2);
    iovs[0].iov_len = 1;
    iovs[1].iov_len = 2;
    T(sendmmsg(sv[0], mm, 2, 0));
    T(recv(sv[1], buf, sizeof(buf), 0));
    T(recv(sv[1], buf, sizeof(buf), 0));
    T(shutdown(sv[1], SHUT_RD));
    T(recv(sv[1], buf, sizeof(buf), 0));
    T(send(sv[0], "z", 1, 0));
    close(sv[0]);
    close(sv[1]);
}

/* Sends `n` descriptors with SCM_RIGHTS and a byte of data. */
static ssize_t send_fds(int sock, const int *fds, int n)
{
    char control[CMSG_SPACE(sizeof(int) * 8)];
    memset(control, 0, sizeof(control));
    struct msghdr mh = {.msg_iov = &(struct iovec){"F", 1}, .msg_iovlen = 1};
    mh.msg_control = control;
    mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    return sendmsg(sock, &mh, 0);
}

/* Receives; prints what came, and returns the first descriptor or -1. */
static int recv_fds(int sock, size_t control_size, int flags)
{
    char control[256];
    char byte;
    struct msghdr mh = {.msg_iov = &(struct iovec){&byte, 1}, .msg_iovlen = 1};
    mh.msg_control = control_size ? control : NULL;
    mh.msg_controllen = control_size;
    ssize_t n = recvmsg(sock, &mh, flags);
    if (n < 0) {
        printf("recvmsg: -1 errno %d\n", errno);
        return -1;
    }
    printf("recvmsg: %zd flags %#x controllen %zu\n", n, mh.msg_flags, (size_t)mh.msg_controllen);
    int first = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            printf("  SCM_RIGHTS: %d descriptors", count);
            for (int i = 0; i < count; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
                printf(" [cloexec %d]", !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
                if (first < 0)
                    first = fd;
                else
                    close(fd);
            }
            printf("\n");
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            struct ucred cr;
            memcpy(&cr, CMSG_DATA(c), sizeof(cr));
            printf("  SCM_CREDENTIALS: pid is the sender's %d, uid %d gid %d\n", cr.pid == getpid(),
                   cr.uid == getuid(), cr.gid == getgid());
        } else {
            printf("  cmsg level %d type %d len %zu\n", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
        }
    }
    return first;
}

static void passing(void)
{
    printf("-- descriptor and credential passing\n");
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    T(send_fds(sv[0], &p[0], 1));
    close(p[0]);
    write(p[1], "through", 7);
    int got = recv_fds(sv[1], 256, 0);
    char buf[16] = {0};
    T(read(got, buf, 7));
    printf("read \"%s\" through the passed pipe\n", buf);
    close(got);
    int three[3] = {p[1], p[1], p[1]};
    T(send_fds(sv[0], three, 3));
    close(recv_fds(sv[1], CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC));
    T(send_fds(sv[0], three, 1));
    recv_fds(sv[1], 0, 0);
    T(send_fds(sv[0], (int[]){999}, 1));
    T(send_fds(sv[0], three, 1));
    T(send_fds(sv[0], three, 1));
    close(recv_fds(sv[1], 256, MSG_PEEK));
    close(recv_fds(sv[1], 256, 0));
    close(recv_fds(sv[1], 256, MSG_DONTWAIT));
    /* In flight when both ends close: the files go too. */
    T(send_fds(sv[0], three, 2));
    close(sv[0]);
    close(sv[1]);

    /* Across a fork: the child receives the parent's pipe and answers through it. */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        int fd = recv_fds(sv[1], 256, 0);
        write(fd, "from the child", 14);
        fflush(stdout);
        _exit(0);
    }
    int q[2];
    pipe(q);
    waitpid(-1, NULL, WNOHANG);
    send_fds(sv[0], &q[1], 1);
    close(q[1]);
    waitpid(child, NULL, 0);
    memset(buf, 0, sizeof(buf));
    T(read(q[0], buf, 15));
    printf("parent read \"%s\"\n", buf);
    T(read(q[0], buf, 15));
    close(q[0]);

    /* Credentials: only with SO_PASSCRED on the receiver. */
    T(send(sv[0], "c", 1, 0));
    recv_fds(sv[1], 256, 0);
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &(int){1}, sizeof(int));
    T(send(sv[0], "c", 1, 0));
    recv_fds(sv[1], 256, 0);
    char control[CMSG_SPACE(sizeof(struct ucred))] = {0};
    struct msghdr mh = {.msg_iov = &(struct iovec){"e", 1}, .msg_iovlen = 1, .msg_control = control,
                        .msg_controllen = sizeof(control)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred mine = {getpid(), getuid(), getgid()};
    memcpy(CMSG_DATA(c), &mine, sizeof(mine));
    T(sendmsg(sv[0], &mh, 0));
    recv_fds(sv[1], 256, 0);
    c->cmsg_len = CMSG_LEN(2);
    T(sendmsg(sv[0], &mh, 0));
    c->cmsg_len = CMSG_LEN(4);
    c->cmsg_type = 77;
    T(sendmsg(sv[0], &mh, 0));
    c->cmsg_len = 1000;
    T(sendmsg(sv[0], &mh, 0));
    close(sv[0]);
    close(sv[1]);
}

static void selecting(void)
{
    printf("-- select\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(sv[1], &rd);
    FD_SET(sv[0], &wr);
    struct timeval tv = {0, 0};
    T(select(sv[1] + 1, &rd, &wr, NULL, &tv));
    printf("readable %d writable %d\n", FD_ISSET(sv[1], &rd), FD_ISSET(sv[0], &wr));
    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        write(sv[0], "s", 1);
        _exit(0);
    }
    FD_ZERO(&rd);
    FD_SET(sv[1], &rd);
    T(select(sv[1] + 1, &rd, NULL, NULL, NULL));
    printf("woken readable %d\n", FD_ISSET(sv[1], &rd));
    waitpid(child, NULL, 0);
    struct pollfd pf = {sv[1], POLLIN, 0};
    char c;
    read(sv[1], &c, 1);
    child = fork();
    if (child == 0) {
        usleep(20000);
        close(sv[0]);
        _exit(0);
    }
    close(sv[0]);
    pf.events = POLLIN | POLLRDHUP;
    T(poll(&pf, 1, -1));
    printf("poll after the last close: %#x\n", pf.revents);
    waitpid(child, NULL, 0);
    close(sv[1]);
}

/* pass PROG: a 64-bit (or 32-bit) parent gives a program of the other ABI a pipe through a socket. */
static int pass_to(const char *prog)
{
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        char fd[16];
        snprintf(fd, sizeof(fd), "%d", sv[1]);
        execl(prog, prog, "recvfd", fd, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    pipe(p); /* made after the fork: the child's only copies are the passed ones */
    int two[2] = {p[0], p[1]};
    send_fds(sv[0], two, 2);
    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &(int){1}, sizeof(int));
    close(p[0]);
    write(p[1], "across ABIs", 11);
    close(p[1]);
    char byte;
    struct ucred cr = {0};
    char control[CMSG_SPACE(sizeof(cr))];
    struct msghdr mh = {.msg_iov = &(struct iovec){&byte, 1}, .msg_iovlen = 1, .msg_control = control,
                        .msg_controllen = sizeof(control)};
    ssize_t n = recvmsg(sv[0], &mh, 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (c)
        memcpy(&cr, CMSG_DATA(c), sizeof(cr));
    printf("parent: answer %zd '%c', credentials of the child %d\n", n, n == 1 ? byte : '?', c && cr.pid == child);
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);
    return 0;
}

static int receive_from(int sock)
{
    char control[256];
    char byte;
    struct msghdr mh = {.msg_iov = &(struct iovec){&byte, 1}, .msg_iovlen = 1, .msg_control = control,
                        .msg_controllen = sizeof(control)};
    ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    printf("child (%zu-bit): recvmsg %zd controllen %zu\n", sizeof(void *) * 8, n, (size_t)mh.msg_controllen);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (!c || c->cmsg_type != SCM_RIGHTS) {
        printf("child: no descriptors\n");
        return 1;
    }
    int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    int fds[2];
    memcpy(fds, CMSG_DATA(c), sizeof(fds));
    printf("child: %d descriptors, cloexec %d\n", count, !!(fcntl(fds[0], F_GETFD) & FD_CLOEXEC));
    close(fds[1]);
    char buf[32] = {0};
    ssize_t got = 0, r;
    while ((r = read(fds[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
        got += r;
    printf("child read \"%s\"\n", buf);
    fflush(stdout);
    send(sock, "k", 1, 0);
    return 0;
}

/* ---- stress: threads on shared sockets ---- */

#define STRESS_THREADS 4
#define STRESS_MESSAGES 2000
#define STRESS_STREAM_BYTES 400000

struct stress_msg {
    uint32_t thread, seq, sum;
    uint8_t payload[52];
};

static uint32_t checksum(const struct stress_msg *m)
{
    uint32_t s = m->thread * 2654435761u ^ m->seq;
    for (size_t i = 0; i < sizeof(m->payload); i++)
        s = s * 31 + m->payload[i];
    return s;
}

static int stress_sock[2];
static unsigned char seen[STRESS_THREADS][STRESS_MESSAGES];
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static int bad_messages;

static void *stress_sender(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    for (uint32_t i = 0; i < STRESS_MESSAGES; i++) {
        struct stress_msg m = {.thread = id, .seq = i};
        for (size_t k = 0; k < sizeof(m.payload); k++)
            m.payload[k] = (uint8_t)(id * 7 + i * 13 + k);
        m.sum = checksum(&m);
        if (send(stress_sock[0], &m, sizeof(m), 0) != sizeof(m))
            __atomic_add_fetch(&bad_messages, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void *stress_receiver(void *arg)
{
    (void)arg;
    struct stress_msg m;
    while (recv(stress_sock[1], &m, sizeof(m), 0) == sizeof(m)) {
        if (m.thread == UINT32_MAX)
            break;
        bool ok = m.thread < STRESS_THREADS && m.seq < STRESS_MESSAGES && m.sum == checksum(&m);
        pthread_mutex_lock(&seen_lock);
        if (!ok)
            bad_messages++;
        else
            seen[m.thread][m.seq]++;
        pthread_mutex_unlock(&seen_lock);
    }
    return NULL;
}

static int stress_messages(int type, const char *name)
{
    memset(seen, 0, sizeof(seen));
    bad_messages = 0;
    socketpair(AF_UNIX, type, 0, stress_sock);
    pthread_t senders[STRESS_THREADS], receivers[STRESS_THREADS];
    for (int i = 0; i < STRESS_THREADS; i++) {
        pthread_create(&receivers[i], NULL, stress_receiver, NULL);
        pthread_create(&senders[i], NULL, stress_sender, (void *)(uintptr_t)i);
    }
    for (int i = 0; i < STRESS_THREADS; i++)
        pthread_join(senders[i], NULL);
    struct stress_msg stop = {.thread = UINT32_MAX};
    for (int i = 0; i < STRESS_THREADS; i++)
        send(stress_sock[0], &stop, sizeof(stop), 0);
    for (int i = 0; i < STRESS_THREADS; i++)
        pthread_join(receivers[i], NULL);
    int lost = 0, duplicated = 0;
    for (int t = 0; t < STRESS_THREADS; t++)
        for (int i = 0; i < STRESS_MESSAGES; i++)
            lost += seen[t][i] == 0, duplicated += seen[t][i] > 1;
    printf("%s %s: %d messages, %d lost, %d duplicated, %d bad\n", lost || duplicated || bad_messages ? "FAIL" : "ok",
           name, STRESS_THREADS * STRESS_MESSAGES, lost, duplicated, bad_messages);
    close(stress_sock[0]);
    close(stress_sock[1]);
    return lost || duplicated || bad_messages;
}

static void *stream_writer(void *arg)
{
    int fd = *(int *)arg;
    unsigned char buf[4000];
    uint32_t x = 1;
    for (long sent = 0; sent < STRESS_STREAM_BYTES;) {
        size_t n = (size_t)(x % sizeof(buf)) + 1;
        if (n > (size_t)(STRESS_STREAM_BYTES - sent))
            n = (size_t)(STRESS_STREAM_BYTES - sent);
        for (size_t i = 0; i < n; i++)
            buf[i] = (unsigned char)((sent + (long)i) * 7);
        ssize_t w = write(fd, buf, n);
        if (w <= 0)
            break;
        sent += w;
        x = x * 1103515245 + 12345;
    }
    shutdown(fd, SHUT_WR);
    return NULL;
}

static int stress_stream(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pthread_t w;
    pthread_create(&w, NULL, stream_writer, &sv[0]);
    unsigned char buf[3000];
    long got = 0;
    int bad = 0;
    ssize_t n;
    while ((n = read(sv[1], buf, sizeof(buf) - (size_t)(got % 7))) > 0) {
        for (ssize_t i = 0; i < n; i++)
            bad += buf[i] != (unsigned char)((got + i) * 7);
        got += n;
    }
    pthread_join(w, NULL);
    bool ok = got == STRESS_STREAM_BYTES && !bad;
    printf("%s stream: %ld bytes of %d in order, %d wrong\n", ok ? "ok" : "FAIL", got, STRESS_STREAM_BYTES, bad);
    close(sv[0]);
    close(sv[1]);
    return !ok;
}

static unsigned long free_kib(void)
{
    struct sysinfo si;
    sysinfo(&si);
    return si.freeram / 1024 * si.mem_unit;
}

static int cycles(int n, const struct sockaddr_un *a, socklen_t alen, int srv)
{
    int failures = 0;
    for (int i = 0; i < n; i++) {
        int sv[2];
        if (socketpair(AF_UNIX, i % 2 ? SOCK_STREAM : SOCK_DGRAM, 0, sv) < 0) {
            failures++;
            continue;
        }
        send(sv[0], "x", 1, MSG_DONTWAIT);
        if (i % 3 == 0) {
            /* Files in flight when both ends close go with the queue. */
            int p[2];
            pipe(p);
            send_fds(sv[0], p, 2);
            close(p[0]);
            close(p[1]);
        }
        close(sv[0]);
        close(sv[1]);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, (const struct sockaddr *)a, alen) < 0)
            failures++;
        write(c, "y", 1);
        int s = accept(srv, NULL, NULL);
        if (s < 0)
            failures++;
        if (i % 2)
            close(s), close(c);
        else
            close(c), close(s);
    }
    return failures;
}

static int leak(void)
{
    struct sockaddr_un a;
    socklen_t alen = abstract_addr(&a, "leak");
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(srv, (struct sockaddr *)&a, alen) < 0 || listen(srv, 8) < 0) {
        printf("FAIL listener: errno %d\n", errno);
        return 1;
    }
    int failures = cycles(200, &a, alen, srv); /* what the first round makes stays (the heap's pages) */
    int lowest = dup(0);
    close(lowest);
    unsigned long before = free_kib();
    failures += cycles(1000, &a, alen, srv);
    unsigned long after = free_kib();
    int lowest_after = dup(0);
    close(lowest_after);
    printf("%s 1000 cycles: %d failed\n", failures ? "FAIL" : "ok", failures);
    printf("%s lowest free descriptor as before: %d\n", lowest == lowest_after ? "ok" : "FAIL", lowest_after);
    bool kept = after + 64 >= before;
    printf("%s free memory within 64 KiB of where it started (%lu KiB before, %lu after)\n", kept ? "ok" : "FAIL",
           before, after);
    close(srv);
    return failures || lowest != lowest_after || !kept;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa = {.sa_handler = on_sigpipe};
    sigaction(SIGPIPE, &sa, NULL);
    if (argc > 2 && !strcmp(argv[1], "pass"))
        return pass_to(argv[2]);
    if (argc > 2 && !strcmp(argv[1], "recvfd"))
        return receive_from(atoi(argv[2]));
    if (argc > 1 && !strcmp(argv[1], "stress"))
        return stress_messages(SOCK_SEQPACKET, "seqpacket") | stress_messages(SOCK_DGRAM, "dgram") | stress_stream();
    if (argc > 1 && !strcmp(argv[1], "leak"))
        return leak();
    char dir[] = "/tmp/sockets-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0) {
        perror("scratch directory");
        return 1;
    }
    argument_checks();
    stream_pair();
    options();
    names_and_connections();
    datagrams();
    passing();
    selecting();
    unlink("plain-file");
    chdir("/");
    rmdir(dir);
    return 0;
}
