/*
 * klog.c - the kernel log through syslog(2) (klogctl), /dev/kmsg and /proc/kmsg.
 *
 *   klog args      syslog's answers to bad arguments (types out of range,
 *                  NULL, negative and kernel buffers, console levels 0 and
 *                  9), the int arguments' upper halves ignored, and the
 *                  calls that only report. Differential: nothing it does
 *                  reads destructively or changes the host's log.
 *   klog kmsg      /dev/kmsg read without writing: one well-formed record per
 *                  read, sequence numbers one apart, EINVAL for a short buffer
 *                  (which consumes the record), EAGAIN at the end, lseek's
 *                  SEEK_SET/SEEK_DATA/SEEK_END and its errors, poll.
 *                  Differential too.
 *   klog write     (sysgate only: it writes) /dev/kmsg writes: "<N>" priorities,
 *                  escaping, the length limit, NUL, the rate limit, a reader
 *                  sleeping until a record comes, EPIPE and POLLERR after the
 *                  ring overwrote what a reader had not read.
 *   klog syslog    (sysgate only: it consumes and clears) READ in small pieces
 *                  against READ_ALL, SIZE_UNREAD, a sleeping READ woken by a
 *                  new message, /proc/kmsg, READ_CLEAR, CLEAR and SEEK_DATA,
 *                  READ_ALL into a short buffer.
 * Prints deterministic lines ("ok ..." or "FAIL ...") and exits 0 when every
 * check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

#define BIG (1 << 20)
#define RECORD_MAX 1024
#define RATELIMIT_BURST 10

static int failures;
static char big[BIG], big2[BIG];

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

static long klog(long type, void *buf, long len) { return syscall(SYS_syslog, type, buf, len); }

/* "= N" for a result, "= -1 ENAME" for an error. */
static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s = -1 %s\n", what, strerror(errno));
    else
        printf("%s = %ld\n", what, r);
}

/* A kernel address: refused before any record is touched, on both ABIs. */
#if defined(__x86_64__)
#define KERNEL_ADDRESS ((void *)0xffff888000000000ul)
#else
#define KERNEL_ADDRESS NULL
#endif
#define UNMAPPED_ADDRESS ((void *)16)

static void bad_arguments(void)
{
    show("type -1", klog(-1, NULL, 0));
    show("type 11", klog(11, NULL, 0));
    show("type 1000", klog(1000, NULL, 0));
    show("CLOSE", klog(SYSLOG_ACTION_CLOSE, NULL, 0));
    show("OPEN", klog(SYSLOG_ACTION_OPEN, NULL, 0));
    for (int type = SYSLOG_ACTION_READ; type <= SYSLOG_ACTION_READ_CLEAR; type++) {
        char what[64];
        snprintf(what, sizeof what, "type %d NULL buffer", type);
        show(what, klog(type, NULL, 100));
        snprintf(what, sizeof what, "type %d length -1", type);
        show(what, klog(type, big, -1));
        snprintf(what, sizeof what, "type %d length 0", type);
        show(what, klog(type, big, 0));
        if (KERNEL_ADDRESS) {
            snprintf(what, sizeof what, "type %d kernel buffer", type);
            show(what, klog(type, KERNEL_ADDRESS, 100));
        }
    }
    /* Linux copies record by record: an unmapped buffer fails at the first
     * copy (READ_ALL only: READ and READ_CLEAR would consume or clear). */
    long all = klog(SYSLOG_ACTION_READ_ALL, big, BIG);
    long unmapped = klog(SYSLOG_ACTION_READ_ALL, UNMAPPED_ADDRESS, BIG);
    check((unmapped < 0 && errno == EFAULT) || (all == 0 && unmapped == 0), "READ_ALL into an unmapped buffer: EFAULT");
    show("CONSOLE_LEVEL 0", klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 0));
    show("CONSOLE_LEVEL 9", klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 9));
    show("CONSOLE_LEVEL -1", klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, -1));
    check(klog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0) >= 4096, "SIZE_BUFFER is a buffer's size");
    check(klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) >= 0, "SIZE_UNREAD answers");
    check(all > 0, "READ_ALL gives the log");
#if defined(__x86_64__)
    /* type and len are ints: the upper halves of the registers do not count. */
    check(klog(0x100000000l | SYSLOG_ACTION_SIZE_BUFFER, NULL, 0) == klog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0),
          "type's upper 32 bits ignored");
    show("READ_ALL length 2^32", klog(SYSLOG_ACTION_READ_ALL, big, 0x100000000l));
    show("CONSOLE_LEVEL 2^32+9", klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 0x100000009l));
#endif
}

/* ---- /dev/kmsg ---- */

struct record {
    unsigned priority;
    unsigned long long seq, usec;
    char text[4 * RECORD_MAX + 2];
};

/* Parses "priority,seq,usec,flag[,more];text\n", which Linux may follow with
 * dictionary lines (" SUBSYSTEM=pci\n"); false when malformed. */
static int parse_record(const char *line, size_t len, struct record *r)
{
    if (len == 0 || line[len - 1] != '\n')
        return 0;
    char flag;
    int body = 0;
    if (sscanf(line, "%u,%llu,%llu,%c%*[^;];%n", &r->priority, &r->seq, &r->usec, &flag, &body) < 4 || !body)
        if (sscanf(line, "%u,%llu,%llu,%c;%n", &r->priority, &r->seq, &r->usec, &flag, &body) < 4 || !body)
            return 0;
    if (flag != '-' && flag != 'c')
        return 0;
    const char *text = line + body, *end = line + len;
    const char *newline = memchr(text, '\n', (size_t)(end - text));
    for (const char *c = text; c < newline; c++)
        if ((unsigned char)*c < ' ' || (unsigned char)*c >= 127)
            return 0; /* unprintable bytes come escaped */
    for (const char *dict = newline + 1; dict < end;) {
        const char *dict_end = memchr(dict, '\n', (size_t)(end - dict));
        if (dict[0] != ' ' || !memchr(dict, '=', (size_t)(dict_end - dict)))
            return 0;
        dict = dict_end + 1;
    }
    size_t text_len = (size_t)(newline - text);
    if (text_len >= sizeof(r->text))
        return 0;
    memcpy(r->text, text, text_len);
    r->text[text_len] = 0;
    return 1;
}

static int read_record(int fd, struct record *r)
{
    char line[8192];
    ssize_t n = read(fd, line, sizeof line);
    if (n <= 0)
        return (int)n;
    return parse_record(line, (size_t)n, r) ? 1 : -2;
}

static void kmsg_reading(void)
{
    /* On the host, other programs log meanwhile and the oldest records go:
     * a read may then give EPIPE once, and the reader goes on from there. */
    int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    check(fd >= 0, "/dev/kmsg opens for reading");
    struct record first, r;
    int got;
    while ((got = read_record(fd, &first)) == -1 && errno == EPIPE)
        ;
    check(got == 1, "a read gives one record");
    int records = 1, consecutive = 1;
    unsigned long long last_seq = first.seq;
    while ((got = read_record(fd, &r)) == 1 || (got == -1 && errno == EPIPE)) {
        if (got == -1)
            continue; /* EPIPE: sequence numbers jump */
        records++;
        consecutive &= r.seq == last_seq + 1;
        last_seq = r.seq;
    }
    int ended = got == -1 && errno == EAGAIN;
    check(ended, "EAGAIN after the last record");
    check(got != -2, "every record is well formed");
    check(consecutive, "sequence numbers one apart");
    check(records > 4, "more than a few records");

    /* Near the newest records, which nothing overwrites meanwhile. */
    char tiny[8];
    check(lseek(fd, 0, SEEK_SET) == 0, "SEEK_SET to the first record");
    unsigned long long near_end = last_seq - 3;
    while ((got = read_record(fd, &r)) == 1 || (got == -1 && errno == EPIPE))
        if (got == 1 && r.seq == near_end)
            break;
    errno = 0;
    check(read(fd, tiny, sizeof tiny) == -1 && errno == EINVAL, "a buffer shorter than the record: EINVAL");
    check(read_record(fd, &r) == 1 && r.seq == near_end + 2, "... and the record is consumed");

    errno = 0;
    check(lseek(fd, 1, SEEK_SET) == -1 && errno == ESPIPE, "lseek to a nonzero offset: ESPIPE");
    errno = 0;
    check(lseek(fd, 0, SEEK_CUR) == -1 && errno == EINVAL, "SEEK_CUR: EINVAL");
    check(lseek(fd, 0, SEEK_END) == 0, "SEEK_END");
    struct pollfd p = {fd, POLLIN, 0};
    check(poll(&p, 1, 0) == 0, "poll at the end: nothing to read");
    errno = 0;
    check(read(fd, tiny, sizeof tiny) == -1 && errno == EAGAIN, "read at the end: EAGAIN");
    check(lseek(fd, 0, SEEK_SET) == 0, "SEEK_SET again");
    check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "poll at the first record: POLLIN");
    check(read_record(fd, &r) == 1 || errno == EPIPE, "a record again");
    check(lseek(fd, 0, SEEK_DATA) == 0, "SEEK_DATA");
    /* At the last clear, which on the host may have been overwritten since. */
    check(read_record(fd, &r) == 1 || errno == EPIPE, "a record (or EPIPE) after SEEK_DATA");
    close(fd);

    fd = open("/dev/kmsg", O_WRONLY);
    errno = 0;
    check(fd >= 0 && read(fd, tiny, sizeof tiny) == -1 && errno == EBADF, "a write-only open does not read");
    close(fd);
}

/* ---- sysgate only: writing ---- */

static void write_message(const char *text, size_t len)
{
    int fd = open("/dev/kmsg", O_WRONLY);
    if (write(fd, text, len) != (ssize_t)len)
        check(0, "a write takes the whole message");
    close(fd);
}

static int next_record(int fd, struct record *r)
{
    return read_record(fd, r) == 1;
}

static void on_signal(int sig) { (void)sig; }

static void catch_without_restart(int sig)
{
    struct sigaction action = {.sa_handler = on_signal}; /* no SA_RESTART */
    sigaction(sig, &action, NULL);
}

/* Signals the child until it exits: one signal might come before it sleeps. */
static void interrupt_until_exit(pid_t child, int *status)
{
    while (waitpid(child, status, WNOHANG) == 0) {
        kill(child, SIGUSR1);
        sched_yield();
    }
}

static void kmsg_writing(void)
{
    klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 1); /* the console stays quiet: the records are what is checked */
    int reader = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    lseek(reader, 0, SEEK_END);
    struct record r;
    write_message("<3>an error\n", 12);
    check(next_record(reader, &r) && r.priority == (1 << 3 | 3) && !strcmp(r.text, "an error"),
          "<3>: level 3, facility user, newline dropped");
    unsigned long long seq = r.seq;
    write_message("plain", 5);
    check(next_record(reader, &r) && r.priority == (1 << 3 | 4) && !strcmp(r.text, "plain") && r.seq == seq + 1,
          "no prefix: level 4, the next sequence number");
    write_message("<30>daemon info", 15);
    check(next_record(reader, &r) && r.priority == 30 && !strcmp(r.text, "daemon info"), "<30>: facility daemon");
    write_message("<abc", 4);
    check(next_record(reader, &r) && r.priority == 12 && !strcmp(r.text, "<abc"), "not a prefix: kept in the text");
    write_message("tab\there\\back\x7f\ntwo", 19);
    check(next_record(reader, &r) && !strcmp(r.text, "tab\\x09here\\x5cback\\x7f\\x0atwo"), "escaped bytes");
    write_message("nul\0hidden", 10);
    check(next_record(reader, &r) && !strcmp(r.text, "nul"), "the text ends at a NUL");

    static char longest[RECORD_MAX + 1];
    memset(longest, 'x', sizeof longest);
    int fd = open("/dev/kmsg", O_WRONLY);
    errno = 0;
    check(write(fd, longest, RECORD_MAX + 1) == -1 && errno == EINVAL, "a write over 1024 bytes: EINVAL");
    check(write(fd, longest, RECORD_MAX) == RECORD_MAX, "1024 bytes are written");
    check(next_record(reader, &r) && strlen(r.text) == RECORD_MAX - 1, "... and kept but for the last");
    close(fd);

    /* Ten messages per open file per five seconds; the rest are counted. */
    fd = open("/dev/kmsg", O_WRONLY);
    for (int i = 0; i < RATELIMIT_BURST + 3; i++)
        write(fd, "<6>burst", 8);
    close(fd);
    int bursts = 0, suppressed = 0;
    while (next_record(reader, &r)) {
        bursts += !strcmp(r.text, "burst");
        suppressed += strstr(r.text, ": 3 output lines suppressed due to ratelimiting") != NULL;
    }
    check(bursts == RATELIMIT_BURST && suppressed == 1, "rate limit: ten written, three counted");

    /* A blocking reader sleeps until a record comes. */
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        int fd = open("/dev/kmsg", O_RDONLY);
        lseek(fd, 0, SEEK_END);
        write(ready[1], "r", 1);
        struct record r;
        _exit(next_record(fd, &r) && !strcmp(r.text, "wake up") ? 0 : 1);
    }
    char byte;
    read(ready[0], &byte, 1);
    write_message("<6>wake up", 10);
    int status;
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a sleeping reader gets the new record");

    /* poll sleeps until a record comes too. */
    child = fork();
    if (child == 0) {
        int fd = open("/dev/kmsg", O_RDONLY);
        lseek(fd, 0, SEEK_END);
        write(ready[1], "p", 1);
        struct pollfd p = {fd, POLLIN, 0};
        _exit(poll(&p, 1, -1) == 1 && p.revents == POLLIN ? 0 : 1);
    }
    read(ready[0], &byte, 1);
    write_message("<6>poll wake", 12);
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a sleeping poll wakes at the new record");

    /* A signal ends the sleep: EINTR where the handler does not restart calls. */
    child = fork();
    if (child == 0) {
        catch_without_restart(SIGUSR1);
        int fd = open("/dev/kmsg", O_RDONLY);
        lseek(fd, 0, SEEK_END);
        write(ready[1], "s", 1);
        char line[8192];
        _exit(read(fd, line, sizeof line) == -1 && errno == EINTR ? 0 : 1);
    }
    read(ready[0], &byte, 1);
    interrupt_until_exit(child, &status);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a signal ends a sleeping read: EINTR");

    /* Records a reader has not read are overwritten: POLLERR, then EPIPE once. */
    int old = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    struct record oldest;
    next_record(old, &oldest);
    long size = klog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
    static char filler[1000];
    memset(filler, 'f', sizeof filler);
    memcpy(filler, "<7>", 3);
    for (long written = 0; written < 2 * size;) {
        fd = open("/dev/kmsg", O_WRONLY);
        for (int i = 0; i < RATELIMIT_BURST; i++, written += (long)sizeof filler)
            write(fd, filler, sizeof filler);
        close(fd);
    }
    struct pollfd p = {old, POLLIN | POLLPRI, 0};
    check(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLERR | POLLPRI), "poll after an overwrite: POLLERR|POLLPRI");
    errno = 0;
    char line[8192];
    check(read(old, line, sizeof line) == -1 && errno == EPIPE, "read after an overwrite: EPIPE");
    check(next_record(old, &r) && r.seq > oldest.seq + 1, "then the oldest record left");
    close(old);
    close(reader);
}

/* ---- sysgate only: syslog's consuming read and the clears ---- */

static void syslog_reading(void)
{
    long all = klog(SYSLOG_ACTION_READ_ALL, big, BIG);
    check(all > 0 && !strncmp(big, "<6>[    0.000000] ", 18), "READ_ALL: \"<6>[    0.000000] \" first");
    check(klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) == all, "SIZE_UNREAD before any READ: all of it");
    /* READ in pieces of 7 bytes gives the same text, and consumes it. */
    long got = 0;
    while (klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) > 0 && got < BIG - 7) {
        long n = klog(SYSLOG_ACTION_READ, big2 + got, 7);
        if (n <= 0)
            break;
        got += n;
    }
    check(got == all && !memcmp(big, big2, (size_t)all), "READ in small pieces gives what READ_ALL gave");
    check(klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) == 0, "SIZE_UNREAD after READ: 0");

    int proc = open("/proc/kmsg", O_RDONLY | O_NONBLOCK);
    check(proc >= 0, "/proc/kmsg opens");
    errno = 0;
    check(read(proc, big2, 100) == -1 && errno == EAGAIN, "/proc/kmsg non-blocking with nothing unread: EAGAIN");
    struct pollfd p = {proc, POLLIN, 0};
    check(poll(&p, 1, 0) == 0, "poll /proc/kmsg: nothing");
    write_message("<5>for proc", 11);
    long unread = klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0);
    check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "poll /proc/kmsg: POLLIN");
    long n = read(proc, big2, 1000);
    check(n == unread && n > 11 && !strncmp(big2, "<13>[", 5) && !memcmp(big2 + n - 11, "] for proc\n", 11),
          "/proc/kmsg gives the line, SIZE_UNREAD its length");
    close(proc);

    while (klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) > 0)
        klog(SYSLOG_ACTION_READ, big2, BIG); /* whatever a failed check above left */
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        write(ready[1], "r", 1);
        char line[200];
        long n = klog(SYSLOG_ACTION_READ, line, sizeof line);
        _exit(n > 0 && memmem(line, (size_t)n, "] woken\n", 8) ? 0 : 1);
    }
    char byte;
    read(ready[0], &byte, 1);
    write_message("<6>woken", 8);
    int status;
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a sleeping READ gets the new message");
    child = fork();
    if (child == 0) {
        catch_without_restart(SIGUSR1);
        write(ready[1], "s", 1);
        char line[200];
        _exit(klog(SYSLOG_ACTION_READ, line, sizeof line) == -1 && errno == EINTR ? 0 : 1);
    }
    read(ready[0], &byte, 1);
    interrupt_until_exit(child, &status);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a signal ends a sleeping READ: EINTR");

    /* READ_ALL into a short buffer: the newest whole lines that fit. */
    all = klog(SYSLOG_ACTION_READ_ALL, big, BIG);
    n = klog(SYSLOG_ACTION_READ_ALL, big2, 100);
    check(n > 0 && n <= 100 && !memcmp(big2, big + all - n, (size_t)n) && (n == all || big[all - n - 1] == '\n'),
          "READ_ALL into 100 bytes: the newest lines that fit");

    check(klog(SYSLOG_ACTION_READ_CLEAR, big2, BIG) == all, "READ_CLEAR gives everything");
    check(klog(SYSLOG_ACTION_READ_ALL, big2, BIG) == 0, "then READ_ALL gives nothing");
    write_message("<6>after the clear", 18);
    n = klog(SYSLOG_ACTION_READ_ALL, big2, BIG);
    check(n > 18 && !memcmp(big2 + n - 18, "] after the clear\n", 18) && memchr(big2, '\n', (size_t)n) == big2 + n - 1,
          "only the new message after READ_CLEAR");
    int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    struct record r;
    check(lseek(fd, 0, SEEK_DATA) == 0 && next_record(fd, &r) && !strcmp(r.text, "after the clear"),
          "SEEK_DATA: the first record after the clear");
    check(klog(SYSLOG_ACTION_CLEAR, NULL, 0) == 0 && klog(SYSLOG_ACTION_READ_ALL, big2, BIG) == 0, "CLEAR");
    check(lseek(fd, 0, SEEK_SET) == 0 && next_record(fd, &r) && r.seq == 0, "/dev/kmsg still has every record");
    close(fd);

    check(klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 8) == 0, "CONSOLE_LEVEL 8");
    check(klog(SYSLOG_ACTION_CONSOLE_OFF, NULL, 0) == 0 && klog(SYSLOG_ACTION_CONSOLE_ON, NULL, 0) == 0,
          "CONSOLE_OFF and CONSOLE_ON");
    show("SIZE_BUFFER", klog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0));
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "args"))
        bad_arguments();
    else if (!strcmp(mode, "kmsg"))
        kmsg_reading();
    else if (!strcmp(mode, "write"))
        kmsg_writing();
    else if (!strcmp(mode, "syslog"))
        syslog_reading();
    else {
        fprintf(stderr, "usage: klog args|kmsg|write|syslog\n");
        return 2;
    }
    return failures ? 1 : 0;
}
