/*
 * startstate.c - FREESTANDING: build with
 *     gcc -static -nostdlib -ffreestanding -fno-stack-protector -O2 ...
 * (no libc at all: its own _start, raw `syscall` instructions).
 *
 * Checks the state a new process starts in, as the System V x86-64 ABI and
 * Linux define it (SPEC section 3):
 *   - every general register except rsp is 0 at _start (rdx too: the ABI's
 *     "function to register with atexit" is NULL for a static program);
 *   - RFLAGS == 0x202 (IF set, everything else clear: DF, TF, AC, NT ...);
 *   - rsp is 16-byte aligned at _start;
 *   - MXCSR == 0x1f80 and the x87 control word == 0x37f (ABI defaults);
 *   - the stack holds argc, argv[] ending in NULL, envp[] ending in NULL and
 *     the auxiliary vector ending in AT_NULL, with the entries Linux passes.
 * It prints one line per check, "ok NAME" or "FAIL NAME (detail)", and exits
 * 0 if every check passed, else 1. Only check names are printed (never
 * addresses or values) so the output is the same on every run and can be
 * compared verbatim between the host and the guest. The vDSO check
 * (AT_SYSINFO_EHDR) is its own line, "vdso", so that a kernel without a vDSO
 * fails exactly that line.
 */

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;

/* Filled in by _start before anything can change them. */
u64 entry_regs[16];     /* rax rbx rcx rdx rsi rdi rbp rsp r8 .. r15 */
u64 entry_rflags;
u32 entry_mxcsr;
u16 entry_fcw;

void start_c(u64 *sp) __attribute__((noreturn, used));

__asm__(
    ".text\n"
    ".globl _start\n"
    ".type _start, @function\n"
    "_start:\n"
    "    mov %rax, entry_regs+0*8(%rip)\n"
    "    mov %rbx, entry_regs+1*8(%rip)\n"
    "    mov %rcx, entry_regs+2*8(%rip)\n"
    "    mov %rdx, entry_regs+3*8(%rip)\n"
    "    mov %rsi, entry_regs+4*8(%rip)\n"
    "    mov %rdi, entry_regs+5*8(%rip)\n"
    "    mov %rbp, entry_regs+6*8(%rip)\n"
    "    mov %rsp, entry_regs+7*8(%rip)\n"
    "    mov %r8,  entry_regs+8*8(%rip)\n"
    "    mov %r9,  entry_regs+9*8(%rip)\n"
    "    mov %r10, entry_regs+10*8(%rip)\n"
    "    mov %r11, entry_regs+11*8(%rip)\n"
    "    mov %r12, entry_regs+12*8(%rip)\n"
    "    mov %r13, entry_regs+13*8(%rip)\n"
    "    mov %r14, entry_regs+14*8(%rip)\n"
    "    mov %r15, entry_regs+15*8(%rip)\n"
    "    pushfq\n"
    "    pop %rax\n"
    "    mov %rax, entry_rflags(%rip)\n"
    "    stmxcsr entry_mxcsr(%rip)\n"
    "    fnstcw entry_fcw(%rip)\n"
    "    mov %rsp, %rdi\n"          /* argc is at (%rsp) */
    "    and $-16, %rsp\n"          /* call start_c with an ABI-aligned stack */
    "    xor %ebp, %ebp\n"
    "    call start_c\n"
    "    ud2\n"
    ".size _start, . - _start\n");

extern char _start[];
/* Defined by GNU ld: the program's own ELF header, mapped with its first segment. */
extern const char __ehdr_start[] __attribute__((weak));

/* ---- raw system calls -------------------------------------------------- */

static long sys3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return ret;
}

static void __attribute__((noreturn)) sys_exit_group(int status)
{
    for (;;)
        sys3(231, status, 0, 0);
}

/* ---- tiny output helpers ----------------------------------------------- */

static char outbuf[4096];
static u64 outlen;

static void flush(void)
{
    u64 off = 0;
    while (off < outlen) {
        long n = sys3(1, 1, (long)(outbuf + off), (long)(outlen - off));
        if (n <= 0)
            break;
        off += (u64)n;
    }
    outlen = 0;
}

static void put(const char *s)
{
    while (*s) {
        if (outlen == sizeof outbuf)
            flush();
        outbuf[outlen++] = *s++;
    }
}

static void put_hex(u64 v)
{
    char tmp[19];
    int i = 18;
    tmp[i] = 0;
    do {
        tmp[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v && i > 2);
    tmp[--i] = 'x';
    tmp[--i] = '0';
    put(tmp + i);
}

static int failures;

/* Prints "ok NAME" or "FAIL NAME (detail)". detail may be 0. */
static void check(int ok, const char *name, const char *detail)
{
    if (ok) {
        put("ok ");
        put(name);
    } else {
        failures++;
        put("FAIL ");
        put(name);
        if (detail) {
            put(" (");
            put(detail);
            put(")");
        }
    }
    put("\n");
}

static u64 slen(const char *s)
{
    u64 n = 0;
    while (s[n])
        n++;
    return n;
}

static int seq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* ---- the checks -------------------------------------------------------- */

enum {
    AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6,
    AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
    AT_PLATFORM = 15, AT_HWCAP = 16, AT_SECURE = 23, AT_RANDOM = 25,
    AT_EXECFN = 31, AT_SYSINFO_EHDR = 33,
    AT_MAX = 64,
};

#define PT_LOAD 1
#define PF_X 1

struct phdr64 {         /* Elf64_Phdr */
    u32 p_type, p_flags;
    u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

static const char *const regname[16] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static void check_registers(void)
{
    /* On failure, say which registers were not zero, and their values. */
    int bad = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 7 || entry_regs[i] == 0)
            continue;
        if (!bad) {
            put("FAIL regs_zero (");
            failures++;
        } else {
            put(" ");
        }
        bad = 1;
        put(regname[i]);
        put("=");
        put_hex(entry_regs[i]);
    }
    if (bad)
        put(")\n");
    else
        check(1, "regs_zero", 0);

    if (entry_rflags == 0x202) {
        check(1, "rflags", 0);
    } else {
        put("FAIL rflags (");
        put_hex(entry_rflags);
        put(", expected 0x202)\n");
        failures++;
    }
    check((entry_regs[7] & 15) == 0, "rsp_aligned", "rsp % 16 != 0 at _start");
    check(entry_mxcsr == 0x1f80, "mxcsr", "not 0x1f80");
    check(entry_fcw == 0x37f, "x87_cw", "not 0x37f");
}

void start_c(u64 *sp)
{
    check_registers();

    /* argc, argv */
    long argc = (long)sp[0];
    char **argv = (char **)(sp + 1);
    check(argc >= 1, "argc", "argc < 1");
    check(argc >= 0 && argc < 100000 && argv[argc] == 0, "argv_null", "argv[argc] != NULL");
    u64 total = 0;
    for (long i = 0; i < argc; i++)
        total += slen(argv[i]);    /* faults if a string is not readable */
    check(argc < 1 || slen(argv[0]) > 0, "argv_strings", "argv[0] is empty");

    /* envp: NULL-terminated, every string readable and of the form NAME=... */
    char **envp = argv + argc + 1;
    long envc = 0;
    int env_ok = 1;
    while (envp[envc] && envc < 100000) {
        const char *e = envp[envc];
        int has_eq = 0;
        for (u64 j = 0; e[j]; j++)
            if (e[j] == '=')
                has_eq = 1;
        if (!has_eq)
            env_ok = 0;
        envc++;
    }
    check(envp[envc] == 0, "envp_null", "no NULL after envp");
    check(env_ok, "envp_strings", "an envp string has no '='");

    /* auxv: pairs after envp's NULL, ending with AT_NULL */
    u64 *auxv = (u64 *)(envp + envc + 1);
    u64 val[AT_MAX];
    int seen[AT_MAX];
    for (int i = 0; i < AT_MAX; i++)
        val[i] = 0, seen[i] = 0;
    int n = 0, terminated = 0;
    for (; n < 256; n++) {
        u64 type = auxv[2 * n], v = auxv[2 * n + 1];
        if (type == AT_NULL) {
            terminated = 1;
            break;
        }
        if (type < AT_MAX) {
            val[type] = v;
            seen[type] = 1;
        }
    }
    check(terminated && n > 0, "auxv", "no auxiliary vector ending in AT_NULL");

    /* AT_PHDR / AT_PHENT / AT_PHNUM describe this program's own headers */
    const char *ehdr = __ehdr_start;
    if (!seen[AT_PHDR]) {
        check(0, "at_phdr", "missing");
    } else if (ehdr) {
        u64 phoff = *(const u64 *)(ehdr + 32);          /* e_phoff */
        check(val[AT_PHDR] == (u64)ehdr + phoff, "at_phdr", "not the address of the program headers");
    } else {
        check(1, "at_phdr", 0);
    }
    check(seen[AT_PHENT] && val[AT_PHENT] == 56, "at_phent", "missing or not 56");
    if (seen[AT_PHNUM] && ehdr)
        check(val[AT_PHNUM] == *(const u16 *)(ehdr + 56), "at_phnum", "not e_phnum"); /* e_phnum */
    else
        check(seen[AT_PHNUM] && val[AT_PHNUM] > 0, "at_phnum", "missing or 0");
    if (seen[AT_PHDR] && seen[AT_PHNUM] && val[AT_PHNUM] < 64) {
        /* one executable PT_LOAD segment contains the entry point */
        const struct phdr64 *ph = (const struct phdr64 *)val[AT_PHDR];
        int found = 0;
        for (u64 i = 0; i < val[AT_PHNUM]; i++)
            if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
                ph[i].p_vaddr <= (u64)_start && (u64)_start < ph[i].p_vaddr + ph[i].p_memsz)
                found = 1;
        check(found, "phdrs_readable", "no executable PT_LOAD contains _start");
    } else {
        check(0, "phdrs_readable", "AT_PHDR or AT_PHNUM missing");
    }
    check(seen[AT_PAGESZ] && val[AT_PAGESZ] == 4096, "at_pagesz", "missing or not 4096");
    check(seen[AT_ENTRY] && val[AT_ENTRY] == (u64)_start, "at_entry", "missing or not the address of _start");

    if (seen[AT_RANDOM] && val[AT_RANDOM]) {
        const volatile unsigned char *r = (const unsigned char *)val[AT_RANDOM];
        unsigned char any = 0;
        for (int i = 0; i < 16; i++)
            any |= r[i];             /* faults if the 16 bytes are not readable */
        check(any != 0, "at_random", "16 zero bytes");
    } else {
        check(0, "at_random", "missing or NULL");
    }
    check(seen[AT_HWCAP], "at_hwcap", "missing");
    check(seen[AT_PLATFORM] && val[AT_PLATFORM] && seq((const char *)val[AT_PLATFORM], "x86_64"),
          "at_platform", "missing or not \"x86_64\"");
    check(seen[AT_UID], "at_uid", "missing");
    check(seen[AT_EUID], "at_euid", "missing");
    check(seen[AT_GID], "at_gid", "missing");
    check(seen[AT_EGID], "at_egid", "missing");
    check(seen[AT_SECURE] && val[AT_SECURE] == 0, "at_secure", "missing or not 0");
    check(seen[AT_EXECFN] && val[AT_EXECFN] && slen((const char *)val[AT_EXECFN]) > 0,
          "at_execfn", "missing, NULL or empty");

    /* The vDSO: its own line, so a kernel without one fails only this. */
    if (seen[AT_SYSINFO_EHDR] && val[AT_SYSINFO_EHDR]) {
        const volatile char *v = (const char *)val[AT_SYSINFO_EHDR];
        check(v[0] == 0x7f && v[1] == 'E' && v[2] == 'L' && v[3] == 'F', "vdso",
              "AT_SYSINFO_EHDR does not point at an ELF header");
    } else {
        check(0, "vdso", "AT_SYSINFO_EHDR missing");
    }

    (void)total;
    put(failures ? "startstate: FAILED\n" : "startstate: all ok\n");
    flush();
    sys_exit_group(failures ? 1 : 0);
}
