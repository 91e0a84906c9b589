/*
 * The kernel log (Linux's printk ring buffer): every kprintf becomes a record
 * with a sequence number, a level, a facility and the time since boot. The
 * ring keeps every level; the console level only decides what the console
 * shows. syslog(2) (sys/syslog.c), /dev/kmsg and /proc/kmsg
 * (drivers/kmsg.c) read it.
 */
#ifndef SYSGATE_PRINTK_H
#define SYSGATE_PRINTK_H

#include "types.h"
#include "wait.h"

/* Linux's default (CONFIG_LOG_BUF_SHIFT=17): what SYSLOG_ACTION_SIZE_BUFFER reports. */
#define LOG_BUF_LEN (1u << 17)
/* The longest text of one record, as Linux's PRINTKRB_RECORD_MAX: a
 * /dev/kmsg write longer than this is EINVAL, a longer message is cut. */
#define LOG_RECORD_MAX 1024

#define LOG_FACILITY_KERN 0
#define LOG_FACILITY_USER 1
#define LOGLEVEL_WARNING 4
#define LOGLEVEL_DEBUG 7
/* The level of a message that names none: a /dev/kmsg write without "<N>"
 * (Linux's default_message_loglevel). */
#define MESSAGE_LOGLEVEL_DEFAULT LOGLEVEL_WARNING

/* Console levels (Linux's console_loglevel): a message shows on the console
 * when its level is below it. */
#define CONSOLE_LOGLEVEL_MIN 1    /* the lowest syslog(2) may set */
#define CONSOLE_LOGLEVEL_QUIET 4  /* "quiet": errors only */
#define CONSOLE_LOGLEVEL_DEFAULT 5 /* sysgate's default: warnings and errors */
#define CONSOLE_LOGLEVEL_DEBUG 10 /* sysgate.verbose or "debug": everything */
#define CONSOLE_LOGLEVEL_MOTORMOUTH 15 /* a dying kernel's last words */

struct log_record {
    u64 seq;
    u64 ts_nsec; /* CLOCK_MONOTONIC when it was logged */
    u16 text_len;
    u8 facility;
    u8 level;
};

/* Adds a record (the text without its final newline) and wakes the log's readers. */
void log_store(int facility, int level, const char *text, size_t len);
/* The record `seq`, or the oldest one after it when `seq` was overwritten
 * (record->seq says which); false when no record at or after `seq` exists
 * yet. Copies at most `size` bytes of its text. */
bool log_read(u64 seq, struct log_record *record, char *text, size_t size);
/* The oldest record still in the ring, and the one the next message gets. */
u64 log_first_seq(void);
u64 log_next_seq(void);

/* Sleeps until a record at or after `seq` exists: 0 or -ERESTARTSYS. */
int log_wait_for_record(u64 seq);
/* Woken at every new record (poll on /dev/kmsg and /proc/kmsg). */
extern struct wait_queue log_wait;

/* A message from elsewhere than kprintf (a /dev/kmsg write): into the log,
 * and onto the console by its level. `text` has room for one byte more
 * than `len` (the console's newline). */
void printk_emit(int facility, int level, char *text, size_t len);

/* The console level (printk.c); syslog(2) changes it. */
extern int console_loglevel;
/* An oops or a panic: whatever the console level was, the console shows it (Linux's console_verbose). */
void console_verbose(void);
/* Reads loglevel=, quiet, debug and sysgate.verbose from the command line
 * and logs the banner. */
void printk_init(void);

/* syslog(2)'s actions (sys/syslog.c), for /proc/kmsg too (from_proc: its
 * SIZE_UNREAD counts records). */
long do_syslog(int type, char __user *buf, int len, bool from_proc);
#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_SIZE_UNREAD 9
/* /dev/kmsg and /proc/kmsg (drivers/kmsg.c). */
struct file_ops;
extern const struct file_ops devkmsg_ops, proc_kmsg_ops;

/* Where READ_ALL starts: the first record after the last clear (/dev/kmsg's SEEK_DATA). */
u64 syslog_clear_seq(void);

#endif
