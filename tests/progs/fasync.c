/*
 * fasync.c - asynchronous I/O notification as Linux gives it: F_SETOWN and
 * F_GETOWN (a process or a negative process group), F_SETOWN_EX and
 * F_GETOWN_EX, F_SETSIG and F_GETSIG with their errors, O_ASYNC through
 * F_SETFL and through FIOASYNC, a socket's FIOSETOWN/SIOCGPGRP; then SIGIO,
 * or the F_SETSIG signal with si_code, si_band and si_fd, when a pipe, an
 * AF_UNIX, UDP or TCP socket becomes readable or a pipe writable, to this
 * process, its group or another process. The signals are blocked and taken
 * with sigtimedwait: each line says what was pending after an event, so
 * nothing depends on timing. Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIG_A (SIGRTMIN + 1)
#define SIG_B (SIGRTMIN + 2)

static void show(const char *what, long r)
{
    printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static const char *signame(int sig)
{
    static char buf[32];
    if (sig == SIGIO)
        return "SIGIO";
    if (sig >= SIGRTMIN)
        snprintf(buf, sizeof buf, "SIGRTMIN+%d", sig - SIGRTMIN);
    else
        snprintf(buf, sizeof buf, "%d", sig);
    return buf;
}

/* The pending signals of `set`, one line each, without waiting. */
static void take_pending(const char *after, sigset_t *set)
{
    struct timespec zero = {0, 0};
    siginfo_t si;
    int n = 0;
    int sig;
    while ((sig = sigtimedwait(set, &si, &zero)) > 0) {
        n++;
        if (si.si_code == SI_KERNEL)
            printf("%s: %s SI_KERNEL\n", after, signame(sig));
        else
            printf("%s: %s code %d band %#lx fd %d\n", after, signame(sig), si.si_code, (long)si.si_band, si.si_fd);
    }
    if (!n)
        printf("%s: nothing\n", after);
}

/* Waits for one signal of `set` (an event that completes elsewhere: the
 * loopback network), then takes whatever else is pending. */
static void wait_one(const char *after, sigset_t *set)
{
    siginfo_t si;
    int sig = sigwaitinfo(set, &si);
    if (sig < 0) {
        show(after, -1);
        return;
    }
    if (si.si_code == SI_KERNEL)
        printf("%s: %s SI_KERNEL\n", after, signame(sig));
    else
        printf("%s: %s code %d band %#lx fd %d\n", after, signame(sig), si.si_code, (long)si.si_band, si.si_fd);
    struct timespec zero = {0, 0};
    while (sigtimedwait(set, &si, &zero) > 0)
        ; /* TCP may announce more than once */
}

static void owners_and_errors(void)
{
    int p[2];
    pipe(p);
    struct f_owner_ex ex = {99, 99};
    show("F_GETOWN unset", fcntl(p[0], F_GETOWN));
    show("F_GETSIG unset", fcntl(p[0], F_GETSIG));
    show("F_GETOWN_EX unset", fcntl(p[0], F_GETOWN_EX, &ex));
    printf("  type %d pid %d\n", ex.type, ex.pid);
    show("F_SETOWN self", fcntl(p[0], F_SETOWN, getpid()));
    printf("F_GETOWN is self: %d\n", fcntl(p[0], F_GETOWN) == getpid());
    fcntl(p[0], F_GETOWN_EX, &ex);
    printf("F_GETOWN_EX: type %d, is self %d\n", ex.type, ex.pid == getpid());
    show("F_SETOWN my group", fcntl(p[0], F_SETOWN, -getpgrp()));
    printf("F_GETOWN is -group: %d\n", fcntl(p[0], F_GETOWN) == -getpgrp());
    fcntl(p[0], F_GETOWN_EX, &ex);
    printf("F_GETOWN_EX: type %d, is group %d\n", ex.type, ex.pid == getpgrp());
    ex.type = F_OWNER_TID;
    ex.pid = gettid();
    show("F_SETOWN_EX thread", fcntl(p[0], F_SETOWN_EX, &ex));
    ex.pid = 0;
    fcntl(p[0], F_GETOWN_EX, &ex);
    printf("F_GETOWN_EX: type %d, is thread %d\n", ex.type, ex.pid == gettid());
    show("F_SETOWN 0", fcntl(p[0], F_SETOWN, 0));
    fcntl(p[0], F_GETOWN_EX, &ex);
    printf("F_GETOWN_EX after 0: type %d pid %d\n", ex.type, ex.pid);

    pid_t gone = fork();
    if (gone == 0)
        _exit(0);
    waitpid(gone, NULL, 0);
    show("F_SETOWN a reaped pid", fcntl(p[0], F_SETOWN, gone));
    show("F_SETOWN a reaped group", fcntl(p[0], F_SETOWN, -gone));
    ex.type = F_OWNER_PID;
    ex.pid = gone;
    show("F_SETOWN_EX a reaped pid", fcntl(p[0], F_SETOWN_EX, &ex));
    ex.type = 3;
    ex.pid = getpid();
    show("F_SETOWN_EX bad type", fcntl(p[0], F_SETOWN_EX, &ex));
    show("F_SETOWN_EX bad pointer", fcntl(p[0], F_SETOWN_EX, (void *)8));
    show("F_GETOWN_EX bad pointer", fcntl(p[0], F_GETOWN_EX, (void *)8));
    show("F_SETSIG 65", fcntl(p[0], F_SETSIG, 65));
    show("F_SETSIG -1", fcntl(p[0], F_SETSIG, -1));
    show("F_SETSIG 64", fcntl(p[0], F_SETSIG, 64));
    show("F_GETSIG", fcntl(p[0], F_GETSIG));
    show("F_SETSIG 0", fcntl(p[0], F_SETSIG, 0));
    show("F_GETSIG", fcntl(p[0], F_GETSIG));
    show("F_SETOWN on a closed fd", fcntl(99, F_SETOWN, getpid()));
    int on = 1;
    show("FIOSETOWN on a pipe", ioctl(p[0], FIOSETOWN, &on));

    char path[64];
    snprintf(path, sizeof path, "/tmp/sysgate-fasync-%d", (int)getpid());
    int reg = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    show("FIOASYNC on a regular file", ioctl(reg, FIOASYNC, &on));
    int efd = eventfd(0, 0);
    show("FIOASYNC on an eventfd (no SIGIO on Linux)", ioctl(efd, FIOASYNC, &on));
    close(efd);
    show("F_SETFL O_ASYNC on a regular file", fcntl(reg, F_SETFL, O_ASYNC));
    printf("F_GETFL shows O_ASYNC: %d\n", !!(fcntl(reg, F_GETFL) & O_ASYNC));
    show("FIOASYNC on a pipe", ioctl(p[0], FIOASYNC, &on));
    printf("F_GETFL shows O_ASYNC: %d\n", !!(fcntl(p[0], F_GETFL) & O_ASYNC));
    show("FIOASYNC bad pointer", ioctl(p[0], FIOASYNC, (void *)8));
    close(reg);
    close(p[0]);
    close(p[1]);
}

static void pipes(sigset_t *set)
{
    int p[2];
    pipe(p);
    fcntl(p[0], F_SETOWN, getpid());
    write(p[1], "x", 1);
    take_pending("owner set, no O_ASYNC, write", set);
    fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK);
    write(p[1], "x", 1);
    take_pending("O_ASYNC, write", set);
    char buf[16];
    read(p[0], buf, sizeof buf);
    take_pending("read (the reader has O_ASYNC)", set);

    int dupfd = dup2(p[0], 20);
    fcntl(p[0], F_SETSIG, SIG_A);
    write(p[1], "y", 1);
    take_pending("F_SETSIG, write", set);
    int off = 0, on = 1;
    ioctl(p[0], FIOASYNC, &off);
    ioctl(dupfd, FIOASYNC, &on);
    write(p[1], "a", 1);
    write(p[1], "b", 1);
    take_pending("O_ASYNC again through fd 20, two writes", set);
    read(p[0], buf, sizeof buf);
    read(p[0], buf, sizeof buf);
    take_pending("read past the end (EAGAIN)", set);

    fcntl(p[1], F_SETOWN, getpid());
    fcntl(p[1], F_SETSIG, SIG_B);
    fcntl(p[1], F_SETFL, O_ASYNC);
    write(p[1], "c", 1);
    take_pending("both ends O_ASYNC, write", set);
    read(p[0], buf, sizeof buf);
    take_pending("both ends O_ASYNC, read", set);
    close(p[1]);
    take_pending("the writer closes", set);
    close(p[0]);
    close(dupfd);

    /* The last writer going away tells the readers; a group owner gets it. */
    pipe(p);
    fcntl(p[0], F_SETOWN, -getpgrp());
    fcntl(p[0], F_SETFL, O_ASYNC);
    write(p[1], "x", 1);
    take_pending("group owner, write", set);
    close(p[0]);
    close(p[1]);

    /* Another process is the owner: it waits for the signal the write sends. */
    pipe(p);
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        siginfo_t si;
        write(ready[1], "r", 1);
        int sig = sigwaitinfo(set, &si);
        printf("child got %s code %d band %#lx fd %d\n", signame(sig), si.si_code, (long)si.si_band, si.si_fd);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    fcntl(p[0], F_SETOWN, child);
    fcntl(p[0], F_SETSIG, SIG_A);
    fcntl(p[0], F_SETFL, O_ASYNC);
    write(p[1], "x", 1);
    waitpid(child, NULL, 0);
    take_pending("after the child's signal (none here)", set);
    close(p[0]);
    close(p[1]);
    close(ready[0]);
    close(ready[1]);

    /* An owner set by an unprivileged user may not signal root's process (sigio_perm). */
    pipe(p);
    fcntl(p[0], F_SETFL, O_ASYNC);
    child = fork();
    if (child == 0) {
        if (setuid(65534) == 0)
            show("unprivileged F_SETOWN of root's process", fcntl(p[0], F_SETOWN, getppid()));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    write(p[1], "x", 1);
    take_pending("owner set by another user, write", set);
    fcntl(p[0], F_SETOWN, getpid());
    write(p[1], "x", 1);
    take_pending("owner set by root, write", set);
    close(p[0]);
    close(p[1]);
}

static void unix_sockets(sigset_t *set)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int me = getpid(), owner = 0;
    show("SIOCSPGRP", ioctl(sv[0], SIOCSPGRP, &me));
    show("FIOGETOWN", ioctl(sv[0], FIOGETOWN, &owner));
    printf("  is self: %d\n", owner == me);
    show("SIOCGPGRP bad pointer", ioctl(sv[0], SIOCGPGRP, (void *)8));
    int on = 1;
    show("FIOASYNC on a socket", ioctl(sv[0], FIOASYNC, &on));
    write(sv[1], "x", 1);
    take_pending("stream socket, peer writes", set);
    fcntl(sv[0], F_SETSIG, SIG_A);
    write(sv[1], "y", 1);
    take_pending("F_SETSIG, peer writes", set);
    close(sv[0]);
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    fcntl(sv[0], F_SETOWN, getpid());
    fcntl(sv[0], F_SETSIG, SIG_A);
    fcntl(sv[0], F_SETFL, O_ASYNC);
    send(sv[1], "a", 1, 0);
    send(sv[1], "b", 1, 0);
    take_pending("datagram socket, two datagrams", set);
    close(sv[0]);
    close(sv[1]);
}

static void inet_sockets(sigset_t *set)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    bind(u, (struct sockaddr *)&addr, sizeof addr);
    getsockname(u, (struct sockaddr *)&addr, &len);
    fcntl(u, F_SETOWN, getpid());
    fcntl(u, F_SETSIG, SIG_A);
    fcntl(u, F_SETFL, O_ASYNC);
    sendto(u, "d", 1, 0, (struct sockaddr *)&addr, sizeof addr);
    wait_one("UDP datagram", set);
    close(u);

    addr.sin_port = 0;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&addr, sizeof addr);
    len = sizeof addr;
    getsockname(l, (struct sockaddr *)&addr, &len);
    listen(l, 4);
    fcntl(l, F_SETOWN, getpid());
    fcntl(l, F_SETFL, O_ASYNC);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&addr, sizeof addr);
    wait_one("TCP listener, a connection", set);
    int a = accept(l, NULL, NULL);
    fcntl(a, F_SETOWN, getpid());
    fcntl(a, F_SETSIG, SIG_B);
    fcntl(a, F_SETFL, O_ASYNC);
    write(c, "t", 1);
    wait_one("TCP connection, data", set);
    close(a);
    close(c);
    close(l);
}

static void one_signal(const char *after, sigset_t *set)
{
    siginfo_t si;
    int sig = sigwaitinfo(set, &si);
    if (si.si_code == SI_KERNEL)
        printf("%s: %s SI_KERNEL\n", after, signame(sig));
    else
        printf("%s: %s code %d band %#lx fd %d\n", after, signame(sig), si.si_code, (long)si.si_band, si.si_fd);
}

/* A child that opens the file (blocking unless O_NONBLOCK) and says when its
 * open returned. It lets go of its copy of the holder's descriptor: the lease
 * is the open file's, which the holder's close then ends. */
static pid_t opener(const char *path, int flags, const char *what, int holder)
{
    pid_t pid = fork();
    if (pid == 0) {
        close(holder);
        int fd = open(path, flags);
        printf("child's %s returned: %d%s%s\n", what, fd < 0 ? -1 : 0, fd < 0 ? " " : "", fd < 0 ? strerror(errno) : "");
        _exit(0);
    }
    return pid;
}

static void leases(sigset_t *set)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/sysgate-lease-%d", (int)getpid());
    int init = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(init, "contents", 8);
    close(init);
    int h = open(path, O_RDONLY);
    int p[2];
    pipe(p);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    show("F_SETLEASE on a pipe", fcntl(p[0], F_SETLEASE, F_RDLCK));
    show("F_SETLEASE on a directory", fcntl(dir, F_SETLEASE, F_RDLCK));
    show("F_SETLEASE bad type", fcntl(h, F_SETLEASE, 3));
    show("F_GETLEASE none", fcntl(h, F_GETLEASE));
    show("F_SETLEASE F_UNLCK without a lease", fcntl(h, F_SETLEASE, F_UNLCK));
    close(p[0]);
    close(p[1]);
    close(dir);
    int other = open(path, O_RDONLY);
    show("F_WRLCK with another reader", fcntl(h, F_SETLEASE, F_WRLCK));
    show("F_RDLCK with another reader", fcntl(h, F_SETLEASE, F_RDLCK));
    show("F_UNLCK", fcntl(h, F_SETLEASE, F_UNLCK));
    close(other);
    int w = open(path, O_RDWR);
    show("F_RDLCK on a writable descriptor", fcntl(w, F_SETLEASE, F_RDLCK));
    show("F_RDLCK with a writer elsewhere", fcntl(h, F_SETLEASE, F_RDLCK));
    close(w);

    pid_t child = fork();
    if (child == 0) {
        setuid(65534);
        int fd = open(path, O_RDONLY);
        show("F_SETLEASE by another user", fcntl(fd, F_SETLEASE, F_RDLCK));
        _exit(0);
    }
    waitpid(child, NULL, 0);

    show("F_WRLCK, the only open", fcntl(h, F_SETLEASE, F_WRLCK));
    show("F_GETLEASE", fcntl(h, F_GETLEASE));
    fcntl(h, F_SETSIG, SIG_A);
    show("our own non-blocking write open", open(path, O_WRONLY | O_NONBLOCK)); /* the holder breaks its own lease too */
    take_pending("after our own non-blocking write open", set);
    show("F_GETLEASE while broken by us", fcntl(h, F_GETLEASE));
    show("F_UNLCK", fcntl(h, F_SETLEASE, F_UNLCK));
    show("F_GETOWN after F_UNLCK", fcntl(h, F_GETOWN));
    show("F_GETSIG after F_UNLCK", fcntl(h, F_GETSIG));
    show("F_WRLCK again", fcntl(h, F_SETLEASE, F_WRLCK));
    printf("the lease made us the owner: %d\n", fcntl(h, F_GETOWN) == getpid());
    waitpid(opener(path, O_WRONLY | O_TRUNC | O_NONBLOCK, "non-blocking truncating open", h), NULL, 0);
    take_pending("after a non-blocking truncating open", set);
    show("F_UNLCK", fcntl(h, F_SETLEASE, F_UNLCK));
    struct stat st;
    fstat(h, &st);
    printf("the refused O_TRUNC left %ld bytes\n", (long)st.st_size);
    show("F_WRLCK again", fcntl(h, F_SETLEASE, F_WRLCK));
    waitpid(opener(path, O_RDONLY | O_NONBLOCK, "non-blocking read open", h), NULL, 0);
    take_pending("after a non-blocking read open", set);
    show("F_GETLEASE while broken", fcntl(h, F_GETLEASE));
    show("downgrade to F_RDLCK", fcntl(h, F_SETLEASE, F_RDLCK));
    show("F_GETLEASE", fcntl(h, F_GETLEASE));
    show("back to F_WRLCK", fcntl(h, F_SETLEASE, F_WRLCK));

    /* The opener waits until the holder downgrades: the holder's lines come first. */
    child = opener(path, O_RDONLY, "read open", h);
    one_signal("a read open breaks the write lease", set);
    show("F_GETLEASE while broken", fcntl(h, F_GETLEASE));
    long r = fcntl(h, F_SETLEASE, F_RDLCK);
    waitpid(child, NULL, 0); /* its line comes before the result's */
    show("downgrade to F_RDLCK", r);

    child = opener(path, O_WRONLY, "write open", h);
    one_signal("a write open breaks the read lease", set);
    show("F_GETLEASE while broken", fcntl(h, F_GETLEASE));
    show("another F_RDLCK while broken", fcntl(h, F_SETLEASE, F_RDLCK));
    r = fcntl(h, F_SETLEASE, F_UNLCK);
    waitpid(child, NULL, 0);
    show("F_UNLCK", r);
    show("F_GETLEASE", fcntl(h, F_GETLEASE));

    /* Closing the holder ends the lease too; plain SIGIO without F_SETSIG. */
    fcntl(h, F_SETSIG, 0);
    show("F_RDLCK", fcntl(h, F_SETLEASE, F_RDLCK));
    child = opener(path, O_RDWR, "read-write open", h);
    one_signal("a read-write open breaks the read lease", set);
    close(h);
    waitpid(child, NULL, 0);
    take_pending("at the end", set);
    unlink(path);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIG_A);
    sigaddset(&set, SIG_B);
    sigprocmask(SIG_BLOCK, &set, NULL);
    setpgid(0, 0); /* a group of its own: a group owner's SIGIO reaches no runner */
    owners_and_errors();
    pipes(&set);
    unix_sockets(&set);
    inet_sockets(&set);
    leases(&set);
    return 0;
}
