/* Validating the kernel image and PROGRAM. The kernel check follows what QEMU 7.2 itself
   does in hw/i386/x86.c (load_elfboot, read_pvh_start_addr) and include/hw/elf_ops.h
   (get_elf_note_type), because a kernel that a textbook ELF reader accepts can still fail
   in QEMU: QEMU pads note name sizes to the PT_NOTE segment's p_align (which misplaces
   the descriptor when p_align is 8, and divides by zero when it is 0), matches the first
   note of type 18 whatever its name, and boots anything with a multiboot header as
   multiboot. Each of those ends here in one clear line instead. (Upstream QEMU 7.2.0 also
   read 8 bytes of an ELF64 kernel's entry; Debian's 7.2 reads 4, so .long and .quad both
   work there, and .quad, as Linux uses, works everywhere.) */
#define _GNU_SOURCE
#include "elfcheck.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MULTIBOOT_HEADER_MAGIC 0x1BADB002u
#define MULTIBOOT_SEARCH_LIMIT (8192 - 48) /* what QEMU's load_multiboot scans */
#define NOTE_SEGMENT_LIMIT (1u << 20)

/* The parts of an ELF file the checks need, with ELF32 fields widened. */
struct elf_file {
    int fd;
    uint64_t size;
    bool is64;
    uint16_t type;
    uint16_t machine;
    Elf64_Phdr *segments;
    unsigned segment_count;
};

static bool read_exactly(int fd, void *buffer, size_t length, uint64_t offset)
{
    size_t done = 0;
    while (done < length) {
        ssize_t got = pread(fd, (char *)buffer + done, length - done, (off_t)(offset + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        done += (size_t)got;
    }
    return true;
}

static uint32_t le32(const unsigned char *bytes)
{
    return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
           (uint32_t)bytes[3] << 24;
}

static uint64_t le64(const unsigned char *bytes)
{
    return le32(bytes) | (uint64_t)le32(bytes + 4) << 32;
}

/* Reads the ELF header and program headers. Returns NULL on success, else what is wrong.
   `header` holds the file's first bytes (`header_length` of them). */
static const char *parse_elf(struct elf_file *elf, const unsigned char *header, size_t header_length)
{
    if (header_length < EI_NIDENT || memcmp(header, ELFMAG, SELFMAG) != 0)
        return "not an ELF file";
    if (header[EI_CLASS] != ELFCLASS32 && header[EI_CLASS] != ELFCLASS64)
        return "unknown ELF class";
    if (header[EI_DATA] != ELFDATA2LSB)
        return "not a little-endian ELF file";
    elf->is64 = header[EI_CLASS] == ELFCLASS64;
    uint64_t phoff;
    uint16_t phentsize, phnum;
    if (elf->is64) {
        Elf64_Ehdr ehdr;
        if (header_length < sizeof ehdr)
            return "truncated ELF header";
        memcpy(&ehdr, header, sizeof ehdr);
        elf->type = ehdr.e_type;
        elf->machine = ehdr.e_machine;
        phoff = ehdr.e_phoff;
        phentsize = ehdr.e_phentsize;
        phnum = ehdr.e_phnum;
    } else {
        Elf32_Ehdr ehdr;
        if (header_length < sizeof ehdr)
            return "truncated ELF header";
        memcpy(&ehdr, header, sizeof ehdr);
        elf->type = ehdr.e_type;
        elf->machine = ehdr.e_machine;
        phoff = ehdr.e_phoff;
        phentsize = ehdr.e_phentsize;
        phnum = ehdr.e_phnum;
    }
    if (phnum == 0) {
        elf->segment_count = 0;
        elf->segments = NULL;
        return NULL;
    }
    size_t entry_size = elf->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    if (phentsize != entry_size)
        return "bad program header size";
    if (phoff > elf->size || (uint64_t)phnum * entry_size > elf->size - phoff)
        return "program headers outside the file";
    unsigned char *raw = xmalloc((size_t)phnum * entry_size);
    if (!read_exactly(elf->fd, raw, (size_t)phnum * entry_size, phoff)) {
        free(raw);
        return "cannot read the program headers";
    }
    elf->segments = xmalloc(phnum * sizeof(Elf64_Phdr));
    elf->segment_count = phnum;
    for (unsigned i = 0; i < phnum; i++) {
        Elf64_Phdr *out = &elf->segments[i];
        if (elf->is64) {
            memcpy(out, raw + i * entry_size, sizeof *out);
        } else {
            Elf32_Phdr in;
            memcpy(&in, raw + i * entry_size, sizeof in);
            *out = (Elf64_Phdr){.p_type = in.p_type, .p_flags = in.p_flags, .p_offset = in.p_offset,
                                .p_vaddr = in.p_vaddr, .p_paddr = in.p_paddr, .p_filesz = in.p_filesz,
                                .p_memsz = in.p_memsz, .p_align = in.p_align};
        }
    }
    free(raw);
    return NULL;
}

static uint64_t align_up(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

/* A note found in a PT_NOTE segment. */
struct note_position {
    bool found;
    bool named_xen;
    uint32_t descriptor_size;
    uint64_t descriptor_offset; /* in the file */
};

/* Finds the first note of type `type` in a PT_NOTE segment's bytes.
   The ELF layout puts the descriptor at ALIGN_UP(12 + namesz, align) from the note's
   start. QEMU 7.2 (get_elf_note_type, read_pvh_start_addr) uses 12 + ALIGN_UP(namesz,
   p_align) instead, which differs when p_align is 8, and it compares only each note's
   own size against the segment's. `qemu_layout` selects QEMU's way. */
static struct note_position find_note(const unsigned char *notes, uint64_t size, uint64_t segment_offset,
                                      uint64_t align, uint32_t type, bool qemu_layout)
{
    struct note_position position = {0};
    uint64_t offset = 0;
    while (offset + 12 <= size) {
        uint32_t name_size = le32(notes + offset);
        uint32_t descriptor_size = le32(notes + offset + 4);
        uint64_t descriptor = qemu_layout ? offset + 12 + align_up(name_size, align)
                                          : offset + align_up(12 + (uint64_t)name_size, align);
        if (le32(notes + offset + 8) == type) {
            position.found = true;
            position.named_xen = name_size == 4 && offset + 16 <= size &&
                                 memcmp(notes + offset + 12, "Xen", 4) == 0;
            position.descriptor_size = descriptor_size;
            position.descriptor_offset = segment_offset + descriptor;
            return position;
        }
        uint64_t next = qemu_layout ? descriptor + align_up(descriptor_size, align)
                                    : align_up(descriptor + descriptor_size, align);
        /* a wild p_align can wrap the sums: no progress means no more notes */
        if (next <= offset || (qemu_layout ? next - offset > size : next > size))
            break;
        offset = next;
    }
    return position;
}

/* The entry address in a note's descriptor (4 or 8 bytes; the entry is 32-bit). */
static bool read_entry(const struct elf_file *elf, uint64_t file_offset, uint32_t descriptor_size,
                       uint64_t *entry)
{
    unsigned char bytes[8] = {0};
    if (descriptor_size != 4 && descriptor_size != 8)
        return false;
    if (!read_exactly(elf->fd, bytes, descriptor_size, file_offset))
        return false;
    *entry = le64(bytes);
    return true;
}

/* Looks for the PVH entry in one PT_NOTE segment, as QEMU 7.2 will. Returns NULL and
   sets *entry (0 when the segment has no type-18 note), or a problem description. */
static const char *find_pvh_entry_in_segment(const struct elf_file *elf, const Elf64_Phdr *segment,
                                             uint64_t *entry, char *problem, size_t problem_size)
{
    *entry = 0;
    if (segment->p_filesz == 0)
        return NULL;
    if (segment->p_align == 0)
        return "a PT_NOTE segment has p_align 0, which makes QEMU 7.2 divide by zero";
    if (segment->p_offset > elf->size || segment->p_filesz > elf->size - segment->p_offset)
        return "a PT_NOTE segment lies outside the file";
    if (segment->p_filesz > NOTE_SEGMENT_LIMIT)
        return "a PT_NOTE segment is absurdly large";
    size_t size = (size_t)segment->p_filesz;
    unsigned char *notes = xmalloc(size);
    if (!read_exactly(elf->fd, notes, size, segment->p_offset)) {
        free(notes);
        return "cannot read a PT_NOTE segment";
    }
    uint64_t standard_align = segment->p_align < 4 ? 4 : segment->p_align;
    struct note_position standard = find_note(notes, size, segment->p_offset, standard_align,
                                              XEN_ELFNOTE_PHYS32_ENTRY, false);
    struct note_position qemu = find_note(notes, size, segment->p_offset, segment->p_align,
                                          XEN_ELFNOTE_PHYS32_ENTRY, true);
    free(notes);

    if (qemu.found && !qemu.named_xen)
        return "the first ELF note of type 18 is not Xen's, and QEMU would use it anyway";
    uint64_t expected = 0, seen = 0;
    if (standard.found && standard.named_xen &&
        !read_entry(elf, standard.descriptor_offset, standard.descriptor_size, &expected))
        return "the PVH note's descriptor is not 4 or 8 bytes inside the file";
    if (qemu.found && !read_entry(elf, qemu.descriptor_offset, qemu.descriptor_size, &seen))
        return "the PVH note's descriptor is not 4 or 8 bytes inside the file";
    if (standard.found && standard.named_xen && (!qemu.found || seen != expected)) {
        snprintf(problem, problem_size,
                 "QEMU 7.2 would read the PVH entry as 0x%llx, not 0x%llx: it pads ELF note names "
                 "to the PT_NOTE segment's p_align (%llu); put the Xen note in a PT_NOTE segment "
                 "aligned to 4", (unsigned long long)seen, (unsigned long long)expected,
                 (unsigned long long)segment->p_align);
        return problem;
    }
    *entry = qemu.found ? seen : 0;
    return NULL;
}

static bool has_multiboot_header(int fd)
{
    unsigned char head[8192];
    ssize_t length = pread(fd, head, sizeof head, 0);
    if (length < 12)
        return false;
    for (ssize_t i = 0; i + 12 <= length && i < MULTIBOOT_SEARCH_LIMIT; i += 4) {
        if (le32(head + i) != MULTIBOOT_HEADER_MAGIC)
            continue;
        uint32_t flags = le32(head + i + 4), checksum = le32(head + i + 8);
        if ((uint32_t)(MULTIBOOT_HEADER_MAGIC + flags + checksum) == 0)
            return true;
    }
    return false;
}

/* The kernel checks on an open file; NULL, or the problem (in `problem` when it needs
   formatting). */
const char *kernel_image_problem(int fd, uint64_t memory_bytes, char *problem, size_t problem_size)
{
    struct elf_file elf = {.fd = fd};
    struct stat status;
    if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode))
        return "not a regular file";
    elf.size = (uint64_t)status.st_size;

    unsigned char header[sizeof(Elf64_Ehdr)] = {0};
    ssize_t got = pread(fd, header, sizeof header, 0);
    if (got < 0) {
        snprintf(problem, problem_size, "%s", strerror(errno));
        return problem;
    }
    const char *found_problem = parse_elf(&elf, header, (size_t)got);
    if (!found_problem && elf.machine != EM_X86_64 && elf.machine != EM_386) {
        snprintf(problem, problem_size, "not an x86 ELF file (e_machine %u)", elf.machine);
        found_problem = problem;
    } else if (!found_problem && elf.type != ET_EXEC && elf.type != ET_DYN) {
        snprintf(problem, problem_size, "not an executable ELF file (e_type %u)", elf.type);
        found_problem = problem;
    }

    uint64_t entry = 0;
    for (unsigned i = 0; !found_problem && i < elf.segment_count; i++) {
        if (elf.segments[i].p_type != PT_NOTE)
            continue;
        uint64_t found;
        found_problem = find_pvh_entry_in_segment(&elf, &elf.segments[i], &found, problem, problem_size);
        if (found)
            entry = found; /* QEMU keeps the last one it finds */
    }
    if (!found_problem && !entry)
        found_problem = "no PVH entry (ELF note \"Xen\" of type 18, XEN_ELFNOTE_PHYS32_ENTRY, "
                        "in a PT_NOTE segment); QEMU cannot boot it";
    if (!found_problem && entry >> 32) {
        snprintf(problem, problem_size, "PVH entry 0x%llx is not a 32-bit physical address",
                 (unsigned long long)entry);
        found_problem = problem;
    }

    bool entry_loaded = false;
    for (unsigned i = 0; !found_problem && i < elf.segment_count; i++) {
        const Elf64_Phdr *segment = &elf.segments[i];
        if (segment->p_type != PT_LOAD || segment->p_memsz == 0)
            continue;
        if (segment->p_paddr > memory_bytes || segment->p_memsz > memory_bytes - segment->p_paddr) {
            snprintf(problem, problem_size,
                     "a segment loads at physical 0x%llx-0x%llx, outside %llu MiB of guest RAM "
                     "(is p_paddr a physical address?)",
                     (unsigned long long)segment->p_paddr,
                     (unsigned long long)(segment->p_paddr + segment->p_memsz),
                     (unsigned long long)(memory_bytes >> 20));
            found_problem = problem;
        }
        if (entry >= segment->p_paddr && entry - segment->p_paddr < segment->p_memsz)
            entry_loaded = true;
    }
    if (!found_problem && !entry_loaded) {
        snprintf(problem, problem_size, "PVH entry 0x%llx is not inside a loadable segment",
                 (unsigned long long)entry);
        found_problem = problem;
    }
    if (!found_problem && has_multiboot_header(fd))
        found_problem = "has a multiboot header, so QEMU would boot it as multiboot, not PVH";
    free(elf.segments);
    return found_problem;
}

void check_kernel_image(const char *path, uint64_t memory_bytes)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(EXIT_SYSGATE_ERROR, "kernel %s: %s", path, strerror(errno));
    char problem[512];
    const char *found = kernel_image_problem(fd, memory_bytes, problem, sizeof problem);
    if (found)
        fail(EXIT_SYSGATE_ERROR, "kernel %s: %s", path, found);
    close(fd);
}

static const char *machine_name(uint16_t machine)
{
    switch (machine) {
    case EM_AARCH64: return "AArch64";
    case EM_ARM: return "ARM";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_PPC: return "PowerPC";
    case EM_S390: return "s390";
    case EM_MIPS: return "MIPS";
    case EM_X86_64: return "x86-64";
    case EM_386: return "i386";
    default: return NULL;
    }
}

const char *program_problem(int fd, uint64_t file_size, struct program_info *info, char *problem,
                            size_t problem_size)
{
    memset(info, 0, sizeof *info);
    unsigned char header[sizeof(Elf64_Ehdr)] = {0};
    ssize_t got = pread(fd, header, sizeof header, 0);
    if (got < 0) {
        snprintf(problem, problem_size, "cannot read it: %s", strerror(errno));
        return problem;
    }
    if (got >= 2 && header[0] == '#' && header[1] == '!') {
        info->is_script = true;
        return NULL;
    }
    struct elf_file elf = {.fd = fd, .size = file_size};
    const char *found = parse_elf(&elf, header, (size_t)got);
    if (found && strcmp(found, "not an ELF file") == 0)
        return "cannot execute: not an ELF executable or #! script";
    if (found) {
        snprintf(problem, problem_size, "cannot execute: %s", found);
        return problem;
    }
    bool x86 = (elf.is64 && elf.machine == EM_X86_64) || (!elf.is64 && elf.machine == EM_386);
    const char *name = machine_name(elf.machine);
    if (!x86 && !elf.is64 && elf.machine == EM_X86_64)
        found = "cannot execute: x32 ELF files are not supported";
    else if (!x86 && name)
        found = snprintf(problem, problem_size, "cannot execute: an ELF file for %s, not x86", name) >= 0
                    ? problem : "cannot execute: not x86";
    else if (!x86)
        found = snprintf(problem, problem_size, "cannot execute: an ELF file for machine %u, not x86",
                         elf.machine) >= 0 ? problem : "cannot execute: not x86";
    else if (elf.type != ET_EXEC && elf.type != ET_DYN)
        found = elf.type == ET_REL ? "cannot execute: not an executable ELF file (an object file)"
                : elf.type == ET_CORE ? "cannot execute: not an executable ELF file (a core dump)"
                                      : "cannot execute: not an executable ELF file (bad e_type)";
    for (unsigned i = 0; !found && i < elf.segment_count; i++) {
        const Elf64_Phdr *segment = &elf.segments[i];
        if (segment->p_type != PT_INTERP || segment->p_filesz == 0 || segment->p_filesz > 4096 ||
            segment->p_offset > elf.size || segment->p_filesz > elf.size - segment->p_offset ||
            info->interpreter)
            continue;
        char *interpreter = xmalloc((size_t)segment->p_filesz + 1);
        if (read_exactly(fd, interpreter, (size_t)segment->p_filesz, segment->p_offset)) {
            interpreter[segment->p_filesz] = '\0';
            info->interpreter = interpreter;
        } else {
            free(interpreter);
        }
    }
    free(elf.segments);
    return found;
}

void check_program(const char *path, struct program_info *info)
{
    struct stat status;
    if (stat(path, &status) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            fail(EXIT_NOT_FOUND, "%s: No such file or directory", path);
        fail(EXIT_NOT_EXECUTABLE, "%s: %s", path, strerror(errno));
    }
    if (S_ISDIR(status.st_mode))
        fail(EXIT_NOT_EXECUTABLE, "%s: Is a directory", path);
    if (!S_ISREG(status.st_mode))
        fail(EXIT_NOT_EXECUTABLE, "%s: not a regular file", path);
    if (!(status.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
        fail(EXIT_NOT_EXECUTABLE, "%s: Permission denied (no execute permission; chmod +x it)", path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(EXIT_NOT_EXECUTABLE, "%s: cannot read it: %s", path, strerror(errno));
    char problem[256];
    const char *found = program_problem(fd, (uint64_t)status.st_size, info, problem, sizeof problem);
    if (found)
        fail(EXIT_NOT_EXECUTABLE, "%s: %s", path, found);
    close(fd);
}
