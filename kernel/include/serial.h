/* 16550 UARTs: COM1 is the console; COM2 receives the monitor's kicks for the
 * stdio rings (drivers/stdio_ring.c). */
#ifndef SYSGATE_SERIAL_H
#define SYSGATE_SERIAL_H

#include "types.h"

#define COM1 0x3f8
#define COM2 0x2f8

void serial_init(u16 port);
void serial_write(u16 port, const char *buf, size_t len);
void serial_flush(u16 port);
bool serial_has_input(u16 port);
void serial_enable_rx_interrupt(u16 port);
void serial_interrupt_per_byte(u16 port);
/* Returns the next received byte, or -1 when none is waiting. */
int serial_read_byte(u16 port);

#endif
