/* What the tracer decodes of processes and the system, as strace shows it:
 * ids written through pointers ([1000]), sched_param ([0]), tms, sysinfo,
 * utsname abbreviated ({sysname="Linux", nodename="host", ...}) and prctl,
 * whose arguments depend on its option. */
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "trace.h"
#include "uaccess.h"

#define UTS_FIELD 65 /* each string of struct utsname */
#define SYSINFO_WORDS 14 /* struct sysinfo up to mem_unit, in longs of the ABI */
#define SYSINFO_PROCS 10 /* the word holding procs (a u16) */
#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_GET_SECCOMP 21
#define PR_SET_TIMERSLACK 29
#define PR_GET_TIMERSLACK 30
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define PR_GET_THP_DISABLE 42
#define TASK_COMM_LEN 16
#define SIGNAL_SET_BITS 64

/* `count` words of the ABI (4 bytes for i386) at `address`, widened. */
static bool fetch_words(struct seq_buf *out, u64 address, bool compat, u64 *words, unsigned count)
{
    if (!compat)
        return trace_fetch(out, address, words, count * sizeof(u64));
    u32 narrow[SYSINFO_WORDS];
    if (count > ARRAY_SIZE(narrow) || !trace_fetch(out, address, narrow, count * sizeof(u32)))
        return false;
    for (unsigned i = 0; i < count; i++)
        words[i] = narrow[i];
    return true;
}

static void print_int_in(struct seq_buf *out, u64 address, size_t size)
{
    s32 value = 0;
    if (!trace_fetch(out, address, &value, size))
        return;
    seq_printf(out, "[%d]", size == sizeof(u16) ? (s32)(u16)value : value);
}

static void print_sysinfo(struct seq_buf *out, u64 address, bool compat)
{
    u64 w[SYSINFO_WORDS];
    if (!fetch_words(out, address, compat, w, SYSINFO_WORDS))
        return;
    seq_printf(out,
               "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu, freeram=%lu, sharedram=%lu, bufferram=%lu, "
               "totalswap=%lu, freeswap=%lu, procs=%u, totalhigh=%lu, freehigh=%lu, mem_unit=%u}",
               compat ? (long)(s32)w[0] : (long)w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9],
               (u16)w[SYSINFO_PROCS], w[11], w[12], (u32)w[13]);
}

static void print_utsname(struct seq_buf *out, u64 address)
{
    if (!address) {
        seq_printf(out, "NULL");
        return;
    }
    seq_printf(out, "{sysname=");
    trace_print_user_string(out, address, UTS_FIELD, true, UTS_FIELD);
    seq_printf(out, ", nodename=");
    trace_print_user_string(out, address + UTS_FIELD, UTS_FIELD, true, UTS_FIELD);
    seq_printf(out, ", ...}");
}

/* ", 0x2a", or ", 0" as strace's %#lx writes zero */
static void print_hex(struct seq_buf *out, u64 value)
{
    if (value)
        seq_printf(out, ", 0x%lx", value);
    else
        seq_printf(out, ", 0");
}

static void print_prctl(const struct trace_ctx *ctx)
{
    struct seq_buf *out = ctx->out;
    u32 option = (u32)ctx->args[0];
    u64 arg2 = trace_arg_value(ctx, 1);
    bool failed = IS_ERR_VALUE(ctx->result);
    trace_print_constant(out, trace_prctl_options, option, "PR_???");
    switch (option) {
    case PR_GET_DUMPABLE: case PR_GET_KEEPCAPS: case PR_GET_SECCOMP: case PR_GET_TIMERSLACK:
    case PR_GET_NO_NEW_PRIVS: case PR_GET_THP_DISABLE:
        return;
    case PR_SET_NAME:
        seq_printf(out, ", ");
        trace_print_user_string(out, arg2, TASK_COMM_LEN, true, TASK_COMM_LEN);
        return;
    case PR_GET_NAME:
        seq_printf(out, ", ");
        if (failed)
            trace_print_ptr(out, arg2);
        else
            trace_print_user_string(out, arg2, TASK_COMM_LEN, true, TASK_COMM_LEN);
        return;
    case PR_SET_PDEATHSIG:
        seq_printf(out, ", ");
        if (arg2)
            trace_print_signal(out, (int)arg2);
        else
            seq_printf(out, "0");
        return;
    case PR_GET_PDEATHSIG: {
        seq_printf(out, ", ");
        s32 signo;
        if (failed) {
            trace_print_ptr(out, arg2);
        } else if (trace_fetch(out, arg2, &signo, sizeof(signo))) {
            seq_printf(out, "[");
            if (signo)
                trace_print_signal(out, signo);
            else
                seq_printf(out, "0");
            seq_printf(out, "]");
        }
        return;
    }
    case PR_GET_CHILD_SUBREAPER:
        seq_printf(out, ", ");
        if (failed)
            trace_print_ptr(out, arg2);
        else
            print_int_in(out, arg2, sizeof(s32));
        return;
    case PR_SET_DUMPABLE: {
        static const char *const dumpable[] = {"SUID_DUMP_DISABLE", "SUID_DUMP_USER", "SUID_DUMP_ROOT"};
        if (arg2 < ARRAY_SIZE(dumpable))
            seq_printf(out, ", %s", dumpable[arg2]);
        else
            seq_printf(out, ", %lu", arg2);
        return;
    }
    case PR_SET_KEEPCAPS: case PR_SET_CHILD_SUBREAPER: case PR_SET_TIMERSLACK:
        seq_printf(out, ", %lu", arg2);
        return;
    case PR_SET_NO_NEW_PRIVS:
        seq_printf(out, ", %lu", arg2);
        break;
    default:
        print_hex(out, arg2);
        break;
    }
    for (unsigned i = 2; i < 5; i++)
        print_hex(out, trace_arg_value(ctx, i));
}

bool trace_print_proc_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index)
{
    struct seq_buf *out = ctx->out;
    u64 v = trace_arg_value(ctx, index);
    switch (arg->type) {
    case TRACE_ARG_ISCHEDPARAM:
    case TRACE_ARG_OSCHEDPARAM:
    case TRACE_ARG_OUID:
        print_int_in(out, v, sizeof(s32));
        return true;
    case TRACE_ARG_OUID16:
        print_int_in(out, v, sizeof(u16));
        return true;
    case TRACE_ARG_OTMS: {
        u64 t[4];
        if (fetch_words(out, v, ctx->compat, t, ARRAY_SIZE(t)))
            seq_printf(out, "{tms_utime=%lu, tms_stime=%lu, tms_cutime=%lu, tms_cstime=%lu}", t[0], t[1], t[2], t[3]);
        return true;
    }
    case TRACE_ARG_OSYSINFO:
        print_sysinfo(out, v, ctx->compat);
        return true;
    case TRACE_ARG_OUNAME:
        print_utsname(out, v);
        return true;
    case TRACE_ARG_ISIGINFO:
        trace_print_user_siginfo(out, v, ctx->compat);
        return true;
    case TRACE_ARG_OSIGRETURN:
        /* what the frame held is what the task's mask is now */
        seq_printf(out, "{mask=");
        trace_print_sigmask(out, current_task()->blocked_signals, SIGNAL_SET_BITS);
        seq_printf(out, "}");
        return true;
    case TRACE_ARG_OPRCTL:
        print_prctl(ctx);
        return true;
    default:
        return false;
    }
}
