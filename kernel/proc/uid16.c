/*
 * i386's 16-bit id calls (Linux's kernel/uid16.c), which the first i386
 * programs used: -1 in 16 bits is -1 ("unchanged"), and an id that does not
 * fit in 16 bits reads as the overflow id. The 32-bit calls are cred.c's.
 */
#include "cred.h"
#include "errno.h"
#include "proc.h"
#include "uaccess.h"

long sys_setuid(u32 uid);
long sys_setgid(u32 gid);
long sys_setreuid(u32 ruid, u32 euid);
long sys_setregid(u32 rgid, u32 egid);
long sys_setresuid(u32 ruid, u32 euid, u32 suid);
long sys_setresgid(u32 rgid, u32 egid, u32 sgid);
long sys_setfsuid(u32 uid);
long sys_setfsgid(u32 gid);

static u32 from16(u32 id) { return (u16)id == 0xffff ? NO_ID : (u16)id; }
static u16 to16(u32 id) { return id > 0xffff ? OVERFLOW_ID : (u16)id; }

long sys_setuid16(u32 uid) { return sys_setuid(from16(uid)); }
long sys_setgid16(u32 gid) { return sys_setgid(from16(gid)); }
long sys_setreuid16(u32 r, u32 e) { return sys_setreuid(from16(r), from16(e)); }
long sys_setregid16(u32 r, u32 e) { return sys_setregid(from16(r), from16(e)); }
long sys_setresuid16(u32 r, u32 e, u32 s) { return sys_setresuid(from16(r), from16(e), from16(s)); }
long sys_setresgid16(u32 r, u32 e, u32 s) { return sys_setresgid(from16(r), from16(e), from16(s)); }
long sys_setfsuid16(u32 uid) { return to16((u32)sys_setfsuid(from16(uid))); }
long sys_setfsgid16(u32 gid) { return to16((u32)sys_setfsgid(from16(gid))); }
long sys_getuid16(void) { return to16(current_cred()->uid); }
long sys_geteuid16(void) { return to16(current_cred()->euid); }
long sys_getgid16(void) { return to16(current_cred()->gid); }
long sys_getegid16(void) { return to16(current_cred()->egid); }

static long put_three16(u32 a, u32 b, u32 c, u16 __user *ua, u16 __user *ub, u16 __user *uc)
{
    return put_user(to16(a), ua) || put_user(to16(b), ub) || put_user(to16(c), uc) ? -EFAULT : 0;
}

long sys_getresuid16(u16 __user *r, u16 __user *e, u16 __user *s)
{
    const struct cred *c = current_cred();
    return put_three16(c->uid, c->euid, c->suid, r, e, s);
}

long sys_getresgid16(u16 __user *r, u16 __user *e, u16 __user *s)
{
    const struct cred *c = current_cred();
    return put_three16(c->gid, c->egid, c->sgid, r, e, s);
}

long sys_getgroups16(int size, u16 __user *list)
{
    const struct cred *c = current_cred();
    int count = getgroups_count(c, size);
    if (count < 0)
        return count;
    for (int i = 0; i < count; i++)
        if (put_user(to16(c->groups[i]), list + i))
            return -EFAULT;
    return c->ngroups;
}

long sys_setgroups16(int size, const u16 __user *list) { return set_groups(size, list, sizeof(u16)); }

long sys_chown(const char __user *path, u32 uid, u32 gid);
long sys_lchown(const char __user *path, u32 uid, u32 gid);
long sys_fchown(int fd, u32 uid, u32 gid);
long sys_chown16(const char __user *path, u32 uid, u32 gid) { return sys_chown(path, from16(uid), from16(gid)); }
long sys_lchown16(const char __user *path, u32 uid, u32 gid) { return sys_lchown(path, from16(uid), from16(gid)); }
long sys_fchown16(int fd, u32 uid, u32 gid) { return sys_fchown(fd, from16(uid), from16(gid)); }
