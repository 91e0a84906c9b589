/*
 * /dev/cpu/N/msr (character major 202, minor N): the model-specific
 * registers of CPU N, with Linux's interface (arch/x86/kernel/msr.c), so that
 * `rdmsr` shows the gates the kernel programmed (STAR, LSTAR, CSTAR, FMASK,
 * SYSENTER_CS/ESP/EIP). A read at offset R gives MSR R (the offset's low 32
 * bits) as 8 little-endian bytes, repeated for a longer read; a count that
 * is not a multiple of 8 is EINVAL, an MSR whose rdmsr faults is EIO, a CPU
 * that does not exist ENXIO at open.
 *
 * Writes are refused with EPERM, as Linux refuses them under
 * msr.allow_writes=off or lockdown: the registers hold the kernel's own entry
 * points and per-CPU pointers, and nothing in sysgate needs them changed
 * from user space. Only root may open the node (mode 0600; every process is
 * root in sysgate, which has no credentials yet, so Linux's CAP_SYS_RAWIO
 * check always passes).
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "tty.h"
#include "uaccess.h"
#include "x86.h"

#define ONLINE_CPUS 1 /* the boot CPU is the only one (entry/percpu.c) */
#define MSR_SIZE 8
#define SEEK_SET 0
#define SEEK_CUR 1

/* rdmsr that turns the #GP of an MSR the CPU lacks into -EIO, through the
 * exception-fixup table (entry/traps.c): a fault resumes at label 2 with
 * `err` still -EIO. */
static int rdmsr_safe(u32 msr, u64 *value)
{
    u32 low = 0, high = 0;
    int err = -EIO;
    __asm__ volatile("1: rdmsr\n"
                     "   movl $0, %2\n"
                     "2:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+a"(low), "+d"(high), "+r"(err)
                     : "c"(msr));
    *value = (u64)high << 32 | low;
    return err;
}

static int msr_open(struct inode *inode, struct file *f)
{
    (void)f;
    unsigned cpu = inode->rdev & 0xff;
    return cpu < ONLINE_CPUS ? 0 : -ENXIO;
}

static ssize_t msr_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f;
    u32 msr = (u32)*pos;
    if (len % MSR_SIZE)
        return -EINVAL;
    ssize_t done = 0;
    int err = 0;
    for (; len; len -= MSR_SIZE) {
        u64 value;
        err = rdmsr_safe(msr, &value);
        if (err)
            break;
        if (copy_to_user(buf + done, &value, MSR_SIZE)) {
            err = -EFAULT;
            break;
        }
        done += MSR_SIZE;
    }
    return done ? done : err;
}

static ssize_t msr_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    return -EPERM;
}

/* Linux's msr_seek: SEEK_SET and SEEK_CUR only, with any offset (an MSR index). */
static s64 msr_llseek(struct file *f, s64 offset, unsigned whence)
{
    switch (whence) {
    case SEEK_SET: f->pos = (u64)offset; break;
    case SEEK_CUR: f->pos += (u64)offset; break;
    default: return -EINVAL;
    }
    return (s64)f->pos;
}

static const struct file_ops msr_ops = {
    .open = msr_open,
    .read = msr_read,
    .write = msr_write,
    .llseek = msr_llseek,
};

void msr_devices_init(void)
{
    for (unsigned cpu = 0; cpu < ONLINE_CPUS; cpu++)
        char_device_register(MKDEV(MSR_MAJOR, cpu), &msr_ops);
}
