/* wait4 and waitid: collecting children that have ended. */
#include "compat.h"
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "ptrace.h"
#include "signal.h"
#include "uaccess.h"
#include "x86.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000

#define P_ALL 0
#define P_PID 1
#define P_PGID 2

void task_count_reaped(void);

/* No resource accounting yet: the usage reported is all zeros, in the
 * caller's layout (struct rusage is 72 bytes for i386). */
#define RUSAGE_SIZE(compat) ((compat) ? 72 : 144)

static bool matches(const struct task *child, int id_type, pid_t id)
{
    switch (id_type) {
    case P_PID: return child->pid == id;
    case P_PGID: return child->pgid == id;
    default: return true;
    }
}

/* A child traced by another process is that tracer's to report until it
 * lets it go (its exit included: the real parent hears of it afterwards). */
static bool traced_by_other(const struct task *c, const struct task *me) { return c->ptracer && c->ptracer != me; }

/* A zombie child whose threads have all ended, or NULL; *any says whether
 * some matching child exists at all. */
static struct task *find_zombie(struct task *parent, int id_type, pid_t id, bool *any)
{
    *any = false;
    for (struct task *c = parent->children; c; c = c->sibling) {
        if (!matches(c, id_type, id))
            continue;
        *any = true;
        if (c->state == TASK_ZOMBIE && c->live_threads == 0 && !traced_by_other(c, parent))
            return c;
    }
    return NULL;
}

/* A child stopped by a signal and not yet reported (WUNTRACED), or NULL. */
static struct task *find_stopped(struct task *parent, int id_type, pid_t id)
{
    for (struct task *c = parent->children; c; c = c->sibling)
        if (matches(c, id_type, id) && c->state == TASK_STOPPED && !c->stop_reported && !c->ptracer &&
            c->group_stop_remaining == 0)
            return c;
    return NULL;
}

/* A child continued by SIGCONT and not yet reported (WCONTINUED), or NULL. */
static struct task *find_continued(struct task *parent, int id_type, pid_t id)
{
    for (struct task *c = parent->children; c; c = c->sibling)
        if (matches(c, id_type, id) && c->continue_pending && c->state != TASK_ZOMBIE)
            return c;
    return NULL;
}

/* A tracee of `tracer` with something to report: a ptrace stop (whatever
 * the options: wait always reports those to the tracer), or, for WEXITED,
 * an exit (of a process that is not its child, or of a thread). *any is
 * set when some matching tracee exists. */
static struct task *find_tracee(struct task *tracer, int id_type, pid_t id, int options, bool *any)
{
    for (struct task *t = task_first(); t; t = task_next(t)) {
        if (t->ptracer != tracer || !matches(t, id_type, id))
            continue;
        *any = true;
        if (t->state == TASK_TRACED && !t->ptrace_stop_reported)
            return t;
        bool own_child = t == t->group_leader && t->parent == tracer;
        bool ended = t->state == TASK_ZOMBIE && (t != t->group_leader || t->live_threads == 0);
        if ((options & WEXITED) && !own_child && ended)
            return t;
    }
    return NULL;
}

#define CLD_TRAPPED 4
#define STATUS_CONTINUED 0xffff /* what waitpid reports for a continued child */

static void reap(struct task *parent, struct task *child)
{
    for (struct task **link = &parent->children; *link; link = &(*link)->sibling) {
        if (*link == child) {
            *link = child->sibling;
            break;
        }
    }
    parent->children_user_ns += child->user_ns + child->children_user_ns;
    parent->children_system_ns += child->system_ns + child->children_system_ns;
    child->state = TASK_DEAD;
    task_free(child);
    task_count_reaped();
    task_free_dead_threads();
}

/* Waits for a matching child that exited (WEXITED), stopped (WUNTRACED,
 * alias WSTOPPED) or continued (WCONTINUED), as `options` ask; returns 1 with
 * its status (reaped or reported unless keep), 0 for WNOHANG, or an errno. */
static long wait_for_child(int id_type, pid_t id, int options, bool keep, int *status, pid_t *pid, bool *trapped)
{
    *trapped = false;
    struct task *me = current_task()->group_leader;
    int interrupted = 0;
    u64 flags = irq_save();
    for (;;) {
        bool any;
        struct task *z = find_zombie(me, id_type, id, &any);
        struct task *tracee = z ? NULL : find_tracee(me, id_type, id, options, &any);
        if (tracee && tracee->state == TASK_TRACED) {
            *status = (tracee->ptrace_code << 8) | 0x7f;
            *pid = tracee->pid;
            *trapped = true;
            if (!keep)
                tracee->ptrace_stop_reported = true;
            irq_restore(flags);
            return 1;
        }
        if (tracee) {
            /* A traced process or thread that is not my child: I hear first.
             * A thread of a group that is ending reports the group's status. */
            struct task *leader = tracee->group_leader;
            *status = tracee != leader && leader->group_exiting ? leader->group_exit_status : tracee->wait_status;
            *pid = tracee->pid;
            if (!keep)
                ptrace_release_zombie(tracee);
            irq_restore(flags);
            return 1;
        }
        if (!(options & WEXITED))
            z = NULL;
        if (z) {
            *status = z->wait_status;
            *pid = z->pid;
            if (!keep) {
                ptrace_unlink(z);
                reap(me, z);
            }
            irq_restore(flags);
            return 1;
        }
        struct task *s = (options & WUNTRACED) ? find_stopped(me, id_type, id) : NULL;
        if (s) {
            *status = (s->stop_signal << 8) | 0x7f;
            *pid = s->pid;
            if (!keep)
                s->stop_reported = true;
            irq_restore(flags);
            return 1;
        }
        struct task *c = (options & WCONTINUED) ? find_continued(me, id_type, id) : NULL;
        if (c) {
            *status = STATUS_CONTINUED;
            *pid = c->pid;
            if (!keep)
                c->continue_pending = false;
            irq_restore(flags);
            return 1;
        }
        if (!any) {
            irq_restore(flags);
            return -ECHILD;
        }
        if (options & WNOHANG) {
            irq_restore(flags);
            return 0;
        }
        if (interrupted) {
            irq_restore(flags);
            return interrupted;
        }
        /* A signal that came with the child's news (a traced parent's
         * SIGCHLD) loses to it: the children are looked at once more
         * before the call is interrupted, as Linux's do_wait. */
        interrupted = wait_sleep(&me->child_events, NULL, WAIT_NO_DEADLINE);
    }
}

long sys_wait4(pid_t pid, int __user *wstatus, int options, void __user *rusage)
{
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
        return -EINVAL;
    int id_type = P_ALL;
    pid_t id = 0;
    if (pid > 0)
        id_type = P_PID, id = pid;
    else if (pid == 0)
        id_type = P_PGID, id = current_task()->pgid;
    else if (pid < -1)
        id_type = P_PGID, id = -pid;
    if (pid == (pid_t)0x80000000)
        return -ESRCH;
    int status;
    pid_t child;
    bool compat = in_compat_syscall(); /* the caller's, before other tasks run */
    bool trapped;
    long found = wait_for_child(id_type, id, options | WEXITED, false, &status, &child, &trapped);
    if (found <= 0)
        return found;
    if (wstatus && put_user(status, wstatus))
        return -EFAULT;
    if (rusage && clear_user(rusage, RUSAGE_SIZE(compat)))
        return -EFAULT;
    return child;
}

long sys_waitid(int id_type, pid_t id, void __user *infop, int options, void __user *rusage)
{
    if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE))
        return -EINVAL;
    if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
        return -EINVAL;
    if (id_type != P_ALL && id_type != P_PID && id_type != P_PGID)
        return -EINVAL;
    if ((id_type == P_PID || id_type == P_PGID) && id <= 0)
        return -EINVAL;
    if (id_type == P_PGID && id == 0)
        id = current_task()->pgid;
    int status;
    pid_t child;
    bool compat = in_compat_syscall(); /* the caller's, before other tasks run */
    bool trapped;
    long found = wait_for_child(id_type, id, options, options & WNOWAIT, &status, &child, &trapped);
    if (found < 0)
        return found;
    if (infop && clear_user(infop, 128))
        return -EFAULT;
    if (found == 0)
        return 0;
    struct ksiginfo info;
    siginfo_child_ended(&info, child, status);
    if (status == STATUS_CONTINUED) {
        info.si_code = CLD_CONTINUED;
        info.chld.status = SIGCONT;
    } else if ((status & 0xff) == 0x7f) {
        /* A ptrace stop gives its whole code (signal | event << 8). */
        info.si_code = trapped ? CLD_TRAPPED : CLD_STOPPED;
        info.chld.status = trapped ? status >> 8 : (status >> 8) & 0xff;
    }
    if (infop && siginfo_to_user(infop, &info, compat))
        return -EFAULT;
    if (rusage && clear_user(rusage, RUSAGE_SIZE(compat)))
        return -EFAULT;
    return 0;
}

/* i386's waitpid: wait4 without the resource usage, as Linux's. */
long sys_waitpid(pid_t pid, int __user *wstatus, int options) { return sys_wait4(pid, wstatus, options, NULL); }
