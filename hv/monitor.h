/* The monitor's event loop: relays, doorbell, timeout, signals, and the run's outcome. */
#ifndef SYSGATE_MONITOR_H
#define SYSGATE_MONITOR_H

#include "accel.h"
#include "guestmem.h"
#include "hoststdio.h"
#include "options.h"
#include "qemu.h"

/* The signals the monitor handles, blocked and read through a signalfd. */
int monitor_block_signals(void);

/* Runs until the guest shuts down, QEMU exits, --timeout expires or a signal arrives;
   QEMU is gone and every byte it wrote has been relayed when this returns the exit status
   of `sysgate run` (or shell). */
int monitor_run(const struct options *options, const struct stdio_plan *stdio,
                struct qemu_process *qemu, const struct guest_memory *memory,
                enum accelerator accelerator, int signal_fd);

#endif
