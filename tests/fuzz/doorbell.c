/* The doorbell byte stream and the hypercalls it starts (hv/doorbell.c, hv/hypercall.c):
   registrations, mailbox contents and every argument come from the input, over guest RAM
   the input has written. The monitor must answer or refuse everything without touching
   memory outside RAM (AddressSanitizer guards the exact allocation). */
#include <stdlib.h>
#include <string.h>

#include "../../hv/hypervisor.h"
#include "fuzz.h"

#define RAM_SIZE (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ram;
    if (!ram)
        ram = malloc(RAM_SIZE);
    memset(ram, 0, RAM_SIZE);
    struct fuzz_input input = {data, size};
    struct guest_memory memory = {.fd = -1, .base = ram, .size = RAM_SIZE};
    /* first the guest's memory: patches of 8 bytes at 8-byte-aligned offsets */
    unsigned patches = fuzz_u8(&input);
    for (unsigned i = 0; i < patches && input.size >= 12; i++) {
        uint32_t offset = (fuzz_u32(&input) % RAM_SIZE) & ~7u;
        uint64_t value = fuzz_u64(&input);
        memcpy(ram + offset, &value, sizeof value);
    }
    struct byte_queue host_stderr = {0};
    struct hypervisor *hypervisor = malloc(sizeof *hypervisor);
    hypervisor_init(hypervisor, &memory, &host_stderr, fuzz_u8(&input) & 1);
    /* then the doorbell stream, in reads of the input's sizes, as the pipe delivers it */
    while (input.size > 0 && hypervisor->end == GUEST_RUNNING) {
        uint8_t chunk[64];
        size_t count = fuzz_bytes(&input, chunk, 1 + fuzz_u8(&input) % sizeof chunk);
        doorbell_feed(hypervisor, chunk, count);
        byte_queue_discard(&host_stderr);
    }
    byte_queue_free(&host_stderr);
    free(hypervisor);
    return 0;
}
