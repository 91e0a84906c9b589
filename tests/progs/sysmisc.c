/*
 * sysmisc.c - madvise (the hints, MADV_DONTNEED on private anonymous and
 * file memory, MADV_FREE, unmapped ranges, bad advice) and CPU affinity
 * (sched_getaffinity/sched_setaffinity through the raw calls and glibc's
 * CPU_COUNT), and the ioctls every file takes (FIONBIO, FIOCLEX, FIONCLEX).
 * Prints deterministic lines; the CPU count is printed as
 * "at least one", since the host has more than sysgate.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096

static void show(const char *what, long r)
{
    printf("%s: %ld%s%s\n", what, r < 0 ? -1 : r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(void)
{
    char *anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(anon, 'x', 4 * PAGE);
    show("MADV_NORMAL", madvise(anon, 4 * PAGE, MADV_NORMAL));
    show("MADV_WILLNEED", madvise(anon, 4 * PAGE, MADV_WILLNEED));
    show("MADV_DONTNEED", madvise(anon + PAGE, 2 * PAGE, MADV_DONTNEED));
    printf("after DONTNEED: %c %d %d %c\n", anon[0], anon[PAGE], anon[2 * PAGE + 7], anon[3 * PAGE]);
    anon[PAGE] = 'y';
    printf("usable again: %c\n", anon[PAGE]);
    show("MADV_FREE", madvise(anon, PAGE, MADV_FREE));
    show("unaligned", madvise(anon + 1, PAGE, MADV_DONTNEED));
    show("bad advice", madvise(anon, PAGE, 9999));
    munmap(anon + 3 * PAGE, PAGE);
    show("partly unmapped", madvise(anon, 4 * PAGE, MADV_DONTNEED));
    show("length 0", madvise(anon, 0, MADV_DONTNEED));

    char path[64];
    snprintf(path, sizeof path, "/tmp/sysgate-madvise-%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char data[PAGE];
    memset(data, 'f', sizeof data);
    write(fd, data, sizeof data);
    char *file = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    file[0] = 'P';
    show("DONTNEED on a private file page", madvise(file, PAGE, MADV_DONTNEED));
    printf("back to the file's contents: %c\n", file[0]);
    show("MADV_FREE on a file mapping", madvise(file, PAGE, MADV_FREE));
    unlink(path);

    char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    shared[0] = 's';
    show("DONTNEED on shared memory", madvise(shared, PAGE, MADV_DONTNEED));
    printf("shared memory keeps its data: %c\n", shared[0]);

    cpu_set_t set;
    CPU_ZERO(&set);
    show("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
    printf("CPUs: at least one %d, CPU 0 in the set %d\n", CPU_COUNT(&set) >= 1, CPU_ISSET(0, &set) ? 1 : 0);
    long raw = syscall(SYS_sched_getaffinity, 0, sizeof(long), &set);
    printf("raw call returns one word: %d\n", raw == (long)sizeof(long));
    show("length not a whole word", syscall(SYS_sched_getaffinity, 0, 3, &set));
    show("no such process", sched_getaffinity(999999, sizeof set, &set));
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    show("sched_setaffinity to CPU 0", sched_setaffinity(0, sizeof set, &set));
    CPU_ZERO(&set);
    show("sched_setaffinity to no CPU", sched_setaffinity(0, sizeof set, &set));

    /* The ioctls every file takes, whatever its driver. */
    int p[2];
    pipe(p);
    int on = 1, off = 0;
    show("FIONBIO on", ioctl(p[0], FIONBIO, &on));
    printf("O_NONBLOCK after FIONBIO on: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    char c;
    show("read of an empty non-blocking pipe", read(p[0], &c, 1));
    show("FIONBIO off", ioctl(p[0], FIONBIO, &off));
    printf("O_NONBLOCK after FIONBIO off: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    show("FIONBIO with a bad pointer", ioctl(p[0], FIONBIO, (int *)8));
    show("FIOCLEX", ioctl(p[1], FIOCLEX));
    printf("FD_CLOEXEC after FIOCLEX: %d\n", fcntl(p[1], F_GETFD) & FD_CLOEXEC);
    show("FIONCLEX", ioctl(p[1], FIONCLEX));
    printf("FD_CLOEXEC after FIONCLEX: %d\n", fcntl(p[1], F_GETFD) & FD_CLOEXEC);
    int devnull = open("/dev/null", O_RDONLY);
    show("FIONBIO on /dev/null", ioctl(devnull, FIONBIO, &on));
    show("TCGETS on a pipe", ioctl(p[0], TCGETS, &on));
    return 0;
}
