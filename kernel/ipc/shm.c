/*
 * System V shared memory, as Linux's ipc/shm.c: a segment is a shmem inode
 * (the object shared anonymous mappings use) that shmat maps shared. Its
 * attach count is not kept but counted, as Linux counts the segment's
 * mappings: every mapping of the inode in every process (fork's copies and
 * the pieces mprotect splits one into included), so munmap, exec and exit
 * detach without telling this file. A segment removed while attached lives
 * on, its key IPC_PRIVATE and SHM_DEST in its mode, until its last mapping
 * goes; the calls of this file reap such segments before they look.
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "fs.h"
#include "ipc.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "seq_buf.h"
#include "time.h"
#include "uaccess.h"

#define SHM_MAX_SEGMENTS 4096                         /* Linux's SHMMNI */
#define SHM_MIN_SIZE 1                                /* SHMMIN */
#define SHM_MAX_BYTES (~0ul - (1ul << 24))            /* SHMMAX, and SHMALL in pages */
#define SHM_LBA PAGE_SIZE                             /* x86's SHMLBA */
#define SHM_MAX_BYTES_COMPAT 0x7fffffffu              /* INT_MAX: the SHMMAX Linux shows 32-bit callers */

/* shmctl commands beyond the common ones. */
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHM_STAT 13
#define SHM_INFO 14
#define SHM_STAT_ANY 15
/* shmat flags. */
#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000
/* Mode bits beyond the permissions. */
#define SHM_DEST 01000
#define SHM_LOCKED 02000

#define S_IRUGO 0444
#define S_IWUGO 0222
#define S_IXUGO 0111

struct shm_segment {
    struct ipc_object perm; /* first: the table's objects are segments */
    u64 size;
    struct inode *inode;
    s64 atime, dtime, ctime;
    pid_t cpid, lpid;
};

static struct ipc_ids shm_ids = {.last_idx = -1, .max_objects = SHM_MAX_SEGMENTS};
static u64 shm_total_pages;

/* x86-64's struct shmid64_ds. */
struct shmid64_native {
    u8 perm[48];
    u64 segsz;
    s64 atime, dtime, ctime;
    s32 cpid, lpid;
    u64 nattch, unused4, unused5;
};
_Static_assert(sizeof(struct shmid64_native) == 112, "x86-64 shmid64_ds");

/* i386's struct shmid64_ds: times as two 32-bit halves. */
struct shmid64_compat {
    u8 perm[36];
    u32 segsz, atime, atime_high, dtime, dtime_high, ctime, ctime_high;
    s32 cpid, lpid;
    u32 nattch, unused4, unused5;
};
_Static_assert(sizeof(struct shmid64_compat) == 84, "i386 shmid64_ds");

/* i386's old struct shmid_ds (Linux's compat_shmid_ds): 16-bit pids and attach count. */
struct shmid_old {
    u8 perm[IPC_OLD_PERM_SIZE];
    s32 segsz, atime, dtime, ctime;
    u16 cpid, lpid, nattch, unused;
    u32 unused2, unused3;
};
_Static_assert(sizeof(struct shmid_old) == 48, "i386 old shmid_ds");

/* struct shminfo64 and struct shm_info, with the ABI's longs. */
struct shm_limits {
    u64 shmmax, shmmin, shmmni, shmseg, shmall, unused[4];
};
struct shm_usage {
    u64 used_ids, shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

static struct shm_segment *segment_of(struct ipc_object *o) { return (struct shm_segment *)o; }

static struct shm_segment *segment_of_inode(const struct inode *inode)
{
    for (struct ipc_object *o = shm_ids.objects; o; o = o->next)
        if (segment_of(o)->inode == inode)
            return segment_of(o);
    return NULL;
}

static u64 segment_pages(const struct shm_segment *seg) { return ALIGN_UP(seg->size, PAGE_SIZE) / PAGE_SIZE; }

/* Whether a task earlier in the list runs in `mm` (threads, and vfork's child, share one). */
static bool mm_seen_before(const struct task *t)
{
    for (const struct task *other = task_first(); other != t; other = other->next_task)
        if (other->mm == t->mm)
            return true;
    return false;
}

static u64 attach_count(const struct shm_segment *seg)
{
    u64 count = 0;
    for (struct task *t = task_first(); t; t = t->next_task) {
        if (!t->mm || mm_seen_before(t))
            continue;
        for (struct vma *v = t->mm->vmas; v; v = v->next)
            count += v->file == seg->inode;
    }
    return count;
}

static void segment_destroy(struct shm_segment *seg)
{
    ipc_remove(&shm_ids, &seg->perm);
    shm_total_pages -= segment_pages(seg);
    inode_put(seg->inode);
    kfree(seg);
}

/* Removed segments whose last mapping is gone. */
static void reap_detached(void)
{
    for (struct ipc_object *o = shm_ids.objects, *next; o; o = next) {
        next = o->next;
        if ((o->mode & SHM_DEST) && !attach_count(segment_of(o)))
            segment_destroy(segment_of(o));
    }
}

static long segment_create(s32 key, u64 size, int flags)
{
    if (size < SHM_MIN_SIZE || size > SHM_MAX_BYTES)
        return -EINVAL;
    u64 pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
    if (pages * PAGE_SIZE < size || shm_total_pages + pages > SHM_MAX_BYTES)
        return -ENOSPC;
    struct shm_segment *seg = kzalloc(sizeof(*seg));
    if (!seg)
        return -ENOMEM;
    seg->inode = shmem_inode_create(size);
    if (!seg->inode) {
        kfree(seg);
        return -ENOMEM;
    }
    inode_get(seg->inode); /* the segment's own reference, beside its mappings' */
    int err = ipc_add(&shm_ids, &seg->perm, key, flags);
    if (err) {
        inode_put(seg->inode);
        kfree(seg);
        return err;
    }
    seg->size = size;
    seg->ctime = realtime_seconds();
    seg->cpid = current_task()->tgid;
    shm_total_pages += pages;
    return ipc_id(&seg->perm);
}

long sys_shmget(s32 key, u64 size, int flags)
{
    reap_detached();
    if (key == IPC_PRIVATE)
        return segment_create(key, size, flags);
    struct ipc_object *o = ipc_find_key(&shm_ids, key);
    if (!o)
        return (flags & IPC_CREAT) ? segment_create(key, size, flags) : -ENOENT;
    if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
        return -EEXIST;
    if (segment_of(o)->size < size)
        return -EINVAL;
    int err = ipc_permitted(o, (u32)flags);
    return err ? err : ipc_id(o);
}

static bool range_mapped(struct mm *mm, u64 start, u64 end)
{
    for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
        if (v->end > start)
            return true;
    return false;
}

long do_shmat(int shmid, u64 addr, int flags, u64 *attached)
{
    reap_detached();
    if (shmid < 0)
        return -EINVAL;
    if (addr & (SHM_LBA - 1)) {
        if (!(flags & SHM_RND))
            return -EINVAL;
        addr &= ~(u64)(SHM_LBA - 1);
        if (!addr && (flags & SHM_REMAP))
            return -EINVAL;
    } else if (!addr && (flags & SHM_REMAP)) {
        return -EINVAL;
    }
    u32 prot = PROT_READ, access = S_IRUGO;
    if (!(flags & SHM_RDONLY))
        prot |= PROT_WRITE, access |= S_IWUGO;
    if (flags & SHM_EXEC)
        prot |= PROT_EXEC, access |= S_IXUGO;
    struct ipc_object *o = ipc_find_id(&shm_ids, shmid);
    if (!o)
        return -EINVAL;
    int err = ipc_permitted(o, access);
    if (err)
        return err;
    struct shm_segment *seg = segment_of(o);
    struct mm *mm = current_task()->mm;
    if (addr && !(flags & SHM_REMAP) && (addr + seg->size < addr || range_mapped(mm, addr, addr + seg->size)))
        return -EINVAL;
    long start = map_shared_object(seg->inode, addr, ALIGN_UP(seg->size, PAGE_SIZE), prot, flags & SHM_RDONLY);
    if (start < 0)
        return start;
    seg->atime = realtime_seconds();
    seg->lpid = current_task()->tgid;
    *attached = (u64)start;
    return 0;
}

long sys_shmat(int shmid, u64 addr, int flags)
{
    u64 attached;
    long err = do_shmat(shmid, addr, flags, &attached);
    return err ? err : (long)attached;
}

/* Linux's rule: the first mapping at or after addr that maps a segment from
 * the offset its distance from addr says, then the rest of that segment's
 * mappings within its size, each at its own offset from addr. */
long sys_shmdt(u64 addr)
{
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    struct mm *mm = current_task()->mm;
    struct shm_segment *seg = NULL;
    for (struct vma *v = mm->vmas; v && !seg; v = v->next)
        if (v->end > addr && v->start >= addr && v->file && v->start - addr == v->file_offset)
            seg = segment_of_inode(v->file);
    if (!seg)
        return -EINVAL;
    u64 end = addr + ALIGN_UP(seg->size, PAGE_SIZE);
    for (;;) {
        struct vma *found = NULL;
        for (struct vma *v = mm->vmas; v && v->start < end && !found; v = v->next)
            if (v->start >= addr && v->file == seg->inode && v->start - addr == v->file_offset)
                found = v;
        if (!found)
            break;
        int err = vma_unmap(mm, found->start, found->end);
        if (err)
            return err;
    }
    seg->dtime = realtime_seconds();
    seg->lpid = current_task()->tgid;
    reap_detached();
    return 0;
}

/* The ABI's shmid64_ds, or i386's old shmid_ds, into `buf`; its size. */
static size_t stat_out(void *buf, struct shm_segment *seg, bool old_layout)
{
    u64 nattch = attach_count(seg);
    if (old_layout) {
        struct shmid_old s = {.segsz = (s32)seg->size, .atime = (s32)seg->atime, .dtime = (s32)seg->dtime,
                              .ctime = (s32)seg->ctime, .cpid = (u16)seg->cpid, .lpid = (u16)seg->lpid,
                              .nattch = (u16)nattch};
        ipc_old_perm_out(s.perm, &seg->perm);
        memcpy(buf, &s, sizeof(s));
        return sizeof(s);
    }
    if (in_compat_syscall()) {
        struct shmid64_compat s = {.segsz = (u32)seg->size, .atime = (u32)seg->atime,
                                   .atime_high = (u32)((u64)seg->atime >> 32), .dtime = (u32)seg->dtime,
                                   .dtime_high = (u32)((u64)seg->dtime >> 32), .ctime = (u32)seg->ctime,
                                   .ctime_high = (u32)((u64)seg->ctime >> 32), .cpid = seg->cpid, .lpid = seg->lpid,
                                   .nattch = (u32)nattch};
        ipc_perm_out(s.perm, &seg->perm);
        memcpy(buf, &s, sizeof(s));
        return sizeof(s);
    }
    struct shmid64_native s = {.segsz = seg->size, .atime = seg->atime, .dtime = seg->dtime, .ctime = seg->ctime,
                               .cpid = seg->cpid, .lpid = seg->lpid, .nattch = nattch};
    ipc_perm_out(s.perm, &seg->perm);
    memcpy(buf, &s, sizeof(s));
    return sizeof(s);
}

/* An array of `count` unsigned longs of the calling ABI. */
static int longs_out(void __user *buf, const u64 *values, size_t count)
{
    if (!in_compat_syscall())
        return copy_to_user(buf, values, count * sizeof(u64));
    u32 narrow[16];
    for (size_t i = 0; i < count; i++)
        narrow[i] = (u32)values[i];
    return copy_to_user(buf, narrow, count * sizeof(u32));
}

static long shm_info_out(void __user *buf)
{
    u64 rss = 0;
    for (struct ipc_object *o = shm_ids.objects; o; o = o->next) {
        const struct address_space *cache = &segment_of(o)->inode->mapping;
        for (u64 i = 0; i < cache->slots; i++)
            rss += cache->pages[i] != 0;
    }
    if (in_compat_syscall()) {
        /* int used_ids, then five compat_ulong_t */
        u32 info[6] = {(u32)shm_ids.in_use, (u32)shm_total_pages, (u32)rss, 0, 0, 0};
        if (copy_to_user(buf, info, sizeof(info)))
            return -EFAULT;
    } else {
        /* int used_ids, padded to the unsigned longs */
        struct shm_usage u = {.used_ids = (u32)shm_ids.in_use, .shm_tot = shm_total_pages, .shm_rss = rss};
        if (copy_to_user(buf, &u, sizeof(u)))
            return -EFAULT;
    }
    return ipc_max_index(&shm_ids);
}

static long shm_limits_out(void __user *buf, bool old_layout)
{
    struct shm_limits limits = {.shmmax = SHM_MAX_BYTES, .shmmin = SHM_MIN_SIZE, .shmmni = SHM_MAX_SEGMENTS,
                                .shmseg = SHM_MAX_SEGMENTS, .shmall = SHM_MAX_BYTES};
    if (in_compat_syscall())
        limits.shmmax = MIN(limits.shmmax, (u64)SHM_MAX_BYTES_COMPAT);
    if (old_layout) {
        /* struct shminfo: five ints */
        s32 info[] = {(s32)limits.shmmax, (s32)limits.shmmin, (s32)limits.shmmni, (s32)limits.shmseg,
                      (s32)limits.shmall};
        return copy_to_user(buf, info, sizeof(info)) ? -EFAULT : 0;
    }
    return longs_out(buf, &limits.shmmax, sizeof(limits) / sizeof(u64)) ? -EFAULT : 0;
}

/* `old_layout`: i386's ipc() without IPC_64, the structures of before Linux 2.4. */
static long shm_control(int shmid, int cmd, void __user *buf, bool old_layout)
{
    if (cmd < 0 || shmid < 0)
        return -EINVAL;
    reap_detached();
    struct ipc_object *o;
    int err;
    switch (cmd) {
    case IPC_INFO:
        if ((err = shm_limits_out(buf, old_layout)))
            return err;
        return ipc_max_index(&shm_ids);
    case SHM_INFO:
        return shm_info_out(buf);
    case IPC_STAT:
    case SHM_STAT:
    case SHM_STAT_ANY: {
        o = cmd == IPC_STAT ? ipc_find_id(&shm_ids, shmid) : ipc_find_index(&shm_ids, shmid);
        if (!o)
            return -EINVAL;
        if (cmd != SHM_STAT_ANY && (err = ipc_permitted(o, S_IRUGO)))
            return err;
        u8 stat[sizeof(struct shmid64_native)];
        size_t size = stat_out(stat, segment_of(o), old_layout);
        if (copy_to_user(buf, stat, size))
            return -EFAULT;
        return cmd == IPC_STAT ? 0 : ipc_id(o);
    }
    case IPC_SET: {
        /* only the perm is read, as Linux's copy_shmid_from_user */
        u8 perm[sizeof(((struct shmid64_native *)0)->perm)];
        struct ipc_perm_user wanted;
        if (old_layout) {
            if (copy_from_user(perm, buf, IPC_OLD_PERM_SIZE))
                return -EFAULT;
            ipc_old_perm_in(perm, &wanted);
        } else {
            if (copy_from_user(perm, buf, in_compat_syscall() ? sizeof(((struct shmid64_compat *)0)->perm) : sizeof(perm)))
                return -EFAULT;
            ipc_perm_in(perm, &wanted);
        }
        if (!(o = ipc_find_id(&shm_ids, shmid)))
            return -EINVAL;
        if ((err = ipc_owner_check(o)) || (err = ipc_set_perm(o, &wanted)))
            return err;
        segment_of(o)->ctime = realtime_seconds();
        return 0;
    }
    case IPC_RMID:
        if (!(o = ipc_find_id(&shm_ids, shmid)))
            return -EINVAL;
        if ((err = ipc_owner_check(o)))
            return err;
        if (!attach_count(segment_of(o))) {
            segment_destroy(segment_of(o));
            return 0;
        }
        o->mode |= SHM_DEST;
        o->key = IPC_PRIVATE; /* no shmget finds it any more */
        return 0;
    case SHM_LOCK:
    case SHM_UNLOCK:
        if (!(o = ipc_find_id(&shm_ids, shmid)))
            return -EINVAL;
        if (!capable(CAP_IPC_LOCK)) {
            u32 euid = current_cred()->euid;
            if (euid != o->uid && euid != o->cuid)
                return -EPERM;
            if (cmd == SHM_LOCK && !rlimit(RLIMIT_MEMLOCK))
                return -EPERM;
        }
        /* Memory is never swapped here: the mark is what there is to keep. */
        if (cmd == SHM_LOCK)
            o->mode |= SHM_LOCKED;
        else
            o->mode &= ~(u32)SHM_LOCKED;
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_shmctl(int shmid, int cmd, void __user *buf) { return shm_control(shmid, cmd, buf, false); }

/* i386's direct shmctl (396) knows only the 64-bit layouts, and no IPC_64
 * flag (Linux 5.1's rule); through ipc() the flag picks them, as glibc and
 * musl pass it, and its absence the old ones. */
long compat_sys_shmctl(int shmid, int cmd, u32 buf) { return shm_control(shmid, cmd, compat_ptr(buf), false); }

long compat_sys_old_shmctl(int shmid, int cmd, u32 buf)
{
    bool v64 = ipc_compat_version64(&cmd);
    return shm_control(shmid, cmd, compat_ptr(buf), !v64);
}

void shm_proc_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    reap_detached();
    seq_printf(s, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      "
                  "atime      dtime      ctime                   rss                  swap\n");
    for (struct ipc_object *o = shm_ids.objects; o; o = o->next) {
        struct shm_segment *seg = segment_of(o);
        const struct address_space *cache = &seg->inode->mapping;
        u64 rss = 0;
        for (u64 i = 0; i < cache->slots; i++)
            rss += cache->pages[i] != 0;
        seq_printf(s, "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21lu %21lu\n", o->key,
                   ipc_id(o), o->mode, (unsigned long)seg->size, (unsigned)seg->cpid, (unsigned)seg->lpid,
                   (unsigned long)attach_count(seg), o->uid, o->gid, o->cuid, o->cgid, (unsigned long long)seg->atime,
                   (unsigned long long)seg->dtime, (unsigned long long)seg->ctime, (unsigned long)(rss * PAGE_SIZE), 0ul);
    }
}
