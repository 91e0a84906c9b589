/*
 * pdeathsig.c - prctl's PR_SET_PDEATHSIG and PR_GET_PDEATHSIG: a process
 * asks for a signal when its parent ends and gets it, as sent by the parent
 * (SI_USER, si_pid the parent's); a fork's child does not inherit the
 * request; a change of effective id ends it; bad signals are EINVAL, a bad
 * pointer EFAULT. The grandchild reports through a pipe the test waits on
 * to its end, so the order of the lines is fixed. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static int get_pdeathsig(void)
{
    int sig = -1;
    prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    return sig;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    show("PR_SET_PDEATHSIG 65", prctl(PR_SET_PDEATHSIG, 65, 0, 0, 0));
    show("PR_SET_PDEATHSIG -1", prctl(PR_SET_PDEATHSIG, -1L, 0, 0, 0));
    show("PR_GET_PDEATHSIG bad pointer", syscall(SYS_prctl, PR_GET_PDEATHSIG, (void *)8, 0, 0, 0));
    printf("PR_GET_PDEATHSIG at first: %d\n", get_pdeathsig());
    show("PR_SET_PDEATHSIG SIGUSR2", prctl(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0));
    printf("PR_GET_PDEATHSIG: %d\n", get_pdeathsig());

    pid_t child = fork();
    if (child == 0) {
        printf("a fork's child: %d\n", get_pdeathsig());
        prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
        setresuid(0, 65534, 0);
        printf("after a change of effective id: %d\n", get_pdeathsig());
        _exit(0);
    }
    waitpid(child, NULL, 0);
    prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);

    int done[2], ready[2];
    pipe(done);
    pipe(ready);
    pid_t parent = fork();
    if (parent == 0) {
        close(done[0]);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            close(ready[0]);
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGUSR1);
            sigprocmask(SIG_BLOCK, &set, NULL);
            prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
            pid_t my_parent = getppid();
            close(ready[1]); /* the parent may end now */
            siginfo_t info;
            int sig = sigwaitinfo(&set, &info);
            printf("the parent ended: signal %s, code %s, from the parent %d\n", sig == SIGUSR1 ? "SIGUSR1" : "other",
                   info.si_code == SI_USER ? "SI_USER" : "other", info.si_pid == my_parent);
            printf("and it is no longer the parent: %d\n", getppid() != my_parent);
            _exit(0); /* closing done[1]: the test's read ends */
        }
        close(ready[1]);
        char c;
        read(ready[0], &c, 1); /* end of file: the grandchild asked */
        _exit(0);
    }
    close(done[1]);
    close(ready[1]);
    waitpid(parent, NULL, 0);
    char c;
    while (read(done[0], &c, 1) > 0)
        ;
    printf("done\n");
    return 0;
}
