/* privcmd: hypercalls from user space through /dev/xen/privcmd and
 * /proc/xen/privcmd, written as a Xen tool would be, against Debian's
 * libxen-dev headers (<xen/sys/privcmd.h> and Xen's public headers): the
 * hypercalls sysgate serves, the ioctl's errors, pointer arguments the
 * hypervisor must refuse, garbage numbers. Runs only on sysgate (the host
 * has no hypervisor). Prints "ok NAME" or "FAIL NAME ..." per check and a
 * last line with the counts; exits 1 when a check failed.
 *
 *   privcmd MARKER         also puts MARKER on the console with print_string
 *   privcmd read-console   waits (up to 20 s) for console input sent to the
 *                          hypervisor (^A three times at `sysgate shell`) and
 *                          prints it, read with CONSOLEIO_read
 */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1 /* sysctl.h is for toolstacks */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/sysctl.h>
#include <xen/version.h>
#include <xen/sys/privcmd.h>

#define HYPERVISOR_print_string 39 /* sysgate's own */
#define KERNEL_ADDRESS 0xffffffff80000000ull

static int checks, failures;
static int fd = -1;

static void check(const char *name, long got, long want)
{
    checks++;
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        failures++;
        printf("FAIL %s: got %ld, want %ld\n", name, got, want);
    }
}

/* The ioctl's result, or -errno. */
static long call_on(int on, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
    privcmd_hypercall_t call = {.op = op, .arg = {a0, a1, a2, 0, 0}};
    long result = ioctl(on, IOCTL_PRIVCMD_HYPERCALL, &call);
    return result < 0 ? -errno : result;
}

static long call(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2) { return call_on(fd, op, a0, a1, a2); }

static uint64_t address(const void *p) { return (uint64_t)(uintptr_t)p; }

/* A page that is mapped, and the page after it, which is not. */
static char *page_before_hole(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    munmap(area + page, page);
    memset(area, 'x', page); /* present: the hypervisor does not fault pages in */
    return area;
}

static void opening(void)
{
    fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    check("open /dev/xen/privcmd", fd >= 0, 1);
    int proc = open("/proc/xen/privcmd", O_RDWR | O_CLOEXEC);
    check("open /proc/xen/privcmd", proc >= 0, 1);
    check("xen_version through /proc/xen/privcmd", call_on(proc, __HYPERVISOR_xen_version, XENVER_version, 0, 0),
          0x10000);
    close(proc);
    char caps[64] = {0};
    int capabilities = open("/proc/xen/capabilities", O_RDONLY);
    check("read /proc/xen/capabilities", capabilities >= 0 && read(capabilities, caps, sizeof caps - 1) > 0, 1);
    check("capabilities say control_d", strcmp(caps, "control_d\n"), 0);
    close(capabilities);
}

/* A non-root process may not open privcmd. Where setuid to another id is
 * refused (a kernel with root only), this is said, not checked. */
static void non_root(void)
{
    pid_t child = fork();
    if (child == 0) {
        if (setuid(1000) != 0) {
            printf("note: setuid(1000): %s: EACCES for a non-root opener not checked\n", strerror(errno));
            _exit(0);
        }
        int opened = open("/dev/xen/privcmd", O_RDWR);
        _exit(opened < 0 && errno == EACCES ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    check("non-root opener: EACCES", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
}

static void versions(void)
{
    check("xen_version", call(__HYPERVISOR_xen_version, XENVER_version, 0, 0), 0x10000);
    xen_extraversion_t extra;
    memset(extra, 0xff, sizeof extra);
    check("xen_version extraversion", call(__HYPERVISOR_xen_version, XENVER_extraversion, address(extra), 0), 0);
    check("extraversion is -sysgate", strcmp(extra, "-sysgate"), 0);
    xen_compile_info_t compile;
    memset(&compile, 0xff, sizeof compile);
    check("xen_version compile_info", call(__HYPERVISOR_xen_version, XENVER_compile_info, address(&compile), 0), 0);
    check("compiler named", strncmp(compile.compiler, "gcc", 3), 0);
    xen_capabilities_info_t caps;
    memset(caps, 0xff, sizeof caps);
    check("xen_version capabilities", call(__HYPERVISOR_xen_version, XENVER_capabilities, address(caps), 0), 0);
    check("capabilities", strcmp(caps, "hvm-3.0-x86_64"), 0);
    xen_changeset_info_t changeset;
    memset(changeset, 0xff, sizeof changeset);
    check("xen_version changeset", call(__HYPERVISOR_xen_version, XENVER_changeset, address(changeset), 0), 0);
    check("changeset terminated", memchr(changeset, 0, sizeof changeset) != NULL, 1);
    xen_feature_info_t features = {.submap_idx = 0, .submap = 0};
    check("xen_version get_features", call(__HYPERVISOR_xen_version, XENVER_get_features, address(&features), 0), 0);
    check("auto-translated physmap", features.submap, 1u << XENFEAT_auto_translated_physmap);
    features.submap_idx = XENFEAT_NR_SUBMAPS;
    check("get_features beyond the submaps", call(__HYPERVISOR_xen_version, XENVER_get_features, address(&features), 0),
          -EINVAL);
    check("xen_version pagesize", call(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
    check("xen_version unknown command", call(__HYPERVISOR_xen_version, 999, 0, 0), -ENOSYS);
}

static void console(const char *marker)
{
    static const char line[] = "privcmd: a console_io line\n";
    check("console_io write", call(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof line - 1, address(line)),
          sizeof line - 1);
    char input[16];
    memset(input, 0, sizeof input);
    check("console_io read, no input waiting", call(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof input,
                                                    address(input)), 0);
    check("console_io read, count over INT_MAX", call(__HYPERVISOR_console_io, CONSOLEIO_read, 1ull << 31,
                                                      address(input)), -E2BIG);
    check("console_io unknown command", call(__HYPERVISOR_console_io, 7, 0, 0), -ENOSYS);
    check("print_string", call(HYPERVISOR_print_string, address(marker), 0, 0), 0);

    static char longest[1024];
    memset(longest, 'a', sizeof longest);
    check("print_string of 1024 bytes without a NUL", call(HYPERVISOR_print_string, address(longest), 0, 0), -E2BIG);
    longest[1023] = '\0';
    check("print_string of 1023 characters", call(HYPERVISOR_print_string, address(longest), 0, 0), 0);
    /* a string that ends just before an unmapped page: nothing beyond the NUL is read */
    char *page = page_before_hole();
    long size = sysconf(_SC_PAGESIZE);
    strcpy(page + size - 6, "edge");
    check("print_string ending at a hole", call(HYPERVISOR_print_string, address(page + size - 6), 0, 0), 0);
    page[size - 2] = 'x'; /* the NUL: now the string runs to the end of the page */
    check("print_string running into a hole", call(HYPERVISOR_print_string, address(page + size - 6), 0, 0), -EFAULT);
    munmap(page, size);
}

/* sysctl readconsole in Xen's struct xen_sysctl, as libxc's xc_readconsolering. */
static long readconsole(char *buffer, uint32_t count, int incremental, uint32_t *index, uint32_t version)
{
    struct xen_sysctl op;
    memset(&op, 0, sizeof op);
    op.cmd = XEN_SYSCTL_readconsole;
    op.interface_version = version;
    op.u.readconsole.incremental = (uint8_t)incremental;
    op.u.readconsole.index = index ? *index : 0;
    set_xen_guest_handle(op.u.readconsole.buffer, buffer);
    op.u.readconsole.count = count;
    long result = call(__HYPERVISOR_sysctl, address(&op), 0, 0);
    if (result == 0 && index)
        *index = op.u.readconsole.index;
    return result == 0 ? (long)op.u.readconsole.count : result;
}

static void ring(const char *marker)
{
    static char text[256 * 1024];
    memset(text, 0, sizeof text);
    long count = readconsole(text, sizeof text - 1, 0, NULL, XEN_SYSCTL_INTERFACE_VERSION);
    check("readconsole", count > 0, 1);
    check("the ring holds the print_string", count > 0 && strstr(text, marker) != NULL, 1);
    check("the ring holds the console_io line", count > 0 && strstr(text, "privcmd: a console_io line\n") != NULL, 1);
    /* incremental reads in small pieces give the same text */
    static char pieces[256 * 1024];
    memset(pieces, 0, sizeof pieces);
    uint32_t index = 0;
    long total = 0, got;
    while ((got = readconsole(pieces + total, 100, 1, &index, XEN_SYSCTL_INTERFACE_VERSION)) > 0)
        total += got;
    check("incremental reads", got, 0);
    check("incremental reads give the same text", total >= count && memcmp(text, pieces, (size_t)count) == 0, 1);
    check("readconsole, another interface version", readconsole(text, 16, 0, NULL, XEN_SYSCTL_INTERFACE_VERSION - 1),
          -EACCES);
    struct xen_sysctl op;
    memset(&op, 0, sizeof op);
    op.cmd = XEN_SYSCTL_physinfo;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    check("sysctl other than readconsole", call(__HYPERVISOR_sysctl, address(&op), 0, 0), -ENOSYS);
    /* the output buffer must be writable */
    char *read_only = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    volatile char touch = read_only[0];
    (void)touch;
    check("readconsole into a read-only page", readconsole(read_only, 16, 0, NULL, XEN_SYSCTL_INTERFACE_VERSION),
          -EFAULT);
}

static void faults(void)
{
    char *page = page_before_hole();
    long size = sysconf(_SC_PAGESIZE);
    char *hole = page + size;
    check("print_string of a kernel address", call(HYPERVISOR_print_string, KERNEL_ADDRESS, 0, 0), -EFAULT);
    check("print_string of an unmapped address", call(HYPERVISOR_print_string, address(hole), 0, 0), -EFAULT);
    check("console_io write from a kernel address", call(__HYPERVISOR_console_io, CONSOLEIO_write, 16, KERNEL_ADDRESS),
          -EFAULT);
    check("console_io write from an unmapped address", call(__HYPERVISOR_console_io, CONSOLEIO_write, 16,
                                                            address(hole)), -EFAULT);
    check("xen_version into a kernel address", call(__HYPERVISOR_xen_version, XENVER_extraversion, KERNEL_ADDRESS, 0),
          -EFAULT);
    check("xen_version into an unmapped address", call(__HYPERVISOR_xen_version, XENVER_extraversion, address(hole), 0),
          -EFAULT);
    check("sysctl from a kernel address", call(__HYPERVISOR_sysctl, KERNEL_ADDRESS, 0, 0), -EFAULT);
    check("sched_op shutdown from a kernel address", call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, KERNEL_ADDRESS, 0),
          -EFAULT);

    /* the privcmd_hypercall_t itself */
    errno = 0;
    check("ioctl with a NULL privcmd_hypercall_t", ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, NULL) < 0 ? errno : 0, EFAULT);
    errno = 0;
    check("ioctl with an unmapped privcmd_hypercall_t", ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, hole) < 0 ? errno : 0,
          EFAULT);
    errno = 0;
    char *straddling = hole - sizeof(privcmd_hypercall_t) / 2;
    check("ioctl with a privcmd_hypercall_t running into a hole",
          ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, straddling) < 0 ? errno : 0, EFAULT);
    munmap(page, size);
}

static void ioctls(void)
{
    errno = 0;
    check("unknown ioctl: ENOTTY", ioctl(fd, 0x1234, 0) < 0 ? errno : 0, ENOTTY);
    errno = 0;
    check("a terminal's ioctl: ENOTTY", ioctl(fd, 0x5401 /* TCGETS */, 0) < 0 ? errno : 0, ENOTTY);
    errno = 0;
    check("IOCTL_PRIVCMD_UNIMPLEMENTED: ENOTTY", ioctl(fd, IOCTL_PRIVCMD_UNIMPLEMENTED, 0) < 0 ? errno : 0, ENOTTY);
    /* known to Linux but not done (no foreign memory): ENOSYS; the i386
       number differs (privcmd_mmap_t holds a pointer) and is not known */
    privcmd_mmap_t map = {0};
    errno = 0;
    check("IOCTL_PRIVCMD_MMAP", ioctl(fd, IOCTL_PRIVCMD_MMAP, &map) < 0 ? errno : 0,
          sizeof(void *) == 8 ? ENOSYS : ENOTTY);
}

static void garbage(void)
{
    check("hypercall 5 (not implemented)", call(5, 0, 0, 0), -ENOSYS);
    check("hypercall 63", call(63, 0, 0, 0), -ENOSYS);
    check("hypercall 64 (beyond sysgate's page)", call(64, 0, 0, 0), -ENOSYS);
    check("hypercall 127", call(127, 0, 0, 0), -ENOSYS);
    check("hypercall 128 (beyond Xen's page): EINVAL", call(128, 0, 0, 0), -EINVAL);
    check("hypercall 0xffffffff", call(0xffffffffull, 0, 0, 0), -EINVAL);
    check("op's upper half ignored, as Linux's unsigned int", call((1ull << 32) | __HYPERVISOR_xen_version,
                                                                  XENVER_version, 0, 0), 0x10000);
    /* every number with garbage arguments (never shutdown: its argument is a
       kernel address, so it is refused): the monitor answers each */
    unsigned seed = 12345;
    int answered = 0;
    for (uint64_t op = 0; op < 200; op++) {
        seed = seed * 1103515245u + 12345u;
        uint64_t junk = ((uint64_t)seed << 32) | (seed ^ 0x5a5a5a5au);
        long result = op == __HYPERVISOR_sched_op ? call(op, SCHEDOP_yield, junk, junk)
                                                  : call(op, junk, junk, KERNEL_ADDRESS);
        answered += result == 0 || result == 0x10000 || result == -ENOSYS || result == -EINVAL ||
                    result == -EFAULT || result == -E2BIG || result > 0;
    }
    check("200 numbers with garbage arguments answered", answered, 200);
    check("still answering afterwards", call(__HYPERVISOR_xen_version, XENVER_version, 0, 0), 0x10000);
}

/* CONSOLEIO_read never blocks: poll for a line for a while. */
static int read_console(void)
{
    fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    char line[128];
    memset(line, 0, sizeof line);
    size_t length = 0;
    for (int tries = 0; tries < 2000 && (length == 0 || !strpbrk(line, "\r\n")); tries++) {
        long got = call(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof line - 1 - length, address(line + length));
        if (got < 0) {
            printf("console_io read: %s\n", strerror((int)-got));
            return 1;
        }
        length += (size_t)got;
        if (got == 0)
            usleep(10000);
    }
    line[strcspn(line, "\r\n")] = '\0';
    printf("console input: [%s]\n", line);
    return length ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "read-console") == 0)
        return read_console();
    const char *marker = argc > 1 ? argv[1] : "privcmd: print_string from user space";
    setvbuf(stdout, NULL, _IOLBF, 0);
    opening();
    if (fd < 0)
        return 1;
    non_root();
    versions();
    console(marker);
    ring(marker);
    faults();
    ioctls();
    garbage();
    printf("privcmd: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
