/*
 * execve's ELF loader, after Linux's binfmt_elf: a program of either class
 * (ELF64 x86-64, ELF32 i386), ET_EXEC at its own addresses, a PIE at Linux's
 * ELF_ET_DYN_BASE, and the interpreter its PT_INTERP names (the dynamic
 * loader) where mmap would put it: the highest free range below the mmap
 * base, as Linux places them without address randomisation
 * (docs/dynamic-programs.md).
 */
#include "binfmt.h"
#include "compat.h"
#include "elf.h"
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"

#define MAX_PHDRS 64
#define INTERP_PATH_MIN 2 /* one character and its NUL: Linux refuses shorter */

struct elf_file {
    struct inode *inode;
    bool is32;
    Elf64_Ehdr eh; /* of either class, widened */
    Elf64_Phdr *ph;
};

static bool right_machine(const Elf64_Ehdr *eh, bool is32)
{
    return memcmp(eh->e_ident, ELF_MAGIC, ELF_MAGIC_SIZE) == 0 && eh->e_ident[EI_DATA] == ELFDATA2LSB &&
           eh->e_ident[EI_CLASS] == (is32 ? ELFCLASS32 : ELFCLASS64) && eh->e_machine == (is32 ? EM_386 : EM_X86_64) &&
           eh->e_phentsize == (is32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr));
}

/* The ELF header of the given class, widened: -EIO when the file is shorter
 * than one, as Linux reads an interpreter's. */
static int read_header(struct elf_file *elf)
{
    size_t size = elf->is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
    u8 raw[sizeof(Elf64_Ehdr)];
    ssize_t got = kernel_read(elf->inode, 0, raw, size);
    if (got < 0)
        return (int)got;
    if ((size_t)got < size)
        return -EIO;
    if (!elf->is32) {
        memcpy(&elf->eh, raw, sizeof(elf->eh));
        return 0;
    }
    Elf32_Ehdr e32;
    memcpy(&e32, raw, sizeof(e32));
    elf->eh = (Elf64_Ehdr){.e_type = e32.e_type, .e_machine = e32.e_machine, .e_version = e32.e_version,
                           .e_entry = e32.e_entry, .e_phoff = e32.e_phoff, .e_shoff = e32.e_shoff,
                           .e_flags = e32.e_flags, .e_ehsize = e32.e_ehsize, .e_phentsize = e32.e_phentsize,
                           .e_phnum = e32.e_phnum, .e_shentsize = e32.e_shentsize, .e_shnum = e32.e_shnum,
                           .e_shstrndx = e32.e_shstrndx};
    memcpy(elf->eh.e_ident, e32.e_ident, sizeof(e32.e_ident));
    return 0;
}

/* The program headers, widened into elf->ph: -ENOEXEC when there are none,
 * too many, or they lie outside the file. */
static int read_program_headers(struct elf_file *elf)
{
    const Elf64_Ehdr *eh = &elf->eh;
    u64 file_size = elf->inode->size;
    if (eh->e_phnum == 0 || eh->e_phnum > MAX_PHDRS || eh->e_phoff > file_size ||
        (u64)eh->e_phnum * eh->e_phentsize > file_size - eh->e_phoff)
        return -ENOEXEC;
    size_t table_size = (size_t)eh->e_phnum * eh->e_phentsize;
    u8 *table = kmalloc(table_size);
    elf->ph = kmalloc(eh->e_phnum * sizeof(Elf64_Phdr));
    if (!table || !elf->ph) {
        kfree(table);
        return -ENOMEM;
    }
    ssize_t got = kernel_read(elf->inode, eh->e_phoff, table, table_size);
    if (got != (ssize_t)table_size) {
        kfree(table);
        return got < 0 ? (int)got : -ENOEXEC;
    }
    for (int i = 0; i < eh->e_phnum; i++) {
        const u8 *raw = table + (u64)i * eh->e_phentsize;
        if (!elf->is32) {
            memcpy(&elf->ph[i], raw, sizeof(elf->ph[i]));
            continue;
        }
        Elf32_Phdr p;
        memcpy(&p, raw, sizeof(p));
        elf->ph[i] = (Elf64_Phdr){.p_type = p.p_type, .p_flags = p.p_flags, .p_offset = p.p_offset,
                                  .p_vaddr = p.p_vaddr, .p_paddr = p.p_paddr, .p_filesz = p.p_filesz,
                                  .p_memsz = p.p_memsz, .p_align = p.p_align};
    }
    kfree(table);
    return 0;
}

/* The program itself: any failure is ENOEXEC, the answer for a file that
 * is not a program this loader knows. */
static int open_program(struct elf_file *elf)
{
    u8 ident[EI_DATA + 1];
    ssize_t got = kernel_read(elf->inode, 0, ident, sizeof(ident));
    if (got < 0)
        return (int)got;
    if ((size_t)got < sizeof(ident) || (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64))
        return -ENOEXEC;
    elf->is32 = ident[EI_CLASS] == ELFCLASS32;
    int err = read_header(elf);
    if (err)
        return err == -EIO ? -ENOEXEC : err;
    if (!right_machine(&elf->eh, elf->is32) || (elf->eh.e_type != ET_EXEC && elf->eh.e_type != ET_DYN))
        return -ENOEXEC;
    return read_program_headers(elf);
}

/* The interpreter named by the program's first PT_INTERP, opened and
 * checked as Linux does before execve's point of no return. Sets
 * interp->inode to NULL when the program has none. */
static int open_interpreter(const struct elf_file *program, struct elf_file *interp)
{
    const Elf64_Phdr *p = NULL;
    for (int i = 0; i < program->eh.e_phnum && !p; i++)
        if (program->ph[i].p_type == PT_INTERP)
            p = &program->ph[i];
    interp->inode = NULL;
    if (!p)
        return 0;
    if (p->p_filesz > PATH_MAX || p->p_filesz < INTERP_PATH_MIN)
        return -ENOEXEC;
    char *path = kmalloc(p->p_filesz);
    if (!path)
        return -ENOMEM;
    ssize_t got = kernel_read(program->inode, p->p_offset, path, p->p_filesz);
    int err = got < 0 ? (int)got : (u64)got < p->p_filesz ? -EIO : path[p->p_filesz - 1] ? -ENOEXEC : 0;
    struct inode *file = NULL;
    /* Relative to the process's root, like any absolute path; a relative one
     * (which no linker writes) is taken from the current directory, as Linux
     * opens it. */
    struct task *t = current_task();
    err = err ?: path_lookup(t->fs ? t->fs->cwd : NULL, path, true, &file);
    kfree(path);
    if (err)
        return err;
    if (!S_ISREG(file->mode) || inode_permission(file, MAY_EXEC))
        return -EACCES;
    interp->inode = file;
    interp->is32 = program->is32;
    err = read_header(interp);
    if (err)
        return err;
    if (!right_machine(&interp->eh, interp->is32))
        return -ELIBBAD;
    err = read_program_headers(interp);
    return err == -ENOEXEC ? -ELIBBAD : err;
}

/* The page-aligned span [*low, *high) the file's PT_LOAD segments cover,
 * before relocation; false when it has none. */
static bool load_span(const struct elf_file *elf, u64 *low, u64 *high)
{
    *low = ~0ul;
    *high = 0;
    for (int i = 0; i < elf->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &elf->ph[i];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        *low = MIN(*low, ALIGN_DOWN(p->p_vaddr, PAGE_SIZE));
        *high = MAX(*high, ALIGN_UP(p->p_vaddr + p->p_memsz, PAGE_SIZE));
    }
    return *high > *low;
}

/* The largest power-of-two p_align of the PT_LOAD segments above a page,
 * which Linux honours when it places an ET_DYN program; 0 for none. */
static u64 largest_alignment(const struct elf_file *elf)
{
    u64 alignment = 0;
    for (int i = 0; i < elf->eh.e_phnum; i++) {
        u64 a = elf->ph[i].p_align;
        if (elf->ph[i].p_type == PT_LOAD && a > PAGE_SIZE && (a & (a - 1)) == 0)
            alignment = MAX(alignment, a);
    }
    return alignment;
}

/* Maps the PT_LOAD segments at `bias`; a segment's page that another one
 * already maps is replaced, as Linux's MAP_FIXED mappings replace it. Sets
 * *end to the end of the highest segment and *phdr to where the program
 * headers are in memory (0 when no segment holds them). */
static int map_segments(struct mm *mm, const struct elf_file *elf, u64 bias, u64 *end, u64 *phdr)
{
    u64 limit = elf->is32 ? COMPAT_TASK_SIZE : USER_TOP;
    u64 file_size = elf->inode->size;
    *end = 0;
    *phdr = 0;
    for (int i = 0; i < elf->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &elf->ph[i];
        if (p->p_type == PT_PHDR)
            *phdr = p->p_vaddr + bias;
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        u64 vaddr = p->p_vaddr + bias;
        if (p->p_filesz > p->p_memsz || p->p_offset > file_size || p->p_filesz > file_size - p->p_offset ||
            (p->p_vaddr & (PAGE_SIZE - 1)) != (p->p_offset & (PAGE_SIZE - 1)) || vaddr > limit ||
            p->p_memsz > limit - vaddr)
            return -ENOEXEC;
        u64 start = ALIGN_DOWN(vaddr, PAGE_SIZE);
        u64 seg_end = ALIGN_UP(vaddr + p->p_memsz, PAGE_SIZE);
        u32 prot = (p->p_flags & PF_R ? PROT_READ : 0) | (p->p_flags & PF_W ? PROT_WRITE : 0) |
                   (p->p_flags & PF_X ? PROT_EXEC : 0);
        int err = vma_unmap(mm, start, seg_end) ?: vma_insert(mm, start, seg_end, prot, MAP_PRIVATE, elf->inode,
                                                                ALIGN_DOWN(p->p_offset, PAGE_SIZE));
        if (err)
            return err;
        vma_find(mm, start)->file_bytes_end = vaddr + p->p_filesz;
        if (!*phdr && p->p_offset <= elf->eh.e_phoff && elf->eh.e_phoff < p->p_offset + p->p_filesz)
            *phdr = vaddr + (elf->eh.e_phoff - p->p_offset);
        *end = MAX(*end, seg_end);
    }
    return *end ? 0 : -ENOEXEC;
}

/* The program at its own addresses (ET_EXEC); an ET_DYN one with an
 * interpreter (PIE) or a large alignment at Linux's ELF_ET_DYN_BASE, its
 * first segment there; any other ET_DYN one (static-PIE, ld.so run as a
 * program) where mmap would put it, as Linux 6.18 places them. */
static int map_program(struct mm *mm, const struct elf_file *elf, bool has_interp, struct loaded_image *img)
{
    u64 bias = 0, low, high;
    if (!load_span(elf, &low, &high))
        return -ENOEXEC;
    u64 alignment = largest_alignment(elf);
    if (elf->eh.e_type == ET_DYN && (has_interp || alignment)) {
        bias = ALIGN_DOWN((elf->is32 ? COMPAT_PIE_BASE : USER_PIE_BASE) - low, PAGE_SIZE);
        if (alignment)
            bias = ALIGN_DOWN(bias, alignment);
    } else if (elf->eh.e_type == ET_DYN) {
        u64 start = mmap_find_free(mm, mm->mmap_base, high - low);
        if (!start)
            return -ENOMEM;
        bias = start - low;
    }
    u64 end, phdr;
    int err = map_segments(mm, elf, bias, &end, &phdr);
    if (err)
        return err;
    img->program_entry = img->entry = elf->eh.e_entry + bias;
    img->phdr = phdr;
    img->phnum = elf->eh.e_phnum;
    img->phent = elf->eh.e_phentsize;
    img->brk = end;
    return 0;
}

/* The interpreter: an ET_DYN one in the highest free range below the mmap
 * base that holds all its segments, an ET_EXEC one at its own addresses. */
static int map_interpreter(struct mm *mm, const struct elf_file *elf, struct loaded_image *img)
{
    u64 bias = 0, low, high;
    if ((elf->eh.e_type != ET_EXEC && elf->eh.e_type != ET_DYN) || !load_span(elf, &low, &high))
        return -ENOEXEC;
    if (elf->eh.e_type == ET_DYN) {
        u64 start = mmap_find_free(mm, mm->mmap_base, high - low);
        if (!start)
            return -ENOMEM;
        bias = start - low;
    }
    u64 end, phdr;
    int err = map_segments(mm, elf, bias, &end, &phdr);
    if (err)
        return err;
    img->entry = elf->eh.e_entry + bias;
    img->interp_base = bias;
    return 0;
}

int elf_load(struct mm *mm, struct inode *file, struct loaded_image *img)
{
    struct elf_file program = {.inode = file}, interp = {0};
    *img = (struct loaded_image){0};
    int err = open_program(&program) ?: open_interpreter(&program, &interp);
    if (!err) {
        img->is32 = program.is32;
        mm->mmap_base = program.is32 ? COMPAT_MMAP_BASE : USER_MMAP_BASE;
        err = map_program(mm, &program, interp.inode != NULL, img);
    }
    if (!err && interp.inode) {
        err = map_interpreter(mm, &interp, img);
        img->past_point_of_no_return = err != 0;
    }
    kfree(program.ph);
    kfree(interp.ph);
    return err;
}
