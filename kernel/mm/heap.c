/*
 * kmalloc: power-of-two size classes from 32 bytes to 2 KiB carved out of whole
 * pages, and runs of pages for anything larger. Every block starts with a
 * 16-byte header naming its class, so kfree needs no size.
 */
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "x86.h"

#define HEADER_SIZE 16
#define MIN_CLASS 5  /* 32 bytes */
#define MAX_CLASS 11 /* 2048 bytes */
#define HEAP_MAGIC 0x6b6d616c

struct header {
    u32 magic;
    u32 class_or_pages; /* size class (MIN_CLASS..MAX_CLASS) or, above that, 16 + pages */
    u64 reserved;
};

struct free_block {
    struct free_block *next;
};

static struct free_block *free_lists[MAX_CLASS + 1];

static int size_class(size_t total)
{
    int c = MIN_CLASS;
    while (((size_t)1 << c) < total)
        c++;
    return c;
}

void *kmalloc(size_t size)
{
    size_t total = size + HEADER_SIZE;
    struct header *h;
    if (total > (1u << MAX_CLASS)) {
        size_t pages = ALIGN_UP(total, PAGE_SIZE) / PAGE_SIZE;
        phys_addr_t pa = pages_alloc(pages);
        if (!pa)
            return NULL;
        h = phys_to_virt(pa);
        h->class_or_pages = 16 + (u32)pages;
    } else {
        int c = size_class(total);
        u64 flags = irq_save();
        if (!free_lists[c]) {
            phys_addr_t pa = page_alloc();
            if (!pa) {
                irq_restore(flags);
                return NULL;
            }
            char *page = phys_to_virt(pa);
            for (size_t off = 0; off < PAGE_SIZE; off += (size_t)1 << c) {
                struct free_block *b = (struct free_block *)(page + off);
                b->next = free_lists[c];
                free_lists[c] = b;
            }
        }
        h = (struct header *)free_lists[c];
        free_lists[c] = free_lists[c]->next;
        irq_restore(flags);
        h->class_or_pages = (u32)c;
    }
    h->magic = HEAP_MAGIC;
    return (char *)h + HEADER_SIZE;
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void kfree(void *ptr)
{
    if (!ptr)
        return;
    struct header *h = (struct header *)((char *)ptr - HEADER_SIZE);
    BUG_ON(h->magic != HEAP_MAGIC);
    h->magic = 0;
    if (h->class_or_pages > 16) {
        pages_free(virt_to_phys(h), h->class_or_pages - 16);
        return;
    }
    u32 c = h->class_or_pages;
    u64 flags = irq_save();
    struct free_block *b = (struct free_block *)h;
    b->next = free_lists[c];
    free_lists[c] = b;
    irq_restore(flags);
}
