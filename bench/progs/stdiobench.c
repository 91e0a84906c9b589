/* stdio throughput (bench/run): `stdiobench out BYTES` writes BYTES to stdout in large
   writes; `stdiobench in` reads stdin to its end in large reads and prints how many bytes
   came. The same program runs on the host (its pipe, for comparison) and under sysgate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (128 * 1024)

static char buffer[CHUNK];

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "out") == 0) {
        unsigned long long left = strtoull(argv[2], NULL, 10);
        memset(buffer, 'x', sizeof buffer);
        while (left > 0) {
            size_t count = left < sizeof buffer ? (size_t)left : sizeof buffer;
            ssize_t written = write(STDOUT_FILENO, buffer, count);
            if (written < 0 && errno == EINTR)
                continue;
            if (written <= 0) {
                perror("stdiobench: write");
                return 1;
            }
            left -= (unsigned long long)written;
        }
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "in") == 0) {
        unsigned long long total = 0;
        for (;;) {
            ssize_t got = read(STDIN_FILENO, buffer, sizeof buffer);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0) {
                perror("stdiobench: read");
                return 1;
            }
            if (got == 0)
                break;
            total += (unsigned long long)got;
        }
        printf("%llu\n", total);
        return 0;
    }
    fprintf(stderr, "usage: stdiobench out BYTES | stdiobench in\n");
    return 2;
}
