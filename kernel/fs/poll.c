/*
 * poll, ppoll, select and pselect6 over the drivers' poll callbacks. A waiter
 * sleeps on the timer tick and looks again, so readiness is noticed within a
 * tick; regular files and most devices are always ready.
 */
#include "apic.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "time.h"
#include "uaccess.h"

#define MAX_POLL_FDS 1024

struct pollfd {
    s32 fd;
    s16 events, revents;
};

static unsigned file_events(struct file *f)
{
    if (f->ops && f->ops->poll)
        return f->ops->poll(f);
    return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

/* Waits until ready() says so, the deadline passes (0: never; -1 ns: do not
 * wait at all) or a signal comes. */
static long wait_until(bool (*ready)(void *), void *arg, s64 timeout_ns)
{
    u64 deadline = timeout_ns > 0 ? monotonic_ns() + (u64)timeout_ns : 0;
    for (;;) {
        if (ready(arg))
            return 1;
        if (timeout_ns < 0 || (deadline && monotonic_ns() >= deadline))
            return 0;
        if (sleep_on(clock_channel()))
            return -ERESTARTSYS;
    }
}

struct poll_state {
    struct pollfd *fds;
    u32 count;
    int ready;
};

static bool poll_ready(void *arg)
{
    struct poll_state *s = arg;
    s->ready = 0;
    for (u32 i = 0; i < s->count; i++) {
        struct pollfd *p = &s->fds[i];
        p->revents = 0;
        if (p->fd < 0)
            continue;
        struct file *f = fd_get(p->fd);
        unsigned ev = f ? file_events(f) : POLLNVAL;
        p->revents = (s16)(ev & ((u16)p->events | POLLERR | POLLHUP | POLLNVAL));
        if (p->revents)
            s->ready++;
    }
    return s->ready > 0;
}

static long do_poll(struct pollfd __user *ufds, u32 nfds, s64 timeout_ns)
{
    if (nfds > MAX_POLL_FDS)
        return -EINVAL;
    struct pollfd *fds = kmalloc(sizeof(*fds) * (nfds ? nfds : 1));
    if (!fds)
        return -ENOMEM;
    if (copy_from_user(fds, ufds, sizeof(*fds) * nfds)) {
        kfree(fds);
        return -EFAULT;
    }
    struct poll_state s = {fds, nfds, 0};
    long err = wait_until(poll_ready, &s, timeout_ns);
    if (err >= 0 && copy_to_user(ufds, fds, sizeof(*fds) * nfds))
        err = -EFAULT;
    kfree(fds);
    if (err == -ERESTARTSYS)
        return -EINTR;
    return err < 0 ? err : s.ready;
}

long sys_poll(struct pollfd __user *fds, u32 nfds, int timeout_ms)
{
    return do_poll(fds, nfds, timeout_ms < 0 ? 0 : timeout_ms == 0 ? -1 : (s64)timeout_ms * 1000000);
}


/* A timeout of zero means "do not wait", none means forever. */
static long timeout_from_user(const struct timespec_k __user *uts, s64 *ns)
{
    if (!uts) {
        *ns = 0;
        return 0;
    }
    struct timespec_k ts;
    if (copy_from_user(&ts, uts, sizeof(ts)))
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
        return -EINVAL;
    *ns = ts.tv_sec * 1000000000ll + ts.tv_nsec;
    if (*ns == 0)
        *ns = -1;
    return 0;
}

/* ppoll and pselect6 swap in a signal mask for the wait. */
static long with_sigmask(const u64 __user *umask, u64 size, long (*wait)(void *), void *arg)
{
    struct task *t = current_task();
    u64 old = t->blocked_signals;
    if (umask) {
        u64 mask;
        if (size != 8)
            return -EINVAL;
        if (copy_from_user(&mask, umask, sizeof(mask)))
            return -EFAULT;
        t->blocked_signals = mask & ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
    }
    long result = wait(arg);
    if (umask) {
        if (result == -EINTR) {
            t->saved_mask = old; /* restored after the handler runs */
            t->saved_mask_valid = true;
        } else {
            t->blocked_signals = old;
        }
    }
    return result;
}

struct ppoll_args {
    struct pollfd __user *fds;
    u32 nfds;
    s64 timeout_ns;
};

static long ppoll_wait(void *arg)
{
    struct ppoll_args *a = arg;
    return do_poll(a->fds, a->nfds, a->timeout_ns);
}

long poll_timed(struct pollfd __user *fds, u32 nfds, s64 timeout_ns, const u64 __user *sigmask, u64 size)
{
    struct ppoll_args a = {fds, nfds, timeout_ns};
    return with_sigmask(sigmask, size, ppoll_wait, &a);
}

long sys_ppoll(struct pollfd __user *fds, u32 nfds, const struct timespec_k __user *tsp, const u64 __user *sigmask,
               u64 size)
{
    s64 timeout_ns;
    long err = timeout_from_user(tsp, &timeout_ns);
    return err ?: poll_timed(fds, nfds, timeout_ns, sigmask, size);
}

/* ---- select ---- */

#define FD_SETSIZE 1024

struct select_state {
    u32 nfds;
    u64 in[FD_SETSIZE / 64], out[FD_SETSIZE / 64], ex[FD_SETSIZE / 64];
    u64 rin[FD_SETSIZE / 64], rout[FD_SETSIZE / 64], rex[FD_SETSIZE / 64];
    int ready;
};

static bool select_ready(void *arg)
{
    struct select_state *s = arg;
    s->ready = 0;
    memset(s->rin, 0, sizeof(s->rin));
    memset(s->rout, 0, sizeof(s->rout));
    memset(s->rex, 0, sizeof(s->rex));
    for (u32 fd = 0; fd < s->nfds; fd++) {
        u64 bit = 1ull << (fd % 64);
        u32 w = fd / 64;
        if (!((s->in[w] | s->out[w] | s->ex[w]) & bit))
            continue;
        struct file *f = fd_get((int)fd);
        if (!f)
            continue;
        unsigned ev = file_events(f);
        if ((s->in[w] & bit) && (ev & (POLLIN | POLLHUP | POLLERR)))
            s->rin[w] |= bit, s->ready++;
        if ((s->out[w] & bit) && (ev & (POLLOUT | POLLERR)))
            s->rout[w] |= bit, s->ready++;
        if ((s->ex[w] & bit) && (ev & POLLPRI))
            s->rex[w] |= bit, s->ready++;
    }
    return s->ready > 0;
}

struct select_args {
    u32 nfds;
    u64 __user *sets[3];
    s64 timeout_ns;
};

static long select_wait(void *arg)
{
    struct select_args *a = arg;
    if ((int)a->nfds < 0)
        return -EINVAL;
    u32 nfds = MIN(a->nfds, (u32)FD_SETSIZE);
    struct select_state *s = kzalloc(sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->nfds = nfds;
    size_t bytes = ALIGN_UP(nfds, 64) / 8;
    u64 *sets[3] = {s->in, s->out, s->ex}, *results[3] = {s->rin, s->rout, s->rex};
    long err = 0;
    for (int i = 0; i < 3 && !err; i++)
        if (a->sets[i] && copy_from_user(sets[i], a->sets[i], bytes))
            err = -EFAULT;
    for (u32 fd = 0; fd < nfds && !err; fd++)
        if (((s->in[fd / 64] | s->out[fd / 64] | s->ex[fd / 64]) >> (fd % 64) & 1) && !fd_get((int)fd))
            err = -EBADF;
    if (!err)
        err = wait_until(select_ready, s, a->timeout_ns);
    for (int i = 0; i < 3 && err >= 0; i++)
        if (a->sets[i] && copy_to_user(a->sets[i], results[i], bytes))
            err = -EFAULT;
    int ready = s->ready;
    kfree(s);
    if (err == -ERESTARTSYS)
        return -EINTR;
    return err < 0 ? err : ready;
}

struct timeval_k {
    s64 tv_sec, tv_usec;
};

long sys_select(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, struct timeval_k __user *tvp)
{
    struct select_args a = {(u32)nfds, {in, out, ex}, 0};
    if (tvp) {
        struct timeval_k tv;
        if (copy_from_user(&tv, tvp, sizeof(tv)))
            return -EFAULT;
        if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
            return -EINVAL;
        a.timeout_ns = tv.tv_sec * 1000000000ll + tv.tv_usec * 1000;
        if (a.timeout_ns == 0)
            a.timeout_ns = -1;
    }
    return select_wait(&a);
}

long select_timed(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, s64 timeout_ns,
                  const u64 __user *sigmask, u64 size)
{
    struct select_args a = {(u32)nfds, {in, out, ex}, timeout_ns};
    return with_sigmask(sigmask, size, select_wait, &a);
}

long sys_pselect6(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, const struct timespec_k __user *tsp,
                  const u64 __user *sigdata)
{
    s64 timeout_ns;
    long err = timeout_from_user(tsp, &timeout_ns);
    if (err)
        return err;
    /* The sixth argument points to {const sigset_t *ss; size_t ss_len}. */
    u64 mask_and_size[2] = {0, 0};
    if (sigdata && copy_from_user(mask_and_size, sigdata, sizeof(mask_and_size)))
        return -EFAULT;
    return select_timed(nfds, in, out, ex, timeout_ns, (const u64 __user *)mask_and_size[0], mask_and_size[1]);
}
