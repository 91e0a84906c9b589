/*
 * idlesleep.c - sleeps for the number of seconds in argv[1] (default 10) and
 * ends: the guest is idle meanwhile. bench/run measures the host CPU time
 * its virtual machine uses, for two lengths, and reports the difference per
 * second of idleness (SPEC section 11).
 */
#include <stdlib.h>
#include <time.h>
#include "poweroff.h"

int main(int argc, char **argv)
{
    struct timespec t = {argc > 1 ? atoi(argv[1]) : 10, 0};
    while (nanosleep(&t, &t))
        ;
    bench_finish(0);
}
