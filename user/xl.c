/* xl: the parts of Xen's toolstack command that apply to sysgate, with xl's
 * output formats:
 *   xl dmesg [-c]   the hypervisor console ring (sysctl readconsole); -c clears it
 *   xl info         what the hypervisor reports (xen_version) and uname
 * Hypercalls go through privcmd with Linux's ABI and Xen's structures from
 * Debian's libxen-dev, as libxc makes them. */
#define __XEN_TOOLS__ 1 /* what a toolstack defines: sysctl.h requires it */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sysctl.h>
#include <xen/version.h>
#include <xen/sys/privcmd.h>

/* libxl reads the ring in pieces of this size (libxl_xen_console_read_start) */
#define CONSOLE_READ_CHUNK 16384

static int privcmd = -1;

static void open_privcmd(void)
{
    static const char *const paths[] = {"/dev/xen/privcmd", "/proc/xen/privcmd"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0] && privcmd < 0; i++)
        privcmd = open(paths[i], O_RDWR | O_CLOEXEC);
    if (privcmd < 0) {
        fprintf(stderr, "xl: cannot open %s: %s\n", paths[0], strerror(errno));
        _exit(1);
    }
}

static long hypercall(unsigned op, unsigned long a0, unsigned long a1, unsigned long a2)
{
    privcmd_hypercall_t call = {.op = op, .arg = {a0, a1, a2}};
    return ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &call);
}

/* The whole ring, in pieces, as libxl_xen_console_read_line does: incremental
 * reads from the index the previous one ended at, each clearing what it read
 * when -c was given. */
static int dmesg(int clear)
{
    static char buffer[CONSOLE_READ_CHUNK];
    memset(buffer, 0, sizeof buffer); /* present: the hypervisor does not fault pages in */
    uint32_t index = 0;
    for (;;) {
        struct xen_sysctl op;
        memset(&op, 0, sizeof op);
        op.cmd = XEN_SYSCTL_readconsole;
        op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
        op.u.readconsole.clear = (uint8_t)clear;
        op.u.readconsole.incremental = 1;
        op.u.readconsole.index = index;
        set_xen_guest_handle(op.u.readconsole.buffer, buffer);
        op.u.readconsole.count = sizeof buffer;
        if (hypercall(__HYPERVISOR_sysctl, (unsigned long)&op, 0, 0) < 0) {
            fprintf(stderr, "xl: reading the console ring: %s\n", strerror(errno));
            return 1;
        }
        if (op.u.readconsole.count == 0)
            break;
        fwrite(buffer, 1, op.u.readconsole.count, stdout);
        index = op.u.readconsole.index;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

static void field(const char *name, const char *value) { printf("%-23s: %s\n", name, value); }

static int info(void)
{
    struct utsname host;
    if (uname(&host) == 0) {
        field("host", host.nodename);
        field("release", host.release);
        field("version", host.version);
        field("machine", host.machine);
    }
    long version = hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    if (version < 0) {
        fprintf(stderr, "xl: xen_version: %s\n", strerror(errno));
        return 1;
    }
    xen_extraversion_t extra;
    xen_capabilities_info_t caps;
    xen_changeset_info_t changeset;
    xen_compile_info_t compile;
    memset(extra, 0, sizeof extra);
    memset(caps, 0, sizeof caps);
    memset(changeset, 0, sizeof changeset);
    memset(&compile, 0, sizeof compile);
    if (hypercall(__HYPERVISOR_xen_version, XENVER_extraversion, (unsigned long)extra, 0) < 0 ||
        hypercall(__HYPERVISOR_xen_version, XENVER_capabilities, (unsigned long)caps, 0) < 0 ||
        hypercall(__HYPERVISOR_xen_version, XENVER_changeset, (unsigned long)changeset, 0) < 0 ||
        hypercall(__HYPERVISOR_xen_version, XENVER_compile_info, (unsigned long)&compile, 0) < 0) {
        fprintf(stderr, "xl: xen_version: %s\n", strerror(errno));
        return 1;
    }
    /* the strings come back NUL-padded; the last byte is ours to terminate */
    extra[sizeof extra - 1] = caps[sizeof caps - 1] = changeset[sizeof changeset - 1] = '\0';
    compile.compiler[sizeof compile.compiler - 1] = compile.compile_by[sizeof compile.compile_by - 1] = '\0';
    compile.compile_domain[sizeof compile.compile_domain - 1] = '\0';
    compile.compile_date[sizeof compile.compile_date - 1] = '\0';
    long pagesize = hypercall(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);

    printf("%-23s: %ld\n", "xen_major", version >> 16);
    printf("%-23s: %ld\n", "xen_minor", version & 0xffff);
    field("xen_extra", extra);
    printf("%-23s: %ld.%ld%s\n", "xen_version", version >> 16, version & 0xffff, extra);
    field("xen_caps", caps);
    if (pagesize > 0)
        printf("%-23s: %ld\n", "xen_pagesize", pagesize);
    field("xen_changeset", changeset);
    field("cc_compiler", compile.compiler);
    field("cc_compile_by", compile.compile_by);
    field("cc_compile_domain", compile.compile_domain);
    field("cc_compile_date", compile.compile_date);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int usage(FILE *out, int status)
{
    fprintf(out, "Usage: xl <subcommand> [args]\n\n"
                 "  dmesg [-c]    read the hypervisor console ring; -c clears it after reading\n"
                 "  info          get information about the hypervisor\n");
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr, 2);
    const char *command = argv[1];
    if (strcmp(command, "help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0)
        return usage(stdout, 0);
    if (strcmp(command, "dmesg") == 0) {
        int clear = 0;
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "-c") != 0) {
                fprintf(stderr, "xl dmesg: unknown argument '%s'\nUsage: xl dmesg [-c]\n", argv[i]);
                return 2;
            }
            clear = 1;
        }
        open_privcmd();
        return dmesg(clear);
    }
    if (strcmp(command, "info") == 0) {
        if (argc > 2) {
            fprintf(stderr, "Usage: xl info\n");
            return 2;
        }
        open_privcmd();
        return info();
    }
    fprintf(stderr, "xl: '%s' is not a subcommand sysgate's xl has\n", command);
    return usage(stderr, 2);
}
