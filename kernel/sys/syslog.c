/*
 * syslog(2) (glibc's klogctl): the kernel log read as text, one line per
 * line of a record, each with its "<N>" priority and "[seconds.micros] " time
 * stamp, as Linux formats it. Three readers see the log differently:
 *   - SYSLOG_ACTION_READ (and /proc/kmsg) consumes: one position for the whole
 *     system, waiting for new messages when none is left;
 *   - READ_ALL shows everything since the last clear, and READ_CLEAR or
 *     CLEAR move that point (`dmesg -c`), which nothing else consumes;
 *   - /dev/kmsg readers have a position each (drivers/kmsg.c).
 * Every caller is root in sysgate (no credentials yet), so the checks Linux
 * makes of CAP_SYSLOG always pass; the order of the argument checks is Linux's.
 */
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "printk.h"
#include "spinlock.h"
#include "time.h"
#include "uaccess.h"

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_BUFFER 10

#define CONSOLE_LOGLEVEL_MAX_SETTABLE 8
#define LOGLEVEL_NONE_SAVED (-1) /* Linux's LOGLEVEL_DEFAULT: CONSOLE_OFF saved nothing */
/* One record as text (Linux's PRINTK_MESSAGE_MAX): a record with many
 * short lines, each with its prefix, is cut at this length. */
#define SYSLOG_TEXT_MAX 2048

static struct spinlock syslog_lock; /* the three positions and the saved level */
static u64 syslog_seq;              /* READ's next record */
static size_t syslog_partial;       /* bytes of it READ already gave */
static u64 clear_seq;               /* READ_ALL starts here */
static int saved_console_loglevel = LOGLEVEL_NONE_SAVED;

u64 syslog_clear_seq(void)
{
    u64 flags = spin_lock_irqsave(&syslog_lock);
    u64 seq = clear_seq;
    spin_unlock_irqrestore(&syslog_lock, flags);
    return seq;
}

/* A record's text as syslog gives it: every line prefixed. Returns the length. */
static size_t format_record(const struct log_record *r, const char *text, char *out)
{
    char prefix[48];
    u64 seconds = r->ts_nsec / NSEC_PER_SEC, micros = r->ts_nsec % NSEC_PER_SEC / 1000;
    int prefix_len = snprintf(prefix, sizeof(prefix), "<%u>[%5lu.%06lu] ", (unsigned)(r->facility << 3 | r->level),
                              seconds, micros);
    size_t len = 0;
    const char *line = text, *end = text + r->text_len;
    for (;;) {
        const char *newline = memchr(line, '\n', (size_t)(end - line));
        size_t line_len = (size_t)((newline ? newline : end) - line);
        if (len + (size_t)prefix_len + line_len + 1 > SYSLOG_TEXT_MAX)
            break; /* the rest of the record does not fit: cut, as Linux does */
        memcpy(out + len, prefix, (size_t)prefix_len);
        memcpy(out + len + prefix_len, line, line_len);
        len += (size_t)prefix_len + line_len;
        out[len++] = '\n';
        if (!newline)
            break;
        line = newline + 1;
    }
    return len;
}

struct syslog_buffers {
    char text[LOG_RECORD_MAX];
    char out[SYSLOG_TEXT_MAX];
};

/* The record `*seq` (or the first after it that still exists) as text in
 * b->out; advances *seq to it. false when there is none. */
static bool read_formatted(u64 *seq, struct syslog_buffers *b, size_t *len)
{
    struct log_record r;
    if (!log_read(*seq, &r, b->text, sizeof(b->text)))
        return false;
    *seq = r.seq;
    *len = format_record(&r, b->text, b->out);
    return true;
}

/* READ: what is unread, consumed; waits for a message when none is left. */
static long syslog_read(char __user *buf, size_t size, struct syslog_buffers *b)
{
    u64 flags = spin_lock_irqsave(&syslog_lock);
    for (;;) {
        u64 seq = syslog_seq;
        spin_unlock_irqrestore(&syslog_lock, flags);
        int err = log_wait_for_record(seq);
        if (err)
            return err;
        flags = spin_lock_irqsave(&syslog_lock);
        if (syslog_seq == seq)
            break; /* nobody else read it meanwhile */
    }
    long done = 0;
    while (size) {
        u64 seq = syslog_seq;
        size_t len;
        if (!read_formatted(&seq, b, &len))
            break;
        if (seq != syslog_seq) {
            syslog_seq = seq; /* overwritten before it was read */
            syslog_partial = 0;
        }
        size_t skip = syslog_partial, n = len - skip;
        if (n <= size) {
            syslog_seq++;
            syslog_partial = 0;
        } else if (!done) {
            n = size; /* a first record longer than the buffer comes in pieces */
            syslog_partial += n;
        } else {
            break;
        }
        spin_unlock_irqrestore(&syslog_lock, flags);
        bool fault = copy_to_user(buf + done, b->out + skip, n) != 0;
        flags = spin_lock_irqsave(&syslog_lock);
        if (fault) {
            if (!done)
                done = -EFAULT;
            break;
        }
        done += (long)n;
        size -= n;
    }
    spin_unlock_irqrestore(&syslog_lock, flags);
    return done;
}

/* READ_ALL and READ_CLEAR: the newest records since the last clear that fit. */
static long syslog_read_all(char __user *buf, size_t size, bool clear, struct syslog_buffers *b)
{
    u64 end = log_next_seq();
    u64 start = MAX(syslog_clear_seq(), log_first_seq());
    /* Linux's find_first_fitting_seq: measure everything, then drop the oldest until it fits. */
    size_t total = 0, len;
    for (u64 seq = start; seq < end && read_formatted(&seq, b, &len); seq++)
        total += len;
    for (u64 seq = start; seq < end && total > size && read_formatted(&seq, b, &len); seq++) {
        total -= len;
        start = seq + 1;
    }
    long done = 0;
    u64 seq = start;
    for (; seq < end && read_formatted(&seq, b, &len); seq++) {
        if ((size_t)done + len > size)
            break;
        if (copy_to_user(buf + done, b->out, len)) {
            done = -EFAULT;
            break;
        }
        done += (long)len;
    }
    if (clear) {
        u64 flags = spin_lock_irqsave(&syslog_lock);
        clear_seq = seq;
        spin_unlock_irqrestore(&syslog_lock, flags);
    }
    return done;
}

/* SIZE_UNREAD: the bytes READ would give; /proc/kmsg's poll asks only
 * whether there is any, and gets the number of records. */
static long syslog_size_unread(bool from_proc, struct syslog_buffers *b)
{
    u64 end = log_next_seq();
    u64 flags = spin_lock_irqsave(&syslog_lock);
    u64 first = log_first_seq();
    if (syslog_seq < first) {
        syslog_seq = first;
        syslog_partial = 0;
    }
    u64 seq = syslog_seq;
    size_t partial = syslog_partial;
    spin_unlock_irqrestore(&syslog_lock, flags);
    if (seq >= end)
        return 0;
    if (from_proc)
        return (long)(end - seq);
    size_t total = 0, len;
    for (; seq < end && read_formatted(&seq, b, &len); seq++)
        total += len;
    return (long)(total - MIN(partial, total));
}

long do_syslog(int type, char __user *buf, int len, bool from_proc)
{
    switch (type) {
    case SYSLOG_ACTION_CLOSE:
    case SYSLOG_ACTION_OPEN:
        return 0;
    case SYSLOG_ACTION_READ:
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR:
        if (!buf || len < 0)
            return -EINVAL;
        if (!len)
            return 0;
        if (!user_range_ok((u64)buf, (u64)len))
            return -EFAULT;
        break;
    case SYSLOG_ACTION_CLEAR: {
        u64 next = log_next_seq();
        u64 flags = spin_lock_irqsave(&syslog_lock);
        clear_seq = next;
        spin_unlock_irqrestore(&syslog_lock, flags);
        return 0;
    }
    case SYSLOG_ACTION_CONSOLE_OFF: {
        u64 flags = spin_lock_irqsave(&syslog_lock);
        if (saved_console_loglevel == LOGLEVEL_NONE_SAVED)
            saved_console_loglevel = console_loglevel;
        console_loglevel = CONSOLE_LOGLEVEL_MIN;
        spin_unlock_irqrestore(&syslog_lock, flags);
        return 0;
    }
    case SYSLOG_ACTION_CONSOLE_ON: {
        u64 flags = spin_lock_irqsave(&syslog_lock);
        if (saved_console_loglevel != LOGLEVEL_NONE_SAVED) {
            console_loglevel = saved_console_loglevel;
            saved_console_loglevel = LOGLEVEL_NONE_SAVED;
        }
        spin_unlock_irqrestore(&syslog_lock, flags);
        return 0;
    }
    case SYSLOG_ACTION_CONSOLE_LEVEL: {
        if (len < CONSOLE_LOGLEVEL_MIN || len > CONSOLE_LOGLEVEL_MAX_SETTABLE)
            return -EINVAL;
        u64 flags = spin_lock_irqsave(&syslog_lock);
        console_loglevel = len;
        saved_console_loglevel = LOGLEVEL_NONE_SAVED; /* and the console is on again */
        spin_unlock_irqrestore(&syslog_lock, flags);
        return 0;
    }
    case SYSLOG_ACTION_SIZE_UNREAD:
        break;
    case SYSLOG_ACTION_SIZE_BUFFER:
        return LOG_BUF_LEN;
    default:
        return -EINVAL;
    }
    /* The reading actions: they need room for a record and its text. */
    struct syslog_buffers *b = kmalloc(sizeof(*b));
    if (!b)
        return -ENOMEM;
    long result;
    if (type == SYSLOG_ACTION_READ)
        result = syslog_read(buf, (size_t)len, b);
    else if (type == SYSLOG_ACTION_SIZE_UNREAD)
        result = syslog_size_unread(from_proc, b);
    else
        result = syslog_read_all(buf, (size_t)len, type == SYSLOG_ACTION_READ_CLEAR, b);
    kfree(b);
    return result;
}

long sys_syslog(int type, char __user *buf, int len) { return do_syslog(type, buf, len, false); }
