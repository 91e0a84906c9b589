/*
 * rdmsr: prints a model-specific register of a CPU through /dev/cpu/N/msr,
 * with the options and output of msr-tools' rdmsr, so that the gates the
 * kernel programmed can be seen from user space:
 *
 *   rdmsr 0xc0000082     LSTAR, the 64-bit syscall entry
 *   rdmsr -0 -c 0x176    SYSENTER_EIP as a zero-padded C constant
 *   rdmsr -a 0xc0000081  STAR on every CPU
 *
 * Exit status as msr-tools': 2 for a CPU that does not exist, 4 for an MSR
 * that cannot be read, 127 for a usage error or any other failure.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum radix { HEX, CAPITAL_HEX, SIGNED_DECIMAL, UNSIGNED_DECIMAL, OCTAL, RAW };

#define EXIT_NO_CPU 2
#define EXIT_NO_MSR_SUPPORT 3
#define EXIT_UNREADABLE 4
#define EXIT_USAGE 127
#define MAX_CPU 5119 /* msr-tools' limit */
#define VERSION "1.3 (sysgate)"

/* On stderr, as msr-tools prints it, -h included. */
static void usage(const char *program)
{
    fprintf(stderr,
            "Usage: %s [options] regno\n"
            "  --help         -h  Print this help\n"
            "  --version      -V  Print current version\n"
            "  --hexadecimal  -x  Hexadecimal output (lower case)\n"
            "  --capital-hex  -X  Hexadecimal output (upper case)\n"
            "  --decimal      -d  Signed decimal output\n"
            "  --unsigned     -u  Unsigned decimal output\n"
            "  --octal        -o  Octal output\n"
            "  --c-language   -c  Format output as a C language constant\n"
            "  --zero-pad     -0  Output leading zeroes\n"
            "  --raw          -r  Raw binary output\n"
            "  --all          -a  all processors\n"
            "  --processor #  -p  Select processor number (default 0)\n"
            "  --bitfield h:l -f  Output bits [h:l] only\n",
            program);
}

/* Decimal digits of the largest number of `bits` bits. */
static int decimal_digits(unsigned bits)
{
    char text[24];
    uint64_t largest = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    return snprintf(text, sizeof(text), "%" PRIu64, largest);
}

static void print_value(uint64_t value, unsigned bits, enum radix radix, bool c_constant, bool zero_pad)
{
    if (radix == RAW) {
        if (c_constant) {
            const unsigned char *byte = (const unsigned char *)&value;
            for (size_t i = 0; i < sizeof(value); i++)
                printf("%s0x%02x", i ? "," : "{", byte[i]);
            printf("}\n");
        } else {
            fwrite(&value, sizeof(value), 1, stdout);
        }
        return;
    }
    if (radix == SIGNED_DECIMAL && value & (UINT64_C(1) << (bits - 1))) {
        /* msr-tools' sign handling: the top bit of the field is the sign. */
        value &= ~(UINT64_C(1) << (bits - 1));
        value = -value;
    }
    /* msr-tools pads decimal C constants with nothing. */
    bool zero_fill = zero_pad && !(c_constant && (radix == SIGNED_DECIMAL || radix == UNSIGNED_DECIMAL));
    int width = 1;
    if (zero_fill) {
        switch (radix) {
        case HEX: case CAPITAL_HEX: width = (int)(bits + 3) / 4; break;
        case OCTAL: width = (int)(bits + 2) / 3; break;
        case SIGNED_DECIMAL: width = decimal_digits(bits - 1) + 1; break;
        case UNSIGNED_DECIMAL: width = decimal_digits(bits); break;
        case RAW: break;
        }
    }
    const char *prefix = "", *suffix = "", *conversion = PRIx64;
    switch (radix) {
    case HEX: prefix = c_constant ? "0x" : ""; break;
    case CAPITAL_HEX: prefix = c_constant ? "0x" : "", conversion = PRIX64; break;
    case OCTAL: prefix = c_constant ? "0" : "", conversion = PRIo64; break;
    case SIGNED_DECIMAL: conversion = PRId64; break;
    case UNSIGNED_DECIMAL: suffix = c_constant ? "U" : "", conversion = PRIu64; break;
    case RAW: break;
    }
    char format[32];
    snprintf(format, sizeof(format), "%s%%%s*%s%s\n", prefix, zero_fill ? "0" : "", conversion, suffix);
    printf(format, width, value);
}

struct format {
    enum radix radix;
    bool c_constant, zero_pad;
    unsigned high_bit, low_bit; /* the field shown */
};

/* Reads and prints the MSR on one CPU: 0, or the status to exit with.
 * With `all` (-a), a CPU that does not exist is passed over and each line
 * says its CPU. */
static int rdmsr_on_cpu(uint32_t msr, unsigned long cpu, bool all, const struct format *format)
{
    char path[64];
    snprintf(path, sizeof(path), "/dev/cpu/%lu/msr", cpu);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENXIO) {
            if (all)
                return 0;
            fprintf(stderr, "rdmsr: No CPU %lu\n", cpu);
            return EXIT_NO_CPU;
        }
        if (errno == EIO) {
            fprintf(stderr, "rdmsr: CPU %lu doesn't support MSRs\n", cpu);
            return EXIT_NO_MSR_SUPPORT;
        }
        perror("rdmsr: open");
        return EXIT_USAGE;
    }
    uint64_t value;
    if (pread(fd, &value, sizeof(value), msr) != sizeof(value)) {
        if (errno == EIO) {
            fprintf(stderr, "rdmsr: CPU %lu cannot read MSR 0x%08" PRIx32 "\n", cpu, msr);
            return EXIT_UNREADABLE;
        }
        perror("rdmsr: pread");
        return EXIT_USAGE;
    }
    close(fd);
    unsigned bits = format->high_bit - format->low_bit + 1;
    if (bits < 64)
        value = value >> format->low_bit & ((UINT64_C(1) << bits) - 1);
    if (all && format->radix != RAW)
        printf("CPU %lu: ", cpu);
    print_value(value, bits, format->radix, format->c_constant, format->zero_pad);
    return 0;
}

static int compare_cpus(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return x < y ? -1 : x > y;
}

/* -a: every CPU that /dev/cpu names, in order. */
static int rdmsr_on_all_cpus(uint32_t msr, const struct format *format)
{
    unsigned long cpus[MAX_CPU + 1];
    size_t count = 0;
    DIR *dir = opendir("/dev/cpu");
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) && count < MAX_CPU + 1)
        if (isdigit((unsigned char)entry->d_name[0]))
            cpus[count++] = strtoul(entry->d_name, NULL, 10);
    if (dir)
        closedir(dir);
    qsort(cpus, count, sizeof(cpus[0]), compare_cpus);
    for (size_t i = 0; i < count; i++) {
        int status = rdmsr_on_cpu(msr, cpus[i], true, format);
        if (status)
            return status;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"hexadecimal", no_argument, NULL, 'x'},
        {"capital-hexadecimal", no_argument, NULL, 'X'},
        {"decimal", no_argument, NULL, 'd'},
        {"signed-decimal", no_argument, NULL, 'd'},
        {"unsigned-decimal", no_argument, NULL, 'u'},
        {"octal", no_argument, NULL, 'o'},
        {"c-language", no_argument, NULL, 'c'},
        {"zero-fill", no_argument, NULL, '0'},
        {"zero-pad", no_argument, NULL, '0'},
        {"raw", no_argument, NULL, 'r'},
        {"all", no_argument, NULL, 'a'},
        {"processor", required_argument, NULL, 'p'},
        {"cpu", required_argument, NULL, 'p'},
        {"bitfield", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct format format = {.radix = HEX, .high_bit = 63};
    unsigned long cpu = 0;
    bool all = false;
    int option;
    char *end;
    while ((option = getopt_long(argc, argv, "hVxXdoruc0ap:f:", long_options, NULL)) != -1) {
        switch (option) {
        case 'h': usage(argv[0]); return 0;
        case 'V': fprintf(stderr, "%s: version %s\n", argv[0], VERSION); return 0;
        case 'x': format.radix = HEX; break;
        case 'X': format.radix = CAPITAL_HEX; break;
        case 'd': format.radix = SIGNED_DECIMAL; break;
        case 'u': format.radix = UNSIGNED_DECIMAL; break;
        case 'o': format.radix = OCTAL; break;
        case 'r': format.radix = RAW; break;
        case 'c': format.c_constant = true; break;
        case '0': format.zero_pad = true; break;
        case 'a': all = true; break;
        case 'p':
            cpu = strtoul(optarg, &end, 0);
            if (*end || cpu > MAX_CPU) {
                usage(argv[0]);
                return EXIT_USAGE;
            }
            all = false;
            break;
        case 'f':
            if (sscanf(optarg, "%u:%u", &format.high_bit, &format.low_bit) != 2 || format.high_bit > 63 ||
                format.low_bit > format.high_bit) {
                usage(argv[0]);
                return EXIT_USAGE;
            }
            break;
        default: usage(argv[0]); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        usage(argv[0]);
        return EXIT_USAGE;
    }
    uint32_t msr = (uint32_t)strtoul(argv[optind], &end, 0);
    if (*end) {
        printf("Failed to parse register number. Do you need a prefix?\n");
        return EXIT_USAGE;
    }
    return all ? rdmsr_on_all_cpus(msr, &format) : rdmsr_on_cpu(msr, cpu, false, &format);
}
