#include "serial.h"
#include "x86.h"

enum {
    UART_DATA = 0,
    UART_IER = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
};
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LSR_TRANSMITTER_EMPTY 0x40
#define IER_RX_AVAILABLE 0x01
#define FCR_ENABLE_AND_CLEAR_TRIGGER_1 0x07

void serial_init(u16 port)
{
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, 0x80); /* divisor latch: 115200 baud */
    outb(port + UART_DATA, 1);
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, 0x03); /* 8N1 */
    outb(port + UART_FCR, 0xc7); /* FIFOs on and cleared; interrupt at 14 bytes (or a timeout) */
    outb(port + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (lets the UART raise its IRQ) */
}

void serial_write(u16 port, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!(inb(port + UART_LSR) & LSR_THR_EMPTY))
            cpu_relax();
        outb(port + UART_DATA, (u8)buf[i]);
    }
}

/* Waits until every byte written has left the UART: only "transmitter empty"
 * (not THRE) means QEMU has handed it to its backend. Bounded, so a stuck UART
 * cannot hang a shutdown. */
void serial_flush(u16 port)
{
    for (int spins = 0; spins < 1000000 && !(inb(port + UART_LSR) & LSR_TRANSMITTER_EMPTY); spins++)
        cpu_relax();
}

/* Received bytes raise the UART's interrupt, so a reader can sleep until one comes. */
void serial_enable_rx_interrupt(u16 port) { outb(port + UART_IER, IER_RX_AVAILABLE); }

/* The receive interrupt comes with the first byte, instead of at 14 bytes or
 * after QEMU's four-character timeout (about 0.35 ms): for a port whose every
 * byte is an event (the stdio rings' kick). Clears the receive FIFO. */
void serial_interrupt_per_byte(u16 port) { outb(port + UART_FCR, FCR_ENABLE_AND_CLEAR_TRIGGER_1); }

int serial_read_byte(u16 port)
{
    if (!(inb(port + UART_LSR) & LSR_DATA_READY))
        return -1;
    return inb(port + UART_DATA);
}

bool serial_has_input(u16 port) { return inb(port + UART_LSR) & LSR_DATA_READY; }
