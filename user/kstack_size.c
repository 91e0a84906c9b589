/* kstack_size: prints the size in bytes of this thread's kernel stack. */
#include <stdio.h>
#include <string.h>
#include <sysgate/syscall.h>

_syscall0(long, kstack_size)

int main(void)
{
    long size = kstack_size();
    if (size < 0) {
        fprintf(stderr, "kstack_size: %s\n", strerror(errno));
        return 1;
    }
    printf("%ld\n", size);
    return 0;
}
