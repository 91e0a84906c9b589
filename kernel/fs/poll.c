/*
 * poll, ppoll, select and pselect6 over the drivers' poll callbacks, as Linux
 * does them: a first pass asks every file for its events and, through
 * poll_wait(), puts the caller on each queue that announces a change; then
 * the caller sleeps until one of them wakes it, the deadline passes or a
 * signal comes, and asks again (without registering twice). Files without a
 * poll callback (regular files, most devices) are always ready.
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
#include "wait.h"

#define MAX_POLL_FDS 1024
/* Entries kept in the caller's stack frame; more come in page-sized chunks. */
#define INLINE_POLL_ENTRIES 8
#define POLL_CHUNK_ENTRIES ((PAGE_SIZE - 16) / sizeof(struct poll_entry))

struct pollfd {
    s32 fd;
    s16 events, revents;
};

struct poll_entry {
    struct wait_entry wait;
    struct wait_queue *queue;
    struct file *file;
    struct poll_wait_table *table;
};

struct poll_chunk {
    struct poll_chunk *next;
    u32 used;
    struct poll_entry entries[];
};

/* poll and select's table: the file-facing part first. */
struct poll_wait_table {
    struct poll_table pt;
    bool registering;       /* the first pass: poll_wait queues the caller */
    bool triggered;         /* a queue woke us since the pass began */
    int error;              /* -ENOMEM: a queue could not be watched */
    u32 inline_used;
    struct poll_entry inline_entries[INLINE_POLL_ENTRIES];
    struct poll_chunk *chunks;
};

static bool poll_wake(struct wait_entry *w)
{
    struct poll_entry *e = (struct poll_entry *)w;
    e->table->triggered = true;
    return wake_task_entry(w);
}

static struct poll_entry *new_entry(struct poll_wait_table *t)
{
    if (t->inline_used < INLINE_POLL_ENTRIES)
        return &t->inline_entries[t->inline_used++];
    if (!t->chunks || t->chunks->used == POLL_CHUNK_ENTRIES) {
        struct poll_chunk *c = kmalloc(PAGE_SIZE);
        if (!c)
            return NULL;
        c->next = t->chunks;
        c->used = 0;
        t->chunks = c;
    }
    return &t->chunks->entries[t->chunks->used++];
}

void poll_wait(struct file *f, struct wait_queue *q, struct poll_table *table)
{
    if (table)
        table->queue(f, q, table);
}

static void poll_select_queue(struct file *f, struct wait_queue *q, struct poll_table *table)
{
    struct poll_wait_table *t = (struct poll_wait_table *)table;
    if (!t->registering)
        return;
    struct poll_entry *e = new_entry(t);
    if (!e) {
        t->error = -ENOMEM;
        return;
    }
    /* Closing the descriptor during the wait must leave the queue alive. */
    file_get(f);
    e->queue = q;
    e->file = f;
    e->table = t;
    wait_entry_init(&e->wait, current_task());
    e->wait.wake = poll_wake;
    wait_queue_add(q, &e->wait);
}

static void release_entry(struct poll_entry *e)
{
    wait_queue_remove(e->queue, &e->wait);
    file_put(e->file);
}

static void poll_table_init(struct poll_wait_table *t)
{
    t->pt.queue = poll_select_queue;
    t->registering = true;
    t->triggered = false;
    t->error = 0;
    t->inline_used = 0;
    t->chunks = NULL;
}

static void poll_table_free(struct poll_wait_table *t)
{
    for (u32 i = 0; i < t->inline_used; i++)
        release_entry(&t->inline_entries[i]);
    t->inline_used = 0;
    while (t->chunks) {
        struct poll_chunk *c = t->chunks;
        for (u32 i = 0; i < c->used; i++)
            release_entry(&c->entries[i]);
        t->chunks = c->next;
        kfree(c);
    }
}

static unsigned file_events(struct file *f, struct poll_table *table)
{
    if (f->ops && f->ops->poll)
        return f->ops->poll(f, table);
    return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

/* Waits until ready() says so, the deadline passes (timeout 0: never; -1 ns:
 * do not wait at all) or a signal comes: 1, 0 or -ERESTARTSYS. ready() asks
 * the files with the table, which registers on the first pass only. */
static long wait_until(bool (*ready)(void *, struct poll_table *), void *arg, s64 timeout_ns)
{
    u64 deadline = timeout_ns > 0 ? monotonic_ns() + (u64)timeout_ns : WAIT_NO_DEADLINE;
    struct poll_wait_table on_stack, *table = &on_stack;
    poll_table_init(table);
    if (timeout_ns < 0)
        table->registering = false; /* nothing will wait: no queue to join */
    long result;
    for (;;) {
        table->triggered = false;
        if (ready(arg, &table->pt)) {
            result = 1;
            break;
        }
        table->registering = false;
        if (table->error) {
            result = table->error;
            break;
        }
        if (timeout_ns < 0) {
            result = 0;
            break;
        }
        u64 flags = irq_save();
        int err = table->triggered ? 0 : wait_sleep(NULL, NULL, deadline);
        irq_restore(flags);
        if (err == -ETIMEDOUT) {
            result = ready(arg, NULL) ? 1 : 0;
            break;
        }
        if (err) {
            result = err;
            break;
        }
    }
    poll_table_free(table);
    return result;
}

struct poll_state {
    struct pollfd *fds;
    u32 count;
    int ready;
};

static bool poll_ready(void *arg, struct poll_table *table)
{
    struct poll_state *s = arg;
    s->ready = 0;
    for (u32 i = 0; i < s->count; i++) {
        struct pollfd *p = &s->fds[i];
        p->revents = 0;
        if (p->fd < 0)
            continue;
        /* Held for the look only: a queue entry the table keeps holds its own. */
        struct file *f = fdget(p->fd);
        unsigned ev = f ? file_events(f, table) : POLLNVAL;
        fdput(f);
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
    /* Interrupted: EINTR if a handler runs, made again if none does. */
    if (err == -ERESTARTSYS)
        return -ERESTARTNOHAND;
    return err < 0 ? err : s.ready;
}

static long poll_restart(struct restart_block *block);

/* poll with an end (monotonic ns; 0: none). Interrupted with no handler
 * to run, it carries on to the same end through restart_syscall, as Linux's
 * poll does; with none, it is simply made again. */
static long poll_until(struct pollfd __user *fds, u32 nfds, u64 end)
{
    u64 now = monotonic_ns();
    long result = do_poll(fds, nfds, !end ? 0 : now >= end ? -1 : (s64)(end - now));
    if (result != -ERESTARTNOHAND || !end)
        return result;
    struct restart_block *block = &current_task()->restart;
    block->fn = poll_restart;
    block->arg[0] = (u64)fds;
    block->arg[1] = nfds;
    block->arg[2] = end;
    return -ERESTART_RESTARTBLOCK;
}

static long poll_restart(struct restart_block *block)
{
    return poll_until((struct pollfd __user *)block->arg[0], (u32)block->arg[1], block->arg[2]);
}

long sys_poll(struct pollfd __user *fds, u32 nfds, int timeout_ms)
{
    if (timeout_ms == 0)
        return do_poll(fds, nfds, -1);
    return poll_until(fds, nfds, timeout_ms < 0 ? 0 : monotonic_ns() + (u64)timeout_ms * 1000000);
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

s64 poll_time_left(s64 timeout_ns, u64 start_ns)
{
    if (timeout_ns <= 0)
        return -1;
    u64 spent = monotonic_ns() - start_ns;
    return spent >= (u64)timeout_ns ? 0 : timeout_ns - (s64)spent;
}

/* A failed write-back is ignored: the call's result stands (Linux). */
static void put_timespec_left(struct timespec_k __user *uts, s64 left)
{
    struct timespec_k ts = {left / 1000000000, left % 1000000000};
    if (uts && left >= 0)
        copy_to_user(uts, &ts, sizeof(ts));
}

long poll_with_sigmask(const u64 __user *umask, u64 size, long (*wait)(void *), void *arg)
{
    struct task *t = current_task();
    u64 old = t->blocked_signals;
    if (umask) {
        u64 mask;
        if (size != 8)
            return -EINVAL;
        if (copy_from_user(&mask, umask, sizeof(mask)))
            return -EFAULT;
        signal_set_blocked(t, mask);
    }
    long result = wait(arg);
    if (umask) {
        if (result == -EINTR || result == -ERESTARTNOHAND) {
            t->saved_mask = old; /* restored after the handler runs */
            t->saved_mask_valid = true;
            /* The signal was blocked when it came, so nothing asked for its
             * delivery on the way out yet. */
            if (signal_pending())
                task_work_set(t, TASK_WORK_SIGNAL);
        } else {
            signal_set_blocked(t, old);
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
    return poll_with_sigmask(sigmask, size, ppoll_wait, &a);
}

long sys_ppoll(struct pollfd __user *fds, u32 nfds, struct timespec_k __user *tsp, const u64 __user *sigmask,
               u64 size)
{
    s64 timeout_ns;
    long err = timeout_from_user(tsp, &timeout_ns);
    if (err)
        return err;
    u64 start = monotonic_ns();
    long result = poll_timed(fds, nfds, timeout_ns, sigmask, size);
    put_timespec_left(tsp, poll_time_left(timeout_ns, start));
    return result;
}

/* ---- select ---- */

#define FD_SETSIZE 1024

struct select_state {
    u32 nfds;
    u64 in[FD_SETSIZE / 64], out[FD_SETSIZE / 64], ex[FD_SETSIZE / 64];
    u64 rin[FD_SETSIZE / 64], rout[FD_SETSIZE / 64], rex[FD_SETSIZE / 64];
    int ready;
};

static bool select_ready(void *arg, struct poll_table *table)
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
        struct file *f = fdget((int)fd);
        if (!f)
            continue;
        unsigned ev = file_events(f, table);
        fdput(f);
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
    for (u32 fd = 0; fd < nfds && !err; fd++) {
        if (!((s->in[fd / 64] | s->out[fd / 64] | s->ex[fd / 64]) >> (fd % 64) & 1))
            continue;
        struct file *f = fdget((int)fd);
        if (!f)
            err = -EBADF;
        fdput(f);
    }
    if (!err)
        err = wait_until(select_ready, s, a->timeout_ns);
    for (int i = 0; i < 3 && err >= 0; i++)
        if (a->sets[i] && copy_to_user(a->sets[i], results[i], bytes))
            err = -EFAULT;
    int ready = s->ready;
    kfree(s);
    if (err == -ERESTARTSYS)
        return -ERESTARTNOHAND; /* made again with the time left (written back) if no handler runs */
    return err < 0 ? err : ready;
}

struct timeval_k {
    s64 tv_sec, tv_usec;
};

long sys_select(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, struct timeval_k __user *tvp)
{
    u64 start = monotonic_ns();
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
    long result = select_wait(&a);
    s64 left = poll_time_left(a.timeout_ns, start);
    struct timeval_k rest = {left / 1000000000, left % 1000000000 / 1000};
    if (tvp && left >= 0)
        copy_to_user(tvp, &rest, sizeof(rest)); /* a failure is ignored, as on Linux */
    return result;
}

long select_timed(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, s64 timeout_ns,
                  const u64 __user *sigmask, u64 size)
{
    struct select_args a = {(u32)nfds, {in, out, ex}, timeout_ns};
    return poll_with_sigmask(sigmask, size, select_wait, &a);
}

long sys_pselect6(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, struct timespec_k __user *tsp,
                  const u64 __user *sigdata)
{
    u64 start = monotonic_ns();
    s64 timeout_ns;
    long err = timeout_from_user(tsp, &timeout_ns);
    if (err)
        return err;
    /* The sixth argument points to {const sigset_t *ss; size_t ss_len}. */
    u64 mask_and_size[2] = {0, 0};
    if (sigdata && copy_from_user(mask_and_size, sigdata, sizeof(mask_and_size)))
        return -EFAULT;
    long result = select_timed(nfds, in, out, ex, timeout_ns, (const u64 __user *)mask_and_size[0], mask_and_size[1]);
    put_timespec_left(tsp, poll_time_left(timeout_ns, start));
    return result;
}
