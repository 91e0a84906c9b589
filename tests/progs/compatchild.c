/*
 * compatchild.c - a parent of one ABI and a child of the other: the child
 * sleeps in system calls and exits, and the parent's calls must keep the
 * parent's ABI all along (what open's flags, mmap's placement and wait4's
 * struct rusage look like). Built 64-bit and 32-bit; each build runs the
 * other as its child.
 *
 *   compatchild parent CHILD   fork, exec CHILD, check before, during, after
 *   compatchild child RFD WFD  say "ready" on WFD, sleep, read RFD, exit 3
 *
 * Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* O_LARGEFILE as the x86-64 and i386 kernels report it; glibc's own constant
 * is 0 for 64-bit programs. */
#define KERNEL_O_LARGEFILE 0100000
#define FOUR_GIB 0x100000000ull
#define CHILD_EXIT_CODE 3

static bool above_4gib(uint64_t address) { return address >= FOUR_GIB; }

/* What the running program's ABI decides: Linux adds O_LARGEFILE to every
 * open from a 64-bit program, and places its mappings above 4 GiB. */
static void check_abi(const char *when, const char *file)
{
    int fd = (int)syscall(SYS_openat, AT_FDCWD, file, O_RDONLY);
    if (fd < 0) {
        perror("openat");
        exit(1);
    }
    long flags = fcntl(fd, F_GETFL);
    close(fd);
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    munmap(p, 4096);
    printf("%s: O_LARGEFILE %s, mmap %s 4 GiB\n", when, (flags & KERNEL_O_LARGEFILE) ? "set" : "clear",
           above_4gib((uintptr_t)p) ? "above" : "below");
}

static int run_child(int rfd, int wfd)
{
    if (write(wfd, "r", 1) != 1)
        return 1;
    struct timespec nap = {0, 1000000};
    nanosleep(&nap, NULL);
    char c;
    if (read(rfd, &c, 1) != 1)
        return 1;
    return CHILD_EXIT_CODE;
}

static int run_parent(const char *child)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    check_abi("before the child", child);
    int to_child[2], from_child[2];
    if (pipe(to_child) || pipe(from_child)) {
        perror("pipe");
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char rfd[16], wfd[16];
        snprintf(rfd, sizeof(rfd), "%d", to_child[0]);
        snprintf(wfd, sizeof(wfd), "%d", from_child[1]);
        execl(child, child, "child", rfd, wfd, (char *)NULL);
        perror("execl");
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    char c;
    /* The child says it is ready, then sleeps and blocks reading. */
    if (read(from_child[0], &c, 1) != 1) {
        printf("the child did not start\n");
        return 1;
    }
    check_abi("while the child sleeps", child);
    if (write(to_child[1], "g", 1) != 1)
        return 1;

    struct rusage ru;
    memset(&ru, 0xff, sizeof(ru));
    int status;
    pid_t w = wait4(pid, &status, 0, &ru);
    printf("reaped the child: %s, exit code %d\n", w == pid ? "yes" : "no",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    /* Every field of the caller's struct rusage is written, none past it. */
    const unsigned char *bytes = (const unsigned char *)&ru;
    size_t untouched_words = 0;
    for (size_t i = 0; i < sizeof(ru); i += sizeof(long)) {
        long word;
        memcpy(&word, bytes + i, sizeof(word));
        untouched_words += word == -1;
    }
    printf("rusage: %zu of %zu words left unwritten, usec fields %s\n", untouched_words, sizeof(ru) / sizeof(long),
           ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec >= 0 &&
                   ru.ru_stime.tv_usec < 1000000
               ? "in range"
               : "out of range");
    check_abi("after the child", child);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "parent"))
        return run_parent(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "child"))
        return run_child(atoi(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: %s parent CHILD | child RFD WFD\n", argv[0]);
    return 2;
}
