/* Appending to a text being generated (seq_buf.h). */
#include "lib.h"
#include "seq_buf.h"

void seq_printf(struct seq_buf *s, const char *fmt, ...)
{
    if (s->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->len, s->size - s->len, fmt, ap);
    va_end(ap);
    if (s->len + (size_t)n >= s->size)
        s->overflow = true; /* the NUL needs room too: what fits is not all */
    else
        s->len += (size_t)n;
}

void seq_write(struct seq_buf *s, const void *data, size_t len)
{
    if (s->overflow || s->len + len > s->size) {
        s->overflow = true;
        return;
    }
    memcpy(s->buf + s->len, data, len);
    s->len += len;
}
