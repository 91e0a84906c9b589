/*
 * ptracestrace.c - a miniature strace: `ptracestrace tracer PROGRAM` runs
 * PROGRAM (this program again, of either ABI) with `tracee`, stops it at
 * each system call's entry and exit (PTRACE_SYSCALL, PTRACE_O_TRACESYSGOOD)
 * and prints the calls between its two getppid markers: the ABI, told as
 * strace tells it by the size of the NT_PRSTATUS regset, the number and the
 * result. The tracee's own output falls between the stops it belongs to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define NT_PRSTATUS 1
#define I386_REGS_SIZE 68
#define X86_64_REGS_SIZE 216
#define I386_GETPPID 64
#define X86_64_GETPPID 110
/* Where orig_eax/orig_rax and eax/rax are in the two regsets, in words. */
#define I386_ORIG 11
#define I386_RET 6
#define X86_64_ORIG 15
#define X86_64_RET 10

static int tracee(void)
{
    syscall(SYS_getppid);
    syscall(SYS_close, -1);
    if (write(1, "tracee writes\n", 14) != 14)
        return 1;
    syscall(SYS_dup, -1);
    syscall(SYS_getppid);
    _exit(0);
}

/* The call's number and result from the regset, in the tracee's ABI. */
static int read_call(pid_t pid, long *nr, long *ret, int *bits)
{
    union {
        uint32_t w32[I386_REGS_SIZE / 4];
        uint64_t w64[X86_64_REGS_SIZE / 8];
    } regs;
    struct iovec iov = {&regs, sizeof(regs)};
    if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov))
        return -1;
    if (iov.iov_len == I386_REGS_SIZE) {
        *bits = 32;
        *nr = (int32_t)regs.w32[I386_ORIG];
        *ret = (int32_t)regs.w32[I386_RET];
    } else {
        *bits = 64;
        *nr = (long)regs.w64[X86_64_ORIG];
        *ret = (long)regs.w64[X86_64_RET];
    }
    return 0;
}

static int tracer(const char *program)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execl(program, program, "tracee", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("after exec: stopped %d sig %d\n", WIFSTOPPED(status), WSTOPSIG(status));
    ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)PTRACE_O_TRACESYSGOOD);
    int markers = 0, entering = 1;
    bool done = false;
    for (;;) {
        ptrace(PTRACE_SYSCALL, pid, 0, 0);
        if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
            break;
        if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
            printf("stop with signal %d\n", WSTOPSIG(status));
            continue;
        }
        long nr, ret;
        int bits;
        if (read_call(pid, &nr, &ret, &bits))
            return 1;
        long getppid_nr = bits == 32 ? I386_GETPPID : X86_64_GETPPID;
        if (entering && nr == getppid_nr)
            markers++;
        bool shown = markers == 1 || (markers == 2 && !done);
        if (shown && entering)
            printf("[%d] call %ld\n", bits, nr);
        else if (shown && nr == getppid_nr)
            printf("[%d] call %ld = %s\n", bits, nr, ret == getpid() ? "the tracer" : "?");
        else if (shown)
            printf("[%d] call %ld = %ld\n", bits, nr, ret);
        done = markers == 2 && !entering;
        entering = !entering;
    }
    if (WIFEXITED(status))
        printf("exited %d\n", WEXITSTATUS(status));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "tracee"))
        return tracee();
    if (argc > 2 && !strcmp(argv[1], "tracer"))
        return tracer(argv[2]);
    fprintf(stderr, "usage: ptracestrace tracer PROGRAM\n");
    return 2;
}
