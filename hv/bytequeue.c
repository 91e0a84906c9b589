/* A growable FIFO of bytes. The monitor bounds every queue itself (it stops reading a
   source while the queue in front of a slow destination is long), so growth here only
   absorbs bursts such as one 64 KiB hypervisor-console write. */
#define _GNU_SOURCE
#include "bytequeue.h"

#include <stdlib.h>
#include <sys/uio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Makes room for `count` more bytes after the queued ones. */
static void reserve(struct byte_queue *queue, size_t count)
{
    if (queue->start + queue->length + count <= queue->capacity)
        return;
    if (queue->start > 0) { /* slide the queued bytes to the front first */
        memmove(queue->data, queue->data + queue->start, queue->length);
        queue->start = 0;
    }
    if (queue->length + count <= queue->capacity)
        return;
    size_t capacity = queue->capacity ? queue->capacity : 16384;
    while (capacity < queue->length + count)
        capacity *= 2;
    queue->data = xrealloc(queue->data, capacity);
    queue->capacity = capacity;
}

void byte_queue_append(struct byte_queue *queue, const void *bytes, size_t count)
{
    if (count == 0)
        return; /* an empty queue has no buffer yet: no pointer arithmetic on NULL */
    reserve(queue, count);
    memcpy(queue->data + queue->start + queue->length, bytes, count);
    queue->length += count;
}

void byte_queue_consume(struct byte_queue *queue, size_t count)
{
    queue->start += count;
    queue->length -= count;
    if (queue->length == 0)
        queue->start = 0;
}

void byte_queue_discard(struct byte_queue *queue)
{
    queue->start = 0;
    queue->length = 0;
}

void byte_queue_free(struct byte_queue *queue)
{
    free(queue->data);
    *queue = (struct byte_queue){0};
}

ssize_t byte_queue_read_from(struct byte_queue *queue, int fd, size_t max)
{
    reserve(queue, max);
    ssize_t got = read(fd, queue->data + queue->start + queue->length, max);
    if (got > 0)
        queue->length += (size_t)got;
    return got;
}

ssize_t byte_queue_write_to(struct byte_queue *queue, int fd, size_t max)
{
    size_t count = queue->length < max ? queue->length : max;
    ssize_t written = write(fd, queue->data + queue->start, count);
    if (written > 0)
        byte_queue_consume(queue, (size_t)written);
    return written;
}

ssize_t byte_queue_write_nowait(struct byte_queue *queue, int fd, size_t max)
{
    size_t count = queue->length < max ? queue->length : max;
    struct iovec piece = {queue->data + queue->start, count};
    ssize_t written = pwritev2(fd, &piece, 1, -1, RWF_NOWAIT);
    if (written > 0)
        byte_queue_consume(queue, (size_t)written);
    return written;
}
