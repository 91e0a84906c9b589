/*
 * procfs: a file system whose entries are made when they are looked up,
 * from what the kernel knows at that moment, in Linux's formats. Its shape
 * is data: each directory is a table of entries (a file with the function
 * that shows it, a link, or a directory with its own table), and the root
 * also holds a directory per process, there because the process exists
 * (until it is reaped): lookup and readdir ask the task list, nothing is
 * made when a process is. An inode a lookup made is kept while its process
 * lives (so st_ino stays the same, and a look-up's uncounted result stays
 * valid), and dropped once nothing holds it and the process is gone. A
 * file's text is generated on each read, into a buffer that grows until it
 * fits (Linux's seq_file).
 */
#include "apic.h"
#include "errno.h"
#include "fs.h"
#include "hypervisor.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "proc.h"
#include "seq_buf.h"
#include "time.h"
#include "signal.h"
#include "stat.h"
#include "uaccess.h"
#include "x86.h"

#define TEXT_FIRST_SIZE 4096
#define TEXT_MAX_SIZE (1u << 20) /* a longer text is cut there */

static void show_meminfo(struct task *t, struct seq_buf *s)
{
    (void)t;
    u64 total = pmm_total_pages() * (PAGE_SIZE / 1024);
    u64 free = pmm_free_pages() * (PAGE_SIZE / 1024);
    seq_printf(s,
               "MemTotal:       %8lu kB\n"
               "MemFree:        %8lu kB\n"
               "MemAvailable:   %8lu kB\n",
               total, free, free);
}

static void show_uptime(struct task *t, struct seq_buf *s)
{
    (void)t;
    u64 centis = monotonic_ns() / 10000000;
    seq_printf(s, "%lu.%02lu 0.00\n", centis / 100, centis % 100);
}

static void show_cpuinfo(struct task *t, struct seq_buf *s)
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
    seq_printf(s,
               "processor\t: 0\n"
               "vendor_id\t: %s\n"
               "cpu family\t: %u\n"
               "model\t\t: %u\n"
               "model name\t: %s\n"
               "stepping\t: %u\n\n",
               (char *)vendor, (a >> 8) & 0xf, (a >> 4) & 0xf, model, a & 0xf);
}

static void show_mounts(struct task *t, struct seq_buf *s)
{
    (void)t;
    mounts_show(s);
}

/* ---- /proc/PID ---- */

static const char state_letters[] = {[TASK_RUNNABLE] = 'R', [TASK_SLEEPING] = 'S', [TASK_STOPPED] = 'T',
                                     [TASK_ZOMBIE] = 'Z', [TASK_DEAD] = 'X'};

static void show_comm(struct task *t, struct seq_buf *s) { seq_printf(s, "%s\n", t->comm); }

/* argv as the process has it, NUL-separated, read from its own memory. */
static void show_cmdline(struct task *t, struct seq_buf *s)
{
    if (!t->mm || !t->mm->arg_end)
        return;
    size_t n = (size_t)(t->mm->arg_end - t->mm->arg_start);
    char *room = seq_room(s, n);
    if (room && copy_from_mm(t->mm, room, t->mm->arg_start, n))
        s->len -= n; /* unreadable: nothing, as Linux shows */
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
static void show_stat(struct task *t, struct seq_buf *s)
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
    seq_printf(s,
               "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %lu %lu %lu %lu 20 0 %d 0 0 %lu %lu "
               "18446744073709551615 0 0 0 0 0 %lu %lu %lu %lu 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
               t->pid, t->comm, state_letters[t->state], parent ? parent->tgid : 0, t->pgid, t->sid,
               t->user_ns / NS_PER_CLOCK_TICK, t->system_ns / NS_PER_CLOCK_TICK,
               t->children_user_ns / NS_PER_CLOCK_TICK, t->children_system_ns / NS_PER_CLOCK_TICK, t->live_threads,
               vsize, rss, t->pending_signals & 0x7fffffff, t->blocked_signals & 0x7fffffff,
               ignored & 0x7fffffff, caught & 0x7fffffff);
}

static void show_status(struct task *t, struct seq_buf *s)
{
    static const char *const names[] = {[TASK_RUNNABLE] = "R (running)", [TASK_SLEEPING] = "S (sleeping)",
                                   [TASK_STOPPED] = "T (stopped)", [TASK_ZOMBIE] = "Z (zombie)",
                                   [TASK_DEAD] = "X (dead)"};
    struct task *parent = t->parent;
    seq_printf(s,
               "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
               "Threads:\t%d\nSigPnd:\t%016lx\nSigBlk:\t%016lx\n",
               t->comm, names[t->state], t->tgid, t->pid, parent ? parent->tgid : 0, t->live_threads,
               t->pending_signals, t->blocked_signals);
}

/* ---- the entries ---- */

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_ROOT_INO 1
#define FIRST_ENTRY_POS 2 /* readdir positions 0 and 1 are . and .. */

struct proc_dir;

struct proc_entry {
    const char *name;
    u32 mode;
    void (*show)(struct task *t, struct seq_buf *s);            /* a file: its text */
    size_t (*get_link)(struct task *t, char *buf, size_t size); /* a link: its target */
    const struct proc_dir *dir;                                 /* a directory: its entries */
    const struct file_ops *fops;   /* a file that is a driver's (/proc/xen/privcmd), not a text */
    bool (*exists)(void);          /* NULL: always there */
};

/* A directory's entries; `id` keeps its entries' inode numbers apart from
 * those of the other directories. */
struct proc_dir {
    u8 id;
    const struct proc_entry *entries;
    size_t count;
};
#define PROC_DIR(dir_id, table) {.id = (dir_id), .entries = (table), .count = ARRAY_SIZE(table)}

/* Inode numbers come from the process (0 for none), the directory and the
 * place in it, so that an entry has the same number each time it is made. */
#define PROC_INO(pid, dir_id, pos) (((u64)(pid) << 16) | ((u64)(dir_id) << 8) | (u64)(pos))
#define PID_DIR_POS 0xff /* /proc/PID itself, in the root directory */
enum { ROOT_DIR_ID, PID_DIR_ID, NET_DIR_ID, XEN_DIR_ID };

static size_t link_self(struct task *t, char *buf, size_t size)
{
    (void)t;
    return (size_t)snprintf(buf, size, "%d", current_task()->tgid);
}

/* /proc/net is the process's network, as on Linux (there is one). */
static size_t link_self_net(struct task *t, char *buf, size_t size)
{
    (void)t;
    return strlcpy(buf, "self/net", size);
}

static size_t link_exe(struct task *t, char *buf, size_t size) { return strlcpy(buf, t->exe_path, size); }

static const struct proc_entry net_entries[] = {
};
static const struct proc_dir net_dir = PROC_DIR(NET_DIR_ID, net_entries);

/* /proc/xen, Linux's xenfs: there when the kernel runs on the hypervisor. */
static void show_xen_capabilities(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "control_d\n"); /* the hypervisor's control domain, as Linux's dom0 says */
}

static const struct proc_entry xen_entries[] = {
    {"capabilities", S_IFREG | 0444, .show = show_xen_capabilities},
    {"privcmd", S_IFREG | 0600, .fops = &privcmd_ops},
};
static const struct proc_dir xen_dir = PROC_DIR(XEN_DIR_ID, xen_entries);

static const struct proc_entry root_entries[] = {
    {"meminfo", S_IFREG | 0444, .show = show_meminfo},
    {"uptime", S_IFREG | 0444, .show = show_uptime},
    {"cpuinfo", S_IFREG | 0444, .show = show_cpuinfo},
    {"mounts", S_IFREG | 0444, .show = show_mounts},
    {"self", S_IFLNK | 0777, .get_link = link_self},
    {"net", S_IFLNK | 0777, .get_link = link_self_net},
    {"xen", S_IFDIR | 0555, .dir = &xen_dir, .exists = hypervisor_present},
};
static const struct proc_dir root_dir = PROC_DIR(ROOT_DIR_ID, root_entries);

static const struct proc_entry pid_entries[] = {
    {"cmdline", S_IFREG | 0444, .show = show_cmdline},
    {"comm", S_IFREG | 0444, .show = show_comm},
    {"stat", S_IFREG | 0444, .show = show_stat},
    {"status", S_IFREG | 0444, .show = show_status},
    {"exe", S_IFLNK | 0777, .get_link = link_exe},
    {"net", S_IFDIR | 0555, .dir = &net_dir},
};
static const struct proc_dir pid_dir = PROC_DIR(PID_DIR_ID, pid_entries);

/* Readdir positions in the root: its entries from FIRST_ENTRY_POS, then each process at its pid past them. */
#define FIRST_PID_POS (FIRST_ENTRY_POS + ARRAY_SIZE(root_entries))

struct proc_inode {
    struct inode vfs;
    const struct proc_entry *entry; /* NULL: the root or a /proc/PID directory */
    const struct proc_dir *dir;     /* a directory's entries */
    pid_t pid;                      /* 0: not a process's */
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

static const struct inode_operations proc_dir_iops, proc_link_iops;
static const struct file_ops proc_dir_fops, proc_file_fops, proc_entry_fops;

/* The inode for an entry of `dir` (for /proc/PID itself, entry NULL and dir
 * the root), the one kept if there is one. */
static struct inode *proc_inode(struct inode *parent, const struct proc_dir *dir, const struct proc_entry *entry,
                                pid_t pid)
{
    u64 ino = entry ? PROC_INO(pid, dir->id, (u64)(entry - dir->entries) + FIRST_ENTRY_POS)
                    : PROC_INO(pid, ROOT_DIR_ID, PID_DIR_POS);
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
        pi->dir = entry ? entry->dir : &pid_dir;
        inode->iops = &proc_dir_iops;
        inode->fops = &proc_dir_fops;
    } else if (S_ISLNK(mode)) {
        inode->iops = &proc_link_iops;
    } else {
        /* the size stays 0, as Linux reports */
        inode->fops = entry->fops ? entry->fops : dir == &pid_dir ? &proc_file_fops : &proc_entry_fops;
    }
    inode_set_parent(inode, parent);
    return inode;
}

static const struct proc_entry *entry_named(const struct proc_dir *dir, const char *name, size_t len)
{
    for (size_t i = 0; i < dir->count; i++)
        if (strlen(dir->entries[i].name) == len && !memcmp(dir->entries[i].name, name, len) &&
            (!dir->entries[i].exists || dir->entries[i].exists()))
            return &dir->entries[i];
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

/* A directory's entries, and in the root the processes too. */
static struct inode *proc_dir_lookup(struct inode *dir, const char *name, size_t len)
{
    struct proc_inode *pi = PROC_I(dir);
    if (pi->pid && !proc_task(pi->pid))
        return NULL;
    const struct proc_entry *e = entry_named(pi->dir, name, len);
    if (e)
        return proc_inode(dir, pi->dir, e, pi->pid);
    pid_t pid = pi->dir == &root_dir ? pid_named(name, len) : 0;
    if (!pid || !proc_task(pid))
        return NULL;
    return proc_inode(dir, &root_dir, NULL, pid);
}

/* The processes, in order of pid (positions past FIRST_PID_POS are pids, so
 * a walk resumes right as processes come and go). */
static int proc_iterate_pids(struct dir_context *ctx)
{
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
        if (!ctx->emit(ctx, name, (size_t)len, PROC_INO(next, ROOT_DIR_ID, PID_DIR_POS), S_IFDIR | 0555))
            return 0;
        ctx->pos++;
    }
}

static int proc_dir_iterate(struct inode *dir, struct dir_context *ctx)
{
    struct proc_inode *pi = PROC_I(dir);
    if (pi->pid && !proc_task(pi->pid))
        return -ENOENT;
    prune();
    const struct proc_dir *d = pi->dir;
    for (u64 i = 0; i < d->count; i++) {
        u64 pos = i + FIRST_ENTRY_POS;
        if (pos < ctx->pos)
            continue;
        ctx->pos = pos;
        const struct proc_entry *e = &d->entries[i];
        if (e->exists && !e->exists()) {
            ctx->pos = pos + 1;
            continue;
        }
        if (!ctx->emit(ctx, e->name, strlen(e->name), PROC_INO(pi->pid, d->id, pos), e->mode))
            return 0;
        ctx->pos = pos + 1;
    }
    return d == &root_dir ? proc_iterate_pids(ctx) : 0;
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

/* The entry's text, generated again into a larger buffer until it fits. */
static char *proc_generate(const struct proc_entry *entry, struct task *t, size_t *len)
{
    for (size_t size = TEXT_FIRST_SIZE;; size *= 2) {
        struct seq_buf s = {.buf = kmalloc(size), .size = size};
        if (!s.buf)
            return NULL;
        entry->show(t, &s);
        if (!s.overflow || size >= TEXT_MAX_SIZE) {
            *len = s.len;
            return s.buf;
        }
        kfree(s.buf);
    }
}

static ssize_t proc_read(struct file *f, char __user *ubuf, size_t len, u64 *pos)
{
    struct proc_inode *pi = PROC_I(f->inode);
    struct task *t = pi->pid ? proc_task(pi->pid) : NULL;
    if (pi->pid && !t)
        return -ESRCH; /* the process was reaped, as Linux says */
    size_t text_len;
    char *text = proc_generate(pi->entry, t, &text_len);
    if (!text)
        return -ENOMEM;
    ssize_t result = 0;
    if (*pos < text_len) {
        size_t count = MIN(len, text_len - *pos);
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

/* The files outside /proc/PID are Linux's proc_dir_entry files, which refuse mmap with
 * EIO; /proc/PID's have no mmap at all (ENODEV, the VFS's default). */
static int proc_entry_mmap(struct file *f)
{
    (void)f;
    return -EIO;
}

static const struct inode_operations proc_dir_iops = {.lookup = proc_dir_lookup};
static const struct inode_operations proc_link_iops = {.get_link = proc_get_link};
static const struct file_ops proc_dir_fops = {.read = proc_dir_read, .llseek = generic_file_llseek,
                                              .iterate = proc_dir_iterate};
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
    PROC_I(root)->dir = &root_dir;
    root->iops = &proc_dir_iops;
    root->fops = &proc_dir_fops;
    root->parent = root;
    proc_sb->root = root;
    register_filesystem(&proc_type);
}
