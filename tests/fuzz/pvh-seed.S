/* The elfcheck fuzz target's seed kernel: the smallest ELF file QEMU boots through PVH
   (a Xen note of type 18 with the entry, in a PT_NOTE segment aligned to 4). */
.section .note.Xen, "a", @note
.align 4
.long 4, 8, 18
.asciz "Xen"
.quad _start
.text
.globl _start
_start: hlt
