/*
 * signalfd: the calling thread's pending signals of a mask, read as struct
 * signalfd_siginfo (Linux's semantics). A read takes signals off the same
 * per-thread siginfo queue that delivery uses (signal_dequeue), so a signal
 * read is never delivered, and one not read stays pending for delivery;
 * programs block the mask first, as on Linux. Reads, poll and epoll wait on
 * the signalfd's own queue, which signal_send_info wakes through
 * signalfd_notify for each signal of its mask: the queue lives exactly as
 * long as the file, whichever thread or process sends or reads.
 */
#include "anon_inodes.h"
#include "apic.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "uaccess.h"

#define SFD_CLOEXEC O_CLOEXEC
#define SFD_NONBLOCK O_NONBLOCK
#define SIGSET_SIZE 8
#define UNCATCHABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

struct signalfd_siginfo {
    u32 ssi_signo;
    s32 ssi_errno, ssi_code;
    u32 ssi_pid, ssi_uid;
    s32 ssi_fd;
    u32 ssi_tid, ssi_band, ssi_overrun, ssi_trapno;
    s32 ssi_status, ssi_int;
    u64 ssi_ptr, ssi_utime, ssi_stime, ssi_addr;
    u16 ssi_addr_lsb, pad2;
    s32 ssi_syscall;
    u64 ssi_call_addr;
    u32 ssi_arch;
    u8 pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

struct signalfd {
    u64 mask; /* read with interrupts off: signalfd_notify runs from interrupts too */
    struct wait_queue wait;
    struct signalfd *next; /* all signalfds, for signalfd_notify */
};

/* Every signalfd; guarded by interrupts being off (one CPU). */
static struct signalfd *signalfds;

void signalfd_notify(int sig)
{
    for (struct signalfd *s = signalfds; s; s = s->next)
        if (s->mask & SIGBIT(sig))
            wake_up_all(&s->wait);
}

static void to_signalfd_siginfo(const struct ksiginfo *k, struct signalfd_siginfo *out)
{
    memset(out, 0, sizeof(*out));
    out->ssi_signo = (u32)k->si_signo;
    out->ssi_errno = k->si_errno;
    out->ssi_code = k->si_code;
    switch (siginfo_layout(k->si_signo, k->si_code)) {
    case LAYOUT_CHLD:
        out->ssi_pid = (u32)k->chld.pid;
        out->ssi_uid = k->chld.uid;
        out->ssi_status = k->chld.status;
        out->ssi_utime = (u64)k->chld.utime;
        out->ssi_stime = (u64)k->chld.stime;
        break;
    case LAYOUT_FAULT: out->ssi_addr = k->fault.addr; break;
    case LAYOUT_SYS:
        out->ssi_call_addr = k->sys.call_addr;
        out->ssi_syscall = k->sys.syscall;
        out->ssi_arch = k->sys.arch;
        break;
    case LAYOUT_POLL:
        out->ssi_band = (u32)k->poll.band;
        out->ssi_fd = k->poll.fd;
        break;
    case LAYOUT_TIMER:
        out->ssi_tid = (u32)k->timer.tid;
        out->ssi_overrun = (u32)k->timer.overrun;
        out->ssi_ptr = k->timer.value;
        out->ssi_int = (s32)k->timer.value;
        break;
    case LAYOUT_RT:
        out->ssi_pid = (u32)k->rt.pid;
        out->ssi_uid = k->rt.uid;
        /* Linux's kill layout (SI_USER, the kernel's) carries no value. */
        if (k->si_code < 0) {
            out->ssi_ptr = k->rt.value;
            out->ssi_int = (s32)k->rt.value;
        }
        break;
    }
}

/* The first signal waits (unless O_NONBLOCK); more are taken while pending. */
static ssize_t signalfd_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    struct signalfd *s = f->private;
    size_t count = len / sizeof(struct signalfd_siginfo);
    if (!count)
        return -EINVAL;
    size_t done = 0;
    long err = 0;
    bool nonblock = f->flags & O_NONBLOCK;
    while (done < count) {
        struct ksiginfo info;
        u64 flags = irq_save();
        int sig;
        while (!(sig = signal_dequeue(s->mask, &info))) {
            if (nonblock) {
                err = -EAGAIN;
                break;
            }
            err = wait_sleep(&s->wait, NULL, WAIT_NO_DEADLINE);
            if (err)
                break;
        }
        irq_restore(flags);
        if (!sig)
            break;
        struct signalfd_siginfo out;
        to_signalfd_siginfo(&info, &out);
        if (copy_to_user(buf + done * sizeof(out), &out, sizeof(out))) {
            err = -EFAULT;
            break;
        }
        done++;
        nonblock = true;
    }
    return done ? (ssize_t)(done * sizeof(struct signalfd_siginfo)) : err;
}

static unsigned signalfd_poll(struct file *f, struct poll_table *table)
{
    struct signalfd *s = f->private;
    poll_wait(f, &s->wait, table);
    return signals_pending(current_task()) & s->mask ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *f)
{
    struct signalfd *s = f->private;
    u64 flags = irq_save();
    for (struct signalfd **link = &signalfds; *link; link = &(*link)->next)
        if (*link == s) {
            *link = s->next;
            break;
        }
    irq_restore(flags);
    kfree(s);
}

static const struct file_ops signalfd_ops = {
    .read = signalfd_read,
    .poll = signalfd_poll,
    .release = signalfd_release,
    .llseek = anon_noop_llseek,
};

long sys_signalfd4(int ufd, const u64 __user *umask, u64 sizemask, int flags)
{
    if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
        return -EINVAL;
    if (sizemask != SIGSET_SIZE)
        return -EINVAL;
    u64 mask;
    if (copy_from_user(&mask, umask, sizeof(mask)))
        return -EFAULT;
    mask &= ~UNCATCHABLE;
    if (ufd != -1) {
        struct file *f = fdget(ufd);
        if (!f)
            return -EBADF;
        if (f->ops != &signalfd_ops) {
            fdput(f);
            return -EINVAL;
        }
        struct signalfd *s = f->private;
        u64 irq = irq_save();
        s->mask = mask;
        irq_restore(irq);
        /* A reader may be waiting for a signal the new mask has pending. */
        wake_up_all(&s->wait);
        fdput(f);
        return ufd;
    }
    struct signalfd *s = kzalloc(sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->mask = mask;
    int fd = anon_inode_getfd("[signalfd]", &signalfd_ops, s, O_RDWR | (flags & (SFD_NONBLOCK | SFD_CLOEXEC)));
    if (fd < 0) {
        kfree(s);
        return fd;
    }
    u64 irq = irq_save();
    s->next = signalfds;
    signalfds = s;
    irq_restore(irq);
    return fd;
}

long sys_signalfd(int ufd, const u64 __user *umask, u64 sizemask) { return sys_signalfd4(ufd, umask, sizemask, 0); }
