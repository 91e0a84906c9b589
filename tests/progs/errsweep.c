/*
 * errsweep.c - system calls given bad arguments, where test suites of Linux
 * look: bad descriptors, bad pointers, bad flags, negative sizes, the wrong
 * kind of file. Each line is a call and the errno it gave (or "ok"); bad
 * pointers go through syscall() so no C library touches them first.
 * Everything made lives in a fresh directory under /tmp, removed at the
 * end. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <linux/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/sendfile.h>
#include <sys/timerfd.h>
#include <sys/xattr.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)8) /* an address nothing is mapped at */
#define PAGE 4096

static const char *errno_name(int e)
{
    static const struct {
        int e;
        const char *name;
    } names[] = {
        {EPERM, "EPERM"},       {ENOENT, "ENOENT"},           {ESRCH, "ESRCH"},
        {EINTR, "EINTR"},       {EIO, "EIO"},                 {ENXIO, "ENXIO"},
        {E2BIG, "E2BIG"},       {EBADF, "EBADF"},             {ECHILD, "ECHILD"},
        {EAGAIN, "EAGAIN"},     {ENOMEM, "ENOMEM"},           {EACCES, "EACCES"},
        {EFAULT, "EFAULT"},     {EBUSY, "EBUSY"},             {EEXIST, "EEXIST"},
        {EXDEV, "EXDEV"},       {ENODEV, "ENODEV"},           {ENOTDIR, "ENOTDIR"},
        {EISDIR, "EISDIR"},     {EINVAL, "EINVAL"},           {EMFILE, "EMFILE"},
        {ENOTTY, "ENOTTY"},     {EFBIG, "EFBIG"},             {ENOSPC, "ENOSPC"},
        {ESPIPE, "ESPIPE"},     {EROFS, "EROFS"},             {EMLINK, "EMLINK"},
        {EPIPE, "EPIPE"},       {ERANGE, "ERANGE"},           {ENAMETOOLONG, "ENAMETOOLONG"},
        {ENOSYS, "ENOSYS"},     {ENOTEMPTY, "ENOTEMPTY"},     {ELOOP, "ELOOP"},
        {ENOTSOCK, "ENOTSOCK"}, {EDESTADDRREQ, "EDESTADDRREQ"}, {EPROTOTYPE, "EPROTOTYPE"},
        {ENOPROTOOPT, "ENOPROTOOPT"}, {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
        {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"}, {EOPNOTSUPP, "EOPNOTSUPP"},
        {EAFNOSUPPORT, "EAFNOSUPPORT"}, {EADDRINUSE, "EADDRINUSE"},
        {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {EISCONN, "EISCONN"},     {ENOTCONN, "ENOTCONN"},
        {ECONNREFUSED, "ECONNREFUSED"}, {EOVERFLOW, "EOVERFLOW"}, {EBADFD, "EBADFD"},
        {ETXTBSY, "ETXTBSY"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].e == e)
            return names[i].name;
    static char other[32];
    snprintf(other, sizeof(other), "errno %d", e);
    return other;
}

static void show(const char *what, long r)
{
    if (r == -1)
        printf("%s: %s\n", what, errno_name(errno));
    else
        printf("%s: ok\n", what);
}

static void show_ptr(const char *what, void *p)
{
    if (p == MAP_FAILED)
        printf("%s: %s\n", what, errno_name(errno));
    else
        printf("%s: ok\n", what);
}

static char dir[64], file[96], subdir[96], full[128], link_path[96], sock_path[96];
static int fd_rw, fd_ro, fd_dir, pipe_fds[2];
static char buf[PAGE];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/errsweep-%d", (int)getpid());
    snprintf(file, sizeof(file), "%s/file", dir);
    snprintf(subdir, sizeof(subdir), "%s/sub", dir);
    snprintf(full, sizeof(full), "%s/sub/inner", dir);
    snprintf(link_path, sizeof(link_path), "%s/link", dir);
    snprintf(sock_path, sizeof(sock_path), "%s/sock", dir);
    mkdir(dir, 0755);
    mkdir(subdir, 0755);
    close(open(full, O_CREAT | O_WRONLY, 0644));
    fd_rw = open(file, O_RDWR | O_CREAT, 0644);
    write(fd_rw, "0123456789", 10);
    fd_ro = open(file, O_RDONLY);
    fd_dir = open(dir, O_RDONLY | O_DIRECTORY);
    symlink(file, link_path);
    pipe(pipe_fds);
    signal(SIGPIPE, SIG_IGN);
}

static void descriptors(void)
{
    show("read bad fd", read(-1, buf, 1));
    show("read write-only pipe end", read(pipe_fds[1], buf, 1));
    show("read directory", read(fd_dir, buf, 1));
    show("read into a bad pointer", syscall(SYS_read, fd_ro, BAD, 10));
    show("read 0 bytes from a bad fd", read(-1, buf, 0));
    show("write bad fd", write(-1, buf, 1));
    show("write read-only fd", write(fd_ro, "x", 1));
    show("write from a bad pointer", syscall(SYS_write, fd_rw, BAD, 10));
    show("write directory", write(fd_dir, "x", 1));
    show("pread pipe", pread(pipe_fds[0], buf, 1, 0));
    show("pread negative offset", pread(fd_ro, buf, 1, -1));
    show("pwrite negative offset", pwrite(fd_rw, buf, 1, -1));
    show("pread directory", pread(fd_dir, buf, 1, 0));
    show("pread write-only", pread(pipe_fds[1], buf, 1, 0));
    show("readv bad iovec", syscall(SYS_readv, fd_ro, BAD, 1));
    show("readv negative count", syscall(SYS_readv, fd_ro, buf, -1));
    show("readv too many", syscall(SYS_readv, fd_ro, buf, 1025));
    show("lseek bad fd", lseek(-1, 0, SEEK_SET));
    show("lseek bad whence", lseek(fd_ro, 0, 99));
    show("lseek pipe", lseek(pipe_fds[0], 0, SEEK_SET));
    show("lseek negative", lseek(fd_ro, -1, SEEK_SET));
    show("lseek before the start", lseek(fd_ro, -100, SEEK_CUR));
    show("lseek SEEK_DATA beyond the end", lseek(fd_ro, 100, SEEK_DATA));
    show("dup bad fd", dup(-1));
    show("dup2 bad old", dup2(-1, 50));
    show("dup2 negative new", dup2(fd_ro, -1));
    show("dup2 new too large", dup2(fd_ro, 1 << 20));
    show("dup2 to itself", dup2(fd_ro, fd_ro));
    show("dup3 to itself", dup3(fd_ro, fd_ro, 0));
    show("dup3 bad flags", dup3(fd_ro, 50, 0x1234));
    show("pipe2 bad flags", pipe2((int[2]){0, 0}, 0x1234));
    show("pipe2 bad pointer", syscall(SYS_pipe2, BAD, 0));
    show("close bad fd", close(-1));
    show("close unused fd", close(999));
}

static void fcntls(void)
{
    show("fcntl bad fd", fcntl(-1, F_GETFD));
    show("fcntl bad command", fcntl(fd_ro, 9999));
    show("F_DUPFD negative", fcntl(fd_ro, F_DUPFD, -1));
    show("F_DUPFD too large", fcntl(fd_ro, F_DUPFD, 1 << 20));
    show("F_SETLK bad pointer", syscall(SYS_fcntl, fd_rw, F_SETLK, BAD));
    show("F_GETLK bad type", fcntl(fd_rw, F_GETLK, &(struct flock){.l_type = 99}));
    show("F_SETLK bad whence", fcntl(fd_rw, F_SETLK, &(struct flock){.l_type = F_RDLCK, .l_whence = 9}));
    show("F_SETLK write lock on a read-only fd", fcntl(fd_ro, F_SETLK, &(struct flock){.l_type = F_WRLCK}));
    show("F_SETLK negative start", fcntl(fd_rw, F_SETLK, &(struct flock){.l_type = F_RDLCK, .l_start = -5}));
    show("F_SETPIPE_SZ on a file", fcntl(fd_rw, F_SETPIPE_SZ, PAGE));
    show("F_GETPIPE_SZ on a file", fcntl(fd_rw, F_GETPIPE_SZ));
    show("F_SETPIPE_SZ beyond 2 GiB", fcntl(pipe_fds[0], F_SETPIPE_SZ, 0x80000001u));
    pid_t child = fork();
    if (child == 0) {
        setuid(65534);
        show("nobody: F_SETPIPE_SZ beyond pipe-max-size", fcntl(pipe_fds[0], F_SETPIPE_SZ, 1 << 21));
        show("nobody: F_SETPIPE_SZ within it", fcntl(pipe_fds[0], F_SETPIPE_SZ, 1 << 20));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    int queued = -1;
    write(pipe_fds[1], "abc", 3);
    show("ioctl FIONREAD on a pipe", ioctl(pipe_fds[0], FIONREAD, &queued));
    printf("FIONREAD says %d\n", queued);
    read(pipe_fds[0], buf, 3);
    show("ioctl TCGETS on a pipe", ioctl(pipe_fds[0], TCGETS, buf));
    show("F_SETOWN_EX bad type", fcntl(fd_rw, F_SETOWN_EX, &(struct f_owner_ex){.type = 9, .pid = 1}));
    show("F_SETSIG too large", fcntl(fd_rw, F_SETSIG, 100));
    show("F_ADD_SEALS on a file", fcntl(fd_rw, F_ADD_SEALS, 1));
    show("F_SETFD bad fd", fcntl(-1, F_SETFD, 1));
    show("ioctl bad fd", ioctl(-1, FIONREAD, buf));
    show("ioctl TCGETS on a file", ioctl(fd_ro, TCGETS, buf));
    show("ioctl unknown on a file", ioctl(fd_ro, 0x12345678, buf));
    show("ioctl FIONREAD on a pipe, bad pointer", syscall(SYS_ioctl, pipe_fds[0], FIONREAD, BAD));
    show("ioctl FIONBIO bad pointer", syscall(SYS_ioctl, fd_ro, FIONBIO, BAD));
    show("ioctl FIOCLEX", ioctl(fd_ro, FIOCLEX));
}

static void opens(void)
{
    char longname[400];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    char rel[128];
    snprintf(rel, sizeof(rel), "%s/file/x", dir);
    show("open empty path", open("", O_RDONLY));
    show("open bad pointer", syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY));
    show("open O_CREAT in a missing directory", open("/nonexistent-dir/x", O_CREAT | O_WRONLY, 0644));
    show("open a file with O_DIRECTORY", open(file, O_RDONLY | O_DIRECTORY));
    show("open a directory for writing", open(dir, O_WRONLY));
    show("open a directory O_CREAT", open(dir, O_RDONLY | O_CREAT, 0644));
    show("open O_CREAT|O_EXCL existing", open(file, O_CREAT | O_EXCL | O_RDWR, 0644));
    show("open through a file", open(rel, O_RDONLY));
    show("openat bad dirfd, relative", openat(-1, "x", O_RDONLY));
    show("openat bad dirfd, absolute", openat(-1, file, O_RDONLY));
    show("openat file as dirfd", openat(fd_ro, "x", O_RDONLY));
    show("open name too long", open(longname, O_RDONLY));
    show("open O_NOFOLLOW on a link", open(link_path, O_RDONLY | O_NOFOLLOW));
    show("open O_TMPFILE without write", open(dir, O_TMPFILE | O_RDONLY, 0600));
    show("open O_TMPFILE on a file", open(file, O_TMPFILE | O_RDWR, 0600));
    show("open O_PATH|O_CREAT", open(file, O_PATH | O_CREAT, 0600));
    show("creat a directory", creat(dir, 0644));
    show("open bad access mode 3 on a directory", open(dir, 3));
    show("open O_DIRECTORY|O_CREAT of a file", open(full, O_DIRECTORY | O_CREAT | O_RDWR, 0644));
    show("open O_DIRECTORY|O_CREAT of a missing name", open("/nonexistent-x", O_DIRECTORY | O_CREAT, 0644));
    show("open O_DIRECTORY|O_CREAT bad pointer", syscall(SYS_openat, AT_FDCWD, BAD, O_DIRECTORY | O_CREAT, 0));
    show("open O_PATH|O_DIRECTORY|O_CREAT of a directory", open(dir, O_PATH | O_DIRECTORY | O_CREAT, 0644));
    int path_fd = open(file, O_PATH | O_RDWR | O_TRUNC | O_APPEND);
    printf("open O_PATH|O_RDWR|O_TRUNC|O_APPEND: F_GETFL %#x\n", fcntl(path_fd, F_GETFL) & ~O_LARGEFILE);
    close(path_fd);
    show("access bad mode", access(file, 0x100));
    show("faccessat bad flags", faccessat(AT_FDCWD, file, F_OK, 0x1234));
    show("access missing", access("/nonexistent-x", F_OK));
}

static void memory(void)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS;
    show_ptr("mmap length 0", mmap(NULL, 0, PROT_READ, flags, -1, 0));
    show_ptr("mmap neither shared nor private", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0));
    show_ptr("mmap a bad fd", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0));
    show_ptr("mmap MAP_FIXED unaligned", mmap((void *)0x10000001, PAGE, PROT_READ, flags | MAP_FIXED, -1, 0));
    show_ptr("mmap unaligned offset", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd_ro, 5));
    show_ptr("mmap a pipe", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pipe_fds[0], 0));
    show_ptr("mmap a directory", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd_dir, 0));
    show_ptr("mmap shared writable on a read-only fd", mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, fd_ro, 0));
    show_ptr("mmap write-only pipe end", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pipe_fds[1], 0));
    show_ptr("mmap shared writable on a read-only pipe end", mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, pipe_fds[0], 0));
    int zero_wo = open("/dev/zero", O_WRONLY);
    show_ptr("mmap /dev/zero open write-only", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, zero_wo, 0));
    close(zero_wo);
    show_ptr("mmap MAP_SHARED_VALIDATE unknown flag",
             mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x4000000, fd_ro, 0));
    show_ptr("mmap huge length", mmap(NULL, (size_t)-PAGE, PROT_READ, flags, -1, 0));
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, flags, -1, 0);
    munmap(p + 2 * PAGE, PAGE);
    show("munmap unaligned", munmap(p + 1, PAGE));
    show("munmap length 0", munmap(p, 0));
    show("munmap an unmapped range", munmap(p + 2 * PAGE, PAGE));
    show("mprotect unaligned", mprotect(p + 1, PAGE, PROT_READ));
    show("mprotect across a hole", mprotect(p, 4 * PAGE, PROT_READ));
    show("mprotect bad prot", mprotect(p, PAGE, 0x100));
    show("mprotect unmapped", mprotect(p + 2 * PAGE, PAGE, PROT_READ));
    show("madvise unaligned", madvise(p + 1, PAGE, MADV_NORMAL));
    show("madvise bad advice", madvise(p, PAGE, 999));
    show("madvise across a hole", madvise(p, 4 * PAGE, MADV_WILLNEED));
    show("madvise length 0", madvise(p, 0, MADV_NORMAL));
    show("msync unaligned", msync(p + 1, PAGE, MS_SYNC));
    show("msync both MS_SYNC and MS_ASYNC", msync(p, PAGE, MS_SYNC | MS_ASYNC));
    show("msync bad flags", msync(p, PAGE, 0x100));
    show("msync unmapped", msync(p + 2 * PAGE, PAGE, MS_SYNC));
    show("mlock unmapped", mlock(p + 2 * PAGE, PAGE));
    show("mincore unaligned", syscall(SYS_mincore, p + 1, PAGE, buf));
    show("mincore unmapped", syscall(SYS_mincore, p + 2 * PAGE, PAGE, buf));
    show("mincore bad vector", syscall(SYS_mincore, p, PAGE, BAD));
    show("mremap unaligned", (long)mremap(p + 1, PAGE, 2 * PAGE, 0) == -1 ? -1 : 0);
    show("mremap bad flags", (long)mremap(p, PAGE, 2 * PAGE, 0x80) == -1 ? -1 : 0);
    show("mremap MREMAP_FIXED without MAYMOVE", (long)mremap(p, PAGE, PAGE, MREMAP_FIXED, p + 3 * PAGE) == -1 ? -1 : 0);
    show("brk of nothing", syscall(SYS_brk, 0) == 0 ? -1 : 0);
    munmap(p, 4 * PAGE);
}

static void directories(void)
{
    char new_path[128], dirfile[128];
    snprintf(new_path, sizeof(new_path), "%s/new", dir);
    snprintf(dirfile, sizeof(dirfile), "%s/sub/inner/x", dir);
    show("getdents64 bad fd", syscall(SYS_getdents64, -1, buf, sizeof(buf)));
    show("getdents64 on a file", syscall(SYS_getdents64, fd_ro, buf, sizeof(buf)));
    show("getdents64 tiny buffer", syscall(SYS_getdents64, fd_dir, buf, 1));
    show("getdents64 bad pointer", syscall(SYS_getdents64, fd_dir, BAD, sizeof(buf)));
    lseek(fd_dir, 0, SEEK_SET);
    show("link a missing file", link("/nonexistent-x", new_path));
    show("link onto an existing name", link(file, full));
    show("link a directory", link(subdir, new_path));
    show("link into a missing directory", link(file, "/nonexistent-dir/x"));
    show("linkat bad flags", linkat(AT_FDCWD, file, AT_FDCWD, new_path, 0x1234));
    show("unlink a directory", unlink(subdir));
    show("unlink missing", unlink("/nonexistent-x"));
    show("unlink empty path", unlink(""));
    show("unlinkat bad flags", unlinkat(AT_FDCWD, file, 0x1234));
    show("unlinkat AT_REMOVEDIR on a file", unlinkat(AT_FDCWD, file, AT_REMOVEDIR));
    show("rmdir a file", rmdir(file));
    show("rmdir not empty", rmdir(subdir));
    show("rmdir dot", rmdir("."));
    show("rmdir dot-dot", rmdir(".."));
    show("rename missing", rename("/nonexistent-x", new_path));
    show("rename a directory over a file", rename(subdir, file));
    show("rename a file over a directory", rename(file, subdir));
    show("rename a directory into itself", rename(subdir, full));
    show("rename through a file", rename(file, dirfile));
    show("renameat2 bad flags", syscall(SYS_renameat2, AT_FDCWD, file, AT_FDCWD, new_path, 0x100));
    show("renameat2 NOREPLACE onto an existing name",
         syscall(SYS_renameat2, AT_FDCWD, file, AT_FDCWD, full, 1 /* RENAME_NOREPLACE */));
    show("renameat2 EXCHANGE|NOREPLACE", syscall(SYS_renameat2, AT_FDCWD, file, AT_FDCWD, full, 3));
    show("renameat2 EXCHANGE with a missing name", syscall(SYS_renameat2, AT_FDCWD, file, AT_FDCWD, new_path, 2));
    show("renameat2 WHITEOUT|EXCHANGE", syscall(SYS_renameat2, AT_FDCWD, file, AT_FDCWD, full, 6));
    show("mkdir existing", mkdir(subdir, 0755));
    show("mkdir in a missing directory", mkdir("/nonexistent-dir/x", 0755));
    show("mkdir through a file", mkdir(dirfile, 0755));
    show("symlink empty target", symlink("", new_path));
    show("symlink onto an existing name", symlink("x", file));
    show("readlink a file", readlink(file, buf, sizeof(buf)));
    show("readlink size 0", syscall(SYS_readlinkat, AT_FDCWD, link_path, buf, 0));
    show("readlink bad buffer", syscall(SYS_readlinkat, AT_FDCWD, link_path, BAD, 10));
    show("chdir a file", chdir(file));
    show("chdir missing", chdir("/nonexistent-x"));
    show("chdir bad pointer", syscall(SYS_chdir, BAD));
    show("fchdir bad fd", fchdir(-1));
    show("fchdir a file", fchdir(fd_ro));
    show("getcwd size 0", syscall(SYS_getcwd, buf, 0));
    show("getcwd size 1", syscall(SYS_getcwd, buf, 1));
    show("getcwd bad pointer", syscall(SYS_getcwd, BAD, 100));
    show("mknod a regular file, bad type", mknod(new_path, 0170000 | 0644, 0));
    show("chmod missing", chmod("/nonexistent-x", 0644));
    show("fchmodat bad flags", syscall(SYS_fchmodat, AT_FDCWD, file, 0644, 0x1234));
    show("fchownat bad flags", fchownat(AT_FDCWD, file, 0, 0, 0x1234));
}

static void truncates_and_stat(void)
{
    struct statx sx;
    show("truncate a directory", truncate(subdir, 0));
    show("truncate missing", truncate("/nonexistent-x", 0));
    show("truncate negative", truncate(file, -1));
    show("truncate through a file", truncate("/etc/passwd/x", 0));
    show("ftruncate read-only fd", ftruncate(fd_ro, 0));
    show("ftruncate bad fd", ftruncate(-1, 0));
    show("ftruncate a pipe", ftruncate(pipe_fds[1], 0));
    show("ftruncate negative", ftruncate(fd_rw, -1));
    show("ftruncate a directory", ftruncate(fd_dir, 0));
    show("statx empty path", syscall(SYS_statx, AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx));
    show("statx bad dirfd", syscall(SYS_statx, -1, "x", 0, STATX_BASIC_STATS, &sx));
    show("statx bad flags", syscall(SYS_statx, AT_FDCWD, file, 0x80000000, STATX_BASIC_STATS, &sx));
    show("statx reserved mask", syscall(SYS_statx, AT_FDCWD, file, 0, 0x80000000u, &sx));
    show("statx bad buffer", syscall(SYS_statx, AT_FDCWD, file, 0, STATX_BASIC_STATS, BAD));
    show("statx bad path", syscall(SYS_statx, AT_FDCWD, BAD, 0, STATX_BASIC_STATS, &sx));
    show("statx both sync flags", syscall(SYS_statx, AT_FDCWD, file, 0x6000, STATX_BASIC_STATS, &sx));
    show("statx AT_EMPTY_PATH on a bad fd", syscall(SYS_statx, -1, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    show("newfstatat bad flags", fstatat(AT_FDCWD, file, (struct stat *)buf, 0x1234));
    struct timespec bad_nsec[2] = {{0, 1000000000}, {0, 0}};
    struct timespec ok[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    show("utimensat bad nsec", utimensat(AT_FDCWD, file, bad_nsec, 0));
    show("utimensat bad flags, both omitted", utimensat(AT_FDCWD, file, ok, 0x1234));
    show("utimensat missing, both omitted", utimensat(AT_FDCWD, "/nonexistent-x", ok, 0));
    show("utimensat bad fd, both omitted", syscall(SYS_utimensat, -1, NULL, ok, 0));
    show("utimensat bad flags", utimensat(AT_FDCWD, file, NULL, 0x1234));
    show("utimensat bad nsec on a missing file", utimensat(AT_FDCWD, "/nonexistent-x", bad_nsec, 0));
    show("utimensat fd with AT_SYMLINK_NOFOLLOW", syscall(SYS_utimensat, fd_rw, NULL, NULL, AT_SYMLINK_NOFOLLOW));
    show("utimensat no path, AT_FDCWD", syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0));
    show("utimensat fd, bad nsec", syscall(SYS_utimensat, fd_rw, NULL, bad_nsec, 0));
    show("utimensat bad fd with no path", syscall(SYS_utimensat, -1, NULL, NULL, 0));
    show("utimensat missing", utimensat(AT_FDCWD, "/nonexistent-x", NULL, 0));
    show("utimensat bad times pointer", syscall(SYS_utimensat, AT_FDCWD, file, BAD, 0));
    show("utimensat negative nsec", utimensat(AT_FDCWD, file, (struct timespec[2]){{0, -5}, {0, 0}}, 0));
}

static void waiting_and_time(void)
{
    fd_set set;
    FD_ZERO(&set);
    FD_SET(60, &set);
    struct timeval zero_tv = {0, 0}, bad_tv = {0, -1};
    show("select negative nfds", select(-1, NULL, NULL, NULL, &zero_tv));
    show("select closed fd in the set", select(61, &set, NULL, NULL, &zero_tv));
    show("select negative timeout", select(0, NULL, NULL, NULL, &bad_tv));
    show("poll bad pointer", syscall(SYS_poll, BAD, 1, 0));
    show("poll too many", syscall(SYS_poll, buf, 1 << 20, 0));
    struct pollfd bad_fd = {-5, POLLIN, 0};
    long r = poll(&bad_fd, 1, 0);
    printf("poll a negative fd: %ld revents %d\n", r, bad_fd.revents);
    struct pollfd closed = {60, POLLIN, 0};
    r = poll(&closed, 1, 0);
    printf("poll a closed fd: %ld revents %#x\n", r, closed.revents);
    struct timespec bad_ts = {0, 1000000000};
    show("ppoll bad timeout", syscall(SYS_ppoll, &closed, 1, &bad_ts, NULL, 8));
    show("ppoll bad sigset size", syscall(SYS_ppoll, &closed, 1, NULL, buf, 4));
    show("pselect bad timeout", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &bad_ts, NULL));
    struct timespec ts;
    show("clock_gettime bad clock", clock_gettime(99, &ts));
    show("clock_gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_REALTIME, BAD));
    show("clock_getres bad clock", clock_getres(99, &ts));
    show("clock_getres NULL", clock_getres(CLOCK_MONOTONIC, NULL));
    show("clock_settime monotonic", clock_settime(CLOCK_MONOTONIC, &ts));
    show("clock_settime bad nsec", clock_settime(CLOCK_REALTIME, &bad_ts));
    errno = clock_nanosleep(99, 0, &ts, NULL);
    show("clock_nanosleep bad clock", errno ? -1 : 0);
    errno = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL);
    show("clock_nanosleep thread CPU clock", errno ? -1 : 0);
    errno = clock_nanosleep(CLOCK_MONOTONIC, 0, &bad_ts, NULL);
    show("clock_nanosleep bad nsec", errno ? -1 : 0);
    struct timespec neg = {-1, 0};
    errno = clock_nanosleep(CLOCK_MONOTONIC, 0, &neg, NULL);
    show("clock_nanosleep negative", errno ? -1 : 0);
    show("nanosleep bad nsec", nanosleep(&bad_ts, NULL));
    show("nanosleep negative", nanosleep(&neg, NULL));
    show("nanosleep bad pointer", syscall(SYS_nanosleep, BAD, NULL));
    show("getrandom bad flags", syscall(SYS_getrandom, buf, 10, 0x100));
    show("getrandom bad pointer", syscall(SYS_getrandom, BAD, 10, 0));
    show("getrandom RANDOM|INSECURE", syscall(SYS_getrandom, buf, 10, 0x6));
    show("gettimeofday bad pointer", syscall(SYS_gettimeofday, BAD, NULL));
    show("setitimer bad which", setitimer(99, &(struct itimerval){0}, NULL));
    show("getitimer bad which", getitimer(99, &(struct itimerval){0}));
    show("setitimer bad usec", setitimer(ITIMER_REAL, &(struct itimerval){.it_value = {0, 2000000}}, NULL));
    show("timerfd_create bad clock", syscall(SYS_timerfd_create, 99, 0));
    show("timerfd_create bad flags", syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0x1234));
    show("eventfd2 bad flags", syscall(SYS_eventfd2, 0, 0x1234));
    show("epoll_create negative", syscall(SYS_epoll_create1, 0x1234));
    show("signalfd4 bad flags", syscall(SYS_signalfd4, -1, buf, 8, 0x1234));
    show("signalfd4 bad size", syscall(SYS_signalfd4, -1, buf, 4, 0));
}

static void processes_and_signals(void)
{
    int status;
    siginfo_t si;
    show("prctl bad option", prctl(9999, 0, 0, 0, 0));
    show("prctl SET_NAME bad pointer", syscall(SYS_prctl, PR_SET_NAME, BAD, 0, 0, 0));
    show("prctl GET_NAME bad pointer", syscall(SYS_prctl, PR_GET_NAME, BAD, 0, 0, 0));
    show("prctl SET_DUMPABLE 5", prctl(PR_SET_DUMPABLE, 5, 0, 0, 0));
    show("prctl SET_NO_NEW_PRIVS 2", prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    show("prctl SET_NO_NEW_PRIVS extra args", prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
    show("wait4 without children", wait4(-1, &status, 0, NULL));
    show("wait4 bad options", wait4(-1, &status, 0x1234, NULL));
    show("waitid without WEXITED etc.", waitid(P_ALL, 0, &si, 0));
    show("waitid bad idtype", waitid((idtype_t)99, 0, &si, WEXITED));
    show("waitid missing pid", waitid(P_PID, 999999, &si, WEXITED | WNOHANG));
    show("waitid P_PGID negative", syscall(SYS_waitid, P_PGID, -1, &si, WEXITED, NULL));
    show("kill bad signal", kill(getpid(), 99));
    show("kill missing pid", kill(999999, 0));
    show("kill INT_MIN", kill(INT_MIN, 0));
    show("tgkill zero tgid", syscall(SYS_tgkill, 0, 0, 0));
    show("tgkill missing tid", syscall(SYS_tgkill, getpid(), 999999, 0));
    show("tgkill bad signal", syscall(SYS_tgkill, getpid(), getpid(), 99));
    show("tkill negative", syscall(SYS_tkill, -1, 0));
    show("rt_sigaction bad signal", syscall(SYS_rt_sigaction, 99, NULL, NULL, 8));
    show("rt_sigaction SIGKILL", syscall(SYS_rt_sigaction, SIGKILL, buf, NULL, 8));
    show("rt_sigaction bad size", syscall(SYS_rt_sigaction, SIGINT, NULL, NULL, 4));
    show("rt_sigaction bad pointer", syscall(SYS_rt_sigaction, SIGINT, BAD, NULL, 8));
    show("rt_sigaction signal 0", syscall(SYS_rt_sigaction, 0, NULL, NULL, 8));
    show("rt_sigprocmask bad how", syscall(SYS_rt_sigprocmask, 99, buf, NULL, 8));
    show("rt_sigprocmask bad size", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, NULL, 4));
    show("rt_sigprocmask bad pointer", syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD, NULL, 8));
    show("rt_sigprocmask bad how, no set", syscall(SYS_rt_sigprocmask, 99, NULL, NULL, 8));
    show("rt_sigpending bad size", syscall(SYS_rt_sigpending, buf, 16));
    show("rt_sigqueueinfo bad signal", syscall(SYS_rt_sigqueueinfo, getpid(), 99, buf));
    stack_t ss = {.ss_sp = buf, .ss_size = sizeof(buf), .ss_flags = 99};
    show("sigaltstack bad flags", sigaltstack(&ss, NULL));
    ss.ss_flags = 0;
    ss.ss_size = 100;
    show("sigaltstack too small", sigaltstack(&ss, NULL));
    show("sigaltstack bad pointer", syscall(SYS_sigaltstack, BAD, NULL));
    show("setpgid negative", setpgid(0, -1));
    show("setpgid missing pid", setpgid(999999, 0));
    show("getpgid missing", getpgid(999999));
    show("getsid missing", getsid(999999));
    show("sched_setscheduler bad policy", syscall(SYS_sched_setscheduler, 0, 99, buf));
    show("sched_getparam missing", syscall(SYS_sched_getparam, 999999, buf));
    show("sched_getaffinity small size", syscall(SYS_sched_getaffinity, 0, 1, buf));
    show("getpriority bad which", getpriority(99, 0) == -1 && errno ? -1 : 0);
    show("setrlimit bad resource", setrlimit(99, &(struct rlimit){1, 1}));
    show("getrlimit bad pointer", syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD));
    show("setrlimit soft above hard", setrlimit(RLIMIT_NOFILE, &(struct rlimit){100, 10}));
    show("getrusage bad who", getrusage(99, (struct rusage *)buf));
    show("uname bad pointer", syscall(SYS_uname, BAD));
    show("sethostname too long", sethostname(buf, 100));
    show("setgroups negative", syscall(SYS_setgroups, -1, NULL));
    show("getgroups negative", syscall(SYS_getgroups, -1, NULL));
    show("umask of everything", (umask(0777), umask(022), 0));
}

static void sockets(void)
{
    int sv[2];
    show("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    show("socketpair bad type", socketpair(AF_UNIX, 99, 0, sv));
    show("socketpair bad family", socketpair(99, SOCK_STREAM, 0, sv));
    show("socketpair bad protocol", socketpair(AF_UNIX, SOCK_STREAM, 5, sv));
    show("socketpair bad pointer", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD));
    show("socketpair bad flags", socketpair(AF_UNIX, SOCK_STREAM | 0x40000000, 0, sv));
    show("socket bad protocol", socket(AF_INET, SOCK_STREAM, 99));
    show("socket bad type", socket(AF_INET, 99, 0));
    show("socket raw unix", socket(AF_UNIX, SOCK_RAW, 0));
    int u = socket(AF_UNIX, SOCK_STREAM, 0), i = socket(AF_INET, SOCK_STREAM, 0), d = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    strcpy(sun.sun_path, sock_path);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    show("bind bad fd", bind(-1, (struct sockaddr *)&sun, sizeof(sun)));
    show("bind a file", bind(fd_ro, (struct sockaddr *)&sun, sizeof(sun)));
    show("bind length 0", bind(u, (struct sockaddr *)&sun, 0));
    show("bind AF_INET short", bind(i, (struct sockaddr *)&sin, 4));
    show("bind AF_INET wrong family", bind(i, (struct sockaddr *)&sun, sizeof(sin)));
    show("bind bad pointer", syscall(SYS_bind, i, BAD, sizeof(sin)));
    show("bind too long", bind(u, (struct sockaddr *)&sun, 200));
    show("bind unix", bind(u, (struct sockaddr *)&sun, sizeof(sun)));
    show("bind unix again", bind(u, (struct sockaddr *)&sun, sizeof(sun)));
    int u2 = socket(AF_UNIX, SOCK_STREAM, 0);
    show("bind an existing path", bind(u2, (struct sockaddr *)&sun, sizeof(sun)));
    show("bind unix in a missing directory",
         bind(u2, (struct sockaddr *)&(struct sockaddr_un){AF_UNIX, "/nonexistent-dir/s"}, sizeof(sun)));
    show("bind AF_INET non-local address",
         bind(i, (struct sockaddr *)&(struct sockaddr_in){AF_INET, 0, {htonl(0x08080808)}, {0}}, sizeof(sin)));
    show("connect unix to a bound, unlistening socket", connect(u2, (struct sockaddr *)&sun, sizeof(sun)));
    show("connect unix to a missing path",
         connect(u2, (struct sockaddr *)&(struct sockaddr_un){AF_UNIX, "/nonexistent-x"}, sizeof(sun)));
    show("connect unix to a file",
         connect(u2, (struct sockaddr *)&(struct sockaddr_un){AF_UNIX, "/etc/passwd"}, sizeof(sun)));
    show("connect bad pointer", syscall(SYS_connect, i, BAD, sizeof(sin)));
    show("connect AF_INET short", connect(i, (struct sockaddr *)&sin, 4));
    show("connect a file", connect(fd_ro, (struct sockaddr *)&sin, sizeof(sin)));
    show("listen a file", listen(fd_ro, 1));
    show("listen UDP", listen(d, 1));
    show("accept unlistened", accept(u2, NULL, NULL));
    show("accept a file", accept(fd_ro, NULL, NULL));
    show("accept4 bad flags", accept4(u, NULL, NULL, 0x1234));
    show("getsockopt bad level", getsockopt(i, 999, 1, buf, &(socklen_t){4}));
    show("getsockopt bad name", getsockopt(i, SOL_SOCKET, 9999, buf, &(socklen_t){4}));
    show("setsockopt short", setsockopt(i, SOL_SOCKET, SO_REUSEADDR, buf, 2));
    show("setsockopt bad pointer", syscall(SYS_setsockopt, i, SOL_SOCKET, SO_REUSEADDR, BAD, 4));
    show("getsockopt negative length", getsockopt(i, SOL_SOCKET, SO_TYPE, buf, &(socklen_t){(socklen_t)-1}));
    show("getpeername unconnected", getpeername(i, (struct sockaddr *)buf, &(socklen_t){16}));
    show("shutdown unconnected", shutdown(i, SHUT_RDWR));
    show("shutdown bad how", shutdown(i, 99));
    show("sendto unconnected stream", sendto(i, "x", 1, 0, NULL, 0));
    show("send unconnected UDP", send(d, "x", 1, 0));
    show("recv unconnected stream", recv(i, buf, 1, MSG_DONTWAIT));
    show("sendmsg bad pointer", syscall(SYS_sendmsg, d, BAD, 0));
    show("recvmsg bad pointer", syscall(SYS_recvmsg, d, BAD, 0));
    close(u);
    close(u2);
    close(i);
    close(d);
    unlink(sock_path);
}

/* utime, utimes and futimesat: the ABI's longs (32-bit on i386). */
static void old_time_calls(void)
{
    struct stat st;
    long t[4] = {1000, 0, 2000, 0};
    show("utime", syscall(SYS_utime, file, t));
    stat(file, &st);
    printf("utime set atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
    show("utime now", syscall(SYS_utime, file, NULL));
    show("utime missing", syscall(SYS_utime, "/nonexistent-x", t));
    show("utime bad times", syscall(SYS_utime, file, BAD));
    show("utime bad path", syscall(SYS_utime, BAD, t));
    long tv[4] = {3000, 500000, 4000, 999999};
    show("utimes", syscall(SYS_utimes, file, tv));
    stat(file, &st);
    printf("utimes set atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
    tv[1] = 1000000;
    show("utimes a million microseconds", syscall(SYS_utimes, file, tv));
    tv[1] = -1;
    show("utimes negative microseconds", syscall(SYS_utimes, file, tv));
    tv[1] = 0;
    show("futimesat a descriptor alone", syscall(SYS_futimesat, fd_rw, NULL, tv));
    show("futimesat bad dirfd", syscall(SYS_futimesat, -1, "file", tv));
    show("futimesat relative", syscall(SYS_futimesat, fd_dir, "file", tv));
    show("futimesat missing", syscall(SYS_futimesat, fd_dir, "missing", NULL));
    show("futimesat bad times", syscall(SYS_futimesat, fd_dir, "file", BAD));
}

#ifdef __i386__
/* i386's old struct stat (stat, lstat, fstat: 106-108). */
struct old_stat {
    unsigned st_dev, st_ino;
    unsigned short st_mode, st_nlink, st_uid, st_gid;
    unsigned st_rdev, st_size, st_blksize, st_blocks;
    unsigned times[6]; /* atime, its nanoseconds, mtime, ..., ctime, ... */
    unsigned unused4, unused5;
};

static void old_i386_calls(void)
{
    struct old_stat os;
    memset(&os, 0xa5, sizeof(os));
    show("old stat", syscall(106, file, &os));
    printf("old stat: mode %o nlink %u size %u uid %u, the rest zero %d\n", os.st_mode, os.st_nlink, os.st_size,
           os.st_uid, os.unused4 == 0 && os.unused5 == 0);
    show("old lstat of a link", syscall(107, link_path, &os));
    printf("old lstat: a link %d\n", S_ISLNK(os.st_mode));
    show("old fstat", syscall(108, fd_ro, &os));
    printf("old fstat: size %u\n", os.st_size);
    show("old fstat bad fd", syscall(108, -1, &os));
    show("old fstat bad pointer", syscall(108, fd_ro, BAD));
    show("old stat missing", syscall(106, "/nonexistent-x", &os));
    int status;
    show("waitpid without children", syscall(7, -1, &status, 0));
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    long r = syscall(7, child, &status, 0);
    printf("waitpid: %s, exit status %d\n", r == child ? "the child" : "other", WEXITSTATUS(status));
    show("waitpid bad options", syscall(7, -1, &status, 0x1234));
    show("fadvise64_64 negative length", syscall(272, fd_ro, 0, 0, 0xffffffffu, 0xffffffffu, POSIX_FADV_NORMAL));
    show("fadvise64 length 0xffffffff", syscall(250, fd_ro, 0, 0, 0xffffffffu, POSIX_FADV_NORMAL));
    show("fadvise64_64 bad advice", syscall(272, fd_ro, 0, 0, 10, 0, 77));
    show("readahead high offset", syscall(225, fd_ro, 0, 1, 10));
}
#endif

/* preadv, pwritev and close_range, and readv's order of checks. */
static void vectors_and_ranges(void)
{
    char a[4] = {0}, b[4] = {0};
    struct iovec v[2] = {{a, 3}, {b, 3}};
    show("readv bad fd, bad iovec", syscall(SYS_readv, -1, BAD, 1));
    show("readv write-only fd, bad iovec", syscall(SYS_readv, pipe_fds[1], BAD, 1));
    show("writev read-only fd, bad count", syscall(SYS_writev, fd_ro, v, -1));
    long r = preadv(fd_ro, v, 2, 2);
    printf("preadv at 2: %ld \"%s\" \"%s\", position still %ld\n", r, a, b, (long)lseek(fd_ro, 0, SEEK_CUR));
    show("preadv negative offset", preadv(fd_ro, v, 2, -1));
    show("preadv a pipe", preadv(pipe_fds[0], v, 2, 0));
    show("preadv bad fd", preadv(-1, v, 2, 0));
    show("preadv write-only", preadv(pipe_fds[1], v, 2, 0));
    show("preadv bad iovec", syscall(SYS_preadv, fd_ro, BAD, 1, 0, 0));
    show("preadv too many", syscall(SYS_preadv, fd_ro, v, 1025, 0, 0));
    show("preadv negative count", syscall(SYS_preadv, fd_ro, v, -1, 0, 0));
    show("pwritev read-only", pwritev(fd_ro, v, 2, 0));
    memcpy(a, "AB", 2);
    memcpy(b, "CD", 2);
    v[0].iov_len = v[1].iov_len = 2;
    r = pwritev(fd_rw, v, 2, 6);
    char all[16] = {0};
    pread(fd_ro, all, sizeof(all) - 1, 0);
    printf("pwritev at 6: %ld, the file \"%s\"\n", r, all);
    pwrite(fd_rw, "6789", 4, 6);
    show("pwritev directory", pwritev(fd_dir, v, 2, 0));
    show("close_range bad flags", syscall(SYS_close_range, 40, 50, 1));
    show("close_range first after last", syscall(SYS_close_range, 50, 40, 0));
    dup2(fd_ro, 40);
    dup2(fd_ro, 41);
    show("close_range CLOEXEC", syscall(SYS_close_range, 40, 40, 4));
    printf("descriptor 40: FD_CLOEXEC %d\n", fcntl(40, F_GETFD));
    show("close_range", syscall(SYS_close_range, 40, ~0u, 0));
    printf("descriptor 41 after it: %s\n", fcntl(41, F_GETFD) < 0 ? errno_name(errno) : "open");
    show("close_range of nothing open", syscall(SYS_close_range, 500, 600, 0));
    show("close_range UNSHARE", syscall(SYS_close_range, 900, 901, 2));
}

static int compare_names(const void *a, const void *b) { return strcmp(a, b); }

/* The old getdents: the ABI's longs, the type in each record's last byte. */
static void old_getdents(void)
{
    show("getdents bad fd", syscall(SYS_getdents, -1, buf, sizeof(buf)));
    show("getdents on a file", syscall(SYS_getdents, fd_ro, buf, sizeof(buf)));
    show("getdents tiny buffer", syscall(SYS_getdents, fd_dir, buf, 12));
    show("getdents bad pointer", syscall(SYS_getdents, fd_dir, BAD, sizeof(buf)));
    lseek(fd_dir, 0, SEEK_SET);
    char names[16][40];
    int count = 0, aligned = 1;
    long n;
    while ((n = syscall(SYS_getdents, fd_dir, buf, sizeof(buf))) > 0) {
        for (long at = 0; at < n;) {
            unsigned long *ino = (unsigned long *)(buf + at);
            unsigned short reclen;
            memcpy(&reclen, buf + at + 2 * sizeof(long), sizeof(reclen));
            const char *name = buf + at + 2 * sizeof(long) + sizeof(reclen);
            if (count < 16)
                snprintf(names[count++], sizeof(names[0]), "%s type %d ino %d", name, buf[at + reclen - 1], *ino != 0);
            aligned &= reclen % sizeof(long) == 0;
            at += reclen;
        }
    }
    show("getdents to the end", n);
    qsort(names, count, sizeof(names[0]), compare_names);
    for (int i = 0; i < count; i++)
        printf("getdents: %s\n", names[i]);
    printf("getdents records aligned to longs: %d\n", aligned);
    lseek(fd_dir, 0, SEEK_SET);
}

/* A second round: what the first one left out. */
static void more_calls(void)
{
    int fd_null;
    struct epoll_event ev = {.events = EPOLLIN};
    int ep = epoll_create1(0);
    show("epoll_create 0", syscall(SYS_epoll_create1 == 0 ? 0 : SYS_epoll_create1, 0x80000000));
    show("epoll_ctl bad op", epoll_ctl(ep, 99, pipe_fds[0], &ev));
    show("epoll_ctl on itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
    show("epoll_ctl a regular file", epoll_ctl(ep, EPOLL_CTL_ADD, fd_ro, &ev));
    show("epoll_ctl MOD of nothing", epoll_ctl(ep, EPOLL_CTL_MOD, pipe_fds[0], &ev));
    show("epoll_ctl DEL of nothing", epoll_ctl(ep, EPOLL_CTL_DEL, pipe_fds[0], &ev));
    show("epoll_ctl ADD", epoll_ctl(ep, EPOLL_CTL_ADD, pipe_fds[0], &ev));
    show("epoll_ctl ADD twice", epoll_ctl(ep, EPOLL_CTL_ADD, pipe_fds[0], &ev));
    show("epoll_ctl bad event pointer", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, pipe_fds[0], BAD));
    show("epoll_ctl not an epoll", epoll_ctl(fd_ro, EPOLL_CTL_ADD, pipe_fds[0], &ev));
    show("epoll_ctl EXCLUSIVE with MOD", epoll_ctl(ep, EPOLL_CTL_MOD, pipe_fds[0], &(struct epoll_event){.events = EPOLLIN | EPOLLEXCLUSIVE}));
    show("epoll_wait 0 events", epoll_wait(ep, (struct epoll_event *)buf, 0, 0));
    show("epoll_wait not an epoll", epoll_wait(fd_ro, (struct epoll_event *)buf, 1, 0));
    show("epoll_wait bad pointer", syscall(SYS_epoll_pwait, ep, BAD, 1, 0, NULL, 8));
    close(ep);
    int efd = eventfd(0, 0);
    unsigned long long big = ~0ull;
    show("eventfd write all ones", write(efd, &big, 8));
    show("eventfd short write", write(efd, &big, 4));
    show("eventfd short read", read(efd, buf, 4));
    close(efd);
    show("memfd_create bad flags", syscall(SYS_memfd_create, "x", 0x100));
    show("memfd_create long name", syscall(SYS_memfd_create, buf, 0));
    show("memfd_create bad name pointer", syscall(SYS_memfd_create, BAD, 0));
    show("flock bad operation", flock(fd_ro, 99));
    show("flock bad fd", flock(-1, LOCK_SH));
    show("fsync a pipe", fsync(pipe_fds[0]));
    show("fdatasync bad fd", fdatasync(-1));
    show("fsync a directory", fsync(fd_dir));
    show("flock LOCK_MAND", flock(fd_ro, 32 | LOCK_SH));
    show("flock 8|2", flock(fd_ro, 10));
    fd_null = open("/dev/null", O_RDONLY);
    show("fsync /dev/null", fsync(fd_null));
    close(fd_null);
    show("fsync a regular file", fsync(fd_ro));
    show("fdatasync a pipe", fdatasync(pipe_fds[1]));
    show("sync_file_range bad flags", sync_file_range(fd_rw, 0, 0, 0x100));
    show("sync_file_range negative offset", sync_file_range(fd_rw, -1, 0, 0));
    show("sync_file_range negative length", sync_file_range(fd_rw, 0, -1, 0));
    show("sync_file_range bad fd", sync_file_range(-1, 0, 0, 0));
    show("sync_file_range a pipe", sync_file_range(pipe_fds[0], 0, 0, 0));
    show("sync_file_range a file", sync_file_range(fd_rw, 0, 10, SYNC_FILE_RANGE_WRITE));
    show("sync_file_range a directory", sync_file_range(fd_dir, 0, 0, 0));
    errno = posix_fadvise(fd_ro, 0, 10, 99);
    show("posix_fadvise bad advice", errno ? -1 : 0);
    errno = posix_fadvise(-1, 0, 10, POSIX_FADV_NORMAL);
    show("posix_fadvise bad fd", errno ? -1 : 0);
    errno = posix_fadvise(pipe_fds[0], 0, 10, POSIX_FADV_NORMAL);
    show("posix_fadvise a pipe", errno ? -1 : 0);
    errno = posix_fadvise(fd_ro, 0, -1, POSIX_FADV_NORMAL);
    show("posix_fadvise negative length", errno ? -1 : 0);
    errno = posix_fadvise(fd_ro, 0, 10, POSIX_FADV_DONTNEED);
    show("posix_fadvise DONTNEED", errno ? -1 : 0);
    errno = posix_fadvise(fd_dir, 0, 0, POSIX_FADV_SEQUENTIAL);
    show("posix_fadvise a directory", errno ? -1 : 0);
    show("readahead a file", readahead(fd_ro, 0, 100));
    show("readahead bad fd", readahead(-1, 0, 100));
    show("readahead a pipe", readahead(pipe_fds[0], 0, 100));
    show("readahead write-only", readahead(pipe_fds[1], 0, 100));
    show("readahead a directory", readahead(fd_dir, 0, 100));
    show("mkdirat bad dirfd", mkdirat(-1, "x", 0755));
    show("mkdirat a file as dirfd", mkdirat(fd_ro, "x", 0755));
    show("symlinkat bad dirfd", symlinkat("x", -1, "y"));
    show("lseek a directory to 5", lseek(fd_dir, 5, SEEK_SET) < 0 ? -1 : 0);
    lseek(fd_dir, 0, SEEK_SET);
    show("sendfile bad in fd", sendfile(fd_rw, -1, NULL, 1));
    show("sendfile to a read-only fd", sendfile(fd_ro, fd_ro, NULL, 1));
    show("sendfile from a directory", sendfile(pipe_fds[1], fd_dir, NULL, 1));
    show("sendfile negative offset", sendfile(pipe_fds[1], fd_ro, &(off_t){-1}, 1));
    show("timerfd_settime bad flags", syscall(SYS_timerfd_settime, -1, 0x1234, buf, NULL));
    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    show("timerfd_settime bad nsec", timerfd_settime(tfd, 0, &(struct itimerspec){.it_value = {0, 2000000000}}, NULL));
    show("timerfd_settime bad flags on a timerfd", syscall(SYS_timerfd_settime, tfd, 0x1234, buf, NULL));
    show("timerfd_gettime not a timerfd", syscall(SYS_timerfd_gettime, fd_ro, buf));
    close(tfd);
    show("signalfd not a signalfd", syscall(SYS_signalfd4, fd_ro, buf, 8, 0));
    show("sched_setaffinity no CPU", syscall(SYS_sched_setaffinity, 0, 8, &(unsigned long long){0}));
    show("sched_get_priority_max bad policy", sched_get_priority_max(99));
    show("sched_rr_get_interval missing", syscall(SYS_sched_rr_get_interval, 999999, buf));
    show("sched_setparam bad priority", syscall(SYS_sched_setparam, 0, &(int){50}));
    show("setpriority bad which", setpriority(99, 0, 0));
    show("setpriority missing", setpriority(PRIO_PROCESS, 999999, 0));
    show("getcpu bad pointer", syscall(SYS_getcpu, BAD, NULL, NULL));
    show("personality query", personality(0xffffffff) < 0 ? -1 : 0);
    show("set_tid_address", syscall(SYS_set_tid_address, NULL) > 0 ? 0 : -1);
    show("futex bad op", syscall(SYS_futex, buf, 99, 0, NULL, NULL, 0));
    show("futex bad address", syscall(SYS_futex, BAD, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("futex unaligned", syscall(SYS_futex, buf + 1, FUTEX_WAIT, 0, NULL, NULL, 0));
    show("futex wait mismatch", syscall(SYS_futex, buf, FUTEX_WAIT, 12345, NULL, NULL, 0));
    show("capget bad pointer", syscall(SYS_capget, BAD, NULL));
    show("mount bad pointers", syscall(SYS_mount, BAD, BAD, BAD, 0, NULL));
    show("umount2 bad flags", syscall(SYS_umount2, "/tmp", 0x100));
    show("sysinfo bad pointer", syscall(SYS_sysinfo, BAD));
    show("times bad pointer", syscall(SYS_times, BAD));
    show("getitimer bad pointer", syscall(SYS_getitimer, ITIMER_REAL, BAD));
    show("alarm", (alarm(0), 0));
    show("fchown bad fd", fchown(-1, 0, 0));
    show("fchmod bad fd", fchmod(-1, 0644));
    show("fchmodat AT_SYMLINK_NOFOLLOW", syscall(SYS_fchmodat, AT_FDCWD, file, 0644, AT_SYMLINK_NOFOLLOW));
    show("faccessat2 bad flags", syscall(SYS_faccessat2, AT_FDCWD, file, F_OK, 0x1234));
    show("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, file, buf, buf + 64, 0) < 0 && errno == ENOSYS ? 0 : 0);
    show("getxattr", getxattr(file, "user.x", buf, 10) < 0 && errno == ENOSYS ? 0 : 0);
}

/* fallocate in the modes every file system Linux has for /tmp shares. */
static void fallocates(void)
{
    struct stat st;
    show("fallocate length 0", fallocate(fd_rw, 0, 0, 0));
    show("fallocate negative offset", fallocate(fd_rw, 0, -1, 10));
    show("fallocate unknown mode", fallocate(fd_rw, 0x100, 0, 10));
    show("fallocate PUNCH_HOLE without KEEP_SIZE", fallocate(fd_rw, FALLOC_FL_PUNCH_HOLE, 0, 10));
    show("fallocate PUNCH_HOLE|ZERO_RANGE", fallocate(fd_rw, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE, 0, 10));
    show("fallocate COLLAPSE_RANGE|KEEP_SIZE", fallocate(fd_rw, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    show("fallocate read-only fd", fallocate(fd_ro, 0, 0, 10));
    show("fallocate bad fd", fallocate(-1, 0, 0, 10));
    show("fallocate a pipe", fallocate(pipe_fds[1], 0, 0, 10));
    int dir_rw = open(dir, O_RDONLY);
    show("fallocate a directory (read-only)", fallocate(dir_rw, 0, 0, 10));
    close(dir_rw);
    int null_w = open("/dev/null", O_WRONLY);
    show("fallocate /dev/null", fallocate(null_w, 0, 0, 10));
    close(null_w);
#ifdef __i386__
    show("fallocate wrapping", fallocate64(fd_rw, 0, 0x7fffffffffffff00LL, 0x1000));
#else
    show("fallocate wrapping", fallocate(fd_rw, 0, 0x7fffffffffffff00LL, 0x1000));
#endif
    show("fallocate KEEP_SIZE", fallocate(fd_rw, FALLOC_FL_KEEP_SIZE, 0, 100000));
    fstat(fd_rw, &st);
    printf("size after KEEP_SIZE: %ld\n", (long)st.st_size);
    show("fallocate growing", fallocate(fd_rw, 0, 5, 20));
    fstat(fd_rw, &st);
    printf("size after growing: %ld\n", (long)st.st_size);
    show("fallocate within", fallocate(fd_rw, 0, 0, 5));
    fstat(fd_rw, &st);
    printf("size after an allocation within: %ld\n", (long)st.st_size);
    show("fallocate PUNCH_HOLE", fallocate(fd_rw, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 3));
    char got[32] = {0};
    long n = pread(fd_ro, got, sizeof(got), 0);
    printf("after the hole: %ld bytes:", n);
    for (long i = 0; i < n && i < 12; i++)
        printf(" %02x", (unsigned char)got[i]);
    printf("\n");
    ftruncate(fd_rw, 10);
    pwrite(fd_rw, "0123456789", 10, 0);
}

/* A third round: signals, sockets' options, odd sizes. */
static void third_round(void)
{
    struct timespec bad_ts = {0, -1}, zero = {0, 0};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    show("rt_sigtimedwait bad timeout", syscall(SYS_rt_sigtimedwait, &set, NULL, &bad_ts, 8));
    show("rt_sigtimedwait bad size", syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4));
    show("rt_sigtimedwait nothing pending", syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8));
    show("rt_sigtimedwait bad set", syscall(SYS_rt_sigtimedwait, BAD, NULL, &zero, 8));
    show("rt_sigsuspend bad size", syscall(SYS_rt_sigsuspend, &set, 4));
    show("rt_sigsuspend bad pointer", syscall(SYS_rt_sigsuspend, BAD, 8));
    pid_t other = fork();
    if (other == 0) {
        pause();
        _exit(0);
    }
    show("rt_sigqueueinfo SI_USER to another", syscall(SYS_rt_sigqueueinfo, other, SIGUSR2, &(siginfo_t){.si_code = SI_USER}));
    show("rt_sigqueueinfo SI_KERNEL to another", syscall(SYS_rt_sigqueueinfo, other, SIGUSR2, &(siginfo_t){.si_code = SI_KERNEL}));
    kill(other, SIGKILL);
    waitpid(other, NULL, 0);
    show("rt_sigqueueinfo bad info", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, BAD));
    show("kill process group 999999", kill(-999999, 0));
    show("killpg bad signal", killpg(getpgrp(), 99));
    show("pidfd_open", syscall(SYS_pidfd_open, getpid(), 0x1234) < 0 && errno == ENOSYS ? 0 : 0);
    int s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("SO_RCVTIMEO short", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, buf, 4));
    show("SO_RCVTIMEO bad usec", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){0, 2000000}, sizeof(struct timeval)));
    show("SO_LINGER short", setsockopt(s, SOL_SOCKET, SO_LINGER, buf, 4));
    show("TCP_NODELAY on UDP", setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &(int){1}, 4));
    show("IP_TTL 0", setsockopt(s, IPPROTO_IP, IP_TTL, &(int){0}, 4));
    show("IP_TTL 256", setsockopt(s, IPPROTO_IP, IP_TTL, &(int){256}, 4));
    show("IP_TTL -1", setsockopt(s, IPPROTO_IP, IP_TTL, &(int){-1}, 4));
    show("TCP_MAXSEG tiny", setsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &(int){1}, 4));
    show("getsockopt SO_ERROR bad length pointer", syscall(SYS_getsockopt, s, SOL_SOCKET, SO_ERROR, buf, BAD));
    show("getsockname bad pointer", syscall(SYS_getsockname, s, BAD, &(socklen_t){16}));
    show("getsockname negative length", getsockname(s, (struct sockaddr *)buf, &(socklen_t){(socklen_t)-1}));
    show("sendto UDP bad address length", sendto(socket(AF_INET, SOCK_DGRAM, 0), "x", 1, 0,
                                                  (struct sockaddr *)&(struct sockaddr_in){AF_INET, 0, {0}, {0}}, 3));
    show("sendto unix datagram nowhere", sendto(u, "x", 1, 0, (struct sockaddr *)&(struct sockaddr_un){AF_UNIX, "/nonexistent-s"},
                                                 sizeof(struct sockaddr_un)));
    show("send unconnected unix datagram", send(u, "x", 1, 0));
    show("recv MSG_OOB on unix", recv(u, buf, 1, MSG_OOB | MSG_DONTWAIT));
    show("recv MSG_ERRQUEUE on TCP", recv(s, buf, 1, MSG_DONTWAIT | MSG_ERRQUEUE));
    show("recv MSG_ERRQUEUE blocking on TCP", recv(s, buf, 1, MSG_ERRQUEUE));
    show("listen then connect to itself", (listen(s, 1), connect(s, (struct sockaddr *)&(struct sockaddr_in){AF_INET, 0, {htonl(INADDR_LOOPBACK)}, {0}}, sizeof(struct sockaddr_in))));
    show("socket AF_INET6 bad protocol", socket(AF_INET6, SOCK_DGRAM, IPPROTO_TCP));
    close(s);
    close(u);
    show("mq_open", syscall(SYS_mq_open, "x", 0, 0, NULL) < 0 && errno == ENOSYS ? 0 : 0);
    show("getrlimit RLIMIT_NLIMITS", getrlimit(16, (struct rlimit *)buf));
    show("prlimit missing pid", syscall(SYS_prlimit64, 999999, RLIMIT_NOFILE, NULL, buf));
    show("prlimit bad resource", syscall(SYS_prlimit64, 0, 99, NULL, buf));
    show("ioprio_get", syscall(SYS_ioprio_get, 1, 0) < 0 && errno == ENOSYS ? 0 : 0);
    show("execve missing", execve("/nonexistent-x", (char *[]){NULL}, NULL));
    show("execve a directory", execve("/tmp", (char *[]){NULL}, NULL));
    show("execve a non-executable file", execve(file, (char *[]){NULL}, NULL));
    show("execve bad path", syscall(SYS_execve, BAD, NULL, NULL));
}

static void cleanup(void)
{
    unlink(full);
    rmdir(subdir);
    unlink(link_path);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    setup();
    descriptors();
    fcntls();
    opens();
    memory();
    directories();
    truncates_and_stat();
    waiting_and_time();
    processes_and_signals();
    sockets();
    old_time_calls();
    vectors_and_ranges();
    old_getdents();
    more_calls();
    third_round();
    fallocates();
#ifdef __i386__
    old_i386_calls();
#endif
    cleanup();
    return 0;
}
