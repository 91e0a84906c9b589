/*
 * msr.c - /dev/cpu/0/msr, Linux's MSR device (sysgate only: the host's
 * values are its own, and it may not have the device).
 *
 *   msr gates    prints the gate MSRs, one "NAME 0x%016llx" line each, read
 *                with pread at offset = MSR index (for -m32 builds, offsets
 *                above 2^31 through pread64's two halves).
 *   msr errors   EINVAL for a count not a multiple of 8, EPERM for writes,
 *                a longer read repeats the MSR, read() at the file position
 *                that lseek set, SEEK_END refused, EFAULT, no CPU 1.
 * Exits 0 when every check passed.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64 /* MSR indexes above 2^31 are offsets past a 32-bit off_t */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MSR_SYSENTER_CS 0x174
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082

static int failures;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

static void print_gates(int fd)
{
    static const struct {
        const char *name;
        uint32_t index;
    } gates[] = {
        {"SYSENTER_CS", 0x174}, {"SYSENTER_ESP", 0x175}, {"SYSENTER_EIP", 0x176}, {"STAR", 0xc0000081},
        {"LSTAR", 0xc0000082},  {"CSTAR", 0xc0000083},   {"FMASK", 0xc0000084},
    };
    for (size_t i = 0; i < sizeof gates / sizeof gates[0]; i++) {
        uint64_t value;
        if (pread(fd, &value, sizeof value, (off_t)gates[i].index) != sizeof value) {
            printf("%s: %s\n", gates[i].name, strerror(errno));
            failures++;
            continue;
        }
        printf("%s 0x%016llx\n", gates[i].name, (unsigned long long)value);
    }
}

static void errors(int fd)
{
    uint64_t values[2], value = 0;
    errno = 0;
    check(pread(fd, values, 4, MSR_STAR) == -1 && errno == EINVAL, "a 4-byte read: EINVAL");
    check(pread(fd, values, 0, MSR_STAR) == 0, "a 0-byte read: 0");
    check(pread(fd, values, 16, MSR_STAR) == 16 && values[0] == values[1], "a 16-byte read: the MSR twice");
    pread(fd, &value, 8, MSR_STAR);
    check(value == values[0], "... the same as an 8-byte read");
    int rw = open("/dev/cpu/0/msr", O_RDWR);
    errno = 0;
    check(rw >= 0 && pwrite(rw, &value, 8, MSR_STAR) == -1 && errno == EPERM, "a write: EPERM");
    errno = 0;
    check(pwrite(rw, &value, 3, MSR_STAR) == -1 && errno == EPERM, "a 3-byte write: EPERM too");
    close(rw);
    errno = 0;
    check(pwrite(fd, &value, 8, MSR_STAR) == -1 && errno == EBADF, "a write to a read-only open: EBADF");
    check(lseek(fd, MSR_LSTAR, SEEK_SET) == (off_t)MSR_LSTAR, "lseek to LSTAR");
    uint64_t lstar = 0, again = 0;
    check(read(fd, &lstar, 8) == 8 && pread(fd, &again, 8, MSR_LSTAR) == 8 && lstar == again,
          "read() at the position reads LSTAR");
    check(lseek(fd, 0, SEEK_CUR) == (off_t)MSR_LSTAR, "a read leaves the position");
    errno = 0;
    check(lseek(fd, 0, SEEK_END) == -1 && errno == EINVAL, "SEEK_END: EINVAL");
    errno = 0;
    void *volatile unmapped = (void *)16;
    check(pread(fd, unmapped, 8, MSR_STAR) == -1 && errno == EFAULT, "an unmapped buffer: EFAULT");
    check(pread(fd, &value, 8, MSR_SYSENTER_CS) == 8 && value != 0, "SYSENTER_CS is set");
    errno = 0;
    check(open("/dev/cpu/1/msr", O_RDONLY) == -1 && errno == ENOENT, "no CPU 1: no node");
    int wfd = open("/dev/cpu/0/msr", O_WRONLY);
    errno = 0;
    check(wfd >= 0 && write(wfd, &value, 8) == -1 && errno == EPERM, "write-only open, then a write: EPERM");
    close(wfd);
}

int main(int argc, char **argv)
{
    int fd = open("/dev/cpu/0/msr", O_RDONLY);
    if (fd < 0) {
        perror("/dev/cpu/0/msr");
        return 1;
    }
    if (argc > 1 && !strcmp(argv[1], "gates"))
        print_gates(fd);
    else if (argc > 1 && !strcmp(argv[1], "errors"))
        errors(fd);
    else {
        fprintf(stderr, "usage: msr gates|errors\n");
        return 2;
    }
    return failures ? 1 : 0;
}
