/*
 * procfs: a file system whose entries are made when they are looked up,
 * from what the kernel knows at that moment, in Linux's formats. Its shape
 * is data: each directory is a table of entries (a file with the function
 * that shows it, a link, or a directory with a table of its own), and some
 * directories also hold entries named by numbers that come and go (the
 * processes in the root, a process's descriptors in fd/ and fdinfo/, its
 * threads in task/): lookup and readdir ask the kernel, nothing is made
 * when a process or a descriptor is. An inode a lookup made is kept while
 * its process lives (so st_ino stays the same, and a look-up's uncounted
 * result stays valid), and dropped once nothing holds it and the process
 * is gone. A file's text is generated on each read, into a buffer that
 * grows until it fits (Linux's seq_file). What the files show is in
 * proc_pid.c (a process) and proc_system.c (the system).
 */
#include "cred.h"
#include "errno.h"
#include "fs.h"
#include "hypervisor.h"
#include "ipc.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "netdev.h"
#include "printk.h"
#include "proc.h"
#include "proc_internal.h"
#include "stat.h"
#include "uaccess.h"

#define TEXT_FIRST_SIZE 4096
#define TEXT_MAX_SIZE (1u << 20) /* a longer text is cut there */
#define PROC_SUPER_MAGIC 0x9fa0
#define FIRST_ENTRY_POS 2 /* readdir positions 0 and 1 are . and .. */
#define FD_LINK_SIZE 64   /* what stat says of /proc/PID/fd/N, as on Linux */

struct proc_dir;

struct proc_entry {
    const char *name;
    u32 mode;
    proc_show_fn *show;         /* a file: its text */
    proc_link_fn *get_link;     /* a link: its target */
    proc_follow_fn *follow;     /* a magic link: the inode it leads to */
    const struct proc_dir *dir; /* a directory: its entries */
    const struct file_ops *fops; /* a file that is no generated text: its own operations (/proc/kmsg) */
    bool (*exists)(void);        /* NULL: always there (/proc/xen: only on the hypervisor) */
};

/* Entries named by numbers: the first one from `from` on that exists now
 * (-1: none), and what each is. A directory entry's process is its number
 * (the root's /PID, task/TID); any other entry's is its directory's. */
struct proc_numbered {
    long (*next)(struct task *t, long from);
    u32 mode;
    u32 (*mode_of)(struct task *t, long n); /* when each has its own (fd/N: as the file was opened) */
    proc_show_nr_fn *show;
    proc_link_nr_fn *get_link;
    proc_follow_nr_fn *follow;
    const struct proc_dir *dir;
};

struct proc_dir {
    const struct proc_entry *entries;
    size_t count;
    const struct proc_numbered *numbered; /* NULL: none */
};
#define PROC_DIR(table, ...) {.entries = (table), .count = ARRAY_SIZE(table), __VA_ARGS__}

static size_t link_self(struct task *t, char *buf, size_t size)
{
    (void)t;
    return (size_t)snprintf(buf, size, "%d", current_task()->tgid);
}

static size_t link_thread_self(struct task *t, char *buf, size_t size)
{
    (void)t;
    struct task *me = current_task();
    return (size_t)snprintf(buf, size, "%d/task/%d", me->tgid, me->pid);
}

static size_t link_self_mounts(struct task *t, char *buf, size_t size)
{
    (void)t;
    return strlcpy(buf, "self/mounts", size);
}

/* /proc/net is the process's network, as on Linux (there is one). */
static size_t link_self_net(struct task *t, char *buf, size_t size)
{
    (void)t;
    return strlcpy(buf, "self/net", size);
}

/* The processes in the root: thread-group leaders (a thread's /proc/TID
 * can be looked up, as on Linux, but readdir lists only processes). */
static long next_pid(struct task *t, long from)
{
    (void)t;
    pid_t next = 0;
    for (struct task *p = task_first(); p; p = p->next_task)
        if (p->group_leader == p && p->state != TASK_DEAD && p->pid >= from && (!next || p->pid < next))
            next = p->pid;
    return next ? next : -1;
}

/* ---- the tree ---- */

static const struct proc_entry net_entries[] = {
    {"arp", S_IFREG | 0444, .show = netdev_arp_show},
    {"dev", S_IFREG | 0444, .show = netdev_proc_show},
    {"if_inet6", S_IFREG | 0444, .show = netdev_if_inet6_show},
    {"raw", S_IFREG | 0444, .show = raw_proc_show},
    {"raw6", S_IFREG | 0444, .show = raw6_proc_show},
    {"route", S_IFREG | 0444, .show = netdev_route_show},
    {"tcp", S_IFREG | 0444, .show = tcp4_proc_show},
    {"tcp6", S_IFREG | 0444, .show = tcp6_proc_show},
    {"udp", S_IFREG | 0444, .show = udp4_proc_show},
    {"udp6", S_IFREG | 0444, .show = udp6_proc_show},
    {"unix", S_IFREG | 0444, .show = unix_proc_show},
};
static const struct proc_dir net_dir = PROC_DIR(net_entries);

static const struct proc_numbered fd_numbered = {.next = proc_next_fd, .mode = S_IFLNK | 0700,
                                                 .mode_of = proc_pid_fd_mode, .get_link = proc_pid_fd_link,
                                                 .follow = proc_pid_fd_inode};
static const struct proc_entry no_entries[] = {};
static const struct proc_dir fd_dir = PROC_DIR(no_entries, .numbered = &fd_numbered);
static const struct proc_numbered fdinfo_numbered = {.next = proc_next_fd, .mode = S_IFREG | 0400,
                                                     .show = proc_pid_fdinfo};
static const struct proc_dir fdinfo_dir = PROC_DIR(no_entries, .numbered = &fdinfo_numbered);

/* What /proc/PID/task/TID shows of one thread. */
static const struct proc_entry thread_entries[] = {
    {"auxv", S_IFREG | 0400, .show = proc_pid_auxv},
    {"cmdline", S_IFREG | 0444, .show = proc_pid_cmdline},
    {"comm", S_IFREG | 0644, .show = proc_pid_comm},
    {"cwd", S_IFLNK | 0777, .get_link = proc_pid_cwd, .follow = proc_pid_cwd_inode},
    {"environ", S_IFREG | 0400, .show = proc_pid_environ},
    {"exe", S_IFLNK | 0777, .get_link = proc_pid_exe},
    {"fd", S_IFDIR | 0500, .dir = &fd_dir},
    {"fdinfo", S_IFDIR | 0500, .dir = &fdinfo_dir},
    {"limits", S_IFREG | 0444, .show = proc_pid_limits},
    {"maps", S_IFREG | 0444, .show = proc_pid_maps},
    {"mem", S_IFREG | 0600, .fops = &proc_pid_mem_ops},
    {"mountinfo", S_IFREG | 0444, .show = proc_pid_mountinfo},
    {"mounts", S_IFREG | 0444, .show = proc_mounts},
    {"pagemap", S_IFREG | 0400, .fops = &proc_pagemap_ops},
    {"root", S_IFLNK | 0777, .get_link = proc_pid_root, .follow = proc_pid_root_inode},
    {"smaps", S_IFREG | 0444, .show = proc_pid_smaps},
    {"stat", S_IFREG | 0444, .show = proc_pid_stat},
    {"status", S_IFREG | 0444, .show = proc_pid_status},
};
static const struct proc_dir thread_dir = PROC_DIR(thread_entries);
static const struct proc_numbered task_numbered = {.next = proc_next_thread, .mode = S_IFDIR | 0555,
                                                   .dir = &thread_dir};
static const struct proc_dir task_dir = PROC_DIR(no_entries, .numbered = &task_numbered);

static const struct proc_entry pid_entries[] = {
    {"auxv", S_IFREG | 0400, .show = proc_pid_auxv},
    {"cmdline", S_IFREG | 0444, .show = proc_pid_cmdline},
    {"comm", S_IFREG | 0644, .show = proc_pid_comm},
    {"cwd", S_IFLNK | 0777, .get_link = proc_pid_cwd, .follow = proc_pid_cwd_inode},
    {"environ", S_IFREG | 0400, .show = proc_pid_environ},
    {"exe", S_IFLNK | 0777, .get_link = proc_pid_exe},
    {"fd", S_IFDIR | 0500, .dir = &fd_dir},
    {"fdinfo", S_IFDIR | 0500, .dir = &fdinfo_dir},
    {"limits", S_IFREG | 0444, .show = proc_pid_limits},
    {"maps", S_IFREG | 0444, .show = proc_pid_maps},
    {"mem", S_IFREG | 0600, .fops = &proc_pid_mem_ops},
    {"mountinfo", S_IFREG | 0444, .show = proc_pid_mountinfo},
    {"mounts", S_IFREG | 0444, .show = proc_mounts},
    {"pagemap", S_IFREG | 0400, .fops = &proc_pagemap_ops},
    {"net", S_IFDIR | 0555, .dir = &net_dir},
    {"root", S_IFLNK | 0777, .get_link = proc_pid_root, .follow = proc_pid_root_inode},
    {"smaps", S_IFREG | 0444, .show = proc_pid_smaps},
    {"smaps_rollup", S_IFREG | 0444, .show = proc_pid_smaps_rollup},
    {"stat", S_IFREG | 0444, .show = proc_pid_stat},
    {"status", S_IFREG | 0444, .show = proc_pid_status},
    {"task", S_IFDIR | 0555, .dir = &task_dir},
    {"timers", S_IFREG | 0444, .show = proc_pid_timers},
};
static const struct proc_dir pid_dir = PROC_DIR(pid_entries);

static const struct proc_entry sys_kernel_random_entries[] = {
    {"boot_id", S_IFREG | 0444, .show = proc_sys_boot_id},
    {"uuid", S_IFREG | 0444, .show = proc_sys_uuid},
};
static const struct proc_dir sys_kernel_random_dir = PROC_DIR(sys_kernel_random_entries);

static const struct proc_entry sys_kernel_entries[] = {
    {"cap_last_cap", S_IFREG | 0444, .show = proc_sys_cap_last_cap},
    {"domainname", S_IFREG | 0644, .show = proc_sys_domainname},
    {"hostname", S_IFREG | 0644, .show = proc_sys_hostname},
    {"ngroups_max", S_IFREG | 0444, .show = proc_sys_ngroups_max},
    {"osrelease", S_IFREG | 0444, .show = proc_sys_osrelease},
    {"ostype", S_IFREG | 0444, .show = proc_sys_ostype},
    {"pid_max", S_IFREG | 0644, .show = proc_sys_pid_max},
    {"random", S_IFDIR | 0555, .dir = &sys_kernel_random_dir},
    {"tainted", S_IFREG | 0644, .show = proc_sys_tainted},
    {"threads-max", S_IFREG | 0644, .show = proc_sys_threads_max},
    {"version", S_IFREG | 0444, .show = proc_sys_version},
};
static const struct proc_dir sys_kernel_dir = PROC_DIR(sys_kernel_entries);

static const struct proc_entry sys_fs_entries[] = {
    {"file-max", S_IFREG | 0644, .show = proc_sys_file_max},
    {"nr_open", S_IFREG | 0644, .show = proc_sys_nr_open},
    {"pipe-max-size", S_IFREG | 0644, .show = proc_sys_pipe_max_size},
};
static const struct proc_dir sys_fs_dir = PROC_DIR(sys_fs_entries);

static const struct proc_entry sys_vm_entries[] = {
    {"overcommit_memory", S_IFREG | 0644, .show = proc_sys_overcommit_memory},
};
static const struct proc_dir sys_vm_dir = PROC_DIR(sys_vm_entries);

static const struct proc_entry sys_net_core_entries[] = {
    {"somaxconn", S_IFREG | 0644, .show = proc_sys_somaxconn},
};
static const struct proc_dir sys_net_core_dir = PROC_DIR(sys_net_core_entries);
static const struct proc_entry sys_net_ipv4_entries[] = {
    {"ip_local_port_range", S_IFREG | 0644, .show = proc_sys_ip_local_port_range},
    {"ping_group_range", S_IFREG | 0644, .show = ping_group_range_show},
};
static const struct proc_dir sys_net_ipv4_dir = PROC_DIR(sys_net_ipv4_entries);
static const struct proc_entry sys_net_entries[] = {
    {"core", S_IFDIR | 0555, .dir = &sys_net_core_dir},
    {"ipv4", S_IFDIR | 0555, .dir = &sys_net_ipv4_dir},
};
static const struct proc_dir sys_net_dir = PROC_DIR(sys_net_entries);

static const struct proc_entry sys_entries[] = {
    {"fs", S_IFDIR | 0555, .dir = &sys_fs_dir},
    {"kernel", S_IFDIR | 0555, .dir = &sys_kernel_dir},
    {"net", S_IFDIR | 0555, .dir = &sys_net_dir},
    {"vm", S_IFDIR | 0555, .dir = &sys_vm_dir},
};
static const struct proc_dir sys_dir = PROC_DIR(sys_entries);

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
static const struct proc_dir xen_dir = PROC_DIR(xen_entries);

static const struct proc_entry sysvipc_entries[] = {
    {"msg", S_IFREG | 0444, .show = msg_proc_show},
    {"sem", S_IFREG | 0444, .show = sem_proc_show},
    {"shm", S_IFREG | 0444, .show = shm_proc_show},
};
static const struct proc_dir sysvipc_dir = PROC_DIR(sysvipc_entries);

static const struct proc_entry root_entries[] = {
    {"cmdline", S_IFREG | 0444, .show = proc_cmdline},
    {"cpuinfo", S_IFREG | 0444, .show = proc_cpuinfo},
    {"filesystems", S_IFREG | 0444, .show = proc_filesystems},
    {"kmsg", S_IFREG | 0400, .fops = &proc_kmsg_ops},
    {"loadavg", S_IFREG | 0444, .show = proc_loadavg},
    {"meminfo", S_IFREG | 0444, .show = proc_meminfo},
    {"mounts", S_IFLNK | 0777, .get_link = link_self_mounts},
    {"net", S_IFLNK | 0777, .get_link = link_self_net},
    {"self", S_IFLNK | 0777, .get_link = link_self},
    {"stat", S_IFREG | 0444, .show = proc_stat},
    {"swaps", S_IFREG | 0444, .show = proc_swaps},
    {"sys", S_IFDIR | 0555, .dir = &sys_dir},
    {"sysvipc", S_IFDIR | 0555, .dir = &sysvipc_dir},
    {"thread-self", S_IFLNK | 0777, .get_link = link_thread_self},
    {"uptime", S_IFREG | 0444, .show = proc_uptime},
    {"version", S_IFREG | 0444, .show = proc_version},
    {"xen", S_IFDIR | 0555, .dir = &xen_dir, .exists = hypervisor_present},
};
static const struct proc_numbered pid_numbered = {.next = next_pid, .mode = S_IFDIR | 0555, .dir = &pid_dir};
static const struct proc_dir root_dir = PROC_DIR(root_entries, .numbered = &pid_numbered);

/* ---- inodes ---- */

struct proc_inode {
    struct inode vfs;
    pid_t pid;                      /* the process (or thread) it shows; 0: none */
    const struct proc_dir *in;      /* the directory listing it; NULL for the root */
    const struct proc_entry *entry; /* its line in that directory's table; NULL: a numbered entry */
    long number;                    /* a numbered entry's */
    const struct proc_dir *dir;     /* a directory's own entries */
    struct proc_inode *next;        /* the inodes procfs keeps */
};

static struct proc_inode *PROC_I(struct inode *inode) { return container_of(inode, struct proc_inode, vfs); }

static struct super_block *proc_sb;
static struct proc_inode *kept; /* every live procfs inode */

/* The task a /proc/PID (or task/TID) inode shows, or NULL once it is gone. */
static struct task *proc_task(pid_t pid)
{
    struct task *t = task_find(pid);
    return t && t->state != TASK_DEAD ? t : NULL;
}

/* Whether a numbered entry still exists (a descriptor still open...). */
static bool numbered_exists(const struct proc_dir *dir, struct task *t, long n)
{
    return n >= 0 && dir->numbered->next(t, n) == n;
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

/* Whether what an inode shows is gone: its process, or its descriptor
 * (a numbered entry that is no process's own directory). */
static bool proc_inode_stale(struct proc_inode *pi)
{
    if (!pi->pid)
        return false; /* the system's entries stay */
    struct task *t = proc_task(pi->pid);
    if (!t)
        return true;
    bool numbered_file = !pi->entry && pi->in && !pi->in->numbered->dir;
    return numbered_file && !numbered_exists(pi->in, t, pi->number);
}

struct task *proc_file_task(struct file *f)
{
    struct proc_inode *pi = PROC_I(f->inode);
    return pi->pid && !proc_inode_stale(pi) ? proc_task(pi->pid) : NULL;
}

static bool proc_drop_inode(struct inode *inode) { return proc_inode_stale(PROC_I(inode)); }

static const struct super_operations proc_super_ops = {
    .alloc_inode = proc_alloc_inode,
    .destroy_inode = proc_destroy_inode,
    .drop_inode = proc_drop_inode,
    .statfs = statfs_ram,
};

/* Frees the stale inodes that nothing holds. Only those: any other may be a
 * look-up's uncounted result the caller is still using. */
static void prune(void)
{
    for (bool freed = true; freed;) {
        freed = false;
        for (struct proc_inode *pi = kept; pi; pi = pi->next) {
            if (use_count_read(&pi->vfs.refs) == 0 && proc_inode_stale(pi)) {
                inode_release(&pi->vfs);
                freed = true; /* the list changed */
                break;
            }
        }
    }
}

static const struct inode_operations proc_dir_iops, proc_link_iops, proc_magic_link_iops;
static const struct file_ops proc_dir_fops, proc_file_fops, proc_entry_fops;

/* The inode of an entry of `in` (a table's line, or the numbered entry
 * `number` when `entry` is NULL), the one kept if there is one. `pid` is
 * the directory's process. */
static struct inode *proc_inode(struct inode *parent, const struct proc_dir *in, const struct proc_entry *entry,
                                long number, pid_t pid)
{
    const struct proc_numbered *numbered = entry ? NULL : in->numbered;
    if (numbered && numbered->dir)
        pid = (pid_t)number; /* /proc/PID, task/TID */
    prune();
    for (struct proc_inode *pi = kept; pi; pi = pi->next)
        if (pi->in == in && pi->entry == entry && pi->pid == pid && (entry || pi->number == number))
            return &pi->vfs;
    u32 mode = entry ? entry->mode : numbered->mode;
    struct task *t = numbered && numbered->mode_of ? proc_task(pid) : NULL;
    if (t)
        mode = numbered->mode_of(t, number);
    struct inode *inode = inode_alloc(proc_sb, mode);
    if (!inode)
        return NULL;
    struct task *owner = pid ? proc_task(pid) : NULL;
    if (owner) { /* a process's entries are its effective ids' */
        inode->uid = task_cred(owner)->euid;
        inode->gid = task_cred(owner)->egid;
    }
    struct proc_inode *pi = PROC_I(inode);
    pi->pid = pid;
    pi->in = in;
    pi->entry = entry;
    pi->number = number;
    if (S_ISDIR(mode)) {
        pi->dir = entry ? entry->dir : numbered->dir;
        inode->iops = &proc_dir_iops;
        inode->fops = &proc_dir_fops;
    } else if (S_ISLNK(mode)) {
        bool magic = entry ? entry->follow != NULL : numbered->follow != NULL;
        inode->iops = magic ? &proc_magic_link_iops : &proc_link_iops;
        if (numbered)
            inode->size = FD_LINK_SIZE;
    } else {
        /* the size stays 0, as Linux reports; a process's files have no mmap (ENODEV), the others refuse it */
        inode->fops = entry && entry->fops ? entry->fops : pid ? &proc_file_fops : &proc_entry_fops;
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

/* A name that is a number as Linux writes them (no sign, no leading zero), or -1. */
static long number_named(const char *name, size_t len)
{
    long n = 0;
    if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        n = n * 10 + (name[i] - '0');
    }
    return n;
}

static struct inode *proc_dir_lookup(struct inode *dir, const char *name, size_t len)
{
    struct proc_inode *pi = PROC_I(dir);
    struct task *t = pi->pid ? proc_task(pi->pid) : NULL;
    if (pi->pid && !t)
        return NULL;
    const struct proc_entry *e = entry_named(pi->dir, name, len);
    if (e)
        return proc_inode(dir, pi->dir, e, 0, pi->pid);
    const struct proc_numbered *numbered = pi->dir->numbered;
    long n = numbered ? number_named(name, len) : -1;
    if (n < 0)
        return NULL;
    /* The root finds any thread by its id; readdir lists only processes. */
    bool exists = pi->dir == &root_dir ? n > 0 && proc_task((pid_t)n) : numbered_exists(pi->dir, t, n);
    return exists ? proc_inode(dir, pi->dir, NULL, n, pi->pid) : NULL;
}

/* Readdir positions: the table's entries from FIRST_ENTRY_POS, then each
 * numbered entry at its number past them, so that a walk resumes right as
 * entries come and go. */
static int proc_dir_iterate(struct inode *dir, struct dir_context *ctx)
{
    struct proc_inode *pi = PROC_I(dir);
    struct task *t = pi->pid ? proc_task(pi->pid) : NULL;
    if (pi->pid && !t)
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
        struct inode *inode = proc_inode(dir, d, e, 0, pi->pid);
        if (!inode)
            return -ENOMEM;
        if (!ctx->emit(ctx, e->name, strlen(e->name), inode->ino, e->mode))
            return 0;
        ctx->pos = pos + 1;
    }
    if (!d->numbered)
        return 0;
    u64 first = FIRST_ENTRY_POS + d->count;
    for (;;) {
        long n = d->numbered->next(t, ctx->pos < first ? 0 : (long)(ctx->pos - first));
        if (n < 0)
            return 0;
        ctx->pos = first + (u64)n;
        struct inode *inode = proc_inode(dir, d, NULL, n, pi->pid);
        if (!inode)
            return -ENOMEM;
        char name[16];
        int len = snprintf(name, sizeof(name), "%ld", n);
        if (!ctx->emit(ctx, name, (size_t)len, inode->ino, d->numbered->mode))
            return 0;
        ctx->pos++;
    }
}

static size_t proc_get_link(struct inode *link, char *buf, size_t size)
{
    struct proc_inode *pi = PROC_I(link);
    struct task *t = pi->pid ? proc_task(pi->pid) : NULL;
    size_t len = 0;
    if (!pi->pid || t)
        len = pi->entry ? pi->entry->get_link(t, buf, size) : pi->in->numbered->get_link(t, pi->number, buf, size);
    if (!len)
        buf[0] = 0;
    return len;
}

static struct inode *proc_follow_magic(struct inode *link)
{
    struct proc_inode *pi = PROC_I(link);
    struct task *t = proc_task(pi->pid);
    if (!t)
        return NULL;
    return pi->entry ? pi->entry->follow(t) : pi->in->numbered->follow(t, pi->number);
}

/* ---- reading ---- */

/* The entry's text, generated again into a larger buffer until it fits. */
static char *proc_generate(struct proc_inode *pi, struct task *t, size_t *len)
{
    for (size_t size = TEXT_FIRST_SIZE;; size *= 2) {
        struct seq_buf s = {.buf = kmalloc(size), .size = size};
        if (!s.buf)
            return NULL;
        if (pi->entry)
            pi->entry->show(t, &s);
        else
            pi->in->numbered->show(t, pi->number, &s);
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
    if (proc_inode_stale(pi))
        return -ENOENT; /* the descriptor was closed */
    size_t text_len;
    char *text = proc_generate(pi, t, &text_len);
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

/* The files outside /proc/PID are Linux's proc_dir_entry files, which refuse
 * mmap with EIO; /proc/PID's have no mmap at all (ENODEV, the VFS's default). */
static int proc_entry_mmap(struct file *f)
{
    (void)f;
    return -EIO;
}

static const struct inode_operations proc_dir_iops = {.lookup = proc_dir_lookup};
static const struct inode_operations proc_link_iops = {.get_link = proc_get_link};
static const struct inode_operations proc_magic_link_iops = {.get_link = proc_get_link,
                                                             .follow_magic = proc_follow_magic};
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
    proc_sb->stores_nothing = true;
    PROC_I(root)->dir = &root_dir;
    root->iops = &proc_dir_iops;
    root->fops = &proc_dir_fops;
    root->parent = root;
    proc_sb->root = root;
    register_filesystem(&proc_type);
}
