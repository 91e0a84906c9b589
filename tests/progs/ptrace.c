/*
 * ptrace.c - a tracer and its children, compared with Linux: stop statuses,
 * registers read and set, memory peeked and poked (code included, through a
 * private copy), signals injected and suppressed, syscall-stops with
 * GET_SYSCALL_INFO, fork/exec/exit events, seize and interrupt, single
 * steps, a hardware watchpoint, and the error paths. Prints deterministic
 * lines (no addresses, no pids); the same on all three builds' hosts and
 * sysgate. `ptrace exec-child` is the program the exec event runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __x86_64__
#define IP(r) (r).rip
#define RET(r) (r).rax
#define ORIG(r) (r).orig_rax
typedef uint64_t word_t;
#define WORD_PATTERN 0x1122334455667788ull
#else
#define IP(r) (r).eip
#define RET(r) (r).eax
#define ORIG(r) (r).orig_eax
typedef uint32_t word_t;
#define WORD_PATTERN 0x11223344u
#endif

#define REQ_GET_SYSCALL_INFO 0x420e
#define REQ_INTERRUPT 0x4207
#define REQ_SEIZE 0x4206
#define EVENT_STOP 128

static volatile word_t shared_word = WORD_PATTERN;
static volatile int watched;

/* Raw requests: -1 and errno, whatever libc makes of PEEK*. */
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

static void show_status(const char *what, int status)
{
    if (WIFSTOPPED(status))
        printf("%s: stopped sig=%d event=%d\n", what, WSTOPSIG(status), status >> 16);
    else if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed %d\n", what, WTERMSIG(status));
}

static int wait_for(pid_t pid, const char *what)
{
    int status = 0;
    if (waitpid(pid, &status, __WALL) != pid)
        printf("%s: waitpid failed\n", what);
    show_status(what, status);
    return status;
}

/* Resumes `pid` and waits for its next stop, through the SIGCHLD
 * signal-delivery-stops a child of its own causes. */
static int cont_and_wait(pid_t pid, const char *what)
{
    pt(PTRACE_CONT, pid, 0, 0);
    for (;;) {
        int status = wait_for(pid, what);
        if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGCHLD)
            return status;
        pt(PTRACE_CONT, pid, 0, SIGCHLD);
    }
}

/* A child that asks to be traced and stops itself. */
static pid_t traced_child(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (pt(PTRACE_TRACEME, 0, 0, 0))
            _exit(100);
        raise(SIGSTOP);
    }
    return pid;
}

static void test_memory_and_regs(void)
{
    printf("-- memory and registers\n");
    pid_t pid = traced_child();
    if (pid == 0) {
        long r = syscall(SYS_getpid);
        _exit(shared_word == (word_t)~WORD_PATTERN ? (int)(r & 0x7f) : 1);
    }
    wait_for(pid, "traceme");
    siginfo_t si;
    show("getsiginfo", pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si));
    printf("siginfo: signo=%d code=%d from-child=%d\n", si.si_signo, si.si_code, si.si_pid == pid);
    word_t w = 0;
    show("peekdata", pt(PTRACE_PEEKDATA, pid, (unsigned long)&shared_word, (unsigned long)&w));
    printf("peeked %s\n", w == WORD_PATTERN ? "pattern" : "wrong");
    show("pokedata", pt(PTRACE_POKEDATA, pid, (unsigned long)&shared_word, ~WORD_PATTERN));
    printf("own copy %s\n", shared_word == WORD_PATTERN ? "unchanged" : "changed");
    /* Code: a private copy for the tracee, the file's page untouched. */
    unsigned long code = (unsigned long)&test_memory_and_regs;
    word_t original = *(volatile word_t *)code, poked = 0;
    show("poketext", pt(PTRACE_POKETEXT, pid, code, original ^ 0xff));
    show("peektext", pt(PTRACE_PEEKTEXT, pid, code, (unsigned long)&poked));
    printf("text %s, own text %s\n", poked == (original ^ 0xff) ? "poked" : "wrong",
           *(volatile word_t *)code == original ? "unchanged" : "changed");
    show("poketext back", pt(PTRACE_POKETEXT, pid, code, original));
    struct user_regs_struct regs;
    show("getregs", pt(PTRACE_GETREGS, pid, 0, (unsigned long)&regs));
    word_t flags = 0;
    unsigned long eflags_offset = offsetof(struct user, regs) + offsetof(struct user_regs_struct, eflags);
    show("peekuser eflags", pt(PTRACE_PEEKUSER, pid, eflags_offset, (unsigned long)&flags));
#ifdef __x86_64__
    printf("eflags match %d, cs %#lx, ss %#lx, orig %ld\n", flags == regs.eflags, (long)regs.cs, (long)regs.ss,
           (long)ORIG(regs));
#else
    printf("eflags match %d, cs %#lx, ss %#lx, orig %ld\n", flags == (word_t)regs.eflags, (long)regs.xcs,
           (long)regs.xss, (long)ORIG(regs));
#endif
    struct {
        unsigned entry, base, limit, flags;
    } desc = {0, 0, 0, 0};
    show("get_thread_area", pt(25 /* PTRACE_GET_THREAD_AREA */, pid, 12, (unsigned long)&desc));
    printf("tls entry %u used %d flags %#x\n", desc.entry, desc.base != 0, desc.flags);
    show("get_thread_area bad entry", pt(25, pid, 3, (unsigned long)&desc));
    struct iovec iov = {&regs, 1000};
    show("getregset", pt(PTRACE_GETREGSET, pid, 1 /* NT_PRSTATUS */, (unsigned long)&iov));
    printf("regset length %zu\n", iov.iov_len);
    show("setregset", pt(PTRACE_SETREGSET, pid, 1, (unsigned long)&iov));
    static unsigned char fpbuf[4096];
    struct iovec fpiov = {fpbuf, sizeof(fpbuf)};
    show("getregset fp", pt(PTRACE_GETREGSET, pid, 2 /* NT_PRFPREG */, (unsigned long)&fpiov));
    printf("fp regset length %zu\n", fpiov.iov_len);
    show("setregset fp", pt(PTRACE_SETREGSET, pid, 2, (unsigned long)&fpiov));
    fpiov.iov_len = 8;
    show("setregset fp partial", pt(PTRACE_SETREGSET, pid, 2, (unsigned long)&fpiov));
    iov.iov_len = 3;
    show("getregset odd length", pt(PTRACE_GETREGSET, pid, 1, (unsigned long)&iov));
    iov.iov_len = sizeof(regs);
    show("getregset bad type", pt(PTRACE_GETREGSET, pid, 0x999, (unsigned long)&iov));
    /* Resume with syscall-stops: the getpid becomes getppid, its result 42. */
    show("setoptions", pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD));
    for (;;) {
        show("syscall", pt(PTRACE_SYSCALL, pid, 0, 0));
        int status = wait_for(pid, "syscall-stop");
        if (!WIFSTOPPED(status))
            break;
        pt(PTRACE_GETREGS, pid, 0, (unsigned long)&regs);
        unsigned long msg = 0;
        pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
        printf("nr %ld, eventmsg %lu\n", (long)ORIG(regs), msg);
        if (ORIG(regs) == SYS_getpid && msg == 1) {
            printf("entry rax is -ENOSYS: %d\n", (long)RET(regs) == -ENOSYS);
            ORIG(regs) = SYS_getppid;
            show("setregs", pt(PTRACE_SETREGS, pid, 0, (unsigned long)&regs));
        } else if (ORIG(regs) == SYS_getppid && msg == 2) {
            printf("getppid gave the tracer: %d\n", (pid_t)RET(regs) == getpid());
            RET(regs) = 42;
            show("setregs", pt(PTRACE_SETREGS, pid, 0, (unsigned long)&regs));
            show("cont", pt(PTRACE_CONT, pid, 0, 0));
            wait_for(pid, "end");
            break;
        }
    }
}

static void test_syscall_info(void)
{
    printf("-- mini strace\n");
    pid_t pid = traced_child();
    if (pid == 0) {
        syscall(SYS_getppid);
        syscall(SYS_close, -1);
        syscall(SYS_dup, -1);
        syscall(SYS_umask, 022);
        syscall(SYS_getppid);
        _exit(0);
    }
    wait_for(pid, "traceme");
    unsigned char none[128];
    long none_size = pt(REQ_GET_SYSCALL_INFO, pid, sizeof(none), (unsigned long)none);
    printf("at a signal stop: size %ld op %d\n", none_size, none[0]);
    pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
    int markers = 0;
    for (;;) {
        pt(PTRACE_SYSCALL, pid, 0, 0);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFSTOPPED(status)) {
            show_status("end", status);
            break;
        }
        struct {
            uint8_t op, pad[3];
            uint32_t arch;
            uint64_t ip, sp;
            union {
                struct {
                    uint64_t nr, args[6];
                } entry;
                struct {
                    int64_t rval;
                    uint8_t is_error;
                } exit;
            };
        } info;
        memset(&info, 0, sizeof(info));
        long size = pt(REQ_GET_SYSCALL_INFO, pid, sizeof(info), (unsigned long)&info);
        if (info.op == 1 && info.entry.nr == SYS_getppid)
            markers++;
        if (markers == 0)
            continue;
        if (info.op == 1)
            printf("stop %#x size %ld: entry arch %#x nr %llu arg0 %lld\n", WSTOPSIG(status), size, info.arch,
                   (unsigned long long)info.entry.nr,
                   info.entry.nr == SYS_getppid ? 0 : (long long)info.entry.args[0] & 0xffffffff);
        else if (info.op == 2)
            printf("stop %#x size %ld: exit %s %lld\n", WSTOPSIG(status), size, info.exit.is_error ? "error" : "value",
                   info.exit.is_error ? (long long)info.exit.rval : 0);
        else
            printf("stop %#x size %ld: op %d\n", WSTOPSIG(status), size, info.op);
        if (markers == 2 && info.op == 2) {
            pt(PTRACE_CONT, pid, 0, 0);
            wait_for(pid, "end");
            break;
        }
    }
}

static volatile int usr_seen;
static void on_usr(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    usr_seen = sig * 10 + (si->si_code == SI_USER) + 2 * (si->si_pid == getppid());
}

static volatile int chld_code, chld_status;
static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    chld_code = si->si_code;
    chld_status = si->si_status;
}

static void test_signals(void)
{
    printf("-- signals\n");
    struct sigaction chld;
    memset(&chld, 0, sizeof(chld));
    chld.sa_sigaction = on_chld;
    chld.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &chld, NULL);
    for (int round = 0; round < 3; round++) {
        pid_t pid = traced_child();
        if (pid == 0) {
            struct sigaction sa;
            memset(&sa, 0, sizeof(sa));
            sa.sa_sigaction = on_usr;
            sa.sa_flags = SA_SIGINFO;
            sigaction(SIGUSR1, &sa, NULL);
            sigaction(SIGUSR2, &sa, NULL);
            raise(SIGUSR1);
            _exit(usr_seen);
        }
        wait_for(pid, "traceme");
        pt(PTRACE_CONT, pid, 0, 0);
        wait_for(pid, "signal-delivery-stop");
        printf("tracer's SIGCHLD: code %d status %d\n", chld_code, chld_status);
        if (round == 2) {
            /* The tracer's own siginfo for the signal it delivers instead. */
            siginfo_t si;
            memset(&si, 0, sizeof(si));
            si.si_signo = SIGUSR2;
            si.si_code = SI_QUEUE;
            si.si_pid = 12345;
            show("setsiginfo", pt(PTRACE_SETSIGINFO, pid, 0, (unsigned long)&si));
        }
        show(round ? "cont with SIGUSR2" : "cont suppressing", pt(PTRACE_CONT, pid, 0, round ? SIGUSR2 : 0));
        wait_for(pid, "end");
    }
    /* SIGKILL ends a stopped tracee; PTRACE_KILL is one. */
    pid_t pid = traced_child();
    if (pid == 0)
        _exit(0);
    wait_for(pid, "traceme");
    show("kill", pt(PTRACE_KILL, pid, 0, 0));
    wait_for(pid, "end");
    signal(SIGCHLD, SIG_DFL);
}

/* PTRACE_O_EXITKILL: the tracer's exit kills its tracee (a sibling here,
 * allowed under Yama's ptrace_scope 1 by PR_SET_PTRACER). */
static void test_exitkill(void)
{
    printf("-- exitkill\n");
    int hold[2], ready[2];
    if (pipe(hold) || pipe(ready))
        return;
    pid_t tracee = fork();
    if (tracee == 0) {
        prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
        close(hold[1]);
        close(ready[0]);
        close(ready[1]);
        char c;
        _exit(read(hold[0], &c, 1) == 1 ? 0 : 1);
    }
    close(hold[0]);
    close(ready[1]);
    char c;
    if (read(ready[0], &c, 1) != 0)
        printf("ready pipe: unexpected byte\n");
    pid_t tracer = fork();
    if (tracer == 0)
        _exit(pt(REQ_SEIZE, tracee, 0, PTRACE_O_EXITKILL) == 0 ? 0 : 1);
    wait_for(tracer, "tracer");
    wait_for(tracee, "tracee");
    close(hold[1]);
    close(ready[0]);
}

static void test_events(const char *self)
{
    printf("-- events\n");
    pid_t pid = traced_child();
    if (pid == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0)
            _exit(7);
        int status = 0;
        waitpid(grandchild, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 7)
            _exit(1);
        execl(self, self, "exec-child", (char *)NULL);
        _exit(2);
    }
    wait_for(pid, "traceme");
    show("setoptions", pt(PTRACE_SETOPTIONS, pid, 0,
                          PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESYSGOOD));
    show("setoptions bad", pt(PTRACE_SETOPTIONS, pid, 0, 1u << 30));
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "fork event");
    unsigned long msg = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
    pid_t grandchild = (pid_t)msg;
    wait_for(grandchild, "grandchild");
    pt(PTRACE_CONT, grandchild, 0, 0);
    wait_for(grandchild, "grandchild exit event");
    pt(PTRACE_GETEVENTMSG, grandchild, 0, (unsigned long)&msg);
    printf("exit eventmsg %#lx\n", msg);
    pt(PTRACE_CONT, grandchild, 0, 0);
    wait_for(grandchild, "grandchild end (tracer)");
    cont_and_wait(pid, "exec event");
    pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
    printf("exec eventmsg is pid: %d\n", (pid_t)msg == pid);
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "exit event");
    pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
    printf("exit eventmsg %#lx\n", msg);
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "end");
    /* Without PTRACE_O_TRACEEXEC: a SIGTRAP the task sends itself. */
    pid = traced_child();
    if (pid == 0) {
        execl(self, self, "exec-child", (char *)NULL);
        _exit(2);
    }
    wait_for(pid, "traceme");
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "after exec");
    siginfo_t si;
    pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si);
    printf("siginfo: signo=%d code=%d from-self=%d\n", si.si_signo, si.si_code, si.si_pid == pid);
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "end");
}

/* vfork under PTRACE_O_TRACEVFORK and PTRACE_O_TRACEVFORKDONE: the event,
 * the child attached, and the parent's stop once the child is done. */
static void test_vfork(void)
{
    printf("-- vfork\n");
    pid_t pid = traced_child();
    if (pid == 0) {
        pid_t grandchild = vfork();
        if (grandchild == 0)
            _exit(5);
        int status = 0;
        waitpid(grandchild, &status, 0);
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) + 10 : 1);
    }
    wait_for(pid, "traceme");
    show("setoptions", pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE));
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "vfork event");
    unsigned long msg = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
    pid_t grandchild = (pid_t)msg;
    wait_for(grandchild, "vfork child");
    pt(PTRACE_CONT, grandchild, 0, 0);
    wait_for(grandchild, "vfork child end (tracer)");
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "vfork done");
    pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
    printf("vfork done eventmsg is the child: %d\n", (pid_t)msg == grandchild);
    cont_and_wait(pid, "end");
}

static int proc_status_line(pid_t pid, const char *key, char *out, size_t size)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int found = -1;
    while (fgets(line, sizeof(line), f))
        if (!strncmp(line, key, strlen(key))) {
            snprintf(out, size, "%s", line + strlen(key));
            out[strcspn(out, "\n")] = 0;
            found = 0;
        }
    fclose(f);
    return found;
}

static void test_attach(void)
{
    printf("-- attach, seize, interrupt\n");
    for (int seize = 0; seize < 2; seize++) {
        int p[2];
        if (pipe(p))
            return;
        pid_t pid = fork();
        if (pid == 0) {
            char c;
            close(p[1]);
            _exit(read(p[0], &c, 1) == 1 ? c : 99);
        }
        close(p[0]);
        if (seize) {
            show("seize addr", pt(REQ_SEIZE, pid, 1, 0));
            show("seize", pt(REQ_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD));
            show("getregs running", pt(PTRACE_GETREGS, pid, 0, 0));
            show("interrupt", pt(REQ_INTERRUPT, pid, 0, 0));
        } else {
            show("attach", pt(PTRACE_ATTACH, pid, 0, 0));
            show("attach again", pt(PTRACE_ATTACH, pid, 0, 0));
            show("interrupt not seized", pt(REQ_INTERRUPT, pid, 0, 0));
        }
        wait_for(pid, "stopped");
        siginfo_t si;
        show("getsiginfo", pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si));
        printf("siginfo: signo=%d code=%d\n", si.si_signo, si.si_code);
        char value[64] = "";
        proc_status_line(pid, "State:\t", value, sizeof(value));
        printf("state: %s\n", value);
        proc_status_line(pid, "TracerPid:\t", value, sizeof(value));
        printf("tracer is me: %d\n", atoi(value) == getpid());
        show("detach", pt(PTRACE_DETACH, pid, 0, 0));
        show("cont after detach", pt(PTRACE_CONT, pid, 0, 0));
        if (write(p[1], "\x05", 1) != 1)
            printf("write failed\n");
        close(p[1]);
        wait_for(pid, "end");
    }
}

/* strace's start: seize a child that stopped itself, keep it in its
 * group-stop with PTRACE_LISTEN, and see it stop again when continued. */
static void test_listen(void)
{
    printf("-- seize a stopped child, listen\n");
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGSTOP);
        _exit(4);
    }
    int status = 0;
    waitpid(pid, &status, WUNTRACED);
    show_status("self-stopped", status);
    show("seize", pt(REQ_SEIZE, pid, 0, 0));
    wait_for(pid, "seized");
    show("listen", pt(0x4208 /* PTRACE_LISTEN */, pid, 0, 0));
    printf("nothing to report: %d\n", waitpid(pid, &status, WNOHANG | __WALL));
    show("cont listening", pt(PTRACE_CONT, pid, 0, 0));
    kill(pid, SIGCONT);
    wait_for(pid, "continued");
    show("cont", pt(PTRACE_CONT, pid, 0, 0));
    wait_for(pid, "signal");
    show("cont", pt(PTRACE_CONT, pid, 0, 0));
    wait_for(pid, "end");
}

/* Who may attach: the same user (all of the target's ids), or
 * CAP_SYS_PTRACE; another user gets EPERM. (As root; the target makes
 * itself dumpable again after its setresuid, as Linux would otherwise
 * refuse its own user too.) */
static int try_attach_as(uid_t uid, pid_t target)
{
    pid_t tracer = fork();
    if (tracer == 0) {
        if (setresuid(uid, uid, uid))
            _exit(10);
        long r = pt(REQ_SEIZE, target, 0, 0);
        _exit(r == 0 ? 0 : errno == EPERM ? 1 : 2);
    }
    int status = 0;
    waitpid(tracer, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_credentials(void)
{
    printf("-- credentials\n");
    int hold[2], ready[2];
    if (pipe(hold) || pipe(ready))
        return;
    pid_t target = fork();
    if (target == 0) {
        close(hold[1]);
        close(ready[0]);
        if (setresuid(1001, 1001, 1001))
            _exit(1);
        prctl(PR_SET_DUMPABLE, 1);
        close(ready[1]);
        char c;
        _exit(read(hold[0], &c, 1) == 1 ? 0 : 2);
    }
    close(hold[0]);
    close(ready[1]);
    char c;
    if (read(ready[0], &c, 1) != 0)
        printf("ready pipe: unexpected byte\n");
    printf("another user: %s\n", try_attach_as(1002, target) == 1 ? "EPERM" : "allowed");
    printf("the same user: %s\n", try_attach_as(1001, target) == 0 ? "allowed" : "refused");
    show("root", pt(REQ_SEIZE, target, 0, 0));
    show("detach running", pt(PTRACE_DETACH, target, 0, 0));
    show("interrupt", pt(REQ_INTERRUPT, target, 0, 0));
    wait_for(target, "interrupted");
    show("detach", pt(PTRACE_DETACH, target, 0, 0));
    if (write(hold[1], "x", 1) != 1)
        printf("write failed\n");
    wait_for(target, "end");
    close(hold[1]);
    close(ready[0]);
}

static void test_errors(void)
{
    printf("-- errors\n");
    show("attach self", pt(PTRACE_ATTACH, getpid(), 0, 0));
    show("cont untraced self", pt(PTRACE_CONT, getpid(), 0, 0));
    show("no such pid", pt(PTRACE_CONT, 0x7ffffff0, 0, 0));
    show("pid 0", pt(PTRACE_ATTACH, 0, 0, 0));
    pid_t pid = traced_child();
    if (pid == 0) {
        _exit(pt(PTRACE_TRACEME, 0, 0, 0) == -1 && errno == EPERM ? 0 : 1);
    }
    wait_for(pid, "traceme");
    show("bad request", pt(0x7777, pid, 0, 0));
    word_t w;
    show("peek unmapped", pt(PTRACE_PEEKDATA, pid, 0, (unsigned long)&w));
    show("peek to bad buffer", pt(PTRACE_PEEKDATA, pid, (unsigned long)&shared_word, 1));
    show("poke unmapped", pt(PTRACE_POKEDATA, pid, 8, 0));
    show("getregs bad buffer", pt(PTRACE_GETREGS, pid, 0, 1));
    show("peekuser misaligned", pt(PTRACE_PEEKUSER, pid, 3, (unsigned long)&w));
    show("peekuser past end", pt(PTRACE_PEEKUSER, pid, sizeof(struct user), (unsigned long)&w));
    show("pokeuser u_tsize", pt(PTRACE_POKEUSER, pid, offsetof(struct user, u_tsize), 0));
    show("getsiginfo bad buffer", pt(PTRACE_GETSIGINFO, pid, 0, 1));
    show("cont bad signal", pt(PTRACE_CONT, pid, 0, 100));
    show("cont", pt(PTRACE_CONT, pid, 0, 0));
    wait_for(pid, "end");
    show("cont reaped", pt(PTRACE_CONT, pid, 0, 0));
}

/* Single steps through a known sequence that begins with int3. */
extern const char step_start[], step_end[];
static void stepping_code(void)
{
#ifdef __x86_64__
    __asm__ volatile("int3\n"
                     "step_start: mov $1, %%eax\n"
                     "add $2, %%eax\n"
                     "nop\n"
                     "inc %%eax\n"
                     "mov $39, %%eax\n"
                     "syscall\n"
                     "mov $4, %%eax\n"
                     "step_end: nop\n" ::: "rax", "rcx", "r11", "memory");
#else
    __asm__ volatile("int3\n"
                     "step_start: mov $1, %%eax\n"
                     "add $2, %%eax\n"
                     "nop\n"
                     "inc %%eax\n"
                     "mov $20, %%eax\n"
                     "int $0x80\n"
                     "mov $4, %%eax\n"
                     "step_end: nop\n" ::: "eax", "memory");
#endif
}

static void test_single_step(void)
{
    printf("-- single step\n");
    pid_t pid = traced_child();
    if (pid == 0) {
        stepping_code();
        _exit(0);
    }
    wait_for(pid, "traceme");
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "int3");
    siginfo_t si;
    pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si);
    printf("int3 siginfo code %#x\n", si.si_code);
    struct user_regs_struct regs;
    pt(PTRACE_GETREGS, pid, 0, (unsigned long)&regs);
    printf("at step_start: %d\n", (unsigned long)IP(regs) == (unsigned long)step_start);
    int steps = 0;
    long before = -1; /* eax before the step: getpid's number before the system call's */
    while ((unsigned long)IP(regs) != (unsigned long)step_end && steps < 20) {
        pt(PTRACE_SINGLESTEP, pid, 0, 0);
        int status = 0;
        waitpid(pid, &status, 0);
        steps++;
        pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si);
        pt(PTRACE_GETREGS, pid, 0, (unsigned long)&regs);
        long eax = (long)RET(regs);
        char shown[32];
        if (before == SYS_getpid)
            snprintf(shown, sizeof(shown), "%s", (pid_t)eax == pid ? "the pid" : "not the pid");
        else
            snprintf(shown, sizeof(shown), "%ld", eax & 0xff);
        before = before == SYS_getpid ? -1 : eax; /* a pid equal to the number is no second call */
        printf("step %d: sig %d code %d at +%ld eax %s tf-visible %d\n", steps, WSTOPSIG(status), si.si_code,
               (long)(IP(regs) - (unsigned long)step_start), shown, (int)((regs.eflags >> 8) & 1));
    }
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "end");
}

static void test_watchpoint(void)
{
    printf("-- watchpoint\n");
    pid_t pid = traced_child();
    if (pid == 0) {
        watched = 1;
        watched = 2;
        _exit(watched);
    }
    wait_for(pid, "traceme");
    unsigned long dr0 = offsetof(struct user, u_debugreg), dr = sizeof(((struct user *)0)->u_debugreg[0]);
    word_t value = 0;
    show("peek dr6", pt(PTRACE_PEEKUSER, pid, dr0 + 6 * dr, (unsigned long)&value));
    printf("dr6 %#lx\n", (unsigned long)value);
    show("poke dr4", pt(PTRACE_POKEUSER, pid, dr0 + 4 * dr, 0));
    show("poke dr0", pt(PTRACE_POKEUSER, pid, dr0, (unsigned long)&watched));
    show("poke dr1 misaligned", pt(PTRACE_POKEUSER, pid, dr0 + dr, (unsigned long)&watched + 1));
    show("dr7 io breakpoint", pt(PTRACE_POKEUSER, pid, dr0 + 7 * dr, 0x00020001));
    show("dr7 misaligned watch", pt(PTRACE_POKEUSER, pid, dr0 + 7 * dr, 0x00d00004));
    /* DR0: write, 4 bytes, locally enabled. */
    show("dr7 watch", pt(PTRACE_POKEUSER, pid, dr0 + 7 * dr, 0x000d0001));
    show("peek dr7", pt(PTRACE_PEEKUSER, pid, dr0 + 7 * dr, (unsigned long)&value));
    printf("dr7 %#lx\n", (unsigned long)value);
    for (int hit = 0; hit < 2; hit++) {
        pt(PTRACE_CONT, pid, 0, 0);
        wait_for(pid, "watch");
        siginfo_t si;
        pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si);
        pt(PTRACE_PEEKUSER, pid, dr0 + 6 * dr, (unsigned long)&value);
        word_t seen = 0;
        pt(PTRACE_PEEKDATA, pid, (unsigned long)&watched, (unsigned long)&seen);
        printf("hit: code %d dr6 %#lx value %ld\n", si.si_code, (unsigned long)value, (long)seen);
    }
    show("dr7 off", pt(PTRACE_POKEUSER, pid, dr0 + 7 * dr, 0));
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "end");
}

static void test_fpregs(void)
{
    printf("-- fp registers\n");
    pid_t pid = fork();
    if (pid == 0) {
        unsigned short cw = 0x0f7f;
        __asm__ volatile("fldcw %0" ::"m"(cw));
        if (pt(PTRACE_TRACEME, 0, 0, 0))
            _exit(100);
        raise(SIGSTOP);
        __asm__ volatile("fnstcw %0" : "=m"(cw));
        _exit(cw == 0x037f ? 0 : 1);
    }
    wait_for(pid, "traceme");
#ifdef __x86_64__
    struct user_fpregs_struct fp;
    show("getfpregs", pt(PTRACE_GETFPREGS, pid, 0, (unsigned long)&fp));
    printf("cwd %#x\n", fp.cwd);
    fp.cwd = 0x037f;
    show("setfpregs", pt(PTRACE_SETFPREGS, pid, 0, (unsigned long)&fp));
#else
    struct user_fpregs_struct fp;
    show("getfpregs", pt(PTRACE_GETFPREGS, pid, 0, (unsigned long)&fp));
    printf("cwd %#lx\n", (unsigned long)fp.cwd);
    fp.cwd = 0x037f;
    show("setfpregs", pt(PTRACE_SETFPREGS, pid, 0, (unsigned long)&fp));
#endif
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "end");
}

static void *short_thread(void *arg)
{
    (void)arg;
    return NULL;
}

/* A traced process's thread: attached through PTRACE_O_TRACECLONE, its
 * exit seen by the tracer (__WALL) before the process's. */
static void test_threads(void)
{
    printf("-- threads\n");
    pid_t pid = traced_child();
    if (pid == 0) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, short_thread, NULL) || pthread_join(thread, NULL))
            _exit(1);
        raise(SIGSTOP); /* not exiting yet: the thread's own status is what its tracer sees */
        _exit(9);
    }
    wait_for(pid, "traceme");
    show("setoptions", pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACECLONE));
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "clone event");
    unsigned long msg = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
    pid_t tid = (pid_t)msg;
    printf("new thread is another task: %d\n", tid != pid && tid > 0);
    /* The creator first: the new thread may need a lock it holds (musl's
     * thread list) before it notices its SIGSTOP, on Linux. */
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(tid, "thread");
    siginfo_t si;
    pt(PTRACE_GETSIGINFO, tid, 0, (unsigned long)&si);
    printf("thread siginfo: signo=%d code=%d\n", si.si_signo, si.si_code);
    pt(PTRACE_CONT, tid, 0, 0);
    wait_for(tid, "thread end");
    show("cont exited thread", pt(PTRACE_CONT, tid, 0, 0));
    wait_for(pid, "after join");
    pt(PTRACE_CONT, pid, 0, 0);
    wait_for(pid, "end");
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "exec-child"))
        return 3;
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_memory_and_regs();
    test_syscall_info();
    test_signals();
    test_events("/proc/self/exe");
    test_vfork();
    test_attach();
    test_listen();
    test_exitkill();
    test_credentials();
    test_errors();
    test_single_step();
    test_watchpoint();
    test_fpregs();
    test_threads();
    return 0;
}
