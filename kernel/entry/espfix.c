/*
 * The return to a 16-bit stack segment (Linux's espfix64).
 *
 * iretq to a stack segment whose descriptor has the B bit clear loads only
 * SP, the low 16 bits of the user's stack pointer: bits 16-31 of ESP keep
 * what the kernel's RSP had at the iretq. A program on a 16-bit stack (an
 * LDT segment, modify_ldt) would see them change under it, and they would
 * tell it where the kernel stack is. So a return to a stack segment in the
 * LDT goes through a small stack whose address has the user's own bits
 * 16-31: the copy of the iret frame is made at espfix_stack, and read back
 * through the alias espfix_stack | (user ESP & 0xffff0000).
 *
 * The aliases: ESPFIX_BASE is 4 GiB in which every page is the same
 * physical page (the four PDPT entries share one page directory, whose 512
 * entries share one page table, whose 512 entries map the one page). Each
 * CPU's small stack is a slot near the top of that page; the rest of the
 * page is room for the exception frame and the short handler should the
 * iretq fault (traps.c turns that into the user's fault). The mapping is
 * writable so that it can: Linux maps it read-only and takes the fault as
 * a double fault instead.
 */
#include "cpu.h"
#include "lib.h"
#include "mm.h"
#include "x86.h"

#define ESPFIX_SPAN_PDPT_ENTRIES (ESPFIX_SPAN >> 30) /* a PDPT entry maps 1 GiB */
#define ENTRIES_PER_TABLE 512
#define ESPFIX_SLOT_SIZE 64        /* a saved rax and the five-word iret frame, rounded up */
#define PML4_INDEX(va) (((va) >> 39) & 511)

static u64 espfix_page_offset = PAGE_SIZE; /* the next CPU's slot, downwards */

static u64 *table_at(phys_addr_t pa) { return phys_to_virt(pa); }

/* Called for each CPU from gdt_init, before any address space copies the
 * kernel's half of the page tables. */
void espfix_init(void)
{
    static phys_addr_t page;
    if (!page) {
        page = page_alloc();
        phys_addr_t pt = page_alloc(), pd = page_alloc();
        if (!page || !pt || !pd)
            panic("espfix: out of memory");
        for (int i = 0; i < ENTRIES_PER_TABLE; i++) {
            table_at(pt)[i] = page | PTE_PRESENT | PTE_WRITE | supported_pte_nx;
            table_at(pd)[i] = pt | PTE_PRESENT | PTE_WRITE;
        }
        u64 pml4e = table_at(kernel_pml4)[PML4_INDEX(ESPFIX_BASE)];
        u64 *pdpt = table_at(pml4e & PTE_ADDR_MASK);
        for (u64 i = 0; i < ESPFIX_SPAN_PDPT_ENTRIES; i++)
            pdpt[i] = pd | PTE_PRESENT | PTE_WRITE;
    }
    espfix_page_offset -= ESPFIX_SLOT_SIZE;
    this_cpu()->espfix_stack = ESPFIX_BASE + espfix_page_offset;
}
