/*
 * ttyasync.c - O_ASYNC on a terminal (run on one, typed at by
 * tests/interactive/ttyasync.script): turning it on with no owner makes the
 * terminal's foreground process group the owner (Linux's __tty_fasync),
 * an owner already set stays; a complete line in canonical mode brings
 * SIGIO, or the F_SETSIG signal with si_code POLL_IN, si_band
 * POLLIN|POLLRDNORM and si_fd; in raw mode a single byte does; with O_ASYNC
 * off input brings nothing. Exits 0, or 2 when stdin is no terminal.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t sigio_count, rt_count, rt_code, rt_fd;
static volatile long rt_band;

static void on_sigio(int sig) { (void)sig, sigio_count++; }

static void on_rt(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    rt_count++;
    rt_code = info->si_code;
    rt_band = info->si_band;
    rt_fd = info->si_fd;
}

/* Sleeps with the signals unblocked until `counter` moves. */
static void wait_for(volatile sig_atomic_t *counter)
{
    sigset_t open;
    sigemptyset(&open);
    while (!*counter)
        sigsuspend(&open);
}

static void read_line(const char *what)
{
    char line[128];
    ssize_t n = read(0, line, sizeof(line) - 1);
    if (n < 0)
        n = 0;
    line[n] = 0;
    line[strcspn(line, "\n")] = 0;
    printf("%s: \"%s\"\n", what, line);
}

static void set_async(int on)
{
    int flags = fcntl(0, F_GETFL);
    fcntl(0, F_SETFL, on ? flags | O_ASYNC : flags & ~O_ASYNC);
}

/* Drops a SIGIO a later byte of the same typing may have left pending. */
static void forget_sigio(void)
{
    signal(SIGIO, SIG_IGN);
    signal(SIGIO, on_sigio);
    sigio_count = 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!isatty(0)) {
        printf("stdin is not a terminal\n");
        return 2;
    }
    /* The terminal as the controlling one of a session of our own, whoever started us
     * (a no-op for a session leader that has it already). */
    setsid();
    ioctl(0, TIOCSCTTY, 0);
    int rt = SIGRTMIN + 1;
    struct sigaction sa = {.sa_handler = on_sigio};
    sigaction(SIGIO, &sa, NULL);
    struct sigaction rsa = {.sa_sigaction = on_rt, .sa_flags = SA_SIGINFO};
    sigaction(rt, &rsa, NULL);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGIO);
    sigaddset(&blocked, rt);
    sigprocmask(SIG_BLOCK, &blocked, NULL);

    printf("owner before O_ASYNC: %d\n", fcntl(0, F_GETOWN));
    set_async(1);
    int owner = fcntl(0, F_GETOWN);
    printf("owner after O_ASYNC: %s\n", owner == -tcgetpgrp(0) ? "the foreground group"
                                        : owner == getpid()    ? "this process"
                                                               : "other");
    printf("O_ASYNC in F_GETFL: %d\n", !!(fcntl(0, F_GETFL) & O_ASYNC));
    printf("type a line\n");
    wait_for(&sigio_count);
    printf("SIGIO for a line\n");
    read_line("line");

    fcntl(0, F_SETSIG, rt);
    sigio_count = 0;
    printf("type another line\n");
    wait_for(&rt_count);
    printf("F_SETSIG signal: code %s band %#lx fd %d, SIGIO too %d\n", rt_code == POLL_IN ? "POLL_IN" : "other",
           rt_band, rt_fd, sigio_count);
    read_line("line");

    fcntl(0, F_SETSIG, 0);
    struct termios saved, raw;
    tcgetattr(0, &saved);
    raw = saved;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &raw);
    sigio_count = 0;
    printf("press a key\n");
    wait_for(&sigio_count);
    char key = 0;
    printf("SIGIO for a key: %zd", read(0, &key, 1));
    printf(" byte %d\n", key);
    tcsetattr(0, TCSAFLUSH, &saved);
    set_async(0);
    forget_sigio();

    printf("type a quiet line\n");
    struct pollfd p = {0, POLLIN, 0};
    poll(&p, 1, -1);
    sigset_t pending;
    sigpending(&pending);
    printf("with O_ASYNC off, SIGIO pending %d\n", sigismember(&pending, SIGIO));
    read_line("line");

    fcntl(0, F_SETOWN, getpid());
    set_async(1);
    owner = fcntl(0, F_GETOWN);
    printf("owner set before O_ASYNC stays: %d\n", owner == getpid());
    set_async(0);
    printf("done\n");
    return 0;
}
