/* Small helpers shared by the whole monitor. */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void report_va(const char *format, va_list args)
{
    char line[2048];
    int prefix = snprintf(line, sizeof line, "sysgate: ");
    int length = vsnprintf(line + prefix, sizeof line - (size_t)prefix - 1, format, args);
    if (length < 0)
        length = 0;
    size_t total = (size_t)prefix + (size_t)length;
    if (total > sizeof line - 2)
        total = sizeof line - 2; /* truncated: still end the line */
    line[total++] = '\n';
    write_all(STDERR_FILENO, line, total);
}

void report(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    report_va(format, args);
    va_end(args);
}

void fail(int status, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    report_va(format, args);
    va_end(args);
    exit(status);
}

void *xmalloc(size_t size)
{
    void *pointer = malloc(size ? size : 1);
    if (!pointer)
        fail(EXIT_SYSGATE_ERROR, "out of memory (%zu bytes)", size);
    return pointer;
}

void *xrealloc(void *pointer, size_t size)
{
    void *resized = realloc(pointer, size ? size : 1);
    if (!resized)
        fail(EXIT_SYSGATE_ERROR, "out of memory (%zu bytes)", size);
    return resized;
}

char *xstrdup(const char *string)
{
    size_t length = strlen(string) + 1;
    return memcpy(xmalloc(length), string, length);
}

char *xasprintf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *result = NULL;
    int length = vasprintf(&result, format, args);
    va_end(args);
    if (length < 0)
        fail(EXIT_SYSGATE_ERROR, "out of memory");
    return result;
}

bool write_all(int fd, const void *buffer, size_t length)
{
    const char *bytes = buffer;
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return true;
}

bool set_nonblocking(int fd, bool enable)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return false;
    flags = enable ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    return fcntl(fd, F_SETFL, flags) == 0;
}

bool set_cloexec(int fd, bool enable)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0)
        return false;
    flags = enable ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
    return fcntl(fd, F_SETFD, flags) == 0;
}

int64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}
