/* The machine code of the hypercall page the monitor writes into the guest. */
#ifndef SYSGATE_HYPERCALL_PAGE_H
#define SYSGATE_HYPERCALL_PAGE_H

#include <stdint.h>

#define HYPERCALL_PAGE_SIZE 4096
#define HYPERCALL_ENTRY_SIZE 32     /* entry nr starts at nr * 32, as on Xen */
#define HYPERCALL_ENTRY_COUNT 64    /* entries 0..63 fill the first 2 KiB */
#define HYPERCALL_COMMON_OFFSET 2048

/* The mailbox is the page right after the hypercall page (docs/hypervisor-interface.md). */
#define MAILBOX_OFFSET_IN_AREA 4096
#define MAILBOX_MAGIC 0x56484753u   /* "SGHV" */
#define MAILBOX_VERSION 1u
enum mailbox_field {
    MAILBOX_MAGIC_OFFSET = 0,   /* u32 */
    MAILBOX_VERSION_OFFSET = 4, /* u32 */
    MAILBOX_NR_OFFSET = 8,      /* u64 */
    MAILBOX_ARGS_OFFSET = 16,   /* u64[5] */
    MAILBOX_CR3_OFFSET = 56,    /* u64 */
    MAILBOX_FLAGS_OFFSET = 64,  /* u64 */
    MAILBOX_RESULT_OFFSET = 72, /* s64 */
    MAILBOX_DONE_OFFSET = 80,   /* u32 */
};

/* Fills `page` (HYPERCALL_PAGE_SIZE bytes): entry nr is `mov $nr,%eax; jmp common`, the
   common code stores rax, rdi, rsi, rdx, r10, r8 and cr3 into the mailbox (RIP-relative:
   the next page), clears done, writes 'C' to `doorbell_port`, spins with pause until done
   is non-zero, loads the result into rax and returns. Everything else is int3. */
void hypercall_page_write(uint8_t *page, uint16_t doorbell_port);

#endif
