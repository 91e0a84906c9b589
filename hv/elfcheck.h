/* Validating the kernel image and the user's PROGRAM before QEMU ever starts. */
#ifndef SYSGATE_ELFCHECK_H
#define SYSGATE_ELFCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Checks that `path` is an x86 ELF kernel that QEMU 7.2 boots through the PVH entry: the
   Xen note XEN_ELFNOTE_PHYS32_ENTRY in a PT_NOTE segment, read the way QEMU reads it, an
   entry inside a loadable segment, every segment inside guest RAM of `memory_bytes`, and
   no multiboot header (QEMU would prefer it). Exits 125 with one line otherwise. */
void check_kernel_image(const char *path, uint64_t memory_bytes);
/* The same checks on an open file: NULL, or what is wrong (possibly in `problem`). */
const char *kernel_image_problem(int fd, uint64_t memory_bytes, char *problem, size_t problem_size);

struct program_info {
    bool is_script;      /* starts with "#!": the guest kernel runs its interpreter */
    char *interpreter;   /* PT_INTERP of a dynamically linked ELF file, else NULL */
};

/* Checks PROGRAM: 127 when it does not exist, 126 when it is not a regular readable
   file with an execute bit, or neither an x86 ELF executable (ELF64 EM_X86_64, ELF32
   EM_386; ET_EXEC or ET_DYN) nor a #! script. Prints one line and exits on failure. */
void check_program(const char *path, struct program_info *info);
/* Its content checks on an open file of `file_size` bytes: NULL, or why it cannot run
   (126), possibly in `problem`. Fills `info`; the caller frees info->interpreter. */
const char *program_problem(int fd, uint64_t file_size, struct program_info *info, char *problem,
                            size_t problem_size);

#endif
