/*
 * The character devices behind the serial ports.
 *
 * /dev/ttyS0 (= /dev/console, /dev/tty) is the console terminal on COM1
 * (tty.c: its line discipline).
 * /dev/sysgate/{stdin,stdout,stderr} are plain byte streams to the host, used
 * for `sysgate run` when the host's own stream is not a terminal, so that a
 * program sees a pipe where it would on the host (no tty, no output
 * processing) and buffers its output the same way. stdin and stdout share COM1;
 * stderr is COM2. The host marks the end of a stdin stream with the byte pair
 * 0xff 0x00 and escapes a data byte 0xff as 0xff 0xff.
 */
#include "apic.h"
#include "kernel.h"
#include "ioapic.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "proc.h"
#include "serial.h"
#include "signal.h"
#include "tty.h"
#include "uaccess.h"
#include "x86.h"

#define CHUNK 256

static ssize_t serial_write_user(u16 port, const char __user *buf, size_t len)
{
    char chunk[CHUNK];
    size_t done = 0;
    while (done < len) {
        size_t n = MIN(len - done, sizeof(chunk));
        if (copy_from_user(chunk, buf + done, n))
            return done ? (ssize_t)done : -EFAULT;
        serial_write(port, chunk, n);
        done += n;
    }
    return (ssize_t)done;
}

/* Readers and pollers of the host's byte stream: the UART's receive
 * interrupt wakes them. */
static struct wait_queue stream_input_wait;

/* Waits for at least one byte of the stdin stream, asleep on its queue
 * while other tasks run; -1 when a signal comes first. The check and the
 * sleep happen with interrupts off, so the receive interrupt's wake-up
 * cannot come between them. */
static int stream_wait_byte(void)
{
    u64 flags = irq_save();
    int c, err = 0;
    while ((c = serial_read_byte(COM1)) < 0 && !err)
        err = wait_sleep(&stream_input_wait, NULL, WAIT_NO_DEADLINE);
    irq_restore(flags);
    return c;
}

/* ---- raw streams ---- */

static bool stdin_eof;

static ssize_t stream_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)pos;
    if (stdin_eof || len == 0)
        return 0;
    char chunk[CHUNK];
    size_t n = 0;
    len = MIN(len, sizeof(chunk));
    while (n < len) {
        int c = n == 0 ? stream_wait_byte() : serial_read_byte(COM1);
        if (c < 0 && n == 0)
            return -ERESTARTSYS;
        if (c < 0)
            break;
        if (c == 0xff) {
            int next = stream_wait_byte();
            if (next == 0x00) {
                stdin_eof = true;
                break;
            }
            c = next;
        }
        chunk[n++] = (char)c;
    }
    if (copy_to_user(buf, chunk, n))
        return -EFAULT;
    return (ssize_t)n;
}

static ssize_t stdout_stream_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)pos;
    return serial_write_user(COM1, buf, len);
}

static ssize_t stderr_stream_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)pos;
    return serial_write_user(COM2, buf, len);
}

static long stream_ioctl(struct file *f, unsigned cmd, u64 arg)
{
    (void)f, (void)cmd, (void)arg;
    return -ENOTTY;
}

static unsigned serial_poll_in(struct file *f, struct poll_table *table)
{
    poll_wait(f, &stream_input_wait, table);
    return (serial_has_input(COM1) ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static const struct file_ops stdin_stream_ops = {.read = stream_read, .ioctl = stream_ioctl, .poll = serial_poll_in, .stream = true};
static const struct file_ops stdout_stream_ops = {.write = stdout_stream_write, .ioctl = stream_ioctl, .stream = true};
static const struct file_ops stderr_stream_ops = {.write = stderr_stream_write, .ioctl = stream_ioctl, .stream = true};

/* COM1's input goes to the terminal's line discipline (tty.c) when the
 * console is a terminal, and stays in the UART for the stream reader when
 * stdin is a byte stream from the host. */
static bool input_is_stream;

static void serial_interrupt(struct regs *r)
{
    (void)r;
    if (!input_is_stream) {
        int c;
        while ((c = serial_read_byte(COM1)) >= 0)
            tty_receive((char)c);
    } else {
        wake_up_all(&stream_input_wait);
    }
    apic_eoi();
}

void console_devices_init(void)
{
    extern void (*irq_handlers[256])(struct regs *);
    const char *stdio = cmdline_option("sysgate.stdio=");
    input_is_stream = stdio && stdio[0] == 's';
    irq_handlers[VECTOR_SERIAL] = serial_interrupt;
    ioapic_route(IRQ_COM1, VECTOR_SERIAL);
    serial_enable_rx_interrupt(COM1);
    tty_init();
    char_device_register(DEV_TTYS0, console_tty_ops());
    char_device_register(DEV_CONSOLE, console_tty_ops());
    char_device_register(DEV_TTY, console_tty_ops());
    char_device_register(DEV_HOST_STDIN, &stdin_stream_ops);
    char_device_register(DEV_HOST_STDOUT, &stdout_stream_ops);
    char_device_register(DEV_HOST_STDERR, &stderr_stream_ops);
}
