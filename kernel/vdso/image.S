/* The vDSO images, built from kernel/vdso/ and carried inside the kernel. */
    .section .rodata
    .p2align 12
    .globl vdso64_image, vdso64_image_end
vdso64_image:
    .incbin "vdso64.so"
vdso64_image_end:
    .p2align 12
    .globl vdso32_image, vdso32_image_end
vdso32_image:
    .incbin "vdso32.so"
vdso32_image_end:
    .section .note.GNU-stack, "", @progbits
