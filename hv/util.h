/* Small helpers shared by the whole monitor: error reporting, exit statuses, I/O loops. */
#ifndef SYSGATE_UTIL_H
#define SYSGATE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit statuses of `sysgate run` (SPEC section 1, docs/hypervisor-interface.md). */
enum {
    EXIT_TIMED_OUT = 124,     /* --timeout expired */
    EXIT_SYSGATE_ERROR = 125, /* an error of sysgate itself (usage too), a guest panic, QEMU died */
    EXIT_NOT_EXECUTABLE = 126,
    EXIT_NOT_FOUND = 127,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Prints "sysgate: MESSAGE\n" on stderr with a single write(2), so that the line never
   interleaves with output of other processes. */
void report(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* report() and exit(status). Exit handlers (qemu.c registers one) stop QEMU. */
_Noreturn void fail(int status, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that cannot fail: the monitor has no sensible way to go on without memory. */
void *xmalloc(size_t size);
void *xrealloc(void *pointer, size_t size);
char *xstrdup(const char *string);
char *xasprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Writes all bytes, retrying on EINTR and short writes. Returns false with errno set. */
bool write_all(int fd, const void *buffer, size_t length);

/* Sets or clears O_NONBLOCK / FD_CLOEXEC. */
bool set_nonblocking(int fd, bool enable);
bool set_cloexec(int fd, bool enable);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t monotonic_ms(void);

#endif
