/*
 * PVH entry: QEMU (-kernel), Xen and other PVH-capable monitors jump here in
 * 32-bit protected mode with paging off and %ebx = physical address of the
 * hvm_start_info. This stub turns on long mode with a temporary page table that
 * maps the first 1 GiB twice (identity, and at the kernel's higher-half
 * address), then calls kmain() in the higher half. kmain replaces the tables.
 */
#include "layout.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

    .section .note.Xen, "a"
    .p2align 2
    .long 4                         /* name size: "Xen\0" */
    .long 4                         /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .long pvh_start32

    .section .boot.text, "ax"
    .code32
    .globl pvh_start32
pvh_start32:
    cli
    cld
    mov %ebx, %esi                  /* keep start_info across the set-up */
    mov $boot_stack_top, %esp

    /* Zero the boot page tables: loaders differ in whether they clear bss. */
    mov $boot_pml4, %edi
    xor %eax, %eax
    mov $(4 * 4096 / 4), %ecx
    rep stosl

    /* PML4[0] and PML4[511] -> two PDPTs; both point at one PD of 2 MiB pages. */
    movl $(boot_pdpt_low + 3), boot_pml4
    movl $(boot_pdpt_high + 3), boot_pml4 + 511 * 8
    movl $(boot_pd + 3), boot_pdpt_low
    movl $(boot_pd + 3), boot_pdpt_high + 510 * 8
    mov $boot_pd, %edi
    mov $0x83, %eax                 /* present, writable, 2 MiB page */
    mov $512, %ecx
1:  mov %eax, (%edi)
    add $0x200000, %eax
    add $8, %edi
    loop 1b

    mov %cr4, %eax
    or $(1 << 5), %eax              /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx           /* EFER: long mode enable */
    rdmsr
    or $(1 << 8), %eax
    wrmsr
    mov %cr0, %eax
    or $0x80010001, %eax            /* PG, WP, PE */
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $0x10, $long_mode_entry

    .code64
long_mode_entry:
    mov $0x18, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    movabs $boot_kernel_stack_top, %rsp
    mov %esi, %edi                  /* kmain(start_info physical address) */
    movabs $kmain, %rax
    call *%rax
2:  hlt
    jmp 2b

    .section .boot.data, "aw"
    .p2align 3
boot_gdt:
    .quad 0
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x10: 64-bit kernel code */
    .quad 0x00cf92000000ffff        /* 0x18: kernel data */
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .boot.bss, "aw", @nobits
    .p2align 12
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
    .skip 1024
boot_stack_top:

    .bss
    .p2align 4
    .skip BOOT_KERNEL_STACK_SIZE
    .globl boot_kernel_stack_top
boot_kernel_stack_top:
