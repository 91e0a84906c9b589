/* The GDT (Linux's selector values, see layout.h) and the TSS whose rsp0 is
 * the kernel stack the CPU switches to when an interrupt arrives in user mode. */
#include "cpu.h"
#include "lib.h"
#include "x86.h"

struct tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
} __attribute__((packed));

static struct tss tss;
/* A double fault (typically a kernel stack overflow) runs on a stack of its own,
 * so that it can still print what happened. */
static u8 double_fault_stack[8192] __attribute__((aligned(16)));
/* A debug trap can hit the first instructions of the sysenter entry, which
 * run on a one-word stack: it gets a stack of its own too. */
static u8 debug_stack[4096] __attribute__((aligned(16)));
static u64 gdt[GDT_ENTRIES];
struct cpu boot_cpu;

#define SEG_CODE64_KERNEL 0x00af9a000000ffff
#define SEG_DATA_KERNEL 0x00cf92000000ffff
#define SEG_CODE32_USER 0x00cffa000000ffff
#define SEG_DATA_USER 0x00cff2000000ffff
#define SEG_CODE64_USER 0x00affa000000ffff

/* %ds and %es hold USER_DS even in the kernel, as on Linux: 64-bit code
 * ignores them, and 32-bit programs need them valid after iret or sysexit. */
void gdt_init(void)
{
    gdt[KERNEL_CS / 8] = SEG_CODE64_KERNEL;
    gdt[KERNEL_DS / 8] = SEG_DATA_KERNEL;
    gdt[USER32_CS / 8] = SEG_CODE32_USER;
    gdt[USER_DS / 8] = SEG_DATA_USER;
    gdt[USER_CS / 8] = SEG_CODE64_USER;
    u64 base = (u64)&tss, limit = sizeof(tss) - 1;
    gdt[TSS_SELECTOR / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ul << 40) |
                            ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    gdt[TSS_SELECTOR / 8 + 1] = base >> 32;
    tss.iomap_base = sizeof(tss); /* no I/O permission bitmap: user port I/O faults */
    tss.ist[0] = (u64)double_fault_stack + sizeof(double_fault_stack);
    tss.ist[1] = (u64)debug_stack + sizeof(debug_stack);

    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) pointer = {sizeof(gdt) - 1, (u64)gdt};
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
    boot_cpu.self = &boot_cpu;
    wrmsr(MSR_GS_BASE, (u64)&boot_cpu);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void gdt_load_tls(const u64 tls[3])
{
    for (int i = 0; i < 3; i++)
        gdt[GDT_TLS_FIRST + i] = tls[i];
}

void tss_set_kernel_stack(u64 rsp)
{
    tss.rsp[0] = rsp;
    boot_cpu.kernel_rsp = rsp;
}
