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

/* Linker-script symbols. */
extern char __kernel_phys_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], __kernel_end[];

#endif
