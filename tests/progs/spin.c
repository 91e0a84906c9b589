/*
 * spin.c - never ends on its own: it prints "spinning" and loops forever.
 * The test of `sysgate run --timeout` uses it.
 */
#include <stdio.h>

int main(void)
{
    puts("spinning");
    fflush(stdout);
    for (volatile unsigned long i = 0;; i++)
        ;
}
