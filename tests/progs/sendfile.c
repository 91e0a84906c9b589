/*
 * sendfile.c - sendfile as Linux does it: file to file from the source's
 * position (which advances) or from an offset (which advances instead), past
 * the end, into a pipe, to stdout, and the errors: a pipe as source and an
 * O_APPEND target (EINVAL), bad and wrong-mode descriptors (EBADF), a negative
 * offset (EINVAL), a bad offset pointer (EFAULT). Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/wait.h>
#include <unistd.h>
static void show(const char *what, long r) { printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : ""); }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char src[64], dst[64];
    snprintf(src, sizeof src, "/tmp/sysgate-sf-src-%d", getpid());
    snprintf(dst, sizeof dst, "/tmp/sysgate-sf-dst-%d", getpid());
    int in = open(src, O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char data[3 << 20];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (char)(i * 7 + i / 4096);
    write(in, data, sizeof data);
    int out = open(dst, O_RDWR | O_CREAT | O_TRUNC, 0644);
    lseek(in, 100, SEEK_SET);
    show("file to file from the position", sendfile(out, in, NULL, sizeof data));
    printf("source position now %ld\n", (long)lseek(in, 0, SEEK_CUR));
    static char back[3 << 20];
    pread(out, back, sizeof back, 0);
    printf("copy equal: %d\n", !memcmp(back, data + 100, sizeof data - 100));
    off_t off = 4096 * 3 + 5;
    show("with an offset", sendfile(out, in, &off, 1000));
    printf("offset now %ld, position still %ld\n", (long)off, (long)lseek(in, 0, SEEK_CUR));
    off = sizeof data + 10;
    show("offset past the end", sendfile(out, in, &off, 10));
    int p[2]; pipe(p);
    off = 0;
    show("to a pipe", sendfile(p[1], in, &off, 5000));
    char buf[5000]; ssize_t n = read(p[0], buf, sizeof buf);
    printf("pipe got %zd equal %d\n", n, !memcmp(buf, data, 5000));
    show("from a pipe", sendfile(out, p[0], NULL, 10));
    show("bad in fd", sendfile(out, 99, NULL, 10));
    int ro = open(dst, O_RDONLY);
    show("to a read-only fd", sendfile(ro, in, NULL, 10));
    int ap = open(dst, O_WRONLY | O_APPEND);
    show("to an O_APPEND fd", sendfile(ap, in, NULL, 10));
    off = -1;
    show("negative offset", sendfile(out, in, &off, 10));
    show("bad offset pointer", sendfile(out, in, (off_t *)1, 10));
    off = 0;
    show("count 0", sendfile(out, in, &off, 0));
    int proc = open("/proc/uptime", O_RDONLY);
    off = 0;
    long from_proc = sendfile(p[1], proc, &off, 4096);
    printf("from a /proc file (made on reading): %d, offset follows %d\n", from_proc > 4, off == from_proc);
    show("to stdout", sendfile(1, in, &(off_t){0}, 26));
    printf("\n");
    unlink(src); unlink(dst);
    return 0;
}
