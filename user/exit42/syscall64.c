/* exit(42) through the 64-bit `syscall` instruction. */
#include "start.h"
#include <sysgate/syscall.h>

int main(char **envp)
{
    (void)envp;
    sg_raw_syscall64(__NR_exit, 42, 0, 0, 0, 0, 0);
    return 1;
}
