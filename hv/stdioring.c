/* The monitor's side of the stdio rings. The area is the guest's memory: another vCPU
   or a hostile kernel may change any of it at any time, so each shared index is loaded
   once, checked against the index the monitor keeps itself, and the data is addressed
   only through the monitor's own index modulo the ring size.

   Sleeping sides (the Xen console ring's event suppression, with flags): a consumer that
   found its ring empty, or a producer that found it full, sets its *_waiting flag, then
   issues a full barrier and looks again; the other side, after moving an index, issues a
   full barrier and notifies only when it sees the flag. The barriers on both sides make
   one of the two see the other's store. */
#include "stdioring.h"

#include <stdio.h>
#include <string.h>

/* The shared header (docs/hypervisor-interface.md). */
enum {
    HEADER_MAGIC = 0,        /* u32, the guest's */
    HEADER_VERSION = 4,      /* u32, the guest's */
    HEADER_FLAGS = 8,        /* u32, the monitor's */
    HEADER_RING_SIZE = 12,   /* u32, the guest's */
    HEADER_RINGS = 64,       /* struct ring_control[3], 64 bytes each */
    RING_CONTROL_SIZE = 64,
};
enum {
    CONTROL_PRODUCER = 0,
    CONTROL_CONSUMER = 4,
    CONTROL_CONSUMER_WAITING = 8,
    CONTROL_PRODUCER_WAITING = 12,
    CONTROL_CLOSED = 16,
};

static const char *const ring_names[STDIO_RING_COUNT] = {"stdin", "stdout", "stderr"};

static uint32_t *control_field(const struct stdio_rings *rings, enum stdio_ring_index ring, unsigned field)
{
    return (uint32_t *)(rings->area + HEADER_RINGS + RING_CONTROL_SIZE * ring + field);
}

static uint8_t *ring_data(const struct stdio_rings *rings, enum stdio_ring_index ring)
{
    return rings->area + STDIO_HEADER_SIZE + (size_t)STDIO_RING_SIZE * ring;
}

static uint32_t load_shared(const uint32_t *field) { return __atomic_load_n(field, __ATOMIC_ACQUIRE); }
static void store_shared(uint32_t *field, uint32_t value) { __atomic_store_n(field, value, __ATOMIC_RELEASE); }
static void full_barrier(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

const char *stdio_rings_register(struct stdio_rings *rings, uint8_t *host, uint64_t address,
                                 bool cpu_fence_is_enough)
{
    if (rings->area)
        return "a second registration (only one per boot)";
    if (address % STDIO_HEADER_SIZE)
        return "not page-aligned";
    if (!host)
        return "not inside guest RAM";
    uint32_t magic = __atomic_load_n((uint32_t *)(host + HEADER_MAGIC), __ATOMIC_RELAXED);
    uint32_t version = __atomic_load_n((uint32_t *)(host + HEADER_VERSION), __ATOMIC_RELAXED);
    uint32_t size = __atomic_load_n((uint32_t *)(host + HEADER_RING_SIZE), __ATOMIC_RELAXED);
    if (magic != STDIO_AREA_MAGIC)
        return "no stdio ring header (magic)";
    if (version != STDIO_AREA_VERSION)
        return "unknown stdio ring version";
    if (size != STDIO_RING_SIZE)
        return "wrong ring size";
    memset(rings, 0, sizeof *rings);
    rings->area = host;
    rings->address = address;
    /* the guest starts its indices at 0; the monitor's copies do too */
    __atomic_store_n((uint32_t *)(host + HEADER_FLAGS), cpu_fence_is_enough ? STDIO_FLAG_CPU_FENCE : 0,
                     __ATOMIC_RELEASE);
    return NULL;
}

static void set_problem(struct stdio_rings *rings, enum stdio_ring_index ring, const char *what,
                        uint32_t index, uint32_t own)
{
    if (!rings->problem[0])
        snprintf(rings->problem, sizeof rings->problem,
                 "guest broke its %s ring: %s index %u is %u bytes away from the monitor's %u",
                 ring_names[ring], what, index, index - own, own);
}

/* After the monitor moved an index: wakes the guest if it sleeps waiting for that. */
static void wake_guest_if_waiting(struct stdio_rings *rings, enum stdio_ring_index ring, unsigned flag)
{
    full_barrier();
    uint32_t *waiting = control_field(rings, ring, flag);
    if (load_shared(waiting)) {
        store_shared(waiting, 0);
        rings->kick = true;
    }
}

size_t stdio_ring_take(struct stdio_rings *rings, enum stdio_ring_index ring,
                       struct byte_queue *to, size_t max)
{
    if (!rings->area || ring == STDIO_STDIN || rings->problem[0])
        return 0;
    uint32_t *consumer_index = control_field(rings, ring, CONTROL_CONSUMER);
    uint32_t consumer = rings->output_consumer[ring];
    const uint8_t *data = ring_data(rings, ring);
    size_t moved = 0;
    bool asked_to_notify = false;
    while (moved < max) {
        uint32_t producer = load_shared(control_field(rings, ring, CONTROL_PRODUCER));
        uint32_t used = producer - consumer;
        if (used > STDIO_RING_SIZE) {
            set_problem(rings, ring, "producer", producer, consumer);
            break;
        }
        if (used == 0) {
            if (asked_to_notify)
                break;
            store_shared(control_field(rings, ring, CONTROL_CONSUMER_WAITING), 1);
            full_barrier();
            asked_to_notify = true; /* and look once more: bytes added before the guest saw the flag */
            continue;
        }
        size_t count = used < max - moved ? used : max - moved;
        while (count > 0) {
            uint32_t offset = consumer % STDIO_RING_SIZE;
            size_t piece = STDIO_RING_SIZE - offset < count ? STDIO_RING_SIZE - offset : count;
            if (to)
                byte_queue_append(to, data + offset, piece);
            consumer += (uint32_t)piece;
            moved += piece;
            count -= piece;
        }
        rings->output_consumer[ring] = consumer;
        store_shared(consumer_index, consumer);
    }
    if (moved)
        wake_guest_if_waiting(rings, ring, CONTROL_PRODUCER_WAITING);
    return moved;
}

size_t stdio_ring_give(struct stdio_rings *rings, struct byte_queue *from)
{
    if (!rings->area || rings->closed[STDIO_STDIN] || rings->problem[0])
        return 0;
    uint32_t producer = rings->stdin_producer;
    uint8_t *data = ring_data(rings, STDIO_STDIN);
    size_t moved = 0;
    bool asked_to_notify = false;
    while (from->length > 0) {
        uint32_t consumer = load_shared(control_field(rings, STDIO_STDIN, CONTROL_CONSUMER));
        uint32_t used = producer - consumer;
        if (used > STDIO_RING_SIZE) {
            set_problem(rings, STDIO_STDIN, "consumer", consumer, producer);
            break;
        }
        uint32_t room = STDIO_RING_SIZE - used;
        if (room == 0) {
            if (asked_to_notify)
                break;
            store_shared(control_field(rings, STDIO_STDIN, CONTROL_PRODUCER_WAITING), 1);
            full_barrier();
            asked_to_notify = true;
            continue;
        }
        size_t count = room < from->length ? room : from->length;
        uint32_t offset = producer % STDIO_RING_SIZE;
        size_t piece = STDIO_RING_SIZE - offset < count ? STDIO_RING_SIZE - offset : count;
        memcpy(data + offset, from->data + from->start, piece);
        byte_queue_consume(from, piece);
        producer += (uint32_t)piece;
        moved += piece;
        rings->stdin_producer = producer;
        store_shared(control_field(rings, STDIO_STDIN, CONTROL_PRODUCER), producer);
    }
    if (moved)
        wake_guest_if_waiting(rings, STDIO_STDIN, CONTROL_CONSUMER_WAITING);
    return moved;
}

void stdio_ring_close(struct stdio_rings *rings, enum stdio_ring_index ring)
{
    if (!rings->area || rings->closed[ring])
        return;
    rings->closed[ring] = true;
    store_shared(control_field(rings, ring, CONTROL_CLOSED), 1);
    /* stdin's reader waits for bytes, an output's writer for room */
    wake_guest_if_waiting(rings, ring, ring == STDIO_STDIN ? CONTROL_CONSUMER_WAITING : CONTROL_PRODUCER_WAITING);
}

size_t stdio_ring_pending(const struct stdio_rings *rings, enum stdio_ring_index ring)
{
    if (!rings->area || ring == STDIO_STDIN || rings->problem[0])
        return 0;
    uint32_t used = load_shared(control_field(rings, ring, CONTROL_PRODUCER)) - rings->output_consumer[ring];
    return used > STDIO_RING_SIZE ? 0 : used;
}
