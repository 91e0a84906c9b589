/* Building QEMU's command line and running QEMU as a child the monitor fully controls. */
#ifndef SYSGATE_QEMU_H
#define SYSGATE_QEMU_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "accel.h"
#include "options.h"

/* Resolves the QEMU binary: --qemu, else $SYSGATE_QEMU, else qemu-system-x86_64 searched
   in PATH. Exits 125 with the apt-get line when it is not there. The caller frees it. */
char *find_qemu_binary(const char *requested);

/* The kernel command line (docs/hypervisor-interface.md, "The kernel command line");
   `stdio_word` is sysgate.stdio=XYZ or empty. */
char *build_kernel_cmdline(const struct options *options, const char *stdio_word);

struct qemu_launch {
    const char *binary;
    const struct options *options;
    enum accelerator accelerator;
    const char *kernel_path;
    const char *kernel_cmdline;
    int guest_ram_fd;
    int initramfs_fd;
};

/* The monitor's ends of QEMU's pipes. All are non-blocking and close-on-exec. */
struct qemu_process {
    pid_t pid;
    int console_input;   /* write: bytes for COM1 (QEMU's stdin, stdio chardev) */
    int console_output;  /* read: COM1 output (QEMU's stdout) */
    int serial2;         /* COM2 (socket chardev): read its output, write kicks to the guest */
    int doorbell;        /* read: the debugcon doorbell (file chardev on a pipe) */
    int diagnostics;     /* read: QEMU's own stderr */
};

/* Starts QEMU: its own process group (a terminal ^C reaches only the monitor), killed by
   the kernel if the monitor dies (PR_SET_PDEATHSIG), every signal unblocked. Exits 125
   when exec fails. With --verbose prints the command line first. */
void qemu_start(const struct qemu_launch *launch, struct qemu_process *process);

/* SIGKILLs QEMU's process group (once). Harmless after it has exited. */
void qemu_kill(struct qemu_process *process);

/* Records that the monitor reaped QEMU, so the exit handler does not wait for it again. */
void qemu_forget(struct qemu_process *process);

#endif
