/*
 * procbench.c - processes and pipes (SPEC section 11): fork+exit+wait,
 * fork+execve+exit+wait of a static program (this one, through AT_EXECFN),
 * and pipe throughput with 64 KiB writes. Runs on sysgate and on Linux alike.
 *
 * Prints "NAME TSC_PER_UNIT NS_PER_UNIT" lines like nullcall: under -icount
 * shift=0 the TSC counts guest instructions. The pipe's unit is one byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "benchclock.h"
#include "poweroff.h"

#define FORKS 200
#define EXECS 100
#define PIPE_BYTES (16u << 20)
#define CHUNK (64u << 10)

static void report(const char *name, uint64_t t0, uint64_t t1, uint64_t n0, uint64_t n1, double units)
{
    printf("%s %.3f %.3f\n", name, (double)(t1 - t0) / units, (double)(n1 - n0) / units);
}

static char chunk[CHUNK];

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "exit"))
        return 0;
    uint64_t n0 = now_ns(), t0 = tsc();
    for (int i = 0; i < FORKS; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(0);
        waitpid(p, NULL, 0);
    }
    uint64_t t1 = tsc(), n1 = now_ns();
    report("fork_exit_wait", t0, t1, n0, n1, FORKS);

    const char *self = (const char *)getauxval(AT_EXECFN);
    n0 = now_ns(), t0 = tsc();
    for (int i = 0; i < EXECS; i++) {
        pid_t p = fork();
        if (p == 0) {
            execl(self, "procbench", "exit", (char *)NULL);
            _exit(1);
        }
        waitpid(p, NULL, 0);
    }
    t1 = tsc(), n1 = now_ns();
    report("fork_execve_exit_wait", t0, t1, n0, n1, EXECS);

    int fds[2];
    pipe(fds);
    n0 = now_ns(), t0 = tsc();
    pid_t reader = fork();
    if (reader == 0) {
        close(fds[1]);
        static char buf[CHUNK];
        while (read(fds[0], buf, sizeof buf) > 0)
            ;
        _exit(0);
    }
    close(fds[0]);
    for (unsigned done = 0; done < PIPE_BYTES; done += CHUNK)
        write(fds[1], chunk, CHUNK);
    close(fds[1]);
    waitpid(reader, NULL, 0);
    t1 = tsc(), n1 = now_ns();
    report("pipe_per_byte", t0, t1, n0, n1, PIPE_BYTES);
    bench_finish(0);
}
