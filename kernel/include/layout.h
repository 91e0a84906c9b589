/* The kernel's virtual memory layout; shared by C and assembly. */
#ifndef SYSGATE_LAYOUT_H
#define SYSGATE_LAYOUT_H

#define PAGE_SIZE 4096
#define KERNEL_VMA 0xffffffff80000000          /* kernel image: phys + KERNEL_VMA */
#define DIRECT_MAP 0xffff888000000000          /* all of physical memory: phys + DIRECT_MAP */
#define MMIO_BASE 0xffffc90000000000           /* device registers mapped by the kernel */
#define ESPFIX_BASE 0xffffff0000000000         /* 4 GiB of aliases of one page: the 16-bit stack return (espfix.c) */
#define ESPFIX_SPAN 0x100000000ul              /* bits 16-31 of any ESP */
#define KSTACK_BASE 0xffffc80000000000         /* kernel stacks, each below an unmapped guard page */
#define USER_TOP 0x00007ffffffff000            /* first address user space may not use */
#define USER_STACK_TOP 0x00007ffffffde000
#define USER_STACK_MAX (8 << 20)
#define USER_MMAP_BASE 0x00007f0000000000      /* mmap without a hint grows down from here */
#define USER_PIE_BASE 0x0000555555554000       /* where static-PIE programs are placed */

#define BOOT_KERNEL_STACK_SIZE 16384
#define KERNEL_STACK_SIZE 32768
#define KSTACK_SLOT (KERNEL_STACK_SIZE + 4096) /* the stack, then a guard page below the next one */

/* GDT selectors: Linux's values, which user programs may rely on. */
#define KERNEL_CS 0x10
#define KERNEL_DS 0x18
#define USER32_CS 0x23
#define USER_DS 0x2b
#define USER_CS 0x33
#define TSS_SELECTOR 0x40
#define LDT_SELECTOR 0x50 /* the running address space's LDT (modify_ldt), as Linux's GDT_ENTRY_LDT */
#define GDT_TLS_FIRST 12 /* 0x63, 0x6b, 0x73: set_thread_area */
#define GDT_ENTRIES 16

#endif
