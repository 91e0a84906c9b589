/* The hypervisor console: Xen's console ring, kept by the monitor, and where the host
   sees it. */
#ifndef SYSGATE_HVCONSOLE_H
#define SYSGATE_HVCONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytequeue.h"

/* The newest 128 KiB are kept. A power of two, as Xen's conring_size: the 32-bit
   producer and consumer indices then wrap around without a discontinuity. */
#define HV_CONSOLE_RING_SIZE (128u * 1024u)
/* Every line the host sees starts with this, as on Xen's serial console; the hypervisor's
   own lines carry it in the ring too, as Xen's printk puts it there. */
#define HV_CONSOLE_PREFIX "(XEN) "
/* Console input waiting for CONSOLEIO_read: Xen's SERIAL_RX_SIZE. */
#define HV_CONSOLE_INPUT_SIZE 128u

struct hv_console {
    char ring[HV_CONSOLE_RING_SIZE];
    uint32_t producer;   /* Xen's conringp: bytes ever written, modulo 2^32 */
    uint32_t consumer;   /* Xen's conringc: the oldest byte a reader can get */
    bool ring_mid_line;  /* the ring's last line is unfinished */

    /* Where the host sees the console (docs/hypervisor-interface.md): nowhere unless the
       user asked, so that nothing mixes into a program's stderr unasked. */
    struct byte_queue *echo; /* the monitor's stderr queue, or NULL */
    int echo_file;           /* --hv-console FILE, or -1 */
    bool echo_mid_line;      /* the host's copy has an unfinished line */
    /* The kernel's lines for the user of sysgate ("sysgate: cannot execute PROGRAM: ..."),
       which start HV_CONSOLE_USER_LINE, go to the monitor's stderr as they are when the
       console is not shown there: they are sysgate's own errors, not console chatter. */
    struct byte_queue *user_lines;
    bool in_user_line;       /* the ring's current line is one of them */

    uint8_t input[HV_CONSOLE_INPUT_SIZE];
    uint32_t input_producer, input_consumer;
    bool input_to_hypervisor;  /* switched with ^A three times, as on Xen's serial console */
    unsigned switch_keys_held; /* ^A bytes seen in a row, held back (fewer than 3) */
};

#define HV_CONSOLE_USER_LINE "sysgate: "

/* `host_stderr` receives the kernel's lines for the user when `echo` is NULL. */
void hv_console_init(struct hv_console *console, struct byte_queue *echo, int echo_file,
                     struct byte_queue *host_stderr);

/* Text a guest wrote (console_io, print_string): into the ring as it is, to the host with
   HV_CONSOLE_PREFIX at the start of every line. */
void hv_console_guest_write(struct hv_console *console, const char *text, size_t count);
/* The same for the guest kernel's own console_io writes, whose lines for the user (see
   user_lines) may also go to the monitor's stderr. */
void hv_console_kernel_write(struct hv_console *console, const char *text, size_t count);

/* One line of the hypervisor's own ("(XEN) " + text + newline), after ending any
   unfinished guest line. */
void hv_console_log(struct hv_console *console, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Ends an unfinished echo line on `queue`, so that a later host message written to the
   same queue starts on its own line. */
void hv_console_finish_line(struct hv_console *console, struct byte_queue *queue);

/* Xen's read_console_ring without the copy: from the consumer index, or from *index when
   `incremental` and *index lies between consumer and producer, copies at most `max`
   bytes to `out` and sets *index to where the next read starts. Returns the count. */
uint32_t hv_console_read_ring(const struct hv_console *console, bool incremental,
                              uint32_t *index, char *out, uint32_t max);

/* Xen's `clear` after a read that ended at `index`: the bytes before it are gone. */
void hv_console_clear(struct hv_console *console, uint32_t index);

/* Console input for CONSOLEIO_read: bytes that do not fit are dropped, as Xen's serial
   receive ring drops them. */
void hv_console_input(struct hv_console *console, const uint8_t *bytes, size_t count);
/* Copies up to `max` waiting input bytes; they stay until consumed (a read whose copy to
   the guest faults loses nothing). */
size_t hv_console_peek_input(const struct hv_console *console, uint8_t *out, size_t max);
void hv_console_consume_input(struct hv_console *console, size_t count);

/* The switch key, as Xen's serial console has it: ^A three times in a row moves the
   terminal's input between the guest and the hypervisor (CONSOLEIO_read), with a line
   on the console that says where it goes. */
#define HV_CONSOLE_SWITCH_KEY 0x01
#define HV_CONSOLE_SWITCH_PRESSES 3
/* Routes terminal input: writes to `for_guest` (room for count + 2 bytes) what goes to
   the guest and returns its length; the rest becomes console input for the hypervisor. */
size_t hv_console_route_input(struct hv_console *console, const uint8_t *bytes, size_t count,
                              uint8_t *for_guest);

/* The newest lines of the ring (at most `max` bytes, from a line start), each prefixed
   for the host: what a panic leaves behind when the console was not shown. */
void hv_console_show_tail(const struct hv_console *console, struct byte_queue *queue, size_t max);

#endif
