/* The guest's initial file system: the default archive plus one the monitor writes. */
#ifndef SYSGATE_INITRAMFS_H
#define SYSGATE_INITRAMFS_H

#include "options.h"

/* Builds the initramfs in a memfd (close-on-exec; qemu.c hands it to QEMU as
   /proc/self/fd/N) and returns its fd: the default userland archive at
   `default_archive_path`, zero padding to a 4-byte boundary, then a second cpio "newc"
   archive with, for `run`, PROGRAM as /host/NAME (mode 0755) and /etc/sysgate/init.args;
   and the --add files, parent directories included. Exits 125 on any problem. */
int build_initramfs(const char *default_archive_path, const struct options *options);

/* The guest path of PROGRAM: /host/BASENAME. The caller frees it. */
char *guest_program_path(const char *program);

#endif
