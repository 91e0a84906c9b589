/*
 * The i386 socket interface through raw int $0x80, from a 32-bit program
 * and from a 64-bit one alike (which gets the i386 calls through that gate):
 * socketcall (102) with its argument checks (call numbers outside 1..20,
 * an unreadable argument array, an array that ends just before unmapped
 * memory and is still read only as far as the call needs), the direct
 * numbers 359-373 and recvmmsg/sendmmsg, and the 32-bit msghdr, cmsg and
 * timeval layouts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define NR_SOCKETCALL 102
#define NR_RECVMMSG_32 337
#define NR_SENDMMSG_32 345
#define NR_SOCKET_32 359
#define NR_SOCKETPAIR_32 360
#define NR_GETSOCKOPT_32 365
#define NR_SENDMSG_32 370
#define NR_RECVMSG_32 372
#define NR_SHUTDOWN_32 373
enum { SC_SOCKET = 1, SC_BIND = 2, SC_LISTEN = 4, SC_ACCEPT = 5, SC_GETSOCKNAME = 6, SC_SOCKETPAIR = 8,
       SC_SEND = 9, SC_RECV = 10, SC_SENDTO = 11, SC_SHUTDOWN = 13, SC_SETSOCKOPT = 14, SC_GETSOCKOPT = 15,
       SC_SENDMSG = 16, SC_RECVMSG = 17, SC_ACCEPT4 = 18, SC_RECVMMSG = 19, SC_SENDMMSG = 20 };

static long int80(long nr, long a, long b, long c, long d, long e)
{
    long r;
#ifdef __x86_64__
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e) : "memory");
#else
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e) : "memory");
#endif
    return r;
}

static long show(const char *what, long r)
{
    if (r < 0 && r > -4096)
        printf("%s = -errno %ld\n", what, -r);
    else
        printf("%s = %ld\n", what, r);
    return r;
}
#define T(expr) show(#expr, (expr))

/* Memory below 4 GiB, which the 32-bit gate can address from a 64-bit program too. */
static uint8_t *low;
static uint32_t addr32(const void *p) { return (uint32_t)(uintptr_t)p; }

static long sc(int call, const uint32_t *args, int n)
{
    uint32_t *a = (uint32_t *)(low + 1024);
    memcpy(a, args, sizeof(uint32_t) * (size_t)n);
    return int80(NR_SOCKETCALL, call, addr32(a), 0, 0, 0);
}
#define SC(call, ...) sc(call, (uint32_t[]){__VA_ARGS__}, sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

struct msghdr32 {
    uint32_t name, namelen, iov, iovlen, control, controllen, flags;
};
struct iovec32 {
    uint32_t base, len;
};
struct cmsghdr32 {
    uint32_t len, level, type;
};

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    low = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS
#ifdef __x86_64__
               | MAP_32BIT
#endif
               , -1, 0);
    if (low == MAP_FAILED)
        return 1;
    munmap(low + 2 * 4096, 4096); /* the array-at-the-edge tests need a hole after the second page */

    printf("-- socketcall's own checks\n");
    T(SC(0, 1, 1, 0));
    T(SC(21, 1, 1, 0));
    T(SC(-1, 1, 1, 0));
    T(SC(1000, 1, 1, 0));
    T(int80(NR_SOCKETCALL, SC_SOCKET, 16, 0, 0, 0));
    T(int80(NR_SOCKETCALL, SC_SOCKET, addr32(low + 2 * 4096), 0, 0, 0));
    uint32_t *edge = (uint32_t *)(low + 2 * 4096 - 3 * sizeof(uint32_t));
    edge[0] = AF_UNIX, edge[1] = SOCK_STREAM, edge[2] = 0;
    long s = T(int80(NR_SOCKETCALL, SC_SOCKET, addr32(edge), 0, 0, 0)); /* three words, all readable */
    T(int80(NR_SOCKETCALL, SC_SENDTO, addr32(edge), 0, 0, 0));           /* six: past the edge */
    uint32_t *edge2 = (uint32_t *)(low + 2 * 4096 - 2 * sizeof(uint32_t));
    edge2[0] = (uint32_t)s, edge2[1] = SHUT_RDWR;
    T(int80(NR_SOCKETCALL, SC_SHUTDOWN, addr32(edge2), 0, 0, 0));
    T(int80(NR_SOCKETCALL, SC_SOCKETPAIR, addr32(edge2), 0, 0, 0));

    printf("-- calls through socketcall\n");
    T(SC(SC_SOCKET, AF_UNIX, SOCK_STREAM, 99));
    T(SC(SC_SOCKET, 46, SOCK_STREAM, 0));
    T(SC(SC_SOCKET, AF_UNIX, 77, 0));
    int pfd[2];
    pipe(pfd);
    T(SC(SC_BIND, (uint32_t)pfd[0], addr32(low), 3));
    T(SC(SC_LISTEN, 999, 1));
    T(SC(SC_ACCEPT4, (uint32_t)s, 0, 0, 0x4321));
    uint32_t *sv = (uint32_t *)(low + 2048);
    T(SC(SC_SOCKETPAIR, AF_UNIX, SOCK_DGRAM, 0, addr32(sv)));
    T(SC(SC_SEND, sv[0], addr32("datagram"), 8, 0));
    char *buf = (char *)(low + 3000);
    T(SC(SC_RECV, sv[1], addr32(buf), 4, MSG_TRUNC));
    uint32_t *len = (uint32_t *)(low + 2100);
    uint32_t *val = (uint32_t *)(low + 2104);
    *len = 4;
    T(SC(SC_GETSOCKOPT, sv[0], SOL_SOCKET, SO_TYPE, addr32(val), addr32(len)));
    printf("SO_TYPE %u len %u\n", val[0], *len);
    val[0] = 1, val[1] = 500000; /* a 32-bit timeval */
    T(SC(SC_SETSOCKOPT, sv[1], SOL_SOCKET, SO_RCVTIMEO, addr32(val), 8));
    T(SC(SC_SETSOCKOPT, sv[1], SOL_SOCKET, SO_RCVTIMEO, addr32(val), 7));
    val[0] = val[1] = 0;
    *len = 16;
    T(SC(SC_GETSOCKOPT, sv[1], SOL_SOCKET, SO_RCVTIMEO, addr32(val), addr32(len)));
    printf("SO_RCVTIMEO %u.%06u len %u\n", val[0], val[1], *len);
    *len = 16;
    T(SC(SC_GETSOCKNAME, sv[0], addr32(val), addr32(len)));
    printf("name len %u family %u\n", *len, val[0] & 0xffff);

    /* sendmsg and recvmsg with the 32-bit msghdr, and a descriptor in a 32-bit cmsg. */
    struct iovec32 *iov = (struct iovec32 *)(low + 2200);
    iov[0] = (struct iovec32){addr32("ab"), 2};
    iov[1] = (struct iovec32){addr32("cde"), 3};
    struct cmsghdr32 *cm = (struct cmsghdr32 *)(low + 2300);
    *cm = (struct cmsghdr32){sizeof(*cm) + 4, SOL_SOCKET, 1 /* SCM_RIGHTS */};
    memcpy(cm + 1, &pfd[1], 4);
    struct msghdr32 *mh = (struct msghdr32 *)(low + 2400);
    *mh = (struct msghdr32){0, 0, addr32(iov), 2, addr32(cm), sizeof(*cm) + 4, 0};
    T(SC(SC_SENDMSG, sv[0], addr32(mh), 0));
    memset(buf, 0, 16);
    iov[0] = (struct iovec32){addr32(buf), 16};
    memset(cm, 0, 32);
    *mh = (struct msghdr32){0, 0, addr32(iov), 1, addr32(cm), 32, 0};
    T(SC(SC_RECVMSG, sv[1], addr32(mh), MSG_CMSG_CLOEXEC));
    printf("got \"%s\" controllen %u flags %#x cmsg len %u level %u type %u\n", buf, mh->controllen, mh->flags,
           cm->len, cm->level, cm->type);
    int passed;
    memcpy(&passed, cm + 1, 4);
    T(write(passed, "P", 1));
    T(read(pfd[0], buf, 1));
    close(passed);
    T(SC(SC_RECVMSG, sv[1], 16, 0));
    T(SC(SC_SENDMSG, sv[0], addr32(low + 2 * 4096 - 8), 0));

    printf("-- the direct i386 numbers\n");
    long d = T(int80(NR_SOCKET_32, AF_UNIX, SOCK_SEQPACKET, 0, 0, 0));
    T(int80(NR_SHUTDOWN_32, d, 7, 0, 0, 0));
    T(int80(NR_SHUTDOWN_32, pfd[0], 0, 0, 0, 0));
    T(int80(NR_SOCKETPAIR_32, AF_UNIX, SOCK_SEQPACKET, 0, addr32(sv), 0));
    *len = 4;
    T(int80(NR_GETSOCKOPT_32, sv[0], SOL_SOCKET, SO_TYPE, addr32(val), addr32(len)));
    iov[0] = (struct iovec32){addr32("packet"), 6};
    *mh = (struct msghdr32){0, 0, addr32(iov), 1, 0, 0, 0};
    T(int80(NR_SENDMSG_32, sv[0], addr32(mh), 0, 0, 0));
    /* Two messages with sendmmsg (32-bit mmsghdr: msghdr then the length), back with recvmmsg. */
    uint32_t *mm = (uint32_t *)(low + 2600);
    memset(mm, 0, 64);
    memcpy(mm, mh, sizeof(*mh));
    memcpy(mm + 8, mh, sizeof(*mh));
    T(int80(NR_SENDMMSG_32, sv[0], addr32(mm), 2, 0, 0));
    printf("sent lengths %u %u\n", mm[7], mm[15]);
    iov[0] = (struct iovec32){addr32(buf), 16};
    *mh = (struct msghdr32){0, 0, addr32(iov), 1, 0, 0, 0};
    memset(mm, 0, 64);
    memcpy(mm, mh, sizeof(*mh));
    memcpy(mm + 8, mh, sizeof(*mh));
    T(int80(NR_RECVMSG_32, sv[1], addr32(mh), 0, 0, 0));
    int32_t *ts = (int32_t *)(low + 2800);
    ts[0] = 5, ts[1] = 0;
    T(int80(NR_RECVMMSG_32, sv[1], addr32(mm), 2, MSG_DONTWAIT, addr32(ts)));
    printf("received lengths %u %u\n", mm[7], mm[15]);
    ts[1] = -1;
    T(int80(NR_RECVMMSG_32, sv[1], addr32(mm), 2, MSG_DONTWAIT, addr32(ts)));
    T(SC(SC_RECVMMSG, sv[1], addr32(mm), 2, MSG_DONTWAIT, 0));
    T(SC(SC_SENDMMSG, sv[0], addr32(mm), 1, 0));
    return 0;
}
