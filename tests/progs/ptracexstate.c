/*
 * ptracexstate.c - a tracer sees and sets its tracee's AVX registers through
 * PTRACE_GETREGSET/SETREGSET with NT_X86_XSTATE the way Linux hands them
 * over (gdb reads and writes ymm registers this way):
 *
 * - The regset is the standard-format xsave image, its size reported back in
 *   iov_len when the buffer is larger: XCR0 in the first word of the
 *   software-reserved bytes (offset 464, where gdb looks), the xsave header
 *   after the fxsave image with the AVX bit of xstate_bv set while the upper
 *   halves are in use, the lower halves of ymm0-ymm7 in the fxsave image's
 *   xmm area and the upper halves at the AVX state's offset (cpuid 0xd,
 *   sub-leaf 2).
 * - A buffer smaller than the image gets its first bytes; a length that is
 *   not a whole number of 8-byte words is refused (EINVAL).
 * - PTRACE_GETFPREGS (PTRACE_GETFPXREGS on i386), the fxsave-format view of
 *   the same state, agrees with the regset's x87, MXCSR and xmm bytes.
 * - SETREGSET takes only the whole image (EFAULT otherwise) with a sound
 *   header (EINVAL for a feature outside XCR0, a compacted-format xcomp_bv,
 *   reserved header bytes) and an MXCSR the CPU can hold (EINVAL); a valid
 *   one changes the register the tracee finds once resumed, and nothing
 *   else.
 *
 * The tracee loads ymm0-ymm7 (all an i386 program has), stops itself and,
 * once resumed, stores them, all in one asm statement, so that only the
 * kernel can have touched them in between. It reports what it found
 * through its exit status.
 *
 * The host (AVX-512: a bigger image, more features in XCR0) and sysgate
 * (x87, SSE and AVX) differ in sizes and masks, so those are checked, never
 * printed: every line is a yes/no fact or a return value with its errno.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "avx.h"

#define EDITED_REGISTER 2
#define TRACEE_PATTERN_SEED 0x11 /* the tracee's and the image check's */

/* Linux's ptrace requests and note type, under names of our own: libcs differ in which they define. */
#define REQ_GETREGSET 0x4204
#define REQ_SETREGSET 0x4205
#define NOTE_X86_XSTATE 0x202
#ifdef __x86_64__
#define REQ_GET_FXSAVE_REGS 14 /* PTRACE_GETFPREGS: struct user_fpregs_struct is the fxsave image */
#define XMM_REGISTERS 16
#else
#define REQ_GET_FXSAVE_REGS 18 /* PTRACE_GETFPXREGS: i386's GETFPREGS is the older fsave format */
#define XMM_REGISTERS 8
#endif

/* More of the xsave image's layout than avx.h's (Intel SDM vol. 1, 13.4; Linux's struct xregs_state). */
#define MXCSR_OFFSET 24
#define XMM_OFFSET 160
#define XSTATE_BV_OFFSET XSTATE_HEADER_OFFSET
#define XCOMP_BV_OFFSET (XSTATE_HEADER_OFFSET + 8)
#define HEADER_RESERVED_OFFSET (XSTATE_HEADER_OFFSET + 16)
/* No CPU has this feature: outside XCR0 on the host as in sysgate. */
#define XFEATURE_NONEXISTENT (1ull << 62)
/* MXCSR's bits 16-31 are reserved on every CPU. */
#define MXCSR_RESERVED_BIT (1u << 31)

/*
 * Comfortably more than any xsave image: the host's AVX-512 one is about
 * 2.5 KiB and one with AMX tiles about 11 KiB. Larger than the image, so
 * GETREGSET must report the image's own size.
 */
#define REGSET_BUFFER_BYTES 16384
#define SHORT_BUFFER_BYTES FXSAVE_BYTES

/* Exit status bits of the tracee: each one a thing it found wrong. */
#define CHILD_EDIT_MISSING 1
#define CHILD_EDITED_LOWER_CHANGED 2
#define CHILD_OTHERS_CHANGED 4
#define CHILD_TRACEME_FAILED 64

static const uint8_t new_upper_half[HALF_BYTES] = {0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
                                                   0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef};

static uint8_t image[REGSET_BUFFER_BYTES] __attribute__((aligned(64)));
static uint8_t scratch[REGSET_BUFFER_BYTES] __attribute__((aligned(64)));

/* Raw requests: -1 and errno, whatever libc makes of them. */
static long pt(long req, pid_t pid, unsigned long addr, unsigned long data)
{
    return syscall(SYS_ptrace, req, pid, addr, data);
}

static const char *err_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EIO: return "EIO";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENODEV: return "ENODEV";
    case ENOMEM: return "ENOMEM";
    default: return "other";
    }
}

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, err_name(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void write_u32(uint8_t *at, uint32_t value)
{
    memcpy(at, &value, sizeof value);
}

static void write_u64(uint8_t *at, uint64_t value)
{
    memcpy(at, &value, sizeof value);
}

/* ---- the tracee ---- */

/* Its exit status: the CHILD_* bits of what it found wrong, 0 if the tracer's edit is all that changed. */
static int traced_ymm_holder(void)
{
    if (pt(PTRACE_TRACEME, 0, 0, 0))
        return CHILD_TRACEME_FAILED;
    ymm_image patterns, seen;
    make_patterns(patterns, TRACEE_PATTERN_SEED);
    memset(seen, 0, sizeof seen);
    /* The SIGSTOP comes as kill returns, the patterns in the registers: the tracer reads and edits them. */
    hold_patterns_across_syscall(patterns, seen, SYS_kill, getpid(), SIGSTOP);
    int wrong = 0;
    if (memcmp(seen[EDITED_REGISTER] + HALF_BYTES, new_upper_half, HALF_BYTES) != 0)
        wrong |= CHILD_EDIT_MISSING;
    if (memcmp(seen[EDITED_REGISTER], patterns[EDITED_REGISTER], HALF_BYTES) != 0)
        wrong |= CHILD_EDITED_LOWER_CHANGED;
    for (int reg = 0; reg < YMM_REGISTERS; reg++)
        if (reg != EDITED_REGISTER && memcmp(seen[reg], patterns[reg], YMM_BYTES) != 0)
            wrong |= CHILD_OTHERS_CHANGED;
    return wrong;
}

/* ---- the tracer ---- */

/* GETREGSET NT_X86_XSTATE into `buffer`; the length the kernel reports back through *length. */
static long get_xstate(pid_t pid, uint8_t *buffer, size_t *length)
{
    struct iovec iov = {buffer, *length};
    long r = pt(REQ_GETREGSET, pid, NOTE_X86_XSTATE, (unsigned long)&iov);
    *length = iov.iov_len;
    return r;
}

static long set_xstate(pid_t pid, uint8_t *buffer, size_t length)
{
    struct iovec iov = {buffer, length};
    return pt(REQ_SETREGSET, pid, NOTE_X86_XSTATE, (unsigned long)&iov);
}

/* Whether the image holds the patterns: both halves of every register. */
static void check_image_registers(const uint8_t *xstate, unsigned avx_offset)
{
    ymm_image patterns;
    make_patterns(patterns, TRACEE_PATTERN_SEED);
    int lower_match = 1, upper_match = 1;
    for (int reg = 0; reg < YMM_REGISTERS; reg++) {
        lower_match &= memcmp(xstate + XMM_OFFSET + reg * HALF_BYTES, patterns[reg], HALF_BYTES) == 0;
        upper_match &= memcmp(xstate + avx_offset + reg * HALF_BYTES, patterns[reg] + HALF_BYTES, HALF_BYTES) == 0;
    }
    printf("regset: ymm lower halves (xmm area) hold the tracee's values: %s\n", yes_no(lower_match));
    printf("regset: ymm upper halves (avx area) hold the tracee's values: %s\n", yes_no(upper_match));
}

/* The other ways of reading the same state agree with the image. */
static void check_other_reads(pid_t pid, const uint8_t *xstate)
{
    size_t length = SHORT_BUFFER_BYTES;
    memset(scratch, 0, sizeof scratch);
    show("getregset into a buffer as big as the fxsave image", get_xstate(pid, scratch, &length));
    printf("regset: reports the short buffer's length back: %s\n", yes_no(length == SHORT_BUFFER_BYTES));
    printf("regset: short buffer gets the image's first bytes: %s\n",
           yes_no(memcmp(scratch, xstate, SHORT_BUFFER_BYTES) == 0));

    length = REGSET_BUFFER_BYTES - 1;
    show("getregset with a length not a multiple of 8", get_xstate(pid, scratch, &length));

    uint8_t fxsave[FXSAVE_BYTES] __attribute__((aligned(16)));
    show("get fxsave-format registers", pt(REQ_GET_FXSAVE_REGS, pid, 0, (unsigned long)fxsave));
    printf("fxsave-format registers: x87 and MXCSR area same as the regset's: %s\n",
           yes_no(memcmp(fxsave, xstate, XMM_OFFSET) == 0));
    printf("fxsave-format registers: xmm area same as the regset's: %s\n",
           yes_no(memcmp(fxsave + XMM_OFFSET, xstate + XMM_OFFSET, XMM_REGISTERS * HALF_BYTES) == 0));
}

/* Each refused SETREGSET: a copy of the image with one thing wrong. */
static void check_refused_sets(pid_t pid, const uint8_t *xstate, size_t size)
{
    memcpy(scratch, xstate, size);
    show("setregset shorter than the image", set_xstate(pid, scratch, size - 64));

    memcpy(scratch, xstate, size);
    write_u64(scratch + XSTATE_BV_OFFSET, read_u64(xstate + XSTATE_BV_OFFSET) | XFEATURE_NONEXISTENT);
    show("setregset with a feature outside XCR0 in xstate_bv", set_xstate(pid, scratch, size));

    memcpy(scratch, xstate, size);
    /* The compacted-format bit and the features: what xsavec would write. */
    write_u64(scratch + XCOMP_BV_OFFSET, (1ull << 63) | read_u64(xstate + XSTATE_BV_OFFSET));
    show("setregset with xcomp_bv set", set_xstate(pid, scratch, size));

    memcpy(scratch, xstate, size);
    scratch[HEADER_RESERVED_OFFSET + 8] = 1;
    show("setregset with a reserved header byte set", set_xstate(pid, scratch, size));

    memcpy(scratch, xstate, size);
    write_u32(scratch + MXCSR_OFFSET, read_u32(xstate + MXCSR_OFFSET) | MXCSR_RESERVED_BIT);
    show("setregset with a reserved MXCSR bit", set_xstate(pid, scratch, size));
}

/* Puts new_upper_half into the edited register's upper half; whether a fresh read shows it. */
static void edit_upper_half(pid_t pid, uint8_t *xstate, size_t size, unsigned avx_offset)
{
    memcpy(xstate + avx_offset + EDITED_REGISTER * HALF_BYTES, new_upper_half, HALF_BYTES);
    show("setregset with ymm2's upper half changed", set_xstate(pid, xstate, size));
    size_t length = REGSET_BUFFER_BYTES;
    memset(scratch, 0, sizeof scratch);
    get_xstate(pid, scratch, &length);
    printf("regset: reads back the new upper half of ymm2: %s\n",
           yes_no(length == size &&
                  memcmp(scratch + avx_offset + EDITED_REGISTER * HALF_BYTES, new_upper_half, HALF_BYTES) == 0));
}

static void report_child_exit(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        printf("tracee exited: no\n");
        return;
    }
    int wrong = WEXITSTATUS(status);
    printf("tracee exited: yes\n");
    printf("tracee could ask to be traced: %s\n", yes_no(!(wrong & CHILD_TRACEME_FAILED)));
    printf("tracee finds the new upper half of ymm2: %s\n", yes_no(!(wrong & CHILD_EDIT_MISSING)));
    printf("tracee finds ymm2's lower half unchanged: %s\n", yes_no(!(wrong & CHILD_EDITED_LOWER_CHANGED)));
    printf("tracee finds the other ymm registers unchanged: %s\n", yes_no(!(wrong & CHILD_OTHERS_CHANGED)));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!avx_usable()) {
        printf("AVX not usable\n");
        return 0;
    }
    unsigned avx_offset = avx_state_offset();
    pid_t pid = fork();
    if (pid < 0) {
        printf("fork failed\n");
        return 1;
    }
    if (pid == 0)
        _exit(traced_ymm_holder());

    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
        printf("tracee stopped by its SIGSTOP: no\n");
        if (WIFSTOPPED(status))
            kill(pid, SIGKILL);
        return 1;
    }
    printf("tracee stopped by its SIGSTOP: yes\n");

    size_t size = REGSET_BUFFER_BYTES;
    long r = get_xstate(pid, image, &size);
    show("getregset xstate", r);
    /* The fxsave image, the header and the ymm upper halves at least; whole words. */
    int size_plausible = size >= FXSAVE_BYTES + XSTATE_HEADER_BYTES + YMM_REGISTERS * HALF_BYTES && size % 8 == 0 &&
                         size < REGSET_BUFFER_BYTES;
    printf("size plausible: %s\n", yes_no(size_plausible));
    int avx_area_inside =
        avx_offset >= FXSAVE_BYTES + XSTATE_HEADER_BYTES && avx_offset + YMM_REGISTERS * HALF_BYTES <= size;
    printf("avx area inside the image: %s\n", yes_no(avx_area_inside));
    if (r < 0 || !size_plausible || !avx_area_inside) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return 1;
    }
    uint64_t xcr0 = read_u64(image + SW_RESERVED_OFFSET);
    printf("regset: XCR0 word has x87 sse avx: %s\n", yes_no((xcr0 & XFEATURES_X87_SSE_AVX) == XFEATURES_X87_SSE_AVX));
    printf("regset: xstate_bv marks avx in use: %s\n",
           yes_no((read_u64(image + XSTATE_BV_OFFSET) & XFEATURE_AVX_BIT) != 0));
    printf("regset: xcomp_bv zero (standard format): %s\n", yes_no(read_u64(image + XCOMP_BV_OFFSET) == 0));
    check_image_registers(image, avx_offset);
    check_other_reads(pid, image);
    check_refused_sets(pid, image, size);
    edit_upper_half(pid, image, size, avx_offset);

    long resumed = pt(PTRACE_CONT, pid, 0, 0);
    show("cont", resumed);
    if (resumed < 0)
        kill(pid, SIGKILL); /* else the wait below would wait for good */
    report_child_exit(pid);
    errno = 0;
    printf("nothing left to wait for: %s\n", yes_no(waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD));
    return 0;
}
