/* The guest page-table walk (hv/guestmem.c) over guest RAM whose every byte, cr3, address,
   length and access kind come from the input: the monitor must never touch anything
   outside RAM (AddressSanitizer guards the exact RAM allocation). */
#include <stdlib.h>
#include <string.h>

#include "../../hv/guestmem.h"
#include "fuzz.h"

#define RAM_SIZE (64u * 1024u) /* 16 pages: room for tables, pages and references outside */
#define COPY_MAX 20000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input input = {data, size};
    struct guest_memory memory = {.fd = -1, .base = malloc(RAM_SIZE), .size = RAM_SIZE};
    memset(memory.base, 0, RAM_SIZE);
    struct guest_address_space space = {.memory = &memory};
    space.cr3 = fuzz_u64(&input);
    space.user = fuzz_u8(&input) & 1;
    uint64_t address = fuzz_u64(&input);
    uint32_t length = fuzz_u32(&input) % COPY_MAX;
    uint8_t kind = fuzz_u8(&input);
    /* the rest: 12-bit-offset patches of 8 bytes, so tables can be built anywhere */
    while (input.size >= 10) {
        uint16_t offset = (uint16_t)(fuzz_u8(&input) | fuzz_u8(&input) << 8);
        uint64_t value = fuzz_u64(&input);
        size_t at = ((size_t)offset * 8) % RAM_SIZE;
        memcpy(memory.base + at, &value, sizeof value);
    }
    uint8_t *buffer = malloc(COPY_MAX);
    memset(buffer, 0xa5, COPY_MAX);
    uint64_t physical, in_page;
    if (guest_translate(&space, address, kind & 1 ? GUEST_WRITE : GUEST_READ, &physical, &in_page) == 0 &&
        (in_page == 0 || in_page > (1ull << 30)))
        abort(); /* a translation leaves between one byte and a 1 GiB page */
    if (kind & 2)
        (void)guest_copy_to_virtual(&space, address, buffer, length);
    else
        (void)guest_copy_from_virtual(&space, buffer, address, length);
    free(buffer);
    free(memory.base);
    return 0;
}
