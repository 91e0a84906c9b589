/*
 * The user's floating-point and vector registers. Where the CPU has XSAVE,
 * the kernel turns it on with x87, SSE and AVX (XCR0 = 7: what a program
 * built for x86-64-v3 expects; MPX is gone from Linux, AVX-512 and PKRU
 * are left off) and keeps each task's registers with xsave and xrstor, so
 * programs see AVX as on Linux (CPUID's OSXSAVE set, xgetbv(0) & 6 == 6)
 * and signal frames and NT_X86_XSTATE carry the ymm registers. Without
 * XSAVE it keeps the fxsave image alone, as Linux booted with noxsave.
 */
#include "errno.h"
#include "fpu.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "x86.h"

#define CPUID_ECX_XSAVE (1u << 26)
#define CPUID_ECX_AVX (1u << 28)
#define XFEATURE_MASK_AVX 0x4ul
#define MXCSR_OFFSET 24
#define MXCSR_MASK_OFFSET 28
#define MXCSR_DEFAULT_MASK 0xffbfu /* what a CPU that reports none takes (DAZ is bit 6) */

u64 fpu_xfeatures;
u32 fpu_mxcsr_mask = MXCSR_DEFAULT_MASK;
u32 fpu_state_size = FPU_FXSAVE_SIZE;

/* The standard layout's header, right after the fxsave image. */
struct xsave_header {
    u64 xstate_bv; /* the components the image holds; the others are in their initial state */
    u64 xcomp_bv;  /* 0: the standard (uncompacted) layout */
    u64 reserved[6];
};

/* What Linux writes into bytes 464..511 of an fxsave image it hands out. */
struct fpx_sw_bytes {
    u32 magic1;
    u32 extended_size; /* the image and FP_XSTATE_MAGIC2 after it */
    u64 xfeatures;
    u32 xstate_size;
    u32 padding[7];
};
_Static_assert(sizeof(struct fpx_sw_bytes) == FPU_FXSAVE_SIZE - FPU_SW_BYTES, "software bytes fill the image's end");

static struct xsave_header *header(struct fpu_state *state)
{
    return (struct xsave_header *)(state->bytes + FPU_XSAVE_HEADER);
}

static void xsetbv(u32 index, u64 value)
{
    __asm__ volatile("xsetbv" ::"c"(index), "a"((u32)value), "d"((u32)(value >> 32)));
}

/* The MXCSR bits this CPU takes, from its own fxsave image (Linux's
 * mxcsr_feature_mask): loading any other faults. */
static void read_mxcsr_mask(void)
{
    static struct fpu_state probe;
    __asm__ volatile("fxsave64 %0" : "=m"(probe));
    u32 mask;
    memcpy(&mask, probe.bytes + MXCSR_MASK_OFFSET, sizeof(mask));
    if (mask)
        fpu_mxcsr_mask = mask;
}

void fpu_init(void)
{
    read_mxcsr_mask();
    u32 a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & CPUID_ECX_XSAVE))
        return;
    cpuid(0xd, 0, &a, &b, &c, &d);
    u64 supported = ((u64)d << 32) | a;
    u64 wanted = XFEATURE_MASK_FPSSE | XFEATURE_MASK_AVX;
    if ((supported & XFEATURE_MASK_FPSSE) != XFEATURE_MASK_FPSSE)
        return;
    write_cr4(read_cr4() | CR4_OSXSAVE);
    fpu_xfeatures = supported & wanted;
    xsetbv(0, fpu_xfeatures);
    cpuid(0xd, 0, &a, &b, &c, &d); /* EBX: the size for the components now enabled */
    if (b > FPU_STATE_MAX)
        panic("xsave needs %u bytes for XCR0 %lx", b, fpu_xfeatures);
    fpu_state_size = b;
    kprintf(KERN_INFO "x86/fpu: xsave, features %lx (x87, SSE%s), %u bytes\n", fpu_xfeatures,
            (fpu_xfeatures & XFEATURE_MASK_AVX) ? ", AVX" : "", fpu_state_size);
}

/* kmalloc's blocks are 16-byte aligned; xsave wants 64. The block's own
 * address is kept just before the state. */
struct fpu_state *fpu_alloc(void)
{
    u8 *block = kzalloc(sizeof(struct fpu_state) + 64 + sizeof(void *));
    if (!block)
        return NULL;
    struct fpu_state *state = (struct fpu_state *)ALIGN_UP((u64)block + sizeof(void *), 64);
    ((void **)state)[-1] = block;
    fpu_set_initial(state);
    return state;
}

void fpu_free(struct fpu_state *state)
{
    if (state)
        kfree(((void **)state)[-1]);
}

void fpu_save(struct fpu_state *state)
{
    if (fpu_xfeatures)
        __asm__ volatile("xsave64 %0" : "+m"(*state) : "a"((u32)fpu_xfeatures), "d"((u32)(fpu_xfeatures >> 32)));
    else
        __asm__ volatile("fxsave64 %0" : "=m"(*state));
}

void fpu_restore(const struct fpu_state *state)
{
    if (fpu_xfeatures)
        __asm__ volatile("xrstor64 %0" ::"m"(*state), "a"((u32)fpu_xfeatures), "d"((u32)(fpu_xfeatures >> 32)));
    else
        __asm__ volatile("fxrstor64 %0" ::"m"(*state));
}

void fpu_set_initial(struct fpu_state *state)
{
    memset(state, 0, sizeof(*state));
    *(u16 *)&state->bytes[0] = 0x37f;
    *(u32 *)&state->bytes[MXCSR_OFFSET] = 0x1f80;
    if (fpu_xfeatures)
        header(state)->xstate_bv = XFEATURE_MASK_FPSSE; /* AVX's upper halves: initial (zero) */
}

int fpu_sanitize(struct fpu_state *state, bool extended, u64 components)
{
    *(u32 *)&state->bytes[MXCSR_OFFSET] &= fpu_mxcsr_mask;
    if (!fpu_xfeatures)
        return 0;
    struct xsave_header *h = header(state);
    if (!extended) {
        memset(state->bytes + FPU_FXSAVE_SIZE, 0, sizeof(*state) - FPU_FXSAVE_SIZE);
        h->xstate_bv = XFEATURE_MASK_FPSSE;
        return 0;
    }
    /* xrstor faults on anything else (Linux's validate_user_xstate_header). */
    if ((h->xstate_bv & ~fpu_xfeatures) || h->xcomp_bv)
        return -EINVAL;
    for (int i = 0; i < 6; i++)
        if (h->reserved[i])
            return -EINVAL;
    h->xstate_bv &= components;
    return 0;
}

u32 fpu_frame_xstate(const struct fpu_state *state, u64 *xfeatures)
{
    struct fpx_sw_bytes sw;
    memcpy(&sw, state->bytes + FPU_SW_BYTES, sizeof(sw));
    /* Linux's check_xstate_in_sigframe: a size from the header's end up to ours. */
    if (!fpu_xfeatures || sw.magic1 != FP_XSTATE_MAGIC1 || sw.xstate_size < FPU_XSAVE_HEADER + 64 ||
        sw.xstate_size > fpu_state_size || sw.xstate_size > sw.extended_size)
        return 0;
    *xfeatures = sw.xfeatures | XFEATURE_MASK_FPSSE;
    return sw.xstate_size;
}

/* A copy without what must not leave the kernel (xsave leaves a component
 * in its initial state unwritten: it shows as zeros) and with the
 * software-reserved bytes clear. */
static void export_common(const struct fpu_state *state, struct fpu_state *out)
{
    memcpy(out, state, sizeof(*out));
    memset(out->bytes + FPU_FXSAVE_PADDING, 0, FPU_FXSAVE_SIZE - FPU_FXSAVE_PADDING);
    if (fpu_xfeatures) {
        struct xsave_header *h = header(out);
        if (!(h->xstate_bv & XFEATURE_MASK_AVX))
            memset(out->bytes + FPU_AVX_OFFSET, 0, FPU_STATE_MAX - FPU_AVX_OFFSET);
        h->xstate_bv &= fpu_xfeatures;
    }
}

void fpu_export_for_ptrace(const struct fpu_state *state, struct fpu_state *out)
{
    export_common(state, out);
    /* Linux's xstate_fx_sw_bytes: XCR0 in the first word, where gdb reads it. */
    memcpy(out->bytes + FPU_SW_BYTES, &fpu_xfeatures, sizeof(fpu_xfeatures));
}

void fpu_export_for_frame(const struct fpu_state *state, struct fpu_state *out, u32 legacy_header)
{
    export_common(state, out);
    if (!fpu_xfeatures)
        return;
    struct fpx_sw_bytes sw = {
        .magic1 = FP_XSTATE_MAGIC1,
        .extended_size = legacy_header + fpu_state_size + FP_XSTATE_MAGIC2_SIZE,
        .xfeatures = fpu_xfeatures,
        .xstate_size = fpu_state_size,
    };
    memcpy(out->bytes + FPU_SW_BYTES, &sw, sizeof(sw));
}

void fpu_set_fxsave(struct fpu_state *state, const u8 image[FPU_FXSAVE_SIZE])
{
    memcpy(state->bytes, image, FPU_FXSAVE_SIZE);
    if (fpu_xfeatures)
        header(state)->xstate_bv |= XFEATURE_MASK_FPSSE;
}
