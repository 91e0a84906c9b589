/*
 * execthreads.c - execve in a process with several threads ends the other
 * threads (Linux's de_thread): the new program starts as the process's only
 * thread, with the same process id, whether the main thread or another one
 * called execve, and even when the others were blocked in a system call or
 * spinning. (Linux also gives a non-main caller the main thread's id; that
 * is not checked here: see docs/architecture.md.)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int blocker_pipe[2];
static char self_path[] = "/proc/self/exe";
static char pid_text[16];

static int threads_now(void)
{
    char line[128];
    int threads = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "Threads:", 8) == 0)
            threads = atoi(line + 8);
    if (f)
        fclose(f);
    return threads;
}

static void *spin(void *arg)
{
    (void)arg;
    for (volatile long i = 0;; i++)
        ;
    return NULL;
}

static void *block_in_read(void *arg)
{
    (void)arg;
    char c;
    read(blocker_pipe[0], &c, 1); /* nobody writes */
    return NULL;
}

static void exec_self(void)
{
    snprintf(pid_text, sizeof(pid_text), "%d", getpid());
    char *argv[] = {self_path, "after-exec", pid_text, NULL};
    execv(self_path, argv);
    perror("execv");
    _exit(127);
}

static void *exec_from_thread(void *arg)
{
    (void)arg;
    exec_self();
    return NULL;
}

/* A child with a spinning and a blocked thread besides the one that calls
 * execve (its main thread, or a third thread). */
static void run_child(int from_main)
{
    pid_t child = fork();
    if (child == 0) {
        pipe(blocker_pipe);
        pthread_t spinner, blocker, caller;
        pthread_create(&spinner, NULL, spin, NULL);
        pthread_create(&blocker, NULL, block_in_read, NULL);
        printf("before exec: %d threads\n", threads_now());
        if (from_main)
            exec_self();
        pthread_create(&caller, NULL, exec_from_thread, NULL);
        for (;;)
            pause();
    }
    int status;
    waitpid(child, &status, 0);
    printf("exec from %s: child exited %d\n", from_main ? "the main thread" : "another thread",
           WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 3 && strcmp(argv[1], "after-exec") == 0) {
        printf("after exec: %d thread(s), same process id: %s\n", threads_now(),
               atoi(argv[2]) == getpid() ? "yes" : "no");
        return 0;
    }
    run_child(1);
    run_child(0);
    return 0;
}
