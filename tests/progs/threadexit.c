/*
 * threadexit.c - a child process with a second thread ends: its parent's
 * waitpid returns once every thread is gone, with exit_group's code or the
 * fatal signal, and SIGCHLD comes only then. Cases: exit() from the main
 * thread while the other sleeps; exit_group from the other thread; the main
 * thread's pthread_exit, then the other's exit (whole group, or alone);
 * SIGTERM from the parent with and without a live main thread; and many
 * such children in a row (threads are freed: fork keeps working).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ready_pipe[2];

static void say_ready(void)
{
    char c = 'r';
    if (write(ready_pipe[1], &c, 1) != 1)
        _exit(99);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts))
        ;
}

static void *sleeper(void *arg)
{
    (void)arg;
    say_ready();
    for (;;)
        pause();
    return NULL;
}

static void *exit_group_later(void *arg)
{
    sleep_ms(20);
    syscall(SYS_exit_group, (int)(long)arg);
    return NULL;
}

static void *exit_alone_later(void *arg)
{
    sleep_ms(20);
    syscall(SYS_exit, (int)(long)arg);
    return NULL;
}

static volatile pid_t other_tid;

static void *report_tid_and_exit_alone(void *arg)
{
    other_tid = (pid_t)syscall(SYS_gettid);
    syscall(SYS_exit, (int)(long)arg);
    return NULL;
}

static void *exit_process_later(void *arg)
{
    sleep_ms(20);
    exit((int)(long)arg);
}

static void start(void *(*fn)(void *), long arg)
{
    pthread_t t;
    if (pthread_create(&t, NULL, fn, (void *)arg))
        _exit(98);
}

enum scenario { MAIN_EXITS, THREAD_EXIT_GROUP, MAIN_PTHREAD_EXIT_THEN_EXIT, MAIN_PTHREAD_EXIT_THEN_THREAD_EXIT,
                MAIN_PTHREAD_EXIT_THEN_PROCESS_EXIT, THREAD_EXIT_THEN_MAIN_EXIT, KILLED, KILLED_AFTER_MAIN_LEFT };

static const char *const names[] = {"main exit(7), thread sleeping", "thread exit_group(9), main sleeping",
                                    "main pthread_exit, thread exit_group(5)",
                                    "main pthread_exit, thread exit(4) alone",
                                    "main pthread_exit, thread exit(6)",
                                    "thread exit(4) alone, then main exit(3) alone (the last one's code)",
                                    "SIGTERM, both threads alive",
                                    "SIGTERM after main pthread_exit"};

static volatile sig_atomic_t sigchld_seen;
static void on_sigchld(int sig) { (void)sig; sigchld_seen++; }

static void child(enum scenario s)
{
    switch (s) {
    case MAIN_EXITS:
        start(sleeper, 0);
        char c;
        if (read(ready_pipe[0], &c, 1) != 1)
            _exit(97);
        exit(7);
    case THREAD_EXIT_GROUP:
        start(exit_group_later, 9);
        for (;;)
            pause();
    case MAIN_PTHREAD_EXIT_THEN_EXIT: start(exit_group_later, 5); pthread_exit(NULL);
    case MAIN_PTHREAD_EXIT_THEN_THREAD_EXIT: start(exit_alone_later, 4); pthread_exit(NULL);
    case MAIN_PTHREAD_EXIT_THEN_PROCESS_EXIT: start(exit_process_later, 6); pthread_exit(NULL);
    case THREAD_EXIT_THEN_MAIN_EXIT:
        /* Not pthread_join: musl's waits for pthread_exit, which a raw exit skips. */
        start(report_tid_and_exit_alone, 4);
        while (!other_tid || syscall(SYS_tgkill, getpid(), other_tid, 0) == 0)
            sched_yield();
        syscall(SYS_exit, 3);
        _exit(94);
    case KILLED: start(sleeper, 0); for (;;) pause();
    case KILLED_AFTER_MAIN_LEFT: start(sleeper, 0); pthread_exit(NULL);
    }
    _exit(96);
}

static void describe(int status)
{
    if (WIFEXITED(status))
        printf("exited %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("killed by %d", WTERMSIG(status));
    else
        printf("status %#x", status);
}

static int run(enum scenario s, bool quiet)
{
    if (pipe(ready_pipe))
        return -1;
    sigchld_seen = 0;
    pid_t pid = fork();
    if (pid == 0)
        child(s);
    if (s == KILLED || s == KILLED_AFTER_MAIN_LEFT) {
        char c;
        if (read(ready_pipe[0], &c, 1) != 1)
            printf("no ready byte\n");
        kill(pid, SIGTERM);
    }
    int status;
    pid_t got = waitpid(pid, &status, 0);
    close(ready_pipe[0]);
    close(ready_pipe[1]);
    if (!quiet) {
        printf("%s: waitpid %s, ", names[s], got == pid ? "the child" : "failed");
        describe(status);
        printf(", SIGCHLD %s\n", sigchld_seen ? "seen" : "missing");
    }
    return got == pid ? status : -1;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGCHLD, on_sigchld);
    for (enum scenario s = MAIN_EXITS; s <= KILLED_AFTER_MAIN_LEFT; s++)
        run(s, false);
    int bad = 0;
    for (int i = 0; i < 300; i++)
        if (run(i % 2 ? THREAD_EXIT_GROUP : MAIN_EXITS, true) != (i % 2 ? 9 : 7) << 8)
            bad++;
    printf("300 more threaded children: %d ended otherwise\n", bad);
    return 0;
}
