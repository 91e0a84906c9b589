/*
 * The per-CPU areas (struct cpu), which the kernel reaches through %gs. One
 * CPU so far: the boot CPU's area is static, and its %gs base is set before
 * anything else in kmain runs, so that this_cpu() and current_task() are
 * valid from the first message on.
 */
#include "cpu.h"
#include "x86.h"

static struct cpu boot_cpu;

_Static_assert(ENTRY_MSR_GS_BASE == MSR_GS_BASE, "entry code constants");
_Static_assert(ENTRY_RFLAGS_TF == RFLAGS_TF && ENTRY_RFLAGS_IF == RFLAGS_IF, "entry code constants");

void percpu_init_boot(void)
{
    boot_cpu.self = &boot_cpu;
    wrmsr(MSR_GS_BASE, (u64)&boot_cpu);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}
