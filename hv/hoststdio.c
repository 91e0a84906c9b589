/* The host's standard streams as the guest sees them. A program run by `sysgate run`
   should see what it would see on the host: a terminal where the host has one, a pipe
   where it does not (so it buffers its output the same way). Streams travel through the
   stdio rings (stdioring.c), which have an end-of-file flag; to a guest without rings a
   stream stdin goes over COM1, which has none, so it carries its own: 0xff 0x00 ends it
   and a data byte 0xff is doubled. */
#include "hoststdio.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define STREAM_ESCAPE 0xff
#define STREAM_END 0x00
#define TERMINAL_EOF 0x04 /* ^D: VEOF of a terminal in canonical mode */

struct stdio_plan plan_stdio(enum command command)
{
    struct stdio_plan plan = {.stdin_is_terminal = isatty(STDIN_FILENO) == 1};
    if (command == COMMAND_SHELL)
        return plan; /* the interactive system: all three are the console */
    bool out = isatty(STDOUT_FILENO) == 1;
    bool in = plan.stdin_is_terminal && out;
    bool err = isatty(STDERR_FILENO) == 1 && out;
    snprintf(plan.word, sizeof plan.word, "sysgate.stdio=%c%c%c", in ? 't' : 's', out ? 't' : 's',
             err ? 't' : 's');
    plan.stdin_is_stream = !in;
    return plan;
}

void encode_stdin(const struct stdio_plan *plan, struct byte_queue *to_guest,
                  const unsigned char *bytes, size_t count)
{
    if (!plan->stdin_is_stream) {
        byte_queue_append(to_guest, bytes, count);
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i < count; i++) {
        if (bytes[i] != STREAM_ESCAPE)
            continue;
        byte_queue_append(to_guest, bytes + start, i + 1 - start); /* up to and with 0xff */
        byte_queue_append(to_guest, (const unsigned char[]){STREAM_ESCAPE}, 1);
        start = i + 1;
    }
    byte_queue_append(to_guest, bytes + start, count - start);
}

bool encode_stdin_end(const struct stdio_plan *plan, struct byte_queue *to_guest)
{
    if (plan->stdin_is_stream) {
        byte_queue_append(to_guest, (const unsigned char[]){STREAM_ESCAPE, STREAM_END}, 2);
        return true;
    }
    byte_queue_append(to_guest, (const unsigned char[]){TERMINAL_EOF}, 1);
    return !plan->stdin_is_terminal;
}
