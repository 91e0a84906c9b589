/*
 * /proc: files whose contents are generated when they are read, in Linux's
 * formats: meminfo, uptime, cpuinfo, mounts; a directory per process
 * (/proc/PID with exe, cmdline, comm, stat and status), made when the
 * process is and removed when it is reaped; and /proc/self.
 */
#include "apic.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "time.h"
#include "signal.h"
#include "uaccess.h"
#include "x86.h"

#define TEXT_MAX 4096

/* What a /proc file shows: a generator and, for /proc/PID files, the process. */
struct proc_entry {
    int (*generate)(struct task *t, char *buf, size_t size);
    struct task *task;
};

static struct inode *proc_root;

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

/* ---- reading ---- */

static ssize_t proc_read(struct file *f, char __user *ubuf, size_t len, u64 *pos)
{
    const struct proc_entry *e = f->inode->private;
    char *text = kmalloc(TEXT_MAX);
    if (!text)
        return -ENOMEM;
    int n = e->generate(e->task, text, TEXT_MAX);
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

static const struct file_ops proc_file_ops = {.read = proc_read};

static size_t readlink_self(const struct inode *link, char *buf, size_t size)
{
    (void)link;
    return (size_t)snprintf(buf, size, "%d", current_task()->tgid);
}

static size_t readlink_exe(const struct inode *link, char *buf, size_t size)
{
    const struct proc_entry *e = link->private;
    return strlcpy(buf, e->task->exe_path, size);
}

static const struct file_ops self_link_ops = {.readlink = readlink_self};
static const struct file_ops exe_link_ops = {.readlink = readlink_exe};

static struct inode *add_file(struct inode *dir, const char *name, int (*generate)(struct task *, char *, size_t),
                              struct task *t)
{
    struct proc_entry *e = kmalloc(sizeof(*e));
    struct inode *node = e ? inode_create(dir, name, S_IFREG | 0444) : NULL;
    if (!node) {
        kfree(e);
        return NULL;
    }
    *e = (struct proc_entry){generate, t};
    node->private = e; /* the size stays 0, as Linux reports for /proc files */
    node->fops = &proc_file_ops;
    return node;
}

void procfs_task_added(struct task *t)
{
    if (!proc_root || t->group_leader != t)
        return;
    char name[16];
    snprintf(name, sizeof(name), "%d", t->pid);
    struct inode *dir = inode_create(proc_root, name, S_IFDIR | 0555);
    if (!dir)
        return;
    add_file(dir, "cmdline", gen_cmdline, t);
    add_file(dir, "comm", gen_comm, t);
    add_file(dir, "stat", gen_stat, t);
    add_file(dir, "status", gen_status, t);
    struct proc_entry *e = kmalloc(sizeof(*e));
    struct inode *exe = e ? inode_create(dir, "exe", S_IFLNK | 0777) : NULL;
    if (exe) {
        *e = (struct proc_entry){NULL, t};
        exe->private = e;
        exe->fops = &exe_link_ops;
    } else {
        kfree(e);
    }
    t->proc_dir = dir;
}

/* Removes /proc/PID and everything in it. */
void procfs_task_removed(struct task *t)
{
    struct inode *dir = t->proc_dir;
    if (!dir)
        return;
    t->proc_dir = NULL;
    while (dir->children) {
        struct dirent_node *d = dir->children;
        kfree(d->inode->private);
        d->inode->private = NULL;
        d->inode->fops = &ramfs_file_ops;
        char name[256];
        strlcpy(name, d->name, sizeof(name));
        dir_unlink(dir, name);
    }
    char name[16];
    snprintf(name, sizeof(name), "%d", t->pid);
    dir_unlink(proc_root, name);
}

void procfs_init(void)
{
    if (path_lookup(NULL, "/proc", true, &proc_root))
        proc_root = inode_create(root_inode, "proc", S_IFDIR | 0555);
    if (!proc_root)
        panic("cannot create /proc");
    static const struct {
        const char *name;
        int (*generate)(struct task *, char *, size_t);
    } files[] = {{"meminfo", gen_meminfo}, {"uptime", gen_uptime}, {"cpuinfo", gen_cpuinfo}, {"mounts", gen_mounts}};
    for (size_t i = 0; i < ARRAY_SIZE(files); i++)
        if (!add_file(proc_root, files[i].name, files[i].generate, NULL))
            panic("cannot create /proc");
    struct inode *self = inode_create(proc_root, "self", S_IFLNK | 0777);
    if (!self)
        panic("cannot create /proc");
    self->fops = &self_link_ops;
}
