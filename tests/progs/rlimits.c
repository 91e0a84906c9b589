/*
 * Resource limits as Linux has them, run as root on both sides: the calls'
 * rules and errors, prlimit64 on other processes, and what each enforced
 * limit does (NOFILE, NPROC, AS, DATA, STACK, FSIZE, CPU, SIGPENDING). Only
 * values the program set itself are printed, never the host's defaults.
 * Each case runs in a child, most as an unprivileged uid no host process
 * uses (per-user counts: NPROC, SIGPENDING).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A uid that owns no process on the host, one per build, as the three
 * builds' tests may run at once and NPROC and SIGPENDING count per user. */
#if defined(__i386__)
#define LONELY_UID 54323
#elif defined(__GLIBC__)
#define LONELY_UID 54321
#else
#define LONELY_UID 54322
#endif
#define MiB (1024ul * 1024)

struct rlimit64_k {
    uint64_t cur, max;
};

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 errno %d\n", what, errno);
    else
        printf("%s: %ld\n", what, r);
}

static long prlimit_raw(pid_t pid, int resource, const struct rlimit64_k *new_limit, struct rlimit64_k *old)
{
    return syscall(SYS_prlimit64, pid, resource, new_limit, old);
}

static void set_limit(int resource, uint64_t cur, uint64_t max)
{
    struct rlimit64_k l = {cur, max};
    if (prlimit_raw(0, resource, &l, NULL))
        printf("setting limit %d failed: errno %d\n", resource, errno);
}

static void show_limit(const char *what, int resource)
{
    struct rlimit64_k l;
    if (prlimit_raw(0, resource, NULL, &l))
        show(what, -1);
    else
        printf("%s: %llx %llx\n", what, (unsigned long long)l.cur, (unsigned long long)l.max);
}

static void become(uid_t uid)
{
    if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
        printf("become %u failed: errno %d\n", uid, errno);
}

static void run(const char *name, void (*fn)(void))
{
    printf("== %s\n", name);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", name, WTERMSIG(status));
    else if (WEXITSTATUS(status))
        printf("%s: exit %d\n", name, WEXITSTATUS(status));
}

/* ---- the calls ---- */

static void calls(void)
{
    struct rlimit64_k l = {100, 200}, old;
    show("prlimit64 set NOFILE 100/200", prlimit_raw(0, RLIMIT_NOFILE, &l, &old));
    show_limit("NOFILE", RLIMIT_NOFILE);
    struct rlimit r;
    show("getrlimit", getrlimit(RLIMIT_NOFILE, &r));
    printf("getrlimit: %llu %llu\n", (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max);
    r.rlim_cur = 50;
    show("setrlimit soft 50", setrlimit(RLIMIT_NOFILE, &r));
    show_limit("NOFILE", RLIMIT_NOFILE);
    l = (struct rlimit64_k){300, 200};
    show("soft above hard", prlimit_raw(0, RLIMIT_NOFILE, &l, NULL));
    l = (struct rlimit64_k){10, 10};
    show("bad resource", prlimit_raw(0, 16, &l, NULL));
    show("bad resource, get", syscall(SYS_getrlimit, 99, &r));
    show("setrlimit bad resource", syscall(SYS_setrlimit, 99, &r));
    show("setrlimit bad pointer", syscall(SYS_setrlimit, RLIMIT_NOFILE, (void *)8));
    show("getrlimit bad pointer", syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)8));
    show("prlimit64 bad new", prlimit_raw(0, RLIMIT_NOFILE, (void *)8, NULL));
    show("prlimit64 bad old", prlimit_raw(0, RLIMIT_NOFILE, NULL, (void *)8));
    show("prlimit64 bad new and bad resource", prlimit_raw(0, 99, (void *)8, NULL));
    show("prlimit64 no such pid", prlimit_raw(999999, RLIMIT_NOFILE, NULL, &old));
    show("prlimit64 no such pid, bad resource", prlimit_raw(999999, 99, NULL, &old));
    show("prlimit64 nothing to do", prlimit_raw(0, RLIMIT_NOFILE, NULL, NULL));
    l = (struct rlimit64_k){-1ull, -1ull};
    show("NOFILE beyond nr_open", prlimit_raw(0, RLIMIT_NOFILE, &l, NULL));
    l = (struct rlimit64_k){0, 0};
    show("CORE 0/0", prlimit_raw(0, RLIMIT_CORE, &l, NULL));
    show_limit("CORE", RLIMIT_CORE);
    l = (struct rlimit64_k){4096, 8192};
    show("MEMLOCK 4096/8192", prlimit_raw(0, RLIMIT_MEMLOCK, &l, NULL));
    show_limit("MEMLOCK", RLIMIT_MEMLOCK);
    show("prlimit64 of the parent (same ids)", prlimit_raw(getppid(), RLIMIT_CORE, NULL, &old));
}

static void user_calls(void)
{
    set_limit(RLIMIT_NOFILE, 20, 40);
    set_limit(RLIMIT_CORE, 0, 1000);
    become(LONELY_UID);
    struct rlimit64_k l = {40, 40};
    show("raise soft to hard", prlimit_raw(0, RLIMIT_NOFILE, &l, NULL));
    l = (struct rlimit64_k){40, 41};
    show("raise hard", prlimit_raw(0, RLIMIT_NOFILE, &l, NULL));
    l = (struct rlimit64_k){10, 30};
    show("lower hard", prlimit_raw(0, RLIMIT_NOFILE, &l, NULL));
    l = (struct rlimit64_k){10, 40};
    show("raise it back", prlimit_raw(0, RLIMIT_NOFILE, &l, NULL));
    show_limit("NOFILE", RLIMIT_NOFILE);
    l = (struct rlimit64_k){1000, 1000};
    show("CORE soft up to hard", prlimit_raw(0, RLIMIT_CORE, &l, NULL));
    struct rlimit64_k old;
    show("prlimit64 of root's process", prlimit_raw(getppid(), RLIMIT_CORE, NULL, &old));
    int ready[2];
    pipe(ready);
    pid_t sibling = fork();
    if (sibling == 0) {
        close(ready[0]);
        close(ready[1]);
        pause();
        _exit(0);
    }
    show("prlimit64 of my own child (same ids)", prlimit_raw(sibling, RLIMIT_CORE, NULL, &old));
    printf("its CORE: %llu\n", (unsigned long long)old.cur);
    l = (struct rlimit64_k){5, 1000};
    show("set my child's CORE", prlimit_raw(sibling, RLIMIT_CORE, &l, NULL));
    prlimit_raw(sibling, RLIMIT_CORE, NULL, &old);
    printf("its CORE now: %llu\n", (unsigned long long)old.cur);
    kill(sibling, SIGKILL);
    waitpid(sibling, NULL, 0);
}

/* ---- NOFILE ---- */

static void nofile(void)
{
    for (int fd = 3; fd < 4096; fd++)
        close(fd);
    set_limit(RLIMIT_NOFILE, 10, 20);
    int last = -1, fd;
    while ((fd = dup(0)) >= 0)
        last = fd;
    show("dup past the limit", fd);
    printf("last descriptor: %d\n", last);
    show("open", open("/dev/null", O_RDONLY));
    int p[2];
    show("pipe", pipe(p));
    show("socket", socket(AF_UNIX, SOCK_STREAM, 0));
    show("dup2 to the limit", dup2(0, 10));
    show("dup2 below it", dup2(0, 9));
    show("F_DUPFD at the limit", fcntl(0, F_DUPFD, 10));
    close(9);
    show("F_DUPFD below it", fcntl(0, F_DUPFD, 5));
    close(8);
    FILE *f = fopen("/proc/self/limits", "r");
    char line[256];
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "Max open files", 14))
            fputs(line, stdout);
    if (f)
        fclose(f);
    set_limit(RLIMIT_NOFILE, 5, 20);
    show("lowered below open descriptors: dup", dup(0));
    show("a descriptor above the limit still works", fcntl(9, F_GETFD));
}

/* ---- NPROC ---- */

static void nproc(void)
{
    become(LONELY_UID);
    set_limit(RLIMIT_NPROC, 3, 3);
    pid_t kids[4];
    int made = 0;
    for (int i = 0; i < 4; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            pause();
            _exit(0);
        }
        if (kids[i] < 0) {
            show("fork", -1);
            break;
        }
        made++;
    }
    printf("forked %d\n", made);
    for (int i = 0; i < made; i++)
        kill(kids[i], SIGKILL);
    for (int i = 0; i < made; i++)
        waitpid(kids[i], NULL, 0);
    pid_t again = fork();
    if (again == 0)
        _exit(0);
    show("fork after they were reaped", again > 0 ? 0 : -1);
    waitpid(again, NULL, 0);
}

static void nproc_root(void)
{
    set_limit(RLIMIT_NPROC, 1, 1);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    show("root forks beyond NPROC", pid > 0 ? 0 : -1);
    waitpid(pid, NULL, 0);
}

/* ---- memory ---- */

static void address_space(void)
{
    set_limit(RLIMIT_AS, 256 * MiB, 256 * MiB);
    void *p = mmap(NULL, 512 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mmap 512 MiB under AS 256 MiB", p == MAP_FAILED ? -1 : 0);
    p = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mmap 1 MiB", p == MAP_FAILED ? -1 : 0);
    long start = syscall(SYS_brk, 0);
    show("brk 512 MiB on", syscall(SYS_brk, start + 512 * MiB) == start ? -1 : 0);
    show("brk 64 KiB on", syscall(SYS_brk, start + 65536) == start + 65536 ? 0 : -1);
}

static void data(void)
{
    set_limit(RLIMIT_DATA, 64 * MiB, 64 * MiB);
    void *p = mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = p == MAP_FAILED ? errno : 0;
    show("private writable 128 MiB under DATA 64 MiB", p == MAP_FAILED ? -1 : 0);
    p = mmap(NULL, 128 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("read-only 128 MiB", p == MAP_FAILED ? -1 : 0);
    p = mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    show("shared writable 128 MiB", p == MAP_FAILED ? -1 : 0);
    long start = syscall(SYS_brk, 0);
    show("brk 128 MiB on", syscall(SYS_brk, start + 128 * MiB) == start ? -1 : 0);
    show("brk 64 KiB on", syscall(SYS_brk, start + 65536) == start + 65536 ? 0 : -1);
}

static int recurse(int depth)
{
    volatile char frame[4096];
    frame[0] = (char)depth;
    frame[4095] = frame[0];
    return depth ? recurse(depth - 1) + frame[4095] : 0;
}

static void stack_ok(void)
{
    set_limit(RLIMIT_STACK, 1 * MiB, 1 * MiB);
    recurse(128); /* 512 KiB */
    printf("512 KiB of stack under a 1 MiB limit\n");
}

static void stack_overflow(void)
{
    set_limit(RLIMIT_STACK, 1 * MiB, 1 * MiB);
    recurse(512); /* 2 MiB: SIGSEGV */
    printf("2 MiB of stack under a 1 MiB limit\n");
}

/* ---- FSIZE ---- */

static volatile sig_atomic_t signals_seen;
static void count_signal(int sig)
{
    (void)sig;
    signals_seen++;
}

static void fsize(void)
{
    signal(SIGXFSZ, count_signal);
    set_limit(RLIMIT_FSIZE, 4096, 4096);
    char name[] = "/tmp/rlimitsXXXXXX";
    int fd = mkstemp(name);
    unlink(name);
    static char buf[3000];
    show("write 3000", write(fd, buf, 3000));
    show("write 3000 more (short)", write(fd, buf, 3000));
    show("write at the limit", write(fd, buf, 3000));
    printf("SIGXFSZ: %d\n", (int)signals_seen);
    show("write 0 at the limit", write(fd, buf, 0));
    show("pwrite beyond", pwrite(fd, buf, 10, 5000));
    show("ftruncate beyond", ftruncate(fd, 8192));
    show("ftruncate to the limit", ftruncate(fd, 4096));
    show("ftruncate down", ftruncate(fd, 100));
    printf("SIGXFSZ: %d\n", (int)signals_seen);
    int fd2 = open("/dev/null", O_WRONLY);
    show("write to a device ignores FSIZE", write(fd2, buf, 3000));
    int p[2];
    pipe(p);
    show("write to a pipe ignores FSIZE", write(p[1], buf, 3000));
}

static void fsize_default(void)
{
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_FSIZE, 100, 100);
    char name[] = "/tmp/rlimitsXXXXXX";
    int fd = mkstemp(name);
    unlink(name);
    static char buf[200];
    write(fd, buf, 200);
    write(fd, buf, 200);
    printf("not reached\n");
}

/* ---- CPU ---- */

static void on_xcpu(int sig)
{
    (void)sig;
    struct rlimit64_k l;
    prlimit_raw(0, RLIMIT_CPU, NULL, &l);
    char line[64];
    int n = snprintf(line, sizeof(line), "SIGXCPU, soft limit now %llu\n", (unsigned long long)l.cur);
    write(1, line, n);
}

static void cpu(void)
{
    signal(SIGXCPU, on_xcpu);
    set_limit(RLIMIT_CPU, 1, 2);
    for (volatile unsigned long spin = 0;; spin++)
        ;
}

/* ---- SIGPENDING ---- */

static void pending_signals(void)
{
    become(LONELY_UID);
    set_limit(RLIMIT_SIGPENDING, 4, 4);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int queued = 0;
    union sigval v = {0};
    for (int i = 0; i < 8; i++) {
        if (sigqueue(getpid(), SIGRTMIN, v)) {
            show("sigqueue past the limit", -1);
            break;
        }
        queued++;
    }
    printf("queued %d\n", queued);
    show("kill SIGUSR1 past the limit", kill(getpid(), SIGUSR1));
    show("sigqueue SIGUSR2 past the limit", sigqueue(getpid(), SIGUSR2, v));
    struct timespec none = {0, 0};
    siginfo_t info;
    int taken = 0;
    while (sigtimedwait(&set, &info, &none) > 0)
        taken++;
    printf("taken %d\n", taken);
    show("sigqueue after they were taken", sigqueue(getpid(), SIGRTMIN, v));
}

#ifdef __i386__
/* i386's two getrlimit calls read infinity differently. */
static void compat_calls(void)
{
    unsigned int pair[2];
    show("old getrlimit", syscall(SYS_getrlimit, RLIMIT_AS, pair));
    printf("old getrlimit AS: %x %x\n", pair[0], pair[1]);
    show("ugetrlimit", syscall(SYS_ugetrlimit, RLIMIT_AS, pair));
    printf("ugetrlimit AS: %x %x\n", pair[0], pair[1]);
    pair[0] = 0xffffffff;
    pair[1] = 0xffffffff;
    show("setrlimit AS infinity", syscall(SYS_setrlimit, RLIMIT_AS, pair));
    show_limit("AS", RLIMIT_AS);
    pair[0] = 12345;
    show("setrlimit AS 12345/infinity", syscall(SYS_setrlimit, RLIMIT_AS, pair));
    show_limit("AS", RLIMIT_AS);
}
#endif

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    run("the calls", calls);
    run("an ordinary user's limits", user_calls);
    run("NOFILE", nofile);
    run("NPROC", nproc);
    run("NPROC does not bind root", nproc_root);
    run("AS", address_space);
    run("DATA", data);
    run("STACK within the limit", stack_ok);
    run("STACK beyond the limit", stack_overflow);
    run("FSIZE", fsize);
    run("FSIZE's default action", fsize_default);
    run("CPU", cpu);
    run("SIGPENDING", pending_signals);
#ifdef __i386__
    run("i386's getrlimit calls", compat_calls);
#endif
    return 0;
}
