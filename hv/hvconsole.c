/* The hypervisor console ring, as Xen keeps its own (xen/drivers/char/console.c): a
   producer and a consumer index of 32 bits over a power-of-two ring; the producer only
   grows, the consumer moves when the ring overflows or a reader clears it. `xl dmesg`
   reads it through sysctl readconsole. */
#include "hvconsole.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define RING_INDEX(i) ((i) & (HV_CONSOLE_RING_SIZE - 1))
#define INPUT_INDEX(i) ((i) % HV_CONSOLE_INPUT_SIZE)
#define LOG_LINE_MAX 512

void hv_console_init(struct hv_console *console, struct byte_queue *echo, int echo_file,
                     struct byte_queue *host_stderr)
{
    memset(console, 0, sizeof *console);
    console->echo = echo;
    console->echo_file = echo_file;
    console->user_lines = echo ? NULL : host_stderr;
}

/* Copies the lines of `text` that start with HV_CONSOLE_USER_LINE to the user's stderr.
   `at_line_start`: the ring's last line was complete before `text`. */
static void pass_user_lines(struct hv_console *console, const char *text, size_t count, bool at_line_start)
{
    size_t marker = strlen(HV_CONSOLE_USER_LINE);
    for (size_t i = 0; i < count;) {
        size_t end = i;
        while (end < count && text[end] != '\n')
            end++;
        size_t length = end < count ? end + 1 - i : end - i; /* the newline included */
        if (at_line_start)
            console->in_user_line = length >= marker && memcmp(text + i, HV_CONSOLE_USER_LINE, marker) == 0;
        if (console->in_user_line)
            byte_queue_append(console->user_lines, text + i, length);
        i += length;
        at_line_start = end < count;
    }
}

static void ring_put(struct hv_console *console, const char *text, size_t count)
{
    for (size_t i = 0; i < count; i++)
        console->ring[RING_INDEX(console->producer + (uint32_t)i)] = text[i];
    console->producer += (uint32_t)count;
    /* as Xen's conring_puts: the oldest bytes were overwritten */
    if (console->producer - console->consumer > HV_CONSOLE_RING_SIZE)
        console->consumer = console->producer - HV_CONSOLE_RING_SIZE;
    if (count)
        console->ring_mid_line = text[count - 1] != '\n';
}

static void echo_raw(struct hv_console *console, const char *text, size_t count)
{
    if (console->echo)
        byte_queue_append(console->echo, text, count);
    if (console->echo_file >= 0 && !write_all(console->echo_file, text, count)) {
        report("--hv-console: %s; the hypervisor console is no longer written there",
               strerror(errno));
        console->echo_file = -1;
    }
}

/* The host's copy: the prefix at every line start. */
static void echo_lines(struct hv_console *console, const char *text, size_t count)
{
    size_t line_start = 0;
    for (size_t i = 0; i < count; i++) {
        if (!console->echo_mid_line) {
            echo_raw(console, HV_CONSOLE_PREFIX, strlen(HV_CONSOLE_PREFIX));
            console->echo_mid_line = true;
        }
        if (text[i] == '\n') {
            echo_raw(console, text + line_start, i + 1 - line_start);
            line_start = i + 1;
            console->echo_mid_line = false;
        }
    }
    if (line_start < count)
        echo_raw(console, text + line_start, count - line_start);
}

void hv_console_guest_write(struct hv_console *console, const char *text, size_t count)
{
    console->in_user_line = false;
    ring_put(console, text, count);
    echo_lines(console, text, count);
}

void hv_console_kernel_write(struct hv_console *console, const char *text, size_t count)
{
    if (console->user_lines)
        pass_user_lines(console, text, count, !console->ring_mid_line);
    ring_put(console, text, count);
    echo_lines(console, text, count);
}

void hv_console_log(struct hv_console *console, const char *format, ...)
{
    char line[LOG_LINE_MAX];
    size_t prefix = strlen(HV_CONSOLE_PREFIX);
    memcpy(line, HV_CONSOLE_PREFIX, prefix);
    va_list args;
    va_start(args, format);
    size_t room = sizeof line - prefix - 1; /* the newline's byte stays free */
    int length = vsnprintf(line + prefix, room, format, args);
    va_end(args);
    size_t text = length < 0 ? 0 : (size_t)length < room ? (size_t)length : room - 1; /* cut */
    size_t total = prefix + text;
    line[total++] = '\n';
    if (console->ring_mid_line)
        ring_put(console, "\n", 1);
    ring_put(console, line, total);
    if (console->echo_mid_line) {
        echo_raw(console, "\n", 1);
        console->echo_mid_line = false;
    }
    echo_raw(console, line, total); /* already prefixed */
}

void hv_console_finish_line(struct hv_console *console, struct byte_queue *queue)
{
    if (console->echo_mid_line && console->echo == queue) {
        echo_raw(console, "\n", 1);
        console->echo_mid_line = false;
    }
}

uint32_t hv_console_read_ring(const struct hv_console *console, bool incremental,
                              uint32_t *index, char *out, uint32_t max)
{
    uint32_t c = console->consumer, p = console->producer;
    /* Xen's test: an index between consumer and producer, wrap-around included */
    if (incremental && (c <= p ? c < *index && *index <= p : c < *index || *index <= p))
        c = *index;
    uint32_t copied = 0;
    while (c != p && copied < max) {
        out[copied++] = console->ring[RING_INDEX(c)];
        c++;
    }
    *index = c;
    return copied;
}

void hv_console_clear(struct hv_console *console, uint32_t index)
{
    uint32_t p = console->producer;
    console->consumer = p - index > HV_CONSOLE_RING_SIZE ? p - HV_CONSOLE_RING_SIZE : index;
}

void hv_console_input(struct hv_console *console, const uint8_t *bytes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (console->input_producer - console->input_consumer == HV_CONSOLE_INPUT_SIZE)
            return;
        console->input[INPUT_INDEX(console->input_producer++)] = bytes[i];
    }
}

size_t hv_console_peek_input(const struct hv_console *console, uint8_t *out, size_t max)
{
    size_t count = 0;
    while (count < max && console->input_consumer + (uint32_t)count != console->input_producer) {
        out[count] = console->input[INPUT_INDEX(console->input_consumer + (uint32_t)count)];
        count++;
    }
    return count;
}

void hv_console_consume_input(struct hv_console *console, size_t count)
{
    console->input_consumer += (uint32_t)count;
}

/* Xen's serial_rx: switch keys are eaten in threes; fewer, followed by another key, go
   on as typed. */
size_t hv_console_route_input(struct hv_console *console, const uint8_t *bytes, size_t count,
                              uint8_t *for_guest)
{
    static const uint8_t switch_key = HV_CONSOLE_SWITCH_KEY;
    size_t out = 0;
    for (size_t i = 0; i < count; i++) {
        if (bytes[i] == HV_CONSOLE_SWITCH_KEY) {
            if (++console->switch_keys_held == HV_CONSOLE_SWITCH_PRESSES) {
                console->switch_keys_held = 0;
                console->input_to_hypervisor = !console->input_to_hypervisor;
                hv_console_log(console, "*** Serial input to %s (type 'CTRL-a' three times to switch input)",
                               console->input_to_hypervisor ? "Xen" : "DOM0");
            }
            continue;
        }
        for (; console->switch_keys_held; console->switch_keys_held--) {
            if (console->input_to_hypervisor)
                hv_console_input(console, &switch_key, 1);
            else
                for_guest[out++] = switch_key;
        }
        if (console->input_to_hypervisor)
            hv_console_input(console, &bytes[i], 1);
        else
            for_guest[out++] = bytes[i];
    }
    return out;
}

void hv_console_show_tail(const struct hv_console *console, struct byte_queue *queue, size_t max)
{
    static char tail[HV_CONSOLE_RING_SIZE];
    if (max > sizeof tail)
        max = sizeof tail;
    uint32_t available = console->producer - console->consumer;
    uint32_t index = available > max ? console->producer - (uint32_t)max : console->consumer;
    uint32_t count = hv_console_read_ring(console, true, &index, tail, (uint32_t)max);
    const char *start = tail;
    if (available > max) { /* cut: start at a line boundary */
        const char *newline = memchr(tail, '\n', count);
        if (newline) {
            count -= (uint32_t)(newline + 1 - tail);
            start = newline + 1;
        }
    }
    size_t line_start = 0;
    for (size_t i = 0; i <= count; i++) {
        if (i < count && start[i] != '\n')
            continue;
        if (i > line_start || i < count) {
            size_t prefix = strlen(HV_CONSOLE_PREFIX);
            if (strncmp(start + line_start, HV_CONSOLE_PREFIX, prefix) != 0 || i - line_start < prefix)
                byte_queue_append(queue, HV_CONSOLE_PREFIX, prefix);
            byte_queue_append(queue, start + line_start, i - line_start);
            byte_queue_append(queue, "\n", 1);
        }
        line_start = i + 1;
    }
}
