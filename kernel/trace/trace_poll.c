/* The poll family's structures as strace shows them: epoll_event
 * ({events=EPOLLIN, data={u32=3, u64=3}}) and pollfd arrays, whose revents
 * strace prints after the result: "= 1 ([{fd=3, revents=POLLIN}])"; and
 * the other notes strace puts after a result. */
#include "errno.h"
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

#define ARRAY_SHOWN_MAX 32 /* as strace -s 32: elements of an array */
#define FD_SET_MAX 1024    /* FD_SETSIZE: what select looks at */
#define FD_SET_WORD 64

/* One layout in both ABIs: x86's epoll_event is packed. */
struct epoll_event_x86 {
    u32 events;
    u64 data;
} __attribute__((packed));

struct pollfd_x86 {
    s32 fd;
    s16 events, revents;
};

static void print_epoll_event(struct seq_buf *out, const struct epoll_event_x86 *event)
{
    seq_printf(out, "{events=");
    trace_print_flags(out, trace_epoll_events, event->events, NULL);
    seq_printf(out, ", data={u32=%u, u64=%lu}}", (u32)event->data, event->data);
}

static void print_epoll_events(struct seq_buf *out, u64 address, long count)
{
    seq_printf(out, "[");
    for (long i = 0; i < count; i++) {
        struct epoll_event_x86 event;
        if (i == ARRAY_SHOWN_MAX) {
            seq_printf(out, ", ...");
            break;
        }
        if (i)
            seq_printf(out, ", ");
        if (copy_from_user(&event, (const void __user *)(address + i * sizeof(event)), sizeof(event))) {
            trace_print_ptr(out, address + i * sizeof(event));
            break;
        }
        print_epoll_event(out, &event);
    }
    seq_printf(out, "]");
}

/* The pollfd array: the events asked for (`revents` false), or those
 * returned, leaving out the descriptors with none (`revents` true). */
static void print_pollfds(struct seq_buf *out, u64 address, u64 count, bool revents)
{
    seq_printf(out, "[");
    unsigned shown = 0;
    for (u64 i = 0; i < count; i++) {
        struct pollfd_x86 pfd;
        if (copy_from_user(&pfd, (const void __user *)(address + i * sizeof(pfd)), sizeof(pfd)))
            break;
        if (revents && !pfd.revents)
            continue;
        if (shown == ARRAY_SHOWN_MAX) {
            seq_printf(out, ", ...");
            break;
        }
        seq_printf(out, "%s{fd=%d, %s=", shown++ ? ", " : "", pfd.fd, revents ? "revents" : "events");
        trace_print_flags(out, trace_poll_events, (u16)(revents ? pfd.revents : pfd.events), NULL);
        seq_printf(out, "}");
    }
    seq_printf(out, "]");
}

/* An fd_set of `count` descriptors: [0 3]. Returns how many it holds. */
static unsigned print_fd_set(struct seq_buf *out, u64 address, u64 count)
{
    count = MIN(count, (u64)FD_SET_MAX);
    u64 bits[FD_SET_MAX / FD_SET_WORD];
    size_t bytes = (count + 7) / 8;
    if (!trace_fetch(out, address, bits, bytes))
        return 0;
    unsigned members = 0;
    seq_printf(out, "[");
    for (u64 fd = 0; fd < count; fd++)
        if (bits[fd / FD_SET_WORD] >> (fd % FD_SET_WORD) & 1)
            seq_printf(out, "%s%lu", members++ ? " " : "", fd);
    seq_printf(out, "]");
    return members;
}

/* select's note: the sets it returned, by name, and the time left. */
static void print_select_note(const struct trace_ctx *ctx, const struct trace_call *call, int first_set)
{
    static const char *const names[] = {"in", "out", "except"};
    struct seq_buf *out = ctx->out;
    u64 count = trace_arg_value(ctx, call->args[first_set].companion - 1u);
    seq_printf(out, " (");
    bool any = false;
    for (int i = 0; i < 3; i++) {
        u64 set = trace_arg_value(ctx, (unsigned)(first_set + i));
        if (!set)
            continue;
        /* printed to learn whether it is empty, then dropped when it is */
        size_t mark = out->len;
        seq_printf(out, "%s%s ", any ? ", " : "", names[i]);
        if (print_fd_set(out, set, count))
            any = true;
        else
            out->len = mark;
    }
    int timeout = first_set + 3;
    if (timeout < call->count && trace_arg_value(ctx, (unsigned)timeout)) {
        seq_printf(out, "%sleft ", any ? ", " : "");
        trace_print_arg(ctx, &call->args[timeout], (unsigned)timeout);
    }
    seq_printf(out, ")");
}

bool trace_print_poll_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index)
{
    struct seq_buf *out = ctx->out;
    u64 v = trace_arg_value(ctx, index);
    switch (arg->type) {
    case TRACE_ARG_IEPOLLEVENT: {
        struct epoll_event_x86 event;
        if (trace_fetch(out, v, &event, sizeof(event)))
            print_epoll_event(out, &event);
        return true;
    }
    case TRACE_ARG_OEPOLLEVENTS:
        if (IS_ERR_VALUE(ctx->result))
            trace_print_ptr(out, v);
        else
            print_epoll_events(out, v, ctx->result);
        return true;
    case TRACE_ARG_IFDSET:
        if (!v)
            seq_printf(out, "NULL");
        else
            print_fd_set(out, v, trace_arg_value(ctx, arg->companion - 1u));
        return true;
    case TRACE_ARG_IPOLLFDS:
        if (!v)
            seq_printf(out, "NULL");
        else
            print_pollfds(out, v, trace_arg_value(ctx, arg->companion - 1u), false);
        return true;
    default:
        return false;
    }
}

void trace_print_result_note(const struct trace_ctx *ctx, const struct trace_call *call)
{
    if (IS_ERR_VALUE(ctx->result) || call->count < 0)
        return;
    if (call->result == TRACE_RESULT_PERSONA) {
        seq_printf(ctx->out, " (");
        trace_print_personality(ctx->out, (u64)ctx->result);
        seq_printf(ctx->out, ")");
        return;
    }
    if (call->result == TRACE_RESULT_POLICY) {
        seq_printf(ctx->out, " (");
        trace_print_constant(ctx->out, trace_sched_policies, (u64)ctx->result, "SCHED_???");
        seq_printf(ctx->out, ")");
        return;
    }
    for (int i = 0; i < call->count; i++) {
        const struct trace_arg *arg = &call->args[i];
        if (arg->type != TRACE_ARG_IPOLLFDS && arg->type != TRACE_ARG_IFDSET)
            continue;
        if (ctx->result == 0) {
            seq_printf(ctx->out, " (Timeout)");
        } else if (arg->type == TRACE_ARG_IFDSET) {
            print_select_note(ctx, call, i);
        } else {
            seq_printf(ctx->out, " (");
            print_pollfds(ctx->out, trace_arg_value(ctx, (unsigned)i), trace_arg_value(ctx, arg->companion - 1u),
                          true);
            seq_printf(ctx->out, ")");
        }
        return;
    }
}
