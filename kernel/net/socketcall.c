/*
 * The i386 socket calls: socketcall (102), the multiplexer every i386 libc
 * used before Linux 4.3 gave the calls numbers of their own, and the calls
 * whose structures have a 32-bit layout (msghdr, mmsghdr, the recvmmsg
 * timeout). socketcall copies only as many argument words as the call takes
 * (Linux's nargs table), so a short array at the end of memory still works.
 */
#include "compat.h"
#include "errno.h"
#include "lib.h"
#include "net.h"
#include "time.h"
#include "uaccess.h"

enum socketcall {
    SYS_SOCKET = 1,
    SYS_BIND,
    SYS_CONNECT,
    SYS_LISTEN,
    SYS_ACCEPT,
    SYS_GETSOCKNAME,
    SYS_GETPEERNAME,
    SYS_SOCKETPAIR,
    SYS_SEND,
    SYS_RECV,
    SYS_SENDTO,
    SYS_RECVFROM,
    SYS_SHUTDOWN,
    SYS_SETSOCKOPT,
    SYS_GETSOCKOPT,
    SYS_SENDMSG,
    SYS_RECVMSG,
    SYS_ACCEPT4,
    SYS_RECVMMSG,
    SYS_SENDMMSG,
};

#define SOCKETCALL_MAX_ARGS 6

/* Argument words of each call, by call number. */
static const u8 socketcall_nargs[SYS_SENDMMSG + 1] = {
    [SYS_SOCKET] = 3,      [SYS_BIND] = 3,        [SYS_CONNECT] = 3,     [SYS_LISTEN] = 2,
    [SYS_ACCEPT] = 3,      [SYS_GETSOCKNAME] = 3, [SYS_GETPEERNAME] = 3, [SYS_SOCKETPAIR] = 4,
    [SYS_SEND] = 4,        [SYS_RECV] = 4,        [SYS_SENDTO] = 6,      [SYS_RECVFROM] = 6,
    [SYS_SHUTDOWN] = 2,    [SYS_SETSOCKOPT] = 5,  [SYS_GETSOCKOPT] = 5,  [SYS_SENDMSG] = 3,
    [SYS_RECVMSG] = 3,     [SYS_ACCEPT4] = 4,     [SYS_RECVMMSG] = 5,    [SYS_SENDMMSG] = 4,
};

struct old_timespec32 {
    s32 tv_sec, tv_nsec;
};

/* A recvmmsg timeout: -1 for none, else nanoseconds; -EFAULT or -EINVAL on a bad one. */
static s64 timeout_ns(s64 sec, s64 nsec)
{
    if (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC)
        return -EINVAL;
    return sec * NSEC_PER_SEC + nsec;
}

long compat_sys_recvmmsg_time32(int fd, u32 vec, u32 vlen, u32 flags, u32 utimeout)
{
    s64 ns = -1;
    if (utimeout) {
        struct old_timespec32 ts;
        if (copy_from_user(&ts, compat_ptr(utimeout), sizeof(ts)))
            return -EFAULT;
        ns = timeout_ns(ts.tv_sec, ts.tv_nsec);
        if (ns < 0)
            return ns;
    }
    return do_recvmmsg(fd, compat_ptr(vec), vlen, flags, ns, true);
}

long compat_sys_recvmmsg_time64(int fd, u32 vec, u32 vlen, u32 flags, u32 utimeout)
{
    s64 ns = -1;
    if (utimeout) {
        struct timespec_k ts;
        if (copy_from_user(&ts, compat_ptr(utimeout), sizeof(ts)))
            return -EFAULT;
        ns = timeout_ns(ts.tv_sec, ts.tv_nsec);
        if (ns < 0)
            return ns;
    }
    return do_recvmmsg(fd, compat_ptr(vec), vlen, flags, ns, true);
}

long compat_sys_sendmsg(int fd, u32 msg, u32 flags) { return do_sendmsg(fd, compat_ptr(msg), flags, true); }
long compat_sys_recvmsg(int fd, u32 msg, u32 flags) { return do_recvmsg(fd, compat_ptr(msg), flags, true); }
long compat_sys_sendmmsg(int fd, u32 vec, u32 vlen, u32 flags) { return do_sendmmsg(fd, compat_ptr(vec), vlen, flags, true); }

long compat_sys_socketcall(int call, u32 uargs)
{
    if (call < SYS_SOCKET || call > SYS_SENDMMSG)
        return -EINVAL;
    u32 a[SOCKETCALL_MAX_ARGS] = {0};
    if (copy_from_user(a, compat_ptr(uargs), socketcall_nargs[call] * sizeof(u32)))
        return -EFAULT;
    int fd = (int)a[0];
    switch ((enum socketcall)call) {
    case SYS_SOCKET: return sys_socket((int)a[0], (int)a[1], (int)a[2]);
    case SYS_BIND: return sys_bind(fd, compat_ptr(a[1]), (int)a[2]);
    case SYS_CONNECT: return sys_connect(fd, compat_ptr(a[1]), (int)a[2]);
    case SYS_LISTEN: return sys_listen(fd, (int)a[1]);
    case SYS_ACCEPT: return sys_accept4(fd, compat_ptr(a[1]), compat_ptr(a[2]), 0);
    case SYS_GETSOCKNAME: return sys_getsockname(fd, compat_ptr(a[1]), compat_ptr(a[2]));
    case SYS_GETPEERNAME: return sys_getpeername(fd, compat_ptr(a[1]), compat_ptr(a[2]));
    case SYS_SOCKETPAIR: return sys_socketpair((int)a[0], (int)a[1], (int)a[2], compat_ptr(a[3]));
    case SYS_SEND: return sys_sendto(fd, compat_ptr(a[1]), a[2], a[3], NULL, 0);
    case SYS_RECV: return sys_recvfrom(fd, compat_ptr(a[1]), a[2], a[3], NULL, NULL);
    case SYS_SENDTO: return sys_sendto(fd, compat_ptr(a[1]), a[2], a[3], compat_ptr(a[4]), (int)a[5]);
    case SYS_RECVFROM: return sys_recvfrom(fd, compat_ptr(a[1]), a[2], a[3], compat_ptr(a[4]), compat_ptr(a[5]));
    case SYS_SHUTDOWN: return sys_shutdown(fd, (int)a[1]);
    case SYS_SETSOCKOPT: return sys_setsockopt(fd, (int)a[1], (int)a[2], compat_ptr(a[3]), (int)a[4]);
    case SYS_GETSOCKOPT: return sys_getsockopt(fd, (int)a[1], (int)a[2], compat_ptr(a[3]), compat_ptr(a[4]));
    case SYS_SENDMSG: return compat_sys_sendmsg(fd, a[1], a[2]);
    case SYS_RECVMSG: return compat_sys_recvmsg(fd, a[1], a[2]);
    case SYS_ACCEPT4: return sys_accept4(fd, compat_ptr(a[1]), compat_ptr(a[2]), (int)a[3]);
    case SYS_RECVMMSG: return compat_sys_recvmmsg_time32(fd, a[1], a[2], a[3], a[4]);
    case SYS_SENDMMSG: return compat_sys_sendmmsg(fd, a[1], a[2], a[3]);
    }
    return -EINVAL;
}
