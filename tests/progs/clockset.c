/*
 * clockset.c - an absolute CLOCK_REALTIME sleep follows the clock when it is
 * set: a thread sleeps until an hour from now, the clock is set two hours
 * ahead, and the sleep ends (clock_nanosleep(2): "if the value of the clock
 * is changed, ... the sleep is affected"). Needs CAP_SYS_TIME, so it runs on
 * sysgate only: setting the host's clock is not a test's to do.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static struct timespec until;

static void *sleeper(void *arg)
{
    (void)arg;
    int r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    printf("absolute sleep returned %d, the clock past its time: %s\n", r,
           now.tv_sec > until.tv_sec || (now.tv_sec == until.tv_sec && now.tv_nsec >= until.tv_nsec) ? "yes" : "no");
    return NULL;
}

int main(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    until = now;
    until.tv_sec += 3600;
    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
    usleep(100000); /* the sleeper is asleep by now; if not, it sleeps until a time already past */
    now.tv_sec += 7200;
    printf("clock_settime: %d\n", clock_settime(CLOCK_REALTIME, &now));
    pthread_join(t, NULL);
    return 0;
}
