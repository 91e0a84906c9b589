/* The kernel image check and PROGRAM's check (hv/elfcheck.c) on any file content: no
   crash, no read outside what was read from the file, an answer for everything. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../hv/elfcheck.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0)
        fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char problem[512];
    (void)kernel_image_problem(fd, 256ull << 20, problem, sizeof problem);
    struct program_info info;
    (void)program_problem(fd, size, &info, problem, sizeof problem);
    free(info.interpreter);
    return 0;
}
