/*
 * Credentials: the user and group ids, supplementary groups and capabilities
 * of each task, and the calls that read and change them, with Linux's rules
 * (kernel/sys.c, kernel/groups.c, kernel/capability.c,
 * security/commoncap.c). Root (CAP_SETUID, CAP_SETGID) may take any id;
 * everyone else only moves among the ids it already has. capget and capset
 * are in capability.c, i386's 16-bit calls in uid16.c.
 */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "uaccess.h"

static struct cred init_cred = {
    .usage = REFCOUNT_INIT(1), /* never dropped to 0: the kernel holds it */
    .cap_permitted = CAP_FULL_SET,
    .cap_effective = CAP_FULL_SET,
    .cap_bset = CAP_FULL_SET,
};

const struct cred *root_cred(void) { return &init_cred; }

const struct cred *task_cred(const struct task *t) { return t && t->cred ? t->cred : &init_cred; }
const struct cred *current_cred(void) { return task_cred(current_task()); }

struct cred *cred_get(const struct cred *c)
{
    struct cred *mut = (struct cred *)c;
    refcount_get(&mut->usage);
    return mut;
}

void cred_put(const struct cred *c)
{
    struct cred *mut = (struct cred *)c;
    if (c && refcount_put(&mut->usage)) {
        kfree(mut->groups);
        kfree(mut);
    }
}

static struct cred *cred_copy(const struct cred *old, int ngroups)
{
    struct cred *c = kmalloc(sizeof(*c));
    if (!c)
        return NULL;
    *c = *old;
    refcount_set(&c->usage, 1);
    c->groups = NULL;
    c->ngroups = ngroups;
    if (ngroups) {
        c->groups = kmalloc((size_t)ngroups * sizeof(u32));
        if (!c->groups) {
            kfree(c);
            return NULL;
        }
    }
    return c;
}

struct cred *cred_prepare(void)
{
    const struct cred *old = current_cred();
    struct cred *c = cred_copy(old, old->ngroups);
    if (c && old->ngroups)
        memcpy(c->groups, old->groups, (size_t)old->ngroups * sizeof(u32));
    return c;
}

void cred_commit(struct cred *new)
{
    struct task *t = current_task();
    const struct cred *old = task_cred(t);
    /* Linux's commit_creds: a change of identity or new capabilities end PR_SET_PDEATHSIG's request */
    if (new->euid != old->euid || new->egid != old->egid || new->fsuid != old->fsuid || new->fsgid != old->fsgid ||
        (new->cap_permitted & ~old->cap_permitted))
        t->pdeath_signal = 0;
    old = t->cred;
    t->cred = new;
    cred_put(old);
}

const struct cred *cred_override(struct cred *new)
{
    struct task *t = current_task();
    const struct cred *old = t->cred;
    t->cred = new;
    return old;
}

void cred_revert(const struct cred *old)
{
    struct task *t = current_task();
    cred_put(t->cred);
    t->cred = old;
}

bool capable(int cap) { return current_cred()->cap_effective & CAP_TO_MASK(cap); }

static bool groups_search(const struct cred *c, u32 gid)
{
    int lo = 0, hi = c->ngroups;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->groups[mid] == gid)
            return true;
        if (c->groups[mid] < gid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool in_group_p(u32 gid)
{
    const struct cred *c = current_cred();
    return c->fsgid == gid || groups_search(c, gid);
}

bool in_egroup_p(u32 gid)
{
    const struct cred *c = current_cred();
    return c->egid == gid || groups_search(c, gid);
}

/* ---- the effect of uid changes on capabilities (cap_task_fix_setuid) ---- */

/* The capabilities that follow the filesystem uid (CAP_FS_MASK). */
#define CAP_FS_MASK                                                                                            \
    (CAP_TO_MASK(CAP_CHOWN) | CAP_TO_MASK(CAP_DAC_OVERRIDE) | CAP_TO_MASK(CAP_DAC_READ_SEARCH) |              \
     CAP_TO_MASK(CAP_FOWNER) | CAP_TO_MASK(CAP_FSETID) | CAP_TO_MASK(CAP_LINUX_IMMUTABLE) |                   \
     CAP_TO_MASK(CAP_MKNOD) | CAP_TO_MASK(CAP_MAC_OVERRIDE))

static void fix_setuid_caps(struct cred *new, const struct cred *old)
{
    bool had_root = old->uid == 0 || old->euid == 0 || old->suid == 0;
    bool has_root = new->uid == 0 || new->euid == 0 || new->suid == 0;
    if (had_root && !has_root) {
        new->cap_permitted = 0;
        new->cap_effective = 0;
        new->cap_ambient = 0;
    }
    if (old->euid == 0 && new->euid != 0)
        new->cap_effective = 0;
    if (old->euid != 0 && new->euid == 0)
        new->cap_effective = new->cap_permitted;
    if (old->fsuid == 0 && new->fsuid != 0)
        new->cap_effective &= ~CAP_FS_MASK;
    if (old->fsuid != 0 && new->fsuid == 0)
        new->cap_effective |= new->cap_permitted & CAP_FS_MASK;
}

static long commit_ids(struct cred *new, bool uids_changed)
{
    if (uids_changed)
        fix_setuid_caps(new, current_cred());
    cred_commit(new);
    return 0;
}

static long fail(struct cred *new, long err)
{
    cred_put(new);
    return err;
}

/* ---- set*uid ---- */

long sys_setuid(u32 uid)
{
    if (uid == NO_ID)
        return -EINVAL;
    const struct cred *old = current_cred();
    struct cred *new = cred_prepare();
    if (!new)
        return -ENOMEM;
    if (capable(CAP_SETUID))
        new->uid = new->suid = uid;
    else if (uid != old->uid && uid != old->suid)
        return fail(new, -EPERM);
    new->euid = new->fsuid = uid;
    return commit_ids(new, true);
}

long sys_setreuid(u32 ruid, u32 euid)
{
    const struct cred *old = current_cred();
    bool privileged = capable(CAP_SETUID);
    struct cred *new = cred_prepare();
    if (!new)
        return -ENOMEM;
    if (ruid != NO_ID) {
        new->uid = ruid;
        if (ruid != old->uid && ruid != old->euid && !privileged)
            return fail(new, -EPERM);
    }
    if (euid != NO_ID) {
        new->euid = euid;
        if (euid != old->uid && euid != old->euid && euid != old->suid && !privileged)
            return fail(new, -EPERM);
    }
    if (ruid != NO_ID || (euid != NO_ID && euid != old->uid))
        new->suid = new->euid;
    new->fsuid = new->euid;
    return commit_ids(new, true);
}

static bool one_of(u32 id, u32 a, u32 b, u32 c) { return id == NO_ID || id == a || id == b || id == c; }

long sys_setresuid(u32 ruid, u32 euid, u32 suid)
{
    const struct cred *old = current_cred();
    if (!capable(CAP_SETUID) &&
        !(one_of(ruid, old->uid, old->euid, old->suid) && one_of(euid, old->uid, old->euid, old->suid) &&
          one_of(suid, old->uid, old->euid, old->suid)))
        return -EPERM;
    struct cred *new = cred_prepare();
    if (!new)
        return -ENOMEM;
    if (ruid != NO_ID)
        new->uid = ruid;
    if (euid != NO_ID)
        new->euid = euid;
    if (suid != NO_ID)
        new->suid = suid;
    new->fsuid = new->euid;
    return commit_ids(new, true);
}

/* Returns the previous fsuid whether or not it changed, as Linux does. */
long sys_setfsuid(u32 uid)
{
    const struct cred *old = current_cred();
    long previous = old->fsuid;
    if (uid == NO_ID)
        return previous;
    if (uid != old->uid && uid != old->euid && uid != old->suid && uid != old->fsuid && !capable(CAP_SETUID))
        return previous;
    if (uid == old->fsuid)
        return previous;
    struct cred *new = cred_prepare();
    if (!new)
        return previous;
    new->fsuid = uid;
    commit_ids(new, true);
    return previous;
}

/* ---- set*gid: the same rules with CAP_SETGID, and no capability effects ---- */

long sys_setgid(u32 gid)
{
    if (gid == NO_ID)
        return -EINVAL;
    const struct cred *old = current_cred();
    struct cred *new = cred_prepare();
    if (!new)
        return -ENOMEM;
    if (capable(CAP_SETGID))
        new->gid = new->sgid = gid;
    else if (gid != old->gid && gid != old->sgid)
        return fail(new, -EPERM);
    new->egid = new->fsgid = gid;
    return commit_ids(new, false);
}

long sys_setregid(u32 rgid, u32 egid)
{
    const struct cred *old = current_cred();
    bool privileged = capable(CAP_SETGID);
    struct cred *new = cred_prepare();
    if (!new)
        return -ENOMEM;
    if (rgid != NO_ID) {
        new->gid = rgid;
        if (rgid != old->gid && rgid != old->egid && !privileged)
            return fail(new, -EPERM);
    }
    if (egid != NO_ID) {
        new->egid = egid;
        if (egid != old->gid && egid != old->egid && egid != old->sgid && !privileged)
            return fail(new, -EPERM);
    }
    if (rgid != NO_ID || (egid != NO_ID && egid != old->gid))
        new->sgid = new->egid;
    new->fsgid = new->egid;
    return commit_ids(new, false);
}

long sys_setresgid(u32 rgid, u32 egid, u32 sgid)
{
    const struct cred *old = current_cred();
    if (!capable(CAP_SETGID) &&
        !(one_of(rgid, old->gid, old->egid, old->sgid) && one_of(egid, old->gid, old->egid, old->sgid) &&
          one_of(sgid, old->gid, old->egid, old->sgid)))
        return -EPERM;
    struct cred *new = cred_prepare();
    if (!new)
        return -ENOMEM;
    if (rgid != NO_ID)
        new->gid = rgid;
    if (egid != NO_ID)
        new->egid = egid;
    if (sgid != NO_ID)
        new->sgid = sgid;
    new->fsgid = new->egid;
    return commit_ids(new, false);
}

long sys_setfsgid(u32 gid)
{
    const struct cred *old = current_cred();
    long previous = old->fsgid;
    if (gid == NO_ID || gid == old->fsgid)
        return previous;
    if (gid != old->gid && gid != old->egid && gid != old->sgid && !capable(CAP_SETGID))
        return previous;
    struct cred *new = cred_prepare();
    if (!new)
        return previous;
    new->fsgid = gid;
    commit_ids(new, false);
    return previous;
}

/* ---- reading them ---- */

long sys_getuid(void) { return current_cred()->uid; }
long sys_geteuid(void) { return current_cred()->euid; }
long sys_getgid(void) { return current_cred()->gid; }
long sys_getegid(void) { return current_cred()->egid; }

static long put_three(u32 a, u32 b, u32 c, u32 __user *ua, u32 __user *ub, u32 __user *uc)
{
    return put_user(a, ua) || put_user(b, ub) || put_user(c, uc) ? -EFAULT : 0;
}

long sys_getresuid(u32 __user *r, u32 __user *e, u32 __user *s)
{
    const struct cred *c = current_cred();
    return put_three(c->uid, c->euid, c->suid, r, e, s);
}

long sys_getresgid(u32 __user *r, u32 __user *e, u32 __user *s)
{
    const struct cred *c = current_cred();
    return put_three(c->gid, c->egid, c->sgid, r, e, s);
}

/* ---- supplementary groups ---- */

int getgroups_count(const struct cred *c, int size)
{
    if (size < 0 || (size > 0 && size < c->ngroups))
        return -EINVAL;
    return size > 0 ? c->ngroups : 0;
}

long sys_getgroups(int size, u32 __user *list)
{
    const struct cred *c = current_cred();
    int count = getgroups_count(c, size);
    if (count < 0)
        return count;
    if (copy_to_user(list, c->groups, (size_t)count * sizeof(u32)))
        return -EFAULT;
    return c->ngroups;
}

static void groups_sort(u32 *g, int n)
{
    for (int i = 1; i < n; i++) {
        u32 v = g[i];
        int j = i;
        for (; j > 0 && g[j - 1] > v; j--)
            g[j] = g[j - 1];
        g[j] = v;
    }
}

long set_groups(int size, const void __user *list, size_t width)
{
    if (!capable(CAP_SETGID))
        return -EPERM;
    if ((unsigned)size > NGROUPS_MAX)
        return -EINVAL;
    struct cred *new = cred_copy(current_cred(), size);
    if (!new)
        return -ENOMEM;
    for (int i = 0; i < size; i++) {
        u32 gid = 0;
        if (copy_from_user(&gid, (const u8 __user *)list + (size_t)i * width, width))
            return fail(new, -EFAULT);
        if (gid == NO_ID || (width == 2 && gid == 0xffff))
            return fail(new, -EINVAL); /* -1 is no group */
        new->groups[i] = gid;
    }
    groups_sort(new->groups, size);
    cred_commit(new);
    return 0;
}

long sys_setgroups(int size, const u32 __user *list) { return set_groups(size, list, sizeof(u32)); }

/* ---- exec ---- */

struct cred *cred_for_exec(const struct inode *program, bool *secure)
{
    const struct cred *old = current_cred();
    struct cred *new = cred_prepare();
    if (!new)
        return NULL;
    /* no_new_privs: set-user-ID and set-group-ID bits give nothing. */
    bool no_new_privs = current_task()->no_new_privs;
    if ((program->mode & S_ISUID) && !no_new_privs)
        new->euid = program->uid;
    if ((program->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && !no_new_privs)
        new->egid = program->gid;
    new->suid = new->fsuid = new->euid;
    new->sgid = new->fsgid = new->egid;
    /* Root gets its whole bounding set, effective only when euid is root;
     * anyone else keeps only ambient capabilities (none here). */
    new->cap_permitted = new->cap_ambient;
    if (new->euid == 0 || new->uid == 0)
        new->cap_permitted = old->cap_bset | old->cap_inheritable;
    new->cap_effective = new->euid == 0 ? new->cap_permitted : new->cap_ambient;
    *secure = new->euid != old->uid || new->egid != old->gid;
    return new;
}
