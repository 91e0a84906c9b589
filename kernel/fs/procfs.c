/*
 * procfs: a file system whose entries are made when they are looked up,
 * from what the kernel knows at that moment, in Linux's formats: meminfo,
 * uptime, cpuinfo, mounts and self at the root, and a directory per process
 * (/proc/PID with exe, cmdline, comm, stat and status), there because the
 * process exists (until it is reaped). Nothing is made when a process is:
 * lookup and readdir ask the task list. An inode a lookup made is kept while
 * its process lives (so st_ino stays the same, and a look-up's uncounted
 * result stays valid), and dropped once nothing holds it and the process
 * is gone. File contents are generated on each read.
 */
#include "apic.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "time.h"
#include "signal.h"
#include "stat.h"
#include "uaccess.h"
#include "x86.h"

#define TEXT_MAX 4096

static int gen_meminfo(struct task *t, char *buf, size_t size)
{
    (void)t;
    u64 total = pmm_total_pages() * (PAGE_SIZE / 1024);
    u64 free = pmm_free_pages() * (PAGE_SIZE / 1024);
    return snprintf(buf, size,
                    "MemTotal:       %8lu kB\n"
                    "MemFree:        %8lu kB\n"
                    "MemAvailable:   %8lu kB\n",
                    total, free, free);
}

static int gen_uptime(struct task *t, char *buf, size_t size)
{
    (void)t;
    u64 centis = monotonic_ns() / 10000000;
    return snprintf(buf, size, "%lu.%02lu 0.00\n", centis / 100, centis % 100);
}

static int gen_cpuinfo(struct task *t, char *buf, size_t size)
{
    (void)t;
    u32 regs[12], a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    u32 vendor[4] = {b, d, c, 0};
    for (u32 i = 0; i < 3; i++)
        cpuid(0x80000002 + i, 0, &regs[i * 4], &regs[i * 4 + 1], &regs[i * 4 + 2], &regs[i * 4 + 3]);
    char model[49];
    memcpy(model, regs, 48);
    model[48] = 0;
    cpuid(1, 0, &a, &b, &c, &d);
    return snprintf(buf, size,
                    "processor\t: 0\n"
                    "vendor_id\t: %s\n"
                    "cpu family\t: %u\n"
                    "model\t\t: %u\n"
                    "model name\t: %s\n"
                    "stepping\t: %u\n\n",
                    (char *)vendor, (a >> 8) & 0xf, (a >> 4) & 0xf, model, a & 0xf);
}

static int gen_mounts(struct task *t, char *buf, size_t size)
{
    (void)t;
    return mounts_text(buf, size);
}

/* ---- /proc/PID ---- */

static const char state_letters[] = {[TASK_RUNNABLE] = 'R', [TASK_SLEEPING] = 'S', [TASK_STOPPED] = 'T',
                                     [TASK_ZOMBIE] = 'Z', [TASK_DEAD] = 'X'};

static int gen_comm(struct task *t, char *buf, size_t size) { return snprintf(buf, size, "%s\n", t->comm); }

/* argv as the process has it, NUL-separated, read from its own memory. */
static int gen_cmdline(struct task *t, char *buf, size_t size)
{
    if (!t->mm || !t->mm->arg_end)
        return 0;
    size_t n = MIN((size_t)(t->mm->arg_end - t->mm->arg_start), size);
    return copy_from_mm(t->mm, buf, t->mm->arg_start, n) ? 0 : (int)n;
}

/* Mapped bytes and resident pages of an address space. */
static void memory_use(struct mm *mm, u64 *virtual_bytes, u64 *resident_pages)
{
    *virtual_bytes = *resident_pages = 0;
    for (struct vma *v = mm ? mm->vmas : NULL; v; v = v->next) {
        *virtual_bytes += v->end - v->start;
        u64 va = v->start;
        while (pte_next_present(mm->pml4, &va, v->end)) {
            (*resident_pages)++;
            va += PAGE_SIZE;
        }
    }
}

/* Linux's 52 fields, in its order; counters sysgate does not keep (page
 * faults, start time, code and data bounds) are 0. */
static int gen_stat(struct task *t, char *buf, size_t size)
{
    struct task *parent = t->parent;
    u64 vsize, rss;
    memory_use(t->mm, &vsize, &rss);
    u64 ignored = 0, caught = 0;
    for (int sig = 1; sig <= 64 && t->sighand; sig++) {
        u64 handler = t->sighand->action[sig - 1].handler;
        if (handler == 1 /* SIG_IGN */)
            ignored |= 1ull << (sig - 1);
        else if (handler > 1)
            caught |= 1ull << (sig - 1);
    }
    return snprintf(buf, size,
                    "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %lu %lu %lu %lu 20 0 %d 0 0 %lu %lu "
                    "18446744073709551615 0 0 0 0 0 %lu %lu %lu %lu 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                    t->pid, t->comm, state_letters[t->state], parent ? parent->tgid : 0, t->pgid, t->sid,
                    t->user_ns / NS_PER_CLOCK_TICK, t->system_ns / NS_PER_CLOCK_TICK,
                    t->children_user_ns / NS_PER_CLOCK_TICK, t->children_system_ns / NS_PER_CLOCK_TICK, t->live_threads,
                    vsize, rss, t->pending_signals & 0x7fffffff, t->blocked_signals & 0x7fffffff,
                    ignored & 0x7fffffff, caught & 0x7fffffff);
}

static int gen_status(struct task *t, char *buf, size_t size)
{
    static const char *const names[] = {[TASK_RUNNABLE] = "R (running)", [TASK_SLEEPING] = "S (sleeping)",
                                        [TASK_STOPPED] = "T (stopped)", [TASK_ZOMBIE] = "Z (zombie)",
                                        [TASK_DEAD] = "X (dead)"};
    struct task *parent = t->parent;
    return snprintf(buf, size,
                    "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
                    "Threads:\t%d\nSigPnd:\t%016lx\nSigBlk:\t%016lx\n",
                    t->comm, names[t->state], t->tgid, t->pid, parent ? parent->tgid : 0, t->live_threads,
                    t->pending_signals, t->blocked_signals);
}

/* ---- the entries ---- */

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_ROOT_INO 1
/* /proc/PID's inodes: numbered from the pid, so that they are the same each time they are made. */
#define PID_INO(pid, entry) (((u64)(pid) << 8) | (u64)(entry)) /* pids from 1: above the root's numbers */
#define PID_DIR_ENTRY 0xff

struct proc_entry {
    const char *name;
    u32 mode;
    int (*generate)(struct task *t, char *buf, size_t size); /* files */
    size_t (*get_link)(struct task *t, char *buf, size_t size); /* links */
};

static size_t link_self(struct task *t, char *buf, size_t size)
{
    (void)t;
    return (size_t)snprintf(buf, size, "%d", current_task()->tgid);
}

static size_t link_exe(struct task *t, char *buf, size_t size) { return strlcpy(buf, t->exe_path, size); }

static const struct proc_entry root_entries[] = {
    {"meminfo", S_IFREG | 0444, gen_meminfo, NULL},
    {"uptime", S_IFREG | 0444, gen_uptime, NULL},
    {"cpuinfo", S_IFREG | 0444, gen_cpuinfo, NULL},
    {"mounts", S_IFREG | 0444, gen_mounts, NULL},
    {"self", S_IFLNK | 0777, NULL, link_self},
};

static const struct proc_entry pid_entries[] = {
    {"cmdline", S_IFREG | 0444, gen_cmdline, NULL},
    {"comm", S_IFREG | 0444, gen_comm, NULL},
    {"stat", S_IFREG | 0444, gen_stat, NULL},
    {"status", S_IFREG | 0444, gen_status, NULL},
    {"exe", S_IFLNK | 0777, NULL, link_exe},
};

/* Readdir positions: the root's entries from 2, then each process at its pid past them. */
#define FIRST_PID_POS (2 + ARRAY_SIZE(root_entries))

struct proc_inode {
    struct inode vfs;
    const struct proc_entry *entry; /* NULL: the root or a /proc/PID directory */
    pid_t pid;                      /* 0: the root's own entries */
    struct proc_inode *next;        /* the inodes procfs keeps */
};

static struct proc_inode *PROC_I(struct inode *inode) { return container_of(inode, struct proc_inode, vfs); }

static struct super_block *proc_sb;
static struct proc_inode *kept; /* every live procfs inode */

/* The process a /proc/PID inode shows, or NULL once it was reaped. */
static struct task *proc_task(pid_t pid)
{
    struct task *t = task_find(pid);
    return t && t->group_leader == t ? t : NULL;
}

static struct inode *proc_alloc_inode(struct super_block *sb)
{
    (void)sb;
    struct proc_inode *pi = kzalloc(sizeof(*pi));
    if (!pi)
        return NULL;
    pi->next = kept;
    kept = pi;
    return &pi->vfs;
}

static void proc_destroy_inode(struct inode *inode)
{
    struct proc_inode *pi = PROC_I(inode);
    for (struct proc_inode **link = &kept; *link; link = &(*link)->next) {
        if (*link == pi) {
            *link = pi->next;
            break;
        }
    }
    kfree(pi);
}

/* The root's entries stay; a process's go with the process. */
static bool proc_drop_inode(struct inode *inode)
{
    pid_t pid = PROC_I(inode)->pid;
    return pid && !proc_task(pid);
}

static const struct super_operations proc_super_ops = {
    .alloc_inode = proc_alloc_inode,
    .destroy_inode = proc_destroy_inode,
    .drop_inode = proc_drop_inode,
    .statfs = statfs_ram,
};

/* Frees the inodes of reaped processes that nothing holds. Only those: any
 * other may be a look-up's uncounted result the caller is still using. */
static void prune(void)
{
    for (bool freed = true; freed;) {
        freed = false;
        for (struct proc_inode *pi = kept; pi; pi = pi->next) {
            if (pi->pid && use_count_read(&pi->vfs.refs) == 0 && !proc_task(pi->pid)) {
                inode_release(&pi->vfs);
                freed = true; /* the list changed */
                break;
            }
        }
    }
}

static const struct inode_operations proc_root_iops, proc_pid_iops, proc_link_iops;
static const struct file_ops proc_root_fops, proc_pid_fops, proc_file_fops, proc_entry_fops;

/* The inode for an entry, the one kept if there is one. */
static struct inode *proc_inode(struct inode *dir, const struct proc_entry *entry, pid_t pid, u64 ino)
{
    prune();
    for (struct proc_inode *pi = kept; pi; pi = pi->next)
        if (pi->vfs.ino == ino)
            return &pi->vfs;
    u32 mode = entry ? entry->mode : S_IFDIR | 0555;
    struct inode *inode = inode_alloc(proc_sb, mode);
    if (!inode)
        return NULL;
    struct proc_inode *pi = PROC_I(inode);
    pi->entry = entry;
    pi->pid = pid;
    inode->ino = ino;
    if (S_ISDIR(mode)) {
        inode->iops = &proc_pid_iops;
        inode->fops = &proc_pid_fops;
    } else if (S_ISLNK(mode)) {
        inode->iops = &proc_link_iops;
    } else {
        inode->fops = pid ? &proc_file_fops : &proc_entry_fops; /* the size stays 0, as Linux reports */
    }
    inode_set_parent(inode, dir);
    return inode;
}

static const struct proc_entry *entry_named(const struct proc_entry *table, size_t count, const char *name, size_t len)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(table[i].name) == len && !memcmp(table[i].name, name, len))
            return &table[i];
    return NULL;
}

static pid_t pid_named(const char *name, size_t len)
{
    pid_t pid = 0;
    if (len == 0 || len > 9 || name[0] == '0')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9')
            return 0;
        pid = pid * 10 + (name[i] - '0');
    }
    return pid;
}

static struct inode *proc_root_lookup(struct inode *dir, const char *name, size_t len)
{
    const struct proc_entry *e = entry_named(root_entries, ARRAY_SIZE(root_entries), name, len);
    if (e)
        return proc_inode(dir, e, 0, (u64)(e - root_entries) + 2);
    pid_t pid = pid_named(name, len);
    if (!pid || !proc_task(pid))
        return NULL;
    return proc_inode(dir, NULL, pid, PID_INO(pid, PID_DIR_ENTRY));
}

static struct inode *proc_pid_lookup(struct inode *dir, const char *name, size_t len)
{
    pid_t pid = PROC_I(dir)->pid;
    const struct proc_entry *e = entry_named(pid_entries, ARRAY_SIZE(pid_entries), name, len);
    if (!e || !proc_task(pid))
        return NULL;
    return proc_inode(dir, e, pid, PID_INO(pid, e - pid_entries));
}

/* The root's entries, then the processes in order of pid (positions past
 * FIRST_PID_POS are pids, so a walk resumes right as processes come and go). */
static int proc_root_iterate(struct inode *dir, struct dir_context *ctx)
{
    (void)dir;
    prune();
    for (u64 i = 0; i < ARRAY_SIZE(root_entries); i++) {
        if (i + 2 < ctx->pos)
            continue;
        ctx->pos = i + 2;
        if (!ctx->emit(ctx, root_entries[i].name, strlen(root_entries[i].name), i + 2, root_entries[i].mode))
            return 0;
        ctx->pos = i + 3;
    }
    for (;;) {
        pid_t from = (pid_t)(ctx->pos - FIRST_PID_POS), next = 0;
        for (struct task *t = task_first(); t; t = t->next_task)
            if (t->group_leader == t && t->state != TASK_DEAD && t->pid >= from && (!next || t->pid < next))
                next = t->pid;
        if (!next)
            return 0;
        char name[16];
        int len = snprintf(name, sizeof(name), "%d", next);
        ctx->pos = FIRST_PID_POS + (u64)next;
        if (!ctx->emit(ctx, name, (size_t)len, PID_INO(next, PID_DIR_ENTRY), S_IFDIR | 0555))
            return 0;
        ctx->pos++;
    }
}

static int proc_pid_iterate(struct inode *dir, struct dir_context *ctx)
{
    pid_t pid = PROC_I(dir)->pid;
    if (!proc_task(pid))
        return -ENOENT;
    for (u64 i = 0; i < ARRAY_SIZE(pid_entries); i++) {
        if (i + 2 < ctx->pos)
            continue;
        ctx->pos = i + 2;
        if (!ctx->emit(ctx, pid_entries[i].name, strlen(pid_entries[i].name), PID_INO(pid, i), pid_entries[i].mode))
            return 0;
        ctx->pos = i + 3;
    }
    return 0;
}

static size_t proc_get_link(struct inode *link, char *buf, size_t size)
{
    struct proc_inode *pi = PROC_I(link);
    struct task *t = pi->pid ? proc_task(pi->pid) : NULL;
    if (pi->pid && !t) {
        buf[0] = 0;
        return 0;
    }
    return pi->entry->get_link(t, buf, size);
}

/* ---- reading ---- */

static ssize_t proc_read(struct file *f, char __user *ubuf, size_t len, u64 *pos)
{
    struct proc_inode *pi = PROC_I(f->inode);
    struct task *t = pi->pid ? proc_task(pi->pid) : NULL;
    if (pi->pid && !t)
        return -ESRCH; /* the process was reaped, as Linux says */
    char *text = kmalloc(TEXT_MAX);
    if (!text)
        return -ENOMEM;
    int n = pi->entry->generate(t, text, TEXT_MAX);
    n = MIN(n, TEXT_MAX - 1);
    ssize_t result = 0;
    if (*pos < (u64)n) {
        size_t count = MIN(len, (size_t)n - *pos);
        result = copy_to_user(ubuf, text + *pos, count) ? -EFAULT : (ssize_t)count;
        if (result > 0)
            *pos += (u64)result;
    }
    kfree(text);
    return result;
}

static ssize_t proc_dir_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    return -EISDIR;
}

/* The root's files are Linux's proc_dir_entry files, which refuse mmap with
 * EIO; /proc/PID's have no mmap at all (ENODEV, the VFS's default). */
static int proc_entry_mmap(struct file *f)
{
    (void)f;
    return -EIO;
}

static const struct inode_operations proc_root_iops = {.lookup = proc_root_lookup};
static const struct inode_operations proc_pid_iops = {.lookup = proc_pid_lookup};
static const struct inode_operations proc_link_iops = {.get_link = proc_get_link};
static const struct file_ops proc_root_fops = {.read = proc_dir_read, .llseek = generic_file_llseek,
                                               .iterate = proc_root_iterate};
static const struct file_ops proc_pid_fops = {.read = proc_dir_read, .llseek = generic_file_llseek,
                                              .iterate = proc_pid_iterate};
static const struct file_ops proc_file_fops = {.read = proc_read, .llseek = generic_file_llseek};
static const struct file_ops proc_entry_fops = {.read = proc_read, .llseek = generic_file_llseek,
                                                .mmap = proc_entry_mmap};

/* proc: the one instance, wherever and however often it is mounted. */
static struct super_block *proc_mount(struct file_system_type *type, const char *options, long *err)
{
    (void)type, (void)options;
    *err = 0;
    return proc_sb;
}

static struct file_system_type proc_type = {.name = "proc", .mount = proc_mount};

void procfs_init(void)
{
    proc_sb = super_create(&proc_type, &proc_super_ops, PROC_SUPER_MAGIC);
    struct inode *root = proc_sb ? inode_alloc(proc_sb, S_IFDIR | 0555) : NULL;
    if (!root)
        panic("cannot create /proc");
    root->ino = PROC_ROOT_INO;
    root->iops = &proc_root_iops;
    root->fops = &proc_root_fops;
    root->parent = root;
    proc_sb->root = root;
    register_filesystem(&proc_type);
}
