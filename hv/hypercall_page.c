/* The hypercall page: the only guest code that knows how a hypercall leaves the guest.
   The bytes are assembled here by hand, and every instruction is listed with its encoding
   so that it can be checked against `objdump -D -b binary -mi386:x86-64` (docs/monitor.md
   shows the full listing). The code preserves every register but rax; it clobbers the
   arithmetic flags (cmp), as any call may. */
#include "hypercall_page.h"

#include <string.h>

struct code {
    uint8_t *bytes;
    unsigned position;
};

static void emit(struct code *code, const uint8_t *bytes, unsigned count)
{
    if (count == 0)
        return; /* no immediate: `bytes` is NULL, which memcpy must not be given */
    memcpy(code->bytes + code->position, bytes, count);
    code->position += count;
}

static void emit32(struct code *code, uint32_t value)
{
    uint8_t little_endian[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16),
                                (uint8_t)(value >> 24)};
    emit(code, little_endian, 4);
}

/* Emits an instruction with a RIP-relative memory operand: `opcode` (prefixes, opcode and
   ModRM with mod=00 rm=101), the 32-bit displacement to mailbox field `field`, then
   `immediate_size` bytes of immediate. The displacement is relative to the end of the whole
   instruction, immediate included, which is where RIP points when it executes. */
static void emit_mailbox_access(struct code *code, const uint8_t *opcode, unsigned opcode_size,
                                unsigned field, const uint8_t *immediate, unsigned immediate_size)
{
    emit(code, opcode, opcode_size);
    unsigned end_of_instruction = code->position + 4 + immediate_size;
    int32_t displacement = (int32_t)(MAILBOX_OFFSET_IN_AREA + field) - (int32_t)end_of_instruction;
    emit32(code, (uint32_t)displacement);
    emit(code, immediate, immediate_size);
}

#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static void emit_common_stub(struct code *code, uint16_t doorbell_port)
{
    /* mov %rax,nr(%rip)            48 89 05 disp32 */
    emit_mailbox_access(code, BYTES(0x48, 0x89, 0x05), MAILBOX_NR_OFFSET, NULL, 0);
    /* mov %rdi,arg0(%rip)          48 89 3d disp32 */
    emit_mailbox_access(code, BYTES(0x48, 0x89, 0x3d), MAILBOX_ARGS_OFFSET + 0, NULL, 0);
    /* mov %rsi,arg1(%rip)          48 89 35 disp32 */
    emit_mailbox_access(code, BYTES(0x48, 0x89, 0x35), MAILBOX_ARGS_OFFSET + 8, NULL, 0);
    /* mov %rdx,arg2(%rip)          48 89 15 disp32 */
    emit_mailbox_access(code, BYTES(0x48, 0x89, 0x15), MAILBOX_ARGS_OFFSET + 16, NULL, 0);
    /* mov %r10,arg3(%rip)          4c 89 15 disp32 (REX.W+R: reg = r10) */
    emit_mailbox_access(code, BYTES(0x4c, 0x89, 0x15), MAILBOX_ARGS_OFFSET + 24, NULL, 0);
    /* mov %r8,arg4(%rip)           4c 89 05 disp32 (REX.W+R: reg = r8) */
    emit_mailbox_access(code, BYTES(0x4c, 0x89, 0x05), MAILBOX_ARGS_OFFSET + 32, NULL, 0);
    /* mov %cr3,%rax                0f 20 d8 (rax already saved as nr) */
    emit(code, BYTES(0x0f, 0x20, 0xd8));
    /* mov %rax,cr3(%rip)           48 89 05 disp32 */
    emit_mailbox_access(code, BYTES(0x48, 0x89, 0x05), MAILBOX_CR3_OFFSET, NULL, 0);
    /* movl $0,done(%rip)           c7 05 disp32 imm32 */
    emit_mailbox_access(code, BYTES(0xc7, 0x05), MAILBOX_DONE_OFFSET, BYTES(0, 0, 0, 0));
    /* push %rdx                    52 */
    emit(code, BYTES(0x52));
    /* mov $port,%dx                66 ba imm16 */
    emit(code, BYTES(0x66, 0xba, (uint8_t)doorbell_port, (uint8_t)(doorbell_port >> 8)));
    /* mov $'C',%al                 b0 43 */
    emit(code, BYTES(0xb0, 'C'));
    /* out %al,(%dx)                ee */
    emit(code, BYTES(0xee));
    /* pop %rdx                     5a */
    emit(code, BYTES(0x5a));
    unsigned spin = code->position;
    /* spin: pause                  f3 90 */
    emit(code, BYTES(0xf3, 0x90));
    /* cmpl $0,done(%rip)           83 3d disp32 imm8 */
    emit_mailbox_access(code, BYTES(0x83, 0x3d), MAILBOX_DONE_OFFSET, BYTES(0));
    /* je spin                      74 rel8 */
    int8_t back = (int8_t)((int)spin - (int)(code->position + 2));
    emit(code, BYTES(0x74, (uint8_t)back));
    /* mov result(%rip),%rax        48 8b 05 disp32 */
    emit_mailbox_access(code, BYTES(0x48, 0x8b, 0x05), MAILBOX_RESULT_OFFSET, NULL, 0);
    /* ret                          c3 */
    emit(code, BYTES(0xc3));
}

void hypercall_page_write(uint8_t *page, uint16_t doorbell_port)
{
    memset(page, 0xcc, HYPERCALL_PAGE_SIZE); /* int3 everywhere else */
    struct code code = {page, 0};
    for (unsigned nr = 0; nr < HYPERCALL_ENTRY_COUNT; nr++) {
        code.position = nr * HYPERCALL_ENTRY_SIZE;
        /* mov $nr,%eax             b8 imm32 (zero-extends into rax) */
        emit(&code, BYTES(0xb8));
        emit32(&code, nr);
        /* jmp common               e9 rel32 */
        emit(&code, BYTES(0xe9));
        emit32(&code, (uint32_t)(HYPERCALL_COMMON_OFFSET - (int)(code.position + 4)));
    }
    code.position = HYPERCALL_COMMON_OFFSET;
    emit_common_stub(&code, doorbell_port);
}
