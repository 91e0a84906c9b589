/* Calls into the sysgate hypervisor (Xen's numbers and conventions). See
 * docs/hypervisor-interface.md. */
#ifndef SYSGATE_HYPERVISOR_H
#define SYSGATE_HYPERVISOR_H

#include "types.h"

/* The interface's numbers and structures come from Xen's public headers as
 * Debian's libxen-dev installs them (/usr/include/xen; the kernel's include
 * path reaches them as <xen/...>). They are freestanding: only <stdint.h>
 * types. A guest names the interface version it was written for, as
 * Linux's asm/xen/interface.h does; without one, xen-compat.h would select
 * version 0 and rename sched_op to its compat number. */
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>

#define HYPERVISOR_console_io __HYPERVISOR_console_io
#define HYPERVISOR_sched_op __HYPERVISOR_sched_op
/* sysgate's own (SPEC section 9): a NUL-terminated string of at most 1 KiB,
 * the NUL included, onto the hypervisor console. Xen's 39 is argo_op. */
#define SYSGATE_HYPERVISOR_print_string 39
/* sysgate's own console_io command, beside Xen's CONSOLEIO_write (0) and
 * CONSOLEIO_read (1): whole lines of the system-call trace, which the
 * monitor sends to --trace-file or its stderr, not to the console. */
#define SYSGATE_CONSOLEIO_trace 0x5347

/* What the hypercall page has entries for: numbers 0-63. */
#define HYPERCALL_ENTRIES 64

/* Xen's struct sched_shutdown, then sysgate's extension: the run's exit
 * status (Xen reads only the reason). */
struct sysgate_sched_shutdown {
    struct sched_shutdown xen;
    u32 exit_status;
};

/* Registers with the hypervisor named on the command line (sysgate.hv=PORT). */
void hypervisor_init(void);
bool hypervisor_present(void);
/* A hypercall of the kernel's own: pointer arguments are kernel addresses. */
long hypercall(unsigned nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4);
/* A hypercall on behalf of the running user process (privcmd): the
 * hypervisor accepts only pointers to memory the process may touch. */
long hypercall_for_user(unsigned nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4);

/* /dev/xen/privcmd's driver (kernel/xen/privcmd.c); registered by
 * hypervisor_init when there is a hypervisor. */
#define DEV_XEN_PRIVCMD MKDEV(10, 60)
void privcmd_init(void);
extern const struct file_ops privcmd_ops;

/* Ends the machine: through the hypervisor when there is one, by a triple
 * fault (QEMU runs with -no-reboot) otherwise. */
noreturn void machine_poweroff(int exit_status);
noreturn void machine_crash(void);

#endif
