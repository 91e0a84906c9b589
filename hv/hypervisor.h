/* The state of the sysgate hypervisor layer: doorbell protocol, hypercalls, console ring. */
#ifndef SYSGATE_HYPERVISOR_H
#define SYSGATE_HYPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytequeue.h"
#include "guestmem.h"
#include "hvconsole.h"
#include "options.h"
#include "stdioring.h"

/* The doorbell: QEMU's isa-debugcon at this port; every byte the guest writes reaches the
   monitor through a pipe before the guest's `out` instruction completes. */
#define DOORBELL_PORT 0x504

/* What xen_version reports: sysgate 1.0. */
#define SYSGATE_VERSION_MAJOR 1
#define SYSGATE_VERSION_MINOR 0

/* How the guest ended the run, as far as the hypervisor layer knows. */
enum guest_end {
    GUEST_RUNNING,
    GUEST_SHUT_DOWN,         /* sched_op shutdown: see shutdown_reason / shutdown_status */
    GUEST_BAD_REGISTRATION,  /* see end_message */
    GUEST_BROKE_STDIO_RING,  /* see end_message: an index that cannot be */
};

/* Xen's shutdown reasons (xen/include/public/sched.h). */
enum shutdown_reason {
    SHUTDOWN_POWEROFF = 0,
    SHUTDOWN_REBOOT = 1,
    SHUTDOWN_SUSPEND = 2,
    SHUTDOWN_CRASH = 3,
    SHUTDOWN_WATCHDOG = 4,
    SHUTDOWN_SOFT_RESET = 5,
};

struct hypervisor {
    const struct guest_memory *memory;
    struct byte_queue *host_stderr; /* diagnostics (and the console when shown) go here */
    bool verbose;
    bool console_shown_on_stderr;   /* `sysgate shell` or --verbose */
    int trace_file;                 /* --trace-file FILE, or -1: the trace goes to stderr */
    bool trace_file_failed;         /* a write to it failed (reported once) */

    /* doorbell byte stream: 'R' or 'S' + 8 address bytes, 'C', 'I', anything else is
       garbage */
    bool reading_address;
    uint8_t address_for;            /* 'R' or 'S' */
    unsigned address_bytes_seen;
    uint64_t address_being_read;
    bool registered;
    uint64_t area;                  /* guest-physical: hypercall page, then mailbox */
    bool garbage_reported;          /* garbage is reported once per run */

    struct hv_console console;

    struct stdio_rings stdio;       /* registered with 'S' */
    bool stdio_cpu_fence_is_enough; /* KVM: the guest's mfence is a barrier for the monitor */

    enum guest_end end;
    uint32_t shutdown_reason;
    uint32_t shutdown_status;
    char end_message[256];
};

/* The console is shown on `host_stderr` for `sysgate shell` and --verbose, and written to
   --hv-console FILE when given; --trace-file FILE is opened for the trace (exits 125 when a
   FILE cannot be opened). */
void hypervisor_init(struct hypervisor *hypervisor, const struct guest_memory *memory,
                     struct byte_queue *host_stderr, const struct options *options);

/* Processes bytes the guest wrote to the doorbell: registrations and hypercalls. Bytes
   after the run has ended (shutdown, bad registration) are ignored. */
void doorbell_feed(struct hypervisor *hypervisor, const uint8_t *bytes, size_t count);

/* One hypercall as found in the mailbox. */
struct hypercall_request {
    uint64_t nr;
    uint64_t args[5];
    uint64_t cr3;
    uint64_t flags; /* bit 0: from user space, pointers must be user-accessible */
};
#define HYPERCALL_FLAG_USER 1ull

/* Runs one hypercall; returns its result (a negative errno on failure). */
int64_t hypercall_dispatch(struct hypervisor *hypervisor, const struct hypercall_request *request);

#endif
