/* Choosing QEMU's accelerator: KVM where the host really has hardware virtualization. */
#ifndef SYSGATE_ACCEL_H
#define SYSGATE_ACCEL_H

#include <stdbool.h>

#include "options.h"

enum accelerator { ACCELERATOR_KVM, ACCELERATOR_TCG };

/* Resolves --accel (or its absence) to an accelerator. With no --accel, KVM is chosen only
   when /proc/cpuinfo shows vmx or svm *and* /dev/kvm opens and speaks API version 12;
   otherwise TCG. With `verbose`, one line on stderr names the choice (and nothing else
   does: a program's stderr is its own). --accel kvm fails (125) when /dev/kvm cannot be
   opened at all. */
enum accelerator choose_accelerator(enum accel_request request, bool verbose);

#endif
