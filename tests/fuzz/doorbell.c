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
    struct byte_queue host_stderr = {0};
    struct hypervisor *hypervisor = malloc(sizeof *hypervisor);
    hypervisor_init(hypervisor, &memory, &host_stderr, fuzz_u8(&input) & 1);
    /* the guest's steps: a store of 8 bytes anywhere in RAM (a mailbox, a page table, a
       ring header), or bytes on the doorbell, in reads of the input's sizes as the pipe
       delivers them */
    while (input.size > 0 && hypervisor->end == GUEST_RUNNING) {
        if (fuzz_u8(&input) & 1) {
            uint32_t offset = (fuzz_u32(&input) % RAM_SIZE) & ~7u;
            uint64_t value = fuzz_u64(&input);
            memcpy(ram + offset, &value, sizeof value);
            continue;
        }
        uint8_t chunk[64];
        size_t count = fuzz_bytes(&input, chunk, 1 + fuzz_u8(&input) % sizeof chunk);
        doorbell_feed(hypervisor, chunk, count);
        byte_queue_discard(&host_stderr);
    }
    byte_queue_free(&host_stderr);
    free(hypervisor);
    return 0;
}
