/* The vDSOs and the data page they share with the kernel. */
#ifndef SYSGATE_VDSO_H
#define SYSGATE_VDSO_H

#include "types.h"
#include "vdso_data.h"

struct mm;

extern struct vdso_data *vdso_data;

/* Copies the images into pages of their own, patches the 32-bit gate for this
 * CPU, and starts the clock. */
void vdso_init(void);
bool tsc_init(struct vdso_data *data); /* false: no usable TSC clock */

/* Maps the vDSO (and, for 64-bit programs, the data page) into mm; returns
 * the address of its ELF header and, for 32-bit, of __kernel_vsyscall. */
int vdso_map(struct mm *mm, bool is32, u64 *ehdr, u64 *vsyscall);

/* Where the kernel returns to after sysenter and 32-bit syscall. */
u64 vdso32_landing_pad(void);
/* The 32-bit vDSO's signal-return trampolines. */
u64 vdso32_sigreturn(void);
u64 vdso32_rt_sigreturn(void);

#endif
