/*
 * mmapfile.c - file mappings as Linux makes them: a private mapping sees
 * write() until it writes itself, its writes never reach the file, a shared
 * mapping's writes do (to read(), to other mappings, across fork), write
 * access is checked against the open mode (EACCES), truncation zeroes the
 * last page's tail, and a mapping outlives unlink and close. Prints
 * deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define SIZE (3 * PAGE + 100)

static char path[64];

static void show(const char *what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static char file_byte(int fd, off_t at)
{
    char c = '?';
    pread(fd, &c, 1, at);
    return c;
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/sysgate-mmap-%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char data[SIZE];
    for (int i = 0; i < SIZE; i++)
        data[i] = (char)('a' + i % 26);
    write(fd, data, SIZE);

    char *ro = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("private read: %c %c %c\n", ro[0], ro[PAGE + 1], ro[3 * PAGE + 99]);
    printf("tail past the end of the file is zero: %d\n", ro[3 * PAGE + 100] == 0 && ro[4 * PAGE - 1] == 0);
    pwrite(fd, "X", 1, 10);
    printf("private mapping sees write(): %c\n", ro[10]);

    char *rw = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    rw[20] = 'P';
    printf("private write stays private: mapping %c, file %c, other mapping %c\n", rw[20], file_byte(fd, 20), ro[20]);
    pwrite(fd, "Y", 1, 21);
    printf("after its own write a private page no longer follows the file: %c\n", rw[21]);
    show("mprotect private to writable", mprotect(ro, PAGE, PROT_READ | PROT_WRITE));
    ro[30] = 'Q';
    printf("written through mprotect: mapping %c, file %c\n", ro[30], file_byte(fd, 30));

    char *sh = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *sh2 = mmap(NULL, SIZE, PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
    sh[PAGE + 5] = 'S';
    printf("shared write: file %c, other shared mapping %c\n", file_byte(fd, PAGE + 5), sh2[PAGE + 5]);
    pwrite(fd, "W", 1, PAGE + 6);
    printf("shared mapping sees write(): %c\n", sh[PAGE + 6]);
    if (fork() == 0) {
        sh[2 * PAGE] = 'C';
        _exit(0);
    }
    wait(NULL);
    printf("child's shared write: file %c, mapping %c\n", file_byte(fd, 2 * PAGE), sh2[2 * PAGE]);
    sh[3 * PAGE + 100] = 'Z'; /* past the end: never reaches the file */
    off_t end = lseek(fd, 0, SEEK_END);
    printf("file size still %ld\n", (long)end);

    int rdonly = open(path, O_RDONLY);
    errno = 0;
    show("shared writable from O_RDONLY", (long)(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rdonly, 0) == MAP_FAILED ? -1 : 0));
    char *shro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rdonly, 0);
    show("shared read-only from O_RDONLY", shro == MAP_FAILED ? -1 : 0);
    show("mprotect it writable", mprotect(shro, PAGE, PROT_READ | PROT_WRITE));
    char *prw = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rdonly, 0);
    show("private writable from O_RDONLY", prw == MAP_FAILED ? -1 : 0);
    int wronly = open(path, O_WRONLY);
    show("any mapping from O_WRONLY", (long)(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wronly, 0) == MAP_FAILED ? -1 : 0));
    show("unaligned offset", (long)(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED ? -1 : 0));
    show("a pipe", (long)(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ({ int p[2]; pipe(p); p[0]; }), 0) == MAP_FAILED ? -1 : 0));

    ftruncate(fd, PAGE + 10);
    printf("after truncate the last page's tail is zero: %c %d\n", sh[PAGE + 9], sh[PAGE + 10]);
    ftruncate(fd, SIZE);
    printf("grown again, zeros: %d %d\n", sh[PAGE + 10], sh[2 * PAGE]);
    sh[PAGE + 11] = 'G';
    printf("file after grow and shared write: %c\n", file_byte(fd, PAGE + 11));

    close(fd);
    close(rdonly);
    close(wronly);
    unlink(path);
    printf("mapping after unlink and close: %c %c\n", sh[0], sh[PAGE + 5]);
    munmap(ro, SIZE);
    munmap(rw, SIZE);
    munmap(sh, SIZE);
    printf("the other mapping still: %c\n", sh2[PAGE + 11]);
    return 0;
}
