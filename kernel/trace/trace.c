/*
 * sysgate.trace: every system call as strace -f shows it (docs/tracing.md),
 * marked with the gate it came through.
 *
 * The dispatchers call trace_enter before a call and trace_exit after it,
 * and only while kernel_trace is set (the fast paths are closed then, so
 * tracing off costs nothing). A call's arguments that the kernel reads are
 * decoded at entry, while the user's memory still holds them (execve's
 * argv), the ones it writes at exit. Like strace, the tracer thinks of the
 * entry part as already on the output: when another task's line comes
 * before the call returns, the entry part is ended with "<unfinished ...>"
 * and the rest comes later as "<... name resumed>".
 *
 * Lines leave through the hypervisor's trace channel (SYSGATE_CONSOLEIO_trace),
 * which the monitor sends to --trace-file or its stderr, never to the
 * program's stdout and never into the kernel log.
 */
#include "apic.h"
#include "errno.h"
#include "hypervisor.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "serial.h"
#include "signal.h"
#include "spinlock.h"
#include "syscall.h"
#include "trace.h"

#define TRACE_LINE_MAX 2048
#define RESULT_COLUMN 40 /* strace starts "= result" here when the call is short */
#define FILTER_NAME_MAX 64

const struct trace_call trace_calls_64[] = {
#include "trace_args_64.h"
};
const struct trace_call trace_calls_32[] = {
#include "trace_args_32.h"
};
_Static_assert(ARRAY_SIZE(trace_calls_64) <= TRACE_NUMBERS_MAX && ARRAY_SIZE(trace_calls_32) <= TRACE_NUMBERS_MAX,
               "the summary counts every number");

static const char *const gate_names[] = {
    [GATE_SYSCALL64] = "syscall",
    [GATE_INT80] = "int80",
    [GATE_SYSENTER] = "sysenter",
    [GATE_SYSCALL32] = "syscall32",
};

/* What the command line asked for: lines (all calls, or those the filter
 * names) and the summary table. */
static bool show_lines, keep_summary;
static bool filtered;
/* The first name of the filter that no call has, reported once the console
 * reaches the user (at the first call), as strace refuses one. */
static const char *unknown_name;
static size_t unknown_len;
static u8 filter_64[ARRAY_SIZE(trace_calls_64)], filter_32[ARRAY_SIZE(trace_calls_32)];

/* A call in progress in one task. Only that task writes it, except `cut`,
 * which the task whose line interrupts it sets under trace_lock. */
struct trace_record {
    struct trace_record *next;
    pid_t tid; /* 0: free */
    enum gate gate;
    bool compat, shown, cut;
    unsigned nr;
    const struct trace_call *call; /* as shown: socketcall's is the call it carries */
    u64 args[6];
    u64 start_ns;
    size_t entry_len;
    char entry[TRACE_LINE_MAX];
};

static struct spinlock trace_lock;
static struct trace_record *records;   /* all ever made, busy or free */
static struct trace_record *open_line; /* its entry part is "on the output", unended */

static const struct trace_call *call_of(bool compat, unsigned nr)
{
    const struct trace_call *table = compat ? trace_calls_32 : trace_calls_64;
    unsigned count = compat ? ARRAY_SIZE(trace_calls_32) : ARRAY_SIZE(trace_calls_64);
    return nr < count && table[nr].name ? &table[nr] : NULL;
}

/* The trace channel; COM2 (the monitor's stderr) for a kernel run without
 * the sysgate hypervisor, never COM1, which is the program's stdout. */
void trace_emit(const char *text, size_t len)
{
    if (hypervisor_present() &&
        hypercall(HYPERVISOR_console_io, SYSGATE_CONSOLEIO_trace, len, (u64)text, 0, 0) >= 0)
        return;
    serial_write(COM2, text, len);
}

static void emit_line(struct seq_buf *line)
{
    if (line->len == line->size) /* what fit, less room for the newline */
        line->len--;
    line->buf[line->len++] = '\n';
    trace_emit(line->buf, line->len);
}

/* ---- the filter and the command line ---- */

/* Returns whether some call has this name. */
static bool filter_add(const char *name, size_t len)
{
    bool found = false;
    for (unsigned nr = 0; nr < ARRAY_SIZE(trace_calls_64); nr++)
        if (trace_calls_64[nr].name && strlen(trace_calls_64[nr].name) == len &&
            !memcmp(trace_calls_64[nr].name, name, len))
            filter_64[nr] = found = true;
    for (unsigned nr = 0; nr < ARRAY_SIZE(trace_calls_32); nr++)
        if (trace_calls_32[nr].name && strlen(trace_calls_32[nr].name) == len &&
            !memcmp(trace_calls_32[nr].name, name, len))
            filter_32[nr] = found = true;
    return found;
}

/* sysgate.trace (every call), sysgate.trace=NAME,NAME (those calls only),
 * sysgate.trace_summary (the table at the end). */
void trace_init(void)
{
    const char *names = cmdline_option("sysgate.trace=");
    show_lines = names || cmdline_option("sysgate.trace");
    keep_summary = cmdline_option("sysgate.trace_summary") != NULL;
    if (names) {
        filtered = true;
        while (*names && *names != ' ') {
            size_t len = 0;
            while (names[len] && names[len] != ',' && names[len] != ' ')
                len++;
            if (!filter_add(names, len) && !unknown_name) {
                unknown_name = names;
                unknown_len = len;
            }
            names += len;
            if (*names == ',')
                names++;
        }
    }
    kernel_trace = show_lines || keep_summary;
}

bool trace_keeps_summary(void) { return keep_summary; }

unsigned trace_call_count(bool compat)
{
    return compat ? ARRAY_SIZE(trace_calls_32) : ARRAY_SIZE(trace_calls_64);
}

static bool wanted(bool compat, unsigned nr)
{
    if (!filtered)
        return true;
    return compat ? nr < ARRAY_SIZE(filter_32) && filter_32[nr] : nr < ARRAY_SIZE(filter_64) && filter_64[nr];
}

/* ---- records ---- */

static struct trace_record *record_take(pid_t tid)
{
    u64 flags = spin_lock_irqsave(&trace_lock);
    struct trace_record *free = NULL, *r;
    for (r = records; r; r = r->next) {
        if (r->tid == tid) /* its task never came back (killed in a call, or exec) */
            break;
        if (!r->tid && !free)
            free = r;
    }
    if (!r)
        r = free;
    if (r) {
        if (open_line == r)
            open_line = NULL;
        r->tid = tid;
    }
    spin_unlock_irqrestore(&trace_lock, flags);
    if (r)
        return r;
    r = kzalloc(sizeof(*r));
    if (!r)
        return NULL;
    r->tid = tid;
    flags = spin_lock_irqsave(&trace_lock);
    r->next = records;
    records = r;
    spin_unlock_irqrestore(&trace_lock, flags);
    return r;
}

static struct trace_record *record_find(pid_t tid)
{
    u64 flags = spin_lock_irqsave(&trace_lock);
    struct trace_record *r = records;
    while (r && r->tid != tid)
        r = r->next;
    spin_unlock_irqrestore(&trace_lock, flags);
    return r;
}

static void record_free(struct trace_record *r)
{
    u64 flags = spin_lock_irqsave(&trace_lock);
    if (open_line == r)
        open_line = NULL;
    r->tid = 0;
    spin_unlock_irqrestore(&trace_lock, flags);
}

/* Ends the open line, if it is another call's, as strace does before
 * another task's line: the caller holds trace_lock. */
static void cut_open_line(struct trace_record *except)
{
    struct trace_record *r = open_line;
    if (!r || r == except)
        return;
    static char text[TRACE_LINE_MAX];
    struct seq_buf line = {text, sizeof(text), 0, false};
    seq_write(&line, r->entry, r->entry_len);
    seq_printf(&line, " <unfinished ...>");
    emit_line(&line);
    r->cut = true;
    open_line = NULL;
}

/* ---- the line ---- */

/* Returns how many were printed. */
static int print_args(const struct trace_ctx *ctx, const struct trace_call *call, int from, int to)
{
    int printed = 0;
    for (int i = from; i < to; i++) {
        if (trace_arg_absent(ctx, &call->args[i]))
            continue;
        if (printed++)
            seq_printf(ctx->out, ", ");
        trace_print_arg(ctx, &call->args[i], (unsigned)i);
    }
    return printed;
}

/* The first argument printed at exit (strace prints in order, so every
 * argument after an output one waits for the exit too). */
static int first_exit_arg(const struct trace_call *call)
{
    for (int i = 0; i < call->count; i++)
        if (call->args[i].type >= TRACE_ARG_FIRST_OUTPUT)
            return i;
    return call->count;
}

static void print_raw_args(struct seq_buf *out, const u64 args[6])
{
    for (int i = 0; i < 6; i++) {
        if (i)
            seq_printf(out, ", ");
        if (args[i])
            seq_printf(out, "0x%lx", args[i]);
        else
            seq_printf(out, "0");
    }
}

/* Where strace puts "= result". */
static void pad_to_result(struct seq_buf *out)
{
    if (out->len < RESULT_COLUMN) {
        size_t pad = RESULT_COLUMN - out->len;
        char *room = seq_room(out, pad);
        if (room)
            memset(room, ' ', pad);
    } else {
        seq_printf(out, " ");
    }
}

static void print_result(struct seq_buf *out, const struct trace_call *call, bool compat, long result)
{
    pad_to_result(out);
    if (compat && !IS_ERR_VALUE(result))
        result = (s32)result;
    if (call && call->result == TRACE_RESULT_NONE) {
        seq_printf(out, "= ?");
    } else if (IS_ERR_VALUE(result)) {
        int err = (int)-result;
        const char *name = errno_name(err);
        bool restart = err >= ERESTARTSYS && err <= ERESTART_RESTARTBLOCK;
        if (name)
            seq_printf(out, "= %s %s (%s)", restart ? "?" : "-1", name, errno_text(err));
        else
            seq_printf(out, "= -1 %d (Unknown error %d)", err, err);
    } else if (call && (call->result == TRACE_RESULT_HEX || call->result == TRACE_RESULT_PERSONA) && result) {
        seq_printf(out, "= 0x%lx", compat ? (u64)(u32)result : (u64)result);
    } else if (call && call->result == TRACE_RESULT_OCT) {
        seq_printf(out, "= 0%02lo", (u64)result);
    } else {
        seq_printf(out, "= %ld", result);
    }
}

/* The beginning of a line: the task and the call's name (or its number). */
static void print_head(struct seq_buf *out, pid_t tid, const struct trace_call *call, unsigned nr)
{
    seq_printf(out, "%d ", tid);
    if (call && call->name[0])
        seq_printf(out, "%s", call->name);
    else
        seq_printf(out, "syscall_0x%x", nr);
}

/* The gate mark: " [int80]", or " [int80 socketcall]" for a socket call
 * that came through i386's socketcall. */
static void print_gate(struct seq_buf *out, const struct trace_record *r)
{
    seq_printf(out, " [%s%s]", gate_names[r->gate], r->call != call_of(r->compat, r->nr) ? " socketcall" : "");
}

/* ---- the hooks ---- */

static void finish(struct trace_record *r, const struct trace_call *call, long result)
{
    static char text[TRACE_LINE_MAX]; /* used under trace_lock only */
    char *exit_part = kmalloc(TRACE_LINE_MAX);
    struct seq_buf tail = {exit_part, TRACE_LINE_MAX, 0, false};
    if (exit_part) {
        struct trace_ctx ctx = {&tail, r->args, r->compat, result};
        if (call && call->count >= 0)
            print_args(&ctx, call, first_exit_arg(call), call->count);
    }
    u64 flags = spin_lock_irqsave(&trace_lock);
    cut_open_line(r);
    struct seq_buf line = {text, sizeof(text), 0, false};
    if (r->cut) {
        seq_printf(&line, "%d <... ", r->tid);
        if (call && call->name[0])
            seq_printf(&line, "%s", call->name);
        else
            seq_printf(&line, "syscall_0x%x", r->nr);
        seq_printf(&line, " resumed>");
    } else {
        seq_write(&line, r->entry, r->entry_len);
    }
    seq_write(&line, exit_part ? exit_part : "", tail.len);
    seq_printf(&line, ")");
    print_result(&line, call, r->compat, result);
    if (call) {
        struct trace_ctx ctx = {&line, r->args, r->compat, result};
        trace_print_result_note(&ctx, call);
    }
    print_gate(&line, r);
    emit_line(&line);
    open_line = NULL;
    spin_unlock_irqrestore(&trace_lock, flags);
    kfree(exit_part);
}

/* A line of its own from the current task: `text` after its pid, once the
 * open line of another task is cut. */
static void emit_task_line(struct trace_record *own, const char *text, size_t len)
{
    static char buffer[TRACE_LINE_MAX]; /* used under trace_lock only */
    u64 flags = spin_lock_irqsave(&trace_lock);
    cut_open_line(own);
    struct seq_buf line = {buffer, sizeof(buffer), 0, false};
    seq_printf(&line, "%d ", current_task()->pid);
    seq_write(&line, text, len);
    emit_line(&line);
    spin_unlock_irqrestore(&trace_lock, flags);
}

void trace_signal(const struct ksiginfo *info)
{
    /* strace sees no delivery of SIGKILL: the task just ends */
    if (!show_lines || info->si_signo == SIGKILL)
        return;
    char text[TRACE_LINE_MAX / 2];
    struct seq_buf line = {text, sizeof(text), 0, false};
    seq_printf(&line, "--- ");
    trace_print_signal(&line, info->si_signo);
    seq_printf(&line, " ");
    trace_print_siginfo(&line, info);
    seq_printf(&line, " ---");
    emit_task_line(NULL, text, line.len);
}

#define WAIT_SIGNAL_MASK 0x7f
#define WAIT_CORE_DUMPED 0x80

/* A call the task never returns from (killed in it, or by it) ends as
 * strace ends it: ") = ?", after "<unfinished ...>" when what the call
 * would have written is missing; and the task's end follows. */
void trace_exit_task(int wait_status)
{
    if (!show_lines && !keep_summary)
        return;
    struct task *t = current_task();
    struct trace_record *r = record_find(t->pid);
    if (r && r->shown) {
        const struct trace_call *call = r->call;
        char text[TRACE_LINE_MAX];
        struct seq_buf line = {text, sizeof(text), 0, false};
        u64 flags = spin_lock_irqsave(&trace_lock);
        bool still_open = open_line == r;
        if (still_open) {
            seq_write(&line, r->entry, r->entry_len);
            open_line = NULL;
        } else {
            cut_open_line(r);
            seq_printf(&line, "%d <... %s resumed>", t->pid, call && call->name[0] ? call->name : "syscall");
        }
        if (call && call->count >= 0 && first_exit_arg(call) < call->count)
            seq_printf(&line, " <unfinished ...>");
        seq_printf(&line, ")");
        pad_to_result(&line);
        seq_printf(&line, "= ?");
        print_gate(&line, r);
        emit_line(&line);
        spin_unlock_irqrestore(&trace_lock, flags);
    }
    if (r)
        record_free(r);
    if (!show_lines)
        return;
    struct task *leader = t->group_leader;
    int status = leader->group_exiting ? leader->group_exit_status : wait_status;
    char text[64];
    struct seq_buf line = {text, sizeof(text), 0, false};
    if (status & WAIT_SIGNAL_MASK) {
        seq_printf(&line, "+++ killed by ");
        trace_print_signal(&line, status & WAIT_SIGNAL_MASK);
        seq_printf(&line, "%s +++", status & WAIT_CORE_DUMPED ? " (core dumped)" : "");
    } else {
        seq_printf(&line, "+++ exited with %d +++", (status >> 8) & 0xff);
    }
    emit_task_line(NULL, text, line.len);
}

void trace_enter(enum gate gate, unsigned nr, const u64 args[6])
{
    struct task *t = current_task();
    bool compat = gate != GATE_SYSCALL64;
    if (unlikely(unknown_name)) {
        kprintf(KERN_ERR "sysgate: --trace=%.*s: no system call has this name\n",
                (int)MIN(unknown_len, (size_t)FILTER_NAME_MAX), unknown_name);
        unknown_name = NULL;
    }
    bool shown = show_lines && wanted(compat, nr);
    if (!shown && !keep_summary)
        return;
    struct trace_record *r = record_take(t->pid);
    if (!r)
        return;
    r->gate = gate;
    r->compat = compat;
    r->shown = shown;
    r->cut = false;
    r->nr = nr;
    memcpy(r->args, args, sizeof(r->args));
    r->entry_len = 0;
    const struct trace_call *call = call_of(compat, nr);
    const struct trace_call *carried = shown ? trace_socketcall(compat, nr, r->args) : NULL;
    r->call = carried ? carried : call;
    if (shown) {
        call = r->call;
        struct seq_buf entry = {r->entry, sizeof(r->entry), 0, false};
        print_head(&entry, t->pid, call, nr);
        seq_printf(&entry, "(");
        if (!call || call->count < 0) {
            print_raw_args(&entry, args);
        } else {
            struct trace_ctx ctx = {&entry, r->args, compat, 0};
            int split = first_exit_arg(call);
            if (print_args(&ctx, call, 0, split) && split < call->count)
                seq_printf(&entry, ", ");
        }
        r->entry_len = entry.len;
        u64 flags = spin_lock_irqsave(&trace_lock);
        cut_open_line(r);
        open_line = r;
        spin_unlock_irqrestore(&trace_lock, flags);
    }
    r->start_ns = monotonic_ns();
    if (call && call->result == TRACE_RESULT_NONE) /* exit and exit_group: no return to wait for */
        trace_exit(0);
}

#define SIGKILL_BIT (1ul << (SIGKILL - 1))

void trace_exit(long result)
{
    u64 now = monotonic_ns();
    struct task *t = current_task();
    struct trace_record *r = record_find(t->pid);
    if (!r)
        return;
    /* Killed on its way out of the call: as on Linux, the call never
     * returns (strace -c does not count it), and trace_exit_task ends its
     * line. */
    if (signals_pending(t) & SIGKILL_BIT)
        return;
    const struct trace_call *call = r->call;
    if (keep_summary)
        trace_count(r->compat, r->nr, result, now - r->start_ns);
    if (r->shown)
        finish(r, call, result);
    record_free(r);
}
