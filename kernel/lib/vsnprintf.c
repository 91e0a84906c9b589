/* printf-style formatting: %d %i %u %x %X %o %p %s %c %%, with l/ll/z, width,
 * zero padding and '-' for left alignment. Enough for the kernel's messages. */
#include "lib.h"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left && pad == '0' && n && (*s == '-')) {
        put(o, *s++);
        n--;
    }
    if (!left)
        while (fill-- > 0)
            put(o, pad);
    while (n--)
        put(o, *s++);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        bool left = false;
        char pad = ' ';
        for (;; fmt++) {
            if (*fmt == '-')
                left = true;
            else if (*fmt == '0')
                pad = '0';
            else
                break;
        }
        int width = 0;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        int precision = -1;
        if (*fmt == '.') {
            fmt++;
            precision = 0;
            if (*fmt == '*') {
                precision = va_arg(ap, int);
                fmt++;
            }
            while (*fmt >= '0' && *fmt <= '9')
                precision = precision * 10 + (*fmt++ - '0');
        }
        int longs = 0;
        while (*fmt == 'l' || *fmt == 'z') {
            longs++;
            fmt++;
        }
        char tmp[24];
        unsigned long long u;
        int base = 10;
        bool negative = false;
        switch (*fmt) {
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            put_padded(&o, tmp, 1, width, left, ' ');
            continue;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = precision >= 0 ? strnlen(s, precision) : strlen(s);
            put_padded(&o, s, n, width, left, ' ');
            continue;
        }
        case '%':
            put(&o, '%');
            continue;
        case 'd':
        case 'i': {
            long long v = longs ? va_arg(ap, long long) : va_arg(ap, int);
            negative = v < 0;
            u = negative ? -(unsigned long long)v : (unsigned long long)v;
            break;
        }
        case 'p':
            u = (unsigned long)va_arg(ap, void *);
            base = 16;
            put(&o, '0');
            put(&o, 'x');
            break;
        case 'x':
        case 'X':
            base = 16;
            /* fall through */
        case 'u':
        case 'o':
            if (*fmt == 'o')
                base = 8;
            u = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
            break;
        default:
            put(&o, '%');
            put(&o, *fmt ? *fmt : '?');
            if (!*fmt)
                fmt--;
            continue;
        }
        const char *digits = *fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        char *p = tmp + sizeof(tmp);
        do {
            *--p = digits[u % base];
            u /= base;
        } while (u);
        if (negative)
            *--p = '-';
        put_padded(&o, p, tmp + sizeof(tmp) - p, width, left, pad);
    }
    if (size)
        o.buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
