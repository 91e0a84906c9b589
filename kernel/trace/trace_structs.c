/* The structures the tracer decodes, abbreviated as strace does
 * ({st_mode=S_IFREG|0644, st_size=74, ...}), each in both ABIs' layouts.
 * The rest of the structures are shown as their address. */
#include "errno.h"
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

#define IOVEC_SHOWN_MAX 32 /* as strace -s 32: elements of an array */
#define SOCKADDR_MAX 128   /* struct sockaddr_storage */
#define SUN_PATH_OFFSET 2
#define FAMILY_UNIX 1
#define FAMILY_INET 2
#define WAIT_STOPPED 0x7f
#define WAIT_CORE 0x80
#define FILE_TYPE_MASK 0170000
#define FILE_TYPE_CHR 0020000
#define FILE_TYPE_BLK 0060000
#define LIMIT_UNIT 1024ul /* strace writes limits in KiB when they are whole */

bool trace_fetch(struct seq_buf *out, u64 address, void *into, size_t size)
{
    if (!address) {
        seq_printf(out, "NULL");
        return false;
    }
    if (copy_from_user(into, (const void __user *)address, size)) {
        trace_print_ptr(out, address);
        return false;
    }
    return true;
}

bool trace_fetch_words(struct seq_buf *out, u64 address, bool narrow, bool is_signed, u64 *values, unsigned count)
{
    if (!narrow)
        return trace_fetch(out, address, values, count * sizeof(u64));
    u32 words[TRACE_WORDS_MAX];
    if (count > TRACE_WORDS_MAX || !trace_fetch(out, address, words, count * sizeof(u32)))
        return false;
    for (unsigned i = 0; i < count; i++)
        values[i] = is_signed ? (u64)(s64)(s32)words[i] : words[i];
    return true;
}

/* Linux's struct stat (x86-64) and i386's struct stat64: the fields strace shows. */
struct stat_x86_64 {
    u64 st_dev, st_ino, st_nlink;
    u32 st_mode, st_uid, st_gid, pad0;
    u64 st_rdev;
    s64 st_size;
};
struct stat64_i386 {
    u64 st_dev;
    u8 pad0[4];
    u32 st_ino_low, st_mode, st_nlink, st_uid, st_gid;
    u64 st_rdev;
    u8 pad3[4];
    s64 st_size;
} __attribute__((packed));

static void print_stat_fields(struct seq_buf *out, u32 mode, u64 rdev, s64 size)
{
    seq_printf(out, "{st_mode=");
    trace_print_file_mode(out, mode);
    u32 type = mode & FILE_TYPE_MASK;
    if (type == FILE_TYPE_CHR || type == FILE_TYPE_BLK) /* Linux's new_encode_dev */
        seq_printf(out, ", st_rdev=makedev(0x%lx, 0x%lx), ...}", (rdev >> 8) & 0xfff,
                   (rdev & 0xff) | ((rdev >> 12) & ~0xfful));
    else
        seq_printf(out, ", st_size=%ld, ...}", size);
}

static void print_statx(struct seq_buf *out, u64 address)
{
    struct {
        u32 stx_mask, stx_blksize;
        u64 stx_attributes;
        u32 stx_nlink, stx_uid, stx_gid;
        u16 stx_mode, pad;
        u64 stx_ino, stx_size;
    } stx;
    if (!trace_fetch(out, address, &stx, sizeof(stx)))
        return;
    seq_printf(out, "{stx_mask=");
    trace_print_flags(out, trace_statx_mask, stx.stx_mask, NULL);
    seq_printf(out, ", stx_attributes=");
    if (stx.stx_attributes)
        seq_printf(out, "0x%lx", stx.stx_attributes);
    else
        seq_printf(out, "0");
    seq_printf(out, ", stx_mode=");
    trace_print_file_mode(out, stx.stx_mode);
    seq_printf(out, ", stx_size=%lu, ...}", stx.stx_size);
}

/* struct timespec of the ABI (i386's is two 32-bit fields), or the 64-bit
 * one of the *_time64 calls. */
void trace_print_timespec(struct seq_buf *out, u64 address, bool narrow)
{
    u64 ts[2];
    if (trace_fetch_words(out, address, narrow, true, ts, 2))
        seq_printf(out, "{tv_sec=%ld, tv_nsec=%ld}", (s64)ts[0], (s64)ts[1]);
}

/* The kernel's struct sigaction: handler, flags, restorer, mask, in
 * words of the ABI (the mask is 64 bits in both). */
static void print_sigaction(struct seq_buf *out, u64 address, bool compat)
{
    u64 handler, flags, restorer;
    u64 mask_address;
    if (compat) {
        u32 words[3];
        if (!trace_fetch(out, address, words, sizeof(words)))
            return;
        handler = words[0];
        flags = words[1];
        restorer = words[2];
        mask_address = address + sizeof(words);
    } else {
        u64 words[3];
        if (!trace_fetch(out, address, words, sizeof(words)))
            return;
        handler = words[0];
        flags = words[1];
        restorer = words[2];
        mask_address = address + sizeof(words);
    }
    seq_printf(out, "{sa_handler=");
    if (handler == 0)
        seq_printf(out, "SIG_DFL");
    else if (handler == 1)
        seq_printf(out, "SIG_IGN");
    else
        seq_printf(out, "0x%lx", handler);
    seq_printf(out, ", sa_mask=");
    trace_print_sigset(out, mask_address, sizeof(u64));
    seq_printf(out, ", sa_flags=");
    trace_print_flags(out, trace_sa_flags, compat ? (u32)flags : flags, NULL);
    if (flags & 0x04000000) /* SA_RESTORER */
        seq_printf(out, ", sa_restorer=0x%lx", restorer);
    seq_printf(out, "}");
}

static void print_sockaddr(struct seq_buf *out, u64 address, u64 len)
{
    u8 addr[SOCKADDR_MAX] = {0};
    if (len > sizeof(addr))
        len = sizeof(addr);
    if (len < 2) {
        trace_print_ptr(out, address);
        return;
    }
    if (!trace_fetch(out, address, addr, len))
        return;
    u16 family = (u16)(addr[0] | addr[1] << 8);
    seq_printf(out, "{sa_family=");
    trace_print_constant(out, trace_families, family, "AF_???");
    if (family == FAMILY_UNIX && len > SUN_PATH_OFFSET) {
        if (addr[SUN_PATH_OFFSET] == 0) { /* the abstract name space */
            seq_printf(out, ", sun_path=@");
            trace_print_user_string(out, address + SUN_PATH_OFFSET + 1, len - SUN_PATH_OFFSET - 1, false, len);
        } else {
            seq_printf(out, ", sun_path=");
            trace_print_user_string(out, address + SUN_PATH_OFFSET, len - SUN_PATH_OFFSET, true, len);
        }
    } else if (family == FAMILY_INET && len >= 8) {
        seq_printf(out, ", sin_port=htons(%u), sin_addr=inet_addr(\"%u.%u.%u.%u\")", addr[2] << 8 | addr[3], addr[4],
                   addr[5], addr[6], addr[7]);
    } else if (len > 2) {
        seq_printf(out, ", ...");
    }
    seq_printf(out, "}");
}

/* [{iov_base="...", iov_len=N}, ...]: at most `data` bytes of contents in all. */
static void print_iovec(struct seq_buf *out, u64 address, u64 count, bool compat, u64 data)
{
    if (!address) {
        seq_printf(out, "NULL");
        return;
    }
    size_t size = compat ? 8 : 16;
    seq_printf(out, "[");
    for (u64 i = 0; i < count; i++) {
        u64 base = 0, len = 0;
        bool ok;
        if (compat) {
            u32 v[2];
            ok = !copy_from_user(v, (const void __user *)(address + i * size), sizeof(v));
            base = v[0];
            len = v[1];
        } else {
            u64 v[2];
            ok = !copy_from_user(v, (const void __user *)(address + i * size), sizeof(v));
            base = v[0];
            len = v[1];
        }
        if (i)
            seq_printf(out, ", ");
        if (!ok) {
            seq_printf(out, "0x%lx", address + i * size);
            break;
        }
        if (i == IOVEC_SHOWN_MAX) {
            seq_printf(out, "...");
            break;
        }
        seq_printf(out, "{iov_base=");
        u64 shown = MIN(len, data);
        trace_print_user_string(out, base, shown, false, TRACE_STRING_MAX);
        data -= shown;
        seq_printf(out, ", iov_len=%lu}", len);
    }
    seq_printf(out, "]");
}

static void print_wait_status(struct seq_buf *out, u64 address)
{
    u32 status;
    if (!trace_fetch(out, address, &status, sizeof(status)))
        return;
    seq_printf(out, "[{");
    if ((status & 0x7f) == 0) {
        seq_printf(out, "WIFEXITED(s) && WEXITSTATUS(s) == %u", (status >> 8) & 0xff);
    } else if ((status & 0xff) == WAIT_STOPPED) {
        seq_printf(out, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
        trace_print_signal(out, (int)((status >> 8) & 0xff));
    } else {
        seq_printf(out, "WIFSIGNALED(s) && WTERMSIG(s) == ");
        trace_print_signal(out, (int)(status & 0x7f));
        if (status & WAIT_CORE)
            seq_printf(out, " && WCOREDUMP(s)");
    }
    seq_printf(out, "}]");
}

/* A limit as strace shows it: RLIM64_INFINITY, 8192*1024, or the number. */
static void print_limit(struct seq_buf *out, u64 value, bool narrow)
{
    if (narrow ? value == 0xffffffffu : value == ~0ull)
        seq_printf(out, narrow ? "RLIM_INFINITY" : "RLIM64_INFINITY");
    else if (value && value % LIMIT_UNIT == 0)
        seq_printf(out, "%lu*%lu", value / LIMIT_UNIT, LIMIT_UNIT);
    else
        seq_printf(out, "%lu", value);
}

/* struct rlimit of the ABI (i386's has 32-bit fields) or prlimit64's. */
static void print_rlimit(struct seq_buf *out, u64 address, bool narrow)
{
    u64 limits[2];
    if (!trace_fetch_words(out, address, narrow, false, limits, 2))
        return;
    u64 cur = limits[0], max = limits[1];
    seq_printf(out, "{rlim_cur=");
    print_limit(out, cur, narrow);
    seq_printf(out, ", rlim_max=");
    print_limit(out, max, narrow);
    seq_printf(out, "}");
}

void trace_print_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index)
{
    enum trace_arg_type type = (enum trace_arg_type)arg->type;
    u64 companion = arg->companion ? trace_arg_value(ctx, arg->companion - 1u) : 0;
    struct seq_buf *out = ctx->out;
    u64 v = trace_arg_value(ctx, index);
    bool failed = IS_ERR_VALUE(ctx->result);
    bool interrupted = ctx->result == -EINTR;
    /* what the kernel did not write is shown as its address (prctl's
     * option tells what it wrote) */
    if (type >= TRACE_ARG_FIRST_OUTPUT && failed && !interrupted && type != TRACE_ARG_OPRCTL &&
        type != TRACE_ARG_OSIGRETURN) {
        trace_print_ptr(out, v);
        return;
    }
    switch (type) {
    case TRACE_ARG_ITIMESPEC:
    case TRACE_ARG_OTIMESPEC:
        trace_print_timespec(out, v, ctx->compat);
        return;
    case TRACE_ARG_ITIMESPEC64:
    case TRACE_ARG_OTIMESPEC64:
        trace_print_timespec(out, v, false);
        return;
    case TRACE_ARG_OREMAINING:
    case TRACE_ARG_OREMAINING64:
        if (interrupted)
            trace_print_timespec(out, v, ctx->compat && type == TRACE_ARG_OREMAINING);
        else
            trace_print_ptr(out, v);
        return;
    case TRACE_ARG_ISIGACTION:
    case TRACE_ARG_OSIGACTION:
        print_sigaction(out, v, ctx->compat);
        return;
    case TRACE_ARG_ISOCKADDR:
        print_sockaddr(out, v, (u32)companion);
        return;
    case TRACE_ARG_OSOCKADDR: {
        u32 len = 0;
        if (!v || !companion || copy_from_user(&len, (const void __user *)companion, sizeof(len)))
            trace_print_ptr(out, v);
        else
            print_sockaddr(out, v, len);
        return;
    }
    case TRACE_ARG_IIOVEC:
        print_iovec(out, v, (u32)companion, ctx->compat, (u64)-1);
        return;
    case TRACE_ARG_OIOVEC:
        print_iovec(out, v, (u32)companion, ctx->compat, (u64)ctx->result);
        return;
    case TRACE_ARG_OPIPE: {
        s32 fds[2];
        if (trace_fetch(out, v, fds, sizeof(fds)))
            seq_printf(out, "[%d, %d]", fds[0], fds[1]);
        return;
    }
    case TRACE_ARG_OOFF: {
        s64 offset;
        if (trace_fetch(out, v, &offset, sizeof(offset)))
            seq_printf(out, "[%ld]", offset);
        return;
    }
    case TRACE_ARG_OWSTATUS:
        if (ctx->result <= 0)
            trace_print_ptr(out, v);
        else
            print_wait_status(out, v);
        return;
    case TRACE_ARG_OSTAT: {
        struct stat_x86_64 st;
        if (ctx->compat) /* i386's old struct stat: glibc and musl use stat64 and statx */
            trace_print_ptr(out, v);
        else if (trace_fetch(out, v, &st, sizeof(st)))
            print_stat_fields(out, st.st_mode, st.st_rdev, st.st_size);
        return;
    }
    case TRACE_ARG_OSTAT64: {
        struct stat64_i386 st;
        if (trace_fetch(out, v, &st, sizeof(st)))
            print_stat_fields(out, st.st_mode, st.st_rdev, st.st_size);
        return;
    }
    case TRACE_ARG_IRLIMIT:
    case TRACE_ARG_ORLIMIT:
        print_rlimit(out, v, ctx->compat);
        return;
    case TRACE_ARG_IRLIMIT64:
    case TRACE_ARG_ORLIMIT64:
        print_rlimit(out, v, false);
        return;
    case TRACE_ARG_OSTATX:
        print_statx(out, v);
        return;
    default:
        if (!trace_print_poll_struct(ctx, arg, index) && !trace_print_time_struct(ctx, arg, index) &&
            !trace_print_proc_struct(ctx, arg, index))
            trace_print_ptr(out, v);
        return;
    }
}
