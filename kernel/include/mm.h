/* Physical pages, the kernel's page tables and its heap. */
#ifndef SYSGATE_MM_H
#define SYSGATE_MM_H

#include "layout.h"
#include "types.h"

#define PTE_PRESENT (1ul << 0)
#define PTE_WRITE (1ul << 1)
#define PTE_USER (1ul << 2)
#define PTE_PWT (1ul << 3)
#define PTE_PCD (1ul << 4)
#define PTE_ACCESSED (1ul << 5)
#define PTE_DIRTY (1ul << 6)
#define PTE_HUGE (1ul << 7)
#define PTE_GLOBAL (1ul << 8)
#define PTE_COW (1ul << 9) /* software bit: copy on write */
#define PTE_NX (1ul << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ul

/* 0 while the boot page tables (identity map of the first 1 GiB) are in use,
 * DIRECT_MAP once paging_init has built the kernel's own. */
extern u64 direct_map_offset;
static inline void *phys_to_virt(phys_addr_t pa) { return (void *)(pa + direct_map_offset); }
static inline phys_addr_t virt_to_phys(const void *va)
{
    u64 v = (u64)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - direct_map_offset;
}

struct memory_range {
    u64 start, end;
};

/* Physical page allocator. */
void pmm_init(const struct memory_range *ram, int nram, const struct memory_range *reserved, int nreserved);
phys_addr_t page_alloc(void);             /* one zeroed page, 0 when none is left */
phys_addr_t pages_alloc(size_t count);    /* contiguous, not zeroed */
void page_free(phys_addr_t pa);
void pages_free(phys_addr_t pa, size_t count);
void pmm_account_in_use(size_t pages);
void page_get(phys_addr_t pa);            /* one more reference (shared or copy-on-write) */
unsigned page_refcount(phys_addr_t pa);
size_t pmm_total_pages(void);
size_t pmm_free_pages(void);

/* Page tables. */
extern phys_addr_t kernel_pml4;
void paging_init(void);
u64 *pte_lookup(phys_addr_t pml4, u64 va, bool create);
u64 *pte_next_present(phys_addr_t pml4, u64 *va, u64 end);
int map_page(phys_addr_t pml4, u64 va, phys_addr_t pa, u64 flags);
void *map_mmio(phys_addr_t pa, size_t size);
phys_addr_t pml4_create(void);                          /* a user address space with the kernel half */
void pml4_destroy(phys_addr_t pml4);                    /* frees the user half and its pages */
void flush_tlb(void);
extern u64 supported_pte_nx;                            /* PTE_NX when the CPU has NX, else 0 */

/* Kernel heap. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *ptr);

#endif
