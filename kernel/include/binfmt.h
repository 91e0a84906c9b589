/* Loading an executable file into a fresh address space: what execve's
 * ELF loader (proc/binfmt_elf.c) hands to the code that builds the stack. */
#ifndef SYSGATE_BINFMT_H
#define SYSGATE_BINFMT_H

#include "types.h"

struct inode;
struct mm;

struct loaded_image {
    bool is32;
    u64 vdso_ehdr, vsyscall;
    u64 entry;                  /* where the program starts: the interpreter's entry when it has one */
    u64 program_entry;          /* the program's own entry (AT_ENTRY) */
    u64 phdr, phnum, phent;     /* the program's headers in memory (AT_PHDR, AT_PHNUM, AT_PHENT) */
    u64 interp_base;            /* the interpreter's load address (AT_BASE), 0 without one */
    u64 brk;
    /* The load failed where Linux is past execve's point of no return (the
     * interpreter could not be mapped): the caller dies of SIGSEGV instead
     * of seeing the error. */
    bool past_point_of_no_return;
};

/* Maps the ELF program `file` (ELF64 x86-64 or ELF32 i386; ET_EXEC, or
 * ET_DYN: PIE or static-PIE) and its PT_INTERP interpreter into `mm`, and
 * sets mm's mmap base for the program's class. 0 or a negative errno:
 * ENOEXEC for a file that is no such program or a bad PT_INTERP, the
 * lookup's error for an interpreter that cannot be opened (ENOENT, EACCES),
 * EIO for one shorter than an ELF header, ELIBBAD for one that is not an
 * ELF file of the program's machine. */
int elf_load(struct mm *mm, struct inode *file, struct loaded_image *img);

#endif
