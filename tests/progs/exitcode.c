/*
 * exitcode.c - exits with the status given as argv[1] (atoi), so a test can
 * check that 0, 1, 42, 128, 255 ... come back as the exit status of
 * `sysgate run`. Without an argument it exits 0. Prints nothing.
 */
#include <stdlib.h>

int main(int argc, char **argv)
{
    return argc > 1 ? atoi(argv[1]) : 0;
}
