/*
 * execat.c - execveat (relative to a directory descriptor, AT_EMPTY_PATH on
 * the program's own descriptor, AT_SYMLINK_NOFOLLOW, a script through a
 * descriptor, bad arguments) and execve with an empty argv, which Linux
 * turns into one empty argument. The program runs itself as the child.
 * Prints one line per check; the same on the host and on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const child_env[] = {"EXECAT=1", NULL};

static const char *err_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case ENOENT: return "ENOENT";
    case ELOOP: return "ELOOP";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case ENOTDIR: return "ENOTDIR";
    default: return strerror(e);
    }
}

static long raw_execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
    return syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

/* Runs one exec in a child: what the exec or the child says. */
static void try(const char *what, int dirfd, const char *path, char *const *argv, int flags)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        long r = raw_execveat(dirfd, path, argv, child_env, flags);
        printf("%s: %s\n", what, r == -1 ? err_name(errno) : "returned");
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (getenv("EXECAT")) { /* the child run */
        printf("  child: argc %d, argv[0] \"%s\"", argc, argc ? argv[0] : "(none)");
        for (int i = 1; i < argc; i++)
            printf(", \"%s\"", argv[i]);
        printf("\n");
        return 0;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n < 0) {
        perror("readlink /proc/self/exe");
        return 1;
    }
    self[n] = 0;
    char dircopy[4096], namecopy[4096];
    strcpy(dircopy, self);
    strcpy(namecopy, self);
    const char *dir = dirname(dircopy), *name = basename(namecopy);

    char *args[] = {"execat", "one", "two", NULL};
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    try("execveat relative to a directory", dfd, name, args, 0);
    int self_fd = open(self, O_PATH);
    try("execveat AT_EMPTY_PATH of an O_PATH descriptor", self_fd, "", args, AT_EMPTY_PATH);
    int ro_fd = open(self, O_RDONLY);
    try("execveat AT_EMPTY_PATH of a read-only descriptor", ro_fd, "", args, AT_EMPTY_PATH);
    try("execveat absolute path ignores dirfd", 12345, self, args, 0);
    try("execveat empty path without AT_EMPTY_PATH", self_fd, "", args, 0);
    try("execveat bad flags", dfd, name, args, 0x2);
    try("execveat bad dirfd", 12345, name, args, 0);
    try("execveat a file descriptor as dirfd", ro_fd, "x", args, 0);

    char tmp[] = "/tmp/execat-XXXXXX";
    mkdtemp(tmp);
    char link[64], script[64];
    snprintf(link, sizeof(link), "%s/link", tmp);
    symlink(self, link);
    int tfd = open(tmp, O_RDONLY | O_DIRECTORY);
    try("execveat through a symlink", tfd, "link", args, 0);
    try("execveat AT_SYMLINK_NOFOLLOW on a symlink", tfd, "link", args, AT_SYMLINK_NOFOLLOW);
    snprintf(script, sizeof(script), "%s/script", tmp);
    FILE *f = fopen(script, "w");
    fprintf(f, "#!/bin/sh\necho \"  script ran with $# arguments: $1 $2\"\n");
    fclose(f);
    chmod(script, 0755);
    try("execveat a script relative to a directory", tfd, "script", args, 0);

    char *empty[] = {NULL};
    try("execve with an empty argv", AT_FDCWD, self, empty, 0);
    try("execve with a NULL argv", AT_FDCWD, self, NULL, 0);
    try("execve of a directory", AT_FDCWD, tmp, args, 0);
    char *const *unmapped = (char *const *)(uintptr_t)16;
    try("execve bad argv pointer", AT_FDCWD, self, unmapped, 0);
    unlink(script);
    unlink(link);
    rmdir(tmp);
    return 0;
}
