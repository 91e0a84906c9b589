/* Tasks (threads of execution with a kernel stack), their address spaces and
 * the scheduler. */
#ifndef SYSGATE_PROC_H
#define SYSGATE_PROC_H

#include "cpu.h"
#include "fpu.h"
#include "refcount.h"
#include "signal.h"
#include "spinlock.h"
#include "timer.h"
#include "types.h"
#include "wait.h"

struct cred;
struct ksiginfo;
struct file;
struct inode;

/* One resource limit (getrlimit's struct rlimit): soft and hard. */
struct rlimit_k {
    u64 cur, max;
};
#define RLIM_NLIMITS 16

/* A mapping of user memory, kept in a sorted list per address space. */
struct vma {
    u64 start, end;         /* page-aligned, end exclusive */
    u32 prot;               /* PROT_READ | PROT_WRITE | PROT_EXEC */
    u32 flags;              /* MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS, VMA_* */
    struct inode *file;     /* file-backed mappings: the file and the offset of start */
    u64 file_offset;
    u64 file_bytes_end;     /* user address past which the file supplies no bytes (ELF bss) */
    struct vma *next;
};
#define VMA_STACK (1u << 30)
#define VMA_BRK (1u << 29)
#define VMA_FILE_READ_ONLY (1u << 27) /* mapped from a file opened without write access */
#define VMA_SPECIAL (1u << 28) /* kernel pages mapped at exec (the vDSO): never faulted in */
#define VMA_LOCKED (1u << 26)  /* mlock: its pages stay in memory (counted in VmLck) */
#define VMA_LOCK_ONFAULT (1u << 25) /* locked as they are faulted in, not all at once */
#define VMA_GROWSDOWN (1u << 24) /* MAP_GROWSDOWN: a fault just below grows it */

struct mm {
    phys_addr_t pml4;
    struct vma *vmas;
    u64 brk_start, brk;
    u64 mmap_base;          /* next address for mmap without a hint (grows down) */
    u64 stack_top;
    u64 arg_start, arg_end;  /* where execve put argv's strings (/proc/PID/cmdline) */
    u64 env_start, env_end;  /* and envp's (/proc/PID/environ) */
    u64 auxv_start, auxv_end; /* and the auxiliary vector, AT_NULL's pair included (/proc/PID/auxv) */
    u32 lock_future;         /* mlockall(MCL_FUTURE): VMA_LOCKED (and VMA_LOCK_ONFAULT) for new mappings */
    refcount_t users;        /* tasks running in it (mm_get/mm_put) */
    struct ldt *ldt;         /* modify_ldt's table, NULL when none (ldt.h) */
    struct spinlock ldt_lock; /* which table mm->ldt is */
};

#define MAX_FDS 1024
struct files {
    struct file *fd[MAX_FDS];
    u64 cloexec[MAX_FDS / 64];
    struct spinlock lock;    /* the table's slots; the files have their own counts */
    refcount_t users;        /* tasks sharing the table (CLONE_FILES) */
};


/* TASK_TRACED: in a ptrace stop (ptrace.c), until its tracer resumes it. */
enum task_state { TASK_RUNNABLE, TASK_SLEEPING, TASK_STOPPED, TASK_ZOMBIE, TASK_DEAD, TASK_TRACED };


/* The current directory and umask: shared by threads (and CLONE_FS). */
struct fs_info {
    struct inode *cwd;
    u32 umask;
    refcount_t users;
};

/* What an interrupted call needs to carry on where it stopped when it is
 * restarted without a handler having run (Linux's restart_block): a sleep's
 * absolute deadline, a poll's end, a futex wait's word. */
struct restart_block {
    long (*fn)(struct restart_block *block);
    u64 arg[5];
};

struct task {
    /* The system call in progress, and the work on the way out: written by
     * the entry code (TASK_* in cpu.h) and by the task itself, except that
     * work bits are set from interrupts and other tasks, atomically
     * (task_work_set). */
    u32 syscall_nr;         /* the running call's number, kept for its restart */
    u32 syscall_compat;     /* it came through a 32-bit gate (Linux's TS_COMPAT) */
    u32 work;               /* TASK_WORK_*: must pass through exit_to_user() */
    struct fpu_state *fpu;  /* the user's x87, SSE and AVX registers while it is switched out (fpu.h) */
    pid_t pid;
    pid_t tgid;
    pid_t pgid, sid;
    enum task_state state;
    u64 kstack;             /* lowest address of the kernel stack */
    u64 saved_rsp;          /* while switched out */
    struct mm *mm;
    struct files *files;
    /* Files a call in progress holds through fdget: dropped for it if its
     * thread is ended while it sleeps (exit_group), as its fdput never comes. */
    struct fs_info *fs;
    struct task *parent;    /* the process that waits for this one */
    struct task *children;  /* child processes (of a thread-group leader) */
    struct task *sibling;
    struct task *group_leader;
    int live_threads;       /* leader: threads of the group not yet exited */
    int exit_signal;        /* sent to the parent at exit (SIGCHLD), 0 for threads */
    int pdeath_signal;      /* PR_SET_PDEATHSIG's: sent to this process when its parent ends; 0: none */
    pid_t parent_thread;    /* the thread of the parent that made this process, whose end PR_SET_PDEATHSIG is about */
    int wait_status;        /* Linux wait status once a zombie */
    bool group_exiting;     /* leader: exit_group or a fatal signal is ending every thread */
    int group_exit_status;  /* leader: the wait status that exit_group or the signal set */
    bool vfork_parent_waiting;
    struct sigpending pending;        /* signals sent to this thread */
    struct sigpending shared_pending; /* leader: signals sent to the process (signal.h) */
    u64 waiting_for_signals; /* rt_sigtimedwait's set: these wake it though blocked */
    u64 blocked_signals;
    u64 saved_mask;         /* rt_sigsuspend's: restored after the handler */
    bool saved_mask_valid;
    struct sighand *sighand;
    u64 altstack_sp, altstack_size;
    int altstack_flags;
    u64 fault_vector, fault_address; /* the last fault's, for the signal frame */
    u64 fault_rip;          /* and where it happened, for the kernel's log */
    u64 user_ns, system_ns; /* CPU time, sampled (time/cputime.c) */
    u64 start_ns;           /* monotonic time of its creation (/proc/PID/stat starttime) */
    int nice;               /* -20..19 (proc/sched_policy.c) */
    int policy;             /* SCHED_NORMAL, SCHED_FIFO, ... */
    u32 rt_priority;        /* 1..99 under SCHED_FIFO and SCHED_RR, else 0 */
    bool reset_on_fork;     /* SCHED_RESET_ON_FORK: children start as SCHED_NORMAL, nice 0 at most */
    u32 personality;        /* leader: personality(2) */
    u64 alarm_deadline, alarm_interval; /* leader: ITIMER_REAL (alarm), monotonic ns; 0 when off */
    struct timer alarm_timer;           /* leader: fires at alarm_deadline */
    struct posix_timer *posix_timers;   /* leader: timer_create's (time/posix_timers.c) */
    int next_posix_timer_id;            /* leader: the id the next timer_create tries */
    struct wait_queue child_events;     /* leader: a child exited, stopped or continued (wait4) */
    struct wait_queue thread_exits;     /* leader: a thread ended (execve waits for the others) */
    struct wait_queue vfork_done;       /* a vfork child released the memory (exec or exit) */
    u64 cpu_timer_left[2], cpu_timer_interval[2]; /* leader: ITIMER_VIRTUAL, ITIMER_PROF in CPU ns; 0 when off */
    u64 children_user_ns, children_system_ns; /* of reaped children */
    int stop_signal;        /* the signal that stopped the task, for waitpid */
    bool stop_reported;
    bool continue_pending;  /* continued by SIGCONT and not yet reported (WCONTINUED) */
    bool group_stop_pending; /* another thread took a stop signal: stop on the way out */
    int group_stop_remaining; /* leader: threads of a group stop yet to stop (wait reports it at 0) */
    int group_stop_signal;  /* leader: the signal that stopped the process */
    u64 fs_base, gs_base;
    u64 fs_selector, gs_selector;
    u64 ds_selector, es_selector; /* saved by switch_to: 32-bit and LDT code may change them */
    u64 tls[3];             /* set_thread_area's GDT descriptors */
    bool compat;            /* a 32-bit (i386) program */
    u64 clear_child_tid;
    struct restart_block restart; /* for restart_syscall (ERESTART_RESTARTBLOCK) */
    u64 robust_list, robust_list_len;
    u64 rseq_area;          /* its registered struct rseq (proc/rseq.c), 0 for none */
    u32 rseq_len, rseq_sig;
    /* ptrace (ptrace.c): the tracing process (its leader), how this thread is
     * traced, and its stop. Changed with interrupts off. */
    struct task *ptracer;
    u32 ptrace_flags;       /* PT_* (ptrace.h) */
    u32 ptrace_options;     /* PTRACE_O_* */
    int ptrace_code;        /* stopped: what wait reports (signal | event << 8); resumed: the signal to deliver */
    u8 ptrace_stop_kind;    /* enum ptrace_stop_kind */
    bool ptrace_stop_reported;
    u64 ptrace_message;     /* PTRACE_GETEVENTMSG */
    struct ksiginfo *ptrace_siginfo; /* the stop's siginfo (on the tracee's stack), or NULL */
    u64 debugreg[4];        /* DR0-3, DR7 and the DR6 a tracer reads (PEEKUSER) */
    u64 debugreg7, virtual_dr6;
    const struct cred *cred; /* this thread's ids and capabilities (cred.h), never NULL for a user task */
    bool no_new_privs;      /* PR_SET_NO_NEW_PRIVS: exec grants nothing; inherited, kept by exec */
    u8 seccomp_mode;        /* SECCOMP_MODE_* (seccomp.h) */
    int seccomp_filter_count;
    struct seccomp_filter *seccomp_filter; /* the newest of its filters (a reference), or NULL */
    struct rlimit_k rlim[RLIM_NLIMITS]; /* leader: the process's resource limits (rlimit.c) */
    u64 group_cpu_ns;       /* leader: CPU time of every thread, for RLIMIT_CPU */
    char comm[16];
    char exe_path[256];
    struct task *next_task; /* all tasks */
    struct task *next_run;  /* run queue */
};

_Static_assert(__builtin_offsetof(struct task, syscall_nr) == TASK_SYSCALL_NR, "entry code offsets");
_Static_assert(__builtin_offsetof(struct task, syscall_compat) == TASK_SYSCALL_COMPAT, "entry code offsets");
_Static_assert(TASK_SYSCALL_COMPAT == TASK_SYSCALL_NR + 4 && sizeof(((struct task *)0)->syscall_compat) == 4,
               "the 64-bit gate clears syscall_compat with its 8-byte store of the number");
_Static_assert(__builtin_offsetof(struct task, work) == TASK_WORK, "entry code offsets");
_Static_assert(sizeof(((struct task *)0)->work) == 4, "entry code tests work with 32-bit instructions");

/* One load through %gs, as the entry code does. Volatile, and ordered after
 * set_current_task() (whose asm is volatile too, and clobbers memory). */
static inline struct task *current_task(void)
{
    struct task *t;
    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(t) : "i"(CPU_CURRENT));
    return t;
}

static inline void set_current_task(struct task *t)
{
    __asm__ volatile("movq %0, %%gs:%c1" : : "r"(t), "i"(CPU_CURRENT) : "memory");
}

/* Work bits are set by interrupts (a reschedule) and by other tasks (a
 * signal) while the task runs: one atomic instruction each. */
static inline void task_work_set(struct task *t, u32 work) { __atomic_fetch_or(&t->work, work, __ATOMIC_RELAXED); }
static inline void task_work_clear(struct task *t, u32 work) { __atomic_fetch_and(&t->work, ~work, __ATOMIC_RELAXED); }

/* The full paths' dispatchers record the call as the fast paths do. */
static inline void syscall_enter(u32 nr, bool compat)
{
    struct task *t = current_task();
    t->syscall_nr = nr;
    t->syscall_compat = compat;
}

struct regs *task_regs(struct task *t);
struct task *task_create(void);
void sched_init(void);
void sched_add(struct task *t);
void sched_remove_task(struct task *t);
noreturn void sched_start(void);
void schedule(void);
void schedule_if_needed(void);
/* The last stop of every slow way back to user space (sched.c): runs a
 * whole-frame call, reschedules, delivers signals; says whether the gate's
 * fast return instruction may still be used. */
bool exit_to_user(struct regs *r, bool fast_return_ok);
/* Makes a sleeping task runnable (wait.h has the queues that call it). */
void task_wake(struct task *t);

/* Ends the current task with a Linux wait status (exit code << 8, or signal). */
noreturn void task_exit(int wait_status);
/* Kills the current task with a signal (for faults, until signal delivery exists). */
noreturn void task_die_by_signal(int signal);
/* Ends the whole thread group, as a fatal signal or exit_group does. */
noreturn void task_exit_group_by_signal(int signal);
void task_end_other_threads(void); /* execve: the process's other threads end */
noreturn void task_exit_group(int wait_status);
/* Frees the threads that ended on their own (their stacks were in use then). */
void task_free_dead_threads(void);
struct task *task_first(void);
struct task *task_next(struct task *t);
void task_free(struct task *t);
void fs_info_get(struct fs_info *fs);
void fs_info_put(struct fs_info *fs);

struct mm *mm_create(void);
struct mm *mm_copy(struct mm *parent); /* copy-on-write */
/* Reads another address space's memory as its own user would (faulting
 * pages in). 0 or -EFAULT. */
int copy_from_mm(struct mm *mm, void *dst, u64 va, size_t len);
/* Writes another address space's memory as its own user would (faulting
 * pages in, copying a copy-on-write page for it). 0 or -EFAULT. */
int copy_to_mm(struct mm *mm, u64 va, const void *src, size_t len);
/* Frees an address space no task uses; the others leave through mm_put. */
void mm_destroy(struct mm *mm);
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);
struct vma *vma_find(struct mm *mm, u64 addr);
int vma_insert(struct mm *mm, u64 start, u64 end, u32 prot, u32 flags, struct inode *file, u64 offset);
int vma_unmap(struct mm *mm, u64 start, u64 end);
/* The highest free range of len bytes below top, where mmap without a hint
 * puts a mapping (Linux's top-down search); 0 when there is none. */
u64 mmap_find_free(struct mm *mm, u64 top, u64 len);
long map_shared_object(struct inode *object, u64 addr, u64 size, u32 prot, bool read_only);
int vma_discard(struct mm *mm, u64 start, u64 end);
int vma_grow(struct mm *mm, u64 addr, u64 old_size, u64 new_size);
int vma_move(struct mm *mm, u64 addr, u64 old_size, u64 new_addr, u64 new_size);
/* Handles a user page fault; returns 0 when the access may be retried,
 * -EIO for a page past the end of a mapped file (SIGBUS), else an errno (SIGSEGV). */
int handle_user_fault(struct mm *mm, u64 addr, u64 error_code);
#define PF_PRESENT (1u << 0) /* the page-fault error code's bits */
#define PF_WRITE (1u << 1)
#define PF_INSTRUCTION (1u << 4)
/* Faults in every page of [start, end) as its mapping allows (MAP_POPULATE, mlock). */
void vma_populate(struct mm *mm, u64 start, u64 end);
/* Sets `set` and clears `clear` in the flags of the mappings of [start, end),
 * splitting them at its edges; -ENOMEM when part of it is not mapped. */
int vma_change_flags(struct mm *mm, u64 start, u64 end, u32 set, u32 clear);
#define RLIMIT_STACK 3

/* Restartable sequences (proc/rseq.c): a switched-out task notes the work
 * (rseq_preempt), done on its way back to user space (rseq_resume). */
void rseq_preempt(struct task *t);
void rseq_resume(struct regs *r);
void rseq_fork(struct task *child, const struct task *parent, u64 clone_flags);
void rseq_exec(struct task *t);
u64 rseq_feature_size(void); /* AT_RSEQ_FEATURE_SIZE */
u64 rseq_alignment(void);    /* AT_RSEQ_ALIGN */
int exec_program(struct task *t, struct regs *r, const char *path, char *const argv[], char *const envp[]);
/* execve(2) for the current task: ELF files and #! scripts. */
long do_execve(struct regs *r, const char *path, char **argv, char **envp);
struct task *task_find(pid_t pid);
pid_t last_pid(void);
#define SCHED_NORMAL 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
u64 sched_context_switches(void); /* since boot, every CPU's */
/* A process's limit `resource` (< RLIM_NLIMITS), soft and hard. */
void task_rlimit(struct task *t, unsigned resource, u64 *cur, u64 *max);
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_SIGPENDING 11
#define RLIM_INFINITY (~0ul)
/* The current process's soft limit. */
u64 rlimit(unsigned resource);
/* A new process's limits: Linux's for its first one (rlimit.c). */
void rlimit_set_defaults(struct task *t);
/* fork's RLIMIT_NPROC check: 0 or -EAGAIN. */
int rlimit_nproc_check(void);
/* RLIMIT_AS and RLIMIT_DATA for a new mapping of [start, start + size)
 * (replacing whatever is there): 0 or -ENOMEM. */
int rlimit_vm_check(struct mm *mm, u64 start, u64 size, u32 prot, u32 flags);
/* RLIMIT_FSIZE for a write of `len` bytes at `pos` of a regular file: the
 * bytes that may be written, or -EFBIG (with SIGXFSZ) when none. */
long rlimit_fsize_check(u64 pos, u64 len);
/* RLIMIT_CPU after the process's CPU time grew (time/cputime.c). */
void rlimit_cpu_check(struct task *leader);
/* RLIMIT_SIGPENDING: may one more signal be queued for `t`? */
bool rlimit_sigpending_ok(struct task *t);
struct task *init_task(void);
void fpu_reset(struct task *t);

#endif
