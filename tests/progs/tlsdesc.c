/*
 * tlsdesc.c - set_thread_area and get_thread_area through i386's table (from
 * 32-bit code, and through int $0x80 from 64-bit code), with Linux's
 * validation; the output is compared with the Linux host's.
 *
 *   - entry_number -1 takes the first free slot and writes its number back;
 *     with none free, ESRCH;
 *   - 16-bit segments, code segments and not-present segments are EINVAL
 *     (checked before a slot is taken), as are slots outside 12..14;
 *   - the "empty" descriptor and the all-zero one clear a slot;
 *   - get_thread_area gives back what was set; a bad pointer is EFAULT;
 *   - a segment register holding a changed selector sees the new descriptor
 *     at once, and a null selector once its slot is cleared.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define I386_SET_THREAD_AREA 243
#define I386_GET_THREAD_AREA 244
#define TLS_SLOTS 3
#define FIRST_TLS_SLOT 12

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

/* int $0x80 from both builds: its pointers are 32 bits, so every struct here
 * is static (a non-PIE static program's data is below 4 GiB). */
static long int80(long nr, long arg)
{
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(arg) : "memory");
    return ret;
}

static struct user_desc desc;
static uint32_t target_a = 0x11111111, target_b = 0x22222222;

static const char *result(long ret)
{
    static char buf[32];
    if (ret >= 0) {
        snprintf(buf, sizeof(buf), "%ld", ret);
        return buf;
    }
    switch (-ret) {
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ESRCH: return "ESRCH";
    case ENOSYS: return "ENOSYS";
    default: snprintf(buf, sizeof(buf), "errno %ld", -ret); return buf;
    }
}

static void data_desc(uint32_t entry, uint32_t base)
{
    memset(&desc, 0, sizeof(desc));
    desc.entry_number = entry;
    desc.base_addr = base;
    desc.limit = 0xfffff;
    desc.seg_32bit = 1;
    desc.limit_in_pages = 1;
    desc.useable = 1;
}

static void empty_desc(uint32_t entry)
{
    memset(&desc, 0, sizeof(desc));
    desc.entry_number = entry;
    desc.read_exec_only = 1;
    desc.seg_not_present = 1;
}

static long set(const char *what)
{
    long ret = int80(I386_SET_THREAD_AREA, (long)(uintptr_t)&desc);
    printf("set %s: %s", what, result(ret));
    if (ret == 0)
        printf(" entry %u", desc.entry_number);
    printf("\n");
    return ret;
}

static void show(uint32_t entry)
{
    memset(&desc, 0xa5, sizeof(desc));
    desc.entry_number = entry;
    long ret = int80(I386_GET_THREAD_AREA, (long)(uintptr_t)&desc);
    printf("get %u: %s", entry, result(ret));
    if (ret == 0)
        printf(" entry %u base %s limit %#x 32bit %u contents %u ro %u pages %u notpresent %u useable %u lm %u",
               desc.entry_number, desc.base_addr == (uint32_t)(uintptr_t)&target_a   ? "a"
                                  : desc.base_addr == (uint32_t)(uintptr_t)&target_b ? "b"
                                                                                     : "other",
               desc.limit, desc.seg_32bit, desc.contents, desc.read_exec_only, desc.limit_in_pages,
               desc.seg_not_present, desc.useable, desc.lm);
    printf("\n");
}

static int slot_is_free(uint32_t entry)
{
    show(entry);
    return desc.seg_not_present && desc.base_addr == 0 && desc.limit == 0;
}

#if defined(__i386__)
/* %fs is free in a 32-bit program (libc's TLS is %gs). */
static uint32_t read_through_fs(uint16_t selector)
{
    uint32_t value;
    __asm__ volatile("mov %1, %%fs; movl %%fs:0, %0" : "=r"(value) : "r"(selector) : "memory");
    return value;
}
#endif

/* A segment register the program's libc leaves alone: %es is unused in
 * 64-bit mode, %fs in a 32-bit program (its libc's TLS is %gs, and its
 * string instructions use %es). */
#if defined(__i386__)
#define SCRATCH_SEGMENT "%%fs"
#else
#define SCRATCH_SEGMENT "%%es"
#endif

static uint16_t load_scratch(uint16_t selector)
{
    uint16_t after;
    __asm__ volatile("mov %0, " SCRATCH_SEGMENT ::"r"(selector));
    __asm__ volatile("mov " SCRATCH_SEGMENT ", %0" : "=r"(after));
    return after;
}

static uint16_t read_scratch(void)
{
    uint16_t selector;
    __asm__ volatile("mov " SCRATCH_SEGMENT ", %0" : "=r"(selector));
    return selector;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int nfree = 0;
    for (uint32_t e = FIRST_TLS_SLOT; e < FIRST_TLS_SLOT + TLS_SLOTS; e++)
        nfree += slot_is_free(e);
    printf("free slots %d\n", nfree);

    /* Refused descriptors, before any slot is taken. */
    data_desc((uint32_t)-1, (uint32_t)(uintptr_t)&target_a);
    desc.seg_32bit = 0;
    set("16-bit");
    data_desc((uint32_t)-1, 0);
    desc.contents = 2;
    set("code");
    data_desc((uint32_t)-1, 0);
    desc.contents = 3;
    set("conforming code");
    data_desc((uint32_t)-1, 0);
    desc.seg_not_present = 1;
    set("not present");
    data_desc(FIRST_TLS_SLOT - 1, 0);
    set("entry 11");
    data_desc(FIRST_TLS_SLOT + TLS_SLOTS, 0);
    set("entry 15");
    data_desc(1000000, 0);
    set("entry 1000000");
    data_desc(FIRST_TLS_SLOT - 1, 0);
    desc.seg_32bit = 0;
    set("16-bit entry 11");
    printf("set bad pointer: %s\n", result(int80(I386_SET_THREAD_AREA, 16)));
    printf("get bad pointer: %s\n", result(int80(I386_GET_THREAD_AREA, 16)));
    desc.entry_number = 20;
    printf("get entry 20: %s\n", result(int80(I386_GET_THREAD_AREA, (long)(uintptr_t)&desc)));
    desc.entry_number = (uint32_t)-1;
    printf("get entry -1: %s\n", result(int80(I386_GET_THREAD_AREA, (long)(uintptr_t)&desc)));

    /* Taking every free slot, then one more. */
    uint32_t taken[TLS_SLOTS];
    for (int i = 0; i < nfree; i++) {
        data_desc((uint32_t)-1, (uint32_t)(uintptr_t)&target_a);
        desc.contents = i == 1; /* expand-down data is allowed */
        set("data");
        taken[i] = desc.entry_number;
        show(taken[i]);
    }
    data_desc((uint32_t)-1, 0);
    set("one too many");
    data_desc((uint32_t)-1, 0);
    desc.seg_32bit = 0;
    set("16-bit, none free");

    if (nfree > 0) {
        uint16_t selector = (uint16_t)(taken[0] << 3 | 3);
#if defined(__i386__)
        printf("through fs: %#x\n", read_through_fs(selector));
        data_desc(taken[0], (uint32_t)(uintptr_t)&target_b);
        set("new base");
        uint32_t value;
        __asm__ volatile("movl %%fs:0, %0" : "=r"(value)::"memory");
        printf("fs without reload: %#x\n", value);
#endif
        printf("scratch loaded: %s\n", load_scratch(selector) == selector ? "selector" : "other");
        empty_desc(taken[0]);
        set("empty");
        printf("scratch after clearing: %#x\n", read_scratch());
        show(taken[0]);
        data_desc(taken[0], (uint32_t)(uintptr_t)&target_b);
        desc.read_exec_only = 1;
        set("read-only");
        show(taken[0]);
        memset(&desc, 0, sizeof(desc));
        desc.entry_number = taken[0];
        set("all zero");
        show(taken[0]);
    }
    for (int i = 1; i < nfree; i++) {
        empty_desc(taken[i]);
        set("empty");
        show(taken[i]);
    }
    load_scratch(0);
    return 0;
}
