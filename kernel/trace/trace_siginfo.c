/* Signal information as strace shows it, for the "--- SIGUSR1 {...} ---"
 * line of a delivered signal and for rt_sigqueueinfo's argument: the
 * fields that the signal and its si_code fill. */
#include "lib.h"
#include "signal.h"
#include "trace.h"
#include "uaccess.h"

#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO (-5)
#define SI_ASYNCNL (-60)
#define COMPAT_UNION_OFFSET 12 /* i386's siginfo has no padding before the union */

static const struct trace_name sender_codes[] = {
    {(u32)SI_USER, "SI_USER"},       {(u32)SI_KERNEL, "SI_KERNEL"},   {(u32)SI_QUEUE, "SI_QUEUE"},
    {(u32)SI_TIMER, "SI_TIMER"},     {(u32)SI_MESGQ, "SI_MESGQ"},     {(u32)SI_ASYNCIO, "SI_ASYNCIO"},
    {(u32)SI_SIGIO, "SI_SIGIO"},     {(u32)SI_TKILL, "SI_TKILL"},     {(u32)SI_ASYNCNL, "SI_ASYNCNL"},
    {0, NULL},
};
static const struct trace_name child_codes[] = {
    {CLD_EXITED, "CLD_EXITED"}, {CLD_KILLED, "CLD_KILLED"}, {CLD_DUMPED, "CLD_DUMPED"},
    {4, "CLD_TRAPPED"}, {CLD_STOPPED, "CLD_STOPPED"}, {CLD_CONTINUED, "CLD_CONTINUED"}, {0, NULL},
};
static const struct trace_name segv_codes[] = {
    {SEGV_MAPERR, "SEGV_MAPERR"}, {SEGV_ACCERR, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"}, {4, "SEGV_PKUERR"}, {0, NULL},
};
static const struct trace_name bus_codes[] = {
    {BUS_ADRALN, "BUS_ADRALN"}, {BUS_ADRERR, "BUS_ADRERR"}, {3, "BUS_OBJERR"}, {4, "BUS_MCEERR_AR"}, {0, NULL},
};
static const struct trace_name ill_codes[] = {
    {1, "ILL_ILLOPC"}, {ILL_ILLOPN, "ILL_ILLOPN"}, {3, "ILL_ILLADR"}, {4, "ILL_ILLTRP"},
    {5, "ILL_PRVOPC"}, {6, "ILL_PRVREG"}, {7, "ILL_COPROC"}, {8, "ILL_BADSTK"}, {0, NULL},
};
static const struct trace_name fpe_codes[] = {
    {FPE_INTDIV, "FPE_INTDIV"}, {2, "FPE_INTOVF"}, {3, "FPE_FLTDIV"}, {4, "FPE_FLTOVF"},
    {5, "FPE_FLTUND"}, {6, "FPE_FLTRES"}, {7, "FPE_FLTINV"}, {8, "FPE_FLTSUB"}, {0, NULL},
};
static const struct trace_name trap_codes[] = {
    {TRAP_BRKPT, "TRAP_BRKPT"}, {TRAP_TRACE, "TRAP_TRACE"}, {0, NULL},
};
static const struct trace_name poll_codes[] = {
    {POLL_IN, "POLL_IN"}, {POLL_OUT, "POLL_OUT"}, {POLL_MSG, "POLL_MSG"},
    {POLL_ERR, "POLL_ERR"}, {POLL_PRI, "POLL_PRI"}, {POLL_HUP, "POLL_HUP"}, {0, NULL},
};

/* The names of a signal's own codes (those above 0), NULL for none. */
static const struct trace_name *own_codes(int sig)
{
    switch (sig) {
    case SIGCHLD: return child_codes;
    case SIGSEGV: return segv_codes;
    case SIGBUS: return bus_codes;
    case SIGILL: return ill_codes;
    case SIGFPE: return fpe_codes;
    case SIGTRAP: return trap_codes;
    case SIGIO: return poll_codes;
    default: return NULL;
    }
}

static void print_value(struct seq_buf *out, u64 value)
{
    seq_printf(out, ", si_int=%d, si_ptr=", (int)value);
    trace_print_ptr(out, value);
}

void trace_print_siginfo(struct seq_buf *out, const struct ksiginfo *info)
{
    int sig = info->si_signo, code = info->si_code;
    const struct trace_name *codes = own_codes(sig);
    if (!sig) { /* strace shows nothing of an info without a signal */
        seq_printf(out, "{}");
        return;
    }
    seq_printf(out, "{si_signo=");
    trace_print_signal(out, sig);
    seq_printf(out, ", si_code=");
    if (code > 0 && code != SI_KERNEL && codes)
        trace_print_constant(out, codes, (u32)code, "SI_???");
    else
        trace_print_constant(out, sender_codes, (u32)code, "SI_???");
    if (info->si_errno)
        seq_printf(out, ", si_errno=%d", info->si_errno);
    if (code == SI_TIMER) {
        seq_printf(out, ", si_timerid=0x%x, si_overrun=%d", info->timer.tid, info->timer.overrun);
        print_value(out, info->timer.value);
    } else if (code <= 0) { /* from a process */
        seq_printf(out, ", si_pid=%d, si_uid=%u", info->rt.pid, info->rt.uid);
        if (code == SI_QUEUE || code == SI_MESGQ)
            print_value(out, info->rt.value);
    } else if (sig == SIGCHLD && code != SI_KERNEL) {
        seq_printf(out, ", si_pid=%d, si_uid=%u, si_status=", info->chld.pid, info->chld.uid);
        if (code == CLD_EXITED)
            seq_printf(out, "%d", info->chld.status);
        else
            trace_print_signal(out, info->chld.status);
        seq_printf(out, ", si_utime=%ld, si_stime=%ld", info->chld.utime, info->chld.stime);
    } else if (sig == SIGIO && code != SI_KERNEL) {
        seq_printf(out, ", si_band=%ld, si_fd=%d", info->poll.band, info->poll.fd);
    } else if (codes && codes != poll_codes && codes != child_codes) { /* a fault: where */
        seq_printf(out, ", si_addr=");
        trace_print_ptr(out, info->fault.addr);
    }
    seq_printf(out, "}");
}

/* rt_sigqueueinfo's argument, in the ABI's layout. */
void trace_print_user_siginfo(struct seq_buf *out, u64 address, bool compat)
{
    struct ksiginfo info;
    memset(&info, 0, sizeof(info));
    if (!trace_fetch(out, address, &info, sizeof(info)))
        return;
    if (compat) { /* the union 4 bytes earlier, its words 32 bits */
        u8 *bytes = (u8 *)&info;
        memmove(bytes + offsetof(struct ksiginfo, rt), bytes + COMPAT_UNION_OFFSET,
                sizeof(info) - offsetof(struct ksiginfo, rt));
        info.rt.value = (u32)info.rt.value;
    }
    trace_print_siginfo(out, &info);
}
