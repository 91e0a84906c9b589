/* seccomp(2): strict mode and classic-BPF filters on system-call entry, with
 * Linux's actions and their precedence (docs/seccomp.md). */
#ifndef SYSGATE_SECCOMP_H
#define SYSGATE_SECCOMP_H

#include "cpu.h"
#include "refcount.h"
#include "types.h"

struct task;

/* <linux/seccomp.h> */
#define SECCOMP_MODE_DISABLED 0
#define SECCOMP_MODE_STRICT 1
#define SECCOMP_MODE_FILTER 2

#define SECCOMP_SET_MODE_STRICT 0
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_GET_ACTION_AVAIL 2
#define SECCOMP_GET_NOTIF_SIZES 3

#define SECCOMP_FILTER_FLAG_TSYNC 1u
#define SECCOMP_FILTER_FLAG_LOG 2u
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW 4u
#define SECCOMP_FILTER_FLAG_NEW_LISTENER 8u
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH 16u
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV 32u

#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#define SECCOMP_RET_KILL_THREAD 0x00000000u
#define SECCOMP_RET_TRAP 0x00030000u
#define SECCOMP_RET_ERRNO 0x00050000u
#define SECCOMP_RET_USER_NOTIF 0x7fc00000u
#define SECCOMP_RET_TRACE 0x7ff00000u
#define SECCOMP_RET_LOG 0x7ffc0000u
#define SECCOMP_RET_ALLOW 0x7fff0000u
#define SECCOMP_RET_ACTION_FULL 0xffff0000u
#define SECCOMP_RET_DATA 0x0000ffffu

#define SYS_SECCOMP 1 /* SIGSYS's si_code */

/* What a filter reads (struct seccomp_data). */
struct seccomp_data {
    s32 nr;
    u32 arch;
    u64 instruction_pointer;
    u64 args[6];
};

/* Classic BPF (<linux/filter.h>). */
struct sock_filter {
    u16 code;
    u8 jt, jf;
    u32 k;
};
#define BPF_MAXINSNS 4096
#define BPF_MEMWORDS 16

/* One installed filter: shared by every task that inherited it, each of
 * which holds a reference; prev is the filter installed before it. */
struct seccomp_filter {
    refcount_t users;
    struct seccomp_filter *prev;
    bool log;
    u32 len;
    struct sock_filter insns[];
};

/* Checks a seccomp program as Linux's bpf_check_classic and
 * seccomp_check_filter do (kernel/lib/bpf.c): 0 or -EINVAL. */
int seccomp_bpf_check(const struct sock_filter *insns, u32 len);
/* Runs a checked program on data: its return value. */
u32 seccomp_bpf_run(const struct sock_filter *insns, u32 len, const struct seccomp_data *data);

/* The current task's seccomp check on system-call entry (after a tracer's
 * syscall-entry stop): false when the call must not run, its result then in
 * r->rax. The arguments are read from r as the call's ABI passes them. */
bool seccomp_syscall_entry(struct regs *r);
/* fork and clone: the child gets the parent's mode and filters. */
void seccomp_fork(struct task *child, const struct task *parent);
/* A task is freed: its reference to the filters goes. */
void seccomp_task_free(struct task *t);
/* prctl's PR_SET_SECCOMP (mode, the program for SECCOMP_MODE_FILTER) and
 * PR_GET_SECCOMP. */
long seccomp_prctl_set(u64 mode, u64 uprog);
long seccomp_prctl_get(void);

#endif
