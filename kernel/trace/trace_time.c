/* The structures of timers as strace shows them, in both ABIs' layouts:
 * timeval, itimerval ({it_interval={tv_sec=0, tv_usec=0}, it_value=...})
 * and itimerspec. */
#include "errno.h"
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

/* Two pairs of (seconds, fraction), in words of 32 bits (`narrow`) or 64. */
static bool fetch_pairs(struct seq_buf *out, u64 address, bool narrow, s64 values[4], unsigned pairs)
{
    if (narrow) {
        s32 words[4];
        if (!trace_fetch(out, address, words, pairs * 2 * sizeof(s32)))
            return false;
        for (unsigned i = 0; i < pairs * 2; i++)
            values[i] = words[i];
        return true;
    }
    return trace_fetch(out, address, values, pairs * 2 * sizeof(s64));
}

static void print_interval_pair(struct seq_buf *out, u64 address, bool narrow, const char *fraction)
{
    s64 v[4];
    if (fetch_pairs(out, address, narrow, v, 2))
        seq_printf(out, "{it_interval={tv_sec=%ld, %s=%ld}, it_value={tv_sec=%ld, %s=%ld}}", v[0], fraction, v[1],
                   v[2], fraction, v[3]);
}

bool trace_print_time_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index)
{
    struct seq_buf *out = ctx->out;
    u64 v = trace_arg_value(ctx, index);
    switch (arg->type) {
    case TRACE_ARG_IITIMERSPEC:
    case TRACE_ARG_OITIMERSPEC:
        print_interval_pair(out, v, ctx->compat, "tv_nsec");
        return true;
    case TRACE_ARG_IITIMERSPEC64:
    case TRACE_ARG_OITIMERSPEC64:
        print_interval_pair(out, v, false, "tv_nsec");
        return true;
    case TRACE_ARG_IITIMERVAL:
    case TRACE_ARG_OITIMERVAL:
        print_interval_pair(out, v, ctx->compat, "tv_usec");
        return true;
    case TRACE_ARG_ITIMEVAL: {
        s64 pair[4];
        if (fetch_pairs(out, v, ctx->compat, pair, 1))
            seq_printf(out, "{tv_sec=%ld, tv_usec=%ld}", pair[0], pair[1]);
        return true;
    }
    default:
        return false;
    }
}
