/*
 * procsignals.c - a signal sent to a process waits at the process until one
 * of its threads takes it: a thread that unblocks it later gets it, whichever
 * thread was newest when it came; sigpending and /proc's ShdPnd show it
 * meanwhile; a thread that does not block it is woken to run the handler.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t handled_by;
static pid_t main_tid, worker_tid;
static int to_worker[2], from_worker[2];

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static void handler(int sig)
{
    (void)sig;
    handled_by = gettid_();
}

static const char *who(pid_t tid) { return tid == main_tid ? "main" : tid == worker_tid ? "worker" : "nobody"; }

/* Blocks or unblocks (`how`) one signal for the calling thread alone. */
static void mask_one_signal(int how, int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(how, &set, NULL);
}

/* Says which thread ran the handler for `what`, then forgets it, so that the next case starts from nobody. */
static void report_handler(const char *what)
{
    printf("%s handled by %s\n", what, who(handled_by));
    handled_by = 0;
}

/* The status line `field` of a thread, as /proc shows it. */
static void show_status_line(pid_t tid, const char *field)
{
    char path[64], line[128];
    snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, field, strlen(field)) == 0)
            printf("%s %s", who(tid), line);
    if (f)
        fclose(f);
}

/* The worker does what main writes to it, one byte a command, and answers. */
static void *worker(void *arg)
{
    (void)arg;
    worker_tid = gettid_();
    char command;
    while (read(to_worker[0], &command, 1) == 1) {
        if (command == 'u') /* take SIGUSR2 from now on */
            mask_one_signal(SIG_UNBLOCK, SIGUSR2);
        if (command == 'q')
            break;
        char done = 'k';
        write(from_worker[1], &done, 1);
    }
    return NULL;
}

static void command_worker(char command)
{
    char answer;
    write(to_worker[1], &command, 1);
    read(from_worker[0], &answer, 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    main_tid = gettid_();
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGUSR2);
    sigaddset(&blocked, SIGCHLD);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    pipe(to_worker);
    pipe(from_worker);
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL); /* blocks the three too, and is the newest */
    command_worker('k');

    /* Blocked by every thread: it waits at the process. */
    kill(getpid(), SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    printf("SIGUSR1 pending for main: %d\n", sigismember(&pending, SIGUSR1));
    show_status_line(main_tid, "SigPnd");
    show_status_line(main_tid, "ShdPnd");
    show_status_line(worker_tid, "ShdPnd");
    mask_one_signal(SIG_UNBLOCK, SIGUSR1);
    report_handler("SIGUSR1");

    /* A child's end while every thread blocks SIGCHLD (a debugger's pattern). */
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    int status;
    while (sigpending(&pending), !sigismember(&pending, SIGCHLD))
        sched_yield();
    waitpid(child, &status, 0);
    mask_one_signal(SIG_UNBLOCK, SIGCHLD);
    report_handler("SIGCHLD");

    /* Only the worker takes SIGUSR2: it is woken from its read to run the handler. */
    command_worker('u');
    kill(getpid(), SIGUSR2);
    command_worker('k');
    report_handler("SIGUSR2");

    /* A thread's own signal stays its own: tgkill to main while main blocks it. */
    mask_one_signal(SIG_BLOCK, SIGUSR1);
    syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
    show_status_line(main_tid, "SigPnd");
    show_status_line(main_tid, "ShdPnd");
    mask_one_signal(SIG_UNBLOCK, SIGUSR1);
    report_handler("tgkill's SIGUSR1");

    char quit = 'q';
    write(to_worker[1], &quit, 1);
    pthread_join(thread, NULL);
    return 0;
}
