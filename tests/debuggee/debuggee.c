/* A program for debuggers (tests/cases/debugger.sh; not one of tests/progs, which are built for
 * every C library): a function to step
 * over, a global to watch, then a null-pointer read (SIGSEGV) when given
 * "crash". Built with -g -O0 so that gdb sees lines and variables. */
#include <stdio.h>
#include <string.h>

int counter;
int *volatile nowhere; /* NULL, where the compiler cannot see it */

static int bump(int *p)
{
    *p += 1;
    return *p;
}

int main(int argc, char **argv)
{
    int x = 41;
    x = bump(&x);
    counter = x;
    counter += 1;
    printf("x=%d counter=%d\n", x, counter);
    if (argc > 1 && strcmp(argv[1], "crash") == 0)
        return *nowhere;
    return 0;
}
