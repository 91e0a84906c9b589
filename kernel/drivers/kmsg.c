/*
 * /dev/kmsg and /proc/kmsg, the kernel log as files.
 *
 * /dev/kmsg (Linux's Documentation/ABI/testing/dev-kmsg): every open file
 * has its own position, from the oldest record on; each read gives one
 * whole record as "priority,seq,microseconds,-;text\n" (unprintable bytes
 * of the text as \xNN), EINVAL when it does not fit the buffer (the record
 * is consumed), EPIPE once when records were overwritten before they were
 * read, EAGAIN or a wait when there is none. lseek moves to the first record
 * (SEEK_SET), the first after the last clear (SEEK_DATA) or past the last
 * (SEEK_END). A write is one record: "<N>" in front gives its priority, the
 * facility LOG_USER when it names none; as on Linux, each open file may
 * write ten messages per five seconds, and the rest are dropped and counted.
 *
 * /proc/kmsg is syslog(2)'s consuming READ as a file (sys/syslog.c).
 */
#include "apic.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "printk.h"
#include "proc.h"
#include "spinlock.h"
#include "time.h"
#include "uaccess.h"

#define SEEK_SET 0
#define SEEK_END 2
#define SEEK_DATA 3

/* Linux's PRINTK_MESSAGE_MAX: a record as /dev/kmsg gives it is cut there. */
#define KMSG_LINE_MAX 2048
/* Linux's default rate limit of /dev/kmsg writers (DEFAULT_RATELIMIT_*). */
#define KMSG_RATELIMIT_INTERVAL_NS (5 * NSEC_PER_SEC)
#define KMSG_RATELIMIT_BURST 10

#define LOG_LEVEL(priority) ((priority) & 7)
#define LOG_FACILITY(priority) ((priority) >> 3 & 0xff)

struct kmsg_reader {
    struct spinlock lock;
    u64 seq; /* the next record this file reads */
    /* The writers' rate limit: messages in the current interval, and dropped ones. */
    u64 interval_start;
    unsigned printed, missed;
};

static int devkmsg_open(struct inode *inode, struct file *f)
{
    (void)inode;
    struct kmsg_reader *r = kzalloc(sizeof(*r));
    if (!r)
        return -ENOMEM;
    r->seq = log_first_seq();
    f->private = r;
    return 0;
}

static void devkmsg_release(struct file *f)
{
    struct kmsg_reader *r = f->private;
    if (!r)
        return; /* its open failed */
    if (r->missed)
        kprintf(KERN_WARN "%s: %u output lines suppressed due to ratelimiting\n", current_task()->comm, r->missed);
    kfree(r);
}

/* Linux's msg_add_ext_text: the text with unprintable bytes and backslashes escaped, then `end`. */
static size_t escape_text(char *out, size_t room, const char *text, size_t len, char end)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        bool plain = c >= ' ' && c < 127 && c != '\\';
        size_t need = plain ? 1 : 4;
        if (n + need >= room)
            break; /* keep room for `end` */
        if (plain)
            out[n++] = (char)c;
        else
            n += (size_t)snprintf(out + n, room - n, "\\x%02x", c);
    }
    out[n++] = end;
    return n;
}

static size_t format_ext(const struct log_record *r, const char *text, char *out)
{
    int n = snprintf(out, KMSG_LINE_MAX, "%u,%lu,%lu,-;", (unsigned)(r->facility << 3 | r->level), r->seq,
                     r->ts_nsec / 1000);
    return (size_t)n + escape_text(out + n, KMSG_LINE_MAX - (size_t)n, text, r->text_len, '\n');
}

struct kmsg_buffers {
    char text[LOG_RECORD_MAX];
    char out[KMSG_LINE_MAX];
};

static ssize_t devkmsg_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct kmsg_reader *r = f->private;
    struct kmsg_buffers *b = kmalloc(sizeof(*b));
    if (!b)
        return -ENOMEM;
    ssize_t result;
    struct log_record record;
    for (;;) {
        u64 flags = spin_lock_irqsave(&r->lock);
        u64 seq = r->seq;
        spin_unlock_irqrestore(&r->lock, flags);
        if (!log_read(seq, &record, b->text, sizeof(b->text))) {
            if (f->flags & O_NONBLOCK) {
                result = -EAGAIN;
                goto out;
            }
            result = log_wait_for_record(seq);
            if (result)
                goto out;
            continue;
        }
        flags = spin_lock_irqsave(&r->lock);
        bool raced = r->seq != seq; /* another thread read from this file meanwhile */
        if (!raced)
            r->seq = record.seq == seq ? seq + 1 : record.seq;
        spin_unlock_irqrestore(&r->lock, flags);
        if (raced)
            continue;
        if (record.seq != seq) {
            result = -EPIPE; /* once: the next read gives the oldest record left */
            goto out;
        }
        break;
    }
    size_t n = format_ext(&record, b->text, b->out);
    if (n > len)
        result = -EINVAL;
    else
        result = copy_to_user(buf, b->out, n) ? -EFAULT : (ssize_t)n;
out:
    kfree(b);
    return result;
}

static s64 devkmsg_llseek(struct file *f, s64 offset, unsigned whence)
{
    struct kmsg_reader *r = f->private;
    if (offset)
        return -ESPIPE;
    u64 seq;
    switch (whence) {
    case SEEK_SET: seq = log_first_seq(); break;
    case SEEK_DATA: seq = syslog_clear_seq(); break;
    case SEEK_END: seq = log_next_seq(); break;
    default: return -EINVAL;
    }
    u64 flags = spin_lock_irqsave(&r->lock);
    r->seq = seq;
    spin_unlock_irqrestore(&r->lock, flags);
    return 0;
}

static unsigned devkmsg_poll(struct file *f, struct poll_table *table)
{
    struct kmsg_reader *r = f->private;
    poll_wait(f, &log_wait, table);
    u64 flags = spin_lock_irqsave(&r->lock);
    u64 seq = r->seq;
    spin_unlock_irqrestore(&r->lock, flags);
    struct log_record record;
    if (!log_read(seq, &record, NULL, 0))
        return 0;
    if (record.seq != seq)
        return POLLIN | POLLRDNORM | POLLERR | POLLPRI; /* what it had not read is gone */
    return POLLIN | POLLRDNORM;
}

static bool within_rate_limit(struct kmsg_reader *r)
{
    u64 now = monotonic_ns();
    u64 flags = spin_lock_irqsave(&r->lock);
    if (!r->interval_start || now - r->interval_start >= KMSG_RATELIMIT_INTERVAL_NS) {
        r->interval_start = now;
        r->printed = 0;
    }
    bool allowed = r->printed < KMSG_RATELIMIT_BURST;
    if (allowed)
        r->printed++;
    else
        r->missed++;
    spin_unlock_irqrestore(&r->lock, flags);
    return allowed;
}

static ssize_t devkmsg_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    if (len > LOG_RECORD_MAX)
        return -EINVAL;
    if (!within_rate_limit(f->private))
        return (ssize_t)len;
    char *text = kmalloc(len + 2); /* a NUL, and the console's newline */
    if (!text)
        return -ENOMEM;
    if (copy_from_user(text, buf, len)) {
        kfree(text);
        return -EFAULT;
    }
    text[len] = 0;
    int facility = LOG_FACILITY_USER, level = MESSAGE_LOGLEVEL_DEFAULT;
    char *line = text;
    if (line[0] == '<') {
        const char *end;
        unsigned priority = (unsigned)parse_ulong(line + 1, &end, 10);
        if (*end == '>') {
            level = LOG_LEVEL(priority);
            if (LOG_FACILITY(priority))
                facility = LOG_FACILITY(priority);
            line = (char *)end + 1;
        }
    }
    /* Linux formats the write with "%s": the text ends at a NUL byte, and is
     * one byte short of a record at most. */
    printk_emit(facility, level, line, strnlen(line, LOG_RECORD_MAX - 1));
    kfree(text);
    return (ssize_t)len;
}

const struct file_ops devkmsg_ops = {
    .open = devkmsg_open,
    .release = devkmsg_release,
    .read = devkmsg_read,
    .write = devkmsg_write,
    .llseek = devkmsg_llseek,
    .poll = devkmsg_poll,
};

/* ---- /proc/kmsg ---- */

static int proc_kmsg_open(struct inode *inode, struct file *f)
{
    (void)inode, (void)f;
    return (int)do_syslog(SYSLOG_ACTION_OPEN, NULL, 0, true);
}

static void proc_kmsg_release(struct file *f)
{
    (void)f;
    do_syslog(SYSLOG_ACTION_CLOSE, NULL, 0, true);
}

static ssize_t proc_kmsg_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    if ((f->flags & O_NONBLOCK) && !do_syslog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0, true))
        return -EAGAIN;
    return do_syslog(SYSLOG_ACTION_READ, buf, (int)len, true);
}

static unsigned proc_kmsg_poll(struct file *f, struct poll_table *table)
{
    poll_wait(f, &log_wait, table);
    return do_syslog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0, true) > 0 ? POLLIN | POLLRDNORM : 0;
}

const struct file_ops proc_kmsg_ops = {
    .open = proc_kmsg_open,
    .release = proc_kmsg_release,
    .read = proc_kmsg_read,
    .poll = proc_kmsg_poll,
};
