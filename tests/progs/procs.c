/*
 * procs.c - processes as Linux makes them: fork and wait4 with exit codes,
 * copy-on-write memory, pipes between parent and child, dup2, vfork, execve
 * (of itself, through AT_EXECFN), waitpid with WNOHANG, ECHILD, waitid, and
 * pipe end-of-file and EPIPE semantics, CLONE_CHILD_SETTID in a new process.
 * Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int big[100000]; /* 400 KB to copy on write */

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("exec'd: argv[1]=%s argc=%d\n", argv[1], argc);
        return 7;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    int status;

    /* exit codes through wait */
    for (int code = 0; code < 3; code++) {
        pid_t p = fork();
        if (p == 0)
            _exit(code * 40);
        pid_t w = waitpid(p, &status, 0);
        printf("child exited %d (reaped the right one: %s)\n", WEXITSTATUS(status), w == p ? "yes" : "no");
    }

    /* copy on write: the child's writes stay in the child */
    for (int i = 0; i < 100000; i++)
        big[i] = i;
    pid_t p = fork();
    if (p == 0) {
        for (int i = 0; i < 100000; i++)
            big[i] = -1;
        _exit(big[5] == -1 ? 0 : 1);
    }
    waitpid(p, &status, 0);
    printf("child wrote its copy: %s; parent's intact: %s\n", WEXITSTATUS(status) == 0 ? "yes" : "no",
           big[99999] == 99999 && big[5] == 5 ? "yes" : "no");

    /* a pipe from child to parent, the child's stdout redirected with dup2 */
    int fds[2];
    pipe(fds);
    p = fork();
    if (p == 0) {
        close(fds[0]);
        dup2(fds[1], 1);
        close(fds[1]);
        printf("through the pipe\n");
        _exit(0);
    }
    close(fds[1]);
    char buf[128];
    size_t got = 0;
    ssize_t n;
    while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = 0;
    printf("parent read \"%s\" then end of file (%zd)\n", strtok(buf, "\n"), n);
    close(fds[0]);
    waitpid(p, &status, 0);

    /* writing to a pipe nobody reads: EPIPE once SIGPIPE is ignored */
    signal(SIGPIPE, SIG_IGN);
    pipe(fds);
    close(fds[0]);
    errno = 0;
    n = write(fds[1], "x", 1);
    printf("write to a pipe without readers: %zd %s\n", n, strerror(errno));
    close(fds[1]);

    /* vfork: the parent waits until the child exits */
    p = vfork();
    if (p == 0)
        _exit(4);
    waitpid(p, &status, 0);
    printf("vfork child exited %d\n", WEXITSTATUS(status));

    /* execve of this program */
    p = fork();
    if (p == 0) {
        const char *self = (const char *)getauxval(AT_EXECFN);
        execl(self, "procs", "hello", (char *)NULL);
        _exit(99);
    }
    waitpid(p, &status, 0);
    printf("exec'd child exited %d\n", WEXITSTATUS(status));

    /* WNOHANG while the child still runs, then waitid */
    pipe(fds);
    p = fork();
    if (p == 0) {
        close(fds[1]);
        read(fds[0], buf, 1); /* until the parent closes its end */
        _exit(5);
    }
    close(fds[0]);
    printf("WNOHANG while running: %d\n", waitpid(p, &status, WNOHANG));
    close(fds[1]);
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int r = waitid(P_PID, p, &info, WEXITED);
    printf("waitid: %d, code %s, status %d, pid matches: %s\n", r, info.si_code == CLD_EXITED ? "CLD_EXITED" : "?",
           info.si_status, info.si_pid == p ? "yes" : "no");

    errno = 0;
    r = wait(&status);
    printf("wait with no children: %d %s\n", r, strerror(errno));
    printf("getppid of a child is my pid: ");
    p = fork();
    if (p == 0)
        _exit(getppid() == getpid() ? 2 : 0);
    pid_t me = getpid();
    p = fork();
    if (p == 0)
        _exit(getppid() == me ? 0 : 1);
    waitpid(p, &status, 0);
    printf("%s\n", WEXITSTATUS(status) == 0 ? "yes" : "no");
    while (wait(&status) > 0)
        ;

    /* CLONE_CHILD_SETTID without CLONE_VM: the child's own copy of the word
     * gets its pid, the parent's copy stays as it was. */
    static volatile int tid_word = -1;
#if defined(__x86_64__)
    p = (pid_t)syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL, &tid_word, NULL);
#else /* i386 passes tls before child_tid */
    p = (pid_t)syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL, NULL, &tid_word);
#endif
    if (p == 0)
        _exit(tid_word == getpid() ? 0 : 1);
    waitpid(p, &status, 0);
    printf("CLONE_CHILD_SETTID in a new process: child's word %s, parent's %s\n",
           WEXITSTATUS(status) == 0 ? "is its pid" : "wrong", tid_word == -1 ? "untouched" : "changed");
    return 0;
}
