/*
 * A text being generated (a /proc file's contents): seq_printf appends,
 * and once the text no longer fits, later output is dropped and `overflow`
 * set, so that the caller can generate it again into a larger buffer
 * (Linux's seq_file does the same).
 */
#ifndef SYSGATE_SEQ_BUF_H
#define SYSGATE_SEQ_BUF_H

#include "types.h"

struct seq_buf {
    char *buf;
    size_t size, len;
    bool overflow;
};

void seq_printf(struct seq_buf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_write(struct seq_buf *s, const void *data, size_t len);
/* Room for `len` bytes at the end of the text, counted in it (the caller
 * fills it, or gives it back by lowering len); NULL when it does not fit. */
void *seq_room(struct seq_buf *s, size_t len);

#endif
