/*
 * rdmsr: prints a model-specific register of a CPU through /dev/cpu/N/msr,
 * with the options and output of msr-tools' rdmsr, so that the gates the
 * kernel programmed can be seen from user space:
 *
 *   rdmsr 0xc0000082     LSTAR, the 64-bit syscall entry
 *   rdmsr -0 -c 0x176    SYSENTER_EIP as a zero-padded C constant
 *
 * Exit status as msr-tools': 2 for a CPU that does not exist, 4 for an MSR
 * that cannot be read, 127 for a usage error or any other failure.
 */
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
#define MAX_CPU 255

static void usage(FILE *out, const char *program)
{
    fprintf(out,
            "Usage: %s [options] regno\n"
            "  --help         -h  Print this help\n"
            "  --hexadecimal  -x  Hexadecimal output (lower case)\n"
            "  --capital-hex  -X  Hexadecimal output (upper case)\n"
            "  --decimal      -d  Signed decimal output\n"
            "  --unsigned     -u  Unsigned decimal output\n"
            "  --octal        -o  Octal output\n"
            "  --c-language   -c  Format output as a C language constant\n"
            "  --zero-pad     -0  Output leading zeroes\n"
            "  --raw          -r  Raw binary output\n"
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

int main(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"hexadecimal", no_argument, NULL, 'x'},
        {"capital-hex", no_argument, NULL, 'X'},
        {"capital-hexadecimal", no_argument, NULL, 'X'},
        {"decimal", no_argument, NULL, 'd'},
        {"signed-decimal", no_argument, NULL, 'd'},
        {"unsigned", no_argument, NULL, 'u'},
        {"unsigned-decimal", no_argument, NULL, 'u'},
        {"octal", no_argument, NULL, 'o'},
        {"c-language", no_argument, NULL, 'c'},
        {"zero-pad", no_argument, NULL, '0'},
        {"zero-fill", no_argument, NULL, '0'},
        {"raw", no_argument, NULL, 'r'},
        {"processor", required_argument, NULL, 'p'},
        {"cpu", required_argument, NULL, 'p'},
        {"bitfield", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    enum radix radix = HEX;
    bool c_constant = false, zero_pad = false;
    unsigned long cpu = 0;
    unsigned high_bit = 63, low_bit = 0;
    int option;
    char *end;
    while ((option = getopt_long(argc, argv, "hxXduocr0p:f:", long_options, NULL)) != -1) {
        switch (option) {
        case 'h': usage(stdout, argv[0]); return 0;
        case 'x': radix = HEX; break;
        case 'X': radix = CAPITAL_HEX; break;
        case 'd': radix = SIGNED_DECIMAL; break;
        case 'u': radix = UNSIGNED_DECIMAL; break;
        case 'o': radix = OCTAL; break;
        case 'r': radix = RAW; break;
        case 'c': c_constant = true; break;
        case '0': zero_pad = true; break;
        case 'p':
            cpu = strtoul(optarg, &end, 0);
            if (*end || cpu > MAX_CPU) {
                usage(stderr, argv[0]);
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if (sscanf(optarg, "%u:%u", &high_bit, &low_bit) != 2 || high_bit > 63 || low_bit > high_bit) {
                usage(stderr, argv[0]);
                return EXIT_USAGE;
            }
            break;
        default: usage(stderr, argv[0]); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        usage(stderr, argv[0]);
        return EXIT_USAGE;
    }
    uint32_t msr = (uint32_t)strtoul(argv[optind], NULL, 0);

    char path[64];
    snprintf(path, sizeof(path), "/dev/cpu/%lu/msr", cpu);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENXIO) {
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

    unsigned bits = high_bit - low_bit + 1;
    if (bits < 64)
        value = value >> low_bit & ((UINT64_C(1) << bits) - 1);
    print_value(value, bits, radix, c_constant, zero_pad);
    return 0;
}
