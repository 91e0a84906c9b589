#pragma once
/*
 * The user's x87, SSE and AVX registers (proc/fpu.c). The kernel itself
 * never touches them (-mgeneral-regs-only): each task's are saved at every
 * switch away from it and loaded at every switch to it. With XSAVE the CPU
 * keeps them in its standard layout (the fxsave image, a 64-byte header,
 * then AVX's upper halves); without it, the fxsave image alone.
 */
#include "types.h"

#define FPU_FXSAVE_SIZE 512
#define FPU_XSAVE_HEADER 512  /* where the xsave header starts */
#define FPU_STATE_MAX 832     /* x87, SSE and AVX in the standard layout */
#define FPU_FXSAVE_PADDING 416 /* the fxsave image's reserved bytes, */
#define FPU_SW_BYTES 464      /* then those left to software (struct _fpx_sw_bytes) */
#define FPU_AVX_OFFSET 576    /* AVX's upper halves in the standard layout */
#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u
#define FP_XSTATE_MAGIC2_SIZE 4
#define XFEATURE_MASK_FPSSE 0x3ul

struct fpu_state {
    u8 bytes[FPU_STATE_MAX];
} __attribute__((aligned(64)));

/* XCR0 (the components XSAVE keeps), 0 without XSAVE. */
extern u64 fpu_xfeatures;
/* The MXCSR bits the CPU takes (loading others faults). */
extern u32 fpu_mxcsr_mask;
/* The bytes of a task's state: XSAVE's size for fpu_xfeatures, or 512. */
extern u32 fpu_state_size;

void fpu_init(void); /* at boot: XSAVE and AVX when the CPU has them */
struct fpu_state *fpu_alloc(void);
void fpu_free(struct fpu_state *state);
void fpu_save(struct fpu_state *state);          /* the CPU's registers into state */
void fpu_restore(const struct fpu_state *state); /* and back */
void fpu_set_initial(struct fpu_state *state);   /* as after exec: FCW 0x37f, MXCSR 0x1f80 */
/* Makes state (from a user: a signal frame, ptrace) safe to load. The
 * fxsave image alone (extended false) leaves the rest in its initial state;
 * an xsave image's header must be one the CPU takes (-EINVAL otherwise),
 * and only its `components` are loaded, the others initialised. */
int fpu_sanitize(struct fpu_state *state, bool extended, u64 components);
/* Copies of state for user space, with reserved bytes and components in
 * their initial state zero: ptrace's (XCR0 in the software bytes, as Linux
 * and gdb have it) and a signal frame's (struct _fpx_sw_bytes there;
 * legacy_header: the FSAVE bytes before the image in i386 frames, which
 * its extended size counts). */
void fpu_export_for_ptrace(const struct fpu_state *state, struct fpu_state *out);
void fpu_export_for_frame(const struct fpu_state *state, struct fpu_state *out, u32 legacy_header);
/* A new fxsave image from a tracer; the other components stay. */
void fpu_set_fxsave(struct fpu_state *state, const u8 image[FPU_FXSAVE_SIZE]);
/* The size of the xsave image a signal frame's software bytes announce (0:
 * the fxsave image alone), and its components in *xfeatures. The caller
 * checks the second magic after it. */
u32 fpu_frame_xstate(const struct fpu_state *state, u64 *xfeatures);
