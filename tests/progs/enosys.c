/*
 * enosys.c - system-call numbers the kernel does not implement, and how the
 * 64-bit `syscall` gate reads the number in rax.
 *
 * All calls are made with the `syscall` instruction from inline assembly (no
 * libc wrapper), so the number reaches the kernel unmodified in rax:
 *   - numbers -1, 500 and 100000 are not system calls: -38 (ENOSYS);
 *   - Linux looks only at the low 32 bits of rax (it treats the number as an
 *     unsigned int; the upper half is ignored), so
 *       (1L<<40)          with (fd -1, buf, 1) is read(2):  -9 (EBADF), as nr 0;
 *       (1L<<40)|1        with (fd 1, "...", n) is write(2): writes a line;
 *       0x100000000+39    is getpid(2): equals getpid via number 39.
 * Prints "nr=N -> RESULT" lines (never the pid itself), exits 0.
 * Not probed: 335 and 336 (Linux's uretprobe and uprobe, which kill a caller
 * outside a probe) and 387-389 (sysgate's custom calls, which some patched
 * kernels use for their own).
 */
#include <stdio.h>
#include <string.h>

static long raw_syscall3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return ret;
}

static void show(const char *what, long ret)
{
    printf("nr=%s -> %ld\n", what, ret);
    fflush(stdout);
}

int main(void)
{
    char buf[16];

    show("-1", raw_syscall3(-1, 0, 0, 0));
    show("500", raw_syscall3(500, 0, 0, 0));
    show("100000", raw_syscall3(100000, 0, 0, 0));
    /* i386's TLS descriptors: x86-64's table names them but has no entry point */
    show("205 (set_thread_area)", raw_syscall3(205, 0, 0, 0));
    show("211 (get_thread_area)", raw_syscall3(211, 0, 0, 0));

    long r0 = raw_syscall3(0, -1, (long)buf, 1);
    long r40 = raw_syscall3(1L << 40, -1, (long)buf, 1);
    show("0 (read fd=-1)", r0);
    show("1<<40 (read fd=-1)", r40);

    static const char msg[] = "written by nr=(1<<40)|1\n";
    long w = raw_syscall3((1L << 40) | 1, 1, (long)msg, (long)strlen(msg));
    show("(1<<40)|1 (write fd=1)", w);

    long pid = raw_syscall3(39, 0, 0, 0);
    long pid_hi = raw_syscall3(0x100000000L + 39, 0, 0, 0);
    printf("nr=0x100000000+39 (getpid) %s nr=39\n", pid_hi == pid ? "==" : "!=");
    printf("getpid > 0: %s\n", pid > 0 ? "yes" : "no");
    return 0;
}
