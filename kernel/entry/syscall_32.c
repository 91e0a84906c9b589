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
#include "syscall.h"

#define SYSCALL(nr, name, entry) long entry();
#include "syscall_table_32.h"
#undef SYSCALL

static const syscall_fn syscall_table_32[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry) [nr] = (syscall_fn)entry,
#include "syscall_table_32.h"
#undef SYSCALL
};

const char *const syscall_names_32[SYSCALL_COUNT] = {
#define SYSCALL(nr, name, entry) [nr] = #name,
#include "syscall_table_32.h"
#undef SYSCALL
};
const unsigned syscall_count_32 = SYSCALL_COUNT;

/* Arguments are the low 32 bits of ebx, ecx, edx, esi, edi and ebp: a 64-bit
 * caller's pointers are truncated, as Linux does. */
static long dispatch_32(struct regs *r, enum gate gate)
{
    unsigned nr = (u32)r->nr;
    long result = -ENOSYS;
    struct cpu *cpu = this_cpu();
    cpu->in_compat_syscall = true;
    if (nr < SYSCALL_COUNT)
        result = syscall_table_32[nr]((u32)r->rbx, (u32)r->rcx, (u32)r->rdx, (u32)r->rsi, (u32)r->rdi, (u32)r->rbp);
    cpu->in_compat_syscall = false;
    r->rax = (u64)result;
    if (unlikely(kernel_trace))
        trace_syscall(r, gate, nr, result);
    return result;
}

void syscall_32_dispatch(struct regs *r) { dispatch_32(r, GATE_INT80); }
