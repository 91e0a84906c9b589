/* The structures of timers as strace shows them, in both ABIs' layouts:
 * timeval, itimerval ({it_interval={tv_sec=0, tv_usec=0}, it_value=...})
 * and itimerspec. */
#include "errno.h"
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

static void print_interval_pair(struct seq_buf *out, u64 address, bool narrow, const char *fraction)
{
    u64 v[4];
    if (trace_fetch_words(out, address, narrow, true, v, 4))
        seq_printf(out, "{it_interval={tv_sec=%ld, %s=%ld}, it_value={tv_sec=%ld, %s=%ld}}", (s64)v[0], fraction,
                   (s64)v[1], (s64)v[2], fraction, (s64)v[3]);
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
        u64 pair[2];
        if (trace_fetch_words(out, v, ctx->compat, true, pair, 2))
            seq_printf(out, "{tv_sec=%ld, tv_usec=%ld}", (s64)pair[0], (s64)pair[1]);
        return true;
    }
    default:
        return false;
    }
}
