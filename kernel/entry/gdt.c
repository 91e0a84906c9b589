/* The GDT (Linux's selector values, see layout.h) and the TSS whose rsp0 is
 * the kernel stack the CPU switches to when an interrupt arrives in user mode.
 * Both are the running CPU's (struct cpu). */
#include "cpu.h"
#include "lib.h"
#include "x86.h"

#define SEG_CODE64_KERNEL 0x00af9a000000ffff
#define SEG_DATA_KERNEL 0x00cf92000000ffff
#define SEG_CODE32_USER 0x00cffa000000ffff
#define SEG_DATA_USER 0x00cff2000000ffff
#define SEG_CODE64_USER 0x00affa000000ffff

/* %ds and %es hold USER_DS even in the kernel, as on Linux: 64-bit code
 * ignores them, and 32-bit programs need them valid after iret or sysexit. */
void gdt_init(void)
{
    struct cpu *cpu = this_cpu();
    u64 *gdt = cpu->gdt;
    struct tss *tss = &cpu->tss;
    gdt[KERNEL_CS / 8] = SEG_CODE64_KERNEL;
    gdt[KERNEL_DS / 8] = SEG_DATA_KERNEL;
    gdt[USER32_CS / 8] = SEG_CODE32_USER;
    gdt[USER_DS / 8] = SEG_DATA_USER;
    gdt[USER_CS / 8] = SEG_CODE64_USER;
    u64 base = (u64)tss, limit = sizeof(*tss) - 1;
    gdt[TSS_SELECTOR / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ul << 40) |
                            ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    gdt[TSS_SELECTOR / 8 + 1] = base >> 32;
    tss->iomap_base = sizeof(*tss); /* no I/O permission bitmap: user port I/O faults */
    tss->ist[0] = (u64)cpu->double_fault_stack + sizeof(cpu->double_fault_stack);
    tss->ist[1] = (u64)cpu->debug_stack + sizeof(cpu->debug_stack);

    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) pointer = {sizeof(cpu->gdt) - 1, (u64)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %2, %%eax\n\t"
                     "movl %%eax, %%ss\n\t"
                     "movl %4, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movl %%eax, %%fs\n\t"
                     "movl %%eax, %%gs\n\t"
                     "ltr %w3"
                     :
                     : "m"(pointer), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SELECTOR), "i"(USER_DS)
                     : "rax", "memory");
    /* A null selector in %gs may clear its base (AMD's newer CPUs do). */
    wrmsr(MSR_GS_BASE, (u64)cpu);
    /* No LDT until an address space with one runs (gdt_load_ldt). */
    __asm__ volatile("lldt %w0" ::"r"(0));
    espfix_init();
}

void gdt_load_tls(const u64 tls[3])
{
    u64 *gdt = this_cpu()->gdt;
    for (int i = 0; i < 3; i++)
        gdt[GDT_TLS_FIRST + i] = tls[i];
}

#define SYSTEM_DESC_LDT 0x82 /* present, DPL 0, type 2: an LDT */

/* Points LDTR at a table of `entries` descriptors; no entries is the null
 * LDT, which makes every LDT selector fault. The descriptor is a 16-byte
 * system descriptor in the GDT, as the TSS's; it is rewritten (and LDTR
 * reloaded, which is what reads it) only when the table changes, so a
 * switch between tasks of one address space, or of none with an LDT, costs
 * nothing. */
void gdt_load_ldt(const u64 *table, u32 entries)
{
    u64 *gdt = this_cpu()->gdt;
    u64 base = (u64)table, limit = entries * 8ul - 1;
    u64 low = 0, high = 0;
    if (entries) {
        low = (limit & 0xffff) | ((base & 0xffffff) << 16) | ((u64)SYSTEM_DESC_LDT << 40) |
              ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
        high = base >> 32;
    }
    if (gdt[LDT_SELECTOR / 8] == low && gdt[LDT_SELECTOR / 8 + 1] == high)
        return;
    gdt[LDT_SELECTOR / 8] = low;
    gdt[LDT_SELECTOR / 8 + 1] = high;
    u16 selector = entries ? LDT_SELECTOR : 0;
    __asm__ volatile("lldt %0" ::"r"(selector) : "memory");
}

/* A table about to be freed stops being this CPU's LDT. */
void gdt_unload_ldt(const u64 *table)
{
    const u64 *gdt = this_cpu()->gdt;
    u64 base = ((gdt[LDT_SELECTOR / 8] >> 16) & 0xffffff) | ((gdt[LDT_SELECTOR / 8] >> 56) << 24) |
               (gdt[LDT_SELECTOR / 8 + 1] << 32);
    if (gdt[LDT_SELECTOR / 8] && base == (u64)table)
        gdt_load_ldt(NULL, 0);
}

void tss_set_kernel_stack(u64 rsp)
{
    struct cpu *cpu = this_cpu();
    cpu->tss.rsp[0] = rsp;
    cpu->kernel_rsp = rsp;
}
