/* exit(42) through the sysenter instruction, called directly (not through the
 * vDSO). On CPUs without sysenter in compatibility mode (AMD) it faults. */
#include "start.h"
#include <sysgate/syscall.h>

int main(char **envp)
{
    (void)envp;
    sg_raw_sysenter(__NR_exit, 42, 0, 0, 0, 0, 0);
    return 1;
}
