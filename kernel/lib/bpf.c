/*
 * Classic BPF as seccomp uses it: the checks Linux makes before a filter is
 * installed (bpf_check_classic, then seccomp_check_filter), and an
 * interpreter over struct seccomp_data. A and X are 32 bits; the scratch
 * memory is 16 words, each of which a program must store before it loads it.
 */
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "seccomp.h"

#define BPF_CLASS(code) ((code) & 0x07)
#define BPF_LD 0x00
#define BPF_LDX 0x01
#define BPF_ST 0x02
#define BPF_STX 0x03
#define BPF_ALU 0x04
#define BPF_JMP 0x05
#define BPF_RET 0x06
#define BPF_MISC 0x07

#define BPF_W 0x00
#define BPF_IMM 0x00
#define BPF_ABS 0x20
#define BPF_MEM 0x60
#define BPF_LEN 0x80

#define BPF_OP(code) ((code) & 0xf0)
#define BPF_ADD 0x00
#define BPF_SUB 0x10
#define BPF_MUL 0x20
#define BPF_DIV 0x30
#define BPF_OR 0x40
#define BPF_AND 0x50
#define BPF_LSH 0x60
#define BPF_RSH 0x70
#define BPF_NEG 0x80
#define BPF_XOR 0xa0

#define BPF_JA 0x00
#define BPF_JEQ 0x10
#define BPF_JGT 0x20
#define BPF_JGE 0x30
#define BPF_JSET 0x40

#define BPF_SRC(code) ((code) & 0x08)
#define BPF_K 0x00
#define BPF_X 0x08
#define BPF_RVAL_A 0x10

#define BPF_TAX 0x00
#define BPF_TXA 0x80

#define SHIFT_MASK 31 /* a 32-bit shift by X uses its low five bits, as Linux's */

static bool is_conditional_jump(u16 code)
{
    if (BPF_CLASS(code) != BPF_JMP || BPF_OP(code) == BPF_JA)
        return false;
    u16 op = BPF_OP(code);
    return op == BPF_JEQ || op == BPF_JGT || op == BPF_JGE || op == BPF_JSET;
}

/* The instructions seccomp accepts (seccomp_check_filter's list). */
static bool seccomp_code_allowed(u16 code)
{
    switch (code) {
    case BPF_LD | BPF_W | BPF_ABS:
    case BPF_LD | BPF_W | BPF_LEN:
    case BPF_LDX | BPF_W | BPF_LEN:
    case BPF_RET | BPF_K:
    case BPF_RET | BPF_RVAL_A:
    case BPF_ALU | BPF_NEG:
    case BPF_LD | BPF_IMM:
    case BPF_LDX | BPF_IMM:
    case BPF_MISC | BPF_TAX:
    case BPF_MISC | BPF_TXA:
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
    case BPF_JMP | BPF_JA: return true;
    }
    if (BPF_CLASS(code) == BPF_ALU && (code & ~(0xf0 | BPF_X)) == BPF_ALU) {
        u16 op = BPF_OP(code);
        return op == BPF_ADD || op == BPF_SUB || op == BPF_MUL || op == BPF_DIV || op == BPF_AND || op == BPF_OR ||
               op == BPF_XOR || op == BPF_LSH || op == BPF_RSH;
    }
    return is_conditional_jump(code) && (code & ~(0xf0 | BPF_X)) == BPF_JMP;
}

static bool uses_memory(u16 code)
{
    return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) || code == BPF_ST || code == BPF_STX;
}

/* Every scratch word loaded must have been stored on each path to the load
 * (Linux's check_load_and_stores): a jump hands its target the words valid
 * before it. */
static int check_loads_after_stores(const struct sock_filter *insns, u32 len)
{
    u16 *valid_at = kmalloc(len * sizeof(*valid_at));
    if (!valid_at)
        return -ENOMEM;
    u16 valid = 0;
    int err = 0;
    memset(valid_at, 0xff, len * sizeof(*valid_at));
    for (u32 pc = 0; pc < len; pc++) {
        const struct sock_filter *in = &insns[pc];
        valid &= valid_at[pc];
        if (in->code == BPF_ST || in->code == BPF_STX) {
            valid |= (u16)(1u << in->k);
        } else if (in->code == (BPF_LD | BPF_MEM) || in->code == (BPF_LDX | BPF_MEM)) {
            if (!(valid & (1u << in->k))) {
                err = -EINVAL;
                break;
            }
        } else if (in->code == (BPF_JMP | BPF_JA)) {
            valid_at[pc + 1 + in->k] &= valid;
            valid = 0xffff;
        } else if (is_conditional_jump(in->code)) {
            valid_at[pc + 1 + in->jt] &= valid;
            valid_at[pc + 1 + in->jf] &= valid;
            valid = 0xffff;
        }
    }
    kfree(valid_at);
    return err;
}

int seccomp_bpf_check(const struct sock_filter *insns, u32 len)
{
    if (len == 0 || len > BPF_MAXINSNS)
        return -EINVAL;
    for (u32 pc = 0; pc < len; pc++) {
        const struct sock_filter *in = &insns[pc];
        u16 code = in->code;
        if (!seccomp_code_allowed(code))
            return -EINVAL;
        if (code == (BPF_ALU | BPF_DIV | BPF_K) && in->k == 0)
            return -EINVAL;
        if ((code == (BPF_ALU | BPF_LSH | BPF_K) || code == (BPF_ALU | BPF_RSH | BPF_K)) && in->k >= 32)
            return -EINVAL;
        if (uses_memory(code) && in->k >= BPF_MEMWORDS)
            return -EINVAL;
        if (code == (BPF_JMP | BPF_JA) && in->k >= len - 1 - pc)
            return -EINVAL;
        if (is_conditional_jump(code) && (pc + in->jt + 1 >= len || pc + in->jf + 1 >= len))
            return -EINVAL;
        if (code == (BPF_LD | BPF_W | BPF_ABS) && (in->k >= sizeof(struct seccomp_data) || (in->k & 3)))
            return -EINVAL;
    }
    u16 last = insns[len - 1].code;
    if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_RVAL_A))
        return -EINVAL;
    return check_loads_after_stores(insns, len);
}

static u32 alu(u16 op, u32 a, u32 operand)
{
    switch (op) {
    case BPF_ADD: return a + operand;
    case BPF_SUB: return a - operand;
    case BPF_MUL: return a * operand;
    case BPF_DIV: return a / operand; /* the caller saw to a zero divisor */
    case BPF_OR: return a | operand;
    case BPF_AND: return a & operand;
    case BPF_XOR: return a ^ operand;
    case BPF_LSH: return a << (operand & SHIFT_MASK);
    case BPF_RSH: return a >> (operand & SHIFT_MASK);
    default: return -a; /* BPF_NEG */
    }
}

static bool jump_taken(u16 op, u32 a, u32 operand)
{
    switch (op) {
    case BPF_JEQ: return a == operand;
    case BPF_JGT: return a > operand;
    case BPF_JGE: return a >= operand;
    default: return a & operand; /* BPF_JSET */
    }
}

u32 seccomp_bpf_run(const struct sock_filter *insns, u32 len, const struct seccomp_data *data)
{
    u32 a = 0, x = 0, mem[BPF_MEMWORDS];
    memset(mem, 0, sizeof(mem));
    for (u32 pc = 0; pc < len; pc++) {
        const struct sock_filter *in = &insns[pc];
        u16 code = in->code;
        switch (BPF_CLASS(code)) {
        case BPF_LD:
            if (code == (BPF_LD | BPF_W | BPF_ABS))
                memcpy(&a, (const u8 *)data + in->k, sizeof(a));
            else if (code == (BPF_LD | BPF_W | BPF_LEN))
                a = sizeof(*data);
            else if (code == (BPF_LD | BPF_MEM))
                a = mem[in->k];
            else
                a = in->k;
            break;
        case BPF_LDX:
            if (code == (BPF_LDX | BPF_W | BPF_LEN))
                x = sizeof(*data);
            else if (code == (BPF_LDX | BPF_MEM))
                x = mem[in->k];
            else
                x = in->k;
            break;
        case BPF_ST: mem[in->k] = a; break;
        case BPF_STX: mem[in->k] = x; break;
        case BPF_ALU: {
            u32 operand = BPF_SRC(code) == BPF_X ? x : in->k;
            if (BPF_OP(code) == BPF_DIV && operand == 0)
                return 0; /* Linux ends the program with 0: SECCOMP_RET_KILL_THREAD */
            a = alu(BPF_OP(code), a, operand);
            break;
        }
        case BPF_JMP:
            if (BPF_OP(code) == BPF_JA)
                pc += in->k;
            else
                pc += jump_taken(BPF_OP(code), a, BPF_SRC(code) == BPF_X ? x : in->k) ? in->jt : in->jf;
            break;
        case BPF_RET: return code == (BPF_RET | BPF_K) ? in->k : a;
        case BPF_MISC:
            if (code == (BPF_MISC | BPF_TAX))
                x = a;
            else
                a = x;
            break;
        }
    }
    return 0; /* not reached: the check ends every program with a return */
}
