/*
 * auxvec.c - what a program started by the dynamic loader sees: its
 * arguments and environment, and the auxiliary vector's entries that do not
 * change between runs (values, or how they relate to the program and the
 * loader: AT_ENTRY is _start, AT_PHDR the program's headers, AT_BASE where
 * the loader is). Under `setarch -R` on the host it also shows where a PIE
 * program and its break start, and that the heap stays one mapping as the
 * break grows. Built dynamically (tests/cases/dynamic.sh),
 * 64-bit and 32-bit. Exits 0.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#define PAGE 4096u
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#endif

extern char **environ;
extern char _start[], end[];
extern const ElfW(Ehdr) __ehdr_start;

static uintptr_t loader_base;

/* The loader is the object whose PT_INTERP-less headers include the entry
 * AT_BASE names; dl_iterate_phdr lists it with its load address. */
static int find_loader(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    if (info->dlpi_addr && info->dlpi_addr == getauxval(AT_BASE))
        loader_base = info->dlpi_addr;
    return 0;
}

static const char *yes(int condition) { return condition ? "yes" : "no"; }

int main(int argc, char **argv)
{
    uintptr_t brk_start = (uintptr_t)sbrk(0); /* before stdio's buffers can move it */
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    for (char **e = environ; *e; e++)
        printf("env %s\n", *e);
    dl_iterate_phdr(find_loader, NULL);
    uintptr_t program_base = (uintptr_t)&__ehdr_start;
    printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
    printf("AT_PHENT %lu (sizeof ElfW(Phdr) %zu)\n", getauxval(AT_PHENT), sizeof(ElfW(Phdr)));
    printf("AT_PHNUM is e_phnum: %s\n", yes(getauxval(AT_PHNUM) == __ehdr_start.e_phnum));
    printf("AT_PHDR is the program's headers: %s\n", yes(getauxval(AT_PHDR) == program_base + __ehdr_start.e_phoff));
    printf("AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (uintptr_t)_start));
    printf("AT_BASE set: %s\n", yes(getauxval(AT_BASE) != 0));
    printf("AT_BASE is the loader's address: %s\n", yes(loader_base && loader_base % PAGE == 0));
    printf("loader above the program: %s\n", yes(loader_base > program_base));
    printf("AT_FLAGS %lu\n", getauxval(AT_FLAGS));
    printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
    printf("AT_CLKTCK %lu\n", getauxval(AT_CLKTCK));
    printf("AT_UID is getuid: %s\n", yes(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid()));
    printf("AT_GID is getgid: %s\n", yes(getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid()));
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM %s\n", platform ? platform : "(none)");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN ends in the program's name: %s\n",
           yes(execfn && strlen(execfn) >= 7 && strcmp(execfn + strlen(execfn) - 7, "/auxvec") == 0));
    printf("AT_RANDOM set: %s\n", yes(getauxval(AT_RANDOM) != 0));
    printf("AT_SYSINFO_EHDR set: %s\n", yes(getauxval(AT_SYSINFO_EHDR) != 0));
    printf("AT_MINSIGSTKSZ set: %s\n", yes(getauxval(AT_MINSIGSTKSZ) != 0));
    printf("AT_RSEQ_FEATURE_SIZE %lu\n", getauxval(AT_RSEQ_FEATURE_SIZE));
    printf("AT_RSEQ_ALIGN %lu\n", getauxval(AT_RSEQ_ALIGN));
#ifdef __i386__
    printf("AT_SYSINFO set: %s\n", yes(getauxval(AT_SYSINFO) != 0));
#endif
    printf("program at 0x%lx\n", (unsigned long)program_base);
    printf("break starts at the program's end: %s\n", yes(brk_start == ((uintptr_t)end + PAGE - 1) / PAGE * PAGE));
    /* Grown twice, the heap is still one mapping. */
    sbrk(3 * PAGE);
    sbrk(5 * PAGE);
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    int heaps = 0;
    while (maps && fgets(line, sizeof(line), maps))
        heaps += strstr(line, "[heap]") != NULL;
    printf("[heap] mappings: %d\n", heaps);
    return 0;
}
