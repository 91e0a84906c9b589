/*
 * hello.c - the simplest differential test program.
 *
 * Prints "hello, world", then each argument (argv[1..]) on its own line, to
 * stdout; prints one line "hello on stderr" to stderr; exits 0.
 * Exercises: start-up of the C library, argv, write(2) to fds 1 and 2, exit.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello, world\n");
    for (int i = 1; i < argc; i++)
        printf("%s\n", argv[i]);
    fflush(stdout);
    fprintf(stderr, "hello on stderr\n");
    return 0;
}
