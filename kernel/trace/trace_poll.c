/* The poll family's structures as strace shows them: epoll_event
 * ({events=EPOLLIN, data={u32=3, u64=3}}) and pollfd arrays, whose revents
 * strace prints after the result: "= 1 ([{fd=3, revents=POLLIN}])"; and
 * the other notes strace puts after a result. */
#include "errno.h"
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

#define ARRAY_SHOWN_MAX 32 /* as strace -s 32: elements of an array */

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
        if (arg->type != TRACE_ARG_IPOLLFDS)
            continue;
        if (ctx->result == 0) {
            seq_printf(ctx->out, " (Timeout)");
        } else {
            seq_printf(ctx->out, " (");
            print_pollfds(ctx->out, trace_arg_value(ctx, (unsigned)i), trace_arg_value(ctx, arg->companion - 1u),
                          true);
            seq_printf(ctx->out, ")");
        }
        return;
    }
}
