/* Character devices by number, how their nodes open, and devtmpfs, the /dev that names them. */
#include "errno.h"
#include "fs.h"
#include "hypervisor.h"
#include "lib.h"
#include "tty.h"

#define MAX_CHAR_DEVICES 32

static struct {
    u32 rdev;
    const struct file_ops *ops;
} char_devices[MAX_CHAR_DEVICES];
static int char_device_count;

void char_device_register(u32 rdev, const struct file_ops *ops)
{
    BUG_ON(char_device_count == MAX_CHAR_DEVICES);
    char_devices[char_device_count].rdev = rdev;
    char_devices[char_device_count].ops = ops;
    char_device_count++;
}

static int no_such_device_open(struct inode *inode, struct file *f)
{
    (void)inode, (void)f;
    return -ENXIO;
}

/* A node whose number no driver claims does not open, as on Linux: ENXIO. */
static const struct file_ops missing_device_ops = {.open = no_such_device_open};

const struct file_ops *char_device_ops(u32 rdev)
{
    for (int i = 0; i < char_device_count; i++)
        if (char_devices[i].rdev == rdev)
            return char_devices[i].ops;
    return &missing_device_ops;
}

/* A device node opens as its driver: the driver's operations replace these. */
static int chrdev_open(struct inode *inode, struct file *f)
{
    f->ops = char_device_ops(inode->rdev);
    if (f->ops->open)
        return f->ops->open(inode, f);
    return 0;
}

const struct file_ops chrdev_file_ops = {.open = chrdev_open};
/* sysgate has no block devices: a block node never opens. */
const struct file_ops blkdev_file_ops = {.open = no_such_device_open};

/* ---- devtmpfs: one instance of ramfs, holding the kernel's device nodes ---- */

#define TMPFS_MAGIC 0x01021994 /* Linux's devtmpfs is a tmpfs too */

static struct super_block *devtmpfs_sb;

static struct super_block *devtmpfs_mount(struct file_system_type *type, const char *options, long *err)
{
    (void)type, (void)options;
    *err = 0;
    return devtmpfs_sb;
}

static struct file_system_type devtmpfs_type = {.name = "devtmpfs", .mount = devtmpfs_mount};

static void make_node(struct inode *dir, const char *name, u32 mode, u32 rdev)
{
    if (vfs_create(dir, name, mode, rdev, NULL))
        panic("out of memory creating /dev");
}

void devices_init(void)
{
    devtmpfs_sb = ramfs_super_create(&devtmpfs_type, 0755, TMPFS_MAGIC);
    if (!devtmpfs_sb)
        panic("cannot create /dev");
    register_filesystem(&devtmpfs_type);
    struct inode *dev = devtmpfs_sb->root;
    make_node(dev, "null", S_IFCHR | 0666, DEV_NULL);
    make_node(dev, "zero", S_IFCHR | 0666, DEV_ZERO);
    make_node(dev, "full", S_IFCHR | 0666, DEV_FULL);
    make_node(dev, "random", S_IFCHR | 0666, DEV_RANDOM);
    make_node(dev, "urandom", S_IFCHR | 0666, DEV_URANDOM);
    make_node(dev, "tty", S_IFCHR | 0666, DEV_TTY);
    make_node(dev, "console", S_IFCHR | 0600, DEV_CONSOLE);
    make_node(dev, "ttyS0", S_IFCHR | 0660, DEV_TTYS0);
    make_node(dev, "kmsg", S_IFCHR | 0644, DEV_KMSG);
    struct inode *cpu = inode_create(dev, "cpu", S_IFDIR | 0755);
    struct inode *cpu0 = cpu ? inode_create(cpu, "0", S_IFDIR | 0755) : NULL;
    if (!cpu0)
        panic("out of memory creating /dev");
    make_node(cpu0, "msr", S_IFCHR | 0600, MKDEV(MSR_MAJOR, 0));
    struct inode *host = inode_create(dev, "sysgate", S_IFDIR | 0755);
    if (!host)
        panic("out of memory creating /dev");
    make_node(host, "stdin", S_IFCHR | 0600, DEV_HOST_STDIN);
    make_node(host, "stdout", S_IFCHR | 0600, DEV_HOST_STDOUT);
    make_node(host, "stderr", S_IFCHR | 0600, DEV_HOST_STDERR);
    if (vfs_symlink(dev, "fd", "/proc/self/fd"))
        panic("out of memory creating /dev");
    if (hypervisor_present()) {
        struct inode *xen = inode_create(dev, "xen", S_IFDIR | 0755);
        if (!xen)
            panic("out of memory creating /dev");
        make_node(xen, "privcmd", S_IFCHR | 0600, DEV_XEN_PRIVCMD);
    }
}
