/*
 * Named pipes (mkfifo): opening one waits for the other end, a lone
 * non-blocking writer gets ENXIO, O_RDWR never waits, the data goes through
 * the pipe and never into the file. Prints deterministic lines.
 */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <poll.h>
int main(void) {
    char path[64]; /* one per run: the host runs tests in parallel */
    snprintf(path, sizeof path, "/tmp/sysgate-fifo-%d", (int)getpid());
    unlink(path);
    printf("mkfifo %d\n", mkfifo(path, 0644));
    int fd = open(path, O_WRONLY | O_NONBLOCK);
    printf("lone nonblock writer: %d %s\n", fd, fd < 0 ? strerror(errno) : "");
    int r = open(path, O_RDONLY | O_NONBLOCK);
    printf("nonblock reader: %d\n", r >= 0);
    char b[64];
    ssize_t n = read(r, b, sizeof b);
    printf("read with no writer: %zd %s\n", n, n < 0 ? strerror(errno) : "");
    int w = open(path, O_WRONLY | O_NONBLOCK);
    printf("nonblock writer with reader: %d\n", w >= 0);
    n = read(r, b, sizeof b);
    printf("read with writer, empty: %zd %s\n", n, n < 0 ? strerror(errno) : "");
    write(w, "abc", 3);
    n = read(r, b, sizeof b);
    printf("read: %zd %.3s\n", n, b);
    struct stat st; fstat(w, &st);
    printf("fstat: fifo=%d size=%lld\n", S_ISFIFO(st.st_mode), (long long)st.st_size);
    long off = (long)lseek(w, 0, SEEK_SET);
    printf("lseek: %ld %s\n", off, strerror(errno));
    close(w); close(r);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        int w2 = open(path, O_WRONLY);
        write(w2, "from child\n", 11);
        _exit(0);
    }
    r = open(path, O_RDONLY); /* blocks until the child opens */
    n = read(r, b, sizeof b);
    printf("blocking read: %zd %.*s", n, (int)n, b);
    n = read(r, b, sizeof b);
    printf("after writer exit: %zd\n", n);
    waitpid(pid, 0, 0);
    int rw = open(path, O_RDWR);
    struct pollfd p = {rw, POLLIN | POLLOUT, 0};
    int ready = poll(&p, 1, 0);
    printf("rdwr open %d, poll %d revents %#x\n", rw >= 0, ready, p.revents);
    write(rw, "x", 1);
    printf("rdwr read %zd\n", read(rw, b, 1));
    close(rw);
    stat(path, &st);
    printf("stat size after use: %lld\n", (long long)st.st_size);
    unlink(path);
    return 0;
}
