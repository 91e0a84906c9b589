/* The program's stdin, stdout and stderr as byte rings in guest RAM that the
 * sysgate monitor reads and writes directly (docs/hypervisor-interface.md,
 * "The stdio rings"): /dev/sysgate/stdin, /dev/sysgate/stdout and
 * /dev/sysgate/stderr. */
#ifndef SYSGATE_STDIO_RING_H
#define SYSGATE_STDIO_RING_H

/* Hands the rings to the monitor named by sysgate.hv=PORT. Called before the
 * hypercall area is registered: the monitor sends stdin through the ring only
 * to a guest that registered one by then. */
void stdio_rings_register(void);

/* The character devices and the interrupt that wakes their sleepers. */
void stdio_devices_init(void);

#endif
