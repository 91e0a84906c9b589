/* The stdio rings (hv/stdioring.c) against a guest that writes anything into the shared
   area between the monitor's steps: the monitor never reads or writes outside the area
   (AddressSanitizer guards its exact allocation), never moves more than asked, never
   hands out more bytes than a ring holds, and stops at the first impossible index. */
#include <stdlib.h>
#include <string.h>

#include "../../hv/stdioring.h"
#include "fuzz.h"

enum operation { SCRIBBLE, TAKE, GIVE, CLOSE, REGISTER_AGAIN, OPERATION_COUNT };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input input = {data, size};
    static uint8_t *area;
    if (!area)
        area = malloc(STDIO_AREA_SIZE); /* exactly the area: ASan reports any access past it */
    memset(area, 0, STDIO_HEADER_SIZE);
    const uint32_t header[] = {STDIO_AREA_MAGIC, STDIO_AREA_VERSION, 0, STDIO_RING_SIZE};
    memcpy(area, header, sizeof header);
    struct stdio_rings rings = {0};
    if (stdio_rings_register(&rings, area, 0x100000, fuzz_u8(&input) & 1))
        abort();
    struct byte_queue queue = {0};
    while (input.size > 0) {
        switch (fuzz_u8(&input) % OPERATION_COUNT) {
        case SCRIBBLE: { /* the guest stores a 32-bit value anywhere in the header */
            uint32_t offset = (fuzz_u32(&input) % STDIO_HEADER_SIZE) & ~3u;
            uint32_t value = fuzz_u32(&input);
            memcpy(area + offset, &value, sizeof value);
            break;
        }
        case TAKE: {
            enum stdio_ring_index ring = fuzz_u8(&input) % STDIO_RING_COUNT;
            /* mostly small amounts (fast); the indices the guest scribbles reach the edges */
            size_t max = fuzz_u8(&input) & 1 ? fuzz_u32(&input) % (2 * STDIO_RING_SIZE + 2)
                                             : (uint16_t)fuzz_u32(&input);
            size_t before = queue.length;
            bool discard = fuzz_u8(&input) & 1;
            size_t moved = stdio_ring_take(&rings, ring, discard ? NULL : &queue, max);
            if (moved > max || moved > STDIO_RING_SIZE || (!discard && queue.length - before != moved))
                abort();
            if (stdio_ring_pending(&rings, ring) > STDIO_RING_SIZE)
                abort();
            byte_queue_discard(&queue);
            break;
        }
        case GIVE: {
            uint32_t count = (uint16_t)fuzz_u32(&input);
            uint8_t fill = fuzz_u8(&input);
            uint8_t *bytes = malloc(count ? count : 1);
            memset(bytes, fill, count);
            byte_queue_append(&queue, bytes, count);
            free(bytes);
            size_t moved = stdio_ring_give(&rings, &queue);
            if (moved > count || moved > STDIO_RING_SIZE || queue.length != count - moved)
                abort();
            byte_queue_discard(&queue);
            break;
        }
        case CLOSE:
            stdio_ring_close(&rings, fuzz_u8(&input) % STDIO_RING_COUNT);
            break;
        case REGISTER_AGAIN: /* one registration per boot */
            if (!stdio_rings_register(&rings, area, 0x100000, false))
                abort();
            break;
        }
        rings.kick = false;
    }
    byte_queue_free(&queue);
    return 0;
}
