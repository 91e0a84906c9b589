/* The program's stdio rings in guest RAM (docs/hypervisor-interface.md, "The stdio
   rings"): the monitor's side. Everything read from the shared area is checked: the guest
   controls the producer index of stdout and stderr and the consumer index of stdin. */
#ifndef SYSGATE_STDIORING_H
#define SYSGATE_STDIORING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytequeue.h"

#define STDIO_AREA_MAGIC 0x4f494753u /* "SGIO" */
#define STDIO_AREA_VERSION 1u
#define STDIO_RING_SIZE (256u * 1024u)
#define STDIO_HEADER_SIZE 4096u
#define STDIO_AREA_SIZE (STDIO_HEADER_SIZE + 3u * STDIO_RING_SIZE)
/* Header flags (the monitor's): a guest mfence orders the guest's accesses as the monitor
   sees them (KVM). Without it (TCG with one vCPU emits no host barrier for mfence) the
   guest reads a port, which makes QEMU take a lock. */
#define STDIO_FLAG_CPU_FENCE 1u

/* The doorbell bytes of the stdio rings. */
#define DOORBELL_REGISTER_STDIO 'S' /* + 8 little-endian bytes: the area's guest-physical address */
#define DOORBELL_STDIO_NOTIFY 'I'   /* a ring the monitor waits on changed */

enum stdio_ring_index { STDIO_STDIN, STDIO_STDOUT, STDIO_STDERR, STDIO_RING_COUNT };

struct stdio_rings {
    uint8_t *area;      /* NULL until the guest registers; STDIO_AREA_SIZE bytes */
    uint64_t address;   /* guest-physical */
    /* The indices the monitor owns, kept here: what the guest writes over them in the
       shared area is never read back. */
    uint32_t stdin_producer;
    uint32_t output_consumer[STDIO_RING_COUNT];
    bool closed[STDIO_RING_COUNT];
    bool kick;          /* a guest sleeper waits for what the monitor did: send the kick */
    char problem[160];  /* non-empty: the guest broke the protocol; the run ends */
};

/* Checks the area the guest registered (`host` is its mapping of STDIO_AREA_SIZE bytes, or
   NULL when the range is not inside RAM) and takes it. Returns NULL, or why it is refused. */
const char *stdio_rings_register(struct stdio_rings *rings, uint8_t *host, uint64_t address,
                                 bool cpu_fence_is_enough);

/* Moves up to `max` bytes the guest wrote to an output ring into `to` (NULL: discards
   them) and returns how many. When it leaves the ring empty, it asks the guest to ring the
   doorbell for the next bytes. */
size_t stdio_ring_take(struct stdio_rings *rings, enum stdio_ring_index ring,
                       struct byte_queue *to, size_t max);

/* Moves what fits of `from` into the stdin ring; when the ring is full, asks the guest to
   ring the doorbell once it has made room. Returns how many bytes moved. */
size_t stdio_ring_give(struct stdio_rings *rings, struct byte_queue *from);

/* stdin: the host's stdin ended (after the bytes given so far). stdout, stderr: the
   host's reader went away; the guest's writes fail with EPIPE from now on. Once. */
void stdio_ring_close(struct stdio_rings *rings, enum stdio_ring_index ring);

/* Bytes waiting in an output ring (0 when not registered or broken). */
size_t stdio_ring_pending(const struct stdio_rings *rings, enum stdio_ring_index ring);

#endif
