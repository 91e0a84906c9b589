/*
 * What /proc/PID (and /proc/PID/task/TID) shows of a process, in Linux's
 * formats: the task is `t`, a thread for task/TID, whose process is its
 * group leader. Counters sysgate does not keep (page faults, code and data
 * bounds) are 0, as Linux shows them for a kernel thread.
 */
#include "errno.h"
#include "apic.h"
#include "fs.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "proc_internal.h"
#include "signal.h"
#include "spinlock.h"
#include "cred.h"
#include "compat.h"
#include "uaccess.h"
#include "stat.h"
#include "time.h"

#define SIG_IGN_HANDLER 1
#define RLIM_INFINITY (~0ul)
#define KB(bytes) ((bytes) / 1024)

static const char state_letters[] = {[TASK_RUNNABLE] = 'R', [TASK_SLEEPING] = 'S', [TASK_STOPPED] = 'T',
                                     [TASK_TRACED] = 't', [TASK_ZOMBIE] = 'Z', [TASK_DEAD] = 'X'};

static struct task *leader_of(struct task *t) { return t->group_leader ? t->group_leader : t; }

void proc_pid_comm(struct task *t, struct seq_buf *s) { seq_printf(s, "%s\n", t->comm); }

/* Bytes the process has between two addresses of its memory, as they are now. */
static void show_user_bytes(struct task *t, u64 start, u64 end, struct seq_buf *s)
{
    if (!t->mm || end <= start)
        return;
    size_t n = (size_t)(end - start);
    char *room = seq_room(s, n);
    if (room && copy_from_mm(t->mm, room, start, n))
        s->len -= n; /* unreadable: nothing, as Linux shows */
}

/* argv and envp as the process has them, NUL-separated. */
void proc_pid_cmdline(struct task *t, struct seq_buf *s)
{
    if (t->mm)
        show_user_bytes(t, t->mm->arg_start, t->mm->arg_end, s);
}

void proc_pid_environ(struct task *t, struct seq_buf *s)
{
    if (t->mm)
        show_user_bytes(t, t->mm->env_start, t->mm->env_end, s);
}

/* The auxiliary vector execve gave the program, in its word size. Read
 * from the process's stack, where Linux shows a copy: the same unless the
 * program wrote over it. */
void proc_pid_auxv(struct task *t, struct seq_buf *s)
{
    if (t->mm)
        show_user_bytes(t, t->mm->auxv_start, t->mm->auxv_end, s);
}

/* The sizes /proc/PID/status and stat report, in bytes (resident: pages). */
struct memory_use {
    u64 size, resident_pages, data, stack, exe, lib, file_pages, anon_pages, locked;
};

static void memory_use(struct mm *mm, struct memory_use *use)
{
    memset(use, 0, sizeof(*use));
    for (struct vma *v = mm ? mm->vmas : NULL; v; v = v->next) {
        u64 bytes = v->end - v->start, pages = 0;
        for (u64 va = v->start; pte_next_present(mm->pml4, &va, v->end); va += PAGE_SIZE)
            pages++;
        use->size += bytes;
        use->resident_pages += pages;
        if (v->flags & VMA_LOCKED)
            use->locked += bytes;
        if (v->file)
            use->file_pages += pages;
        else
            use->anon_pages += pages;
        if (v->flags & VMA_STACK)
            use->stack += bytes;
        else if ((v->prot & PROT_WRITE) && (v->flags & MAP_TYPE) == MAP_PRIVATE && !(v->flags & VMA_SPECIAL))
            use->data += bytes;
        else if ((v->prot & PROT_EXEC) && v->file)
            use->exe += bytes;
    }
}

static void signal_dispositions(struct task *t, u64 *ignored, u64 *caught)
{
    *ignored = *caught = 0;
    for (int sig = 1; sig <= 64 && t->sighand; sig++) {
        u64 handler = t->sighand->action[sig - 1].handler;
        if (handler == SIG_IGN_HANDLER)
            *ignored |= 1ull << (sig - 1);
        else if (handler > SIG_IGN_HANDLER)
            *caught |= 1ull << (sig - 1);
    }
}

/* Linux's 52 fields, in its order. */
void proc_pid_stat(struct task *t, struct seq_buf *s)
{
    struct task *leader = leader_of(t);
    struct task *parent = leader->parent;
    struct memory_use use;
    memory_use(t->mm, &use);
    u64 ignored, caught;
    signal_dispositions(t, &ignored, &caught);
    struct mm *mm = t->mm;
    seq_printf(s, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %lu %lu %lu %lu 20 0 %d 0 %lu %lu %lu "
                  "18446744073709551615 0 0 %lu 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 0 0 %lu %lu %lu %lu %lu 0\n",
               t->pid, t->comm, state_letters[t->state], parent ? parent->tgid : 0, leader->pgid, leader->sid,
               t->user_ns / NS_PER_CLOCK_TICK, t->system_ns / NS_PER_CLOCK_TICK,
               leader->children_user_ns / NS_PER_CLOCK_TICK, leader->children_system_ns / NS_PER_CLOCK_TICK,
               leader->live_threads, t->start_ns / NS_PER_CLOCK_TICK, use.size, use.resident_pages,
               mm ? mm->stack_top : 0, t->pending.set & 0x7fffffff, t->blocked_signals & 0x7fffffff,
               ignored & 0x7fffffff, caught & 0x7fffffff, leader->exit_signal, mm ? mm->brk_start : 0,
               mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, mm ? mm->env_start : 0, mm ? mm->env_end : 0);
}

void proc_pid_status(struct task *t, struct seq_buf *s)
{
    static const char *const names[] = {[TASK_RUNNABLE] = "R (running)", [TASK_SLEEPING] = "S (sleeping)",
                                        [TASK_STOPPED] = "T (stopped)", [TASK_ZOMBIE] = "Z (zombie)",
                                        [TASK_DEAD] = "X (dead)", [TASK_TRACED] = "t (tracing stop)"};
    struct task *leader = leader_of(t);
    struct task *parent = leader->parent;
    u64 ignored, caught;
    signal_dispositions(t, &ignored, &caught);
    const struct cred *c = task_cred(t);
    seq_printf(s,
               "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n"
               "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
               t->comm, t->fs ? t->fs->umask : 0, names[t->state], t->tgid, t->pid, parent ? parent->tgid : 0,
               t->ptracer ? t->ptracer->tgid : 0,
               c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid, t->files ? MAX_FDS : 0);
    for (int i = 0; i < c->ngroups; i++)
        seq_printf(s, i ? " %u" : "%u", c->groups[i]);
    seq_printf(s, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->tgid, t->pid, leader->pgid, leader->sid);
    if (t->mm) {
        struct memory_use use;
        memory_use(t->mm, &use);
        /* sysgate keeps no high-water marks: the peaks are the current sizes */
        seq_printf(s,
                   "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\nVmHWM:\t%8lu kB\n"
                   "VmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\nVmData:\t%8lu kB\n"
                   "VmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\nVmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n",
                   KB(use.size), KB(use.size), KB(use.locked), 0ul, KB(use.resident_pages * PAGE_SIZE),
                   KB(use.resident_pages * PAGE_SIZE), KB(use.anon_pages * PAGE_SIZE),
                   KB(use.file_pages * PAGE_SIZE), 0ul, KB(use.data), KB(use.stack), KB(use.exe), KB(use.lib), 0ul,
                   0ul);
    }
    seq_printf(s,
               "Threads:\t%d\nSigQ:\t%d/%d\nSigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
               "SigCgt:\t%016lx\nCapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n"
               "CapBnd:\t%016lx\nCapAmb:\t%016lx\nNoNewPrivs:\t%d\nSeccomp:\t%d\nSeccomp_filters:\t%d\n"
               "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n",
               leader->live_threads, t->pending.len + leader->shared_pending.len, MAX_QUEUED_SIGNALS, t->pending.set,
               leader->shared_pending.set, t->blocked_signals,
               ignored, caught, c->cap_inheritable, c->cap_permitted, c->cap_effective, c->cap_bset, c->cap_ambient,
               t->no_new_privs, t->seccomp_mode, t->seccomp_filter_count);
}

/* A maps line: Linux's columns, then the name (if any) padded to column 73. */
static void show_map_prefix(u64 start, u64 end, u32 prot, bool shared, u64 offset, u64 dev, u64 ino,
                            const char *name, struct seq_buf *s)
{
    enum { NAME_COLUMN = 73 };
    size_t line_start = s->len;
    seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", start, end, prot & PROT_READ ? 'r' : '-',
               prot & PROT_WRITE ? 'w' : '-', prot & PROT_EXEC ? 'x' : '-', shared ? 's' : 'p', offset,
               MAJOR(dev), MINOR(dev), ino);
    if (name) {
        while (s->len - line_start < NAME_COLUMN && !s->overflow)
            seq_write(s, " ", 1);
        seq_printf(s, "%s", name);
    }
    seq_write(s, "\n", 1);
}

/* A mapping's /proc/PID/maps line (path: PATH_MAX bytes of room). */
static void show_vma_line(const struct vma *v, char *path, struct seq_buf *s)
{
    struct inode *file = v->file;
    const char *name = NULL;
    if (file && inode_full_path(file, path, PATH_MAX) > 0)
        name = path;
    else if (file)
        name = "/memfd: (deleted)";
    else if (v->flags & VMA_SPECIAL)
        name = v->prot & PROT_EXEC ? "[vdso]" : "[vvar]";
    else if (v->flags & VMA_BRK)
        name = "[heap]";
    else if (v->flags & VMA_STACK)
        name = "[stack]";
    show_map_prefix(v->start, v->end, v->prot, (v->flags & MAP_TYPE) == MAP_SHARED && !(v->flags & VMA_SPECIAL),
                    file ? v->file_offset : 0, file ? file->sb->dev : 0, file ? file->ino : 0, name, s);
}

/* One line per mapping: Linux's columns, the name padded to column 73. */
void proc_pid_maps(struct task *t, struct seq_buf *s)
{
    struct mm *mm = t->mm;
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return;
    for (struct vma *v = mm ? mm->vmas : NULL; v && !s->overflow; v = v->next)
        show_vma_line(v, path, s);
    kfree(path);
}

/* ---- smaps, smaps_rollup ---- */

/* Linux's precision for the proportional set size: bytes << PSS_SHIFT. */
#define PSS_SHIFT 12

/* What smaps counts of a mapping's pages, in bytes (pss: << PSS_SHIFT). */
struct smaps_counts {
    u64 resident, shared_clean, shared_dirty, private_clean, private_dirty, referenced, anonymous, locked;
    u64 pss, pss_dirty, pss_anon, pss_file;
};

/* How many mappings a page has, as Linux's mapcount: its references, less
 * the page cache's for a file's page. */
static unsigned page_mappings(const struct vma *v, u64 pte)
{
    unsigned refs = page_refcount(pte & PTE_ADDR_MASK);
    if (v->file && refs > 1)
        refs--;
    return refs ? refs : 1;
}

/* A page mapped more than once (another process's mapping, a copy-on-write
 * copy not made yet) is shared, and each mapping's share of it is a part. */
static void smaps_count(struct mm *mm, const struct vma *v, struct smaps_counts *c)
{
    bool anonymous = !v->file && !(v->flags & VMA_SPECIAL);
    for (u64 va = v->start;; va += PAGE_SIZE) {
        u64 *pte = pte_next_present(mm->pml4, &va, v->end);
        if (!pte)
            break;
        unsigned mappings = page_mappings(v, *pte);
        bool dirty = *pte & PTE_DIRTY, shared = mappings > 1;
        u64 pss = ((u64)PAGE_SIZE << PSS_SHIFT) / mappings;
        c->resident += PAGE_SIZE;
        if (shared)
            *(dirty ? &c->shared_dirty : &c->shared_clean) += PAGE_SIZE;
        else
            *(dirty ? &c->private_dirty : &c->private_clean) += PAGE_SIZE;
        if (*pte & PTE_ACCESSED)
            c->referenced += PAGE_SIZE;
        c->pss += pss;
        if (dirty)
            c->pss_dirty += pss;
        if (anonymous) {
            c->anonymous += PAGE_SIZE;
            c->pss_anon += pss;
        } else {
            c->pss_file += pss;
        }
        if (v->flags & VMA_LOCKED)
            c->locked += pss;
    }
}

static void smaps_field(struct seq_buf *s, const char *name, u64 bytes)
{
    seq_printf(s, "%-16s%8lu kB\n", name, bytes >> 10);
}

/* The fields smaps and smaps_rollup share after their first ones; what
 * sysgate never has (swap, huge pages, KSM, lazily freed pages) is 0. */
static void smaps_common_fields(const struct smaps_counts *c, struct seq_buf *s)
{
    smaps_field(s, "Shared_Clean:", c->shared_clean);
    smaps_field(s, "Shared_Dirty:", c->shared_dirty);
    smaps_field(s, "Private_Clean:", c->private_clean);
    smaps_field(s, "Private_Dirty:", c->private_dirty);
    smaps_field(s, "Referenced:", c->referenced);
    smaps_field(s, "Anonymous:", c->anonymous);
    static const char *const never[] = {"KSM:",           "LazyFree:",       "AnonHugePages:",
                                        "ShmemPmdMapped:", "FilePmdMapped:",  "Shared_Hugetlb:",
                                        "Private_Hugetlb:", "Swap:",          "SwapPss:"};
    for (size_t i = 0; i < ARRAY_SIZE(never); i++)
        smaps_field(s, never[i], 0);
    smaps_field(s, "Locked:", c->locked >> PSS_SHIFT);
}

/* Linux's two-letter names of its VM_* flags, in the order of their bits,
 * for the ones a sysgate mapping can have. */
static void show_vm_flags(const struct vma *v, struct seq_buf *s)
{
    bool special = v->flags & VMA_SPECIAL, vvar = special && !(v->prot & PROT_EXEC);
    bool shared = (v->flags & MAP_TYPE) == MAP_SHARED && !special;
    bool writable = v->prot & PROT_WRITE;
    const struct {
        const char *name;
        bool set;
    } flags[] = {
        {"rd", v->prot & PROT_READ}, {"wr", writable},  {"ex", v->prot & PROT_EXEC}, {"sh", shared},
        {"mr", true},                {"mw", !vvar},     {"me", !vvar},               {"ms", shared},
        {"gd", v->flags & VMA_STACK}, {"pf", vvar},     {"lo", v->flags & VMA_LOCKED}, {"io", vvar},
        {"de", special},             {"ac", writable && !shared}, {"dd", vvar},
    };
    seq_printf(s, "VmFlags:");
    for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
        if (flags[i].set)
            seq_printf(s, " %s", flags[i].name);
    seq_write(s, " \n", 2);
}

void proc_pid_smaps(struct task *t, struct seq_buf *s)
{
    struct mm *mm = t->mm;
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return;
    for (struct vma *v = mm ? mm->vmas : NULL; v && !s->overflow; v = v->next) {
        struct smaps_counts c = {0};
        smaps_count(mm, v, &c);
        show_vma_line(v, path, s);
        smaps_field(s, "Size:", v->end - v->start);
        smaps_field(s, "KernelPageSize:", PAGE_SIZE);
        smaps_field(s, "MMUPageSize:", PAGE_SIZE);
        smaps_field(s, "Rss:", c.resident);
        smaps_field(s, "Pss:", c.pss >> PSS_SHIFT);
        smaps_field(s, "Pss_Dirty:", c.pss_dirty >> PSS_SHIFT);
        smaps_common_fields(&c, s);
        seq_printf(s, "%-16s%8d\n", "THPeligible:", 0);
        show_vm_flags(v, s);
    }
    kfree(path);
}

/* The sums over every mapping, under a line that spans them all. */
void proc_pid_smaps_rollup(struct task *t, struct seq_buf *s)
{
    struct mm *mm = t->mm;
    if (!mm || !mm->vmas)
        return;
    struct smaps_counts c = {0};
    u64 end = 0;
    for (struct vma *v = mm->vmas; v; v = v->next) {
        smaps_count(mm, v, &c);
        end = v->end;
    }
    show_map_prefix(mm->vmas->start, end, 0, false, 0, 0, 0, "[rollup]", s);
    smaps_field(s, "Rss:", c.resident);
    smaps_field(s, "Pss:", c.pss >> PSS_SHIFT);
    smaps_field(s, "Pss_Dirty:", c.pss_dirty >> PSS_SHIFT);
    smaps_field(s, "Pss_Anon:", c.pss_anon >> PSS_SHIFT);
    smaps_field(s, "Pss_File:", c.pss_file >> PSS_SHIFT);
    smaps_field(s, "Pss_Shmem:", 0);
    smaps_common_fields(&c, s);
}

/* ---- pagemap ---- */

/* Linux's pagemap: 8 bytes per page of the address space, at (address /
 * page size) * 8. The frame number only for whoever opened the file with
 * CAP_SYS_ADMIN (Linux since 4.2); soft-dirty, swap and the userfaultfd
 * bits are never set here. */
#define PAGEMAP_ENTRY_BYTES 8
#define PM_PRESENT (1ull << 63)
#define PM_FILE (1ull << 61) /* a file's page or shared memory, not an anonymous page */
#define PM_MMAP_EXCLUSIVE (1ull << 56)
#define PM_PFN_MASK ((1ull << 55) - 1)
#define PAGEMAP_CHUNK (PAGE_SIZE / PAGEMAP_ENTRY_BYTES)

/* Whether the opener could see frame numbers, decided once at open as on Linux. */
#define PAGEMAP_SHOWS_PFN ((void *)1)

static int pagemap_open(struct inode *inode, struct file *f)
{
    (void)inode;
    f->private = capable(CAP_SYS_ADMIN) ? PAGEMAP_SHOWS_PFN : NULL;
    return 0;
}

/* A private mapping's written page is the process's own copy: anonymous. */
static u64 pagemap_entry(struct mm *mm, u64 va, bool show_pfn)
{
    u64 *pte = pte_lookup(mm->pml4, va, false);
    if (!pte || !(*pte & PTE_PRESENT))
        return 0;
    struct vma *v = vma_find(mm, va);
    if (!v)
        return 0;
    u64 entry = PM_PRESENT;
    if (show_pfn)
        entry |= ((*pte & PTE_ADDR_MASK) / PAGE_SIZE) & PM_PFN_MASK;
    bool shared = (v->flags & MAP_TYPE) == MAP_SHARED || (v->flags & VMA_SPECIAL);
    if (shared || (v->file && !(*pte & PTE_WRITE)))
        entry |= PM_FILE;
    if (page_mappings(v, *pte) == 1)
        entry |= PM_MMAP_EXCLUSIVE;
    return entry;
}

static ssize_t pagemap_read(struct file *f, char __user *ubuf, size_t len, u64 *pos)
{
    if (*pos % PAGEMAP_ENTRY_BYTES || len % PAGEMAP_ENTRY_BYTES)
        return -EINVAL;
    struct task *t = proc_file_task(f);
    struct mm *mm = t ? t->mm : NULL;
    if (!mm)
        return 0; /* the process is gone: nothing, as Linux reads */
    u64 *chunk = kmalloc(PAGE_SIZE);
    if (!chunk)
        return -ENOMEM;
    mm_get(mm);
    u64 end = t->compat ? COMPAT_TASK_SIZE : USER_TOP;
    u64 first = *pos / PAGEMAP_ENTRY_BYTES, last = end / PAGE_SIZE;
    size_t wanted = len / PAGEMAP_ENTRY_BYTES, done = 0;
    ssize_t result = 0;
    while (done < wanted && first + done < last) {
        size_t n = MIN(MIN(wanted - done, PAGEMAP_CHUNK), last - (first + done));
        for (size_t i = 0; i < n; i++)
            chunk[i] = pagemap_entry(mm, (first + done + i) * PAGE_SIZE, f->private == PAGEMAP_SHOWS_PFN);
        if (copy_to_user(ubuf + done * PAGEMAP_ENTRY_BYTES, chunk, n * PAGEMAP_ENTRY_BYTES)) {
            result = -EFAULT;
            break;
        }
        done += n;
    }
    mm_put(mm);
    kfree(chunk);
    if (result)
        return result;
    *pos += done * PAGEMAP_ENTRY_BYTES;
    return (ssize_t)(done * PAGEMAP_ENTRY_BYTES);
}

const struct file_ops proc_pagemap_ops = {.open = pagemap_open, .read = pagemap_read, .llseek = generic_file_llseek};

void proc_pid_limits(struct task *t, struct seq_buf *s)
{
    static const struct {
        const char *name, *unit;
    } limits[RLIM_NLIMITS] = {
        {"Max cpu time", "seconds"},      {"Max file size", "bytes"},       {"Max data size", "bytes"},
        {"Max stack size", "bytes"},      {"Max core file size", "bytes"},  {"Max resident set", "bytes"},
        {"Max processes", "processes"},   {"Max open files", "files"},      {"Max locked memory", "bytes"},
        {"Max address space", "bytes"},   {"Max file locks", "locks"},      {"Max pending signals", "signals"},
        {"Max msgqueue size", "bytes"},   {"Max nice priority", NULL},      {"Max realtime priority", NULL},
        {"Max realtime timeout", "us"},
    };
    seq_printf(s, "Limit                     Soft Limit           Hard Limit           Units     \n");
    for (unsigned i = 0; i < RLIM_NLIMITS; i++) {
        u64 cur, max;
        task_rlimit(t, i, &cur, &max);
        if (cur == RLIM_INFINITY)
            seq_printf(s, "%-25s %-20s ", limits[i].name, "unlimited");
        else
            seq_printf(s, "%-25s %-20lu ", limits[i].name, cur);
        if (max == RLIM_INFINITY)
            seq_printf(s, "%-20s ", "unlimited");
        else
            seq_printf(s, "%-20lu ", max);
        if (limits[i].unit)
            seq_printf(s, "%-10s", limits[i].unit);
        seq_write(s, "\n", 1);
    }
}

void proc_pid_mountinfo(struct task *t, struct seq_buf *s)
{
    (void)t;
    mountinfo_show(s);
}

static size_t link_to_path(long len, char *buf)
{
    if (len <= 0) {
        buf[0] = 0;
        return 0;
    }
    return (size_t)len - 1; /* without its NUL */
}

size_t proc_pid_exe(struct task *t, char *buf, size_t size) { return strlcpy(buf, leader_of(t)->exe_path, size); }

size_t proc_pid_cwd(struct task *t, char *buf, size_t size)
{
    return t->fs ? link_to_path(inode_full_path(t->fs->cwd, buf, size), buf) : 0;
}

size_t proc_pid_root(struct task *t, char *buf, size_t size)
{
    (void)t;
    return strlcpy(buf, "/", size);
}

struct inode *proc_pid_cwd_inode(struct task *t) { return t->fs ? t->fs->cwd : NULL; }

struct inode *proc_pid_root_inode(struct task *t)
{
    (void)t;
    return root_inode;
}

/* ---- fd/, fdinfo/ ---- */

/* The file behind a descriptor of t's, held (file_put when done), or NULL. */
static struct file *task_file(struct task *t, long fd)
{
    struct files *files = t->files;
    if (!files || fd < 0 || fd >= MAX_FDS)
        return NULL;
    spin_lock(&files->lock);
    struct file *f = files->fd[fd];
    if (f)
        file_get(f);
    spin_unlock(&files->lock);
    return f;
}

long proc_next_fd(struct task *t, long from)
{
    struct files *files = t->files;
    long found = -1;
    if (!files || from < 0)
        return -1;
    spin_lock(&files->lock);
    for (long fd = from; fd < MAX_FDS; fd++) {
        if (files->fd[fd]) {
            found = fd;
            break;
        }
    }
    spin_unlock(&files->lock);
    return found;
}

size_t proc_pid_fd_link(struct task *t, long fd, char *buf, size_t size)
{
    struct file *f = task_file(t, fd);
    if (!f) {
        buf[0] = 0;
        return 0;
    }
    size_t len = link_to_path(file_path(f, buf, size), buf);
    file_put(f);
    return len;
}

/* The file's inode: still held by the file, which the descriptor holds. */
struct inode *proc_pid_fd_inode(struct task *t, long fd)
{
    struct file *f = task_file(t, fd);
    if (!f)
        return NULL;
    struct inode *inode = f->inode;
    file_put(f);
    return inode;
}

u32 proc_pid_fd_mode(struct task *t, long fd)
{
    struct file *f = task_file(t, fd);
    u32 mode = S_IFLNK;
    if (f) {
        u32 access = f->flags & O_ACCMODE;
        mode |= (access != O_WRONLY ? 0500 : 0) | (access != O_RDONLY ? 0300 : 0); /* r-x, -wx, rwx for the owner */
        file_put(f);
    }
    return mode;
}

void proc_pid_fdinfo(struct task *t, long fd, struct seq_buf *s)
{
    struct file *f = task_file(t, fd);
    if (!f)
        return;
    bool cloexec = t->files->cloexec[fd / 64] & (1ull << (fd % 64));
    seq_printf(s, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", f->pos, f->flags | (cloexec ? O_CLOEXEC : 0),
               mount_id_of(f->inode->sb), f->inode->ino);
    file_put(f);
}

/* ---- task/ ---- */

long proc_next_thread(struct task *t, long from)
{
    struct task *leader = leader_of(t);
    pid_t next = 0;
    for (struct task *p = task_first(); p; p = p->next_task)
        if (p->group_leader == leader && p->state != TASK_DEAD && p->pid >= from && (!next || p->pid < next))
            next = p->pid;
    return next ? next : -1;
}
