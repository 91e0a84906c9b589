/*
 * creat.c - the creat system call itself (libc wrappers call openat): a new
 * file opened write-only, an existing one truncated with its mode kept, the
 * umask applied, ENOENT for a missing directory. Prints deterministic lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    printf("%s: %ld%s%s\n", what, r < 0 ? r : 0, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/sysgate-creat-%d", (int)getpid());
    umask(022);
    long fd = syscall(SYS_creat, path, 0666);
    show("creat", fd);
    write((int)fd, "hello", 5);
    char c;
    show("reading a creat descriptor", read((int)fd, &c, 1));
    close((int)fd);
    fd = syscall(SYS_creat, path, 0600);
    struct stat st;
    fstat((int)fd, &st);
    printf("truncated: size %ld mode %o\n", (long)st.st_size, st.st_mode & 0777);
    close((int)fd);
    unlink(path);
    show("creat in a missing directory", syscall(SYS_creat, "/no/such/dir/x", 0644));
    return 0;
}
