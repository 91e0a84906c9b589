/* exit(42) through int $0x80 from a 64-bit program: the i386 table applies, so
 * the number is i386's exit (1), not x86-64's (60). */
#include "start.h"
#include <sysgate/syscall.h>

#define NR_I386_EXIT 1

int main(char **envp)
{
    (void)envp;
    sg_raw_int80(NR_I386_EXIT, 42, 0, 0, 0, 0, 0);
    return 1;
}
