/* mapread FILE: a file's contents read three ways must agree: read(2), a private read-only
 * mapping, and a private writable mapping (copy-on-write: the file itself never changes).
 * Prints the size and one checksum per way, then whether the file is still as it was.
 * Used on files of a 9p share (tests/cases/ninep.sh), where the mappings are of the page
 * cache the 9p client filled. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t fnv1a(const unsigned char *data, size_t length)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ data[i]) * 0x100000001b3ull;
    return hash;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mapread FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat status;
    if (fd < 0 || fstat(fd, &status) != 0) {
        perror(argv[1]);
        return 1;
    }
    size_t size = (size_t)status.st_size;
    printf("size %zu\n", size);
    unsigned char *buffer = malloc(size + 1);
    size_t done = 0;
    ssize_t got;
    while (done < size && (got = read(fd, buffer + done, size - done)) > 0)
        done += (size_t)got;
    printf("read %zu bytes, checksum %016llx\n", done, (unsigned long long)fnv1a(buffer, done));
    if (size == 0)
        return 0;
    unsigned char *shared = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (shared == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    printf("mapped read-only, checksum %016llx\n", (unsigned long long)fnv1a(shared, size));
    unsigned char *private = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (private == MAP_FAILED) {
        perror("mmap private");
        return 1;
    }
    uint64_t before = fnv1a(private, size);
    private[0] ^= 0xff;
    private[size - 1] ^= 0xff;
    printf("mapped private, checksum %016llx, changed %s\n", (unsigned long long)before,
           fnv1a(private, size) != before ? "yes" : "no");
    unsigned char first;
    if (pread(fd, &first, 1, 0) != 1) {
        perror("pread");
        return 1;
    }
    printf("file unchanged %s, read-only mapping unchanged %s\n", first == buffer[0] ? "yes" : "no",
           fnv1a(shared, size) == fnv1a(buffer, size) ? "yes" : "no");
    return 0;
}
