/*
 * The physical page allocator: a bitmap over every page frame (1 = in use) and
 * a reference count per frame for pages shared between address spaces. A
 * bitmap, not a free list, because building a free list would touch every page
 * of RAM at boot, and the host would have to back all of it at once.
 */
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "x86.h"

static u64 *used_bitmap;
static u16 *refcounts;
static size_t frame_count;
static size_t total_pages, free_pages;
static size_t search_hint;

static bool frame_used(size_t pfn) { return used_bitmap[pfn / 64] & (1ul << (pfn % 64)); }
static void mark_used(size_t pfn) { used_bitmap[pfn / 64] |= 1ul << (pfn % 64); }
static void mark_free(size_t pfn) { used_bitmap[pfn / 64] &= ~(1ul << (pfn % 64)); }

/* Frames [first, end) become free: whole bitmap words at a time where possible. */
static void mark_range_free(size_t first, size_t end)
{
    size_t pfn = first;
    for (; pfn < end && pfn % 64; pfn++)
        mark_free(pfn);
    for (; pfn + 64 <= end; pfn += 64)
        used_bitmap[pfn / 64] = 0;
    for (; pfn < end; pfn++)
        mark_free(pfn);
}

/* The metadata sits right after the kernel image; paging_init maps it there. */
u64 pmm_metadata_end;

void pmm_init(const struct memory_range *ram, int nram, const struct memory_range *reserved, int nreserved)
{
    u64 top = 0;
    for (int i = 0; i < nram; i++)
        top = MAX(top, ram[i].end);
    frame_count = top / PAGE_SIZE;
    size_t bitmap_bytes = ALIGN_UP(frame_count, 64) / 8;
    u64 meta = (u64)__kernel_end;
    used_bitmap = (u64 *)meta;
    refcounts = (u16 *)(meta + bitmap_bytes);
    pmm_metadata_end = ALIGN_UP(meta + bitmap_bytes + frame_count * sizeof(u16), PAGE_SIZE);
    memset(used_bitmap, 0xff, bitmap_bytes);
    memset(refcounts, 0, frame_count * sizeof(u16));

    for (int i = 0; i < nram; i++)
        mark_range_free(ALIGN_UP(ram[i].start, PAGE_SIZE) / PAGE_SIZE, ALIGN_DOWN(ram[i].end, PAGE_SIZE) / PAGE_SIZE);
    struct memory_range kernel = {(u64)__kernel_phys_start, pmm_metadata_end - KERNEL_VMA};
    for (int i = -1; i < nreserved; i++) {
        const struct memory_range *r = i < 0 ? &kernel : &reserved[i];
        for (u64 pa = ALIGN_DOWN(r->start, PAGE_SIZE); pa < r->end && pa / PAGE_SIZE < frame_count; pa += PAGE_SIZE)
            mark_used(pa / PAGE_SIZE);
    }
    for (size_t word = 0; word < bitmap_bytes / 8; word++)
        for (u64 free_bits = ~used_bitmap[word]; free_bits; free_bits &= free_bits - 1)
            total_pages++;
    free_pages = total_pages;
}

size_t pmm_total_pages(void) { return total_pages; }
size_t pmm_free_pages(void) { return free_pages; }

phys_addr_t pages_alloc(size_t count)
{
    u64 flags = irq_save();
    size_t run = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t start = pass == 0 ? search_hint : 0;
        size_t end = pass == 0 ? frame_count : search_hint + count;
        run = 0;
        for (size_t pfn = start; pfn < end && pfn < frame_count; pfn++) {
            if (frame_used(pfn)) {
                if (run == 0 && used_bitmap[pfn / 64] == ~0ul && pfn % 64 == 0)
                    pfn += 63;
                run = 0;
                continue;
            }
            if (++run == count) {
                size_t first = pfn + 1 - count;
                for (size_t p = first; p <= pfn; p++) {
                    mark_used(p);
                    refcounts[p] = 1;
                }
                free_pages -= count;
                search_hint = pfn + 1;
                irq_restore(flags);
                return (phys_addr_t)first * PAGE_SIZE;
            }
        }
    }
    irq_restore(flags);
    return 0;
}

phys_addr_t page_alloc(void)
{
    phys_addr_t pa = pages_alloc(1);
    if (pa)
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
    return pa;
}

void page_get(phys_addr_t pa)
{
    u64 flags = irq_save();
    refcounts[pa / PAGE_SIZE]++;
    irq_restore(flags);
}

unsigned page_refcount(phys_addr_t pa) { return refcounts[pa / PAGE_SIZE]; }

void page_free(phys_addr_t pa)
{
    size_t pfn = pa / PAGE_SIZE;
    BUG_ON(pfn >= frame_count || !frame_used(pfn) || refcounts[pfn] == 0);
    u64 flags = irq_save();
    if (--refcounts[pfn] == 0) {
        mark_free(pfn);
        free_pages++;
        if (pfn < search_hint)
            search_hint = pfn;
    }
    irq_restore(flags);
}

/* Pages reserved at boot that hold data of the running system (the
 * initramfs's files) count as memory in use, as Linux counts its page cache. */
void pmm_account_in_use(size_t pages) { total_pages += pages; }

void pages_free(phys_addr_t pa, size_t count)
{
    for (size_t i = 0; i < count; i++)
        page_free(pa + i * PAGE_SIZE);
}
