/* The doorbell protocol (docs/hypervisor-interface.md, "Hypercall set-up"): the guest's
   byte stream on the debugcon port. 'R' + 8 little-endian bytes registers the 8 KiB
   hypercall area; 'C' means a hypercall waits in the mailbox; 'S' + 8 bytes registers the
   stdio rings and 'I' says one of them changed (stdioring.c). The stream is parsed a byte
   at a time because one read(2) may hold half a registration or several events. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <time.h>

#include "hypercall_page.h"
#include "hypervisor.h"
#include "util.h"

void hypervisor_init(struct hypervisor *hypervisor, const struct guest_memory *memory,
                     struct byte_queue *host_stderr, const struct options *options)
{
    memset(hypervisor, 0, sizeof *hypervisor);
    hypervisor->memory = memory;
    hypervisor->host_stderr = host_stderr;
    hypervisor->verbose = options->verbose;
    hypervisor->console_shown_on_stderr = options->command == COMMAND_SHELL || options->verbose;
    /* the trace has its own channel (SYSGATE_CONSOLEIO_trace), so that it can go to a file */
    hypervisor->trace_file = -1;
    if (options->trace_file_path) {
        hypervisor->trace_file = open(options->trace_file_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (hypervisor->trace_file < 0)
            fail(EXIT_SYSGATE_ERROR, "--trace-file %s: %s", options->trace_file_path, strerror(errno));
    }
    int console_file = -1;
    if (options->hv_console_path) {
        console_file = open(options->hv_console_path,
                            O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
        if (console_file < 0)
            fail(EXIT_SYSGATE_ERROR, "--hv-console %s: %s", options->hv_console_path, strerror(errno));
    }
    hv_console_init(&hypervisor->console, hypervisor->console_shown_on_stderr ? host_stderr : NULL,
                    console_file, host_stderr);
}

/* Queues one diagnostic line behind the console output that came before it. */
static void say(struct hypervisor *hypervisor, const char *line)
{
    hv_console_finish_line(&hypervisor->console, hypervisor->host_stderr);
    byte_queue_append(hypervisor->host_stderr, line, strlen(line));
    /* and into the ring, as the hypervisor's own line, without the "sysgate: " and the
       newline meant for the host's stderr; not shown on stderr a second time */
    const char *text = strncmp(line, "sysgate: ", 9) == 0 ? line + 9 : line;
    struct byte_queue *echo = hypervisor->console.echo;
    hypervisor->console.echo = NULL;
    hv_console_log(&hypervisor->console, "%.*s", (int)strcspn(text, "\n"), text);
    hypervisor->console.echo = echo;
}

static void end_with_bad_registration(struct hypervisor *hypervisor, uint64_t area, const char *why)
{
    hypervisor->end = GUEST_BAD_REGISTRATION;
    snprintf(hypervisor->end_message, sizeof hypervisor->end_message,
             "guest registered a bad hypercall area at 0x%llx: %s", (unsigned long long)area, why);
}

static void register_area(struct hypervisor *hypervisor, uint64_t area)
{
    const char *problem = NULL;
    uint8_t *host = guest_physical_range(hypervisor->memory, area, 2 * HYPERCALL_PAGE_SIZE);
    if (hypervisor->registered)
        problem = "a second registration (only one per boot)";
    else if (area % HYPERCALL_PAGE_SIZE)
        problem = "not page-aligned";
    else if (!host)
        problem = "not inside guest RAM";
    if (problem) {
        end_with_bad_registration(hypervisor, area, problem);
        return;
    }

    hypercall_page_write(host, DOORBELL_PORT);
    uint8_t *mailbox = host + MAILBOX_OFFSET_IN_AREA;
    memset(mailbox, 0, HYPERCALL_PAGE_SIZE);
    __atomic_store_n((uint32_t *)(mailbox + MAILBOX_VERSION_OFFSET), MAILBOX_VERSION, __ATOMIC_RELAXED);
    /* no call pending: a call is pending exactly while `done` is 0 */
    __atomic_store_n((uint32_t *)(mailbox + MAILBOX_DONE_OFFSET), 1u, __ATOMIC_RELAXED);
    /* magic last, with release ordering: the guest may use the page once it sees it */
    __atomic_store_n((uint32_t *)(mailbox + MAILBOX_MAGIC_OFFSET), MAILBOX_MAGIC, __ATOMIC_RELEASE);
    hypervisor->registered = true;
    hypervisor->area = area;
    hv_console_log(&hypervisor->console, "sysgate hypervisor %d.%d: hypercall page at 0x%llx, "
                   "doorbell at port 0x%x", SYSGATE_VERSION_MAJOR, SYSGATE_VERSION_MINOR,
                   (unsigned long long)area, DOORBELL_PORT);
}

static void register_stdio_rings(struct hypervisor *hypervisor, uint64_t area)
{
    uint8_t *host = guest_physical_range(hypervisor->memory, area, STDIO_AREA_SIZE);
    const char *problem = stdio_rings_register(&hypervisor->stdio, host, area,
                                               hypervisor->stdio_cpu_fence_is_enough);
    if (problem) {
        hypervisor->end = GUEST_BAD_REGISTRATION;
        snprintf(hypervisor->end_message, sizeof hypervisor->end_message,
                 "guest registered a bad stdio ring area at 0x%llx: %s", (unsigned long long)area, problem);
    }
}

static uint64_t load64(const uint8_t *mailbox, unsigned offset)
{
    return __atomic_load_n((const uint64_t *)(mailbox + offset), __ATOMIC_RELAXED);
}

static uint8_t *mailbox_of(const struct hypervisor *hypervisor)
{
    /* registration checked that the mailbox page is inside RAM */
    return hypervisor->memory->base + hypervisor->area + MAILBOX_OFFSET_IN_AREA;
}

/* The guest clears `done` after writing the call and before ringing: a call is pending
   while `done` is 0. Acquire: the call's fields, written before, are visible. */
static bool call_pending(const struct hypervisor *hypervisor)
{
    const uint8_t *mailbox = mailbox_of(hypervisor);
    return __atomic_load_n((const uint32_t *)(mailbox + MAILBOX_DONE_OFFSET), __ATOMIC_ACQUIRE) == 0;
}

static void serve_call(struct hypervisor *hypervisor)
{
    uint8_t *mailbox = mailbox_of(hypervisor);
    struct hypercall_request request = {
        .nr = load64(mailbox, MAILBOX_NR_OFFSET),
        .cr3 = load64(mailbox, MAILBOX_CR3_OFFSET),
        .flags = load64(mailbox, MAILBOX_FLAGS_OFFSET),
    };
    for (unsigned i = 0; i < 5; i++)
        request.args[i] = load64(mailbox, MAILBOX_ARGS_OFFSET + 8 * i);

    int64_t result = hypercall_dispatch(hypervisor, &request);

    __atomic_store_n((int64_t *)(mailbox + MAILBOX_RESULT_OFFSET), result, __ATOMIC_RELAXED);
    __atomic_store_n((uint32_t *)(mailbox + MAILBOX_DONE_OFFSET), 1u, __ATOMIC_RELEASE);
}

static void report_garbage(struct hypervisor *hypervisor, uint8_t byte)
{
    if (hypervisor->garbage_reported)
        return;
    hypervisor->garbage_reported = true;
    char line[160];
    if (byte == 'C')
        snprintf(line, sizeof line, "sysgate: guest rang the doorbell for a hypercall before "
                                    "registering a hypercall area; ignored (reported once)\n");
    else
        snprintf(line, sizeof line, "sysgate: guest wrote garbage to the doorbell (byte 0x%02x); "
                                    "ignored (reported once)\n", byte);
    say(hypervisor, line);
}

static int64_t monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* The fast path (docs/hypervisor-interface.md, "Where a hypercall's time goes"): after
   answering a call, the monitor watches the mailbox for a while instead of going back to
   poll(2), and answers the next call as soon as the guest posts it, without waiting to
   be woken by its doorbell byte (that byte, read later, finds nothing pending). A guest
   making calls back to back thus never waits for the monitor's wake-up. The watch is
   bounded in time and in calls, so the event loop still relays output and drains the
   doorbell pipe (QEMU blocks when it is full). */
#define WATCH_AFTER_CALL_NS 100000 /* 100 µs: a user-space call round trip is ~10 µs */
#define WATCH_MAX_CALLS 1024        /* doorbell bytes left in the pipe, far below its 64 KiB */

static void watch_for_calls(struct hypervisor *hypervisor)
{
    int64_t deadline = monotonic_ns() + WATCH_AFTER_CALL_NS;
    unsigned served = 0;
    while (hypervisor->end == GUEST_RUNNING && served < WATCH_MAX_CALLS) {
        if (call_pending(hypervisor)) {
            serve_call(hypervisor);
            served++;
            deadline = monotonic_ns() + WATCH_AFTER_CALL_NS;
            continue;
        }
        if (monotonic_ns() >= deadline)
            break;
        sched_yield(); /* on a host with fewer free cores than spinners, let the vCPU run */
    }
}

void doorbell_feed(struct hypervisor *hypervisor, const uint8_t *bytes, size_t count)
{
    for (size_t i = 0; i < count && hypervisor->end == GUEST_RUNNING; i++) {
        uint8_t byte = bytes[i];
        if (hypervisor->reading_address) {
            hypervisor->address_being_read |= (uint64_t)byte << (8 * hypervisor->address_bytes_seen);
            if (++hypervisor->address_bytes_seen == 8) {
                hypervisor->reading_address = false;
                if (hypervisor->address_for == DOORBELL_REGISTER_STDIO)
                    register_stdio_rings(hypervisor, hypervisor->address_being_read);
                else
                    register_area(hypervisor, hypervisor->address_being_read);
            }
        } else if (byte == 'R' || byte == DOORBELL_REGISTER_STDIO) {
            hypervisor->reading_address = true;
            hypervisor->address_for = byte;
            hypervisor->address_bytes_seen = 0;
            hypervisor->address_being_read = 0;
        } else if (byte == 'C' && hypervisor->registered) {
            if (call_pending(hypervisor)) {
                serve_call(hypervisor);
                watch_for_calls(hypervisor);
            }
        } else if (byte == DOORBELL_STDIO_NOTIFY && hypervisor->stdio.area) {
            /* nothing to do here: the event loop looks at the rings after every wake-up */
        } else {
            report_garbage(hypervisor, byte);
        }
    }
}
