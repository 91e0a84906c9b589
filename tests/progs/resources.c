/*
 * resources.c - times, getrusage, sysinfo, statfs/fstatfs, the real-time
 * interval timer, ppoll and select with timeouts, and on i386 the time32
 * clock_nanosleep and utimensat: the calls whose structures differ between
 * x86-64 and i386, checked for sane values and Linux's errors on both ABIs. Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, int result)
{
    printf("%s: %d%s%s\n", what, result, result < 0 ? " " : "", result < 0 ? strerror(errno) : "");
}

static volatile int alarms, vtalarms, profs;
static void on_alarm(int sig) { (void)sig; alarms++; }
static void on_cpu_timer(int sig)
{
    if (sig == SIGVTALRM)
        vtalarms++;
    else
        profs++;
}

int main(void)
{
    volatile unsigned long spin = 0;
    for (long i = 0; i < 20000000; i++)
        spin += (unsigned long)i;

    struct tms t;
    clock_t now = times(&t);
    printf("times: %d, fields sane: %d\n", now != (clock_t)-1, t.tms_utime >= 0 && t.tms_stime >= 0 && t.tms_cutime == 0);

    struct rusage r;
    show("getrusage self", getrusage(RUSAGE_SELF, &r));
    printf("rusage sane: %d\n", r.ru_utime.tv_usec >= 0 && r.ru_utime.tv_usec < 1000000 && r.ru_stime.tv_usec < 1000000);
    show("getrusage children", getrusage(RUSAGE_CHILDREN, &r));
    printf("children's time is zero: %d\n", r.ru_utime.tv_sec == 0 && r.ru_utime.tv_usec == 0);
    show("getrusage 5", getrusage(5, &r));

    struct sysinfo si;
    show("sysinfo", sysinfo(&si));
    unsigned long long total = (unsigned long long)si.totalram * si.mem_unit;
    printf("sysinfo sane: %d\n", total > (16ull << 20) && si.freeram <= si.totalram && si.procs > 0);

    struct statfs fs;
    show("statfs /", statfs("/", &fs));
    printf("statfs sane: %d\n", fs.f_bsize > 0 && fs.f_namelen == 255 && fs.f_bfree <= fs.f_blocks);
    show("statfs missing", statfs("/no/such/path", &fs));
    show("fstatfs bad fd", fstatfs(99, &fs));

    signal(SIGALRM, on_alarm);
    struct itimerval it = {{0, 0}, {0, 50000}}, old;
    show("setitimer", setitimer(ITIMER_REAL, &it, NULL));
    getitimer(ITIMER_REAL, &old);
    printf("getitimer counts down: %d\n", old.it_value.tv_sec == 0 && old.it_value.tv_usec > 0 && old.it_value.tv_usec <= 50000);
    while (!alarms)
        pause();
    printf("alarms: %d\n", alarms);
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    show("setitimer bad usec", setitimer(ITIMER_REAL, &bad, NULL));
    show("getitimer bad which", getitimer(5, &old));

    /* CPU-time timers: they run only while the process computes. */
    signal(SIGVTALRM, on_cpu_timer);
    signal(SIGPROF, on_cpu_timer);
    struct itimerval cpu = {{0, 0}, {0, 30000}};
    show("setitimer ITIMER_VIRTUAL", setitimer(ITIMER_VIRTUAL, &cpu, NULL));
    for (unsigned long i = 0; !vtalarms && i < 4000000000ul; i++)
        spin += i;
    printf("SIGVTALRM after computing: %d\n", vtalarms);
    struct itimerval prof = {{0, 20000}, {1, 0}};
    show("setitimer ITIMER_PROF", setitimer(ITIMER_PROF, &prof, NULL));
    getitimer(ITIMER_PROF, &old);
    printf("ITIMER_PROF armed: %d interval %ld\n", old.it_value.tv_sec * 1000000 + old.it_value.tv_usec > 500000,
           (long)old.it_interval.tv_usec);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, &old);
    getitimer(ITIMER_PROF, &old);
    printf("ITIMER_PROF disarmed: %d\n", old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0);
    printf("no SIGPROF: %d\n", profs == 0);

    int p[2];
    pipe(p);
    struct pollfd pf = {p[0], POLLIN, 0};
    struct timespec ten_ms = {0, 10000000};
    show("ppoll on an empty pipe times out", ppoll(&pf, 1, &ten_ms, NULL));
    write(p[1], "x", 1);
    show("ppoll with data", ppoll(&pf, 1, &ten_ms, NULL));
    fd_set in;
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    struct timeval tv = {0, 10000};
    show("select with data", select(p[0] + 1, &in, NULL, NULL, &tv));
    char c;
    read(p[0], &c, 1);
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    tv = (struct timeval){0, 10000};
    show("select times out", select(p[0] + 1, &in, NULL, NULL, &tv));
#ifdef __i386__
    /* The time32 calls, which glibc uses only for times that fit them. */
    struct { int sec, nsec; } req = {0, 20000000}, rem, bad_nsec = {0, 1000000000}, stamps[2] = {{1000, 0}, {2000, 0}};
    show("clock_nanosleep time32", (int)syscall(267, CLOCK_MONOTONIC, 0, &req, &rem));
    show("clock_nanosleep time32 bad nsec", (int)syscall(267, CLOCK_MONOTONIC, 0, &bad_nsec, &rem));
    show("clock_nanosleep time32 bad clock", (int)syscall(267, 99, 0, &req, &rem));
    char path[64];
    snprintf(path, sizeof path, "/tmp/sysgate-resources-%d", (int)getpid());
    close(open(path, O_CREAT | O_WRONLY, 0644));
    show("utimensat time32", (int)syscall(320, AT_FDCWD, path, stamps, 0));
    struct stat st;
    stat(path, &st);
    printf("times set: %ld %ld\n", (long)st.st_atime, (long)st.st_mtime);
    unlink(path);
#endif
    printf("%s\n", spin ? "done" : "done.");
    return 0;
}
