/* i386's socketcall(call, args) shown as strace shows it: as the socket
 * call it carries, with that call's arguments read from the user's array
 * (socket(AF_UNIX, SOCK_STREAM, 0) = 3); the line's gate mark then names
 * socketcall (docs/tracing.md). */
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

#define I386_NR_SOCKETCALL 102
#define SOCKETCALL_MAX_ARGS 6

/* Linux's SYS_* numbers (<linux/net.h>), the call each carries and how
 * many words of the array it takes. */
static const struct {
    const char *name;
    u8 count;
} subcalls[] = {
    [1] = {"socket", 3},      [2] = {"bind", 3},        [3] = {"connect", 3},     [4] = {"listen", 2},
    [5] = {"accept", 3},      [6] = {"getsockname", 3}, [7] = {"getpeername", 3}, [8] = {"socketpair", 4},
    [9] = {"send", 4},        [10] = {"recv", 4},       [11] = {"sendto", 6},     [12] = {"recvfrom", 6},
    [13] = {"shutdown", 2},   [14] = {"setsockopt", 5}, [15] = {"getsockopt", 5}, [16] = {"sendmsg", 3},
    [17] = {"recvmsg", 3},    [18] = {"accept4", 4},    [19] = {"recvmmsg", 5},   [20] = {"sendmmsg", 4},
};

/* The two that neither ABI has as a call of its own. */
static const struct trace_call send_call = {
    "send", TRACE_RESULT_INT, 4, {{TRACE_ARG_FD, 0}, {TRACE_ARG_IBUF, 3}, {TRACE_ARG_ULONG, 0}, {TRACE_ARG_HEX, 0}}};
static const struct trace_call recv_call = {
    "recv", TRACE_RESULT_INT, 4, {{TRACE_ARG_FD, 0}, {TRACE_ARG_OBUF, 3}, {TRACE_ARG_ULONG, 0}, {TRACE_ARG_HEX, 0}}};

static const struct trace_call *described(const char *name)
{
    if (!strcmp(name, "send"))
        return &send_call;
    if (!strcmp(name, "recv"))
        return &recv_call;
    for (int abi = 0; abi < 2; abi++) { /* i386's own description first; accept only x86-64 has */
        bool compat = abi == 0;
        const struct trace_call *table = compat ? trace_calls_32 : trace_calls_64;
        for (unsigned nr = 0; nr < trace_call_count(compat); nr++)
            if (table[nr].name && !strcmp(table[nr].name, name))
                return &table[nr];
    }
    return NULL;
}

const struct trace_call *trace_socketcall(bool compat, unsigned nr, u64 args[6])
{
    if (!compat || nr != I386_NR_SOCKETCALL)
        return NULL;
    u32 call = (u32)args[0];
    if (call >= ARRAY_SIZE(subcalls) || !subcalls[call].name)
        return NULL;
    u32 words[SOCKETCALL_MAX_ARGS];
    if (copy_from_user(words, (const void __user *)(u64)(u32)args[1], subcalls[call].count * sizeof(u32)))
        return NULL; /* shown as socketcall itself, its array's address */
    const struct trace_call *carried = described(subcalls[call].name);
    if (!carried)
        return NULL;
    for (unsigned i = 0; i < 6; i++)
        args[i] = i < subcalls[call].count ? words[i] : 0;
    return carried;
}
