/*
 * The kernel's page tables: the kernel image at KERNEL_VMA with per-section
 * permissions (text read-only and executable, everything else no-execute), all
 * of RAM at DIRECT_MAP in 2 MiB pages, and device registers at MMIO_BASE. The
 * top half of the PML4 is created once and shared by every address space.
 */
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "x86.h"

u64 direct_map_offset;
phys_addr_t kernel_pml4;
u64 supported_pte_nx;
extern u64 pmm_metadata_end;
extern char hypercall_mailbox[];
static u64 mmio_next = MMIO_BASE;

static u64 *table(phys_addr_t pa) { return phys_to_virt(pa); }

static int index_of(u64 va, int level) { return (va >> (12 + 9 * level)) & 511; }

u64 *pte_lookup(phys_addr_t pml4, u64 va, bool create)
{
    phys_addr_t pa = pml4;
    for (int level = 3; level > 0; level--) {
        u64 *entry = &table(pa)[index_of(va, level)];
        if (!(*entry & PTE_PRESENT)) {
            if (!create)
                return NULL;
            phys_addr_t next = page_alloc();
            if (!next)
                return NULL;
            /* Intermediate levels allow everything; the leaf decides. */
            *entry = next | PTE_PRESENT | PTE_WRITE | (va < USER_TOP ? PTE_USER : 0);
        }
        if (*entry & PTE_HUGE)
            return NULL;
        pa = *entry & PTE_ADDR_MASK;
    }
    return &table(pa)[index_of(va, 0)];
}

/* The next present 4 KiB page-table entry for an address in [*va, end), with
 * *va set to that address; NULL when there is none. Absent tables are skipped
 * whole, so a sparse range costs what is mapped in it, not its size. */
u64 *pte_next_present(phys_addr_t pml4, u64 *va, u64 end)
{
    u64 a = *va;
    while (a < end) {
        phys_addr_t pa = pml4;
        u64 *entry = NULL;
        int level;
        for (level = 3; level >= 0; level--) {
            entry = &table(pa)[index_of(a, level)];
            if (!(*entry & PTE_PRESENT) || (level > 0 && (*entry & PTE_HUGE)))
                break;
            pa = *entry & PTE_ADDR_MASK;
        }
        if (level < 0) {
            *va = a;
            return entry;
        }
        /* Skip what this absent entry covers. */
        u64 span = 1ul << (12 + 9 * level);
        u64 next = ALIGN_DOWN(a, span) + span;
        if (next <= a)
            break; /* wrapped: the end of the address space */
        a = next;
    }
    return NULL;
}

int map_page(phys_addr_t pml4, u64 va, phys_addr_t pa, u64 flags)
{
    u64 *pte = pte_lookup(pml4, va, true);
    if (!pte)
        return -12; /* ENOMEM */
    *pte = pa | flags | PTE_PRESENT;
    return 0;
}

static void map_range(u64 va, phys_addr_t pa, u64 size, u64 flags)
{
    for (u64 off = 0; off < size; off += PAGE_SIZE)
        if (map_page(kernel_pml4, va + off, pa + off, flags))
            panic("out of memory building the kernel page tables");
}

static void map_direct(u64 ram_top)
{
    for (u64 pa = 0; pa < ram_top; pa += 1ul << 21) {
        u64 va = DIRECT_MAP + pa;
        phys_addr_t cur = kernel_pml4;
        for (int level = 3; level > 1; level--) {
            u64 *entry = &table(cur)[index_of(va, level)];
            if (!(*entry & PTE_PRESENT))
                *entry = page_alloc() | PTE_PRESENT | PTE_WRITE;
            cur = *entry & PTE_ADDR_MASK;
        }
        table(cur)[index_of(va, 1)] = pa | PTE_PRESENT | PTE_WRITE | PTE_HUGE | PTE_GLOBAL | supported_pte_nx;
    }
}

void paging_init(void)
{
    u32 a, b, c, d;
    cpuid(0x80000001, 0, &a, &b, &c, &d);
    if (d & (1u << 20)) {
        supported_pte_nx = PTE_NX;
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    }
    kernel_pml4 = page_alloc();
    /* Every kernel-half PML4 slot gets its PDPT now, so that address spaces
     * created later share them by copying the top half once. */
    for (int i = 256; i < 512; i++)
        table(kernel_pml4)[i] = page_alloc() | PTE_PRESENT | PTE_WRITE;

    u64 global = PTE_GLOBAL;
    u64 text = (u64)__text_start, rodata = (u64)__rodata_start, data = (u64)__data_start;
    map_range(text, text - KERNEL_VMA, (u64)__text_end - text, global);
    map_range(rodata, rodata - KERNEL_VMA, (u64)__rodata_end - rodata, global | supported_pte_nx);
    map_range(data, data - KERNEL_VMA, pmm_metadata_end - data, global | PTE_WRITE | supported_pte_nx);
    extern u64 ram_top;
    map_direct(ALIGN_UP(ram_top, 1ul << 21));

    write_cr4(read_cr4() | CR4_PGE);
    write_cr3(kernel_pml4);
    direct_map_offset = DIRECT_MAP;
}

void flush_tlb(void) { write_cr3(read_cr3()); }

void *map_mmio(phys_addr_t pa, size_t size)
{
    u64 offset = pa & (PAGE_SIZE - 1);
    u64 va = mmio_next;
    size = ALIGN_UP(size + offset, PAGE_SIZE);
    map_range(va, pa - offset, size, PTE_WRITE | PTE_PCD | PTE_PWT | supported_pte_nx | PTE_GLOBAL);
    mmio_next += size + PAGE_SIZE;
    return (void *)(va + offset);
}

phys_addr_t pml4_create(void)
{
    phys_addr_t pml4 = page_alloc();
    if (pml4)
        memcpy(&table(pml4)[256], &table(kernel_pml4)[256], 256 * sizeof(u64));
    return pml4;
}

static void free_level(phys_addr_t pa, int level)
{
    u64 *t = table(pa);
    int end = level == 3 ? 256 : 512;
    for (int i = 0; i < end; i++) {
        if (!(t[i] & PTE_PRESENT))
            continue;
        if (level == 0)
            page_free(t[i] & PTE_ADDR_MASK);
        else
            free_level(t[i] & PTE_ADDR_MASK, level - 1);
    }
    page_free(pa);
}

void pml4_destroy(phys_addr_t pml4) { free_level(pml4, 3); }
