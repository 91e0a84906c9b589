/* The I/O APIC: where the legacy devices' interrupt lines are routed to vectors. */
#ifndef SYSGATE_IOAPIC_H
#define SYSGATE_IOAPIC_H

#include "types.h"

#define IRQ_COM1 4
#define IRQ_COM2 3

/* Delivers ISA interrupt `irq` (edge-triggered, active high, as ISA lines are)
 * to `vector` on the boot CPU. */
void ioapic_route(unsigned irq, u8 vector);

#endif
