/*
 * vdsogetres.c - the vDSO's clock_getres gives what the system call gives,
 * for every clock (those it serves and those it hands to the kernel), and
 * the 32-bit vDSO's getcpu answers as the call does. The vDSO's functions are
 * found by name in its dynamic symbol table (a static program has no dlsym),
 * from AT_SYSINFO_EHDR. The output names no resolutions (the host's jiffy is
 * its own), only whether both ways agree; it is compared with the host's.
 *
 *   vdsogetres          clock_getres, and getcpu
 *   vdsogetres time64   the 32-bit vDSO's clock_getres_time64 (which this
 *                       host's Linux does not have); fails if it differs
 */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The vDSO is linked at 0 and mapped elsewhere: its addresses are offsets. */
static void *vdso_symbol(const char *name)
{
    uintptr_t base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    if (!base)
        return NULL;
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
    const ElfW(Dyn) *dyn = NULL;
    uintptr_t load_offset = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
            load_offset = base - ph[i].p_vaddr;
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(base + ph[i].p_offset);
    }
    if (!dyn)
        return NULL;
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    const uint32_t *hash = NULL;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_SYMTAB)
            symtab = (const ElfW(Sym) *)(load_offset + dyn->d_un.d_ptr);
        else if (dyn->d_tag == DT_STRTAB)
            strtab = (const char *)(load_offset + dyn->d_un.d_ptr);
        else if (dyn->d_tag == DT_HASH)
            hash = (const uint32_t *)(load_offset + dyn->d_un.d_ptr);
    }
    if (!symtab || !strtab || !hash)
        return NULL;
    uint32_t symbols = hash[1]; /* nchain */
    for (uint32_t i = 0; i < symbols; i++)
        if (symtab[i].st_shndx != SHN_UNDEF && ELF32_ST_TYPE(symtab[i].st_info) == STT_FUNC &&
            strcmp(strtab + symtab[i].st_name, name) == 0)
            return (void *)(load_offset + symtab[i].st_value);
    return NULL;
}

/* The clocks Linux has, those it refuses, and the calling process's CPU-time
 * clock as Linux's MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED) encodes it. */
#define OWN_PROCESS_SCHED_CLOCK (-6)
static const int clocks[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100, -1, OWN_PROCESS_SCHED_CLOCK};

/* syscall() as the vDSO returns: -errno on failure. */
#define RAW(ret) ((ret) == -1 ? -errno : (ret))

static int differences;

static const char *verdict(int same)
{
    differences += !same;
    return same ? "same" : "differs";
}

#if defined(__i386__)
struct timespec32 {
    int32_t tv_sec, tv_nsec;
};
struct timespec64 {
    int64_t tv_sec, tv_nsec;
};
#define NR_clock_getres32 266
#define NR_clock_getres_time64 406

static void compare_getres32(int (*vdso)(int, struct timespec32 *))
{
    for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        struct timespec32 v = {-7, -7}, k = {-7, -7};
        long vr = vdso(clocks[i], &v);
        long kr = RAW(syscall(NR_clock_getres32, clocks[i], &k));
        printf("getres %d: %s (returns %ld)\n", clocks[i], verdict(vr == kr && memcmp(&v, &k, sizeof(v)) == 0), vr);
        vr = vdso(clocks[i], NULL);
        kr = RAW(syscall(NR_clock_getres32, clocks[i], NULL));
        printf("getres %d NULL: %s\n", clocks[i], verdict(vr == kr));
    }
}

static void compare_getres64(int (*vdso)(int, struct timespec64 *))
{
    for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        struct timespec64 v = {-7, -7}, k = {-7, -7};
        long vr = vdso(clocks[i], &v);
        long kr = RAW(syscall(NR_clock_getres_time64, clocks[i], &k));
        printf("getres_time64 %d: %s (returns %ld)\n", clocks[i], verdict(vr == kr && memcmp(&v, &k, sizeof(v)) == 0), vr);
        vr = vdso(clocks[i], NULL);
        kr = RAW(syscall(NR_clock_getres_time64, clocks[i], NULL));
        printf("getres_time64 %d NULL: %s\n", clocks[i], verdict(vr == kr));
    }
}
#else
static void compare_getres(int (*vdso)(int, struct timespec *))
{
    for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        struct timespec v = {-7, -7}, k = {-7, -7};
        long vr = vdso(clocks[i], &v);
        long kr = RAW(syscall(SYS_clock_getres, clocks[i], &k));
        printf("getres %d: %s (returns %ld)\n", clocks[i], verdict(vr == kr && memcmp(&v, &k, sizeof(v)) == 0), vr);
        vr = vdso(clocks[i], NULL);
        kr = RAW(syscall(SYS_clock_getres, clocks[i], NULL));
        printf("getres %d NULL: %s\n", clocks[i], verdict(vr == kr));
    }
}
#endif

int main(int argc, char **argv)
{
#if defined(__i386__)
    if (argc > 1 && strcmp(argv[1], "time64") == 0) {
        void *getres64 = vdso_symbol("__vdso_clock_getres_time64");
        printf("__vdso_clock_getres_time64: %s\n", getres64 ? "found" : "missing");
        if (!getres64)
            return 1;
        compare_getres64((int (*)(int, struct timespec64 *))getres64);
        return differences != 0;
    }
#else
    (void)argc;
    (void)argv;
#endif
    static const char *const names[] = {"__vdso_clock_getres", "__vdso_getcpu"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        printf("%s: %s\n", names[i], vdso_symbol(names[i]) ? "found" : "missing");

#if defined(__i386__)
    if (vdso_symbol("__vdso_clock_getres"))
        compare_getres32((int (*)(int, struct timespec32 *))vdso_symbol("__vdso_clock_getres"));
#else
    if (vdso_symbol("__vdso_clock_getres"))
        compare_getres((int (*)(int, struct timespec *))vdso_symbol("__vdso_clock_getres"));
#endif

    long (*getcpu)(unsigned *, unsigned *, void *) = (long (*)(unsigned *, unsigned *, void *))vdso_symbol("__vdso_getcpu");
    if (getcpu) {
        unsigned cpu = ~0u, node = ~0u;
        long ret = getcpu(&cpu, &node, NULL);
        long cpus = sysconf(_SC_NPROCESSORS_CONF);
        printf("getcpu: returns %ld, cpu %s, node %u\n", ret, (long)cpu < cpus ? "in range" : "out of range", node);
        printf("getcpu NULL: returns %ld\n", getcpu(NULL, NULL, NULL));
    }
    return 0;
}
