/*
 * iamtest.c - the whole iam/whoami/kstack_size table of SPEC section 6,
 * through every gate of this ABI (built 64-bit and 32-bit). Prints "ok CASE"
 * or "FAIL CASE (detail)" per check and exits 0 only when all passed. On a
 * kernel without these calls (stock Linux) the first check fails with ENOSYS.
 * Also: the classic _syscallN macros of each gate use that gate's numbers
 * (i386's for int $0x80 even in a 64-bit program), and x86-64's 335 and 336,
 * Linux's uretprobe and uprobe, are not sysgate's calls.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sysgate/syscall.h>

#if defined(__x86_64__)
#define GATES 2
static const char *const gate_names[] = {"syscall", "int80"};
static const long nr_iam[] = {387, 387}, nr_whoami[] = {388, 388}, nr_kstack[] = {389, 389};
static long raw(int gate, long nr, long a1, long a2)
{
    return gate == 0 ? sg_raw_syscall64(nr, a1, a2, 0, 0, 0, 0) : sg_raw_int80(nr, a1, a2, 0, 0, 0, 0);
}
#define KERNEL_ADDRESS 0xffffffff81000000ul
#else
#define GATES 3
static const char *const gate_names[] = {"int80", "sysenter", "vsyscall"};
static const long nr_iam[] = {387, 387, 387}, nr_whoami[] = {388, 388, 388}, nr_kstack[] = {389, 389, 389};
static long raw(int gate, long nr, long a1, long a2)
{
    if (gate == 0)
        return sg_raw_int80(nr, a1, a2, 0, 0, 0, 0);
    if (gate == 1)
        return sg_raw_sysenter(nr, a1, a2, 0, 0, 0, 0);
    return sg_raw_vsyscall(nr, a1, a2, 0, 0, 0, 0);
}
#define KERNEL_ADDRESS 0xfffff000ul /* above the 32-bit user space */
#endif

/* The classic macros of two gates in one program: each must reach its own
 * table (getppid is 110 on x86-64 and 64 on i386). */
#if defined(__x86_64__)
_syscall1_syscall64(int, iam, const char *, name)
_syscall0_int80(int, getppid)
#else
_syscall1_vsyscall(int, iam, const char *, name)
_syscall0_vsyscall(int, getppid)
#endif
_syscall2_int80(int, whoami, char *, name, unsigned int, size)

static int failures;
/* Buffers below 4 GiB (static data of a non-PIE program, MAP_32BIT): int $0x80
 * from 64-bit code truncates pointers to 32 bits, so a stack address would
 * give EFAULT there (checked separately below). */
static char name[32], buf[16], readback[64];

static void check(const char *what, int gate, long got, long want)
{
    if (got == want)
        printf("ok %s [%s]\n", what, gate_names[gate]);
    else {
        printf("FAIL %s [%s] (got %ld, want %ld)\n", what, gate_names[gate], got, want);
        failures++;
    }
}

static long iam_via(int gate, const void *name) { return raw(gate, nr_iam[gate], (long)(uintptr_t)name, 0); }
static long whoami_via(int gate, void *buf, unsigned long size)
{
    return raw(gate, nr_whoami[gate], (long)(uintptr_t)buf, (long)size);
}

/* The stored name, read back through `gate`, must be `want`. */
static void expect_name(const char *what, int gate, const char *want)
{
    memset(readback, 'X', sizeof(readback));
    long n = whoami_via(gate, readback, sizeof(readback));
    check(what, gate, n, (long)strlen(want));
    if (n >= 0 && (strcmp(readback, want) || readback[n + 1] != 'X')) {
        printf("FAIL %s [%s] (read back \"%.40s\")\n", what, gate_names[gate], readback);
        failures++;
    }
}

int main(void)
{
    static const int lengths[] = {0, 1, 6, 14, 22, 23};
#ifndef MAP_32BIT
#define MAP_32BIT 0
#endif
    char *page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    munmap(page + 4096, 4096); /* page + 4096 is now unmapped */

    for (int gate = 0; gate < GATES; gate++) {
        for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
            memset(name, 'a' + (int)i, sizeof(name));
            name[lengths[i]] = 0;
            char what[32];
            snprintf(what, sizeof(what), "iam %d chars", lengths[i]);
            check(what, gate, iam_via(gate, name), lengths[i]);
            snprintf(what, sizeof(what), "whoami %d chars", lengths[i]);
            expect_name(what, gate, name);
        }
        strcpy(name, "keepme");
        check("iam keepme", gate, iam_via(gate, name), 6);
        for (int len = 24; len <= 26; len += 2) {
            memset(name, 'z', sizeof(name));
            name[len] = 0;
            check(len == 24 ? "iam 24 chars" : "iam 26 chars", gate, iam_via(gate, name), -EINVAL);
        }
        expect_name("name kept after EINVAL", gate, "keepme");
        check("iam NULL", gate, iam_via(gate, NULL), -EFAULT);
        check("iam unmapped", gate, iam_via(gate, page + 4096), -EFAULT);
        check("iam kernel address", gate, iam_via(gate, (void *)KERNEL_ADDRESS), -EFAULT);
#if defined(__x86_64__)
        if (gate == 0)
            check("iam non-canonical", gate, iam_via(gate, (void *)0x8000000000000000ul), -EFAULT);
#endif
        /* A string running into an unmapped page before its NUL. */
        memset(page + 4096 - 5, 'q', 5);
        check("iam runs off the map", gate, iam_via(gate, page + 4096 - 5), -EFAULT);
        /* A 23-character name whose NUL is the last byte of the page. */
        memset(page + 4096 - 24, 'n', 23);
        page[4095] = 0;
        check("iam at the page end", gate, iam_via(gate, page + 4096 - 24), 23);
        strcpy(name, "keepme");
        check("iam keepme again", gate, iam_via(gate, name), 6);
        expect_name("name kept after EFAULT", gate, "keepme");

        memset(buf, 'X', sizeof(buf));
        check("whoami size 6", gate, whoami_via(gate, buf, 6), -EINVAL);
        check("whoami size 6 wrote nothing", gate, buf[0] == 'X' && buf[5] == 'X', 1);
        check("whoami size 7", gate, whoami_via(gate, buf, 7), 6);
        check("whoami size 7 wrote 7 bytes", gate, !memcmp(buf, "keepme", 7) && buf[7] == 'X', 1);
        memset(buf, 'X', sizeof(buf));
        check("whoami size 1000", gate, whoami_via(gate, buf, 1000), 6);
        check("whoami size 1000 wrote 7 bytes", gate, !memcmp(buf, "keepme", 7) && buf[7] == 'X', 1);
        check("whoami NULL", gate, whoami_via(gate, NULL, 64), -EFAULT);
        check("whoami kernel address", gate, whoami_via(gate, (void *)KERNEL_ADDRESS, 64), -EFAULT);
        check("whoami unmapped", gate, whoami_via(gate, page + 4096, 64), -EFAULT);
        check("kstack_size", gate, raw(gate, nr_kstack[gate], 0, 0) > 0, 1);
    }
#if defined(__x86_64__)
    char on_stack[8] = "stack";
    check("iam from the stack via int80", 1, iam_via(1, on_stack), -EFAULT);
#endif
    /* One gate stores, another reads. */
    for (int set = 0; set < GATES; set++)
        for (int get = 0; get < GATES; get++) {
            snprintf(name, sizeof(name), "via-%s", gate_names[set]);
            iam_via(set, name);
            expect_name("across gates", get, name);
        }

    check("_syscall1 iam", 0, iam("classic"), 7);
    memset(readback, 'X', sizeof(readback));
    check("_syscall2_int80 whoami", 0, whoami(readback, sizeof(readback)), 7);
    check("_syscall0 getppid", 0, getppid(), (long)raw(0, __NR_getppid, 0, 0));
#if defined(__x86_64__)
    /* Linux's uretprobe and uprobe: not sysgate's calls. */
    check("335 is not iam", 0, raw(0, 335, (long)(uintptr_t)name, 0), -ENOSYS);
    check("336 is not whoami", 0, raw(0, 336, (long)(uintptr_t)buf, sizeof(buf)), -ENOSYS);
#endif
    printf("kstack_size %ld\n", raw(0, nr_kstack[0], 0, 0));
    printf("%s\n", failures ? "iamtest: FAILED" : "iamtest: all ok");
    return failures != 0;
}
