/*
 * avx.h - what the AVX test programs (avxstate, ptracexstate) share: whether
 * AVX is usable, the patterns they hold in ymm0-ymm7, the asm that holds them
 * across a system call, and where the xsave image keeps them. Both compare a
 * register image they set with the one the kernel hands back (after a signal,
 * a context switch, a ptrace stop), so both must agree on what the registers
 * held and where the image keeps each half.
 *
 * Only ymm0-ymm7: they are all an i386 program has.
 */
#ifndef TESTS_AVX_H
#define TESTS_AVX_H

#include <cpuid.h>
#include <stdint.h>
#include <string.h>

#define YMM_REGISTERS 8
#define YMM_BYTES 32
#define HALF_BYTES 16

/* The standard-format xsave image (Intel SDM vol. 1, 13.4; Linux's struct xregs_state). */
#define FXSAVE_BYTES 512
/* Bytes the CPU leaves to software: Linux keeps XCR0 (ptrace) or its struct _fpx_sw_bytes (signal frames) there. */
#define SW_RESERVED_OFFSET 464
#define XSTATE_HEADER_OFFSET FXSAVE_BYTES /* the xsave header: xstate_bv first */
#define XSTATE_HEADER_BYTES 64
#define XFEATURES_X87_SSE_AVX 0x7u
#define XFEATURE_AVX_BIT 0x4u

/* A raw system call inside an asm statement: SYSCALL_ARGn are the constraints for its arguments' registers. */
#ifdef __x86_64__
#define SYSCALL_INSN "syscall"
#define SYSCALL_CLOBBERS "rcx", "r11", /* syscall leaves rip and rflags in them */
#define SYSCALL_ARG1 "D"
#define SYSCALL_ARG2 "S"
#else
#define SYSCALL_INSN "int $0x80"
#define SYSCALL_CLOBBERS /* int $0x80 keeps every register but eax */
#define SYSCALL_ARG1 "b"
#define SYSCALL_ARG2 "c"
#endif
#define SYSCALL_ARG3 "d" /* edx on i386 too */

#define YMM0_7_CLOBBERS "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7"

/*
 * Asm text, not functions: the registers must be loaded, held and stored in
 * one asm statement, so that nothing but the kernel can touch them in
 * between. Operand [in] is the ymm_image to load, [out] the one to store to.
 */
#define LOAD_YMM0_7_FROM_IN                                                                                            \
    "vmovdqu 0(%[in]), %%ymm0\n\t"                                                                                     \
    "vmovdqu 32(%[in]), %%ymm1\n\t"                                                                                    \
    "vmovdqu 64(%[in]), %%ymm2\n\t"                                                                                    \
    "vmovdqu 96(%[in]), %%ymm3\n\t"                                                                                    \
    "vmovdqu 128(%[in]), %%ymm4\n\t"                                                                                   \
    "vmovdqu 160(%[in]), %%ymm5\n\t"                                                                                   \
    "vmovdqu 192(%[in]), %%ymm6\n\t"                                                                                   \
    "vmovdqu 224(%[in]), %%ymm7\n\t"
#define STORE_YMM0_7_TO_OUT                                                                                            \
    "vmovdqu %%ymm0, 0(%[out])\n\t"                                                                                    \
    "vmovdqu %%ymm1, 32(%[out])\n\t"                                                                                   \
    "vmovdqu %%ymm2, 64(%[out])\n\t"                                                                                   \
    "vmovdqu %%ymm3, 96(%[out])\n\t"                                                                                   \
    "vmovdqu %%ymm4, 128(%[out])\n\t"                                                                                  \
    "vmovdqu %%ymm5, 160(%[out])\n\t"                                                                                  \
    "vmovdqu %%ymm6, 192(%[out])\n\t"                                                                                  \
    "vmovdqu %%ymm7, 224(%[out])\n\t"

typedef uint8_t ymm_image[YMM_REGISTERS][YMM_BYTES];

static inline const char *yes_no(int fact)
{
    return fact ? "yes" : "no";
}

/* Through memcpy: an image is bytes, with no alignment or type the compiler may assume. */
static inline uint32_t read_u32(const uint8_t *at)
{
    uint32_t value;
    memcpy(&value, at, sizeof value);
    return value;
}

static inline uint64_t read_u64(const uint8_t *at)
{
    uint64_t value;
    memcpy(&value, at, sizeof value);
    return value;
}

/* AVX needs the CPU's support and the kernel's consent (OSXSAVE, and XCR0 with SSE and AVX state). */
static inline int avx_usable(void)
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return 0;
    if (!(ecx & (1u << 27)) || !(ecx & (1u << 28)))
        return 0;
    uint32_t xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    return (xcr0_low & 6) == 6;
}

/* Where the standard (non-compacted) xsave layout keeps the upper halves of the ymm registers; 0: unknown. */
static inline unsigned avx_state_offset(void)
{
    if (__get_cpuid_max(0, NULL) < 0xd)
        return 0;
    unsigned eax, ebx, ecx, edx;
    __cpuid_count(0xd, 2, eax, ebx, ecx, edx);
    return ebx;
}

/* Every byte differs from its neighbours, from the other registers' and from the other half's. */
static inline void make_patterns(ymm_image patterns, unsigned seed)
{
    for (int reg = 0; reg < YMM_REGISTERS; reg++)
        for (int byte = 0; byte < YMM_BYTES; byte++)
            patterns[reg][byte] = (uint8_t)(seed + reg * YMM_BYTES + byte);
}

/*
 * Loads the patterns into ymm0-ymm7, makes the system call `number` with two
 * arguments, and stores what the registers hold once it returns: a signal
 * the call sends to this thread is delivered as it returns, the registers
 * live. The closing vzeroupper spares the SSE code after it the penalty of
 * dirty upper halves.
 */
__attribute__((target("avx"), noinline)) static void hold_patterns_across_syscall(ymm_image patterns, ymm_image seen,
                                                                                  long number, long arg1, long arg2)
{
    __asm__ volatile(LOAD_YMM0_7_FROM_IN
                     SYSCALL_INSN "\n\t"
                     STORE_YMM0_7_TO_OUT
                     "vzeroupper"
                     : "+a"(number)
                     : SYSCALL_ARG1(arg1), SYSCALL_ARG2(arg2), [in] "r"(patterns), [out] "r"(seen)
                     : SYSCALL_CLOBBERS YMM0_7_CLOBBERS, "cc", "memory");
}

#endif
