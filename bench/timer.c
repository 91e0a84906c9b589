/*
 * timer.c - the benchmark's stopwatch.
 *
 *   timer [-t SECONDS] [-o FILE] [--] COMMAND [ARGS...]
 *       Runs COMMAND (found through PATH) in its own process group and
 *       measures the wall time from just before it is started to the moment
 *       it has exited (CLOCK_MONOTONIC). Writes the time in nanoseconds and
 *       a newline to FILE (appending), or to stderr without -o. Exits with
 *       COMMAND's status: its exit code, 128+N if signal N killed it, 124
 *       if it ran longer than SECONDS (then its whole process group is
 *       killed, first with SIGTERM and 2 s later with SIGKILL, and no time
 *       is written), 127 if it could not be started.
 *
 *   timer --tsc-khz
 *       Prints the frequency of this CPU's time-stamp counter in kHz,
 *       measured against CLOCK_MONOTONIC_RAW over 200 ms. Under QEMU's TCG
 *       (without -icount) the guest's rdtsc reads the host's counter, so a
 *       Linux guest is told this value with tsc_early_khz= and does not have
 *       to calibrate its TSC against the emulated PIT (which fails now and
 *       then under TCG and leaves the guest hanging).
 *
 * Build: gcc -O2 -o build/bench/timer bench/timer.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

static uint64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int tsc_khz(void)
{
#if defined(__x86_64__) || defined(__i386__)
    uint64_t t0 = now_ns(CLOCK_MONOTONIC_RAW), c0 = __builtin_ia32_rdtsc();
    struct timespec d = { 0, 200 * 1000 * 1000 };
    while (nanosleep(&d, &d) != 0 && errno == EINTR)
        ;
    uint64_t t1 = now_ns(CLOCK_MONOTONIC_RAW), c1 = __builtin_ia32_rdtsc();
    /* kHz = cycles / ms, rounded to a whole MHz (the drift of a 200 ms
     * measurement is larger than that anyway) */
    uint64_t khz = (c1 - c0) * 1000000u / (t1 - t0);
    khz = (khz + 500) / 1000 * 1000;
    printf("%llu\n", (unsigned long long)khz);
    return 0;
#else
    fprintf(stderr, "timer: --tsc-khz needs an x86 CPU\n");
    return 1;
#endif
}

static void usage(void)
{
    fprintf(stderr, "usage: timer [-t SECONDS] [-o FILE] [--] COMMAND [ARGS...]\n"
                    "       timer --tsc-khz\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    unsigned timeout = 0;
    int i = 1;

    if (argc == 2 && strcmp(argv[1], "--tsc-khz") == 0)
        return tsc_khz();
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            timeout = (unsigned)strtoul(argv[++i], NULL, 10);
        } else {
            usage();
        }
    }
    if (i >= argc)
        usage();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;       /* no SA_RESTART: waitpid returns EINTR */
    sigaction(SIGALRM, &sa, NULL);

    uint64_t start = now_ns(CLOCK_MONOTONIC);
    pid_t pid = fork();
    if (pid < 0) {
        perror("timer: fork");
        return 125;
    }
    if (pid == 0) {
        setpgid(0, 0);
        execvp(argv[i], argv + i);
        fprintf(stderr, "timer: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);              /* also here, so there is no race */
    if (timeout)
        alarm(timeout);

    int status, killed = 0;
    for (;;) {
        if (waitpid(pid, &status, 0) == pid)
            break;
        if (errno != EINTR) {
            perror("timer: waitpid");
            return 125;
        }
        if (timed_out && killed == 0) {
            fprintf(stderr, "timer: %s: timed out after %u s\n", argv[i], timeout);
            kill(-pid, SIGTERM);
            killed = 1;
            alarm(2);
        } else if (timed_out && killed == 1) {
            kill(-pid, SIGKILL);
            killed = 2;
        }
        timed_out = 0;
    }
    uint64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
    alarm(0);
    if (killed)
        return 124;

    FILE *f = out ? fopen(out, "a") : stderr;
    if (!f) {
        perror(out);
        return 125;
    }
    fprintf(f, "%llu\n", (unsigned long long)elapsed);
    if (out)
        fclose(f);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
