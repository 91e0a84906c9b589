/* seccomp(2) and prctl's PR_SET_SECCOMP: strict mode, filters and their
 * actions (ERRNO, TRAP, KILL_PROCESS, KILL_THREAD, TRACE and USER_NOTIF
 * without a tracer or listener), stacking, the arch field, the checks on a
 * program, no_new_privs, inheritance by fork and execve, /proc's lines.
 * Every case runs in a child, as seccomp cannot be undone. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
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
    return 0;
}
