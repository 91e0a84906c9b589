/*
 * privcmd: Linux's interface for a privileged process to make hypercalls
 * (/dev/xen/privcmd and /proc/xen/privcmd), with the structures and ioctl
 * numbers of Xen's <xen/sys/privcmd.h> as Debian's libxen-dev ships it, so a
 * program built against that header works unchanged.
 *
 * As on Xen, the arguments go to the hypervisor as they are: pointers are the
 * caller's virtual addresses, and the hypervisor, not this driver, checks
 * them through the caller's page tables (the call is marked as made for user
 * space, so a kernel address or an unmapped page is -EFAULT). Like libxc's
 * hypercall buffers, the memory must be present: the hypervisor does not
 * fault pages in.
 */
#include "apic.h"
#include "errno.h"
#include "fs.h"
#include "hypervisor.h"
#include "kernel.h"
#include "lib.h"
#include "uaccess.h"
#include "x86.h"

#include <linux/ioctl.h> /* _IOC, which <xen/sys/privcmd.h> uses without including */
#include <xen/sys/privcmd.h>

long sys_getuid(void);
long sys_geteuid(void);

/* Linux's privcmd_call refuses numbers beyond the hypercall page it would
 * index (PAGE_SIZE / 32 entries): -EINVAL. Xen itself answers -ENOSYS for a
 * number its page has an entry for but that it does not implement. */
#define XEN_HYPERCALL_PAGE_ENTRIES (4096 / 32)

/* For `make bench` (bench/progs/hypercallbench.c): with
 * sysgate.hypercall_bench=N on the command line, the kernel times N null
 * hypercalls of its own (xen_version XENVER_version) and puts the figure on
 * the hypervisor console as "kernel_null_hypercall TSC NS". It does so at the
 * first privcmd open, once the clocks run, so that the figure has wall time. */
static void kernel_hypercall_bench(void)
{
    static bool done;
    const char *value = cmdline_option("sysgate.hypercall_bench=");
    if (done || !value)
        return;
    done = true;
    u64 count = parse_ulong(value, NULL, 0);
    if (count == 0)
        return;
    u64 ns_start = monotonic_ns(), start = rdtsc();
    for (u64 i = 0; i < count; i++)
        hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
    u64 end = rdtsc(), ns_end = monotonic_ns();
    /* tenths, without floating point */
    u64 tsc_tenths = (end - start) * 10 / count, ns_tenths = (ns_end - ns_start) * 10 / count;
    char line[96];
    int length = snprintf(line, sizeof line, "kernel_null_hypercall %lu.%lu %lu.%lu\n", tsc_tenths / 10,
                          tsc_tenths % 10, ns_tenths / 10, ns_tenths % 10);
    hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, (u64)length, (u64)line, 0, 0);
}

/* Only root may make hypercalls: the nodes are 0600 root, and the driver
 * checks the opener's ids itself too. */
static int privcmd_open(struct inode *inode, struct file *f)
{
    (void)inode, (void)f;
    if (sys_getuid() != 0 || sys_geteuid() != 0)
        return -EACCES;
    kernel_hypercall_bench();
    return 0;
}

static long privcmd_hypercall(u64 arg)
{
    privcmd_hypercall_t call;
    if (copy_from_user(&call, (const void __user *)arg, sizeof call))
        return -EFAULT;
    /* Linux passes op to an unsigned int parameter: the upper half is dropped */
    unsigned op = (unsigned)call.op;
    if (op >= XEN_HYPERCALL_PAGE_ENTRIES)
        return -EINVAL;
    return hypercall_for_user(op, call.arg[0], call.arg[1], call.arg[2], call.arg[3], call.arg[4]);
}

/* The 32-bit ABI's privcmd_hypercall_t is the same 48 bytes (all fields are
 * __u64), so one handler serves both; i386 pointers arrive zero-extended. */
static long privcmd_ioctl(struct file *f, unsigned cmd, u64 arg)
{
    (void)f;
    switch (cmd) {
    case IOCTL_PRIVCMD_HYPERCALL:
        return privcmd_hypercall(arg);
    /* Linux's other privcmd commands map foreign memory or target other
     * domains; sysgate has a single guest and no such memory. */
    case IOCTL_PRIVCMD_MMAP:
    case IOCTL_PRIVCMD_MMAPBATCH:
    case IOCTL_PRIVCMD_MMAPBATCH_V2:
    case IOCTL_PRIVCMD_DM_OP:
    case IOCTL_PRIVCMD_RESTRICT:
    case IOCTL_PRIVCMD_MMAP_RESOURCE:
        return -ENOSYS;
    default:
        return -ENOTTY;
    }
}

const struct file_ops privcmd_ops = {.open = privcmd_open, .ioctl = privcmd_ioctl};

void privcmd_init(void) { char_device_register(DEV_XEN_PRIVCMD, &privcmd_ops); }
