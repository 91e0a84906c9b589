/*
 * fileops.c - what files allow beyond read and write: O_PATH descriptors
 * (which calls take them, which answer EBADF), O_TMPFILE, memfd_create with
 * its seals, a pipe's size (F_GETPIPE_SZ/F_SETPIPE_SZ), SEEK_DATA/SEEK_HOLE,
 * and mknod of a character device. Prints one line per check; the same on
 * the host and on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1
#define MFD_ALLOW_SEALING 2
#endif

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "ok";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EPERM: return "EPERM";
    case EBUSY: return "EBUSY";
    case ENOENT: return "ENOENT";
    case ENXIO: return "ENXIO";
    case EISDIR: return "EISDIR";
    case EFAULT: return "EFAULT";
    case ENOTTY: return "ENOTTY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case EACCES: return "EACCES";
    case ENOTDIR: return "ENOTDIR";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return strerror(e);
    }
}

static void show(const char *what, long result)
{
    if (result < 0)
        printf("%s: %s\n", what, err_name(errno));
    else
        printf("%s: %ld\n", what, result);
}

static char dir[] = "/tmp/fileops-XXXXXX";
static char path[64];

static void o_path(void)
{
    int fd = open(path, O_PATH);
    char buf[4];
    show("O_PATH read", read(fd, buf, 1));
    show("O_PATH write", write(fd, "x", 1));
    show("O_PATH fchmod", fchmod(fd, 0600));
    show("O_PATH fchown", fchown(fd, 0, 0));
    show("O_PATH ftruncate", ftruncate(fd, 0));
    show("O_PATH ioctl", ioctl(fd, FIONREAD, buf));
    void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("O_PATH mmap: %s\n", m == MAP_FAILED ? err_name(errno) : "mapped");
    show("O_PATH flock", flock(fd, LOCK_SH));
    show("O_PATH fsync", fsync(fd));
    struct stat st;
    show("O_PATH fstat", fstat(fd, &st));
    struct statfs sfs;
    show("O_PATH fstatfs", fstatfs(fd, &sfs));
    show("O_PATH F_GETFL has O_PATH", (fcntl(fd, F_GETFL) & O_PATH) != 0);
    show("O_PATH F_SETFL", fcntl(fd, F_SETFL, O_NONBLOCK));
    show("O_PATH F_GETFD", fcntl(fd, F_GETFD));
    int copy = dup(fd);
    show("O_PATH dup", copy >= 0);
    close(copy);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    poll(&p, 1, 0);
    printf("O_PATH poll revents: %#x\n", p.revents);
    show("O_PATH fstatat AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH));
    close(fd);
    int dfd = open(dir, O_PATH | O_DIRECTORY);
    show("O_PATH dir as openat's dirfd", close(openat(dfd, "file", O_RDONLY)));
    char cwd[256];
    getcwd(cwd, sizeof(cwd));
    show("O_PATH fchdir", fchdir(dfd));
    chdir(cwd);
    show("O_PATH getdents", syscall(SYS_getdents64, dfd, cwd, sizeof(cwd)));
    close(dfd);
}

static void tmpfile_(void)
{
    int fd = open(dir, O_TMPFILE | O_RDWR, 0600);
    show("O_TMPFILE", fd >= 0);
    show("O_TMPFILE write", write(fd, "hidden", 6));
    struct stat st;
    fstat(fd, &st);
    printf("O_TMPFILE nlink %ld size %ld mode %o\n", (long)st.st_nlink, (long)st.st_size, st.st_mode);
    char proc[64], name[64];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    snprintf(name, sizeof(name), "%s/linked", dir);
    show("linkat AT_SYMLINK_FOLLOW of /proc/self/fd/N", linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW));
    fstat(fd, &st);
    printf("after linkat nlink %ld\n", (long)st.st_nlink);
    int again = open(name, O_RDONLY);
    char buf[8] = {0};
    read(again, buf, sizeof(buf) - 1);
    printf("the linked file holds: %s\n", buf);
    close(again), close(fd);
    unlink(name);
    show("O_TMPFILE read-only", open(dir, O_TMPFILE | O_RDONLY, 0600));
    show("O_TMPFILE on a file", open(path, O_TMPFILE | O_RDWR, 0600));
    fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL, 0600);
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    show("linkat of an O_EXCL tmpfile", linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW));
    close(fd);
}

static void memfd(void)
{
    int fd = memfd_create("sysgate-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    show("memfd_create", fd >= 0);
    char link[64], target[128];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    target[n > 0 ? n : 0] = 0;
    printf("memfd link: %s\n", target);
    show("memfd F_GETFD", fcntl(fd, F_GETFD));
    show("memfd F_GET_SEALS", fcntl(fd, F_GET_SEALS));
    show("memfd write", write(fd, "0123456789", 10));
    struct stat st;
    fstat(fd, &st);
    printf("memfd size %ld mode %o\n", (long)st.st_size, st.st_mode & 07777);
    show("F_ADD_SEALS SHRINK|GROW", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
    show("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
    show("ftruncate smaller", ftruncate(fd, 5));
    show("ftruncate larger", ftruncate(fd, 20));
    show("write past the end", pwrite(fd, "x", 1, 10));
    show("write within", pwrite(fd, "x", 1, 3));
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    show("F_SEAL_WRITE while mapped writable", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(m, 4096);
    show("F_SEAL_WRITE", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    show("write after F_SEAL_WRITE", pwrite(fd, "x", 1, 3));
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap shared writable after F_SEAL_WRITE: %s\n", m == MAP_FAILED ? err_name(errno) : "mapped");
    m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("mmap private after F_SEAL_WRITE: %s\n", m == MAP_FAILED ? err_name(errno) : "mapped");
    show("F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    show("a seal after F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    show("F_ADD_SEALS unknown bit", fcntl(fd, F_ADD_SEALS, 0x100));
    show("F_GET_SEALS at the end", fcntl(fd, F_GET_SEALS));
    close(fd);

    fd = memfd_create("no-sealing", 0);
    show("memfd without MFD_ALLOW_SEALING: F_GET_SEALS", fcntl(fd, F_GET_SEALS));
    show("memfd without MFD_ALLOW_SEALING: F_ADD_SEALS", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    show("memfd without MFD_CLOEXEC: F_GETFD", fcntl(fd, F_GETFD));
    close(fd);
    show("memfd_create unknown flag", memfd_create("x", 0x100));
    char longname[300];
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    show("memfd_create name too long", memfd_create(longname, 0));
    show("memfd_create name unreadable", syscall(SYS_memfd_create, (void *)16, 0));
    int file = open(path, O_RDWR);
    show("F_GET_SEALS on a plain file", fcntl(file, F_GET_SEALS));
    show("F_ADD_SEALS on a plain file", fcntl(file, F_ADD_SEALS, F_SEAL_WRITE));
    close(file);
}

static void pipe_size(void)
{
    int p[2];
    pipe(p);
    show("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    show("F_SETPIPE_SZ 100000", fcntl(p[1], F_SETPIPE_SZ, 100000));
    show("F_GETPIPE_SZ after", fcntl(p[0], F_GETPIPE_SZ));
    show("F_SETPIPE_SZ 1", fcntl(p[1], F_SETPIPE_SZ, 1));
    char buf[8192];
    memset(buf, 'p', sizeof(buf));
    show("write 8192 into a 4096-byte pipe (non-blocking)", (fcntl(p[1], F_SETFL, O_NONBLOCK), write(p[1], buf, 8192)));
    show("F_SETPIPE_SZ 4096 with 4096 bytes in it", fcntl(p[1], F_SETPIPE_SZ, 4096));
    show("F_SETPIPE_SZ 65536", fcntl(p[1], F_SETPIPE_SZ, 65536));
    show("write 8192 more", write(p[1], buf, 8192));
    show("F_SETPIPE_SZ 4096 with 12288 bytes in it", fcntl(p[1], F_SETPIPE_SZ, 4096));
    /* beyond pipe-max-size needs CAP_SYS_RESOURCE, which a container's root may lack: not compared */
    show("F_SETPIPE_SZ negative", fcntl(p[1], F_SETPIPE_SZ, -1));
    int file = open(path, O_RDONLY);
    show("F_GETPIPE_SZ on a file", fcntl(file, F_GETPIPE_SZ));
    close(file), close(p[0]), close(p[1]);
}

static void holes(void)
{
    int fd = open(path, O_RDWR | O_TRUNC);
    show("SEEK_DATA in an empty file", lseek(fd, 0, SEEK_DATA));
    show("SEEK_HOLE in an empty file", lseek(fd, 0, SEEK_HOLE));
    pwrite(fd, "data", 4, 0);
    pwrite(fd, "more", 4, 1 << 20);
    show("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
    show("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
    show("SEEK_DATA 8192", lseek(fd, 8192, SEEK_DATA));
    show("SEEK_HOLE 1 MiB", lseek(fd, 1 << 20, SEEK_HOLE));
    show("SEEK_DATA at the end", lseek(fd, (1 << 20) + 4, SEEK_DATA));
    show("SEEK_HOLE past the end", lseek(fd, (1 << 20) + 100, SEEK_HOLE));
    show("SEEK_DATA negative", lseek(fd, -1, SEEK_DATA));
    show("whence 5", lseek(fd, 0, 5));
    close(fd);
}

static void devices(void)
{
    char node[64];
    snprintf(node, sizeof(node), "%s/null", dir);
    show("mknod S_IFCHR 1:3", mknod(node, S_IFCHR | 0666, makedev(1, 3)));
    struct stat st;
    stat(node, &st);
    printf("the node: %s %u:%u\n", S_ISCHR(st.st_mode) ? "char" : "other", major(st.st_rdev), minor(st.st_rdev));
    int fd = open(node, O_RDWR);
    show("write to it", write(fd, "gone", 4));
    char c;
    show("read from it", read(fd, &c, 1));
    close(fd);
    unlink(node);
    snprintf(node, sizeof(node), "%s/sock", dir);
    show("mknod S_IFSOCK", mknod(node, S_IFSOCK | 0600, 0));
    show("open a socket node", open(node, O_RDONLY));
    unlink(node);
    show("mknod S_IFDIR", mknod(node, S_IFDIR | 0700, 0));
    show("mknod type 0170000", mknod(node, 0170000 | 0600, 0));
    snprintf(node, sizeof(node), "%s/nodev", dir);
    show("mknod a device with no driver", mknod(node, S_IFCHR | 0600, makedev(250, 77)));
    show("open it", open(node, O_RDONLY));
    unlink(node);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/file", dir);
    close(open(path, O_RDWR | O_CREAT, 0644));
    o_path();
    tmpfile_();
    memfd();
    pipe_size();
    holes();
    devices();
    unlink(path);
    rmdir(dir);
    return 0;
}
