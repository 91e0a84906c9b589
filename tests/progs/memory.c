/*
 * memory.c - the memory calls' edge cases: mmap's errors (a closed
 * descriptor, MAP_SHARED_VALIDATE's unknown flags, MAP_FIXED_NOREPLACE),
 * mprotect of a read-only file's shared mapping, SIGBUS past the end of a
 * mapped file, MAP_GROWSDOWN, mlock and friends (VmLck), mincore,
 * MAP_POPULATE, process_vm_readv/writev. Prints one line per check with
 * the result or errno name; the same on the host and on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#define PAGE 4096

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "ok";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case ENOMEM: return "ENOMEM";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EFAULT: return "EFAULT";
    case ESRCH: return "ESRCH";
    case EPERM: return "EPERM";
    case ENODEV: return "ENODEV";
    case EAGAIN: return "EAGAIN";
    default: return strerror(e);
    }
}

static void show(const char *what, long result)
{
    printf("%s: %s\n", what, result == -1 ? err_name(errno) : "ok");
}

static void show_map(const char *what, void *p)
{
    printf("%s: %s\n", what, p == MAP_FAILED ? err_name(errno) : "mapped");
    if (p != MAP_FAILED)
        munmap(p, PAGE);
}

static char tmpfile_path[64];

static int scratch_file(size_t size)
{
    strcpy(tmpfile_path, "/tmp/memory-XXXXXX");
    int fd = mkstemp(tmpfile_path);
    unlink(tmpfile_path);
    if (ftruncate(fd, (off_t)size))
        perror("ftruncate");
    return fd;
}

static sigjmp_buf jump;
static volatile int caught;
static void on_signal(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx, (void)info;
    caught = sig;
    siglongjmp(jump, 1);
}

/* Touches one byte: the signal it raised, 0 for none. */
static int touch(volatile char *p, int write)
{
    caught = 0;
    if (!sigsetjmp(jump, 1)) {
        if (write)
            *p = 1;
        else
            (void)*p;
    }
    return caught;
}

static void mmap_errors(void)
{
    int fd = scratch_file(PAGE);
    int closed = dup(fd);
    close(closed);
    show_map("mmap closed fd", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, closed, 0));
    show_map("mmap fd -1 without MAP_ANONYMOUS", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, -1, 0));
    show_map("mmap MAP_SHARED_VALIDATE", mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE, fd, 0));
    show_map("mmap MAP_SHARED_VALIDATE unknown flag",
             mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x2000000, fd, 0));
    show_map("mmap anonymous MAP_SHARED_VALIDATE",
             mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
    show_map("mmap MAP_SHARED_VALIDATE MAP_FIXED_NOREPLACE",
             mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, fd, 0));
    show_map("mmap MAP_SHARED unknown flag", mmap(NULL, PAGE, PROT_READ, MAP_SHARED | 0x2000000, fd, 0));
    char *a = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show_map("MAP_FIXED_NOREPLACE over a mapping",
             mmap(a + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
    munmap(a + PAGE, PAGE);
    char *b = mmap(a + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE in a hole: %s\n", b == a + PAGE ? "there" : err_name(errno));
    munmap(a, 2 * PAGE);
    show_map("mmap len 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    show_map("mmap offset not aligned", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100));
    show_map("mmap neither private nor shared", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0));

    int ro = open("/proc/self/exe", O_RDONLY);
    char *shared = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
    show("mprotect PROT_WRITE, shared read-only file", mprotect(shared, PAGE, PROT_READ | PROT_WRITE));
    munmap(shared, PAGE);
    char *private = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, 0);
    show("mprotect PROT_WRITE, private read-only file", mprotect(private, PAGE, PROT_READ | PROT_WRITE));
    munmap(private, PAGE);
    show_map("mmap PROT_WRITE MAP_SHARED of O_RDONLY", mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
    close(ro);
    close(fd);
}

static void sigbus(void)
{
    int fd = scratch_file(100);
    char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("touch within the file's last page: signal %d\n", touch(p + 200, 1));
    printf("touch a page past the end of the file: signal %d\n", touch(p + PAGE + 10, 0));
    printf("write a page past the end of the file: signal %d\n", touch(p + 2 * PAGE, 1));
    if (ftruncate(fd, 2 * PAGE))
        perror("ftruncate");
    printf("after the file grew: signal %d\n", touch(p + PAGE + 10, 1));
    munmap(p, 3 * PAGE);
    char *priv = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    ftruncate(fd, 10);
    printf("private mapping past a truncated end: signal %d\n", touch(priv + PAGE, 0));
    munmap(priv, 2 * PAGE);
    close(fd);
}

static void growsdown(void)
{
    /* A hole below wider than the guard gap (256 pages), so that growth has room. */
    enum { HOLE = 512 };
    char *area = mmap(NULL, HOLE * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area, HOLE * PAGE);
    char *top = mmap(area + (HOLE - 4) * PAGE, PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
    printf("MAP_GROWSDOWN: %s\n", top == MAP_FAILED ? err_name(errno) : "mapped");
    if (top == MAP_FAILED)
        return;
    printf("touch the mapping: signal %d\n", touch(top, 1));
    printf("touch the page below: signal %d\n", touch(top - PAGE + 8, 1));
    printf("touch 3 pages below: signal %d\n", touch(top - 3 * PAGE + 8, 1));
    unsigned char vec[8];
    printf("mincore of the grown pages: %s\n",
           mincore(top - 3 * PAGE, 3 * PAGE, vec) ? err_name(errno) : "mapped");
    munmap(area, HOLE * PAGE);
    show_map("MAP_GROWSDOWN shared anonymous",
             mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
}

/* VmLck of /proc/self/status, in kB. */
static long vm_locked(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    char *p = strstr(buf, "VmLck:");
    return p ? atol(p + 6) : -1;
}

static void locking(void)
{
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long before = vm_locked();
    show("mlock 2 pages", mlock(p, 2 * PAGE));
    printf("VmLck grew by %ld kB\n", vm_locked() - before);
    show("mlock again (no double count)", mlock(p, PAGE));
    printf("VmLck grew by %ld kB\n", vm_locked() - before);
    show("munlock 1 page", munlock(p, PAGE));
    printf("VmLck grew by %ld kB\n", vm_locked() - before);
    show("mlock2 MLOCK_ONFAULT", syscall(SYS_mlock2, p + 2 * PAGE, PAGE, MLOCK_ONFAULT));
    show("mlock2 bad flags", syscall(SYS_mlock2, p, PAGE, 8));
    show("mlock unmapped", mlock(p + 8 * PAGE + (1 << 20), PAGE));
    show("munlock all four", munlock(p, 4 * PAGE));
    printf("VmLck grew by %ld kB\n", vm_locked() - before);
    show("mlockall bad flags", mlockall(0));
    show("mlockall MCL_CURRENT", mlockall(MCL_CURRENT));
    printf("VmLck positive: %s\n", vm_locked() > 0 ? "yes" : "no");
    show("munlockall", munlockall());
    printf("VmLck after munlockall: %ld kB\n", vm_locked());
    munmap(p, 4 * PAGE);

    unsigned char vec[4];
    p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1, p[2 * PAGE] = 1;
    show("mincore", mincore(p, 4 * PAGE, vec));
    printf("mincore residency: %d%d%d%d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    show("mincore unaligned", mincore(p + 1, PAGE, vec));
    show("mincore unmapped", mincore(p + 64 * PAGE + (1 << 24), PAGE, vec));
    show("mincore bad vector", mincore(p, PAGE, (unsigned char *)8));
    munmap(p, 4 * PAGE);
    p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    mincore(p, 4 * PAGE, vec);
    printf("MAP_POPULATE residency: %d%d%d%d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    munmap(p, 4 * PAGE);
}

static char child_data[64] = "the child's own bytes";

static void cross_process(void)
{
    int ready[2], done[2];
    pipe(ready), pipe(done);
    pid_t child = fork();
    if (child == 0) {
        char c;
        write(ready[1], "r", 1);
        read(done[0], &c, 1);
        _exit(strcmp(child_data, "written by the parent") == 0 ? 0 : 1);
    }
    char c;
    read(ready[0], &c, 1);
    char buf[64] = {0};
    struct iovec local = {buf, sizeof(buf)}, remote = {child_data, 22};
    long n = process_vm_readv(child, &local, 1, &remote, 1, 0);
    printf("process_vm_readv: %ld \"%s\"\n", n, n > 0 ? buf : err_name(errno));
    static char message[] = "written by the parent";
    struct iovec src = {message, sizeof(message)}, dst = {child_data, sizeof(message)};
    printf("process_vm_writev: %ld\n", (long)process_vm_writev(child, &src, 1, &dst, 1, 0));
    struct iovec bad = {(void *)16, 8};
    show("process_vm_readv from an unmapped address", process_vm_readv(child, &local, 1, &bad, 1, 0));
    show("process_vm_readv flags", process_vm_readv(child, &local, 1, &remote, 1, 1));
    show("process_vm_readv no such process", process_vm_readv(999999, &local, 1, &remote, 1, 0));
    write(done[1], "d", 1);
    int status;
    waitpid(child, &status, 0);
    printf("child saw the write: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_NODEFER};
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    setvbuf(stdout, NULL, _IONBF, 0);
    mmap_errors();
    sigbus();
    growsdown();
    locking();
    cross_process();
    return 0;
}
