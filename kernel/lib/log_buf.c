/*
 * The kernel log's ring (printk.h). Like Linux's printk_ringbuffer it has two
 * parts: descriptors indexed by sequence number (seq % LOG_DESC_COUNT) and a
 * ring of text bytes. Positions in the text ring only grow; a record's text
 * is contiguous (one that would wrap starts over at the ring's beginning), so
 * a reader copies it in one piece. A new record that needs room drops the
 * oldest ones: readers that were behind learn it from the sequence numbers.
 */
#include "apic.h"
#include "cpu.h"
#include "lib.h"
#include "printk.h"
#include "spinlock.h"
#include "wait.h"

/* Linux sizes its descriptors for records of 32 bytes on average. */
#define LOG_DESC_COUNT (LOG_BUF_LEN / 32)

struct log_desc {
    u64 ts_nsec;
    u64 text_begin; /* position in the text ring: grows forever, taken modulo LOG_BUF_LEN */
    u16 text_len;
    u8 facility;
    u8 level;
};

static char log_text[LOG_BUF_LEN];
static struct log_desc log_descs[LOG_DESC_COUNT];
static u64 first_seq, next_seq; /* the records in the ring: [first_seq, next_seq) */
static u64 text_head;           /* where the next record's text may start */
/* The CPU inside log_store: a fault there reports itself through kprintf,
 * which must not wait for the lock its own CPU holds. */
static struct cpu *log_owner;

static struct spinlock log_lock;
struct wait_queue log_wait;

static struct log_desc *desc_of(u64 seq) { return &log_descs[seq % LOG_DESC_COUNT]; }

static void drop_oldest_until_room(u64 text_end)
{
    while (first_seq < next_seq &&
           (next_seq - first_seq == LOG_DESC_COUNT || text_end - desc_of(first_seq)->text_begin > LOG_BUF_LEN))
        first_seq++;
}

void log_store(int facility, int level, const char *text, size_t len)
{
    len = MIN(len, (size_t)LOG_RECORD_MAX);
    u64 ts_nsec = monotonic_ns();
    if (log_owner == this_cpu())
        return; /* the console has the message; the ring is in an unknown state */
    u64 flags = spin_lock_irqsave(&log_lock);
    log_owner = this_cpu();
    u64 begin = text_head;
    u64 offset = begin % LOG_BUF_LEN;
    if (offset + len > LOG_BUF_LEN)
        begin += LOG_BUF_LEN - offset;
    drop_oldest_until_room(begin + len);
    memcpy(&log_text[begin % LOG_BUF_LEN], text, len);
    *desc_of(next_seq) = (struct log_desc){
        .ts_nsec = ts_nsec,
        .text_begin = begin,
        .text_len = (u16)len,
        .facility = (u8)facility,
        .level = (u8)level,
    };
    next_seq++;
    text_head = begin + len;
    log_owner = NULL;
    spin_unlock_irqrestore(&log_lock, flags);
    wake_up_all(&log_wait);
}

int log_wait_for_record(u64 seq)
{
    u64 flags = spin_lock_irqsave(&log_lock);
    int err = wait_event_locked(&log_wait, &log_lock, seq < next_seq, WAIT_NO_DEADLINE);
    spin_unlock_irqrestore(&log_lock, flags);
    return err;
}

bool log_read(u64 seq, struct log_record *record, char *text, size_t size)
{
    u64 flags = spin_lock_irqsave(&log_lock);
    bool found = seq < next_seq;
    if (found) {
        seq = MAX(seq, first_seq);
        const struct log_desc *d = desc_of(seq);
        *record = (struct log_record){seq, d->ts_nsec, d->text_len, d->facility, d->level};
        memcpy(text, &log_text[d->text_begin % LOG_BUF_LEN], MIN((size_t)d->text_len, size));
    }
    spin_unlock_irqrestore(&log_lock, flags);
    return found;
}

u64 log_first_seq(void)
{
    u64 flags = spin_lock_irqsave(&log_lock);
    u64 seq = first_seq;
    spin_unlock_irqrestore(&log_lock, flags);
    return seq;
}

u64 log_next_seq(void)
{
    u64 flags = spin_lock_irqsave(&log_lock);
    u64 seq = next_seq;
    spin_unlock_irqrestore(&log_lock, flags);
    return seq;
}
