/*
 * hypercallbench.c - the cost of a null hypercall (xen_version XENVER_version,
 * which reads no guest memory) made from user space through privcmd: ioctl,
 * the kernel's copy of privcmd_hypercall_t, the hypercall page, the doorbell,
 * the monitor's answer and the way back. Prints "NAME TSC_PER_CALL
 * NS_PER_CALL" as nullcall.c does (instructions under -icount shift=0).
 *
 * Booted with sysgate.hypercall_bench=N, the kernel times N null hypercalls of
 * its own and puts "kernel_null_hypercall TSC NS" on the hypervisor console;
 * this program copies that line from the console ring (sysctl readconsole).
 * Without privcmd (Linux without Xen) it prints nothing: there is no
 * counterpart to compare with.
 */
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sysctl.h>
#include <xen/version.h>
#include <xen/sys/privcmd.h>

#include "benchclock.h"
#include "poweroff.h"

#define ITERATIONS 5000

static void copy_kernel_figure(int fd)
{
    static char ring[64 * 1024];
    memset(ring, 0, sizeof ring);
    struct xen_sysctl op;
    memset(&op, 0, sizeof op);
    op.cmd = XEN_SYSCTL_readconsole;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    set_xen_guest_handle(op.u.readconsole.buffer, ring);
    op.u.readconsole.count = sizeof ring - 1;
    privcmd_hypercall_t call = {.op = __HYPERVISOR_sysctl, .arg = {(uint64_t)(uintptr_t)&op}};
    if (ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call) != 0)
        return;
    const char *line = strstr(ring, "kernel_null_hypercall ");
    if (line)
        printf("%.*s\n", (int)strcspn(line, "\n"), line);
}

int main(void)
{
    int fd = open("/dev/xen/privcmd", O_RDWR);
    if (fd < 0)
        bench_finish(0); /* no hypervisor: nothing to measure */
    privcmd_hypercall_t call = {.op = __HYPERVISOR_xen_version, .arg = {XENVER_version}};
    if (ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call) < 0) {
        perror("hypercallbench: xen_version");
        bench_finish(1);
    }
    uint64_t ns_start = now_ns(), start = tsc();
    for (int i = 0; i < ITERATIONS; i++)
        ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call);
    uint64_t end = tsc(), ns_end = now_ns();
    printf("privcmd_null_hypercall %.1f %.1f\n", (double)(end - start) / ITERATIONS,
           (double)(ns_end - ns_start) / ITERATIONS);
    copy_kernel_figure(fd);
    bench_finish(0);
}
