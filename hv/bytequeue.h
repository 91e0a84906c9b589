/* A growable FIFO of bytes between a file descriptor the monitor reads and one it writes. */
#ifndef SYSGATE_BYTEQUEUE_H
#define SYSGATE_BYTEQUEUE_H

#include <stddef.h>
#include <sys/types.h>

struct byte_queue {
    unsigned char *data;
    size_t start;    /* first queued byte */
    size_t length;   /* queued bytes */
    size_t capacity;
};

void byte_queue_append(struct byte_queue *queue, const void *bytes, size_t count);
/* Drops the first `count` queued bytes (at most `length`): they have been used. */
void byte_queue_consume(struct byte_queue *queue, size_t count);
void byte_queue_discard(struct byte_queue *queue);
void byte_queue_free(struct byte_queue *queue);

/* One read(2) of at most `max` bytes appended to the queue; returns what read returned. */
ssize_t byte_queue_read_from(struct byte_queue *queue, int fd, size_t max);

/* One write(2) of at most `max` queued bytes; written bytes leave the queue. Returns what
   write returned. */
ssize_t byte_queue_write_to(struct byte_queue *queue, int fd, size_t max);

/* The same without ever blocking, even on a descriptor the monitor must not make
   non-blocking (it shares it with the shell): pwritev2 with RWF_NOWAIT, which pipes accept
   since Linux 5.x; EAGAIN when nothing fits, EOPNOTSUPP where it is not supported. */
ssize_t byte_queue_write_nowait(struct byte_queue *queue, int fd, size_t max);

#endif
