/* How the host's stdin, stdout and stderr map onto the guest's (sysgate.stdio=XYZ), and
   how stdin bytes are encoded on their way to COM1 (the terminal, or a guest without
   stdio rings). */
#ifndef SYSGATE_HOSTSTDIO_H
#define SYSGATE_HOSTSTDIO_H

#include <stdbool.h>
#include <stddef.h>

#include "bytequeue.h"
#include "options.h"

struct stdio_plan {
    /* `run`: the word sysgate.stdio=XYZ, one letter per descriptor 0, 1, 2: 't' = the
       guest's console terminal, 's' = a plain byte stream. Empty for `shell`, whose
       descriptors are all the console. */
    char word[32];
    bool stdin_is_stream;   /* stdin letter 's': 0xff escaping and an end-of-stream marker */
    bool stdin_is_terminal; /* the host's stdin is a tty: its "end of file" (^D) is not final */
};

/* docs/hypervisor-interface.md: a stream is 't' when it is a terminal on the host, except
   that stdin is 't' only when stdin and stdout both are, and stderr only when stderr and
   stdout both are. */
struct stdio_plan plan_stdio(enum command command);

/* Appends host stdin bytes to the queue for COM1, encoded for the plan. */
void encode_stdin(const struct stdio_plan *plan, struct byte_queue *to_guest,
                  const unsigned char *bytes, size_t count);

/* Appends what tells the guest that the host's stdin ended: 0xff 0x00 for a stream, ^D
   (what the host's terminal consumed, or the end of a pipe feeding the guest's console)
   otherwise. Returns true when forwarding must stop (everything but a host terminal,
   which can be read again after ^D). */
bool encode_stdin_end(const struct stdio_plan *plan, struct byte_queue *to_guest);

#endif
