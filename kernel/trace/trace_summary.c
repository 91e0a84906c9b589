/* sysgate.trace_summary: every call counted (calls, errors, time inside the
 * kernel, entry to exit, sleeps included), and the table strace -c prints,
 * written when the first process ends, before the machine powers off. */
#include "errno.h"
#include "lib.h"
#include "spinlock.h"
#include "trace.h"

#define NSEC_PER_USEC 1000ul
#define NSEC_PER_SEC 1000000000ul
#define PERCENT_SCALE 10000ul /* hundredths of a per cent */
#define SUMMARY_LINE_MAX 128

struct call_count {
    u64 calls, errors, ns;
};

static struct call_count counts_64[TRACE_NUMBERS_MAX], counts_32[TRACE_NUMBERS_MAX];
static struct spinlock counts_lock;

void trace_count(bool compat, unsigned nr, long result, u64 ns)
{
    struct call_count *counts = compat ? counts_32 : counts_64;
    if (nr >= ARRAY_SIZE(counts_64))
        return;
    u64 flags = spin_lock_irqsave(&counts_lock);
    counts[nr].calls++;
    counts[nr].errors += IS_ERR_VALUE(result);
    counts[nr].ns += ns;
    spin_unlock_irqrestore(&counts_lock, flags);
}

static void summary_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void summary_line(const char *fmt, ...)
{
    char text[SUMMARY_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof(text) - 1, fmt, ap);
    va_end(ap);
    size_t len = MIN((size_t)n, sizeof(text) - 2);
    text[len++] = '\n';
    trace_emit(text, len);
}

/* `share` in hundredths of a per cent. */
static void print_row(u64 share, u64 ns, u64 calls, u64 errors, const char *name)
{
    char errors_text[24] = "";
    if (errors)
        snprintf(errors_text, sizeof(errors_text), "%lu", errors);
    u64 us = ns / NSEC_PER_USEC;
    summary_line("%3lu.%02lu %4lu.%06lu %11lu %9lu %9s %s", share / 100, share % 100, ns / NSEC_PER_SEC,
                 us % (NSEC_PER_SEC / NSEC_PER_USEC), calls ? us / calls : 0, calls, errors_text, name);
}

static const char separator[] = "------ ----------- ----------- --------- --------- ----------------";

static const char *name_of(const struct trace_call *table, unsigned nr, char *unknown, size_t size)
{
    if (table[nr].name && table[nr].name[0])
        return table[nr].name;
    snprintf(unknown, size, "syscall_0x%x", nr);
    return unknown;
}

static void print_table(const struct call_count *counts, const struct trace_call *table, unsigned count)
{
    static u16 order[ARRAY_SIZE(counts_64)];
    unsigned used = 0;
    u64 total_ns = 0, total_calls = 0, total_errors = 0;
    for (unsigned nr = 0; nr < count; nr++) {
        if (!counts[nr].calls)
            continue;
        /* by time, the longest first (strace's default order); then by number */
        unsigned at = used++;
        while (at > 0 && counts[order[at - 1]].ns < counts[nr].ns) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = (u16)nr;
        total_ns += counts[nr].ns;
        total_calls += counts[nr].calls;
        total_errors += counts[nr].errors;
    }
    summary_line("%% time     seconds  usecs/call     calls    errors syscall");
    summary_line("%s", separator);
    char unknown[24];
    for (unsigned i = 0; i < used; i++) {
        const struct call_count *c = &counts[order[i]];
        u64 share = total_ns ? c->ns * PERCENT_SCALE / total_ns : 0;
        print_row(share, c->ns, c->calls, c->errors, name_of(table, order[i], unknown, sizeof(unknown)));
    }
    summary_line("%s", separator);
    print_row(PERCENT_SCALE, total_ns, total_calls, total_errors, "total");
}

static bool any_calls(const struct call_count *counts, unsigned count)
{
    for (unsigned nr = 0; nr < count; nr++)
        if (counts[nr].calls)
            return true;
    return false;
}

void trace_summary_print(void)
{
    if (!trace_keeps_summary())
        return;
    unsigned count_64 = MIN(trace_call_count(false), (unsigned)ARRAY_SIZE(counts_64));
    unsigned count_32 = MIN(trace_call_count(true), (unsigned)ARRAY_SIZE(counts_32));
    bool both = any_calls(counts_64, count_64) && any_calls(counts_32, count_32);
    if (any_calls(counts_64, count_64) || !any_calls(counts_32, count_32))
        print_table(counts_64, trace_calls_64, count_64);
    if (any_calls(counts_32, count_32)) {
        if (both) /* as strace says when a process changes personality */
            summary_line("System call usage summary for 32 bit mode:");
        print_table(counts_32, trace_calls_32, count_32);
    }
}
