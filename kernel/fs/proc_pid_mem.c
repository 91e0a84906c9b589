/*
 * /proc/PID/mem: the process's address space as a file, the offset being
 * the address, as Linux's mem_rw. Debuggers (gdb) read and write a tracee
 * through it: reads reach what the process may read, writes go where
 * PTRACE_POKEDATA would (a breakpoint in code is a private copy of the
 * page). The address space is the one the process had when the file was
 * opened; once it has exec'd or ended, reads and writes find nothing.
 */
#include "errno.h"
#include "fs.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "proc_internal.h"
#include "ptrace.h"
#include "uaccess.h"

/* Linux moves at most a page through the kernel at a time. */
#define MEM_CHUNK PAGE_SIZE

/* Opening takes the access a tracer needs (PTRACE_MODE_ATTACH); a process
 * may always open its own. */
static int mem_open(struct inode *inode, struct file *f)
{
    (void)inode;
    struct task *t = proc_file_task(f);
    if (!t || !t->mm)
        return -ESRCH;
    if (t->tgid != current_task()->tgid && !ptrace_may_attach(t))
        return -EACCES;
    mm_get(t->mm);
    f->private = t->mm;
    return 0;
}

static void mem_release(struct file *f)
{
    if (f->private)
        mm_put(f->private);
}

/* The bytes moved, or -EIO when none could be (an unmapped address). */
static ssize_t mem_rw(struct file *f, char __user *ubuf, size_t len, u64 *pos, bool write)
{
    struct mm *mm = f->private;
    if (!mm)
        return 0;
    u8 *chunk = kmalloc(MEM_CHUNK);
    if (!chunk)
        return -ENOMEM;
    u64 addr = *pos;
    size_t done = 0;
    ssize_t err = 0;
    while (done < len) {
        size_t n = MIN(len - done, MEM_CHUNK - (addr & (MEM_CHUNK - 1)));
        if (write) {
            if (copy_from_user(chunk, ubuf + done, n)) {
                err = -EFAULT;
                break;
            }
            if (ptrace_poke_forced(mm, addr, chunk, n)) {
                err = -EIO;
                break;
            }
        } else {
            if (copy_from_mm(mm, chunk, addr, n)) {
                err = -EIO;
                break;
            }
            if (copy_to_user(ubuf + done, chunk, n)) {
                err = -EFAULT;
                break;
            }
        }
        done += n, addr += n;
    }
    kfree(chunk);
    *pos = addr;
    return done ? (ssize_t)done : err;
}

static ssize_t mem_read(struct file *f, char __user *ubuf, size_t len, u64 *pos)
{
    return mem_rw(f, ubuf, len, pos, false);
}

static ssize_t mem_write(struct file *f, const char __user *ubuf, size_t len, u64 *pos)
{
    return mem_rw(f, (char __user *)ubuf, len, pos, true);
}

const struct file_ops proc_pid_mem_ops = {.open = mem_open,
                                          .release = mem_release,
                                          .read = mem_read,
                                          .write = mem_write,
                                          .llseek = generic_file_llseek};
