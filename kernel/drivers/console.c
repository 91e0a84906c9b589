/*
 * The console terminal's devices: /dev/ttyS0 (= /dev/console, /dev/tty) on
 * COM1, with tty.c's line discipline fed by the UART's receive interrupt.
 * The program's streams to the host (/dev/sysgate/...) are stdio_ring.c's.
 */
#include "apic.h"
#include "kernel.h"
#include "ioapic.h"
#include "fs.h"
#include "serial.h"
#include "stdio_ring.h"
#include "tty.h"
#include "x86.h"

static void serial_interrupt(struct regs *r)
{
    (void)r;
    int c;
    while ((c = serial_read_byte(COM1)) >= 0)
        tty_receive((char)c);
    apic_eoi();
}

void console_devices_init(void)
{
    extern void (*irq_handlers[256])(struct regs *);
    irq_handlers[VECTOR_SERIAL] = serial_interrupt;
    ioapic_route(IRQ_COM1, VECTOR_SERIAL);
    serial_enable_rx_interrupt(COM1);
    tty_init();
    char_device_register(DEV_TTYS0, console_tty_ops());
    char_device_register(DEV_CONSOLE, console_tty_ops());
    char_device_register(DEV_TTY, console_tty_ops());
    stdio_devices_init();
}
