/* The hypercalls (docs/hypervisor-interface.md, "Hypercalls"): Xen's numbers, conventions
   and structures, from Xen's own public headers (xenpublic.h). Pointer arguments are
   guest-virtual, translated through the caller's page tables; anything that does not
   translate to guest RAM the caller may touch is -EFAULT. Every guest structure is copied
   in once and used from the copy: the guest may change its memory meanwhile. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "hypervisor.h"
#include "util.h"
#include "xenpublic.h"

#define CONSOLE_WRITE_MAX (64u * 1024u)
#define GUEST_PAGE_SIZE 4096u

/* What xen_version reports about the build (the Makefile passes the build's facts). */
#define SYSGATE_EXTRAVERSION "-sysgate"
#define SYSGATE_CAPABILITIES "hvm-3.0-x86_64" /* a 64-bit PVH (HVM container) guest */
#ifndef SYSGATE_CHANGESET
#define SYSGATE_CHANGESET "unknown"
#endif
#ifndef SYSGATE_COMPILE_BY
#define SYSGATE_COMPILE_BY "unknown"
#endif
#ifndef SYSGATE_COMPILE_DOMAIN
#define SYSGATE_COMPILE_DOMAIN ""
#endif
#ifndef SYSGATE_COMPILER
#define SYSGATE_COMPILER "gcc " __VERSION__
#endif
#ifndef SYSGATE_COMPILE_DATE
#define SYSGATE_COMPILE_DATE __DATE__ " " __TIME__
#endif

static struct guest_address_space caller_space(const struct hypervisor *hypervisor,
                                               const struct hypercall_request *request)
{
    return (struct guest_address_space){
        .memory = hypervisor->memory,
        .cr3 = request->cr3,
        .user = (request->flags & HYPERCALL_FLAG_USER) != 0,
    };
}

static int copy_in(struct hypervisor *hypervisor, const struct hypercall_request *request,
                   void *destination, uint64_t address, uint64_t length)
{
    struct guest_address_space space = caller_space(hypervisor, request);
    return guest_copy_from_virtual(&space, destination, address, length);
}

static int copy_out(struct hypervisor *hypervisor, const struct hypercall_request *request,
                    uint64_t address, const void *source, uint64_t length)
{
    struct guest_address_space space = caller_space(hypervisor, request);
    return guest_copy_to_virtual(&space, address, source, length);
}

/* A fixed-size string buffer of Xen's (xen_extraversion_t...), NUL-padded as Xen's
   safe_strcpy into a zeroed buffer leaves it. */
static int copy_out_string(struct hypervisor *hypervisor, const struct hypercall_request *request,
                           uint64_t address, const char *text, size_t size)
{
    char buffer[sizeof(xen_capabilities_info_t)];
    memset(buffer, 0, size);
    strncpy(buffer, text, size - 1);
    return copy_out(hypervisor, request, address, buffer, size);
}

static int64_t xen_version(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    uint64_t argument = request->args[1];
    switch (request->args[0]) {
    case XENVER_version:
        return SYSGATE_VERSION_MAJOR << 16 | SYSGATE_VERSION_MINOR;
    case XENVER_extraversion:
        return copy_out_string(hypervisor, request, argument, SYSGATE_EXTRAVERSION,
                               sizeof(xen_extraversion_t));
    case XENVER_compile_info: {
        xen_compile_info_t info;
        memset(&info, 0, sizeof info);
        snprintf(info.compiler, sizeof info.compiler, "%s", SYSGATE_COMPILER);
        snprintf(info.compile_by, sizeof info.compile_by, "%s", SYSGATE_COMPILE_BY);
        snprintf(info.compile_domain, sizeof info.compile_domain, "%s", SYSGATE_COMPILE_DOMAIN);
        snprintf(info.compile_date, sizeof info.compile_date, "%s", SYSGATE_COMPILE_DATE);
        return copy_out(hypervisor, request, argument, &info, sizeof info);
    }
    case XENVER_capabilities:
        return copy_out_string(hypervisor, request, argument, SYSGATE_CAPABILITIES,
                               sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_out_string(hypervisor, request, argument, SYSGATE_CHANGESET,
                               sizeof(xen_changeset_info_t));
    case XENVER_get_features: {
        xen_feature_info_t info;
        int error = copy_in(hypervisor, request, &info, argument, sizeof info);
        if (error)
            return error;
        if (info.submap_idx >= XENFEAT_NR_SUBMAPS)
            return -EINVAL;
        /* the guest works with its own physical addresses, as a PVH guest does */
        info.submap = 1u << XENFEAT_auto_translated_physmap;
        return copy_out(hypervisor, request, argument, &info, sizeof info);
    }
    case XENVER_pagesize:
        return GUEST_PAGE_SIZE;
    default:
        return -ENOSYS;
    }
}

static int64_t console_write(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    uint64_t count = request->args[1];
    if (count > CONSOLE_WRITE_MAX)
        return -EINVAL;
    static char buffer[CONSOLE_WRITE_MAX];
    int error = copy_in(hypervisor, request, buffer, request->args[2], count);
    if (error)
        return error;
    if (request->flags & HYPERCALL_FLAG_USER)
        hv_console_guest_write(&hypervisor->console, buffer, (size_t)count);
    else
        hv_console_kernel_write(&hypervisor->console, buffer, (size_t)count);
    return (int64_t)count;
}

/* sysgate's SYSGATE_CONSOLEIO_trace: the kernel's trace lines, to --trace-file or, behind
   the output that came before them, to stderr; never into the console ring. Only the
   kernel writes them: a process's privcmd call gets EPERM. */
static int64_t trace_write(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    uint64_t count = request->args[1];
    if (request->flags & HYPERCALL_FLAG_USER)
        return -EPERM;
    if (count > CONSOLE_WRITE_MAX)
        return -EINVAL;
    static char buffer[CONSOLE_WRITE_MAX];
    int error = copy_in(hypervisor, request, buffer, request->args[2], count);
    if (error)
        return error;
    if (hypervisor->trace_file < 0) {
        hv_console_finish_line(&hypervisor->console, hypervisor->host_stderr);
        byte_queue_append(hypervisor->host_stderr, buffer, (size_t)count);
    } else if (!write_all(hypervisor->trace_file, buffer, (size_t)count) && !hypervisor->trace_file_failed) {
        hypervisor->trace_file_failed = true;
        report("--trace-file: %s; the rest of the trace is lost", strerror(errno));
    }
    return (int64_t)count;
}

/* Xen's CONSOLEIO_read: the console input waiting now, never blocking (0 when none). */
static int64_t console_read(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    uint64_t count = request->args[1];
    if (count > INT_MAX) /* the result could not be told from an error */
        return -E2BIG;
    uint8_t input[HV_CONSOLE_INPUT_SIZE];
    size_t available = hv_console_peek_input(&hypervisor->console, input,
                                             count < sizeof input ? (size_t)count : sizeof input);
    int error = copy_out(hypervisor, request, request->args[2], input, available);
    if (error)
        return error;
    hv_console_consume_input(&hypervisor->console, available);
    return (int64_t)available;
}

static int64_t console_io(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    switch (request->args[0]) {
    case CONSOLEIO_write:
        return console_write(hypervisor, request);
    case CONSOLEIO_read:
        return console_read(hypervisor, request);
    case SYSGATE_CONSOLEIO_trace:
        return trace_write(hypervisor, request);
    default:
        return -ENOSYS;
    }
}

/* struct sched_shutdown { u32 reason; u32 exit_status; }: exit_status is sysgate's
   extension after Xen's structure (Xen reads only reason). */
struct sysgate_sched_shutdown {
    struct sched_shutdown xen;
    uint32_t exit_status;
};

static const char *shutdown_reason_text(uint32_t reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff: return "poweroff";
    case SHUTDOWN_reboot: return "reboot";
    case SHUTDOWN_suspend: return "suspend";
    case SHUTDOWN_crash: return "crash";
    case SHUTDOWN_watchdog: return "watchdog";
    case SHUTDOWN_soft_reset: return "soft reset";
    default: return "unknown";
    }
}

/* The newest console lines a panic leaves, for a user who did not ask to see the
   console: what the guest said before it crashed. */
#define CRASH_TAIL_BYTES 2048

static int64_t sched_op(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    switch (request->args[0]) {
    case SCHEDOP_yield:
        return 0; /* the vCPU is the guest's only one; nothing else to run */
    case SCHEDOP_shutdown: {
        struct sysgate_sched_shutdown shutdown;
        int error = copy_in(hypervisor, request, &shutdown, request->args[1], sizeof shutdown);
        if (error)
            return error;
        hypervisor->end = GUEST_SHUT_DOWN;
        hypervisor->shutdown_reason = shutdown.xen.reason;
        hypervisor->shutdown_status = shutdown.exit_status;
        hv_console_log(&hypervisor->console, "guest shut down: %s, status %u",
                       shutdown_reason_text(shutdown.xen.reason), shutdown.exit_status);
        if (shutdown.xen.reason == SHUTDOWN_crash && !hypervisor->console_shown_on_stderr)
            hv_console_show_tail(&hypervisor->console, hypervisor->host_stderr, CRASH_TAIL_BYTES);
        return 0;
    }
    default:
        return -ENOSYS;
    }
}

/* XEN_SYSCTL_readconsole, as Xen's read_console_ring: the result is 0 and the structure
   is copied back with `count` and `index` updated. */
static int64_t sysctl_readconsole(struct hypervisor *hypervisor, const struct hypercall_request *request,
                                  struct xen_sysctl_readconsole *read)
{
    static char text[HV_CONSOLE_RING_SIZE];
    uint32_t max = read->count < sizeof text ? read->count : (uint32_t)sizeof text;
    uint32_t index = read->index;
    uint32_t count = hv_console_read_ring(&hypervisor->console, read->incremental != 0, &index,
                                          text, max);
    uint64_t buffer;
    memcpy(&buffer, &read->buffer, sizeof buffer); /* XEN_GUEST_HANDLE_64: 64 bits on both ABIs */
    int error = copy_out(hypervisor, request, buffer, text, count);
    if (error)
        return error;
    if (read->clear)
        hv_console_clear(&hypervisor->console, index);
    read->count = count;
    read->index = index;
    return 0;
}

static int64_t sysctl(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    struct xen_sysctl op;
    int error = copy_in(hypervisor, request, &op, request->args[0], sizeof op);
    if (error)
        return error;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES; /* as Xen: a toolstack built for another interface */
    int64_t result;
    switch (op.cmd) {
    case XEN_SYSCTL_readconsole:
        result = sysctl_readconsole(hypervisor, request, &op.u.readconsole);
        break;
    default:
        return -ENOSYS;
    }
    if (result == 0)
        result = copy_out(hypervisor, request, request->args[0], &op, sizeof op);
    return result;
}

/* sysgate's own: a NUL-terminated string, read up to its NUL and never beyond (the bytes
   after it may be unmapped), put on the console as one line. */
static int64_t print_string(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    char text[PRINT_STRING_MAX + 1];
    uint64_t address = request->args[0];
    size_t length = 0;
    for (;;) {
        size_t chunk = GUEST_PAGE_SIZE - (size_t)((address + length) % GUEST_PAGE_SIZE);
        if (chunk > PRINT_STRING_MAX - length)
            chunk = PRINT_STRING_MAX - length;
        if (chunk == 0)
            return -E2BIG; /* no NUL in the first PRINT_STRING_MAX bytes */
        int error = copy_in(hypervisor, request, text + length, address + length, chunk);
        if (error)
            return error;
        char *nul = memchr(text + length, '\0', chunk);
        if (nul) {
            length = (size_t)(nul - text);
            break;
        }
        length += chunk;
    }
    if (length == 0 || text[length - 1] != '\n')
        text[length++] = '\n';
    hv_console_guest_write(&hypervisor->console, text, length);
    return 0;
}

typedef int64_t hypercall_handler(struct hypervisor *, const struct hypercall_request *);

static hypercall_handler *const hypercall_table[] = {
    [__HYPERVISOR_xen_version] = xen_version,
    [__HYPERVISOR_console_io] = console_io,
    [__HYPERVISOR_sched_op] = sched_op,
    [__HYPERVISOR_sysctl] = sysctl,
    [SYSGATE_HYPERVISOR_print_string] = print_string,
};

int64_t hypercall_dispatch(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    if (request->nr < ARRAY_SIZE(hypercall_table) && hypercall_table[request->nr])
        return hypercall_table[request->nr](hypervisor, request);
    if (hypervisor->verbose) {
        hv_console_finish_line(&hypervisor->console, hypervisor->host_stderr);
        char line[128];
        int length = snprintf(line, sizeof line, "sysgate: hypercall %llu is not implemented: -ENOSYS\n",
                              (unsigned long long)request->nr);
        byte_queue_append(hypervisor->host_stderr, line, (size_t)length);
    }
    return -ENOSYS;
}
