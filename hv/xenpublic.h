/* Xen's public interface headers as Debian's libxen-dev ships them (/usr/include/xen):
   the hypercall numbers and structures the monitor serves come from there, not from a
   copy. __XEN_TOOLS__ is what a toolstack defines: sysctl.h and domctl.h refuse to be
   included without it, and it selects the latest interface version (without one,
   xen-compat.h would select version 0 and rename sched_op to its compat number). */
#ifndef SYSGATE_XENPUBLIC_H
#define SYSGATE_XENPUBLIC_H

#include <stdint.h>

#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/sysctl.h>
#include <xen/version.h>

/* sysgate's own hypercall (SPEC section 9): Xen's 39 is argo_op, which sysgate does not
   have. Puts a NUL-terminated guest string of at most PRINT_STRING_MAX bytes (the NUL
   included) on the hypervisor console. */
#define SYSGATE_HYPERVISOR_print_string 39
#define PRINT_STRING_MAX 1024
/* sysgate's own console_io command, beside Xen's CONSOLEIO_write and CONSOLEIO_read: whole
   lines of the kernel's system-call trace (sysgate.trace), for --trace-file or stderr. */
#define SYSGATE_CONSOLEIO_trace 0x5347

#endif
