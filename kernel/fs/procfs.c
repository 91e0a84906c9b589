/*
 * /proc, the part that exists so far: files whose contents are generated when
 * they are read, in Linux's formats.
 */
#include "apic.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "uaccess.h"

typedef int (*proc_generator)(char *buf, size_t size);

static int gen_meminfo(char *buf, size_t size)
{
    u64 total = pmm_total_pages() * (PAGE_SIZE / 1024);
    u64 free = pmm_free_pages() * (PAGE_SIZE / 1024);
    return snprintf(buf, size,
                    "MemTotal:       %8lu kB\n"
                    "MemFree:        %8lu kB\n"
                    "MemAvailable:   %8lu kB\n",
                    total, free, free);
}

static int gen_uptime(char *buf, size_t size)
{
    u64 ns = monotonic_ns();
    u64 centis = ns / 10000000;
    return snprintf(buf, size, "%lu.%02lu 0.00\n", centis / 100, centis % 100);
}

static const struct {
    const char *name;
    proc_generator generate;
} proc_files[] = {
    {"meminfo", gen_meminfo},
    {"uptime", gen_uptime},
};

static ssize_t proc_read(struct file *f, char __user *ubuf, size_t len, u64 *pos)
{
    char text[1024];
    proc_generator generate = (proc_generator)f->inode->private;
    int n = generate(text, sizeof(text));
    n = MIN(n, (int)sizeof(text) - 1);
    if (*pos >= (u64)n)
        return 0;
    size_t count = MIN(len, (size_t)n - *pos);
    if (copy_to_user(ubuf, text + *pos, count))
        return -EFAULT;
    *pos += count;
    return (ssize_t)count;
}

static const struct file_ops proc_file_ops = {.read = proc_read};

void procfs_init(void)
{
    struct inode *proc;
    if (path_lookup(NULL, "/proc", true, &proc))
        proc = inode_create(root_inode, "proc", S_IFDIR | 0555);
    if (!proc)
        panic("cannot create /proc");
    for (size_t i = 0; i < ARRAY_SIZE(proc_files); i++) {
        struct inode *node = inode_create(proc, proc_files[i].name, S_IFREG | 0444);
        if (!node)
            panic("cannot create /proc");
        /* The size stays 0, as Linux reports for /proc files. */
        node->private = (void *)proc_files[i].generate;
        node->fops = &proc_file_ops;
    }
}
