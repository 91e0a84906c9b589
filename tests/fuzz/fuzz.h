/* Shared by the fuzz targets (tests/fuzz/README.md): the monitor's fail() and report()
   are replaced (util.c is built with them renamed), so that an input the monitor refuses
   with a message returns to the target instead of exiting the fuzzer. */
#ifndef SYSGATE_FUZZ_H
#define SYSGATE_FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

/* fail() jumps here; set with setjmp before calling monitor code that may refuse. */
extern jmp_buf fuzz_refused;

/* Consumes bytes from the front of the fuzz input. */
struct fuzz_input {
    const uint8_t *data;
    size_t size;
};

uint8_t fuzz_u8(struct fuzz_input *input);
uint32_t fuzz_u32(struct fuzz_input *input);
uint64_t fuzz_u64(struct fuzz_input *input);
/* Up to `max` bytes (fewer when the input ends); returns how many were copied. */
size_t fuzz_bytes(struct fuzz_input *input, void *out, size_t max);

#endif
