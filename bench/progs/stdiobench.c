/* stdio throughput (bench/run): `stdiobench out BYTES` writes BYTES to stdout in large
   writes; `stdiobench in` reads stdin to its end in large reads and prints how many bytes
   came. The same program runs on the host (its pipe, for comparison) and under sysgate.
   `stdiobench pattern BYTES` writes bytes that never repeat with a period (each 8-byte word
   is its own offset), so a checksum of them also catches reordered or repeated pieces
   (tests/cases/monitor.sh). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (128 * 1024)

static char buffer[CHUNK];

int main(int argc, char **argv)
{
    bool pattern = argc == 3 && strcmp(argv[1], "pattern") == 0;
    if (argc == 3 && (strcmp(argv[1], "out") == 0 || pattern)) {
        unsigned long long left = strtoull(argv[2], NULL, 10), offset = 0;
        memset(buffer, 'x', sizeof buffer);
        while (left > 0) {
            size_t count = left < sizeof buffer ? (size_t)left : sizeof buffer;
            for (size_t word = 0; pattern && word < sizeof buffer / 8; word++) {
                unsigned long long value = offset + word * 8;
                memcpy(buffer + word * 8, &value, 8);
            }
            offset += count;
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
