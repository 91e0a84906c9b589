/* The hv test kernel's entry: the PVH note, 32-bit PVH entry, long mode, then kmain(start_info).
   NOTE_P2ALIGN (default 2) sets the note's alignment; 3 builds the kernel QEMU 7.2 misreads. */
#ifndef NOTE_P2ALIGN
#define NOTE_P2ALIGN 2
#endif
    .section .note.Xen, "a", @note
    .p2align NOTE_P2ALIGN
    .long 4            /* namesz */
    .long 8            /* descsz: .quad works with every QEMU version */
    .long 18           /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .quad pvh_entry

    .section .text.entry, "ax"
    .code32
    .globl pvh_entry
pvh_entry:
    cli
    mov %ebx, %esi                 /* start_info */
    /* identity map the first 1 GiB with 2 MiB pages */
    mov $boot_pd, %edi
    xor %eax, %eax
    mov $0x83, %eax                /* present, writable, PS */
    mov $512, %ecx
1:  mov %eax, (%edi)
    movl $0, 4(%edi)
    add $0x200000, %eax
    add $8, %edi
    loop 1b
    mov $boot_pd, %eax
    or $0x3, %eax
    mov %eax, boot_pdpt
    mov $boot_pdpt, %eax
    or $0x3, %eax
    mov %eax, boot_pml4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax                 /* PAE */
    mov %eax, %cr4
    mov $0xC0000080, %ecx
    rdmsr
    or $0x100, %eax                /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000001, %eax           /* PG | PE */
    mov %eax, %cr0
    lgdt gdt_ptr
    ljmp $0x08, $long_mode

    .code64
long_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    mov $stack_top, %rsp
    mov %esi, %edi
    call kmain
2:  cli
    hlt
    jmp 2b

    .section .rodata
    .p2align 3
gdt:
    .quad 0
    .quad 0x00af9a000000ffff       /* 64-bit code */
    .quad 0x00cf92000000ffff       /* data */
gdt_ptr:
    .word gdt_ptr - gdt - 1
    .long gdt

    .section .bss
    .p2align 12
    .globl boot_pml4, boot_pdpt, boot_pd
boot_pml4: .space 4096
boot_pdpt: .space 4096
boot_pd:   .space 4096
stack:     .space 16384
stack_top:

    .text
    .code64
/* void regs_test(uint64_t before[14], uint64_t after[15], void *entry):
   load every register from before[], call the hypercall entry, store them to after[] (after[14] = rax). */
    .globl regs_test
regs_test:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    push %rsi
    push %rdx
    mov %rdi, %rax
    mov 0(%rax), %rbx
    mov 8(%rax), %rcx
    mov 16(%rax), %rdx
    mov 24(%rax), %rsi
    mov 32(%rax), %rdi
    mov 40(%rax), %rbp
    mov 48(%rax), %r8
    mov 56(%rax), %r9
    mov 64(%rax), %r10
    mov 72(%rax), %r11
    mov 80(%rax), %r12
    mov 88(%rax), %r13
    mov 96(%rax), %r14
    mov 104(%rax), %r15
    call *(%rsp)
    add $8, %rsp
    xchg %rax, (%rsp)
    mov %rbx, 0(%rax)
    mov %rcx, 8(%rax)
    mov %rdx, 16(%rax)
    mov %rsi, 24(%rax)
    mov %rdi, 32(%rax)
    mov %rbp, 40(%rax)
    mov %r8, 48(%rax)
    mov %r9, 56(%rax)
    mov %r10, 64(%rax)
    mov %r11, 72(%rax)
    mov %r12, 80(%rax)
    mov %r13, 88(%rax)
    mov %r14, 96(%rax)
    mov %r15, 104(%rax)
    pop %rbx
    mov %rbx, 112(%rax)
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret
    .section .note.GNU-stack,"",@progbits
