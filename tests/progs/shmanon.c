/*
 * shmanon.c - MAP_SHARED anonymous memory (and MAP_SHARED /dev/zero) is one
 * object that every process mapping it sees: after fork a write in either
 * process is seen by the other, for pages touched before the fork and pages
 * nobody had touched, across grandchildren, after mremap moves the mapping,
 * and after MADV_DONTNEED. MAP_PRIVATE stays private. Grown by mremap, the
 * mapping reaches past the object's end: touching there is SIGBUS.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 4
static long page_size;

static void wait_child(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        printf("child %d ended badly (status %#x)\n", pid, status);
}

static void show(const char *what, const char *mem)
{
    printf("%s:", what);
    for (int i = 0; i < PAGES; i++)
        printf(" [%d] %d", i, mem[i * page_size]);
    printf("\n");
}

static char *map(int flags, int fd)
{
    char *p = mmap(NULL, PAGES * page_size, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    return p;
}

/* The child writes every page (page 0 was touched before the fork, the
 * rest not), then waits for the parent's writes and reports them. */
static void both_ways(const char *name, char *mem)
{
    int to_child[2], to_parent[2];
    char c;
    if (pipe(to_child) || pipe(to_parent))
        exit(1);
    mem[0] = 1;
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < PAGES; i++)
            mem[i * page_size] += 10 + i;
        if (write(to_parent[1], "w", 1) != 1 || read(to_child[0], &c, 1) != 1)
            _exit(1);
        show("  the child sees the parent's writes", mem);
        _exit(0);
    }
    if (read(to_parent[0], &c, 1) != 1)
        exit(1);
    printf("%s\n", name);
    show("  the parent sees the child's writes", mem);
    for (int i = 0; i < PAGES; i++)
        mem[i * page_size] += 100;
    if (write(to_child[1], "w", 1) != 1)
        exit(1);
    wait_child(pid);
    for (int i = 0; i < 2; i++) {
        close(to_child[i]);
        close(to_parent[i]);
    }
}

static void grandchildren(char *mem)
{
    pid_t pid = fork();
    if (pid == 0) {
        mem[1 * page_size] = 21;
        pid_t grandchild = fork();
        if (grandchild == 0) {
            mem[2 * page_size] = 32;
            mem[3 * page_size] = mem[1 * page_size] + 1;
            _exit(0);
        }
        wait_child(grandchild);
        mem[0] = mem[2 * page_size] + 1;
        _exit(0);
    }
    wait_child(pid);
    show("grandchild and child writes, seen by the grandparent", mem);
}

/* The parent moves its mapping after the fork; the child writes through the
 * old place in its own address space; the parent reads at the new one. */
static void moved_after_fork(char *mem)
{
    int go[2];
    char c;
    if (pipe(go))
        exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        if (read(go[0], &c, 1) != 1)
            _exit(1);
        for (int i = 0; i < PAGES; i++)
            mem[i * page_size] = 40 + i;
        _exit(0);
    }
    char *moved = mremap(mem, PAGES * page_size, PAGES * page_size, MREMAP_MAYMOVE | MREMAP_FIXED,
                         mem + 16 * page_size);
    if (moved == MAP_FAILED) {
        perror("mremap");
        exit(1);
    }
    if (write(go[1], "g", 1) != 1)
        exit(1);
    wait_child(pid);
    show("after the parent's mremap, the child's writes", moved);
    close(go[0]);
    close(go[1]);
}

static void dontneed_keeps(char *mem)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < PAGES; i++)
            mem[i * page_size] = 50 + i;
        _exit(0);
    }
    wait_child(pid);
    if (madvise(mem, PAGES * page_size, MADV_DONTNEED))
        perror("madvise");
    show("after MADV_DONTNEED, the contents stay", mem);
    printf("MADV_FREE on it: %s\n", madvise(mem, page_size, MADV_FREE) ? "refused" : "done");
}

static sigjmp_buf bus_return;
static void on_bus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("signal %d code %d\n", sig, si->si_code);
    siglongjmp(bus_return, 1);
}

static void grown_past_the_end(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    char *mem = map(MAP_SHARED | MAP_ANONYMOUS, -1);
    char *grown = mremap(mem, PAGES * page_size, 2 * PAGES * page_size, MREMAP_MAYMOVE);
    if (grown == MAP_FAILED) {
        perror("mremap");
        exit(1);
    }
    grown[page_size] = 3;
    printf("grown: the old part works: %d\n", grown[page_size]);
    printf("grown: the new part: ");
    if (!sigsetjmp(bus_return, 1)) {
        grown[PAGES * page_size + 1] = 1;
        printf("writable\n");
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    page_size = sysconf(_SC_PAGESIZE);
    both_ways("MAP_SHARED|MAP_ANONYMOUS", map(MAP_SHARED | MAP_ANONYMOUS, -1));
    int zero = open("/dev/zero", O_RDWR);
    if (zero < 0) {
        perror("/dev/zero");
        return 1;
    }
    both_ways("MAP_SHARED /dev/zero", map(MAP_SHARED, zero));
    grandchildren(map(MAP_SHARED | MAP_ANONYMOUS, -1));
    moved_after_fork(map(MAP_SHARED | MAP_ANONYMOUS, -1));
    /* Moved before the fork, and shrunk to two pages. */
    char *mem = map(MAP_SHARED | MAP_ANONYMOUS, -1);
    mem[0] = 7;
    char *moved = mremap(mem, PAGES * page_size, 2 * page_size, MREMAP_MAYMOVE | MREMAP_FIXED, mem + 32 * page_size);
    pid_t pid = fork();
    if (pid == 0) {
        moved[0] += 1;
        moved[page_size] = 9;
        _exit(0);
    }
    wait_child(pid);
    printf("moved and shrunk before the fork: %d %d\n", moved[0], moved[page_size]);
    dontneed_keeps(map(MAP_SHARED | MAP_ANONYMOUS, -1));
    grown_past_the_end();
    char *private_mem = map(MAP_PRIVATE | MAP_ANONYMOUS, -1);
    pid = fork();
    if (pid == 0) {
        private_mem[0] = 1;
        _exit(0);
    }
    wait_child(pid);
    printf("MAP_PRIVATE after the child's write: %d\n", private_mem[0]);
    char *private_zero = map(MAP_PRIVATE, zero);
    pid = fork();
    if (pid == 0) {
        private_zero[page_size] = 1;
        _exit(0);
    }
    wait_child(pid);
    printf("MAP_PRIVATE /dev/zero after the child's write: %d\n", private_zero[page_size]);
    return 0;
}
