/*
 * The i386 system-call dispatcher, shared by the three 32-bit gates (int $0x80,
 * sysenter, and syscall in compatibility mode). Its table is generated from
 * syscall_32.tbl; where the i386 layout of an argument differs from x86-64's,
 * the table names a compat_sys_* entry point that converts it.
 */
#include "compat.h"
#include "cpu.h"
#include "errno.h"
#include "kernel.h"
#include "proc.h"
#include "ptrace.h"
#include "seccomp.h"
#include "syscall.h"
#include "uaccess.h"
#include "vdso.h"
#include "x86.h"

#define SYSCALL(nr, name, entry) long entry();
#define SYSCALL_PTREGS(nr, name, entry) long entry(struct regs *);
#include "syscall_table_32.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
extern void ptregs_stub(void);

const syscall_fn syscall_table_32[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry) [nr] = (syscall_fn)entry,
#define SYSCALL_PTREGS(nr, name, entry) [nr] = (syscall_fn)ptregs_stub,
#include "syscall_table_32.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
};

/* The whole-frame calls, by number (NULL for the others). */
const ptregs_fn ptregs_table_32[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry)
#define SYSCALL_PTREGS(nr, name, entry) [nr] = entry,
#include "syscall_table_32.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
};

const char *const syscall_names_32[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry) [nr] = #name,
#define SYSCALL_PTREGS(nr, name, entry) [nr] = #name,
#include "syscall_table_32.h"
#undef SYSCALL
#undef SYSCALL_PTREGS
};
const unsigned syscall_count_32 = SYSCALL_COUNT;
/* Numbers below this take the entry code's fast path (0 while tracing). */
u64 syscall_32_fast_limit = SYSCALL_COUNT;

/* A traced call, or one seccomp checks: the tracer and the filters see (and
 * the tracer may change) the registers, which hold the arguments as int
 * $0x80 passes them (the fast gates' second and sixth are put there first,
 * as Linux shows them). The tracer's entry stop comes before seccomp. */
static void dispatch_32_traced(struct regs *r, enum gate gate, const u32 args[6])
{
    r->rcx = args[1];
    r->rbp = args[5];
    if (!(ptrace_syscall_entry(r) && seccomp_syscall_entry(r))) {
        if (unlikely(kernel_trace)) { /* skipped: it returns what the tracer left in rax */
            const u64 wide[6] = {args[0], args[1], args[2], args[3], args[4], args[5]};
            trace_enter(gate, (u32)r->nr, wide);
            trace_exit((long)r->rax);
        }
    } else {
        unsigned nr = (u32)r->nr;
        const u32 now[6] = {(u32)r->rbx, (u32)r->rcx, (u32)r->rdx, (u32)r->rsi, (u32)r->rdi, (u32)r->rbp};
        long result = -ENOSYS;
        syscall_enter(nr, true);
        if (unlikely(kernel_trace)) {
            const u64 wide[6] = {now[0], now[1], now[2], now[3], now[4], now[5]};
            trace_enter(gate, nr, wide);
        }
        if (nr < SYSCALL_COUNT && ptregs_table_32[nr])
            result = ptregs_table_32[nr](r);
        else if (nr < SYSCALL_COUNT)
            result = syscall_table_32[nr](now[0], now[1], now[2], now[3], now[4], now[5]);
        r->rax = (u64)result;
        if (unlikely(kernel_trace))
            trace_exit(result);
    }
    ptrace_syscall_exit(r);
}

static void dispatch_32(struct regs *r, enum gate gate, const u32 args[6])
{
    unsigned nr = (u32)r->nr;
    long result = -ENOSYS;
    syscall_enter(nr, true);
    if (unlikely((current_task()->ptrace_flags & PT_SYSCALL_WORK) || current_task()->seccomp_mode)) {
        dispatch_32_traced(r, gate, args);
        return;
    }
    if (unlikely(kernel_trace)) {
        const u64 wide[6] = {args[0], args[1], args[2], args[3], args[4], args[5]};
        trace_enter(gate, nr, wide);
    }
    if (nr < SYSCALL_COUNT && ptregs_table_32[nr])
        result = ptregs_table_32[nr](r);
    else if (nr < SYSCALL_COUNT)
        result = syscall_table_32[nr](args[0], args[1], args[2], args[3], args[4], args[5]);
    r->rax = (u64)result;
    if (unlikely(kernel_trace))
        trace_exit(result);
}

/* int $0x80: the arguments are the low 32 bits of ebx, ecx, edx, esi, edi and
 * ebp, so a 64-bit caller's pointers are truncated, as on Linux. */
void syscall_32_dispatch(struct regs *r)
{
    const u32 args[6] = {(u32)r->rbx, (u32)r->rcx, (u32)r->rdx, (u32)r->rsi, (u32)r->rdi, (u32)r->rbp};
    dispatch_32(r, GATE_INT80, args);
}

/* sysenter and 32-bit syscall come through the vDSO, which saved ebp at the
 * top of the user stack (the sixth argument) and returns at its landing pad. */
static bool fast_32_dispatch(struct regs *r, enum gate gate, u32 second_arg)
{
    u32 sixth;
    r->rip = vdso32_landing_pad();
    if (get_user(sixth, (const u32 __user *)(u64)(u32)r->rsp)) {
        r->rax = (u64)-EFAULT;
        if (unlikely(kernel_trace)) {
            const u64 args[6] = {(u32)r->rbx, second_arg, (u32)r->rdx, (u32)r->rsi, (u32)r->rdi, 0};
            trace_enter(gate, (u32)r->nr, args);
            trace_exit(-EFAULT);
        }
    } else {
        const u32 args[6] = {(u32)r->rbx, second_arg, (u32)r->rdx, (u32)r->rsi, (u32)r->rdi, sixth};
        dispatch_32(r, gate, args);
    }
    /* sysexit is valid in long mode only on Intel CPUs (AMD raises #UD; an
     * emulator may still let a program's sysenter in): elsewhere, iret. */
    if (gate == GATE_SYSENTER && this_cpu()->vendor != VENDOR_INTEL)
        return false;
    /* The fast exits restore no flags that need care, and only 32-bit state;
     * they leave ecx and edx to the landing pad's pops, so a call that set
     * the whole context (sigreturn, a tracer's SETREGS) leaves through iret. */
    return !(r->rflags & (RFLAGS_TF | RFLAGS_RF)) && r->cs == USER32_CS && r->ss == USER_DS &&
           r->rip == vdso32_landing_pad() && r->rsp <= 0xffffffffu;
}

/* A single-stepping user's TF is in r->rflags (the entry saved it, traps.c
 * saw to that): the return is iret, and stepping resumes after the call. */
bool sysenter_32_dispatch(struct regs *r) { return fast_32_dispatch(r, GATE_SYSENTER, (u32)r->rcx); }
bool syscall32_dispatch(struct regs *r) { return fast_32_dispatch(r, GATE_SYSCALL32, (u32)r->rbp); }
