#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "uaccess.h"

/*
 * With SMAP on, the kernel may touch user pages only between stac and clac.
 * Every stac and clac (here and in the entry code) records its address in
 * .smap_sites; on a CPU without SMAP, where they would be invalid opcodes,
 * uaccess_init turns them into 3-byte nops. This is the kernel's only
 * instruction patching.
 */
#define SMAP_SITE(insn)                                                               \
    "661: " insn "\n"                                                                 \
    ".pushsection .smap_sites, \"a\"\n"                                               \
    ".quad 661b\n"                                                                    \
    ".popsection"

static inline void user_access_begin(void) { __asm__ volatile(SMAP_SITE("stac") ::: "memory"); }
void user_access_end(void) { __asm__ volatile(SMAP_SITE("clac") ::: "memory"); }

extern u8 *const __smap_sites_start[], *const __smap_sites_end[];

void uaccess_init(bool smap)
{
    if (smap)
        return;
    static const u8 nop3[3] = {0x0f, 0x1f, 0x00};
    for (u8 *const *site = __smap_sites_start; site < __smap_sites_end; site++) {
        /* Kernel text is read-only; its alias in the direct map is not. */
        u8 *writable = phys_to_virt(virt_to_phys(*site));
        memcpy(writable, nop3, sizeof(nop3));
    }
}

/* rep movsq for the whole words, then rep movsb for the rest (a rep
 * instruction costs per iteration, under TCG's count too: a word at a time
 * is an eighth of a byte at a time); a fault resumes after the instruction
 * with rcx = what is left. Returns the bytes left. */
static size_t guarded_copy(void *dst, const void *src, size_t n)
{
    size_t words = n / sizeof(u64), bytes = n % sizeof(u64);
    __asm__ volatile("1: rep movsq\n"
                     "2:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+D"(dst), "+S"(src), "+c"(words)
                     :
                     : "memory");
    if (words)
        return words * sizeof(u64) + bytes;
    __asm__ volatile("1: rep movsb\n"
                     "2:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+D"(dst), "+S"(src), "+c"(bytes)
                     :
                     : "memory");
    return bytes;
}

static size_t guarded_stosb(void *dst, size_t n)
{
    __asm__ volatile("1: rep stosb\n"
                     "2:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+D"(dst), "+c"(n)
                     : "a"(0)
                     : "memory");
    return n;
}

int copy_from_user(void *dst, const void __user *src, size_t size)
{
    if (!user_range_ok((u64)src, size))
        return -EFAULT;
    user_access_begin();
    size_t left = guarded_copy(dst, src, size);
    user_access_end();
    return left ? -EFAULT : 0;
}

int copy_to_user(void __user *dst, const void *src, size_t size)
{
    if (!user_range_ok((u64)dst, size))
        return -EFAULT;
    user_access_begin();
    size_t left = guarded_copy(dst, src, size);
    user_access_end();
    return left ? -EFAULT : 0;
}

int clear_user(void __user *dst, size_t size)
{
    if (!user_range_ok((u64)dst, size))
        return -EFAULT;
    user_access_begin();
    size_t left = guarded_stosb(dst, size);
    user_access_end();
    return left ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        /* One page at a time would be faster; names are short. */
        if (copy_from_user(&dst[i], src + i, 1))
            return -EFAULT;
        if (!dst[i])
            return (long)i;
    }
    return -ENAMETOOLONG;
}

int user_cmpxchg_u32(u32 __user *uaddr, u32 expected, u32 desired, u32 *found)
{
    if ((u64)uaddr % sizeof(u32) || !user_range_ok((u64)uaddr, sizeof(u32)))
        return -EFAULT;
    u32 value = expected;
    int faulted = 1;
    user_access_begin();
    /* A fault resumes after the store of 0, leaving `faulted` set. */
    __asm__ volatile("1: lock cmpxchgl %3, %1\n"
                     "   movl $0, %2\n"
                     "2:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+a"(value), "+m"(*(volatile u32 *)uaddr), "+r"(faulted)
                     : "r"(desired)
                     : "memory", "cc");
    user_access_end();
    if (faulted)
        return -EFAULT;
    *found = value;
    return 0;
}
