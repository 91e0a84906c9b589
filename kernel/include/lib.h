/* The kernel's small C library: strings, memory and formatted output. */
#ifndef SYSGATE_LIB_H
#define SYSGATE_LIB_H

#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
unsigned long parse_ulong(const char *s, const char **end, int base);
/* strerror's words for an errno value (either sign), for the kernel's messages. */
const char *errno_text(int err);
/* Its name ("ENOENT"; the kernel's ERESTART* codes too), NULL when it has none. */
const char *errno_name(int err);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Log levels, as the first character of a kprintf format like Linux's KERN_*. */
#define KERN_ERR "\0013"
#define KERN_WARN "\0014"
#define KERN_INFO "\0016"
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define BUG_ON(cond)                                                                 \
    do {                                                                             \
        if (unlikely(cond))                                                          \
            panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);                    \
    } while (0)

#endif
