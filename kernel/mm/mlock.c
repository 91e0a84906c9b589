/*
 * Keeping memory resident, and asking what is: mlock, mlock2, munlock,
 * mlockall, munlockall and mincore. sysgate never swaps, so a locked page
 * is one that was faulted in (all at once, or as it is touched with
 * MLOCK_ONFAULT); locking is bookkeeping Linux programs can see in VmLck
 * and get back from the calls, with Linux's argument checks.
 */
#include "errno.h"
#include "fs.h"
#include "layout.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "uaccess.h"

#define MLOCK_ONFAULT 1
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

static struct mm *current_mm(void) { return current_task()->mm; }

/* The page-aligned range an mlock-family call covers: Linux rounds the start
 * down and the end up. */
static int lock_range(u64 addr, u64 len, u64 *start, u64 *end)
{
    *start = ALIGN_DOWN(addr, PAGE_SIZE);
    *end = ALIGN_UP(addr + len, PAGE_SIZE);
    if (addr + len < addr || *end < *start)
        return -ENOMEM;
    return 0;
}

static long do_mlock(u64 addr, u64 len, u32 lock_flags)
{
    u64 start, end;
    int err = lock_range(addr, len, &start, &end);
    if (err || start == end)
        return err;
    err = vma_change_flags(current_mm(), start, end, lock_flags, VMA_LOCKED | VMA_LOCK_ONFAULT);
    if (!err && !(lock_flags & VMA_LOCK_ONFAULT))
        vma_populate(current_mm(), start, end);
    return err;
}

long sys_mlock(u64 addr, u64 len) { return do_mlock(addr, len, VMA_LOCKED); }

long sys_mlock2(u64 addr, u64 len, u32 flags)
{
    if (flags & ~MLOCK_ONFAULT)
        return -EINVAL;
    return do_mlock(addr, len, VMA_LOCKED | (flags & MLOCK_ONFAULT ? VMA_LOCK_ONFAULT : 0));
}

long sys_munlock(u64 addr, u64 len)
{
    u64 start, end;
    int err = lock_range(addr, len, &start, &end);
    if (err || start == end)
        return err;
    return vma_change_flags(current_mm(), start, end, 0, VMA_LOCKED | VMA_LOCK_ONFAULT);
}

long sys_mlockall(int flags)
{
    if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
        return -EINVAL;
    struct mm *mm = current_mm();
    u32 lock = VMA_LOCKED | (flags & MCL_ONFAULT ? VMA_LOCK_ONFAULT : 0);
    mm->lock_future = flags & MCL_FUTURE ? lock : 0;
    if (flags & MCL_CURRENT) {
        for (struct vma *v = mm->vmas; v; v = v->next)
            if (!(v->flags & VMA_SPECIAL))
                v->flags = (v->flags & ~(VMA_LOCKED | VMA_LOCK_ONFAULT)) | lock;
        if (!(lock & VMA_LOCK_ONFAULT))
            for (struct vma *v = mm->vmas; v; v = v->next)
                if (v->flags & VMA_LOCKED)
                    vma_populate(mm, v->start, v->end);
    }
    return 0;
}

long sys_munlockall(void)
{
    struct mm *mm = current_mm();
    mm->lock_future = 0;
    for (struct vma *v = mm->vmas; v; v = v->next)
        v->flags &= ~(VMA_LOCKED | VMA_LOCK_ONFAULT);
    return 0;
}

/* One byte per page, bit 0 set when the page is resident: mapped here, or
 * for a file mapping, in the file's page cache. */
long sys_mincore(u64 addr, u64 len, u8 __user *vec)
{
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    u64 end = ALIGN_UP(addr + len, PAGE_SIZE);
    if (end < addr || !user_range_ok(addr, end - addr))
        return -ENOMEM;
    struct mm *mm = current_mm();
    for (u64 a = addr; a < end;) {
        struct vma *v = vma_find(mm, a);
        if (!v)
            return -ENOMEM;
        a = v->end;
    }
    for (u64 va = addr; va < end; va += PAGE_SIZE) {
        struct vma *v = vma_find(mm, va);
        u64 *pte = pte_lookup(mm->pml4, va, false);
        bool resident = pte && (*pte & PTE_PRESENT);
        if (!resident && v->file)
            resident = page_cache_has(v->file, (v->file_offset + (va - v->start)) / PAGE_SIZE);
        u8 byte = resident;
        if (copy_to_user(vec + (va - addr) / PAGE_SIZE, &byte, 1))
            return -EFAULT;
    }
    return 0;
}
