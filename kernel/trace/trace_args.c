/* The argument printers that syscall_args.tbl names, as strace -s 32 prints
 * each kind: numbers, strings and buffers, flags and constants. The
 * structures are in trace_structs.c. */
#include "errno.h"
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

#define AT_FDCWD (-100)
#define OPEN_CREATES 0100 /* O_CREAT: open's mode means something */
#define OPEN_TMPFILE 020200000
#define FCNTL_ARG_NONE 0 /* what fcntl's third argument is, by command */
#define FCNTL_ARG_INT 1
#define FCNTL_ARG_FDFLAGS 2
#define FCNTL_ARG_OFLAGS 3
#define FCNTL_ARG_PTR 4
#define FD_CLOEXEC_FLAG 1
#define FUTEX_PRIVATE 128
#define FUTEX_CLOCK_REALTIME 256
#define CLONE_SIGNAL_MASK 0xff
#define ARGV_SHOWN_MAX 32 /* strace -s also limits how many elements an array shows */
#define ENV_COUNT_MAX 4096
#define ESCAPE_CHUNK 64
#define MOUNT_MAGIC 0xc0ed0000ul /* MS_MGC_VAL, which old callers still pass */
#define MOUNT_MAGIC_MASK 0xffff0000ul

u64 trace_arg_value(const struct trace_ctx *ctx, unsigned index)
{
    u64 v = ctx->args[index];
    return ctx->compat ? (u32)v : v;
}

void trace_print_ptr(struct seq_buf *out, u64 value)
{
    if (value)
        seq_printf(out, "0x%lx", value);
    else
        seq_printf(out, "NULL");
}

/* strace's quoting: printable ASCII as it is, the usual C escapes, other
 * bytes in octal (three digits when a digit follows, so that it reads back). */
static void quote_bytes(struct seq_buf *out, const u8 *bytes, size_t len, bool more_follows_digit_check,
                        u8 next_byte)
{
    for (size_t i = 0; i < len; i++) {
        u8 c = bytes[i];
        u8 next = i + 1 < len ? bytes[i + 1] : next_byte;
        switch (c) {
        case '"': seq_printf(out, "\\\""); continue;
        case '\\': seq_printf(out, "\\\\"); continue;
        case '\t': seq_printf(out, "\\t"); continue;
        case '\n': seq_printf(out, "\\n"); continue;
        case '\v': seq_printf(out, "\\v"); continue;
        case '\f': seq_printf(out, "\\f"); continue;
        case '\r': seq_printf(out, "\\r"); continue;
        }
        if (c >= ' ' && c < 0x7f)
            seq_printf(out, "%c", c);
        else if ((i + 1 < len || more_follows_digit_check) && next >= '0' && next <= '7')
            seq_printf(out, "\\%03o", c);
        else
            seq_printf(out, "\\%o", c);
    }
}

void trace_print_user_string(struct seq_buf *out, u64 address, u64 len, bool nul_terminated, u64 max)
{
    if (!address) {
        seq_printf(out, "NULL");
        return;
    }
    u64 shown = MIN(len, max);
    u8 chunk[ESCAPE_CHUNK + 1];
    if (shown && copy_from_user(chunk, (const void __user *)address, 1)) {
        trace_print_ptr(out, address); /* nothing readable: the address, as strace shows it */
        return;
    }
    /* read in chunks, so that a long path needs no long buffer; a string
     * that ends before an unmapped page is still read to its end */
    seq_printf(out, "\"");
    u64 done = 0;
    bool ended = false;
    while (done < shown && !ended) {
        size_t want = (size_t)MIN(shown - done, (u64)ESCAPE_CHUNK);
        size_t got = want;
        if (copy_from_user(chunk, (const void __user *)(address + done), want)) /* near the end of the mapping */
            for (got = 0; got < want && !copy_from_user(chunk + got, (const void __user *)(address + done + got), 1);)
                got++;
        if (got == 0) {
            ended = true;
            break;
        }
        if (nul_terminated) {
            size_t n = strnlen((const char *)chunk, got);
            if (n < got) {
                got = n;
                ended = true;
            }
        }
        u8 next = 0;
        bool check_next = done + got < shown && !ended;
        if (check_next && copy_from_user(&next, (const void __user *)(address + done + got), 1))
            check_next = false;
        quote_bytes(out, chunk, got, check_next, next);
        done += got;
        if (got < want)
            ended = true;
    }
    seq_printf(out, "\"");
    if (ended)
        return;
    if (nul_terminated) {
        u8 c;
        if (done < len && !copy_from_user(&c, (const void __user *)(address + done), 1) && c)
            seq_printf(out, "...");
    } else if (done < len) {
        seq_printf(out, "...");
    }
}

void trace_print_user_hex(struct seq_buf *out, u64 address, u64 len, u64 max)
{
    u8 chunk[ESCAPE_CHUNK];
    u64 shown = MIN(len, max);
    if (!address || shown > sizeof(chunk) || copy_from_user(chunk, (const void __user *)address, shown)) {
        trace_print_ptr(out, address);
        return;
    }
    seq_printf(out, "\"");
    for (u64 i = 0; i < shown; i++)
        seq_printf(out, "\\x%02x", chunk[i]);
    seq_printf(out, "\"%s", shown < len ? "..." : "");
}

static void print_argv(const struct trace_ctx *ctx, u64 address)
{
    if (!address) {
        seq_printf(ctx->out, "NULL");
        return;
    }
    size_t word = ctx->compat ? 4 : 8;
    u64 first = 0;
    if (copy_from_user(&first, (const void __user *)address, word)) {
        trace_print_ptr(ctx->out, address); /* not even one element: the address, as strace */
        return;
    }
    seq_printf(ctx->out, "[");
    for (unsigned i = 0;; i++) {
        u64 element = 0;
        if (copy_from_user(&element, (const void __user *)(address + i * word), word)) {
            seq_printf(ctx->out, "%s0x%lx", i ? ", " : "", address + i * word);
            break;
        }
        if (!element)
            break;
        if (i == ARGV_SHOWN_MAX) {
            seq_printf(ctx->out, ", ...");
            break;
        }
        if (i)
            seq_printf(ctx->out, ", ");
        trace_print_user_string(ctx->out, element, TRACE_STRING_MAX + 1, true, TRACE_STRING_MAX);
    }
    seq_printf(ctx->out, "]");
}

static void print_envp(const struct trace_ctx *ctx, u64 address)
{
    if (!address) {
        seq_printf(ctx->out, "NULL");
        return;
    }
    size_t word = ctx->compat ? 4 : 8;
    unsigned count = 0;
    for (u64 element = 1; count < ENV_COUNT_MAX; count++) {
        element = 0;
        if (copy_from_user(&element, (const void __user *)(address + count * word), word) || !element)
            break;
    }
    seq_printf(ctx->out, "0x%lx /* %u var%s */", address, count, count == 1 ? "" : "s");
}

static void print_open_flags(struct seq_buf *out, u64 flags)
{
    static const char *const access[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    seq_printf(out, "%s", access[flags & 3]);
    flags &= ~3ul;
    if (flags) {
        seq_printf(out, "|");
        trace_print_flags(out, trace_open_flags, flags, NULL);
    }
}

static void print_decimal(struct seq_buf *out, const struct trace_ctx *ctx, u64 v, bool is_signed)
{
    if (is_signed)
        seq_printf(out, "%ld", ctx->compat ? (long)(s32)v : (long)v);
    else
        seq_printf(out, "%lu", ctx->compat ? (u64)(u32)v : v);
}

static int fcntl_arg_kind(u64 cmd)
{
    switch (cmd) {
    case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034: /* the F_GET* without an argument */
        return FCNTL_ARG_NONE;
    case 2:
        return FCNTL_ARG_FDFLAGS;
    case 4:
        return FCNTL_ARG_OFLAGS;
    case 5: case 6: case 7: case 12: case 13: case 14: case 15: case 16: case 36: case 37: case 38:
        return FCNTL_ARG_PTR;
    default:
        return FCNTL_ARG_INT;
    }
}

/* clone(child_stack=..., flags=..., parent_tid=..., tls=..., child_tidptr=...),
 * the last three only when the flags use them, as strace shows it. x86-64
 * passes flags, stack, parent_tid, child_tid, tls; i386 tls before child_tid. */
#define CLONE_SETTLS_FLAG 0x80000
#define CLONE_PARENT_SETTID_FLAG 0x100000
#define CLONE_CHILD_TID_FLAGS 0x1200000 /* CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID */
static void print_clone(const struct trace_ctx *ctx)
{
    struct seq_buf *out = ctx->out;
    u64 flags = trace_arg_value(ctx, 0);
    u64 tls = trace_arg_value(ctx, ctx->compat ? 3 : 4), child_tid = trace_arg_value(ctx, ctx->compat ? 4 : 3);
    seq_printf(out, "child_stack=");
    trace_print_ptr(out, trace_arg_value(ctx, 1));
    seq_printf(out, ", flags=");
    struct trace_arg flags_arg = {TRACE_ARG_CLONEFLAGS, 0};
    trace_print_arg(ctx, &flags_arg, 0);
    if (flags & CLONE_PARENT_SETTID_FLAG) {
        seq_printf(out, ", parent_tid=");
        trace_print_ptr(out, trace_arg_value(ctx, 2));
    }
    if (flags & CLONE_SETTLS_FLAG) {
        seq_printf(out, ", tls=");
        trace_print_ptr(out, tls);
    }
    if (flags & CLONE_CHILD_TID_FLAGS) {
        seq_printf(out, ", child_tidptr=");
        trace_print_ptr(out, child_tid);
    }
}

/* futex(uaddr, op, ...): what follows the operation, as strace shows it:
 * only the arguments the operation reads. */
enum futex_shown { FUTEX_SHOWS_NOTHING, FUTEX_SHOWS_VAL, FUTEX_SHOWS_TIMEOUT, FUTEX_SHOWS_VAL_TIMEOUT,
                   FUTEX_SHOWS_REQUEUE, FUTEX_SHOWS_CMP_REQUEUE, FUTEX_SHOWS_WAIT_BITSET, FUTEX_SHOWS_WAKE_BITSET,
                   FUTEX_SHOWS_WAIT_REQUEUE_PI };
#define FUTEX_OP_MASK 0x7f
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

static enum futex_shown futex_shows(u32 op)
{
    static const u8 shown[] = {
        [0] = FUTEX_SHOWS_VAL_TIMEOUT, [1] = FUTEX_SHOWS_VAL,           [2] = FUTEX_SHOWS_VAL,
        [3] = FUTEX_SHOWS_REQUEUE,     [4] = FUTEX_SHOWS_CMP_REQUEUE,   [5] = FUTEX_SHOWS_CMP_REQUEUE,
        [6] = FUTEX_SHOWS_TIMEOUT,     [7] = FUTEX_SHOWS_NOTHING,       [8] = FUTEX_SHOWS_NOTHING,
        [9] = FUTEX_SHOWS_WAIT_BITSET, [10] = FUTEX_SHOWS_WAKE_BITSET,  [11] = FUTEX_SHOWS_WAIT_REQUEUE_PI,
        [12] = FUTEX_SHOWS_CMP_REQUEUE, [13] = FUTEX_SHOWS_TIMEOUT,
    };
    op &= FUTEX_OP_MASK;
    return op < ARRAY_SIZE(shown) ? (enum futex_shown)shown[op] : FUTEX_SHOWS_CMP_REQUEUE;
}

static void print_futex_args(const struct trace_ctx *ctx, u32 op, bool narrow)
{
    struct seq_buf *out = ctx->out;
    u32 val = (u32)ctx->args[2], val3 = (u32)ctx->args[5];
    u64 timeout = trace_arg_value(ctx, 3), uaddr2 = trace_arg_value(ctx, 4);
    switch (futex_shows(op)) {
    case FUTEX_SHOWS_NOTHING:
        return;
    case FUTEX_SHOWS_VAL:
        seq_printf(out, "%d", (int)val);
        return;
    case FUTEX_SHOWS_TIMEOUT:
        trace_print_timespec(out, timeout, narrow);
        return;
    case FUTEX_SHOWS_VAL_TIMEOUT:
        seq_printf(out, "%d, ", (int)val);
        trace_print_timespec(out, timeout, narrow);
        return;
    case FUTEX_SHOWS_REQUEUE: /* the timeout's place holds a count */
        seq_printf(out, "%d, %d, ", (int)val, (int)(u32)timeout);
        trace_print_ptr(out, uaddr2);
        return;
    case FUTEX_SHOWS_CMP_REQUEUE:
        seq_printf(out, "%d, %d, ", (int)val, (int)(u32)timeout);
        trace_print_ptr(out, uaddr2);
        seq_printf(out, ", %d", (int)val3);
        return;
    case FUTEX_SHOWS_WAIT_BITSET:
    case FUTEX_SHOWS_WAKE_BITSET:
        seq_printf(out, "%d, ", (int)val);
        if (futex_shows(op) == FUTEX_SHOWS_WAIT_BITSET) {
            trace_print_timespec(out, timeout, narrow);
            seq_printf(out, ", ");
        }
        if (val3 == FUTEX_BITSET_MATCH_ANY)
            seq_printf(out, "FUTEX_BITSET_MATCH_ANY");
        else
            seq_printf(out, "0x%x", val3);
        return;
    case FUTEX_SHOWS_WAIT_REQUEUE_PI:
        seq_printf(out, "%d, ", (int)val);
        trace_print_timespec(out, timeout, narrow);
        seq_printf(out, ", ");
        trace_print_ptr(out, uaddr2);
        return;
    }
}

bool trace_arg_absent(const struct trace_ctx *ctx, const struct trace_arg *arg)
{
    switch (arg->type) {
    case TRACE_ARG_SKIP:
        return true;
    case TRACE_ARG_OPENMODE: {
        u64 flags = ctx->args[arg->companion - 1];
        return !(flags & OPEN_CREATES) && (flags & OPEN_TMPFILE) != OPEN_TMPFILE;
    }
    case TRACE_ARG_FCNTLARG:
        return fcntl_arg_kind((u32)ctx->args[arg->companion - 1]) == FCNTL_ARG_NONE;
    case TRACE_ARG_FUTEXARGS:
    case TRACE_ARG_FUTEXARGS64:
        return futex_shows((u32)ctx->args[arg->companion - 1]) == FUTEX_SHOWS_NOTHING;
    default:
        return false;
    }
}

static void print_ioctl_request(struct seq_buf *out, u32 request)
{
    static const struct trace_name requests[] = {
        {0x5401, "TCGETS"},     {0x5402, "TCSETS"},     {0x5403, "TCSETSW"},    {0x5404, "TCSETSF"},
        {0x540f, "TIOCGPGRP"},  {0x5410, "TIOCSPGRP"},  {0x5413, "TIOCGWINSZ"}, {0x5414, "TIOCSWINSZ"},
        {0x541b, "FIONREAD"},   {0x5421, "FIONBIO"},    {0x5450, "FIONCLEX"},   {0x5451, "FIOCLEX"},
        {0x5429, "TIOCGSID"},   {0x540e, "TIOCSCTTY"},  {0, NULL},
    };
    for (const struct trace_name *n = requests; n->name; n++) {
        if (n->value == request) {
            seq_printf(out, "%s", n->name);
            return;
        }
    }
    seq_printf(out, "0x%x", request);
}

void trace_print_personality(struct seq_buf *out, u64 value)
{
    for (const struct trace_name *n = trace_personalities; n->name; n++) {
        if (n->value == (u32)value) {
            seq_printf(out, "%s", n->name);
            return;
        }
    }
    seq_printf(out, "0x%x", (u32)value); /* 0xffffffff: the query */
}

void trace_print_arg(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index)
{
    struct seq_buf *out = ctx->out;
    u64 v = trace_arg_value(ctx, index);
    u64 companion = arg->companion ? trace_arg_value(ctx, arg->companion - 1u) : 0;
    bool failed = IS_ERR_VALUE(ctx->result);
    switch ((enum trace_arg_type)arg->type) {
    case TRACE_ARG_INT:
    case TRACE_ARG_FD:
        seq_printf(out, "%d", (int)v);
        return;
    case TRACE_ARG_UINT:
        seq_printf(out, "%u", (u32)v);
        return;
    case TRACE_ARG_LONG:
        print_decimal(out, ctx, v, true);
        return;
    case TRACE_ARG_ULONG:
        print_decimal(out, ctx, v, false);
        return;
    case TRACE_ARG_HEX:
        if (v)
            seq_printf(out, "0x%lx", v);
        else
            seq_printf(out, "0");
        return;
    case TRACE_ARG_PTR:
        trace_print_ptr(out, v);
        return;
    case TRACE_ARG_DIRFD:
        if ((int)v == AT_FDCWD)
            seq_printf(out, "AT_FDCWD");
        else
            seq_printf(out, "%d", (int)v);
        return;
    case TRACE_ARG_MODE:
    case TRACE_ARG_OPENMODE:
        seq_printf(out, "0%02o", (u32)v);
        return;
    case TRACE_ARG_PATH:
        trace_print_user_string(out, v, TRACE_PATH_MAX, true, TRACE_PATH_MAX);
        return;
    case TRACE_ARG_STR:
        trace_print_user_string(out, v, TRACE_STRING_MAX + 1, true, TRACE_STRING_MAX);
        return;
    case TRACE_ARG_IBUF:
        trace_print_user_string(out, v, companion, false, TRACE_STRING_MAX);
        return;
    case TRACE_ARG_OBUF:
        if (failed)
            trace_print_ptr(out, v);
        else
            trace_print_user_string(out, v, (u64)ctx->result, false, TRACE_STRING_MAX);
        return;
    case TRACE_ARG_OSTR:
        if (failed)
            trace_print_ptr(out, v);
        else
            trace_print_user_string(out, v, (u64)ctx->result, true, TRACE_PATH_MAX);
        return;
    case TRACE_ARG_LLHIGH:
        seq_printf(out, "%ld", (long)((v << 32) | (u32)companion));
        return;
    case TRACE_ARG_SKIP:
        return;
    case TRACE_ARG_ARGV:
        print_argv(ctx, v);
        return;
    case TRACE_ARG_ENVP:
        print_envp(ctx, v);
        return;
    case TRACE_ARG_OFLAGS:
        print_open_flags(out, (u32)v);
        return;
    case TRACE_ARG_FDFLAGS:
        trace_print_flags(out, trace_open_flags, (u32)v, "O_???");
        return;
    case TRACE_ARG_SOCKFLAGS:
        trace_print_flags(out, trace_sockflags, (u32)v, NULL);
        return;
    case TRACE_ARG_ATFLAGS:
        trace_print_flags(out, trace_at_flags, (u32)v, "AT_???");
        return;
    case TRACE_ARG_STATXFLAGS: {
        static const char *const sync_types[] = {"AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC", "AT_STATX_DONT_SYNC",
                                                 "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC"};
        u32 flags = (u32)v;
        seq_printf(out, "%s", sync_types[(flags >> 13) & 3]);
        flags &= ~0x6000u;
        if (flags) {
            seq_printf(out, "|");
            trace_print_flags(out, trace_at_flags, flags, NULL);
        }
        return;
    }
    case TRACE_ARG_PROT:
        if ((u32)v == 0)
            seq_printf(out, "PROT_NONE");
        else
            trace_print_flags(out, trace_prot_flags, (u32)v, "PROT_???");
        return;
    case TRACE_ARG_MAPFLAGS: {
        u32 flags = (u32)v;
        trace_print_constant(out, trace_map_types, flags & 0xf, "MAP_???");
        if (flags & ~0xfu) {
            seq_printf(out, "|");
            trace_print_flags(out, trace_map_flags, flags & ~0xfu, NULL);
        }
        return;
    }
    case TRACE_ARG_SIGNO:
        trace_print_signal(out, (int)v);
        return;
    case TRACE_ARG_SIGHOW:
        trace_print_constant(out, trace_sighow, (u32)v, "SIG_???");
        return;
    case TRACE_ARG_WHENCE:
        trace_print_constant(out, trace_whence, (u32)v, "SEEK_???");
        return;
    case TRACE_ARG_FAMILY:
        trace_print_constant(out, trace_families, (u32)v, "AF_???");
        return;
    case TRACE_ARG_SOCKTYPE:
        trace_print_constant(out, trace_socktypes, (u32)v & 0xf, "SOCK_???");
        if ((u32)v & ~0xfu) {
            seq_printf(out, "|");
            trace_print_flags(out, trace_sockflags, (u32)v & ~0xfu, NULL);
        }
        return;
    case TRACE_ARG_SOCKPROTO:
        if (companion == 2 || companion == 10) /* AF_INET, AF_INET6 */
            trace_print_constant(out, trace_ip_protocols, (u32)v, "IPPROTO_???");
        else
            seq_printf(out, "%d", (int)v);
        return;
    case TRACE_ARG_FCNTLCMD:
        trace_print_constant(out, trace_fcntl_cmds, (u32)v, "F_???");
        return;
    case TRACE_ARG_FCNTLARG:
        switch (fcntl_arg_kind((u32)companion)) {
        case FCNTL_ARG_FDFLAGS:
            if (v == FD_CLOEXEC_FLAG)
                seq_printf(out, "FD_CLOEXEC");
            else
                seq_printf(out, "%d", (int)v);
            return;
        case FCNTL_ARG_OFLAGS:
            print_open_flags(out, (u32)v);
            return;
        case FCNTL_ARG_PTR:
            trace_print_ptr(out, v);
            return;
        default:
            seq_printf(out, "%d", (int)v);
            return;
        }
    case TRACE_ARG_CLOCKID:
        trace_print_constant(out, trace_clock_ids, (u32)v, "CLOCK_???");
        return;
    case TRACE_ARG_ACCMODE:
        if ((u32)v == 0)
            seq_printf(out, "F_OK");
        else
            trace_print_flags(out, trace_access_modes, (u32)v, NULL);
        return;
    case TRACE_ARG_WAITOPTS:
        trace_print_flags(out, trace_wait_options, (u32)v, "W???");
        return;
    case TRACE_ARG_CLONEFLAGS:
        if (v & ~(u64)CLONE_SIGNAL_MASK) {
            trace_print_flags(out, trace_clone_flags, v & ~(u64)CLONE_SIGNAL_MASK, NULL);
            if (v & CLONE_SIGNAL_MASK)
                seq_printf(out, "|");
        }
        if (v & CLONE_SIGNAL_MASK)
            trace_print_signal(out, (int)(v & CLONE_SIGNAL_MASK));
        else if (!(v & ~(u64)CLONE_SIGNAL_MASK))
            seq_printf(out, "0");
        return;
    case TRACE_ARG_CLONE:
        print_clone(ctx);
        return;
    case TRACE_ARG_FUTEXOP: {
        u32 op = (u32)v;
        trace_print_constant(out, trace_futex_ops, op & ~(u32)(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME), "FUTEX_???");
        if (op & FUTEX_PRIVATE)
            seq_printf(out, "_PRIVATE");
        if (op & FUTEX_CLOCK_REALTIME)
            seq_printf(out, "|FUTEX_CLOCK_REALTIME");
        return;
    }
    case TRACE_ARG_FUTEXARGS:
    case TRACE_ARG_FUTEXARGS64:
        print_futex_args(ctx, (u32)companion, arg->type == TRACE_ARG_FUTEXARGS && ctx->compat);
        return;
    case TRACE_ARG_IOCTLREQ:
        print_ioctl_request(out, (u32)v);
        return;
    case TRACE_ARG_ARCHCODE:
        trace_print_constant(out, trace_arch_codes, (u32)v, "ARCH_???");
        return;
    case TRACE_ARG_RESOURCE:
        trace_print_constant(out, trace_resources, (u32)v, "RLIMIT_???");
        return;
    case TRACE_ARG_GRNDFLAGS:
        trace_print_flags(out, trace_grnd_flags, (u32)v, "GRND_???");
        return;
    case TRACE_ARG_OHEXBUF:
        if (failed)
            trace_print_ptr(out, v);
        else
            trace_print_user_hex(out, v, (u64)ctx->result, TRACE_STRING_MAX);
        return;
    case TRACE_ARG_STATXMASK:
        trace_print_flags(out, trace_statx_mask, (u32)v, NULL);
        return;
    case TRACE_ARG_ISIGSET:
        trace_print_sigset(out, v, companion);
        return;
    case TRACE_ARG_OSIGSET:
        if (failed)
            trace_print_ptr(out, v);
        else
            trace_print_sigset(out, v, companion);
        return;
    case TRACE_ARG_EPOLLOP:
        trace_print_constant(out, trace_epoll_ops, (u32)v, "EPOLL_CTL_???");
        return;
    case TRACE_ARG_EPOLLFLAGS:
        trace_print_flags(out, trace_epoll_flags, (u32)v, "EPOLL_???");
        return;
    case TRACE_ARG_MOUNTFLAGS:
        if ((v & MOUNT_MAGIC_MASK) == MOUNT_MAGIC) {
            seq_printf(out, "MS_MGC_VAL%s", v & ~MOUNT_MAGIC_MASK ? "|" : "");
            v &= ~MOUNT_MAGIC_MASK;
            if (!v)
                return;
        }
        trace_print_flags(out, trace_mount_flags, v, NULL);
        return;
    case TRACE_ARG_UMOUNTFLAGS:
        trace_print_flags(out, trace_umount_flags, (u32)v, NULL);
        return;
    case TRACE_ARG_MLOCKFLAGS:
        trace_print_flags(out, trace_mlock_flags, (u32)v, "MCL_???");
        return;
    case TRACE_ARG_MADVICE:
        trace_print_constant(out, trace_madvice, (u32)v, "MADV_???");
        return;
    case TRACE_ARG_PERSONALITY:
        trace_print_personality(out, v);
        return;
    case TRACE_ARG_SCHEDPOLICY:
        trace_print_constant(out, trace_sched_policies, (u32)v, "SCHED_???");
        return;
    case TRACE_ARG_ITIMERWHICH:
        trace_print_constant(out, trace_itimer_which, (u32)v, "ITIMER_???");
        return;
    case TRACE_ARG_REBOOTMAGIC:
        trace_print_constant(out, trace_reboot_magic, (u32)v, "LINUX_REBOOT_MAGIC_???");
        return;
    case TRACE_ARG_REBOOTCMD:
        trace_print_constant(out, trace_reboot_cmds, (u32)v, "LINUX_REBOOT_CMD_???");
        return;
    default:
        trace_print_struct(ctx, arg, index);
        return;
    }
}
