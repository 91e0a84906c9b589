/* mapwrite FILE TEXT: writes TEXT at the start of FILE (which must be at least as long)
 * through a shared writable mapping, then unmaps and closes it: on a writable 9p share the
 * change must reach the host's file (tests/cases/ninep.sh). Prints what the mapping holds. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mapwrite FILE TEXT\n");
        return 2;
    }
    int fd = open(argv[1], O_RDWR);
    struct stat status;
    size_t length = strlen(argv[2]);
    if (fd < 0 || fstat(fd, &status) != 0 || (size_t)status.st_size < length) {
        perror(argv[1]);
        return 1;
    }
    char *map = mmap(NULL, (size_t)status.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memcpy(map, argv[2], length);
    printf("%.*s\n", (int)status.st_size, map);
    munmap(map, (size_t)status.st_size);
    close(fd);
    return 0;
}
