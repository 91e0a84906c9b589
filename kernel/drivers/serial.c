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

void serial_init(u16 port)
{
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, 0x80); /* divisor latch: 115200 baud */
    outb(port + UART_DATA, 1);
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, 0x03); /* 8N1 */
    outb(port + UART_FCR, 0x07); /* FIFOs on and cleared */
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

int serial_read_byte(u16 port)
{
    if (!(inb(port + UART_LSR) & LSR_DATA_READY))
        return -1;
    return inb(port + UART_DATA);
}
