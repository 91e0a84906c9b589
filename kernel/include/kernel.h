/* Things every part of the kernel may need: the boot facts and debugging aids. */
#ifndef SYSGATE_KERNEL_H
#define SYSGATE_KERNEL_H

#include "types.h"

extern bool kernel_verbose;
extern bool kernel_trace;
extern char kernel_cmdline[1024];

/* Finds "name" (e.g. "sysgate.stderr=") as a word of the command line and
 * returns what follows it, or NULL. */
const char *cmdline_option(const char *name);

void dump_backtrace(u64 rbp);

/* What uname says (sys/info.c): Linux, at the version whose ABI sysgate follows. */
#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-sysgate"
#define UTS_VERSION "#1 SMP sysgate"
const char *uts_host_name(void);
const char *uts_domain_name(void);

/* Linker-script symbols. */
extern char __kernel_phys_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], __kernel_end[];

#endif
