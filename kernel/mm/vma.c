/*
 * User address spaces: the sorted list of mappings (VMAs) and the page-fault
 * handler that fills them in on first touch (demand paging), from zeroes or
 * from the file a mapping comes from.
 */
#include "errno.h"
#include "fs.h"
#include "ldt.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "x86.h"

struct mm *mm_create(void)
{
    struct mm *mm = kzalloc(sizeof(*mm));
    if (!mm)
        return NULL;
    mm->pml4 = pml4_create();
    if (!mm->pml4) {
        kfree(mm);
        return NULL;
    }
    mm->mmap_base = USER_MMAP_BASE;
    refcount_set(&mm->users, 1);
    return mm;
}

/*
 * fork's copy of an address space: the same mappings; pages of private
 * mappings shared read-only and marked copy-on-write in both, pages of
 * shared mappings (and the vDSO) shared as they are.
 */
struct mm *mm_copy(struct mm *parent)
{
    struct mm *child = mm_create();
    if (!child)
        return NULL;
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    child->mmap_base = parent->mmap_base;
    child->stack_top = parent->stack_top;
    child->arg_start = parent->arg_start, child->arg_end = parent->arg_end;
    child->env_start = parent->env_start, child->env_end = parent->env_end;
    child->auxv_start = parent->auxv_start, child->auxv_end = parent->auxv_end;
    if (ldt_copy(child, parent)) {
        mm_destroy(child);
        return NULL;
    }
    struct vma **tail = &child->vmas;
    for (struct vma *v = parent->vmas; v; v = v->next) {
        struct vma *copy = kmalloc(sizeof(*copy));
        if (!copy) {
            mm_destroy(child);
            return NULL;
        }
        *copy = *v;
        copy->next = NULL;
        if (copy->file)
            inode_get(copy->file);
        *tail = copy;
        tail = &copy->next;
        bool shared = (v->flags & MAP_TYPE) == MAP_SHARED || (v->flags & VMA_SPECIAL);
        u64 va = v->start;
        for (u64 *pte; (pte = pte_next_present(parent->pml4, &va, v->end)); va += PAGE_SIZE) {
            if (!shared)
                *pte = (*pte & ~PTE_WRITE) | PTE_COW;
            u64 *child_pte = pte_lookup(child->pml4, va, true);
            if (!child_pte) {
                mm_destroy(child);
                flush_tlb();
                return NULL;
            }
            *child_pte = *pte;
            page_get(*pte & PTE_ADDR_MASK);
        }
    }
    flush_tlb(); /* the parent's pages just lost their write permission */
    return child;
}

/* A mapped file stays alive while a mapping holds it, like an open one. */
static void vma_free(struct vma *v)
{
    if (v->file)
        inode_put(v->file);
    kfree(v);
}

void mm_get(struct mm *mm) { refcount_get(&mm->users); }

/* The last task to leave an address space frees it. */
void mm_put(struct mm *mm)
{
    if (refcount_put(&mm->users))
        mm_destroy(mm);
}

void mm_destroy(struct mm *mm)
{
    for (struct vma *v = mm->vmas, *next; v; v = next) {
        next = v->next;
        vma_free(v);
    }
    ldt_free(mm);
    pml4_destroy(mm->pml4);
    kfree(mm);
}

struct vma *vma_find(struct mm *mm, u64 addr)
{
    for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
        if (addr < v->end)
            return v;
    return NULL;
}

static void vma_link(struct mm *mm, struct vma *nv)
{
    struct vma **link = &mm->vmas;
    while (*link && (*link)->start < nv->start)
        link = &(*link)->next;
    nv->next = *link;
    *link = nv;
}

int vma_insert(struct mm *mm, u64 start, u64 end, u32 prot, u32 flags, struct inode *file, u64 offset)
{
    struct vma *v = kzalloc(sizeof(*v));
    if (!v)
        return -ENOMEM;
    *v = (struct vma){.start = start, .end = end, .prot = prot, .flags = flags, .file = file, .file_offset = offset,
                      .file_bytes_end = file ? end : 0};
    if (file)
        inode_get(file);
    vma_link(mm, v);
    return 0;
}

/* Splits v at addr (inside it); v keeps the lower part. */
static int vma_split(struct vma *v, u64 addr)
{
    struct vma *upper = kmalloc(sizeof(*upper));
    if (!upper)
        return -ENOMEM;
    *upper = *v;
    upper->start = addr;
    if (v->file) {
        inode_get(v->file);
        upper->file_offset = v->file_offset + (addr - v->start);
    }
    v->end = addr;
    v->next = upper;
    return 0;
}

static void unmap_pages(struct mm *mm, u64 start, u64 end)
{
    u64 va = start;
    for (u64 *pte; (pte = pte_next_present(mm->pml4, &va, end)); va += PAGE_SIZE) {
        page_free(*pte & PTE_ADDR_MASK);
        *pte = 0;
        invlpg(va);
    }
}

/* Isolates [start, end) into whole VMAs; returns the first one inside. */
static int vma_isolate(struct mm *mm, u64 start, u64 end)
{
    for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
        if (v->end <= start)
            continue;
        if (v->start < start) {
            int err = vma_split(v, start);
            if (err)
                return err;
            continue;
        }
        if (v->end > end) {
            int err = vma_split(v, end);
            if (err)
                return err;
        }
    }
    return 0;
}

/*
 * mremap's two ways to give [addr, addr + old_size), which lies in one VMA,
 * new_size bytes: grow the VMA where it is (the caller checked the room
 * after it), or move its pages, present ones by their page-table entries,
 * to [new_addr, new_addr + new_size), which the caller made free.
 */
int vma_grow(struct mm *mm, u64 addr, u64 old_size, u64 new_size)
{
    int err = vma_isolate(mm, addr, addr + old_size);
    if (err)
        return err;
    struct vma *v = vma_find(mm, addr);
    if (v->file && v->file_bytes_end == v->end)
        v->file_bytes_end = addr + new_size; /* a file mapping: the file may supply the new part */
    v->end = addr + new_size;
    return 0;
}

int vma_move(struct mm *mm, u64 addr, u64 old_size, u64 new_addr, u64 new_size)
{
    if (new_size < old_size) {
        int err = vma_unmap(mm, addr + new_size, addr + old_size);
        if (err)
            return err;
        old_size = new_size;
    }
    int err = vma_isolate(mm, addr, addr + old_size);
    if (err)
        return err;
    struct vma *v = vma_find(mm, addr);
    u64 bytes_from_file = v->file_bytes_end > v->start ? v->file_bytes_end - v->start : 0;
    err = vma_insert(mm, new_addr, new_addr + new_size, v->prot, v->flags & ~(VMA_BRK | VMA_STACK), v->file,
                     v->file_offset);
    if (err)
        return err;
    vma_find(mm, new_addr)->file_bytes_end =
        v->file && v->file_bytes_end == v->end ? new_addr + new_size : new_addr + bytes_from_file;
    /* The page tables first, so that running out of memory loses nothing. */
    u64 va = addr;
    for (; pte_next_present(mm->pml4, &va, addr + old_size); va += PAGE_SIZE) {
        if (!pte_lookup(mm->pml4, new_addr + (va - addr), true)) {
            vma_unmap(mm, new_addr, new_addr + new_size);
            return -ENOMEM;
        }
    }
    va = addr;
    for (u64 *pte; (pte = pte_next_present(mm->pml4, &va, addr + old_size)); va += PAGE_SIZE) {
        *pte_lookup(mm->pml4, new_addr + (va - addr), false) = *pte;
        *pte = 0;
        invlpg(va);
    }
    return vma_unmap(mm, addr, addr + old_size); /* now without pages */
}

/* madvise(MADV_DONTNEED): the pages in [start, end) leave the page tables;
 * the next touch faults in a fresh private one, or the file's page again
 * (shared anonymous memory keeps its contents in its object's cache). */
int vma_discard(struct mm *mm, u64 start, u64 end)
{
    for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
        if (v->end <= start || (v->flags & VMA_SPECIAL))
            continue;
        unmap_pages(mm, MAX(start, v->start), MIN(end, v->end));
    }
    return 0;
}

int vma_unmap(struct mm *mm, u64 start, u64 end)
{
    int err = vma_isolate(mm, start, end);
    if (err)
        return err;
    struct vma **link = &mm->vmas;
    while (*link) {
        struct vma *v = *link;
        if (v->start >= start && v->end <= end) {
            *link = v->next;
            unmap_pages(mm, v->start, v->end);
            vma_free(v);
        } else {
            link = &v->next;
        }
    }
    return 0;
}

static u64 pte_flags_for(u32 prot)
{
    u64 flags = PTE_PRESENT | PTE_USER;
    if (prot & PROT_WRITE)
        flags |= PTE_WRITE;
    if (!(prot & PROT_EXEC))
        flags |= supported_pte_nx;
    return flags;
}

int vma_change_flags(struct mm *mm, u64 start, u64 end, u32 set, u32 clear)
{
    for (u64 a = start; a < end;) {
        struct vma *v = vma_find(mm, a);
        if (!v)
            return -ENOMEM;
        a = v->end;
    }
    int err = vma_isolate(mm, start, end);
    if (err)
        return err;
    for (struct vma *v = vma_find(mm, start); v && v->start < end; v = v->next)
        v->flags = (v->flags & ~clear) | set;
    return 0;
}

void vma_populate(struct mm *mm, u64 start, u64 end)
{
    for (u64 va = start; va < end; va += PAGE_SIZE) {
        struct vma *v = vma_find(mm, va);
        if (!v || (v->flags & VMA_SPECIAL) || !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
            continue;
        u64 *pte = pte_lookup(mm->pml4, va, false);
        if (pte && (*pte & PTE_PRESENT))
            continue;
        /* a writable private page is made private now, as Linux's populate does */
        bool write = (v->prot & PROT_WRITE) && (v->flags & MAP_TYPE) == MAP_PRIVATE;
        handle_user_fault(mm, va, write ? PF_WRITE : 0);
    }
}

int vma_protect(struct mm *mm, u64 start, u64 end, u32 prot)
{
    for (u64 a = start; a < end;) {
        struct vma *v = vma_find(mm, a);
        if (!v)
            return -ENOMEM;
        a = v->end;
    }
    for (struct vma *v = vma_find(mm, start); v && v->start < end; v = v->next)
        if ((prot & PROT_WRITE) && (v->flags & VMA_FILE_READ_ONLY) && (v->flags & MAP_TYPE) == MAP_SHARED)
            return -EACCES; /* the file was opened without write access */
    int err = vma_isolate(mm, start, end);
    if (err)
        return err;
    for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
        if (v->start < start)
            continue;
        v->prot = prot;
        u64 va = v->start;
        for (u64 *pte; (pte = pte_next_present(mm->pml4, &va, v->end)); va += PAGE_SIZE) {
            {
                u64 flags = pte_flags_for(prot);
                if (*pte & PTE_COW)
                    flags = (flags & ~PTE_WRITE) | PTE_COW; /* still shared: a write copies */
                if (prot == PROT_NONE)
                    flags &= ~PTE_USER; /* keep the page, forbid access */
                *pte = (*pte & PTE_ADDR_MASK) | flags;
                invlpg(va);
            }
        }
    }
    return 0;
}

/* A write to a copy-on-write page: the last sharer takes the page itself,
 * the others get a copy. */
static int break_cow(u64 *pte, u64 va, const struct vma *v)
{
    phys_addr_t old = *pte & PTE_ADDR_MASK;
    u64 flags = pte_flags_for(v->prot);
    if (page_refcount(old) == 1) {
        *pte = old | flags;
    } else {
        phys_addr_t copy = pages_alloc(1);
        if (!copy)
            return -ENOMEM;
        memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
        *pte = copy | flags;
        page_free(old);
    }
    invlpg(va);
    return 0;
}

/* Linux's stack_guard_gap: a MAP_GROWSDOWN mapping stops growing this far
 * above an accessible mapping below it. */
#define STACK_GUARD_GAP (256 * PAGE_SIZE)

/* A fault below a MAP_GROWSDOWN mapping grows it down to the faulting page
 * (Linux's expand_stack), within the stack limit and the guard gap. */
static struct vma *grow_down_to(struct mm *mm, u64 addr)
{
    struct vma *below = NULL, *v = mm->vmas;
    while (v && v->end <= addr) {
        below = v;
        v = v->next;
    }
    if (!v || !(v->flags & VMA_GROWSDOWN) || addr >= v->start)
        return NULL;
    u64 page_va = ALIGN_DOWN(addr, PAGE_SIZE);
    if (below && (below->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) && !(below->flags & VMA_GROWSDOWN) &&
        page_va - below->end < STACK_GUARD_GAP)
        return NULL;
    u64 stack_limit, hard;
    task_rlimit(current_task(), RLIMIT_STACK, &stack_limit, &hard);
    if (v->end - page_va > stack_limit)
        return NULL;
    v->start = page_va;
    return v;
}

/* Reading a file's page may sleep (a 9p share asks the host), and meanwhile
 * another thread of the address space may have faulted the same page in (and
 * written to its copy) or unmapped it. Then this fault installs nothing: the
 * access is retried and faults again if it still must (Linux's pte_same
 * check). Otherwise *pte is looked up afresh, its page table may have moved. */
static bool fault_raced(struct mm *mm, u64 addr, const struct vma *v, u64 **pte)
{
    if (vma_find(mm, addr) != v)
        return true;
    *pte = pte_lookup(mm->pml4, ALIGN_DOWN(addr, PAGE_SIZE), true);
    return !*pte || (**pte & PTE_PRESENT);
}

int handle_user_fault(struct mm *mm, u64 addr, u64 error_code)
{
    struct vma *v = vma_find(mm, addr);
    if (!v)
        v = grow_down_to(mm, addr);
    if (!v || (v->flags & VMA_SPECIAL))
        return -EFAULT;
    if ((error_code & PF_WRITE) && !(v->prot & PROT_WRITE))
        return -EFAULT;
    if ((error_code & PF_INSTRUCTION) && !(v->prot & PROT_EXEC))
        return -EFAULT;
    if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
        return -EFAULT;
    u64 page_va = ALIGN_DOWN(addr, PAGE_SIZE);
    /* The stack is reserved whole at exec; RLIMIT_STACK says how far it may grow. */
    if ((v->flags & VMA_STACK) && mm == current_task()->mm && v->end - page_va > rlimit(RLIMIT_STACK))
        return -EFAULT;
    u64 *pte = pte_lookup(mm->pml4, page_va, true);
    if (!pte)
        return -ENOMEM;
    bool shared_file = v->file && (v->flags & MAP_TYPE) == MAP_SHARED;
    if ((*pte & PTE_PRESENT) && (*pte & PTE_COW) && (error_code & PF_WRITE)) {
        if (!shared_file)
            return break_cow(pte, page_va, v);
        /* A shared mapping writes the file's own page. */
        page_cache_mark_dirty(v->file, (v->file_offset + (page_va - v->start)) / PAGE_SIZE);
        *pte = (*pte & PTE_ADDR_MASK) | pte_flags_for(v->prot);
        invlpg(page_va);
        return 0;
    }
    if (*pte & PTE_PRESENT)
        return -EFAULT; /* present and still faulting: a real protection violation */
    /* A whole page of a file: the file's own page (the page cache), shared
     * by every process that maps it. A private mapping has it copy-on-write
     * whatever the protection, so that a later mprotect(PROT_WRITE) cannot
     * make the file's page writable; a shared mapping writes it. */
    u64 file_pos = v->file_offset + (page_va - v->start);
    if (v->file && page_va + PAGE_SIZE <= v->file_bytes_end && file_pos < v->file->size) {
        phys_addr_t cached = file_page(v->file, file_pos / PAGE_SIZE);
        if (!cached)
            return -ENOMEM;
        if (fault_raced(mm, addr, v, &pte))
            return 0;
        page_get(cached);
        if (shared_file) {
            *pte = cached | pte_flags_for(v->prot);
            if (v->prot & PROT_WRITE)
                page_cache_mark_dirty(v->file, file_pos / PAGE_SIZE);
            return 0;
        }
        *pte = cached | ((pte_flags_for(v->prot) & ~PTE_WRITE) | PTE_COW);
        if (error_code & PF_WRITE)
            return break_cow(pte, page_va, v);
        return 0;
    }
    /* A page wholly past the end of the file (not the ELF bss after its
     * data, which is past file_bytes_end): no bytes to show, SIGBUS. */
    if (v->file && page_va < v->file_bytes_end && file_pos >= ALIGN_UP(v->file->size, PAGE_SIZE))
        return -EIO;
    phys_addr_t page = page_alloc();
    if (!page)
        return -ENOMEM;
    if (v->file && page_va < v->file_bytes_end && file_pos < v->file->size) {
        /* The file's part of a page it ends in: copied from its cached page, the rest zero. */
        u64 want = MIN((u64)PAGE_SIZE, v->file_bytes_end - page_va);
        phys_addr_t cached = file_page(v->file, file_pos / PAGE_SIZE);
        if (!cached || fault_raced(mm, addr, v, &pte)) {
            page_free(page);
            return cached ? 0 : -ENOMEM;
        }
        memcpy(phys_to_virt(page), phys_to_virt(cached), MIN(want, v->file->size - file_pos));
    }
    *pte = page | pte_flags_for(v->prot);
    return 0;
}

int copy_to_mm(struct mm *mm, u64 va, const void *src, size_t len)
{
    const u8 *s = src;
    while (len) {
        u64 *pte = pte_lookup(mm->pml4, va, false);
        if ((!pte || !(*pte & PTE_PRESENT) || !(*pte & PTE_WRITE)) &&
            handle_user_fault(mm, va, PF_WRITE | (pte && (*pte & PTE_PRESENT) ? PF_PRESENT : 0)))
            return -EFAULT;
        pte = pte_lookup(mm->pml4, va, false);
        if (!pte || !(*pte & PTE_WRITE))
            return -EFAULT;
        size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        memcpy((u8 *)phys_to_virt(*pte & PTE_ADDR_MASK) + (va & (PAGE_SIZE - 1)), s, n);
        va += n, s += n, len -= n;
    }
    return 0;
}

int copy_from_mm(struct mm *mm, void *dst, u64 va, size_t len)
{
    u8 *d = dst;
    while (len) {
        u64 *pte = pte_lookup(mm->pml4, va, false);
        if ((!pte || !(*pte & PTE_PRESENT)) && handle_user_fault(mm, va, 0) == 0)
            pte = pte_lookup(mm->pml4, va, false);
        if (!pte || !(*pte & PTE_PRESENT))
            return -EFAULT;
        size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        memcpy(d, (u8 *)phys_to_virt(*pte & PTE_ADDR_MASK) + (va & (PAGE_SIZE - 1)), n);
        va += n, d += n, len -= n;
    }
    return 0;
}
