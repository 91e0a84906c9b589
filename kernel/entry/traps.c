/*
 * Exceptions and interrupts after the entry code: a fault in user mode becomes
 * the signal Linux would send; a fault in the kernel is either a user-memory
 * access with a fixup (copy_from_user and friends) or a bug, which gets a
 * register dump, a backtrace and a panic.
 */
#include "cpu.h"
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "printk.h"
#include "proc.h"
#include "ptrace.h"
#include "signal.h"
#include "uaccess.h"
#include "x86.h"

struct idt_entry {
    u16 offset_low, selector;
    u8 ist, type;
    u16 offset_mid;
    u32 offset_high, reserved;
} __attribute__((packed));

static struct idt_entry idt[256];
extern const u64 interrupt_stubs[256];
void (*irq_handlers[256])(struct regs *);

#define GATE_INTERRUPT 0x8e
#define GATE_USER 0x60 /* DPL 3: reachable with int from ring 3 */

static void set_gate(int vector, u64 handler, u8 type)
{
    idt[vector] = (struct idt_entry){
        .offset_low = handler & 0xffff,
        .selector = KERNEL_CS,
        .ist = vector == 8 ? 1 : vector == 1 ? 2 : 0,
        .type = type,
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = handler >> 32,
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, interrupt_stubs[v], GATE_INTERRUPT);
    extern void entry_int80(void);
    set_gate(0x80, (u64)entry_int80, GATE_INTERRUPT | GATE_USER);
    /* int3 and into are meant to be used from user mode. */
    set_gate(3, interrupt_stubs[3], GATE_INTERRUPT | GATE_USER);
    set_gate(4, interrupt_stubs[4], GATE_INTERRUPT | GATE_USER);
    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) pointer = {sizeof(idt) - 1, (u64)idt};
    __asm__ volatile("lidt %0" ::"m"(pointer));
}

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS", "segment not present",
    "stack fault", "general protection", "page fault", "reserved", "x87 error", "alignment check",
    "machine check", "SIMD error", "virtualization", "control protection",
};

void dump_backtrace(u64 rbp)
{
    kprintf(KERN_ERR "Call trace:\n");
    for (int depth = 0; depth < 16 && rbp >= KERNEL_VMA && !(rbp & 7); depth++) {
        u64 *frame = (u64 *)rbp;
        if (frame[1] < (u64)__text_start || frame[1] >= (u64)__text_end)
            break;
        kprintf(KERN_ERR "  [<%016lx>]\n", frame[1]);
        rbp = frame[0];
    }
}

static void dump_regs(const struct regs *r)
{
    kprintf(KERN_ERR "RIP: %04lx:%016lx RFLAGS: %08lx ERR: %lx\n", r->cs, r->rip, r->rflags, r->error_code);
    kprintf(KERN_ERR "RSP: %04lx:%016lx CR2: %016lx CR3: %016lx\n", r->ss, r->rsp, read_cr2(), read_cr3());
    kprintf(KERN_ERR "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
    kprintf(KERN_ERR "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
    kprintf(KERN_ERR "RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
    kprintf(KERN_ERR "R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
    kprintf(KERN_ERR "R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
}

/* The user-access routines list their faulting instructions and where to
 * continue instead (uaccess.h). */
struct exception_fixup {
    u64 insn, fixup;
};
extern const struct exception_fixup __ex_table_start[], __ex_table_end[];

static bool apply_fixup(struct regs *r)
{
    for (const struct exception_fixup *f = __ex_table_start; f < __ex_table_end; f++) {
        if (f->insn == r->rip) {
            r->rip = f->fixup;
            return true;
        }
    }
    return false;
}

static noreturn void kernel_oops(struct regs *r)
{
    const char *name = r->nr < 32 && exception_names[r->nr] ? exception_names[r->nr] : "interrupt";
    console_verbose();
    kprintf(KERN_ERR "Oops: %s (vector %lu) in kernel mode\n", name, r->nr);
    dump_regs(r);
    dump_backtrace(r->rbp);
    panic("fatal exception in the kernel");
}

/* The signal Linux sends for each exception raised in user mode. */
static int exception_signal(u64 vector)
{
    switch (vector) {
    case 0: return SIGFPE;
    case 1: case 3: return SIGTRAP;
    case 6: return SIGILL;
    case 7: case 16: case 19: return SIGFPE;
    case 11: case 12: case 17: return SIGBUS; /* not present, stack segment, alignment */
    default: return SIGSEGV;
    }
}

/* Its si_code: why, where Linux says (with the instruction's address in
 * si_addr); SI_KERNEL for int3, #GP and the rest. */
static int exception_code(u64 vector)
{
    switch (vector) {
    case 0: return FPE_INTDIV;
    case 1: return TRAP_TRACE;
    case 6: return ILL_ILLOPN;
    case 17: return BUS_ADRALN;
    default: return SI_KERNEL;
    }
}

#define PF_USER (1u << 2)


u64 current_regs_rip(void) { return current_task()->fault_rip; }

static void handle_page_fault(struct regs *r)
{
    u64 addr = read_cr2();
    struct task *t = current_task();
    bool user_address = addr < USER_TOP;
    if (regs_from_user(r)) {
        int err = t && t->mm && user_address ? handle_user_fault(t->mm, addr, r->error_code) : -EFAULT;
        if (err == 0)
            return;
        t->fault_rip = r->rip;
        if (kernel_verbose)
            dump_regs(r);
        /* Past a file's end; outside every mapping; or a mapping that forbids the access. */
        bool mapped = t && t->mm && user_address && vma_find(t->mm, addr);
        if (err == -EIO)
            signal_force(SIGBUS, BUS_ADRERR, addr, 14, addr);
        else
            signal_force(SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, addr, 14, addr);
        exit_to_user(r, false);
        return;
    }
    /* The kernel touched user memory on a user's behalf (a copy routine). */
    if (user_address && t && t->mm && handle_user_fault(t->mm, addr, r->error_code | PF_USER) == 0)
        return;
    if (apply_fixup(r))
        return;
    kprintf(KERN_ERR "BUG: unable to handle page fault at %016lx\n", addr);
    kernel_oops(r);
}

extern const char entry_sysenter_32[], entry_sysenter_32_flags_saved[], entry_sysenter_32_stepped[];

static bool in_sysenter_entry(u64 rip)
{
    return rip >= (u64)entry_sysenter_32 && rip <= (u64)entry_sysenter_32_flags_saved + 8;
}

#define IRET_FRAME_WORDS 5 /* rip, cs, rflags, rsp, ss */
extern const char user_iret[], user_iret_fault[];

/* The iretq that returns to user space faulted: the selectors it loads are
 * the user's to choose (sigreturn, an LDT another thread changed), and so
 * is the fault, as Linux's fixup_bad_iret makes it. The iret frame goes to
 * the top of the task's kernel stack (where it already is, unless the iretq
 * ran on the espfix stack: entry_64.S), and the kernel resumes at
 * user_iret_fault, which makes a user frame of it. Short: this may run on
 * the espfix stack, a page shared with its own frame. */
static bool iret_to_user_faulted(struct regs *r)
{
    if (regs_from_user(r) || r->rip != (u64)user_iret || (r->nr != 11 && r->nr != 12 && r->nr != 13))
        return false;
    struct cpu *cpu = this_cpu();
    u64 *top = (u64 *)cpu->kernel_rsp - IRET_FRAME_WORDS;
    memmove(top, (const void *)r->rsp, IRET_FRAME_WORDS * sizeof(u64));
    /* From the espfix stack, Linux takes whatever the fault was as a #GP(0)
     * (its alias is read-only: a double fault it turns into one). */
    bool on_espfix_stack = r->rsp >= ESPFIX_BASE && r->rsp < ESPFIX_BASE + ESPFIX_SPAN;
    cpu->iret_fault_vector = on_espfix_stack ? 13 : r->nr;
    cpu->iret_fault_error = on_espfix_stack ? 0 : r->error_code;
    r->rsp = (u64)top;
    r->rip = (u64)user_iret_fault;
    return true;
}

/* entry_64.S's user_iret_fault: the user's frame, on the task's stack. */
void user_iret_failed(struct regs *r)
{
    struct cpu *cpu = this_cpu();
    u64 vector = cpu->iret_fault_vector;
    r->error_code = cpu->iret_fault_error;
    current_task()->fault_rip = r->rip;
    signal_force(exception_signal(vector), exception_code(vector), r->rip, vector, r->rip);
    exit_to_user(r, false);
}

void interrupt_dispatch(struct regs *r)
{
    if (iret_to_user_faulted(r))
        return;
    /* Interrupt gates leave AC as the user set it; with SMAP that would let
     * the kernel touch user memory by accident. */
    user_access_end();
    u64 vector = r->nr;
    if (regs_from_user(r))
        r->nr = (u64)-1; /* no system call: what a tracer reads as orig_rax */
    if (vector == 14) {
        handle_page_fault(r);
        return;
    }
    int debug_code = vector == 1 ? ptrace_debug_trap(r) : 0;
    if (vector == 1 && !regs_from_user(r) && debug_code == TRAP_HWBKPT)
        return; /* a copy to or from user memory hit the task's watchpoint: Linux ignores it too */
    if (vector == 1 && !regs_from_user(r) && in_sysenter_entry(r->rip)) {
        /* The user's TF survived sysenter. The kernel goes on without it;
         * the user's saved flags keep it, so the call takes the full path
         * and returns through iret with TF, and single-stepping resumes
         * after it. The CPU reports the trap before the entry's first
         * instruction, the pushfq that saves those flags: that one then
         * runs again where it adds TF back (entry_64.S). */
        r->rflags &= ~RFLAGS_TF;
        if (r->rip == (u64)entry_sysenter_32)
            r->rip = (u64)entry_sysenter_32_stepped;
        return;
    }
    if (vector < 32) {
        if (regs_from_user(r)) {
            current_task()->fault_rip = r->rip;
            if (kernel_verbose) {
                dump_regs(r);
                u8 code[16];
                if (!copy_from_user(code, (void *)r->rip, sizeof(code)))
                    kprintf(KERN_ERR "code: %02x %02x %02x %02x %02x %02x %02x %02x\n", code[0], code[1], code[2],
                            code[3], code[4], code[5], code[6], code[7]);
            }
            int code = vector == 1 ? debug_code : exception_code(vector);
            signal_force(exception_signal(vector), code, vector == 17 ? 0 : r->rip, vector, r->rip);
            exit_to_user(r, false);
            return;
        }
        /* #NP and #SS too: loading a user selector whose descriptor is not
         * present (ldt.h's load_user_segment). */
        if ((vector == 13 || vector == 11 || vector == 12) && apply_fixup(r))
            return;
        kernel_oops(r);
    }
    if (irq_handlers[vector])
        irq_handlers[vector](r);
    if (regs_from_user(r))
        exit_to_user(r, false);
}
