/*
 * ninepbench.c - the host's files through a 9p root (SPEC section 11): reading
 * a large host file, and starting dynamically linked programs (fork + execve
 * + wait of /bin/true and of `python3 -c pass`). Runs on sysgate and on Linux
 * alike, with the host's / as the guest's read-only root through QEMU's
 * virtio-9p device.
 *
 * usage: ninepbench [--mount] FILE
 *
 * sysgate mounts the share as its root itself (`sysgate run --root /`). Linux
 * boots from bench/linux.sh's initramfs instead, so with --mount this program
 * first loads the 9p modules the initramfs carries (/modules/, in the order
 * of /modules/order), mounts the share (tag "root") on /mnt with the options
 * virtme-ng uses, moves into it with chroot and mounts /proc, /dev and /tmp
 * there as sysgate does.
 *
 * Prints "NAME TSC_PER_UNIT NS_PER_UNIT" lines like the other call programs.
 * The read's unit is one byte; the start-ups' unit is one program run.
 *
 * Under -icount shift=0,sleep=off the TSC counts guest instructions only while
 * the CPU runs: when the guest waits for the host's 9p server with nothing to
 * run, QEMU moves the clock on to the guest's next timer, and a tickless
 * kernel's next timer can be seconds away. So the TSC column here is the TSC
 * minus the time the kernel itself counted idle (/proc/stat's idle and
 * iowait, in USER_HZ ticks, at the 1 GHz the TSC runs at under icount):
 * the instructions executed, to a tick's precision. The wall-time column is
 * plain wall time, waiting included.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "benchclock.h"
#include "poweroff.h"

#define READ_CHUNK (1u << 20)
#define TRUE_RUNS 20
#define PYTHON_RUNS 3
#define SHARE_TAG "root"
#define SHARE_OPTIONS "trans=virtio,version=9p2000.L,msize=524288,access=any,cache=loose"

#define ICOUNT_TSC_HZ 1000000000ull

/* The CPU's idle and iowait time so far, in TSC ticks at the icount rate. */
static uint64_t idle_tsc(void)
{
    FILE *stat = fopen("/proc/stat", "r");
    unsigned long long user, nice, system, idle, iowait;
    if (!stat || fscanf(stat, "cpu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle, &iowait) != 5) {
        perror("/proc/stat");
        exit(1);
    }
    fclose(stat);
    return (idle + iowait) * (ICOUNT_TSC_HZ / (uint64_t)sysconf(_SC_CLK_TCK));
}

static void fail(const char *what)
{
    perror(what);
    bench_finish(1);
}

/* t0/t1: TSC, i0/i1: idle_tsc(), n0/n1: wall nanoseconds. */
static void report(const char *name, uint64_t t0, uint64_t t1, uint64_t i0, uint64_t i1, uint64_t n0, uint64_t n1,
                   double units)
{
    uint64_t busy = t1 - t0 > i1 - i0 ? (t1 - t0) - (i1 - i0) : 0;
    printf("%s %.3f %.3f\n", name, (double)busy / units, (double)(n1 - n0) / units);
}

static void load_modules(void)
{
    FILE *order = fopen("/modules/order", "r");
    if (!order)
        fail("/modules/order");
    char name[256];
    while (fscanf(order, "%255s", name) == 1) {
        char path[300];
        snprintf(path, sizeof(path), "/modules/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            fail(path);
        if (syscall(SYS_finit_module, fd, "", 0) != 0) {
            fprintf(stderr, "loading ");
            fail(path);
        }
        close(fd);
    }
    fclose(order);
}

static void mount_share_as_root(void)
{
    load_modules();
    if (mkdir("/mnt", 0755) != 0)
        fail("mkdir /mnt");
    if (mount(SHARE_TAG, "/mnt", "9p", MS_RDONLY, SHARE_OPTIONS) != 0)
        fail("mount 9p");
    if (chroot("/mnt") != 0 || chdir("/") != 0)
        fail("chroot /mnt");
    if (mount("proc", "/proc", "proc", 0, NULL) != 0)
        fail("mount /proc");
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
        fail("mount /dev");
    if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL) != 0)
        fail("mount /tmp");
}

static void read_file(const char *path)
{
    static char buf[READ_CHUNK];
    uint64_t i0 = idle_tsc(), n0 = now_ns(), t0 = tsc();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(path);
    uint64_t total = 0;
    ssize_t got;
    while ((got = read(fd, buf, sizeof(buf))) > 0)
        total += (uint64_t)got;
    if (got < 0)
        fail("read");
    close(fd);
    uint64_t t1 = tsc(), n1 = now_ns(), i1 = idle_tsc();
    if (total == 0) {
        fprintf(stderr, "%s is empty\n", path);
        bench_finish(1);
    }
    report("ninep_read_per_byte", t0, t1, i0, i1, n0, n1, (double)total);
}

static void start_program(const char *name, int runs, char *const argv[])
{
    uint64_t i0 = idle_tsc(), n0 = now_ns(), t0 = tsc();
    for (int i = 0; i < runs; i++) {
        pid_t child = fork();
        if (child < 0)
            fail("fork");
        if (child == 0) {
            execv(argv[0], argv);
            _exit(127);
        }
        int status;
        if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "%s did not succeed (status %#x)\n", argv[0], status);
            bench_finish(1);
        }
    }
    uint64_t t1 = tsc(), n1 = now_ns(), i1 = idle_tsc();
    report(name, t0, t1, i0, i1, n0, n1, runs);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--mount") == 0) {
        mount_share_as_root();
        first = 2;
    }
    if (argc != first + 1) {
        fprintf(stderr, "usage: ninepbench [--mount] FILE\n");
        bench_finish(2);
    }
    read_file(argv[first]);
    char *true_argv[] = {"/bin/true", NULL};
    start_program("start_dynamic_true", TRUE_RUNS, true_argv);
    char *python_argv[] = {"/usr/bin/python3", "-c", "pass", NULL};
    start_program("start_python3_pass", PYTHON_RUNS, python_argv);
    bench_finish(0);
}
