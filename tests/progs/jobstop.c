/*
 * jobstop.c - what a shell's job control relies on: a stopped child is
 * reported by waitid(WSTOPPED) and waitpid(WUNTRACED), a continued one by
 * WCONTINUED (CLD_CONTINUED, WIFCONTINUED), each once; SIGCHLD comes for
 * stops and continues unless SA_NOCLDSTOP; WNOWAIT leaves the report in
 * place. Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int sigchlds;
static void on_chld(int sig) { (void)sig; sigchlds++; }

static void use_nocldstop(int on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_RESTART | (on ? SA_NOCLDSTOP : 0);
    sigaction(SIGCHLD, &sa, NULL);
}

static pid_t spawn_stopping_child(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            raise(SIGSTOP);
            usleep(300000); /* time for the parent to see the continue before the next stop */
        }
    }
    return pid;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    use_nocldstop(0);
    pid_t pid = spawn_stopping_child();
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, (id_t)pid, &si, WSTOPPED | WNOWAIT);
    printf("waitid WSTOPPED|WNOWAIT: %d code %d status %d\n", r, si.si_code == CLD_STOPPED, si.si_status);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, (id_t)pid, &si, WSTOPPED);
    printf("waitid WSTOPPED: %d code %d status %d pid ok %d\n", r, si.si_code == CLD_STOPPED, si.si_status, si.si_pid == pid);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, (id_t)pid, &si, WSTOPPED | WNOHANG);
    printf("reported once: %d pid %d\n", r, si.si_pid);
    printf("SIGCHLD for the stop: %d\n", sigchlds);

    kill(pid, SIGCONT);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, (id_t)pid, &si, WCONTINUED);
    printf("waitid WCONTINUED: %d code %d status %d\n", r, si.si_code == CLD_CONTINUED, si.si_status);
    /* (Linux sends the continue's SIGCHLD when the child next runs: when exactly is not compared.) */

    /* it stops again at once */
    int status = 0;
    pid_t got = waitpid(pid, &status, WUNTRACED | WCONTINUED);
    printf("waitpid: %d stopped %d by %d\n", got == pid, WIFSTOPPED(status), WSTOPSIG(status));
    kill(pid, SIGCONT);
    got = waitpid(pid, &status, WUNTRACED | WCONTINUED);
    printf("waitpid: %d continued %d\n", got == pid, WIFCONTINUED(status));
    got = waitpid(pid, &status, WUNTRACED);
    printf("stopped again: %d\n", got == pid && WIFSTOPPED(status));

    use_nocldstop(1);
    kill(pid, SIGCONT);
    waitpid(pid, &status, WCONTINUED);
    usleep(100000); /* the continue's SIGCHLD has come by now */
    int before = sigchlds;
    got = waitpid(pid, &status, WUNTRACED);
    printf("with SA_NOCLDSTOP: stopped %d, SIGCHLDs %d\n", got == pid && WIFSTOPPED(status), sigchlds - before);
    kill(pid, SIGKILL);
    got = waitpid(pid, &status, 0);
    printf("killed: %d by %d, SIGCHLD for the death %d\n", WIFSIGNALED(status), WTERMSIG(status), sigchlds - before);
    errno = 0;
    r = waitid(P_ALL, 0, &si, WSTOPPED | WNOHANG);
    printf("no children: %d %s\n", r, strerror(errno));
    return 0;
}
