/* Choosing QEMU's accelerator. Some hosts (nested sandboxes, software hypervisors) expose a
   /dev/kvm that answers the KVM API but cannot run a real kernel's entry code; they show no
   vmx/svm flag in /proc/cpuinfo, which is why both are checked (SPEC section 2). */
#define _GNU_SOURCE
#include "accel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util.h"

/* True when the first "flags" line of /proc/cpuinfo has the word vmx or svm. */
static bool host_has_hardware_virtualization(void)
{
    FILE *cpuinfo = fopen("/proc/cpuinfo", "re");
    if (!cpuinfo)
        return false;
    char *line = NULL;
    size_t capacity = 0;
    bool found = false;
    while (getline(&line, &capacity, cpuinfo) > 0) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        for (char *word = strtok(strchr(line, ':') ? strchr(line, ':') + 1 : line, " \t\n");
             word; word = strtok(NULL, " \t\n"))
            if (strcmp(word, "vmx") == 0 || strcmp(word, "svm") == 0)
                found = true;
        break; /* every CPU has the same flags; the first line is enough */
    }
    free(line);
    fclose(cpuinfo);
    return found;
}

/* Returns 0 when /dev/kvm opens and reports KVM_API_VERSION, else an errno value. */
static int probe_dev_kvm(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int version = ioctl(fd, KVM_GET_API_VERSION, 0);
    close(fd);
    return version == KVM_API_VERSION ? 0 : ENOTSUP;
}

enum accelerator choose_accelerator(enum accel_request request, bool verbose)
{
    /* SPEC 2: --verbose names the engine; otherwise a program's stderr is its own */
    if (request == ACCEL_TCG) {
        if (verbose)
            report("using TCG (--accel tcg)");
        return ACCELERATOR_TCG;
    }
    if (request == ACCEL_KVM) {
        int error = probe_dev_kvm();
        if (error == ENOTSUP)
            fail(EXIT_SYSGATE_ERROR, "--accel kvm: /dev/kvm does not speak KVM API version %d",
                 KVM_API_VERSION);
        if (error)
            fail(EXIT_SYSGATE_ERROR, "--accel kvm: cannot open /dev/kvm: %s", strerror(error));
        if (!host_has_hardware_virtualization())
            report("warning: --accel kvm on a host without vmx/svm in /proc/cpuinfo; "
                   "the guest may not boot");
        if (verbose)
            report("using KVM (--accel kvm)");
        return ACCELERATOR_KVM;
    }
    if (!host_has_hardware_virtualization()) {
        if (verbose)
            report("using TCG (no hardware virtualization: no vmx/svm in /proc/cpuinfo)");
        return ACCELERATOR_TCG;
    }
    int error = probe_dev_kvm();
    if (error) {
        if (verbose)
            report("using TCG (/dev/kvm: %s)", error == ENOTSUP ? "wrong API version" : strerror(error));
        return ACCELERATOR_TCG;
    }
    if (verbose)
        report("using KVM");
    return ACCELERATOR_KVM;
}
