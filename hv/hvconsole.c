/* The hypervisor console ring (Xen keeps one too, read with `xl dmesg`). */
#include "hvconsole.h"

#include <string.h>

void hv_console_write(struct hv_console *console, const uint8_t *bytes, size_t count,
                      struct byte_queue *host_echo)
{
    for (size_t i = 0; i < count; i++)
        console->ring[(console->total_written + i) % HV_CONSOLE_RING_SIZE] = bytes[i];
    console->total_written += count;

    size_t line_start = 0;
    for (size_t i = 0; i < count; i++) {
        if (!console->mid_line) {
            byte_queue_append(host_echo, HV_CONSOLE_PREFIX, strlen(HV_CONSOLE_PREFIX));
            console->mid_line = true;
        }
        if (bytes[i] == '\n') {
            byte_queue_append(host_echo, bytes + line_start, i + 1 - line_start);
            line_start = i + 1;
            console->mid_line = false;
        }
    }
    if (line_start < count)
        byte_queue_append(host_echo, bytes + line_start, count - line_start);
}

void hv_console_finish_line(struct hv_console *console, struct byte_queue *host_echo)
{
    if (console->mid_line) {
        byte_queue_append(host_echo, "\n", 1);
        console->mid_line = false;
    }
}

size_t hv_console_read(const struct hv_console *console, uint64_t from, uint8_t *out,
                       size_t max, uint64_t *next)
{
    uint64_t oldest = console->total_written > HV_CONSOLE_RING_SIZE
                          ? console->total_written - HV_CONSOLE_RING_SIZE
                          : 0;
    if (from < oldest)
        from = oldest;
    size_t count = 0;
    while (count < max && from + count < console->total_written) {
        out[count] = console->ring[(from + count) % HV_CONSOLE_RING_SIZE];
        count++;
    }
    *next = from + count;
    return count;
}
