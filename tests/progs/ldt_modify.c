/*
 * ldt_modify.c - modify_ldt(2)'s interface, as Linux's arch/x86/kernel/ldt.c
 * defines it; the output is compared with the Linux host's (built for
 * glibc, musl and i386).
 *
 *   - func 0 reads nothing (0) while the process has no LDT; afterwards it
 *     returns bytecount (at most 64 KiB), the table's bytes zero-filled past
 *     its end;
 *   - func 2 reads the "default LDT": 128 zero bytes at most;
 *   - func 1 (old mode) and 0x11 (new mode) write one entry: Linux's
 *     encoding (accessed bit set, DPL 3, no L bit, `useable` only in the new
 *     mode), checked with lar and lsl and with the bytes func 0 returns;
 *   - the empty descriptor clears an entry, and so does base 0 limit 0 in
 *     the old mode;
 *   - EINVAL for a bytecount that is not sizeof(struct user_desc), an
 *     entry number past 8191, conforming code (old mode; new mode unless
 *     not present); EFAULT for bad pointers; ENOSYS for other funcs;
 *   - a 64-bit caller gets the result as an unsigned int (errors come back
 *     as 0xffffffea, not -22), as on Linux;
 *   - i386: vm86 and vm86old are ENOSYS under a 64-bit kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct user_desc {
    uint32_t entry_number;
    uint32_t base_addr;
    uint32_t limit;
    uint32_t seg_32bit : 1;
    uint32_t contents : 2;
    uint32_t read_exec_only : 1;
    uint32_t limit_in_pages : 1;
    uint32_t seg_not_present : 1;
    uint32_t useable : 1;
    uint32_t lm : 1;
};

#define LDT_READ 0
#define LDT_WRITE_OLD 1
#define LDT_READ_DEFAULT 2
#define LDT_WRITE 0x11
#define LDT_BYTES_MAX 65536
#define LDT_SELECTOR(index) ((index) << 3 | 7)

static unsigned char table[LDT_BYTES_MAX + 64];

static void show(const char *what, long ret)
{
    /* The raw value: 64-bit callers see Linux's unsigned int. */
    if (ret == -1)
        printf("%s: -1 errno %d\n", what, errno);
    else
        printf("%s: %ld (%#lx)\n", what, ret, (unsigned long)ret);
    errno = 0;
}

static long modify_ldt(int func, void *ptr, unsigned long bytecount)
{
    errno = 0;
    return syscall(SYS_modify_ldt, func, ptr, bytecount);
}

static void access_rights(unsigned index)
{
    unsigned selector = LDT_SELECTOR(index), ar = 0, limit = 0;
    unsigned char ar_ok, limit_ok;
    __asm__ volatile("lar %2, %0; setz %1" : "=r"(ar), "=q"(ar_ok) : "r"(selector) : "cc");
    __asm__ volatile("lsl %2, %0; setz %1" : "=r"(limit), "=q"(limit_ok) : "r"(selector) : "cc");
    /* Bits 19:16 (the limit's top) are undefined: CPUs differ. */
    if (ar_ok)
        printf("  entry %u: lar %#08x", index, ar & 0xf0ff00);
    else
        printf("  entry %u: lar fails", index);
    if (limit_ok)
        printf(", lsl %#x\n", limit);
    else
        printf(", lsl fails\n");
}

static void dump(const char *what, long n)
{
    printf("%s (%ld bytes):", what, n);
    long shown = n > 96 ? 96 : n;
    for (long i = 0; i < shown; i++)
        printf("%s%02x", i % 8 ? "" : " ", table[i]);
    long nonzero = 0;
    for (long i = shown; i < n; i++)
        nonzero += table[i] != 0;
    printf("; %ld nonzero bytes after\n", nonzero);
}

static long write_entry(int func, unsigned index, uint32_t base, uint32_t limit, int seg_32bit, int contents,
                        int read_exec_only, int limit_in_pages, int not_present, int useable)
{
    struct user_desc d = {
        .entry_number = index, .base_addr = base, .limit = limit, .seg_32bit = seg_32bit, .contents = contents,
        .read_exec_only = read_exec_only, .limit_in_pages = limit_in_pages, .seg_not_present = not_present,
        .useable = useable,
    };
    return modify_ldt(func, &d, sizeof(d));
}

int main(void)
{
    show("read without an LDT", modify_ldt(LDT_READ, table, sizeof(table)));
    memset(table, 0xaa, sizeof(table));
    show("read default 200", modify_ldt(LDT_READ_DEFAULT, table, 200));
    dump("default", 136);
    show("read default 16", modify_ldt(LDT_READ_DEFAULT, table, 16));
    show("read default to a bad pointer", modify_ldt(LDT_READ_DEFAULT, (void *)8, 16));
    show("func 3", modify_ldt(3, table, 16));
    show("func 0x10", modify_ldt(0x10, table, 16));
    show("func -1", modify_ldt(-1, table, 16));

    struct user_desc d = {.entry_number = 0, .limit = 0xfff, .seg_32bit = 1};
    show("write, bytecount 15", modify_ldt(LDT_WRITE, &d, sizeof(d) - 1));
    show("write, bytecount 17", modify_ldt(LDT_WRITE, &d, sizeof(d) + 1));
    show("write from a bad pointer", modify_ldt(LDT_WRITE, (void *)8, sizeof(d)));
    show("write entry 8192", write_entry(LDT_WRITE, 8192, 0, 0xfff, 1, 0, 0, 0, 0, 0));
    show("write entry -1", write_entry(LDT_WRITE, (unsigned)-1, 0, 0xfff, 1, 0, 0, 0, 0, 0));
    show("old mode, conforming code", write_entry(LDT_WRITE_OLD, 0, 0, 0xfff, 1, 3, 0, 0, 0, 0));
    show("new mode, conforming code", write_entry(LDT_WRITE, 0, 0, 0xfff, 1, 3, 0, 0, 0, 0));
    show("still no LDT", modify_ldt(LDT_READ, table, 64));

    show("new mode, conforming code not present", write_entry(LDT_WRITE, 9, 0x1000, 0xfff, 1, 3, 0, 0, 1, 0));
    show("32-bit data, pages", write_entry(LDT_WRITE, 0, 0x12345678, 0xfffff, 1, 0, 0, 1, 0, 0));
    show("16-bit data, useable", write_entry(LDT_WRITE, 1, 0x10000, 0xffff, 0, 0, 0, 0, 0, 1));
    show("old mode, useable dropped", write_entry(LDT_WRITE_OLD, 2, 0x20000, 0xffff, 0, 0, 0, 0, 0, 1));
    show("read-only expand-down", write_entry(LDT_WRITE, 3, 0x30000, 0x0fff, 1, 1, 1, 0, 0, 0));
    show("32-bit code", write_entry(LDT_WRITE, 4, 0, 0xfffff, 1, 2, 0, 1, 0, 0));
    show("16-bit execute-only code", write_entry(LDT_WRITE, 5, 0x40000, 0xffff, 0, 2, 1, 0, 0, 0));
    show("not-present data", write_entry(LDT_WRITE, 6, 0x50000, 0xffff, 1, 0, 0, 0, 1, 0));
    struct user_desc lm = {.entry_number = 7, .base_addr = 0x60000, .limit = 0xff, .seg_32bit = 1, .lm = 1};
    show("lm set (ignored)", modify_ldt(LDT_WRITE, &lm, sizeof(lm)));

    memset(table, 0xaa, sizeof(table));
    show("read 12 entries' worth", modify_ldt(LDT_READ, table, 96));
    dump("LDT", 96);
    memset(table, 0xaa, sizeof(table));
    show("read 20 bytes", modify_ldt(LDT_READ, table, 20));
    dump("LDT", 24);
    memset(table, 0xaa, sizeof(table));
    show("read too much", modify_ldt(LDT_READ, table, sizeof(table)));
    dump("LDT", sizeof(table));
    show("read to a bad pointer", modify_ldt(LDT_READ, (void *)8, 64));
    for (unsigned i = 0; i < 12; i++)
        access_rights(i);

    struct user_desc empty = {.entry_number = 1, .read_exec_only = 1, .seg_not_present = 1};
    show("clear entry 1 (empty)", modify_ldt(LDT_WRITE, &empty, sizeof(empty)));
    empty.lm = 1;
    empty.entry_number = 2;
    show("entry 2, empty but lm", modify_ldt(LDT_WRITE, &empty, sizeof(empty)));
    show("clear entry 3 (old mode, base and limit 0)", write_entry(LDT_WRITE_OLD, 3, 0, 0, 1, 2, 0, 1, 0, 0));
    show("new mode, base and limit 0: a segment", write_entry(LDT_WRITE, 4, 0, 0, 1, 2, 0, 0, 0, 0));
    show("entry 300", write_entry(LDT_WRITE, 300, 0x70000, 0xff, 1, 0, 0, 0, 0, 0));
    memset(table, 0xaa, sizeof(table));
    long n = modify_ldt(LDT_READ, table, sizeof(table));
    show("read after", n);
    dump("LDT", 96);
    printf("entry 300: %02x%02x%02x%02x%02x%02x%02x%02x\n", table[2400], table[2401], table[2402], table[2403],
           table[2404], table[2405], table[2406], table[2407]);
    for (unsigned i = 0; i < 6; i++)
        access_rights(i);
    access_rights(300);
    access_rights(301);
#ifndef __x86_64__
    /* No vm86 mode under a 64-bit kernel. */
    errno = 0;
    show("vm86old", syscall(113, 0));
    show("vm86", syscall(166, 0, 0));
#endif
    return 0;
}
