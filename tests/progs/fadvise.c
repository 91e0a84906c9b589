/*
 * fadvise.c - posix_fadvise on a file, a pipe, /dev/null and bad
 * descriptors, every advice and bad ones, through the raw call (glibc's
 * posix_fadvise returns the error instead of setting errno; the i386 build
 * goes through fadvise64_64). Prints one line per check; the same on the
 * host and on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Named after the process, so that the builds' tests can run at once on the host. */
static char file_path[64];

static void show(const char *what, int err)
{
    switch (err) {
    case 0: printf("%s: 0\n", what); break;
    case EBADF: printf("%s: EBADF\n", what); break;
    case EINVAL: printf("%s: EINVAL\n", what); break;
    case ESPIPE: printf("%s: ESPIPE\n", what); break;
    default: printf("%s: %s\n", what, strerror(err)); break;
    }
}

int main(void)
{
    snprintf(file_path, sizeof(file_path), "/tmp/fadvise-test.%d", (int)getpid());
    int fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "data\n", 5) != 5) {
        perror(file_path);
        return 1;
    }
    static const struct {
        const char *name;
        int advice;
    } advice[] = {
        {"NORMAL", POSIX_FADV_NORMAL},     {"RANDOM", POSIX_FADV_RANDOM},     {"SEQUENTIAL", POSIX_FADV_SEQUENTIAL},
        {"WILLNEED", POSIX_FADV_WILLNEED}, {"DONTNEED", POSIX_FADV_DONTNEED}, {"NOREUSE", POSIX_FADV_NOREUSE},
        {"advice 6", 6},                   {"advice -1", -1},
    };
    char what[64];
    for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
        snprintf(what, sizeof(what), "file %s", advice[i].name);
        show(what, posix_fadvise(fd, 0, 0, advice[i].advice));
    }
    show("file past its end", posix_fadvise(fd, 1 << 20, 4096, POSIX_FADV_WILLNEED));
    show("file negative length", posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL));
    show("file negative length, bad advice", posix_fadvise(fd, 0, -1, 6));
    show("bad descriptor", posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL));
    show("closed descriptor, bad advice", posix_fadvise(99, 0, 0, 6));
    int pipe_fds[2];
    if (pipe(pipe_fds) == 0) {
        show("pipe", posix_fadvise(pipe_fds[0], 0, 0, POSIX_FADV_NORMAL));
        show("pipe, bad advice", posix_fadvise(pipe_fds[0], 0, 0, 6));
    }
    int null_fd = open("/dev/null", O_RDONLY);
    show("/dev/null", posix_fadvise(null_fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    int path_fd = open(file_path, O_PATH);
    show("O_PATH descriptor", posix_fadvise(path_fd, 0, 0, POSIX_FADV_NORMAL));
    unlink(file_path);
    return 0;
}
