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
#include "stat.h"
#include "time.h"

#define SIG_IGN_HANDLER 1
#define RLIM_INFINITY (~0ul)
#define KB(bytes) ((bytes) / 1024)

static const char state_letters[] = {[TASK_RUNNABLE] = 'R', [TASK_SLEEPING] = 'S', [TASK_STOPPED] = 'T',
                                     [TASK_ZOMBIE] = 'Z', [TASK_DEAD] = 'X'};

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
               mm ? mm->stack_top : 0, t->pending_signals & 0x7fffffff, t->blocked_signals & 0x7fffffff,
               ignored & 0x7fffffff, caught & 0x7fffffff, leader->exit_signal, mm ? mm->brk_start : 0,
               mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, mm ? mm->env_start : 0, mm ? mm->env_end : 0);
}

void proc_pid_status(struct task *t, struct seq_buf *s)
{
    static const char *const names[] = {[TASK_RUNNABLE] = "R (running)", [TASK_SLEEPING] = "S (sleeping)",
                                        [TASK_STOPPED] = "T (stopped)", [TASK_ZOMBIE] = "Z (zombie)",
                                        [TASK_DEAD] = "X (dead)"};
    struct task *leader = leader_of(t);
    struct task *parent = leader->parent;
    u64 ignored, caught;
    signal_dispositions(t, &ignored, &caught);
    const struct cred *c = task_cred(t);
    seq_printf(s,
               "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
               "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
               t->comm, t->fs ? t->fs->umask : 0, names[t->state], t->tgid, t->pid, parent ? parent->tgid : 0,
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
               "CapBnd:\t%016lx\nCapAmb:\t%016lx\nNoNewPrivs:\t0\nSeccomp:\t0\n"
               "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n",
               leader->live_threads, t->sigqueue_len, MAX_QUEUED_SIGNALS, t->pending_signals, 0ul, t->blocked_signals,
               ignored, caught, c->cap_inheritable, c->cap_permitted, c->cap_effective, c->cap_bset, c->cap_ambient);
}

/* One line per mapping: Linux's columns, the name padded to column 73. */
void proc_pid_maps(struct task *t, struct seq_buf *s)
{
    enum { NAME_COLUMN = 73 };
    struct mm *mm = t->mm;
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return;
    for (struct vma *v = mm ? mm->vmas : NULL; v && !s->overflow; v = v->next) {
        struct inode *file = v->file;
        size_t start = s->len;
        seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->start, v->end, v->prot & PROT_READ ? 'r' : '-',
                   v->prot & PROT_WRITE ? 'w' : '-', v->prot & PROT_EXEC ? 'x' : '-',
                   (v->flags & MAP_TYPE) == MAP_SHARED && !(v->flags & VMA_SPECIAL) ? 's' : 'p',
                   file ? v->file_offset : 0, file ? MAJOR(file->sb->dev) : 0, file ? MINOR(file->sb->dev) : 0,
                   file ? file->ino : 0);
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
        if (name) {
            while (s->len - start < NAME_COLUMN && !s->overflow)
                seq_write(s, " ", 1);
            seq_printf(s, "%s", name);
        }
        seq_write(s, "\n", 1);
    }
    kfree(path);
}

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
