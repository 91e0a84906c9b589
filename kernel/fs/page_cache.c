/*
 * The page cache: a file's contents in whole pages, each present once and
 * shared by everything that uses the file: read() and write() copy through
 * it, every mapping maps its very pages (copy-on-write for a private one,
 * written directly by a shared one, mm/vma.c), exec loads from it and
 * sendfile maps it. So mappings see writes and writes see mappings, as on
 * Linux, and exec reuses both the memory and the translations QEMU made of
 * it. A page absent from the cache is asked of the file system
 * (read_page); the bytes of a cached page past the end of file are zero.
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "uaccess.h"

static u64 pages_for(u64 bytes) { return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE; }

/* The slot of `index`, the table grown (doubling) to hold it. A flat table:
 * simple, and small for the files sysgate holds; a sparse file read far
 * from its start would want a radix tree, as Linux's xarray. */
static phys_addr_t *cache_slot(struct inode *inode, u64 index)
{
    struct address_space *m = &inode->mapping;
    if (index >= m->slots) {
        u64 slots = MAX(index + 1, m->slots * 2);
        phys_addr_t *pages = kzalloc(slots * sizeof(phys_addr_t));
        if (!pages)
            return NULL;
        if (m->pages)
            memcpy(pages, m->pages, m->slots * sizeof(phys_addr_t));
        kfree(m->pages);
        m->pages = pages;
        m->slots = slots;
    }
    return &m->pages[index];
}

/* The cached page at `index`, read in if absent, whatever the file's size. */
static phys_addr_t cache_get(struct inode *inode, u64 index)
{
    if (!inode->mapping.ops)
        return 0;
    phys_addr_t *slot = cache_slot(inode, index);
    if (!slot)
        return 0;
    if (!*slot) {
        phys_addr_t page = page_alloc(); /* zeroed */
        if (!page)
            return 0;
        if (inode->mapping.ops->read_page(inode, index, phys_to_virt(page))) {
            page_free(page);
            return 0;
        }
        /* A read_page that waits for a device (9p) lets others grow the table or fill
         * this slot meanwhile: the slot is looked up again. */
        slot = cache_slot(inode, index);
        if (!slot || *slot) {
            page_free(page);
            return slot ? *slot : 0;
        }
        *slot = page;
    }
    return *slot;
}

void page_cache_drop(struct inode *inode, u64 first, u64 end)
{
    struct address_space *m = &inode->mapping;
    for (u64 i = first; i < MIN(end, m->slots); i++) {
        if (m->pages[i])
            page_free(m->pages[i]); /* mappings keep their own references */
        m->pages[i] = 0;
    }
}

bool page_cache_add(struct inode *inode, u64 index, phys_addr_t page)
{
    phys_addr_t *slot = cache_slot(inode, index);
    if (!slot || *slot)
        return false;
    *slot = page;
    return true;
}

bool page_cache_has(struct inode *inode, u64 index)
{
    return index < inode->mapping.slots && inode->mapping.pages[index];
}

phys_addr_t file_page(struct inode *inode, u64 index)
{
    if (index >= pages_for(inode->size))
        return 0;
    return cache_get(inode, index);
}

void page_cache_mark_dirty(struct inode *inode, u64 index)
{
    if (inode->mapping.ops && inode->mapping.ops->set_page_dirty)
        inode->mapping.ops->set_page_dirty(inode, index);
}

ssize_t page_cache_read(struct inode *inode, char __user *buf, size_t len, u64 *pos)
{
    if (*pos >= inode->size)
        return 0;
    size_t n = MIN(len, inode->size - *pos), done = 0;
    while (done < n) {
        u64 at = *pos + done, offset = at % PAGE_SIZE;
        size_t chunk = MIN(n - done, PAGE_SIZE - offset);
        phys_addr_t page = cache_get(inode, at / PAGE_SIZE);
        if (!page)
            return done ? (ssize_t)done : -ENOMEM;
        if (copy_to_user(buf + done, (u8 *)phys_to_virt(page) + offset, chunk))
            return done ? (ssize_t)done : -EFAULT;
        done += chunk;
    }
    *pos += done;
    return (ssize_t)done;
}

/* Writes at *pos, growing the file by what was written. */
ssize_t page_cache_write(struct inode *inode, const char __user *buf, size_t len, u64 *pos)
{
    size_t done = 0;
    ssize_t err = 0;
    while (done < len) {
        u64 at = *pos + done, offset = at % PAGE_SIZE;
        size_t chunk = MIN(len - done, PAGE_SIZE - offset);
        phys_addr_t page = cache_get(inode, at / PAGE_SIZE);
        if (!page) {
            err = -ENOSPC;
            break;
        }
        if (copy_from_user((u8 *)phys_to_virt(page) + offset, buf + done, chunk)) {
            err = -EFAULT;
            break;
        }
        page_cache_mark_dirty(inode, at / PAGE_SIZE);
        done += chunk;
    }
    if (*pos + done > inode->size)
        inode->size = *pos + done;
    *pos += done;
    return done ? (ssize_t)done : err;
}

ssize_t kernel_read(struct inode *inode, u64 pos, void *buf, size_t len)
{
    if (pos >= inode->size)
        return 0;
    size_t n = MIN(len, inode->size - pos), done = 0;
    while (done < n) {
        u64 at = pos + done, offset = at % PAGE_SIZE;
        size_t chunk = MIN(n - done, PAGE_SIZE - offset);
        phys_addr_t page = cache_get(inode, at / PAGE_SIZE);
        if (!page)
            return -ENOMEM;
        memcpy((u8 *)buf + done, (u8 *)phys_to_virt(page) + offset, chunk);
        done += chunk;
    }
    return (ssize_t)done;
}

/* The file shrinks to `size`: pages past it leave the cache (mappings keep
 * theirs, as on Linux) and the last one's tail is zero, which both a later
 * growth and a mapping must see. */
void page_cache_truncate(struct inode *inode, u64 size)
{
    struct address_space *m = &inode->mapping;
    for (u64 i = pages_for(size); i < m->slots; i++) {
        if (m->pages[i])
            page_free(m->pages[i]);
        m->pages[i] = 0;
    }
    u64 last = size / PAGE_SIZE;
    if (size % PAGE_SIZE && last < m->slots && m->pages[last])
        memset((u8 *)phys_to_virt(m->pages[last]) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
}

void page_cache_release(struct inode *inode)
{
    page_cache_truncate(inode, 0);
    kfree(inode->mapping.pages);
    inode->mapping.pages = NULL;
    inode->mapping.slots = 0;
}

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

/* SEEK_DATA and SEEK_HOLE: the next page that holds data (is in the page
 * cache) or not, from `offset` on; a file without a page cache is all data.
 * Past the end there is neither (ENXIO); the end is a hole. */
static s64 seek_data_or_hole(struct inode *inode, s64 offset, bool data)
{
    s64 size = (s64)inode->size;
    if (offset < 0 || offset >= size)
        return -ENXIO;
    if (!inode->mapping.ops)
        return data ? offset : size;
    for (u64 index = (u64)offset / PAGE_SIZE; index < pages_for((u64)size); index++) {
        if (page_cache_has(inode, index) == data) {
            s64 start = (s64)(index * PAGE_SIZE);
            return MAX(start, offset);
        }
    }
    return data ? -ENXIO : size;
}

/* Positions anywhere from 0 on, past the end too (a later write leaves a hole). */
s64 generic_file_llseek(struct file *f, s64 offset, unsigned whence)
{
    s64 base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (s64)f->pos; break;
    case SEEK_END: base = (s64)f->inode->size; break;
    case SEEK_DATA:
    case SEEK_HOLE: {
        s64 pos = seek_data_or_hole(f->inode, offset, whence == SEEK_DATA);
        if (pos >= 0)
            f->pos = (u64)pos;
        return pos;
    }
    default: return -EINVAL;
    }
    s64 pos = base + offset;
    if (pos < 0)
        return -EINVAL;
    f->pos = (u64)pos;
    return pos;
}
