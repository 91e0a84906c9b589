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

void *seq_room(struct seq_buf *s, size_t len)
{
    if (s->overflow || s->len + len > s->size) {
        s->overflow = true;
        return NULL;
    }
    s->len += len;
    return s->buf + s->len - len;
}

void seq_write(struct seq_buf *s, const void *data, size_t len)
{
    void *room = seq_room(s, len);
    if (room)
        memcpy(room, data, len);
}
