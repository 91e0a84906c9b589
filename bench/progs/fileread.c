/* fileread FILE: reads FILE to its end in 1 MiB reads and prints how many bytes it read and
   in how many nanoseconds of CLOCK_MONOTONIC (bench/run: a host file through the 9p root).
   The clock is read inside the guest, so the boot is not part of the figure. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "benchclock.h"

#define CHUNK (1024 * 1024)

static char buffer[CHUNK];

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fileread FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    unsigned long long total = 0;
    uint64_t start = now_ns();
    ssize_t got;
    while ((got = read(fd, buffer, sizeof buffer)) > 0)
        total += (unsigned long long)got;
    uint64_t end = now_ns();
    if (got < 0) {
        perror("read");
        return 1;
    }
    printf("%llu %llu\n", total, (unsigned long long)(end - start));
    return 0;
}
