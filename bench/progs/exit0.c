/*
 * exit0.c - the boot-to-poweroff benchmark program: it does nothing and ends
 * at once, so the time from starting QEMU to QEMU's exit is the cost of
 * booting the kernel, starting one static program and powering off. How it
 * ends on Linux and on sysgate alike: poweroff.h.
 */
#include "poweroff.h"

int main(void) { bench_finish(0); }
