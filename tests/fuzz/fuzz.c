/* The fuzz targets' replacements for util.c's fail() and report(), and input helpers. */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../hv/util.h"

jmp_buf fuzz_refused;

void report(const char *format, ...)
{
    char line[2048];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args); /* formatted, to check the arguments, and dropped */
    va_end(args);
}

void fail(int status, const char *format, ...)
{
    (void)status;
    char line[2048];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    longjmp(fuzz_refused, 1);
}

uint8_t fuzz_u8(struct fuzz_input *input)
{
    uint8_t value = 0;
    fuzz_bytes(input, &value, 1);
    return value;
}

uint32_t fuzz_u32(struct fuzz_input *input)
{
    uint32_t value = 0;
    fuzz_bytes(input, &value, sizeof value);
    return value;
}

uint64_t fuzz_u64(struct fuzz_input *input)
{
    uint64_t value = 0;
    fuzz_bytes(input, &value, sizeof value);
    return value;
}

size_t fuzz_bytes(struct fuzz_input *input, void *out, size_t max)
{
    size_t count = input->size < max ? input->size : max;
    memcpy(out, input->data, count);
    input->data += count;
    input->size -= count;
    return count;
}
