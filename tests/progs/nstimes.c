/*
 * File timestamps to the nanosecond, run on the host and on sysgate alike;
 * every line printed must match. Times given to utimensat and futimens come
 * back exactly through stat, fstatat, statx and (i386) stat64; times the
 * kernel sets on create, write, chmod and truncate only move forward and
 * have sub-second parts. Wall-clock values are never printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/stat.h> /* struct statx: musl has no statx() */
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/nstimes-XXXXXX";
static char path[64];

static int later(struct timespec a, struct timespec b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static int not_earlier(struct timespec a, struct timespec b) { return !later(b, a); }

static void sleep_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000};
    nanosleep(&ts, NULL);
}

static struct stat stat_of(void)
{
    struct stat st;
    if (stat(path, &st) < 0)
        perror("stat");
    return st;
}

static void show_times(const char *what)
{
    struct stat st = stat_of();
    printf("%s: stat atime %lld.%09ld mtime %lld.%09ld\n", what, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct stat at;
    fstatat(AT_FDCWD, path, &at, 0);
    printf("%s: fstatat agrees %d\n", what,
           at.st_atim.tv_nsec == st.st_atim.tv_nsec && at.st_mtim.tv_nsec == st.st_mtim.tv_nsec &&
               at.st_ctim.tv_nsec == st.st_ctim.tv_nsec);
    struct statx sx;
    if (syscall(SYS_statx, AT_FDCWD, path, 0, STATX_BASIC_STATS | STATX_BTIME, &sx) < 0) {
        perror("statx");
        return;
    }
    printf("%s: statx atime %lld.%09u mtime %lld.%09u ctime agrees %d\n", what, (long long)sx.stx_atime.tv_sec,
           sx.stx_atime.tv_nsec, (long long)sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec,
           sx.stx_ctime.tv_sec == st.st_ctim.tv_sec && sx.stx_ctime.tv_nsec == (unsigned)st.st_ctim.tv_nsec);
#ifdef __i386__
    /* glibc's stat goes through statx on i386; the stat64 call itself too. */
    struct {
        unsigned long long dev;
        unsigned char pad0[4];
        unsigned ino_low, mode, nlink, uid, gid;
        unsigned long long rdev;
        unsigned char pad3[4];
        long long size;
        unsigned blksize;
        unsigned long long blocks;
        unsigned atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
        unsigned long long ino;
    } __attribute__((packed)) s64;
    syscall(SYS_stat64, path, &s64);
    printf("%s: stat64 atime %u.%09u mtime %u.%09u\n", what, s64.atime, s64.atime_nsec, s64.mtime, s64.mtime_nsec);
#endif
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/file", dir);
    int fd = open(path, O_CREAT | O_RDWR, 0644);

    struct timespec given[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
    printf("utimensat: %d\n", utimensat(AT_FDCWD, path, given, 0));
    show_times("utimensat");
    struct timespec omit_atime[2] = {{0, UTIME_OMIT}, {1500000000, 1}};
    printf("utimensat omit atime: %d\n", utimensat(AT_FDCWD, path, omit_atime, 0));
    show_times("omit atime");
    struct timespec by_fd[2] = {{2000000000, 999999999}, {0, UTIME_OMIT}};
    printf("futimens: %d\n", futimens(fd, by_fd));
    show_times("futimens");
    struct timeval tv[2] = {{1100000000, 654321}, {1200000000, 1}};
    printf("utimes: %d\n", utimes(path, tv));
    show_times("utimes");
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    int r = utimensat(AT_FDCWD, path, bad, 0);
    printf("utimensat nsec 1e9: %d %s\n", r, strerror(errno));

    /* What the kernel sets: each later than the one before, and one of
     * several with a sub-second part (a whole second by chance is rare). */
    struct stat before = stat_of();
    sleep_ms(20);
    printf("write: %zd\n", write(fd, "x", 1));
    struct stat after_write = stat_of();
    printf("write: mtime later %d, ctime later %d, mtime == ctime %d\n", later(after_write.st_mtim, before.st_mtim),
           later(after_write.st_ctim, before.st_ctim),
           after_write.st_mtim.tv_sec == after_write.st_ctim.tv_sec &&
               after_write.st_mtim.tv_nsec == after_write.st_ctim.tv_nsec);
    sleep_ms(20);
    fchmod(fd, 0600);
    struct stat after_chmod = stat_of();
    printf("chmod: ctime later %d, mtime kept %d\n", later(after_chmod.st_ctim, after_write.st_ctim),
           after_chmod.st_mtim.tv_nsec == after_write.st_mtim.tv_nsec);
    sleep_ms(20);
    ftruncate(fd, 0);
    struct stat after_truncate = stat_of();
    printf("truncate: mtime later %d\n", later(after_truncate.st_mtim, after_chmod.st_mtim));
    printf("utimensat NULL: %d\n", utimensat(AT_FDCWD, path, NULL, 0));
    struct stat now = stat_of();
    printf("now: atime == mtime %d, not earlier %d\n",
           now.st_atim.tv_sec == now.st_mtim.tv_sec && now.st_atim.tv_nsec == now.st_mtim.tv_nsec,
           not_earlier(now.st_mtim, after_truncate.st_mtim));
    int sub_second = 0;
    for (int i = 0; i < 4; i++) {
        struct stat st;
        fstat(fd, &st);
        sub_second |= st.st_mtim.tv_nsec != 0 || st.st_ctim.tv_nsec != 0;
        sleep_ms(3);
        write(fd, "y", 1);
    }
    printf("sub-second parts: %d\n", sub_second);

    char sub[80];
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    struct stat dir_before;
    stat(dir, &dir_before);
    sleep_ms(20);
    mkdir(sub, 0755);
    struct stat dir_after, sub_st;
    stat(dir, &dir_after);
    stat(sub, &sub_st);
    printf("mkdir: parent mtime later %d, child's not earlier %d\n", later(dir_after.st_mtim, dir_before.st_mtim),
           not_earlier(sub_st.st_mtim, dir_before.st_mtim));
    struct statx sx;
    syscall(SYS_statx, AT_FDCWD, sub, 0, STATX_BTIME, &sx);
    printf("statx btime: reported %d, not before the parent's earlier mtime %d\n", !!(sx.stx_mask & STATX_BTIME),
           not_earlier((struct timespec){sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec}, dir_before.st_mtim));

    close(fd);
    rmdir(sub);
    unlink(path);
    rmdir(dir);
    return 0;
}
