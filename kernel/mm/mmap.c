/* brk, mmap, munmap, mprotect, mremap, msync and madvise, with Linux's argument checks and errors. */
#include "compat.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "uaccess.h"

int vma_protect(struct mm *mm, u64 start, u64 end, u32 prot);

static struct mm *current_mm(void) { return current_task()->mm; }

static bool range_free(struct mm *mm, u64 start, u64 end)
{
    for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
        if (v->end > start)
            return false;
    return true;
}

#define MAP_32BIT_TOP 0x80000000ul

long sys_brk(u64 addr)
{
    struct mm *mm = current_mm();
    if (addr < mm->brk_start)
        return (long)mm->brk;
    u64 old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
    u64 new_end = ALIGN_UP(addr, PAGE_SIZE);
    if (new_end > USER_STACK_TOP - USER_STACK_MAX || new_end < addr)
        return (long)mm->brk;
    if (new_end > old_end) {
        if (!range_free(mm, old_end, new_end) ||
            rlimit_vm_check(mm, old_end, new_end - old_end, PROT_READ | PROT_WRITE, MAP_PRIVATE))
            return (long)mm->brk;
        /* The heap stays one mapping, as Linux merges it: [heap] once in /proc/PID/maps. */
        u32 heap_flags = MAP_PRIVATE | MAP_ANONYMOUS | VMA_BRK;
        struct vma *heap = old_end > ALIGN_UP(mm->brk_start, PAGE_SIZE) ? vma_find(mm, old_end - 1) : NULL;
        if (heap && heap->end == old_end && heap->flags == heap_flags && heap->prot == (PROT_READ | PROT_WRITE))
            heap->end = new_end;
        else if (vma_insert(mm, old_end, new_end, PROT_READ | PROT_WRITE, heap_flags, NULL, 0))
            return (long)mm->brk;
    } else if (new_end < old_end) {
        vma_unmap(mm, new_end, old_end);
    }
    mm->brk = addr;
    return (long)addr;
}

/* Top-down search for a free range below the mmap base, as Linux does by
 * default. A call through a 32-bit gate gets an address below 4 GiB. */
static u64 find_free_range(struct mm *mm, u64 len, u64 flags)
{
    u64 base = in_compat_syscall() ? MIN(mm->mmap_base, COMPAT_MMAP_BASE) : mm->mmap_base;
    if (flags & MAP_32BIT)
        base = MIN(base, MAP_32BIT_TOP); /* Linux's window for MAP_32BIT: the low 2 GiB */
    return mmap_find_free(mm, base, len);
}

u64 mmap_find_free(struct mm *mm, u64 top, u64 len)
{
    u64 candidate = top - len;
    for (;;) {
        if (candidate > top || candidate < 0x10000)
            return 0;
        struct vma *clash = NULL;
        for (struct vma *v = mm->vmas; v && v->start < candidate + len; v = v->next)
            if (v->end > candidate)
                clash = v;
        if (!clash)
            return candidate;
        candidate = clash->start - len;
    }
}

static long map_region(struct mm *mm, u64 addr, u64 size, u64 prot, u64 flags, u32 vma_flags, struct inode *file,
                       u64 offset)
{
    u64 start;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & (PAGE_SIZE - 1))
            return -EINVAL;
        if (!user_range_ok(addr, size))
            return -ENOMEM;
        if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && !range_free(mm, addr, addr + size))
            return -EEXIST;
        if (rlimit_vm_check(mm, addr, size, (u32)prot, vma_flags))
            return -ENOMEM;
        int err = vma_unmap(mm, addr, addr + size);
        if (err)
            return err;
        start = addr;
    } else {
        start = 0;
        u64 limit = in_compat_syscall() ? COMPAT_TASK_SIZE : USER_TOP;
        if (addr && !(addr & (PAGE_SIZE - 1)) && addr <= limit && size <= limit - addr && range_free(mm, addr, addr + size))
            start = addr;
        if (!start)
            start = find_free_range(mm, size, flags);
        if (!start || rlimit_vm_check(mm, start, size, (u32)prot, vma_flags))
            return -ENOMEM;
    }
    /* Shared anonymous memory is one object all its mappings (and fork's
     * copies of them) map through the page cache, like a shared file. */
    struct inode *shmem = NULL;
    if ((flags & MAP_ANONYMOUS) && (vma_flags & MAP_TYPE) == MAP_SHARED) {
        file = shmem = shmem_inode_create(size);
        if (!shmem)
            return -ENOMEM;
        offset = 0;
    }
    if (flags & MAP_GROWSDOWN)
        vma_flags |= VMA_GROWSDOWN;
    if (flags & MAP_LOCKED)
        vma_flags |= VMA_LOCKED;
    vma_flags |= mm->lock_future;
    int err = vma_insert(mm, start, start + size, (u32)prot, vma_flags | (u32)(flags & MAP_ANONYMOUS), file, offset);
    if (err) {
        if (shmem)
            inode_release(shmem);
        return err;
    }
    bool locked = (vma_flags & VMA_LOCKED) && !(vma_flags & VMA_LOCK_ONFAULT);
    if (((flags & MAP_POPULATE) && !(flags & MAP_NONBLOCK)) || locked)
        vma_populate(mm, start, start + size);
    return (long)start;
}

/* shmat's mapping of a System V segment: at `addr` exactly (replacing what
 * is there), or where mmap would put it when addr is 0. */
long map_shared_object(struct inode *object, u64 addr, u64 size, u32 prot, bool read_only)
{
    u64 flags = MAP_SHARED | (addr ? MAP_FIXED : 0);
    u32 vma_flags = MAP_SHARED | (read_only ? VMA_FILE_READ_ONLY : 0);
    return map_region(current_mm(), addr, size, prot, flags, vma_flags, object, 0);
}

/* What an open file contributes to a mapping: its inode (NULL for /dev/zero,
 * which maps as anonymous memory) and the read-only mark; or an errno. */
static int mapped_file(struct file *f, u32 type, u64 prot, u64 *flags, u32 *vma_flags, struct inode **file)
{
    /* In Linux's do_mmap order: the access mode, then whether the file maps at all, then its seals. */
    bool shared_write = type != MAP_PRIVATE && (prot & PROT_WRITE);
    if (shared_write && (f->flags & O_ACCMODE) == O_RDONLY)
        return -EACCES;
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EACCES;
    if (S_ISCHR(f->inode->mode) && f->inode->rdev == MKDEV(1, 5)) {
        *flags |= MAP_ANONYMOUS;
        return 0;
    }
    if (!S_ISREG(f->inode->mode))
        return -ENODEV;
    if (shared_write && (f->inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
        return -EPERM;
    if ((f->flags & O_ACCMODE) != O_RDWR)
        *vma_flags |= VMA_FILE_READ_ONLY;
    if (f->ops && f->ops->mmap) {
        int err = f->ops->mmap(f);
        if (err)
            return err;
    } else if (!f->inode->mapping.ops) {
        return -ENODEV; /* no page cache to map, as Linux says for a file without mmap */
    }
    *file = f->inode;
    return 0;
}

/* The flags every kernel has accepted without checking (Linux's LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK                                                                                        \
    (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | \
     MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

long sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, int fd, u64 offset)
{
    if (len == 0 || (offset & (PAGE_SIZE - 1)))
        return -EINVAL;
    u32 type = flags & MAP_TYPE;
    if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (prot & ~(u64)(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    u64 size = ALIGN_UP(len, PAGE_SIZE);
    if (size < len || size > USER_TOP)
        return -ENOMEM;
    /* MAP_SHARED_VALIDATE is MAP_SHARED once its flags are checked: only the
     * old ones (MAP_SYNC needs a DAX file, which sysgate has not). */
    u32 vma_flags = type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED;
    if (flags & MAP_ANONYMOUS) {
        if (type == MAP_SHARED_VALIDATE)
            return -EINVAL; /* as Linux's anonymous mappings answer any type but the two */
        if (type == MAP_SHARED && (flags & MAP_GROWSDOWN))
            return -EINVAL;
        return map_region(current_mm(), addr, size, prot, flags, vma_flags, NULL, offset);
    }
    struct file *f = fdget(fd);
    if (!f)
        return -EBADF;
    if (type == MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK)) {
        fdput(f);
        return -EOPNOTSUPP;
    }
    struct inode *file = NULL;
    /* The mapping takes its own reference on the inode before the file's is dropped. */
    long ret = mapped_file(f, type, prot, &flags, &vma_flags, &file);
    if (!ret)
        ret = map_region(current_mm(), addr, size, prot, flags, vma_flags, file, offset);
    fdput(f);
    return ret;
}

long sys_munmap(u64 addr, u64 len)
{
    if ((addr & (PAGE_SIZE - 1)) || len == 0)
        return -EINVAL;
    u64 size = ALIGN_UP(len, PAGE_SIZE);
    if (size < len || !user_range_ok(addr, size))
        return -EINVAL;
    return vma_unmap(current_mm(), addr, addr + size);
}

long sys_mprotect(u64 addr, u64 len, u64 prot)
{
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    if (prot & ~(u64)(PROT_READ | PROT_WRITE | PROT_EXEC | 0x01000000 /* PROT_GROWSDOWN */ | 0x02000000))
        return -EINVAL;
    u64 size = ALIGN_UP(len, PAGE_SIZE);
    if (size < len)
        return -ENOMEM;
    if (size == 0)
        return 0;
    if (!user_range_ok(addr, size))
        return -ENOMEM;
    return vma_protect(current_mm(), addr, addr + size, (u32)(prot & 7));
}

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* In Linux's order of checks. MREMAP_DONTUNMAP is not supported (EINVAL, as
 * Linux answers for a mapping it cannot apply to), nor old_size 0, Linux's
 * way to duplicate a shared mapping (EINVAL too, its answer for a private one). */
long sys_mremap(u64 addr, u64 old_len, u64 new_len, u64 flags, u64 new_addr)
{
    struct mm *mm = current_mm();
    if (flags & ~(u64)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
        return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
        return -EINVAL;
    if (flags & MREMAP_DONTUNMAP)
        return -EINVAL;
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    u64 old_size = ALIGN_UP(old_len, PAGE_SIZE), new_size = ALIGN_UP(new_len, PAGE_SIZE);
    if (old_size < old_len || new_size < new_len || new_size == 0)
        return -EINVAL;
    if (flags & MREMAP_FIXED) {
        if (new_addr & (PAGE_SIZE - 1))
            return -EINVAL;
        if (!user_range_ok(new_addr, new_size))
            return -EINVAL;
        if (new_addr < addr + old_size && addr < new_addr + new_size)
            return -EINVAL; /* the ranges overlap */
    }
    struct vma *v = vma_find(mm, addr);
    if (!v || old_size == 0) /* Linux: no mapping is EFAULT */
        return v ? -EINVAL : -EFAULT;
    if (old_size > v->end - addr)
        return -EFAULT;
    if (v->flags & VMA_SPECIAL)
        return -EINVAL;
    if (flags & MREMAP_FIXED) {
        int err = vma_unmap(mm, new_addr, new_addr + new_size);
        err = err ?: vma_move(mm, addr, old_size, new_addr, new_size);
        return err ? err : (long)new_addr;
    }
    if (new_size <= old_size) {
        int err = vma_unmap(mm, addr + new_size, addr + old_size);
        return err ? err : (long)addr;
    }
    u64 limit = in_compat_syscall() ? COMPAT_TASK_SIZE : USER_TOP;
    bool room_after = v->end == addr + old_size && addr + new_size <= limit && addr + new_size > addr &&
                      range_free(mm, addr + old_size, addr + new_size);
    if (room_after) {
        int err = vma_grow(mm, addr, old_size, new_size);
        return err ? err : (long)addr;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    u64 target = find_free_range(mm, new_size, 0);
    if (!target)
        return -ENOMEM;
    int err = vma_move(mm, addr, old_size, target, new_size);
    return err ? err : (long)target;
}

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

/* Shared file mappings write the page cache itself and the file system is
 * in memory, so there is nothing to write back: msync checks its arguments
 * and that the range is mapped, as Linux does, and is done. */
long sys_msync(u64 addr, u64 len, int flags)
{
    if ((u32)flags & ~(u32)(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
        return -EINVAL;
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    if ((flags & MS_ASYNC) && (flags & MS_SYNC))
        return -EINVAL;
    u64 end = addr + ALIGN_UP(len, PAGE_SIZE);
    if (end < addr)
        return -ENOMEM;
    for (u64 a = addr; a < end;) {
        struct vma *v = vma_find(current_mm(), a);
        if (!v)
            return -ENOMEM;
        a = v->end;
    }
    return 0;
}

/* A window in the caller's address space for sendfile: read-only on a
 * file's pages (the page cache), so they reach any file's write through the
 * one path user data takes; or, with file NULL, fresh memory to read into.
 * Returns the address of `offset`. */
long map_file_window(struct inode *file, u64 offset, u64 len, u64 *window, u64 *window_size)
{
    struct mm *mm = current_mm();
    u64 start_offset = ALIGN_DOWN(offset, PAGE_SIZE);
    u64 size = ALIGN_UP(offset + len, PAGE_SIZE) - start_offset;
    u64 start = find_free_range(mm, size, 0);
    if (!start)
        return -ENOMEM;
    int err = file ? vma_insert(mm, start, start + size, PROT_READ, MAP_PRIVATE, file, start_offset)
                   : vma_insert(mm, start, start + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    if (err)
        return err;
    *window = start;
    *window_size = size;
    return (long)(start + (offset - start_offset));
}

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8

/* The access-pattern hints have nothing to tune here (memory is memory);
 * MADV_DONTNEED and MADV_FREE drop private pages, which read back as zeros,
 * or as the file's contents for a file mapping (shared anonymous memory is
 * one: its contents stay). Other advice is EINVAL. */
long sys_madvise(u64 addr, u64 len, int advice)
{
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    u64 end = addr + ALIGN_UP(len, PAGE_SIZE);
    if (end < addr)
        return -EINVAL;
    switch (advice) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
    case MADV_DONTNEED:
    case MADV_FREE:
        break;
    default:
        return -EINVAL;
    }
    if (end == addr)
        return 0;
    struct mm *mm = current_mm();
    for (u64 a = addr; a < end;) {
        struct vma *v = vma_find(mm, a);
        if (!v)
            return -ENOMEM;
        if (advice == MADV_FREE && v->file)
            return -EINVAL; /* Linux: anonymous memory only */
        a = v->end;
    }
    if (advice == MADV_DONTNEED || advice == MADV_FREE)
        return vma_discard(mm, addr, end);
    return 0;
}
