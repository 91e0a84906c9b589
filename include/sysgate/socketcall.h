/*
 * i386's socketcall(2) multiplexer: one system call (102) for every socket
 * operation, its arguments in an array in user memory, the operation a
 * number (Linux's include/uapi/linux/net.h). 32-bit programs used it for
 * everything until Linux 4.3 gave i386 a number per call; libc now prefers
 * those, so a program that wants this path (the MenuOS lab traces it) calls
 * it itself. From 64-bit code the call goes through int $0x80 with the
 * array's address truncated to 32 bits, as on Linux.
 *
 *   long sg_socketcall(int call, const uint32_t *args)   -1 and errno
 *
 * The array holds i386 words (32 bits) whichever ABI calls.
 */
#ifndef SYSGATE_SOCKETCALL_H
#define SYSGATE_SOCKETCALL_H

#include <stdint.h>
#include <sysgate/syscall.h>

#define SG_SYS_SOCKET 1
#define SG_SYS_BIND 2
#define SG_SYS_CONNECT 3
#define SG_SYS_LISTEN 4
#define SG_SYS_ACCEPT 5
#define SG_SYS_GETSOCKNAME 6
#define SG_SYS_GETPEERNAME 7
#define SG_SYS_SOCKETPAIR 8
#define SG_SYS_SEND 9
#define SG_SYS_RECV 10
#define SG_SYS_SENDTO 11
#define SG_SYS_RECVFROM 12
#define SG_SYS_SHUTDOWN 13
#define SG_SYS_SETSOCKOPT 14
#define SG_SYS_GETSOCKOPT 15
#define SG_SYS_SENDMSG 16
#define SG_SYS_RECVMSG 17
#define SG_SYS_ACCEPT4 18
#define SG_SYS_RECVMMSG 19
#define SG_SYS_SENDMMSG 20

#define SG_I386_SOCKETCALL 102 /* the same number in every i386 kernel since 1.0 */

static inline long sg_socketcall(int call, const uint32_t *args)
{
    return sg_syscall_int80(SG_I386_SOCKETCALL, call, (long)args);
}

#endif
