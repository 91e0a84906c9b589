/*
 * avxstate.c - the AVX (ymm) registers are part of a task's state the way
 * Linux keeps them: whole, both 128-bit halves.
 *
 * - A signal handler that clobbers ymm0-ymm7 leaves the interrupted code's
 *   values in place once it returns (SIGALRM every millisecond interrupts a
 *   spin loop that holds known patterns in ymm0-ymm7).
 * - The signal frame carries the xsave image as Linux lays it out: uc_flags
 *   has UC_FP_XSTATE, the fxsave image's software-reserved bytes describe the
 *   xsave area (magic1, its size, the features in it) and FP_XSTATE_MAGIC2
 *   follows it; rt_sigreturn loads the frame's ymm state, so a handler that
 *   edits the saved upper half of ymm1 changes the register it returns to.
 * - Two processes that keep switching on one CPU (sched_yield) each keep
 *   their own ymm registers.
 *
 * Only ymm0-ymm7 are used: they are all an i386 program has. The values that
 * depend on the CPU (sizes, offsets, feature masks) are checked, not printed.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "avx.h"

#define WANTED_ALARMS 30
#define SPIN_DEADLINE_SECONDS 20
#define YIELD_ROUNDS 2000

/*
 * Linux's UC_FP_XSTATE and FP_XSTATE_MAGIC1/2 (<asm/ucontext.h>, <asm/sigcontext.h>, which clash
 * with libc's headers), under names of our own: glibc defines some of them, musl does not.
 */
#define FRAME_UC_FP_XSTATE 0x1
#define FRAME_FP_XSTATE_MAGIC1 0x46505853u
#define FRAME_FP_XSTATE_MAGIC2 0x46505845u

#ifdef __x86_64__
/* uc_mcontext.fpregs points at the fxsave image itself. */
#define FSAVE_HEADER_BYTES 0
#else
/* i386's struct _fpstate starts with the 112-byte FSAVE header; the fxsave image follows it. */
#define FSAVE_HEADER_BYTES 112
#endif

/* Which halves of the seen registers differ from the patterns: bit 0 a lower half, bit 1 an upper one. */
static int changed_halves(ymm_image patterns, ymm_image seen)
{
    int changed = 0;
    for (int reg = 0; reg < YMM_REGISTERS; reg++) {
        if (memcmp(patterns[reg], seen[reg], HALF_BYTES) != 0)
            changed |= 1;
        if (memcmp(patterns[reg] + HALF_BYTES, seen[reg] + HALF_BYTES, HALF_BYTES) != 0)
            changed |= 2;
    }
    return changed;
}

/* ---- 1: a handler that clobbers the ymm registers ---- */

static volatile sig_atomic_t alarms;

/* Sets every bit of ymm0-ymm7: both halves then differ from any pattern. */
__attribute__((target("avx"), noinline)) static void clobber_on_alarm(int sig)
{
    (void)sig;
    alarms++;
    __asm__ volatile("vpcmpeqb %%ymm0, %%ymm0, %%ymm0\n\t"
                     "vpcmpeqb %%ymm1, %%ymm1, %%ymm1\n\t"
                     "vpcmpeqb %%ymm2, %%ymm2, %%ymm2\n\t"
                     "vpcmpeqb %%ymm3, %%ymm3, %%ymm3\n\t"
                     "vpcmpeqb %%ymm4, %%ymm4, %%ymm4\n\t"
                     "vpcmpeqb %%ymm5, %%ymm5, %%ymm5\n\t"
                     "vpcmpeqb %%ymm6, %%ymm6, %%ymm6\n\t"
                     "vpcmpeqb %%ymm7, %%ymm7, %%ymm7"
                     :
                     :
                     : YMM0_7_CLOBBERS);
}

/*
 * Loads the patterns into ymm0-ymm7, spins, and stores what the registers
 * hold then. All in one statement: nothing but the kernel touches them in
 * between, and nothing reloads them, so a clobber at any point shows. The
 * closing vzeroupper spares the SSE code after it the penalty of dirty
 * upper halves.
 */
__attribute__((target("avx"), noinline)) static void hold_patterns_while_spinning(ymm_image patterns, ymm_image seen,
                                                                                  unsigned long spins)
{
    __asm__ volatile(LOAD_YMM0_7_FROM_IN
                     "1:\n\t"
                     "dec %[spins]\n\t"
                     "jnz 1b\n\t"
                     STORE_YMM0_7_TO_OUT
                     "vzeroupper"
                     : [spins] "+r"(spins)
                     : [in] "r"(patterns), [out] "r"(seen)
                     : YMM0_7_CLOBBERS, "cc", "memory");
}

static double monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

static void check_handler_clobbering(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = clobber_on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);

    ymm_image patterns, seen;
    make_patterns(patterns, 0x11);
    int changed = 0;
    alarms = 0;
    struct itimerval every_ms = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &every_ms, NULL);
    /* The deadline only keeps a lost timer from hanging the test. */
    double deadline = monotonic_seconds() + SPIN_DEADLINE_SECONDS;
    while (alarms < WANTED_ALARMS && monotonic_seconds() < deadline) {
        hold_patterns_while_spinning(patterns, seen, 100000);
        changed |= changed_halves(patterns, seen);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    signal(SIGALRM, SIG_IGN); /* one may still be pending */

    printf("signal handler clobbering ymm: %d signals came: %s\n", WANTED_ALARMS, yes_no(alarms >= WANTED_ALARMS));
    printf("signal handler clobbering ymm: lower halves kept: %s\n", yes_no(!(changed & 1)));
    printf("signal handler clobbering ymm: upper halves kept: %s\n", yes_no(!(changed & 2)));
}

/* ---- 2: the signal frame's xsave image ---- */

static unsigned avx_offset; /* of the AVX state in the xsave image; 0: unknown */
static const uint8_t new_ymm1_upper[HALF_BYTES] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                                   0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};

static struct {
    int handled;
    int uc_fp_xstate;
    int magic1;
    int xfeatures_x87_sse_avx;
    int extended_size_right;
    int magic2;
    int avx_in_use;
    int edited;
} frame;

/* Notes what the frame says and puts new_ymm1_upper into its saved upper half of ymm1. */
static void inspect_and_edit_frame(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)info;
    ucontext_t *uc = context;
    frame.handled = 1;
    frame.uc_fp_xstate = (uc->uc_flags & FRAME_UC_FP_XSTATE) != 0;
    uint8_t *fpstate = (uint8_t *)uc->uc_mcontext.fpregs;
    if (fpstate == NULL)
        return;
    uint8_t *fxsave = fpstate + FSAVE_HEADER_BYTES;
    const uint8_t *sw_bytes = fxsave + SW_RESERVED_OFFSET;
    uint32_t extended_size = read_u32(sw_bytes + 4);
    uint64_t xfeatures = read_u64(sw_bytes + 8);
    uint32_t xstate_size = read_u32(sw_bytes + 16);
    frame.magic1 = read_u32(sw_bytes) == FRAME_FP_XSTATE_MAGIC1;
    if (!frame.magic1)
        return; /* no xsave area: nothing else in the frame can be trusted */
    frame.xfeatures_x87_sse_avx = (xfeatures & XFEATURES_X87_SSE_AVX) == XFEATURES_X87_SSE_AVX;
    /* The extended size counts from the fpstate pointer: on i386 it covers the FSAVE header too. */
    frame.extended_size_right = extended_size == FSAVE_HEADER_BYTES + xstate_size + 4;
    /* An absurd size would send the reads below out of the frame. */
    if (xstate_size < XSTATE_HEADER_OFFSET + XSTATE_HEADER_BYTES || xstate_size > (1u << 20))
        return;
    frame.magic2 = read_u32(fxsave + xstate_size) == FRAME_FP_XSTATE_MAGIC2;
    /* ymm1's upper half is non-zero at the signal, so xsave marks the AVX state in use. */
    frame.avx_in_use = (read_u64(fxsave + XSTATE_HEADER_OFFSET) & XFEATURE_AVX_BIT) != 0;
    if (avx_offset == 0 || avx_offset + YMM_REGISTERS * HALF_BYTES > xstate_size)
        return;
    memcpy(fxsave + avx_offset + 1 * HALF_BYTES, new_ymm1_upper, HALF_BYTES);
    frame.edited = 1;
}

/*
 * Loads ymm1, sends the signal with tgkill (delivered as the call returns,
 * ymm1 live), and stores ymm1 as sigreturn left it.
 */
__attribute__((target("avx"), noinline)) static void signal_self_holding_ymm1(const uint8_t *before, uint8_t *after,
                                                                              long tgid, long tid, long sig)
{
    long result = SYS_tgkill;
    __asm__ volatile("vmovdqu (%[in]), %%ymm1\n\t" SYSCALL_INSN "\n\t"
                     "vmovdqu %%ymm1, (%[out])\n\t"
                     "vzeroupper"
                     : "+a"(result)
                     : SYSCALL_ARG1(tgid), SYSCALL_ARG2(tid), SYSCALL_ARG3(sig), [in] "r"(before), [out] "r"(after)
                     : SYSCALL_CLOBBERS YMM0_7_CLOBBERS, "cc", "memory");
}

static void check_signal_frame(void)
{
    avx_offset = avx_state_offset();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = inspect_and_edit_frame;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);

    uint8_t before[YMM_BYTES], after[YMM_BYTES];
    for (int byte = 0; byte < YMM_BYTES; byte++)
        before[byte] = (uint8_t)(0x40 + byte);
    memset(after, 0, sizeof after);
    signal_self_holding_ymm1(before, after, getpid(), syscall(SYS_gettid), SIGUSR1);

    printf("frame: handler ran: %s\n", yes_no(frame.handled));
    printf("frame: uc_flags has UC_FP_XSTATE: %s\n", yes_no(frame.uc_fp_xstate));
    printf("frame: xstate magic: %s\n", yes_no(frame.magic1));
    printf("frame: xfeatures has x87 sse avx: %s\n", yes_no(frame.xfeatures_x87_sse_avx));
    printf("frame: extended size covers the xsave area and magic2: %s\n", yes_no(frame.extended_size_right));
    printf("frame: magic2 after the xsave area: %s\n", yes_no(frame.magic2));
    printf("frame: xsave header marks avx in use: %s\n", yes_no(frame.avx_in_use));
    printf("frame: saved upper half of ymm1 found and edited: %s\n", yes_no(frame.edited));
    printf("sigreturn restores the frame's ymm1: %s\n",
           yes_no(memcmp(after + HALF_BYTES, new_ymm1_upper, HALF_BYTES) == 0));
    printf("sigreturn keeps ymm1's lower half: %s\n", yes_no(memcmp(after, before, HALF_BYTES) == 0));
}

/* ---- 3: context switches ---- */

/* Whether every round of yielding found the patterns back. */
static int keeps_patterns_across_yields(unsigned seed)
{
    ymm_image patterns, seen;
    make_patterns(patterns, seed);
    int changed = 0;
    for (int round = 0; round < YIELD_ROUNDS; round++) {
        hold_patterns_across_syscall(patterns, seen, SYS_sched_yield, 0, 0);
        changed |= changed_halves(patterns, seen);
    }
    return changed == 0;
}

/* Both processes on the first CPU this one may use, so that each yield can switch to the other. */
static void share_one_cpu(void)
{
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &allowed)) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            sched_setaffinity(0, sizeof one, &one); /* without it the test is weaker, not wrong */
            return;
        }
    }
}

static void check_context_switches(void)
{
    share_one_cpu();
    pid_t child = fork();
    if (child < 0) {
        printf("fork failed\n");
        return;
    }
    if (child == 0)
        _exit(keeps_patterns_across_yields(0x90) ? 0 : 1);
    int parent_kept = keeps_patterns_across_yields(0x20);
    int status;
    int child_kept = waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("context switches: parent kept its ymm: %s\n", yes_no(parent_kept));
    printf("context switches: child kept its ymm: %s\n", yes_no(child_kept));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!avx_usable()) {
        printf("AVX not usable\n");
        return 0;
    }
    check_handler_clobbering();
    check_signal_frame();
    check_context_switches();
    return 0;
}
