/* exit(42) through int $0x80 from a 32-bit program. */
#include "start.h"
#include <sysgate/syscall.h>

int main(char **envp)
{
    (void)envp;
    sg_raw_int80(__NR_exit, 42, 0, 0, 0, 0, 0);
    return 1;
}
