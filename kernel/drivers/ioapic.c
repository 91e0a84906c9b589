/* The I/O APIC at its standard address. ISA interrupts 1-15 reach the pins of
 * the same numbers on QEMU's microvm and pc machines (only the timer, IRQ 0,
 * is rerouted, and the kernel uses the local APIC timer instead). */
#include "ioapic.h"
#include "mm.h"

#define IOAPIC_PHYS 0xfec00000
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOREDTBL(pin) (0x10 + 2 * (pin))

static volatile u32 *ioapic;

static void ioapic_write(u32 reg, u32 value)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = value;
}

void ioapic_route(unsigned irq, u8 vector)
{
    if (!ioapic)
        ioapic = map_mmio(IOAPIC_PHYS, 0x20);
    ioapic_write(IOREDTBL(irq) + 1, 0u << 24); /* destination: APIC ID 0 */
    ioapic_write(IOREDTBL(irq), vector);       /* fixed, physical, edge, active high, unmasked */
}
