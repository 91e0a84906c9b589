/*
 * init: the first process of `sysgate shell`. It mounts a tmpfs on /tmp
 * (the kernel mounted /proc and /dev at boot), greets the user, runs the
 * shell on the console as its own session and foreground process group,
 * reaps every orphan that ends up as its child, and exits with the shell's
 * status, which powers the machine off with that status. busybox's halt and
 * poweroff ask init by SIGUSR1 and SIGUSR2, as for busybox's own init: the
 * machine powers off with status 0; reboot (SIGTERM) is not supported.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

static const char greeting[] =
    "\n"
    "sysgate: a small kernel that speaks Linux's system-call interface.\n"
    "Try: iam NAME; whoami; kstack_size; exit42-syscall64 (and -int80_64, -int80_32,\n"
    "     -sysenter, -vsyscall); busybox applets. 'exit' powers the machine off.\n"
    "\n";

static void power_off(int sig)
{
    (void)sig;
    sync();
    reboot(RB_POWER_OFF);
}

static void refuse_reboot(int sig)
{
    (void)sig;
    static const char message[] = "init: restarting is not supported; 'poweroff' or 'exit' ends the system\n";
    write(2, message, sizeof(message) - 1);
}

int main(void)
{
    signal(SIGUSR1, power_off);
    signal(SIGUSR2, power_off);
    signal(SIGTERM, refuse_reboot);
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
        perror("init: mounting /tmp");
    fputs(greeting, stdout);
    fflush(stdout);
    pid_t shell = fork();
    if (shell < 0) {
        perror("init: fork");
        return 1;
    }
    if (shell == 0) {
        signal(SIGUSR1, SIG_DFL);
        signal(SIGUSR2, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        setsid();
        ioctl(0, TIOCSCTTY, 0);
        tcsetpgrp(0, getpid());
        char *argv[] = {"-sh", NULL};
        char *envp[] = {"HOME=/", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=linux", "PS1=sysgate:\\w# ", NULL};
        execve("/bin/sh", argv, envp);
        perror("init: /bin/sh");
        _exit(127);
    }
    for (;;) {
        int status;
        pid_t pid = wait(&status);
        if (pid == shell)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (pid < 0 && errno == ECHILD)
            return 1;
    }
}
