/* iam NAME: stores NAME as the system's one name (SPEC section 6), through
 * the classic _syscall1 macro. */
#include <stdio.h>
#include <string.h>
#include <sysgate/syscall.h>

_syscall1(int, iam, const char *, name)

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: iam NAME\n");
        return 2;
    }
    if (iam(argv[1]) < 0) {
        fprintf(stderr, "iam: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
