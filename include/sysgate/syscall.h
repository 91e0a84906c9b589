/*
 * sysgate's user library: every way into the kernel, callable from C.
 *
 *   sg_raw_<gate>(nr, a1, ..., a6)   the kernel's own result (-4095..-1 = -errno)
 *   sg_syscall_<gate>(nr, ...)       the same with libc's convention: -1 and errno
 *   _syscallN_<gate>(type, name, t1, a1, ...)
 *                                    defines `type name(t1 a1, ...)`, the classic
 *                                    macros of Linux 0.11 textbooks
 *   _syscallN(...)                   the ABI's own instruction: syscall on x86-64,
 *                                    int $0x80 on i386
 *
 * Gates (SPEC section 4): `syscall64` (x86-64 only), `int80` (both ABIs; from
 * 64-bit code it reaches the i386 table with 32-bit arguments, as on Linux),
 * `sysenter` and `vsyscall` (i386 only; vsyscall calls the vDSO's
 * __kernel_vsyscall found through AT_SYSINFO, see vsyscall.h). Numbers come
 * from <sysgate/unistd_64.h> (__NR_name) and <sysgate/unistd_32_ia32.h>
 * (__NR_ia32_name), generated from the kernel's tables; an i386 program also
 * has <sysgate/unistd_32.h>'s __NR_name. The _syscallN macros of each gate take
 * the number of the table that gate reaches: the i386 one for int $0x80,
 * sysenter and vsyscall even in a 64-bit program.
 *
 * Programs built with it run on Linux too, where sysgate's own calls (iam,
 * whoami, kstack_size) give ENOSYS.
 */
#ifndef SYSGATE_SYSCALL_H
#define SYSGATE_SYSCALL_H

#include <errno.h>

#include <sysgate/unistd_32_ia32.h>
#if defined(__x86_64__)
#include <sysgate/unistd_64.h>
#elif defined(__i386__)
#include <sysgate/unistd_32.h>
#include <sysgate/vsyscall.h>
#else
#error "sysgate's gates are x86"
#endif

/* Linux's convention: -4095..-1 is an error. */
static inline long sg_errno(long result)
{
    if ((unsigned long)result >= (unsigned long)-4095) {
        errno = (int)-result;
        return -1;
    }
    return result;
}

#if defined(__x86_64__)

static inline long sg_raw_syscall64(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* int $0x80 from 64-bit code: the sixth argument goes in ebp. The red zone
 * below rsp may hold the compiler's data, so the pushes go below it. */
static inline long sg_raw_int80(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    register long r12 __asm__("r12") = a6;
    long ret;
    __asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
                     "push %%rbp\n\t"
                     "mov %%r12, %%rbp\n\t"
                     "int $0x80\n\t"
                     "pop %%rbp\n\t"
                     "lea 128(%%rsp), %%rsp"
                     : "=a"(ret)
                     : "a"(nr), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5), "r"(r12)
                     : "memory");
    return ret;
}

#define SG_DEFAULT_GATE syscall64

#else /* __i386__ */

/* Six argument registers leave none for the number, the sixth argument and
 * the entry address together: they travel in memory, through eax. */
struct sg_call32 {
    long nr, a6;
    void *entry;
};

static inline long sg_raw_int80(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    struct sg_call32 call = {nr, a6, 0};
    long ret;
    __asm__ volatile("pushl %%ebp\n\t"
                     "movl 4(%%eax), %%ebp\n\t"
                     "movl (%%eax), %%eax\n\t"
                     "int $0x80\n\t"
                     "popl %%ebp"
                     : "=a"(ret)
                     : "a"(&call), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                     : "memory");
    return ret;
}

/* sysenter directly, with the frame __kernel_vsyscall would build: the
 * kernel returns to the vDSO's landing pad, which pops ebp (here the sixth
 * argument), edx and ecx, then returns to label 1. */
static inline long sg_raw_sysenter(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    struct sg_call32 call = {nr, a6, 0};
    long ret;
    __asm__ volatile("pushl %%ebp\n\t"
                     "pushl $1f\n\t"
                     "pushl %%ecx\n\t"
                     "pushl %%edx\n\t"
                     "pushl 4(%%eax)\n\t"
                     "movl (%%eax), %%eax\n\t"
                     "movl %%esp, %%ebp\n\t"
                     "sysenter\n"
                     "1:\n\t"
                     "popl %%ebp"
                     : "=a"(ret)
                     : "a"(&call), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                     : "memory");
    return ret;
}

/* The vDSO's __kernel_vsyscall: the fastest gate this CPU has. */
static inline long sg_raw_vsyscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    struct sg_call32 call = {nr, a6, sg_vsyscall_entry()};
    long ret;
    __asm__ volatile("pushl %%ebp\n\t"
                     "movl 4(%%eax), %%ebp\n\t"
                     "pushl 8(%%eax)\n\t"
                     "movl (%%eax), %%eax\n\t"
                     "call *(%%esp)\n\t"
                     "addl $4, %%esp\n\t"
                     "popl %%ebp"
                     : "=a"(ret)
                     : "a"(&call), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                     : "memory");
    return ret;
}

#define SG_DEFAULT_GATE int80

#endif

/* sg_syscall_<gate>(nr, up to six arguments): missing ones are 0. */
#define SG_TAKE7(a, b, c, d, e, f, g, ...) a, b, c, d, e, f, g
#define SG_CALL_(fn, args) fn(args)
#define SG_PADDED(fn, ...) SG_CALL_(fn, SG_TAKE7(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0))
#define SG_GATE_FN(gate) sg_raw_##gate
#define SG_GATE_FN_(gate) SG_GATE_FN(gate)

#define sg_syscall_int80(...) sg_errno(SG_PADDED(sg_raw_int80, __VA_ARGS__))
#define sg_syscall(...) sg_errno(SG_PADDED(SG_GATE_FN_(SG_DEFAULT_GATE), __VA_ARGS__))
#if defined(__x86_64__)
#define sg_syscall_syscall64(...) sg_errno(SG_PADDED(sg_raw_syscall64, __VA_ARGS__))
#else
#define sg_syscall_sysenter(...) sg_errno(SG_PADDED(sg_raw_sysenter, __VA_ARGS__))
#define sg_syscall_vsyscall(...) sg_errno(SG_PADDED(sg_raw_vsyscall, __VA_ARGS__))
#endif

/* The classic macros, one family per gate, each with its table's numbers. */
#define SG_NR_syscall64(name) __NR_##name
#define SG_NR_int80(name) __NR_ia32_##name
#define SG_NR_sysenter(name) __NR_ia32_##name
#define SG_NR_vsyscall(name) __NR_ia32_##name
#define SG_NR(gate, name) SG_NR_##gate(name)
#define SG_NR_(gate, name) SG_NR(gate, name)
#define SG_DEFINE(gate, type, name, params, ...)                                      \
    type name params { return (type)sg_errno(SG_PADDED(SG_GATE_FN_(gate), SG_NR_(gate, name), ##__VA_ARGS__)); }

#define _syscall0_on(gate, type, name) SG_DEFINE(gate, type, name, (void))
#define _syscall1_on(gate, type, name, t1, a1) SG_DEFINE(gate, type, name, (t1 a1), (long)(a1))
#define _syscall2_on(gate, type, name, t1, a1, t2, a2)                                \
    SG_DEFINE(gate, type, name, (t1 a1, t2 a2), (long)(a1), (long)(a2))
#define _syscall3_on(gate, type, name, t1, a1, t2, a2, t3, a3)                        \
    SG_DEFINE(gate, type, name, (t1 a1, t2 a2, t3 a3), (long)(a1), (long)(a2), (long)(a3))
#define _syscall4_on(gate, type, name, t1, a1, t2, a2, t3, a3, t4, a4)                \
    SG_DEFINE(gate, type, name, (t1 a1, t2 a2, t3 a3, t4 a4), (long)(a1), (long)(a2), (long)(a3), (long)(a4))
#define _syscall5_on(gate, type, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)        \
    SG_DEFINE(gate, type, name, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5), (long)(a1), (long)(a2), (long)(a3),     \
              (long)(a4), (long)(a5))
#define _syscall6_on(gate, type, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
    SG_DEFINE(gate, type, name, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6), (long)(a1), (long)(a2),          \
              (long)(a3), (long)(a4), (long)(a5), (long)(a6))

#define _syscall0(...) _syscall0_on(SG_DEFAULT_GATE, __VA_ARGS__)
#define _syscall1(...) _syscall1_on(SG_DEFAULT_GATE, __VA_ARGS__)
#define _syscall2(...) _syscall2_on(SG_DEFAULT_GATE, __VA_ARGS__)
#define _syscall3(...) _syscall3_on(SG_DEFAULT_GATE, __VA_ARGS__)
#define _syscall4(...) _syscall4_on(SG_DEFAULT_GATE, __VA_ARGS__)
#define _syscall5(...) _syscall5_on(SG_DEFAULT_GATE, __VA_ARGS__)
#define _syscall6(...) _syscall6_on(SG_DEFAULT_GATE, __VA_ARGS__)

#define _syscall0_int80(...) _syscall0_on(int80, __VA_ARGS__)
#define _syscall1_int80(...) _syscall1_on(int80, __VA_ARGS__)
#define _syscall2_int80(...) _syscall2_on(int80, __VA_ARGS__)
#define _syscall3_int80(...) _syscall3_on(int80, __VA_ARGS__)
#define _syscall4_int80(...) _syscall4_on(int80, __VA_ARGS__)
#define _syscall5_int80(...) _syscall5_on(int80, __VA_ARGS__)
#define _syscall6_int80(...) _syscall6_on(int80, __VA_ARGS__)

#if defined(__x86_64__)
#define _syscall0_syscall64(...) _syscall0_on(syscall64, __VA_ARGS__)
#define _syscall1_syscall64(...) _syscall1_on(syscall64, __VA_ARGS__)
#define _syscall2_syscall64(...) _syscall2_on(syscall64, __VA_ARGS__)
#define _syscall3_syscall64(...) _syscall3_on(syscall64, __VA_ARGS__)
#define _syscall4_syscall64(...) _syscall4_on(syscall64, __VA_ARGS__)
#define _syscall5_syscall64(...) _syscall5_on(syscall64, __VA_ARGS__)
#define _syscall6_syscall64(...) _syscall6_on(syscall64, __VA_ARGS__)
#else
#define _syscall0_sysenter(...) _syscall0_on(sysenter, __VA_ARGS__)
#define _syscall1_sysenter(...) _syscall1_on(sysenter, __VA_ARGS__)
#define _syscall2_sysenter(...) _syscall2_on(sysenter, __VA_ARGS__)
#define _syscall3_sysenter(...) _syscall3_on(sysenter, __VA_ARGS__)
#define _syscall4_sysenter(...) _syscall4_on(sysenter, __VA_ARGS__)
#define _syscall5_sysenter(...) _syscall5_on(sysenter, __VA_ARGS__)
#define _syscall6_sysenter(...) _syscall6_on(sysenter, __VA_ARGS__)
#define _syscall0_vsyscall(...) _syscall0_on(vsyscall, __VA_ARGS__)
#define _syscall1_vsyscall(...) _syscall1_on(vsyscall, __VA_ARGS__)
#define _syscall2_vsyscall(...) _syscall2_on(vsyscall, __VA_ARGS__)
#define _syscall3_vsyscall(...) _syscall3_on(vsyscall, __VA_ARGS__)
#define _syscall4_vsyscall(...) _syscall4_on(vsyscall, __VA_ARGS__)
#define _syscall5_vsyscall(...) _syscall5_on(vsyscall, __VA_ARGS__)
#define _syscall6_vsyscall(...) _syscall6_on(vsyscall, __VA_ARGS__)
#endif

#endif
