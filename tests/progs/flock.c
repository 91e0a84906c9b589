/*
 * flock.c - advisory locks as Linux keeps them: shared and exclusive,
 * LOCK_NB's EWOULDBLOCK, a lock shared by dup() and fork() (one open file
 * description) but not by a second open(), conversion, release by the last
 * close, a waiter that gets the lock when the holder closes, and the errors
 * (EINVAL, EBADF). Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, int r)
{
    printf("%s: %d%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char path[64];
    snprintf(path, sizeof path, "/tmp/sysgate-flock-%d", (int)getpid());
    int a = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    int b = open(path, O_RDWR);
    int a2 = dup(a);
    show("a exclusive", flock(a, LOCK_EX));
    show("again, as held", flock(a, LOCK_EX));
    show("b exclusive, non-blocking", flock(b, LOCK_EX | LOCK_NB));
    show("b shared, non-blocking", flock(b, LOCK_SH | LOCK_NB));
    show("a's dup shares the lock", flock(a2, LOCK_EX | LOCK_NB));
    show("a converts to shared", flock(a, LOCK_SH));
    show("b shared now", flock(b, LOCK_SH | LOCK_NB));
    show("b exclusive against a's shared", flock(b, LOCK_EX | LOCK_NB));
    show("a unlocks", flock(a, LOCK_UN));
    show("b converts to exclusive", flock(b, LOCK_EX | LOCK_NB));
    show("b unlocks", flock(b, LOCK_UN));

    show("a exclusive for the fork", flock(a, LOCK_EX));
    pid_t pid = fork();
    if (pid == 0) {
        show("child's inherited description holds it", flock(a, LOCK_EX | LOCK_NB));
        int c = open(path, O_RDWR);
        show("child's own open, non-blocking", flock(c, LOCK_EX | LOCK_NB));
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    pid = fork();
    if (pid == 0) {
        close(a), close(a2); /* the parent's copies are then the last */
        int c = open(path, O_RDWR);
        show("child waits for the lock", flock(c, LOCK_EX));
        _exit(0);
    }
    usleep(200000);
    close(a);
    show("a2 still holds it after closing a", flock(b, LOCK_EX | LOCK_NB));
    close(a2); /* the last close of the description: the child gets the lock */
    waitpid(pid, NULL, 0);
    show("free again after the child exited", flock(b, LOCK_EX | LOCK_NB));

    show("bad operation", flock(b, LOCK_SH | LOCK_EX));
    show("LOCK_NB alone", flock(b, LOCK_NB));
    show("bad descriptor", flock(99, LOCK_SH));
    int p = open(path, O_PATH);
    show("O_PATH descriptor", flock(p, LOCK_SH));
    unlink(path);
    return 0;
}
