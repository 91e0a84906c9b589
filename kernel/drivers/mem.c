/* /dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom (and the
 * number of /dev/kmsg, whose driver is drivers/kmsg.c). */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "printk.h"
#include "random.h"
#include "tty.h"
#include "uaccess.h"

static ssize_t null_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    return 0;
}

static ssize_t sink_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)buf, (void)pos;
    return (ssize_t)len;
}

static ssize_t full_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    return -ENOSPC;
}

static ssize_t zero_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)pos;
    return clear_user(buf, len) ? -EFAULT : (ssize_t)len;
}

static ssize_t random_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)pos;
    return random_to_user(buf, len);
}

static const struct file_ops null_ops = {.read = null_read, .write = sink_write};
static const struct file_ops zero_ops = {.read = zero_read, .write = sink_write};
static const struct file_ops full_ops = {.read = zero_read, .write = full_write};
static const struct file_ops random_ops = {.read = random_read, .write = sink_write};

void mem_devices_init(void)
{
    char_device_register(DEV_NULL, &null_ops);
    char_device_register(DEV_ZERO, &zero_ops);
    char_device_register(DEV_FULL, &full_ops);
    char_device_register(DEV_RANDOM, &random_ops);
    char_device_register(DEV_URANDOM, &random_ops);
    char_device_register(DEV_KMSG, &devkmsg_ops); /* Linux's mem driver has /dev/kmsg too */
}
