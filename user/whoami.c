/* whoami: prints the name iam stored, and a newline (SPEC section 6). */
#include <stdio.h>
#include <string.h>
#include <sysgate/syscall.h>

_syscall2(int, whoami, char *, name, unsigned int, size)

int main(void)
{
    char name[64];
    if (whoami(name, sizeof(name)) < 0) {
        fprintf(stderr, "whoami: %s\n", strerror(errno));
        return 1;
    }
    printf("%s\n", name);
    return 0;
}
