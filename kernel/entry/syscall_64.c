/*
 * The 64-bit system-call dispatcher: the table is generated from
 * syscall_64.tbl (tools/gen-syscalls.sh); every slot holds a function, so a
 * number is either served or answered with -ENOSYS.
 */
#include "cpu.h"
#include "errno.h"
#include "kernel.h"
#include "layout.h"
#include "proc.h"
#include "ptrace.h"
#include "seccomp.h"
#include "syscall.h"
#include "x86.h"

#define SYSCALL(nr, name, entry) long entry();
#define SYSCALL_PTREGS(nr, name, entry) long entry(struct regs *);
#include "syscall_table_64.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
extern void ptregs_stub(void);

const syscall_fn syscall_table_64[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry) [nr] = (syscall_fn)entry,
#define SYSCALL_PTREGS(nr, name, entry) [nr] = (syscall_fn)ptregs_stub,
#include "syscall_table_64.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
};

/* The whole-frame calls, by number (NULL for the others). */
const ptregs_fn ptregs_table_64[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry)
#define SYSCALL_PTREGS(nr, name, entry) [nr] = entry,
#include "syscall_table_64.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
};

const char *const syscall_names_64[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry) [nr] = #name,
#define SYSCALL_PTREGS(nr, name, entry) [nr] = #name,
#include "syscall_table_64.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
};

const unsigned syscall_count_64 = SYSCALL_COUNT;
/* Numbers below this take the entry code's fast path (0 while tracing). */
u64 syscall_64_fast_limit = SYSCALL_COUNT;

long sys_ni_syscall(void) { return -ENOSYS; }

/* sysretq is only safe for an ordinary user context: rcx and r11 what sysretq
 * will leave in them (the return address and the flags, as after every plain
 * call; rt_sigreturn and a tracer's SETREGS restore other values, which sysretq
 * would clobber), a canonical user return address (Intel CPUs fault in ring 0
 * otherwise), the standard segments, and no single-stepping or resume flag to
 * honour. Anything else leaves through iretq. */
static bool sysret_is_safe(const struct regs *r)
{
    return r->rcx == r->rip && r->r11 == r->rflags && r->rip < USER_TOP && r->cs == USER_CS && r->ss == USER_DS &&
           !(r->rflags & (RFLAGS_TF | RFLAGS_RF));
}

bool syscall_64_dispatch(struct regs *r)
{
    /* Linux reads the number as an int: the upper 32 bits of rax are ignored. */
    unsigned nr = (unsigned)(int)r->nr;
    long result = -ENOSYS;
    syscall_enter(nr, false);
    struct task *t = current_task();
    /* A tracer's entry stop first, then seccomp, which sees any change the
     * tracer made (Linux's syscall_trace_enter). */
    bool traced = unlikely((t->ptrace_flags & PT_SYSCALL_WORK) || t->seccomp_mode);
    bool skipped = traced && !(ptrace_syscall_entry(r) && seccomp_syscall_entry(r));
    if (traced) {
        nr = (unsigned)(int)r->nr; /* the tracer may have changed the call */
        if (skipped)
            result = (long)r->rax; /* the call returns what the tracer left in rax */
        else
            syscall_enter(nr, false);
    }
    if (unlikely(kernel_trace)) {
        const u64 args[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
        trace_enter(GATE_SYSCALL64, nr, args);
    }
    if (!skipped && nr < SYSCALL_COUNT)
        result = ptregs_table_64[nr] ? ptregs_table_64[nr](r)
                                     : syscall_table_64[nr](r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9);
    r->rax = (u64)result;
    if (unlikely(kernel_trace))
        trace_exit(result);
    if (traced)
        ptrace_syscall_exit(r);
    return sysret_is_safe(r);
}
