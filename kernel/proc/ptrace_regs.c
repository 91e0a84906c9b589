/*
 * ptrace's view of a stopped tracee's registers: struct user_regs_struct and
 * struct user (<sys/user.h>) for 64-bit tracers, their i386 layouts for
 * 32-bit ones, the FPU state, the regsets of PTRACE_GETREGSET (in the
 * tracee's own layout, as Linux's task_user_regset_view), the debug
 * registers and PTRACE_GET_SYSCALL_INFO.
 */
#include "compat.h"
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "ptrace.h"
#include "signal.h"
#include "uaccess.h"
#include "x86.h"

/* struct user_regs_struct, by index (x86-64). */
enum {
    REG_R15, REG_R14, REG_R13, REG_R12, REG_RBP, REG_RBX, REG_R11, REG_R10, REG_R9, REG_R8, REG_RAX, REG_RCX,
    REG_RDX, REG_RSI, REG_RDI, REG_ORIG_RAX, REG_RIP, REG_CS, REG_EFLAGS, REG_RSP, REG_SS, REG_FS_BASE,
    REG_GS_BASE, REG_DS, REG_ES, REG_FS, REG_GS, USER_REGS_64
};
/* i386's struct user_regs_struct, by index. */
enum {
    REG32_EBX, REG32_ECX, REG32_EDX, REG32_ESI, REG32_EDI, REG32_EBP, REG32_EAX, REG32_DS, REG32_ES, REG32_FS,
    REG32_GS, REG32_ORIG_EAX, REG32_EIP, REG32_CS, REG32_EFLAGS, REG32_ESP, REG32_SS, USER_REGS_32
};
_Static_assert(REG_RDI == 14 && USER_REGS_64 == 27 && USER_REGS_32 == 17, "user_regs_struct layouts");
_Static_assert(__builtin_offsetof(struct regs, rdi) == REG_RDI * 8, "struct regs starts as user_regs_struct");

/* struct user and i386's struct user32: the sizes and where u_debugreg is. */
#define USER_SIZE_64 928 /* the kernel's struct user: <sys/user.h>'s and error_code, fault_address */
#define USER_DEBUGREG_64 848
#define USER_SIZE_32 284
#define USER_DEBUGREG_32 252

#define FXSAVE_SIZE 512
#define I387_IA32_SIZE 108 /* struct user_i387_ia32_struct: the FSAVE layout */
/* The flags a tracer may change (Linux's FLAG_MASK_32): the arithmetic
 * ones, TF, DF, RF and AC. */
#define TRACER_FLAGS_MASK 0x50dd5ul

static bool user_64bit_mode(struct task *t) { return task_regs(t)->cs != USER32_CS; }

static u64 tracee_flags(struct task *t)
{
    u64 flags = task_regs(t)->rflags;
    return (t->ptrace_flags & PT_FORCED_TF) ? flags & ~RFLAGS_TF : flags;
}

/* A tracer's flags: TF it sets is the program's own from then on. */
static void set_tracee_flags(struct task *t, u64 value)
{
    struct regs *r = task_regs(t);
    if (value & RFLAGS_TF)
        t->ptrace_flags &= ~PT_FORCED_TF;
    else if (t->ptrace_flags & PT_FORCED_TF)
        value |= RFLAGS_TF;
    r->rflags = (r->rflags & ~TRACER_FLAGS_MASK) | (value & TRACER_FLAGS_MASK);
}

static bool invalid_selector(u64 value) { return value && (value & 3) != 3; }

static u64 data_selector(struct task *t) { return user_64bit_mode(t) ? 0 : USER_DS; }

/* Segment registers: sysgate's tasks use the standard selectors, so a
 * tracer may write back what it read (or a null data selector), nothing
 * that would fault on the way out. */
static int set_segment(struct task *t, int which, u64 value)
{
    struct regs *r = task_regs(t);
    if (invalid_selector(value))
        return -EIO;
    switch (which) {
    case REG_CS:
        if (value != USER_CS && value != USER32_CS)
            return -EIO;
        r->cs = value;
        return 0;
    case REG_SS:
        if (value != USER_DS)
            return -EIO;
        r->ss = value;
        return 0;
    case REG_FS:
        if (value != t->fs_selector && value != 0)
            return -EIO;
        t->fs_selector = value;
        return 0;
    case REG_GS:
        if (value != t->gs_selector && value != 0)
            return -EIO;
        t->gs_selector = value;
        return 0;
    default: /* ds, es */
        return value == 0 || value == USER_DS ? 0 : -EIO;
    }
}

static u64 getreg64(struct task *t, int i)
{
    struct regs *r = task_regs(t);
    if (i <= REG_RDI)
        return ((u64 *)r)[i];
    switch (i) {
    case REG_ORIG_RAX: return r->nr;
    case REG_RIP: return r->rip;
    case REG_CS: return r->cs;
    case REG_EFLAGS: return tracee_flags(t);
    case REG_RSP: return r->rsp;
    case REG_SS: return r->ss;
    case REG_FS_BASE: return t->fs_base;
    case REG_GS_BASE: return t->gs_base;
    case REG_FS: return t->fs_selector;
    case REG_GS: return t->gs_selector;
    default: return data_selector(t); /* ds, es */
    }
}

static int putreg64(struct task *t, int i, u64 value)
{
    struct regs *r = task_regs(t);
    if (i <= REG_RDI) {
        ((u64 *)r)[i] = value;
        return 0;
    }
    switch (i) {
    case REG_ORIG_RAX: r->nr = value; return 0;
    case REG_RIP: r->rip = value; return 0;
    case REG_RSP: r->rsp = value; return 0;
    case REG_EFLAGS: set_tracee_flags(t, value); return 0;
    case REG_FS_BASE:
    case REG_GS_BASE:
        if (value >= USER_TOP)
            return -EIO;
        *(i == REG_FS_BASE ? &t->fs_base : &t->gs_base) = value;
        return 0;
    default: return set_segment(t, i, value);
    }
}

static u32 getreg32(struct task *t, int i)
{
    struct regs *r = task_regs(t);
    switch (i) {
    case REG32_EBX: return (u32)r->rbx;
    case REG32_ECX: return (u32)r->rcx;
    case REG32_EDX: return (u32)r->rdx;
    case REG32_ESI: return (u32)r->rsi;
    case REG32_EDI: return (u32)r->rdi;
    case REG32_EBP: return (u32)r->rbp;
    case REG32_EAX: return (u32)r->rax;
    case REG32_ORIG_EAX: return (u32)r->nr;
    case REG32_EIP: return (u32)r->rip;
    case REG32_CS: return (u32)r->cs;
    case REG32_EFLAGS: return (u32)tracee_flags(t);
    case REG32_ESP: return (u32)r->rsp;
    case REG32_SS: return (u32)r->ss;
    case REG32_FS: return (u32)t->fs_selector;
    case REG32_GS: return (u32)t->gs_selector;
    default: return (u32)data_selector(t); /* ds, es */
    }
}

static int putreg32(struct task *t, int i, u32 value)
{
    struct regs *r = task_regs(t);
    switch (i) {
    case REG32_EBX: r->rbx = value; return 0;
    case REG32_ECX: r->rcx = value; return 0;
    case REG32_EDX: r->rdx = value; return 0;
    case REG32_ESI: r->rsi = value; return 0;
    case REG32_EDI: r->rdi = value; return 0;
    case REG32_EBP: r->rbp = value; return 0;
    /* Sign-extended, as the restart of an interrupted call reads them
     * (Linux's TS_I386_REGS_POKED): -1 in orig_eax means no call. */
    case REG32_EAX: r->rax = user_64bit_mode(t) ? value : (u64)(s64)(s32)value; return 0;
    case REG32_ORIG_EAX: r->nr = (u64)(s64)(s32)value; return 0;
    case REG32_EIP: r->rip = value; return 0;
    case REG32_ESP: r->rsp = value; return 0;
    case REG32_EFLAGS: set_tracee_flags(t, value); return 0;
    case REG32_CS: return set_segment(t, REG_CS, value);
    case REG32_SS: return set_segment(t, REG_SS, value);
    case REG32_FS: return set_segment(t, REG_FS, value);
    case REG32_GS: return set_segment(t, REG_GS, value);
    default: return set_segment(t, REG_DS, value);
    }
}

/* ---- debug registers ---- */

#define DR7_ENABLE_BITS(slot) (3ul << ((slot) * 2))
#define DR7_RW(dr7, slot) (((dr7) >> (16 + (slot) * 4)) & 3)
#define DR7_LEN(dr7, slot) (((dr7) >> (18 + (slot) * 4)) & 3)
#define DR_RW_EXECUTE 0
#define DR_RW_IO 2
#define DR7_HW_MASK 0xffff00fful /* the enable bits and each slot's type and length */

static u64 breakpoint_length(u64 len_bits) { return len_bits == 0 ? 1 : len_bits == 1 ? 2 : len_bits == 3 ? 4 : 8; }

/* A breakpoint the hardware can take for the task: a user address aligned
 * to its length, an instruction breakpoint one byte long, no I/O ones. */
static int check_breakpoint(u64 address, u64 dr7, int slot)
{
    u64 type = DR7_RW(dr7, slot), len_bits = DR7_LEN(dr7, slot);
    if (type == DR_RW_IO || (type == DR_RW_EXECUTE && len_bits != 0))
        return -EINVAL;
    u64 len = breakpoint_length(len_bits);
    if ((address & (len - 1)) || address >= USER_TOP || address + len - 1 >= USER_TOP)
        return -EINVAL;
    return 0;
}

static u64 get_debugreg(struct task *t, unsigned n)
{
    if (n < HBP_NUM)
        return t->debugreg[n];
    if (n == DR_STATUS)
        return t->virtual_dr6 ^ DR6_RESERVED;
    if (n == DR_CONTROL)
        return t->debugreg7;
    return 0;
}

static int set_debugreg(struct task *t, unsigned n, u64 value)
{
    if (n < HBP_NUM) {
        if (value >= USER_TOP)
            return -EINVAL;
        if ((t->debugreg7 & DR7_ENABLE_BITS(n)) && check_breakpoint(value, t->debugreg7, (int)n))
            return -EINVAL;
        t->debugreg[n] = value;
        return 0;
    }
    if (n == DR_STATUS) {
        t->virtual_dr6 = value ^ DR6_RESERVED;
        return 0;
    }
    if (n == DR_CONTROL) {
        for (int slot = 0; slot < HBP_NUM; slot++)
            if ((value & DR7_ENABLE_BITS(slot)) && check_breakpoint(t->debugreg[slot], value, slot))
                return -EINVAL;
        t->debugreg7 = value;
        return 0;
    }
    return -EIO;
}

static void write_dr7(u64 v) { __asm__ volatile("mov %0, %%dr7" ::"r"(v)); }

void ptrace_switch_debugregs(struct task *prev, struct task *next)
{
    if (next->debugreg7 & 0xff) {
        write_dr7(0);
        __asm__ volatile("mov %0, %%dr0" ::"r"(next->debugreg[0]));
        __asm__ volatile("mov %0, %%dr1" ::"r"(next->debugreg[1]));
        __asm__ volatile("mov %0, %%dr2" ::"r"(next->debugreg[2]));
        __asm__ volatile("mov %0, %%dr3" ::"r"(next->debugreg[3]));
        write_dr7(next->debugreg7 & DR7_HW_MASK);
    } else if (prev->debugreg7 & 0xff) {
        write_dr7(0);
    }
}

void ptrace_flush_debugregs(struct task *t)
{
    bool loaded = t == current_task() && (t->debugreg7 & 0xff);
    memset(t->debugreg, 0, sizeof(t->debugreg));
    t->debugreg7 = t->virtual_dr6 = 0;
    if (loaded)
        write_dr7(0);
}

/* Linux's get_si_code: a step, else a breakpoint of DR0-3. */
int ptrace_debug_trap(struct regs *r)
{
    u64 dr6;
    __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
    __asm__ volatile("mov %0, %%dr6" ::"r"(DR6_RESERVED));
    struct task *t = current_task();
    u64 hits = dr6 & DR_TRAP_BITS;
    for (int slot = 0; slot < HBP_NUM; slot++)
        if (!(t->debugreg7 & DR7_ENABLE_BITS(slot)))
            hits &= ~(1ul << slot);
    if (!regs_from_user(r))
        return hits ? TRAP_HWBKPT : 0; /* the kernel touched a watched user address: no signal */
    t->virtual_dr6 = hits | (dr6 & DR_STEP);
    for (int slot = 0; slot < HBP_NUM; slot++)
        if ((hits & (1ul << slot)) && DR7_RW(t->debugreg7, slot) == DR_RW_EXECUTE)
            r->rflags |= RFLAGS_RF; /* resume past the instruction breakpoint */
    if (dr6 & DR_STEP)
        return TRAP_TRACE;
    return hits ? TRAP_HWBKPT : TRAP_BRKPT;
}

/* ---- the user area ---- */

static long peek_user(struct task *t, u64 addr, u64 data, bool compat)
{
    if (compat) {
        u32 value = 0;
        if (addr & 3)
            return -EIO;
        if (addr < USER_REGS_32 * 4)
            value = getreg32(t, (int)(addr / 4));
        else if (addr >= USER_DEBUGREG_32 && addr < USER_DEBUGREG_32 + 8 * 4)
            value = (u32)get_debugreg(t, (unsigned)(addr - USER_DEBUGREG_32) / 4);
        else if (addr > USER_SIZE_32) /* Linux's getreg32 lets the end itself through */
            return -EIO;
        return put_user(value, (u32 __user *)compat_ptr((u32)data)) ? -EFAULT : 0;
    }
    if ((addr & 7) || addr >= USER_SIZE_64)
        return -EIO;
    u64 value = 0;
    if (addr < USER_REGS_64 * 8)
        value = getreg64(t, (int)(addr / 8));
    else if (addr >= USER_DEBUGREG_64)
        value = get_debugreg(t, (unsigned)(addr - USER_DEBUGREG_64) / 8);
    return put_user(value, (u64 __user *)data) ? -EFAULT : 0;
}

static long poke_user(struct task *t, u64 addr, u64 data, bool compat)
{
    if (compat) {
        /* i386's other fields of struct user are ignored (gdb writes them). */
        if (addr > USER_SIZE_32 || (addr & 3))
            return -EIO;
        if (addr < USER_REGS_32 * 4)
            return putreg32(t, (int)(addr / 4), (u32)data);
        if (addr >= USER_DEBUGREG_32 && addr < USER_DEBUGREG_32 + 8 * 4)
            return set_debugreg(t, (unsigned)(addr - USER_DEBUGREG_32) / 4, (u32)data);
        return 0;
    }
    if ((addr & 7) || addr >= USER_SIZE_64)
        return -EIO;
    if (addr < USER_REGS_64 * 8)
        return putreg64(t, (int)(addr / 8), data);
    if (addr >= USER_DEBUGREG_64)
        return set_debugreg(t, (unsigned)(addr - USER_DEBUGREG_64) / 8, data);
    return -EIO;
}

/* ---- whole register sets ---- */

static void get_regs64(struct task *t, u64 out[USER_REGS_64])
{
    for (int i = 0; i < USER_REGS_64; i++)
        out[i] = getreg64(t, i);
}

static void get_regs32(struct task *t, u32 out[USER_REGS_32])
{
    for (int i = 0; i < USER_REGS_32; i++)
        out[i] = getreg32(t, i);
}

/* Writes the first `count` registers of a set, stopping at a bad one. */
static int set_regs64(struct task *t, const u64 *in, int count)
{
    for (int i = 0; i < count; i++) {
        int err = putreg64(t, i, in[i]);
        if (err)
            return err;
    }
    return 0;
}

static int set_regs32(struct task *t, const u32 *in, int count)
{
    for (int i = 0; i < count; i++) {
        int err = putreg32(t, i, in[i]);
        if (err)
            return err;
    }
    return 0;
}

static int set_fxsave(struct task *t, const u8 image[FXSAVE_SIZE])
{
    u32 mxcsr;
    memcpy(&mxcsr, image + 24, sizeof(mxcsr));
    if (mxcsr & ~fpu_mxcsr_mask)
        return -EINVAL;
    fpu_set_fxsave(t->fpu, image);
    return 0;
}

/* i386's FSAVE layout from the fxsave image (Linux's convert_from_fxsr). */
struct i387_ia32 {
    u32 cwd, swd, twd, fip, fcs, foo, fos;
    u8 st_space[80];
} __attribute__((packed));
_Static_assert(sizeof(struct i387_ia32) == I387_IA32_SIZE, "user_i387_ia32_struct");

struct fxsave_image {
    u16 cwd, swd, twd, fop;
    u64 rip, rdp;
    u32 mxcsr, mxcsr_mask;
    u8 st_space[128];
    u8 rest[352];
};
_Static_assert(sizeof(struct fxsave_image) == FXSAVE_SIZE, "fxsave layout");

#define FP_TAG_VALID 0
#define FP_TAG_ZERO 1
#define FP_TAG_SPECIAL 2
#define FP_TAG_EMPTY 3

static u32 full_tag_word(const struct fxsave_image *fx)
{
    u32 top = (fx->swd >> 11) & 7, ret = 0xffff0000u;
    for (int i = 0; i < 8; i++) {
        u32 tag = FP_TAG_EMPTY;
        if (fx->twd & (1u << i)) {
            const u16 *st = (const u16 *)(fx->st_space + ((i - top) & 7) * 16);
            u16 exponent = st[4] & 0x7fff;
            if (exponent == 0x7fff)
                tag = FP_TAG_SPECIAL;
            else if (exponent == 0)
                tag = (st[0] | st[1] | st[2] | st[3]) ? FP_TAG_SPECIAL : FP_TAG_ZERO;
            else
                tag = (st[3] & 0x8000) ? FP_TAG_VALID : FP_TAG_SPECIAL;
        }
        ret |= tag << (2 * i);
    }
    return ret;
}

static u16 abridged_tag_word(u32 twd)
{
    u32 tmp = ~twd;
    tmp = (tmp | (tmp >> 1)) & 0x5555;
    tmp = (tmp | (tmp >> 1)) & 0x3333;
    tmp = (tmp | (tmp >> 2)) & 0x0f0f;
    tmp = (tmp | (tmp >> 4)) & 0x00ff;
    return (u16)tmp;
}

static void get_i387_ia32(struct task *t, struct i387_ia32 *env)
{
    const struct fxsave_image *fx = (const struct fxsave_image *)t->fpu->bytes;
    env->cwd = fx->cwd | 0xffff0000u;
    env->swd = fx->swd | 0xffff0000u;
    env->twd = full_tag_word(fx);
    env->fip = (u32)fx->rip;
    env->foo = (u32)fx->rdp;
    env->fcs = (u32)task_regs(t)->cs;
    env->fos = (u32)data_selector(t) | 0xffff0000u;
    for (int i = 0; i < 8; i++)
        memcpy(env->st_space + i * 10, fx->st_space + i * 16, 10);
}

static void set_i387_ia32(struct task *t, const struct i387_ia32 *env)
{
    struct fxsave_image image;
    memcpy(&image, t->fpu->bytes, sizeof(image));
    struct fxsave_image *fx = &image;
    fx->cwd = (u16)env->cwd;
    fx->swd = (u16)env->swd;
    fx->twd = abridged_tag_word(env->twd);
    fx->fop = (u16)(env->fcs >> 16);
    fx->rip = env->fip;
    fx->rdp = env->foo;
    for (int i = 0; i < 8; i++)
        memcpy(fx->st_space + i * 16, env->st_space + i * 10, 10);
    fpu_set_fxsave(t->fpu, (const u8 *)&image);
}

/* One regset of the tracee's view: its size, and each word's width (what
 * iov_len must be a multiple of). */
struct regset {
    size_t size, word;
};

static long find_regset(struct task *t, u64 type, struct regset *set)
{
    bool wide = user_64bit_mode(t);
    switch (type) {
    case NT_PRSTATUS:
        *set = wide ? (struct regset){USER_REGS_64 * 8, 8} : (struct regset){USER_REGS_32 * 4, 4};
        return 0;
    case NT_PRFPREG: *set = wide ? (struct regset){FXSAVE_SIZE, 8} : (struct regset){I387_IA32_SIZE, 4}; return 0;
    case NT_PRXFPREG:
        if (wide)
            return -EINVAL;
        *set = (struct regset){FXSAVE_SIZE, 4};
        return 0;
    case NT_X86_XSTATE: *set = (struct regset){fpu_xfeatures ? fpu_state_size : 0, 8}; return 0;
    default: return -EINVAL;
    }
}

static long small_regset_request(struct task *t, long request, u64 type, struct regset set, u64 base, u64 len);

/* NT_X86_XSTATE: the whole xsave image (Linux's xstateregs_get/set); a set
 * takes the whole image or nothing (EFAULT, as Linux). */
static long xstate_request(struct task *t, long request, u64 base, u64 len)
{
    if (!fpu_xfeatures)
        return -ENODEV; /* no XSAVE: as Linux on such a CPU */
    struct fpu_state image;
    if (request == PTRACE_GETREGSET) {
        fpu_export_for_ptrace(t->fpu, &image);
        return copy_to_user((void __user *)base, image.bytes, len) ? -EFAULT : 0;
    }
    if (len != fpu_state_size)
        return -EFAULT;
    memset(&image, 0, sizeof(image));
    if (copy_from_user(image.bytes, (const void __user *)base, len))
        return -EFAULT;
    u32 mxcsr;
    memcpy(&mxcsr, image.bytes + 24, sizeof(mxcsr));
    if (mxcsr & ~fpu_mxcsr_mask)
        return -EINVAL;
    int err = fpu_sanitize(&image, true, fpu_xfeatures);
    if (err)
        return err;
    memcpy(t->fpu, &image, sizeof(image));
    return 0;
}

/* PTRACE_GETFPREGS and GETFPXREGS: the fxsave image as user space sees it. */
static long fpu_copy_out(struct task *t, void __user *to, u64 len)
{
    struct fpu_state image;
    fpu_export_for_ptrace(t->fpu, &image);
    return copy_to_user(to, image.bytes, len) ? -EFAULT : 0;
}

static long regset_request(struct task *t, long request, u64 type, u64 uiov, bool compat)
{
    u64 base, len;
    if (compat) {
        u32 iov[2];
        if (copy_from_user(iov, (const void __user *)uiov, sizeof(iov)))
            return -EFAULT;
        base = iov[0], len = iov[1];
    } else {
        u64 iov[2];
        if (copy_from_user(iov, (const void __user *)uiov, sizeof(iov)))
            return -EFAULT;
        base = iov[0], len = iov[1];
    }
    struct regset set;
    long err = find_regset(t, type, &set);
    if (err || len % set.word)
        return -EINVAL;
    len = MIN(len, set.size);
    if (type == NT_X86_XSTATE) {
        err = xstate_request(t, request, base, len);
        if (err)
            return err;
    } else {
        err = small_regset_request(t, request, type, set, base, len);
        if (err)
            return err;
    }
    if (compat)
        return put_user((u32)len, (u32 __user *)(uiov + 4)) ? -EFAULT : 0;
    return put_user(len, (u64 __user *)(uiov + 8)) ? -EFAULT : 0;
}

/* The general-purpose and legacy floating-point regsets. */
static long small_regset_request(struct task *t, long request, u64 type, struct regset set, u64 base, u64 len)
{
    long err = 0;
    union {
        u64 regs64[USER_REGS_64];
        u32 regs32[USER_REGS_32];
        struct i387_ia32 i387;
        u8 fx[FXSAVE_SIZE];
    } buf;
    bool wide = user_64bit_mode(t);
    if (request == PTRACE_GETREGSET) {
        if (type == NT_PRSTATUS && wide)
            get_regs64(t, buf.regs64);
        else if (type == NT_PRSTATUS)
            get_regs32(t, buf.regs32);
        else if (type == NT_PRFPREG && !wide)
            get_i387_ia32(t, &buf.i387);
        else {
            struct fpu_state image;
            fpu_export_for_ptrace(t->fpu, &image);
            memcpy(buf.fx, image.bytes, FXSAVE_SIZE);
        }
        if (copy_to_user((void __user *)base, &buf, len))
            return -EFAULT;
    } else {
        if (copy_from_user(&buf, (const void __user *)base, len))
            return -EFAULT;
        if (type == NT_PRSTATUS)
            err = wide ? set_regs64(t, buf.regs64, (int)(len / 8)) : set_regs32(t, buf.regs32, (int)(len / 4));
        else if (len != set.size)
            err = -EINVAL; /* no partial FPU state */
        else if (type == NT_PRFPREG && !wide)
            set_i387_ia32(t, &buf.i387);
        else
            err = set_fxsave(t, buf.fx);
        if (err)
            return err;
    }
    return 0;
}

long tls_get(struct task *t, u32 index, void __user *uinfo);

/* ---- PTRACE_GET_SYSCALL_INFO ---- */

struct syscall_info {
    u8 op;
    u8 pad[3];
    u32 arch;
    u64 instruction_pointer, stack_pointer;
    union {
        struct {
            u64 nr, args[6];
        } entry;
        struct {
            s64 rval;
            u8 is_error;
        } exit;
        struct {
            u64 nr, args[6];
            u32 ret_data;
        } seccomp;
    };
};
#define SYSCALL_INFO_HEAD 24
#define SYSCALL_INFO_ENTRY_SIZE (SYSCALL_INFO_HEAD + 7 * 8)
#define SYSCALL_INFO_EXIT_SIZE (SYSCALL_INFO_HEAD + 8 + 1)
#define SYSCALL_INFO_SECCOMP_SIZE (SYSCALL_INFO_HEAD + 7 * 8 + 4)
#define MAX_ERRNO 4095

static long get_syscall_info(struct task *t, u64 user_size, u64 data)
{
    struct regs *r = task_regs(t);
    struct syscall_info info;
    memset(&info, 0, sizeof(info));
    info.arch = t->syscall_compat ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
    info.instruction_pointer = r->rip;
    info.stack_pointer = r->rsp;
    size_t size = SYSCALL_INFO_HEAD;
    bool syscall_stop = t->ptrace_siginfo && t->ptrace_siginfo->si_code == (SIGTRAP | 0x80);
    bool seccomp_stop = t->ptrace_siginfo && t->ptrace_siginfo->si_code == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8));
    const u64 args64[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
    const u64 args32[6] = {r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp};
    if (syscall_stop && t->ptrace_message == PTRACE_EVENTMSG_SYSCALL_ENTRY) {
        info.op = PTRACE_SYSCALL_INFO_ENTRY;
        info.entry.nr = r->nr;
        memcpy(info.entry.args, t->syscall_compat ? args32 : args64, sizeof(args64));
        size = SYSCALL_INFO_ENTRY_SIZE;
    } else if (seccomp_stop) {
        /* The entry's fields, and the filter's data (the event message). */
        info.op = PTRACE_SYSCALL_INFO_SECCOMP;
        info.seccomp.nr = r->nr;
        memcpy(info.seccomp.args, t->syscall_compat ? args32 : args64, sizeof(args64));
        info.seccomp.ret_data = (u32)t->ptrace_message;
        size = SYSCALL_INFO_SECCOMP_SIZE;
    } else if (syscall_stop && t->ptrace_message == PTRACE_EVENTMSG_SYSCALL_EXIT) {
        info.op = PTRACE_SYSCALL_INFO_EXIT;
        s64 value = t->syscall_compat ? (s64)(s32)r->rax : (s64)r->rax;
        info.exit.is_error = value < 0 && value >= -MAX_ERRNO;
        info.exit.rval = info.exit.is_error ? value : (s64)r->rax;
        size = SYSCALL_INFO_EXIT_SIZE;
    }
    if (copy_to_user((void __user *)data, &info, MIN(size, user_size)))
        return -EFAULT;
    return (long)size;
}

long ptrace_regs_request(struct task *t, long request, u64 addr, u64 data, bool compat)
{
    void __user *to = compat ? compat_ptr((u32)data) : (void __user *)data;
    switch (request) {
    case PTRACE_PEEKUSR: return peek_user(t, addr, data, compat);
    case PTRACE_POKEUSR: return poke_user(t, addr, data, compat);
    case PTRACE_GETREGS:
        if (compat) {
            u32 regs[USER_REGS_32];
            get_regs32(t, regs);
            return copy_to_user(to, regs, sizeof(regs)) ? -EFAULT : 0;
        } else {
            u64 regs[USER_REGS_64];
            get_regs64(t, regs);
            return copy_to_user(to, regs, sizeof(regs)) ? -EFAULT : 0;
        }
    case PTRACE_SETREGS:
        if (compat) {
            u32 regs[USER_REGS_32];
            if (copy_from_user(regs, to, sizeof(regs)))
                return -EFAULT;
            return set_regs32(t, regs, USER_REGS_32);
        } else {
            u64 regs[USER_REGS_64];
            if (copy_from_user(regs, to, sizeof(regs)))
                return -EFAULT;
            return set_regs64(t, regs, USER_REGS_64);
        }
    case PTRACE_GETFPREGS:
        if (compat) {
            struct i387_ia32 env;
            get_i387_ia32(t, &env);
            return copy_to_user(to, &env, sizeof(env)) ? -EFAULT : 0;
        }
        return fpu_copy_out(t, to, FXSAVE_SIZE);
    case PTRACE_SETFPREGS:
        if (compat) {
            struct i387_ia32 env;
            if (copy_from_user(&env, to, sizeof(env)))
                return -EFAULT;
            set_i387_ia32(t, &env);
            return 0;
        } else {
            u8 image[FXSAVE_SIZE];
            if (copy_from_user(image, to, sizeof(image)))
                return -EFAULT;
            return set_fxsave(t, image);
        }
    case PTRACE_GETFPXREGS:
        if (!compat)
            return -EIO;
        return fpu_copy_out(t, to, FXSAVE_SIZE);
    case PTRACE_SETFPXREGS: {
        if (!compat)
            return -EIO;
        u8 image[FXSAVE_SIZE];
        if (copy_from_user(image, to, sizeof(image)))
            return -EFAULT;
        return set_fxsave(t, image);
    }
    case PTRACE_GETREGSET:
    case PTRACE_SETREGSET: return regset_request(t, request, addr, (u64)to, compat);
    case PTRACE_GET_SYSCALL_INFO: return get_syscall_info(t, addr, (u64)to);
    case PTRACE_GET_THREAD_AREA: return tls_get(t, (u32)addr, to);
    default: return -EIO;
    }
}
