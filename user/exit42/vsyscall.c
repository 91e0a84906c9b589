/* exit(42) through the vDSO's __kernel_vsyscall, found by walking the initial
 * stack past the environment to AT_SYSINFO. */
#include "start.h"
#include <sysgate/syscall.h>

int main(char **envp)
{
    void *entry = (void *)sg_auxv_from_envp(envp, SG_AT_SYSINFO);
    if (!entry)
        return 2;
    sg_vsyscall_use(entry);
    sg_raw_vsyscall(__NR_exit, 42, 0, 0, 0, 0, 0);
    return 1;
}
