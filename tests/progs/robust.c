/*
 * robust.c - resource exhaustion ends in an error or in the offending process
 * being killed, never in a kernel panic, and nothing leaks (issue 4):
 *
 *   robust forkbomb   fork until fork fails: EAGAIN, then everyone is reaped
 *   robust oom        a child touches memory until it dies; the parent goes on
 *   robust cycles     1000 fork/exit/wait: free memory comes back
 *   robust fds        2000 open/close: the same descriptor every time, EMFILE at the limit
 *   robust threads    600 threads joined, 600 children with a second thread exiting:
 *                     more than the task limit, and free memory comes back
 *
 * Prints "ok ..." lines, or "FAIL ..." and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, ...)                                                              \
    do {                                                                              \
        if (cond) {                                                                   \
            printf("ok ");                                                            \
        } else {                                                                      \
            printf("FAIL ");                                                          \
            failures++;                                                               \
        }                                                                             \
        printf(__VA_ARGS__);                                                          \
        printf("\n");                                                                 \
    } while (0)

static unsigned long free_kib(void)
{
    struct sysinfo si;
    sysinfo(&si);
    return si.freeram / 1024 * si.mem_unit;
}

static void forkbomb(void)
{
    int pipe_fds[2];
    pipe(pipe_fds); /* children wait on it until the parent closes it */
    int count = 0, err = 0;
    for (;;) {
        pid_t p = fork();
        if (p < 0) {
            err = errno;
            break;
        }
        if (p == 0) {
            char c;
            close(pipe_fds[1]);
            read(pipe_fds[0], &c, 1);
            _exit(0);
        }
        count++;
        if (count > 100000)
            break;
    }
    CHECK(err == EAGAIN, "fork fails with EAGAIN at the limit (%s)", strerror(err));
    CHECK(count >= 100, "at least 100 processes before that");
    close(pipe_fds[1]);
    int reaped = 0;
    while (wait(NULL) > 0)
        reaped++;
    CHECK(reaped == count, "every child reaped");
    pid_t p = fork();
    if (p == 0)
        _exit(7);
    int status;
    waitpid(p, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "fork works again afterwards");
}

static void oom(void)
{
    unsigned long before = free_kib();
    pid_t p = fork();
    if (p == 0) {
        /* Touch memory until something gives: mmap failing, or the kernel
         * killing this process when no page is left for a fault. */
        for (;;) {
            char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m == MAP_FAILED)
                _exit(3);
            memset(m, 1, 1 << 20);
        }
    }
    int status;
    waitpid(p, &status, 0);
    CHECK(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 3),
          "the hog ended (killed or refused), not the system");
    char *m = malloc(4 << 20);
    memset(m, 2, 4 << 20);
    CHECK(m[12345] == 2, "memory is available again");
    free(m);
    unsigned long after = free_kib();
    CHECK(after + 8192 >= before, "the hog's memory came back");
}

static void cycles(void)
{
    /* Warm up once: the first fork faults in pages that stay. */
    for (int i = 0; i < 10; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(0);
        waitpid(p, NULL, 0);
    }
    unsigned long before = free_kib();
    for (int i = 0; i < 1000; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(i & 0xff);
        int status;
        if (waitpid(p, &status, 0) != p || WEXITSTATUS(status) != (i & 0xff)) {
            CHECK(0, "fork/exit/wait cycle %d", i);
            return;
        }
    }
    unsigned long after = free_kib();
    CHECK(1, "1000 fork/exit/wait cycles");
    CHECK(after + 64 >= before, "free memory within 64 KiB of where it started");
}

static void *thread_returns(void *arg) { return arg; }

static void *thread_sleeps(void *arg)
{
    for (;;)
        pause();
    return arg;
}

static bool threaded_child_cycle(int i)
{
    pid_t p = fork();
    if (p == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, thread_sleeps, NULL))
            _exit(255);
        exit(i & 0x7f);
    }
    int status;
    return waitpid(p, &status, 0) == p && WIFEXITED(status) && WEXITSTATUS(status) == (i & 0x7f);
}

static void threads(void)
{
    for (int i = 0; i < 10; i++)
        threaded_child_cycle(i);
    unsigned long before = free_kib();
    for (int i = 0; i < 600; i++) {
        pthread_t t;
        void *result;
        if (pthread_create(&t, NULL, thread_returns, (void *)(long)i) || pthread_join(t, &result) ||
            result != (void *)(long)i) {
            CHECK(0, "thread cycle %d", i);
            return;
        }
    }
    CHECK(1, "600 threads created and joined");
    for (int i = 0; i < 600; i++) {
        if (!threaded_child_cycle(i)) {
            CHECK(0, "threaded child %d", i);
            return;
        }
    }
    CHECK(1, "600 children with a second thread exit and are reaped");
    unsigned long after = free_kib();
    CHECK(after + 64 >= before, "free memory within 64 KiB of where it started");
}

static void fds(void)
{
    int first = open("/dev/null", O_RDONLY);
    int last = first;
    for (int i = 0; i < 2000; i++) {
        close(last);
        last = open("/dev/null", O_RDONLY);
    }
    CHECK(last == first, "2000 open/close cycles reuse the same descriptor");
    int n = 0, err = 0;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) {
            err = errno;
            break;
        }
        n++;
    }
    CHECK(err == EMFILE, "EMFILE when the table is full (%s)", strerror(err));
    for (int fd = 3; fd < 3 + n + 1; fd++)
        close(fd);
    CHECK(open("/dev/null", O_RDONLY) == first, "all of them closed again");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "forkbomb"))
        forkbomb();
    else if (!strcmp(what, "oom"))
        oom();
    else if (!strcmp(what, "cycles"))
        cycles();
    else if (!strcmp(what, "fds"))
        fds();
    else if (!strcmp(what, "threads"))
        threads();
    else {
        fprintf(stderr, "usage: robust forkbomb|oom|cycles|fds|threads\n");
        return 2;
    }
    return failures != 0;
}
