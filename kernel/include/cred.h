/*
 * Credentials, as Linux keeps them: each task points at a reference-counted
 * `struct cred` that never changes once a task uses it. A call that changes
 * ids builds a new one (cred_prepare), edits it and installs it
 * (cred_commit); fork shares the parent's until one of them changes.
 */
#ifndef SYSGATE_CRED_H
#define SYSGATE_CRED_H

#include "refcount.h"
#include "types.h"
#include "uaccess.h"

struct task;
struct inode;

/* Capability numbers (linux/capability.h) that sysgate checks. */
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
#define CAP_FSETID 4
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_LINUX_IMMUTABLE 9
#define CAP_IPC_LOCK 14
#define CAP_IPC_OWNER 15
#define CAP_SYS_PTRACE 19
#define CAP_SYS_ADMIN 21
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_MKNOD 27
#define CAP_LEASE 28
#define CAP_MAC_OVERRIDE 32
#define CAP_LAST_CAP 40
#define CAP_FULL_SET ((1ull << (CAP_LAST_CAP + 1)) - 1)
#define CAP_TO_MASK(cap) (1ull << (cap))

#define NGROUPS_MAX 65536
#define OVERFLOW_ID 65534 /* what a 16-bit call shows for an id that does not fit */
#define NO_ID ((u32)-1)   /* "leave unchanged" in the set*id calls; never a valid id */

struct cred {
    refcount_t usage;
    u32 uid, euid, suid, fsuid;
    u32 gid, egid, sgid, fsgid;
    u64 cap_inheritable, cap_permitted, cap_effective, cap_bset, cap_ambient;
    int ngroups;
    u32 *groups; /* sorted, as Linux's groups_sort leaves them */
};

/* The running task's credentials (root's for a kernel thread). */
const struct cred *current_cred(void);
const struct cred *task_cred(const struct task *t);
struct cred *cred_get(const struct cred *c);
void cred_put(const struct cred *c);
/* A private copy of the current task's credentials to edit, or NULL. */
struct cred *cred_prepare(void);
/* Makes `new` (from cred_prepare) the current task's credentials. */
void cred_commit(struct cred *new);
/* Runs the current task with `new` until cred_revert gives back the old ones. */
const struct cred *cred_override(struct cred *new);
void cred_revert(const struct cred *old);
/* The credentials of the first process: root, every capability. */
const struct cred *root_cred(void);

/* setgroups of a user array of `width`-byte ids (4, or 2 for i386's 16-bit call). */
long set_groups(int size, const void __user *list, size_t width);

bool capable(int cap);
bool in_group_p(u32 gid);  /* the filesystem gid or a supplementary group */
bool in_egroup_p(u32 gid); /* the effective gid or a supplementary group */

/* Exec's new identity, to commit once the new image is certain: the
 * set-user-ID and set-group-ID bits of the program, and the capabilities
 * Linux gives root (cap_bprm_creds_from_file). `secure`: AT_SECURE. */
struct cred *cred_for_exec(const struct inode *program, bool *secure);

/* getgroups' checks, for both widths: -EINVAL, or how many groups to copy
 * out (none for a size of 0, which asks only for the number). */
int getgroups_count(const struct cred *c, int size);

#endif
