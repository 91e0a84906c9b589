/* seccomp(2) and prctl's PR_SET_SECCOMP: strict mode, filters and their
 * actions (ERRNO, TRAP, KILL_PROCESS, KILL_THREAD, TRACE and USER_NOTIF
 * without a tracer or listener), stacking, the arch field, the checks on a
 * program, no_new_privs, inheritance by fork and execve, /proc's lines.
 * Every case runs in a child, as seccomp cannot be undone. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_seccomp
#ifdef __i386__
#define SYS_seccomp 354
#else
#define SYS_seccomp 317
#endif
#endif

#define SECCOMP_MODE_STRICT 1
#define SECCOMP_MODE_FILTER 2
#define SECCOMP_SET_MODE_STRICT 0
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_GET_ACTION_AVAIL 2
#define SECCOMP_GET_NOTIF_SIZES 3
#define SECCOMP_FILTER_FLAG_LOG 2
#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#define SECCOMP_RET_KILL_THREAD 0x00000000u
#define SECCOMP_RET_TRAP 0x00030000u
#define SECCOMP_RET_ERRNO 0x00050000u
#define SECCOMP_RET_USER_NOTIF 0x7fc00000u
#define SECCOMP_RET_TRACE 0x7ff00000u
#define SECCOMP_RET_LOG 0x7ffc0000u
#define SECCOMP_RET_ALLOW 0x7fff0000u
#define AUDIT_ARCH_I386 0x40000003u
#define AUDIT_ARCH_X86_64 0xc000003eu
#ifdef __i386__
#define THIS_ARCH AUDIT_ARCH_I386
#define OTHER_ARCH AUDIT_ARCH_X86_64
#else
#define THIS_ARCH AUDIT_ARCH_X86_64
#define OTHER_ARCH AUDIT_ARCH_I386
#endif
#define SYS_SECCOMP_CODE 1
#define FUTEX_WAIT 0

struct insn {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};
struct prog {
    unsigned short len;
    struct insn *filter;
};
struct seccomp_data_layout {
    int nr;
    uint32_t arch;
    uint64_t instruction_pointer;
    uint64_t args[6];
};

#define LD_ABS 0x20
#define LD_IMM 0x00
#define LD_MEM 0x60
#define LD_BYTE_ABS 0x30
#define ST 0x02
#define RET_K 0x06
#define RET_A 0x16
#define JEQ_K 0x15
#define JA 0x05
#define ALU_DIV_K 0x34
#define ALU_ADD_K 0x04
#define STMT(c, kk) ((struct insn){.code = (c), .k = (kk)})
#define JUMP(c, kk, t, f) ((struct insn){.code = (c), .jt = (t), .jf = (f), .k = (kk)})
#define LOAD_NR STMT(LD_ABS, offsetof(struct seccomp_data_layout, nr))
#define LOAD_ARCH STMT(LD_ABS, offsetof(struct seccomp_data_layout, arch))
/* A call number's answer: two instructions. */
#define ON_NR(nr, action) JUMP(JEQ_K, (nr), 0, 1), STMT(RET_K, (action))
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static long seccomp(unsigned op, unsigned flags, void *args) { return syscall(SYS_seccomp, op, flags, args); }

static long install(struct insn *insns, unsigned short len, unsigned flags)
{
    struct prog p = {len, insns};
    return seccomp(SECCOMP_SET_MODE_FILTER, flags, &p);
}

static void show(const char *what, long ret)
{
    if (ret < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, ret);
}

static void show_status(const char *what, int status)
{
    if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void status_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "NoNewPrivs:", 11) || !strncmp(line, "Seccomp", 7))
            printf("  %s", line);
    if (f)
        fclose(f);
}

/* Runs fn in a child and reports how it ended. */
static void in_child(const char *what, void (*fn)(void))
{
    printf("== %s\n", what);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    show_status(what, status);
}

static void set_nnp(void) { show("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)); }

static void say(const char *s) { syscall(SYS_write, 1, s, strlen(s)); }

static void strict_mode(void)
{
    show("PR_GET_SECCOMP before", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    fflush(stdout);
    if (seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL))
        say("strict failed\n");
    say("write in strict mode works\n");
    syscall(SYS_getpid);
    say("not reached\n");
}

static void strict_by_prctl(void)
{
    int ready[2], go[2];
    char c;
    if (pipe(ready) || pipe(go))
        return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
            say("prctl strict failed\n");
        syscall(SYS_write, ready[1], "r", 1);
        syscall(SYS_read, go[0], &c, 1);
        say("strict child exits through exit\n");
        syscall(SYS_exit, 7);
    }
    if (read(ready[0], &c, 1) != 1)
        return;
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    status_lines(path);
    fflush(stdout);
    if (write(go[1], "g", 1) != 1)
        return;
    int status;
    waitpid(pid, &status, 0);
    show_status("strict child", status);
}

static void errno_filter(void)
{
    struct insn f[] = {LOAD_NR, ON_NR(SYS_getpid, SECCOMP_RET_ERRNO | 1234), ON_NR(SYS_getuid, SECCOMP_RET_ERRNO | 0xffff),
                       STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("without no_new_privs (root)", install(f, COUNT(f), 0));
    show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    show("getpid", syscall(SYS_getpid));
    long r = syscall(SYS_getuid);
    printf("getuid (errno capped): %ld errno %d\n", r, errno);
    show("getppid > 0", syscall(SYS_getppid) > 0);
    status_lines("/proc/self/status");
}

static volatile sig_atomic_t trapped;
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    char line[200];
    snprintf(line, sizeof(line), "SIGSYS %d: code %d syscall %d arch %s errno %d call_addr set %d\n", sig, si->si_code,
             si->si_syscall, si->si_arch == THIS_ARCH ? "this ABI's" : "other", si->si_errno,
             si->si_call_addr != NULL);
    say(line);
    trapped = 1;
}

static void trap_filter(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    set_nnp();
    struct insn f[] = {LOAD_NR, ON_NR(SYS_getpid, SECCOMP_RET_TRAP | 42), STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("install by prctl", prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &(struct prog){COUNT(f), f}, 0, 0));
    long r = syscall(SYS_getpid);
    printf("getpid returned the call's number: %d, trapped %d\n", r == SYS_getpid, trapped);
    /* Blocked, the signal is forced: it kills. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    sigprocmask(SIG_BLOCK, &set, NULL);
    fflush(stdout);
    syscall(SYS_getpid);
    say("not reached\n");
}

static void kill_filter(uint32_t action)
{
    set_nnp();
    struct insn f[] = {LOAD_NR, ON_NR(SYS_getpid, action), STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("install", install(f, COUNT(f), SECCOMP_FILTER_FLAG_LOG));
    fflush(stdout);
    syscall(SYS_getpid);
    say("not reached\n");
}
static void kill_process(void) { kill_filter(SECCOMP_RET_KILL_PROCESS); }
static void kill_thread(void) { kill_filter(SECCOMP_RET_KILL_THREAD); }
static void unknown_action(void) { kill_filter(0x12340000); }

static void stacking(void)
{
    set_nnp();
    struct insn older[] = {LOAD_NR,
                           ON_NR(SYS_getpid, SECCOMP_RET_ERRNO | 11),
                           ON_NR(SYS_getuid, SECCOMP_RET_ERRNO | 44),
                           ON_NR(SYS_gettid, SECCOMP_RET_LOG),
                           ON_NR(SYS_getgid, SECCOMP_RET_ALLOW),
                           STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn newer[] = {LOAD_NR,
                           ON_NR(SYS_getpid, SECCOMP_RET_ALLOW),
                           ON_NR(SYS_getppid, SECCOMP_RET_ERRNO | 22),
                           ON_NR(SYS_getuid, SECCOMP_RET_ERRNO | 33),
                           ON_NR(SYS_gettid, SECCOMP_RET_TRACE | 5),
                           ON_NR(SYS_getgid, SECCOMP_RET_USER_NOTIF),
                           STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("older", install(older, COUNT(older), 0));
    show("newer", install(newer, COUNT(newer), 0));
    show("getpid (older's errno)", syscall(SYS_getpid));
    show("getppid (newer's errno)", syscall(SYS_getppid));
    show("getuid (both: the newer's)", syscall(SYS_getuid));
    show("gettid (TRACE, no tracer)", syscall(SYS_gettid));
    show("getgid (USER_NOTIF, no listener)", syscall(SYS_getgid));
    status_lines("/proc/self/status");
}

static void arch_right(void)
{
    set_nnp();
    /* Also scratch memory, an ALU step and a return of A. */
    struct insn f[] = {LOAD_ARCH,
                       JUMP(JEQ_K, THIS_ARCH, 1, 0),
                       STMT(RET_K, SECCOMP_RET_KILL_PROCESS),
                       STMT(LD_IMM, SECCOMP_RET_ERRNO | 76),
                       STMT(ST, 3),
                       LOAD_NR,
                       JUMP(JEQ_K, SYS_getpid, 0, 3),
                       STMT(LD_MEM, 3),
                       STMT(ALU_ADD_K, 1),
                       STMT(RET_A, 0),
                       STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("install", install(f, COUNT(f), 0));
    show("getpid", syscall(SYS_getpid));
    show("getppid > 0", syscall(SYS_getppid) > 0);
}

/* A filter written for the other ABI kills this one. */
static void arch_wrong(void)
{
    set_nnp();
    struct insn f[] = {LOAD_ARCH, JUMP(JEQ_K, OTHER_ARCH, 1, 0), STMT(RET_K, SECCOMP_RET_KILL_PROCESS),
                       STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("install", install(f, COUNT(f), 0));
    fflush(stdout);
    syscall(SYS_getpid);
    say("not reached\n");
}

static void bad_programs(void)
{
    set_nnp();
    struct insn jump_out[] = {JUMP(JEQ_K, 1, 5, 0), STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn ja_out[] = {JUMP(JA, 1, 0, 0), STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn byte_load[] = {STMT(LD_BYTE_ABS, 0), STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn unaligned[] = {STMT(LD_ABS, 2), STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn beyond[] = {STMT(LD_ABS, sizeof(struct seccomp_data_layout)), STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn no_return[] = {LOAD_NR};
    struct insn div_zero[] = {STMT(ALU_DIV_K, 0), STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn unstored[] = {STMT(LD_MEM, 1), STMT(RET_A, 0)};
    struct insn mem_range[] = {STMT(ST, 16), STMT(RET_K, SECCOMP_RET_ALLOW)};
    struct insn ok[] = {STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("jump out of range", install(jump_out, COUNT(jump_out), 0));
    show("ja out of range", install(ja_out, COUNT(ja_out), 0));
    show("byte load", install(byte_load, COUNT(byte_load), 0));
    show("unaligned load", install(unaligned, COUNT(unaligned), 0));
    show("load beyond seccomp_data", install(beyond, COUNT(beyond), 0));
    show("no return at the end", install(no_return, COUNT(no_return), 0));
    show("division by constant zero", install(div_zero, COUNT(div_zero), 0));
    show("load of unstored memory", install(unstored, COUNT(unstored), 0));
    show("memory word 16", install(mem_range, COUNT(mem_range), 0));
    show("zero length", install(ok, 0, 0));
    show("4097 instructions", install(ok, 4097, 0));
    show("NULL program", seccomp(SECCOMP_SET_MODE_FILTER, 0, NULL));
    show("bad instructions pointer", install((struct insn *)8, 1, 0));
    show("unknown flag", install(ok, 1, 1u << 10));
    show("strict with flags", seccomp(SECCOMP_SET_MODE_STRICT, 1, NULL));
    show("unknown operation", seccomp(99, 0, NULL));
    show("prctl unknown mode", prctl(PR_SET_SECCOMP, 7, 0, 0, 0));
    uint32_t action = SECCOMP_RET_ALLOW;
    show("ALLOW available", seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action));
    action = SECCOMP_RET_KILL_PROCESS;
    show("KILL_PROCESS available", seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action));
    action = 0x12340000;
    show("0x12340000 available", seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action));
    show("action avail flags", seccomp(SECCOMP_GET_ACTION_AVAIL, 1, &action));
    show("action avail NULL", seccomp(SECCOMP_GET_ACTION_AVAIL, 0, NULL));
    uint16_t sizes[3];
    show("notif sizes", seccomp(SECCOMP_GET_NOTIF_SIZES, 0, sizes));
    printf("sizes %u %u %u\n", sizes[0], sizes[1], sizes[2]);
    show("PR_GET_SECCOMP after failures", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    show("strict after filter mode", (install(ok, 1, 0), seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL)));
}

static void unprivileged(void)
{
    if (setuid(65534))
        printf("setuid failed\n");
    show("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    struct insn ok[] = {STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("filter without no_new_privs", install(ok, 1, 0));
    show("bad length first", install(ok, 0, 0));
    show("PR_SET_NO_NEW_PRIVS 2", prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    show("PR_GET_NO_NEW_PRIVS 1", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
    set_nnp();
    show("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("filter with no_new_privs", install(ok, 1, 0));
    show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
}

static void inheritance(void)
{
    set_nnp();
    struct insn f[] = {LOAD_NR, ON_NR(SYS_getpid, SECCOMP_RET_ERRNO | 99), STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("install", install(f, COUNT(f), 0));
    show("install again", install(f, COUNT(f), 0));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        show("forked child's getpid", syscall(SYS_getpid));
        status_lines("/proc/self/status");
        fflush(stdout);
        execl("/proc/self/exe", "seccomp", "exec-child", (char *)NULL);
        printf("execl failed: %s\n", strerror(errno));
        fflush(stdout);
        _exit(1);
    }
    int status;
    waitpid(pid, &status, 0);
    show_status("forked child", status);
}

static void after_exec(void)
{
    show("after execve: PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    show("after execve: PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("after execve: getpid", syscall(SYS_getpid));
    status_lines("/proc/self/status");
}

#ifdef __i386__
#define ORIG_NR(r) (r).orig_eax
#define RESULT(r) (r).eax
#else
#define ORIG_NR(r) (r).orig_rax
#define RESULT(r) (r).rax
#endif
#define PTRACE_GET_SYSCALL_INFO_REQUEST 0x420e
#define PTRACE_EVENT_SECCOMP_STOP 7
#define PTRACE_O_TRACESECCOMP_OPTION (1 << PTRACE_EVENT_SECCOMP_STOP)
#define PTRACE_O_TRACESYSGOOD_OPTION 1

struct syscall_info {
    uint8_t op, pad[3];
    uint32_t arch;
    uint64_t instruction_pointer, stack_pointer;
    uint64_t nr, args[6];
    uint32_t ret_data;
};

static void tracee(void)
{
    pid_t me = getpid();
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    kill(me, SIGSTOP);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    struct insn f[] = {LOAD_NR, ON_NR(SYS_getpid, SECCOMP_RET_TRACE | 0x77), ON_NR(SYS_getppid, SECCOMP_RET_TRACE | 0x88),
                       ON_NR(SYS_getuid, SECCOMP_RET_ERRNO | 55), STMT(RET_K, SECCOMP_RET_ALLOW)};
    long installed = install(f, COUNT(f), 0);
    long a = syscall(SYS_getpid);
    long b = syscall(SYS_getppid);
    kill(me, SIGUSR1);
    long c = syscall(SYS_gettid);
    int c_errno = errno;
    printf("tracee: installed %ld, getpid ran %d, getppid skipped with %ld, gettid made getuid: %ld errno %d\n",
           installed, a == me, b, c, c_errno);
    fflush(stdout);
    _exit(0);
}

static int wait_stop(pid_t pid)
{
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void traced(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        tracee();
    int st = wait_stop(pid);
    printf("first stop: %d\n", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP_OPTION | PTRACE_O_TRACESYSGOOD_OPTION);
    ptrace(PTRACE_CONT, pid, 0, 0);
    st = wait_stop(pid);
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    struct syscall_info info;
    memset(&info, 0, sizeof(info));
    long size = ptrace(PTRACE_GET_SYSCALL_INFO_REQUEST, pid, (void *)sizeof(info), &info);
    printf("seccomp stop: %d, message %#lx, info size %ld op %u nr is getpid %d ret_data %#x arch %d\n",
           (st >> 8) == (SIGTRAP | (PTRACE_EVENT_SECCOMP_STOP << 8)), msg, size, info.op, info.nr == SYS_getpid,
           info.ret_data, info.arch == THIS_ARCH);
    struct user_regs_struct regs;
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    printf("at the stop: result register %ld\n", (long)RESULT(regs));
    ptrace(PTRACE_CONT, pid, 0, 0);
    st = wait_stop(pid);
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    printf("second seccomp stop: %d, message %#lx\n", (st >> 8) == (SIGTRAP | (PTRACE_EVENT_SECCOMP_STOP << 8)), msg);
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    ORIG_NR(regs) = -1;
    RESULT(regs) = 4321;
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    ptrace(PTRACE_CONT, pid, 0, 0);
    st = wait_stop(pid);
    printf("SIGUSR1 stop: %d\n", WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1);
    ptrace(PTRACE_SYSCALL, pid, 0, 0);
    st = wait_stop(pid);
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    printf("syscall-entry stop before seccomp: %d, call is gettid %d\n", WSTOPSIG(st) == (SIGTRAP | 0x80),
           (long)ORIG_NR(regs) == SYS_gettid);
    ORIG_NR(regs) = SYS_getuid;
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    ptrace(PTRACE_SYSCALL, pid, 0, 0);
    st = wait_stop(pid);
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    printf("syscall-exit stop: %d, result %ld\n", WSTOPSIG(st) == (SIGTRAP | 0x80), (long)RESULT(regs));
    fflush(stdout);
    ptrace(PTRACE_CONT, pid, 0, 0);
    st = wait_stop(pid);
    show_status("tracee", st);
}

static int go_pipe[2];

static void *synced_thread(void *arg)
{
    (void)arg;
    char c;
    if (read(go_pipe[0], &c, 1) != 1)
        return NULL;
    long r = syscall(SYS_getpgid, 0);
    printf("other thread after TSYNC: getpgid %ld errno %d\n", r, errno);
    return NULL;
}

/* A thread of its own making, whose end the parent sees in its tid word
 * (musl's pthread_join waits for a word only a thread's own exit clears). */
static int doomed_thread(void *arg)
{
    (void)arg;
    syscall(SYS_getsid, 0);
    say("not reached\n");
    return 0;
}
static char doomed_stack[65536] __attribute__((aligned(16)));
static volatile int doomed_tid = -1;

static void threads(void)
{
    set_nnp();
    if (pipe(go_pipe))
        return;
    pthread_t t;
    pthread_create(&t, NULL, synced_thread, NULL);
    struct insn f[] = {LOAD_NR, ON_NR(SYS_getpgid, SECCOMP_RET_ERRNO | 66), STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("TSYNC", install(f, COUNT(f), 1));
    if (write(go_pipe[1], "g", 1) != 1)
        return;
    pthread_join(t, NULL);
    struct insn k[] = {LOAD_NR, ON_NR(SYS_getsid, SECCOMP_RET_KILL_THREAD), STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("KILL_THREAD filter", install(k, COUNT(k), 0));
    fflush(stdout);
    if (clone(doomed_thread, doomed_stack + sizeof(doomed_stack),
              CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID,
              NULL, NULL, NULL, &doomed_tid) < 0)
        printf("clone: %s\n", strerror(errno));
    for (int tid; (tid = doomed_tid) != 0;)
        syscall(SYS_futex, &doomed_tid, FUTEX_WAIT, tid, NULL, NULL, 0);
    printf("the process lives on after its thread was killed\n");
    status_lines("/proc/self/status");
}

#ifdef __x86_64__
/* A 64-bit program's int $0x80 is an i386 call: its arch says so. */
static void int80_arch(void)
{
    set_nnp();
    struct insn f[] = {LOAD_ARCH, JUMP(JEQ_K, AUDIT_ARCH_I386, 0, 1), STMT(RET_K, SECCOMP_RET_ERRNO | 88),
                       STMT(RET_K, SECCOMP_RET_ALLOW)};
    show("install", install(f, COUNT(f), 0));
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
    printf("int $0x80 getpid: %ld\n", r);
    show("syscall getpid > 0", syscall(SYS_getpid) > 0);
}
#endif

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "exec-child")) {
        after_exec();
        return 0;
    }
    status_lines("/proc/self/status");
    show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    in_child("strict mode", strict_mode);
    in_child("strict mode by prctl", strict_by_prctl);
    in_child("errno", errno_filter);
    in_child("trap", trap_filter);
    in_child("kill process", kill_process);
    in_child("kill thread", kill_thread);
    in_child("unknown action", unknown_action);
    in_child("stacking", stacking);
    in_child("arch right", arch_right);
    in_child("arch wrong", arch_wrong);
    in_child("bad programs", bad_programs);
    in_child("unprivileged", unprivileged);
    in_child("inheritance", inheritance);
    in_child("traced", traced);
    in_child("threads", threads);
#ifdef __x86_64__
    in_child("int $0x80 from 64-bit code", int80_arch);
#endif
    return 0;
}
