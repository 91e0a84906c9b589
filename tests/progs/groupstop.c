/*
 * groupstop.c - a stop signal stops every thread of a process, not just the
 * one that takes it (Linux's group stop): the parent's waitpid(WUNTRACED)
 * reports the process once all its threads are stopped, /proc shows each
 * thread in state T, a spinning thread makes no progress meanwhile, and
 * SIGCONT sets them all running again (WCONTINUED). The same holds when the
 * stop signal is sent to one thread with tgkill.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Shared with the parent: the worker's progress and its thread id. */
struct shared {
    volatile long spins;
    volatile pid_t worker_tid;
};
static struct shared *shared;

static void *spin(void *arg)
{
    (void)arg;
    shared->worker_tid = (pid_t)syscall(SYS_gettid);
    for (;;)
        shared->spins++;
    return NULL;
}

static char thread_state(pid_t pid, pid_t tid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return '?';
    char *ok = fgets(line, sizeof(line), f);
    fclose(f);
    char *end = ok ? strrchr(line, ')') : NULL;
    return end ? end[2] : '?';
}

/* Waits until the worker has made progress since `since`. */
static void wait_for_progress(long since)
{
    while (shared->spins == since)
        sched_yield();
}

static void stop_and_continue(pid_t child, const char *how)
{
    if (strcmp(how, "kill") == 0)
        kill(child, SIGSTOP);
    else
        syscall(SYS_tgkill, child, shared->worker_tid, SIGTSTP);
    int status;
    pid_t waited = waitpid(child, &status, WUNTRACED);
    printf("%s: waitpid reports the child stopped: %s, by %s\n", how, waited == child && WIFSTOPPED(status) ? "yes" : "no",
           WIFSTOPPED(status) ? strsignal(WSTOPSIG(status)) : "-");
    printf("%s: main thread %c, worker %c\n", how, thread_state(child, child), thread_state(child, shared->worker_tid));
    long before = shared->spins;
    for (int i = 0; i < 1000; i++)
        sched_yield();
    printf("%s: the worker made no progress while stopped: %s\n", how, shared->spins == before ? "yes" : "no");
    kill(child, SIGCONT);
    waited = waitpid(child, &status, WCONTINUED);
    printf("%s: waitpid reports the child continued: %s\n", how, waited == child && WIFCONTINUED(status) ? "yes" : "no");
    wait_for_progress(before);
    printf("%s: the worker runs again: yes\n", how);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        pthread_t worker;
        pthread_create(&worker, NULL, spin, NULL);
        for (;;)
            pause(); /* restarted after each continue: no handler runs */
    }
    while (!shared->worker_tid)
        sched_yield();
    wait_for_progress(0);
    stop_and_continue(child, "kill");
    stop_and_continue(child, "tgkill");

    /* Stopped, then killed: SIGKILL ends a stopped process. */
    kill(child, SIGSTOP);
    int status;
    waitpid(child, &status, WUNTRACED);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    printf("killed while stopped: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no");
    return 0;
}
