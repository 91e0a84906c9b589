/*
 * vdsotime.c - the vDSO's clocks agree with the kernel's (SPEC section 4):
 * clock_gettime, gettimeofday and time from libc (which use the vDSO when
 * AT_SYSINFO_EHDR announces one) against the same clocks read through the
 * system call, within one timer tick (10 ms). Prints one line per check.
 */
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns_of(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

static int failures;

static void within_tick(const char *what, long long a, long long b)
{
    long long diff = a > b ? a - b : b - a;
    int ok = diff < 10000000;
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    failures += !ok;
}

int main(void)
{
    printf("%s vdso announced\n", getauxval(AT_SYSINFO_EHDR) ? "ok" : "FAIL");
    static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_MONOTONIC_RAW};
    static const char *const names[] = {"realtime", "monotonic", "boottime", "monotonic_raw"};
    for (int i = 0; i < 4; i++) {
        struct timespec v, k;
        clock_gettime(clocks[i], &v);
        syscall(SYS_clock_gettime, clocks[i], &k);
        within_tick(names[i], ns_of(v), ns_of(k));
    }
    struct timeval tv;
    struct timespec k;
    gettimeofday(&tv, NULL);
    syscall(SYS_clock_gettime, CLOCK_REALTIME, &k);
    within_tick("gettimeofday", tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL, ns_of(k));
    time_t t = time(NULL);
    syscall(SYS_clock_gettime, CLOCK_REALTIME, &k);
    /* Whole seconds: time() may read just before the second turns over. */
    int time_ok = k.tv_sec - t == 0 || k.tv_sec - t == 1;
    printf("%s time\n", time_ok ? "ok" : "FAIL");
    failures += !time_ok;
    /* Monotonic never goes back, over many reads. */
    struct timespec prev, now;
    clock_gettime(CLOCK_MONOTONIC, &prev);
    int backwards = 0;
    for (int i = 0; i < 100000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        backwards += ns_of(now) < ns_of(prev);
        prev = now;
    }
    printf("%s monotonic never goes back\n", backwards ? "FAIL" : "ok");
    failures += backwards != 0;
    return failures != 0;
}
