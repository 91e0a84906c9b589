/* The hypercalls (docs/hypervisor-interface.md, "Hypercalls"): Xen's numbers and
   conventions. Pointer arguments are guest-virtual, translated through the caller's page
   tables; anything that does not translate to guest RAM the caller may touch is -EFAULT. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hypervisor.h"
#include "util.h"

/* Xen's numbers (xen/include/public/xen.h, version.h, sched.h). */
enum {
    HYPERVISOR_xen_version = 17,
    HYPERVISOR_console_io = 18,
    HYPERVISOR_sched_op = 29,
};
enum { XENVER_version = 0 };
enum { CONSOLEIO_write = 0 };
enum { SCHEDOP_yield = 0, SCHEDOP_shutdown = 2 };

#define SYSGATE_VERSION_MAJOR 1
#define SYSGATE_VERSION_MINOR 0
#define CONSOLE_WRITE_MAX (64u * 1024u)

static struct guest_address_space caller_space(const struct hypervisor *hypervisor,
                                               const struct hypercall_request *request)
{
    return (struct guest_address_space){
        .memory = hypervisor->memory,
        .cr3 = request->cr3,
        .user = (request->flags & HYPERCALL_FLAG_USER) != 0,
    };
}

static int64_t xen_version(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    (void)hypervisor;
    if (request->args[0] == XENVER_version)
        return SYSGATE_VERSION_MAJOR << 16 | SYSGATE_VERSION_MINOR;
    return -ENOSYS;
}

static int64_t console_io(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    if (request->args[0] != CONSOLEIO_write)
        return -ENOSYS;
    uint64_t count = request->args[1];
    if (count > CONSOLE_WRITE_MAX)
        return -EINVAL;
    /* copy first, then use the copy: the guest may change its buffer meanwhile */
    static uint8_t buffer[CONSOLE_WRITE_MAX];
    struct guest_address_space space = caller_space(hypervisor, request);
    int error = guest_copy_from_virtual(&space, buffer, request->args[2], count);
    if (error)
        return error;
    hv_console_write(&hypervisor->console, buffer, (size_t)count, hypervisor->host_stderr);
    return (int64_t)count;
}

/* struct sched_shutdown { u32 reason; u32 exit_status; }: exit_status is sysgate's
   extension (Xen reads only reason). */
static int64_t sched_op(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    switch (request->args[0]) {
    case SCHEDOP_yield:
        return 0; /* the vCPU is the guest's only one; nothing else to run */
    case SCHEDOP_shutdown: {
        uint32_t shutdown[2];
        struct guest_address_space space = caller_space(hypervisor, request);
        int error = guest_copy_from_virtual(&space, shutdown, request->args[1], sizeof shutdown);
        if (error)
            return error;
        hypervisor->end = GUEST_SHUT_DOWN;
        hypervisor->shutdown_reason = shutdown[0];
        hypervisor->shutdown_status = shutdown[1];
        return 0;
    }
    default:
        return -ENOSYS;
    }
}

typedef int64_t hypercall_handler(struct hypervisor *, const struct hypercall_request *);

static hypercall_handler *const hypercall_table[] = {
    [HYPERVISOR_xen_version] = xen_version,
    [HYPERVISOR_console_io] = console_io,
    [HYPERVISOR_sched_op] = sched_op,
};

int64_t hypercall_dispatch(struct hypervisor *hypervisor, const struct hypercall_request *request)
{
    if (request->nr < ARRAY_SIZE(hypercall_table) && hypercall_table[request->nr])
        return hypercall_table[request->nr](hypervisor, request);
    if (hypervisor->verbose) {
        char line[128];
        int length = snprintf(line, sizeof line, "sysgate: hypercall %llu is not implemented: -ENOSYS\n",
                              (unsigned long long)request->nr);
        byte_queue_append(hypervisor->host_stderr, line, (size_t)length);
    }
    return -ENOSYS;
}
