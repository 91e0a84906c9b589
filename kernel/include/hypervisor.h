/* Calls into the sysgate hypervisor (Xen's numbers and conventions). See
 * docs/hypervisor-interface.md. */
#ifndef SYSGATE_HYPERVISOR_H
#define SYSGATE_HYPERVISOR_H

#include "types.h"

#define HYPERVISOR_xen_version 17
#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define HYPERVISOR_sysctl 35
#define HYPERVISOR_print_string 39

#define CONSOLEIO_write 0
#define CONSOLEIO_read 1
#define SCHEDOP_yield 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_crash 3

struct sched_shutdown {
    u32 reason;
    u32 exit_status; /* sysgate's extension; Xen reads only reason */
};

/* Registers with the hypervisor named on the command line (sysgate.hv=PORT). */
void hypervisor_init(void);
bool hypervisor_present(void);
long hypercall(unsigned nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4);

/* Ends the machine: through the hypervisor when there is one, by a triple
 * fault (QEMU runs with -no-reboot) otherwise. */
noreturn void machine_poweroff(int exit_status);
noreturn void machine_crash(void);

#endif
