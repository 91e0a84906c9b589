/* The hypervisor console: Xen's console ring, kept by the monitor. */
#ifndef SYSGATE_HVCONSOLE_H
#define SYSGATE_HVCONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytequeue.h"

#define HV_CONSOLE_RING_SIZE (128u * 1024u) /* the newest 128 KiB are kept */
#define HV_CONSOLE_PREFIX "(sysgate) "

struct hv_console {
    uint8_t ring[HV_CONSOLE_RING_SIZE];
    uint64_t total_written; /* bytes ever written; ring position = total % size */
    bool mid_line;          /* the host echo has an unfinished line */
};

/* Appends guest bytes to the ring and echoes them to `host_echo` (the monitor's stderr),
   with HV_CONSOLE_PREFIX at the start of every line. */
void hv_console_write(struct hv_console *console, const uint8_t *bytes, size_t count,
                      struct byte_queue *host_echo);

/* Ends an unfinished echo line, so that later host messages start on their own line. */
void hv_console_finish_line(struct hv_console *console, struct byte_queue *host_echo);

/* Copies up to `max` ring bytes starting at absolute position `from` (clamped to the
   oldest byte still kept). Returns the count; *next is where the next read starts. For the
   console-read hypercalls (CONSOLEIO_read, sysctl "read console"). */
size_t hv_console_read(const struct hv_console *console, uint64_t from, uint8_t *out,
                       size_t max, uint64_t *next);

#endif
