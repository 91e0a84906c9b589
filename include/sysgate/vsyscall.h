/*
 * Finding the 32-bit vDSO's __kernel_vsyscall, whose address the kernel passes
 * in the auxiliary vector as AT_SYSINFO: through libc's getauxval, or by
 * walking the initial stack past the environment (for programs without libc,
 * or to see how the auxiliary vector is laid out).
 */
#ifndef SYSGATE_VSYSCALL_H
#define SYSGATE_VSYSCALL_H

#define SG_AT_NULL 0
#define SG_AT_SYSINFO 32
#define SG_AT_SYSINFO_EHDR 33

/* envp as main's third argument (or from _start): the auxiliary vector
 * starts after its terminating NULL, as pairs of words. */
static inline unsigned long sg_auxv_from_envp(char **envp, unsigned long type)
{
    while (*envp)
        envp++;
    for (unsigned long *aux = (unsigned long *)(envp + 1); aux[0] != SG_AT_NULL; aux += 2)
        if (aux[0] == type)
            return aux[1];
    return 0;
}

#ifndef SG_NO_LIBC
#include <sys/auxv.h>
static inline void *sg_vsyscall_from_getauxval(void) { return (void *)getauxval(SG_AT_SYSINFO); }
#endif

/* The entry the vsyscall gate uses: set it with sg_vsyscall_use(); without
 * libc it must be set, with libc getauxval finds it. */
static void *sg_vsyscall_address;

static inline void sg_vsyscall_use(void *entry) { sg_vsyscall_address = entry; }

static inline void *sg_vsyscall_entry(void)
{
#ifndef SG_NO_LIBC
    if (!sg_vsyscall_address)
        sg_vsyscall_address = sg_vsyscall_from_getauxval();
#endif
    return sg_vsyscall_address;
}

#endif
