/* hypercall STRING...: puts STRING (the arguments joined by spaces, as echo
 * does) on the hypervisor console with sysgate's print_string hypercall, made
 * from user space through privcmd with Linux's ABI (SPEC section 9). `xl
 * dmesg` shows it. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h> /* Xen's headers use its types without including it */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sys/privcmd.h>

#define SYSGATE_HYPERVISOR_print_string 39
#define PRINT_STRING_MAX 1024 /* the NUL included */

static const char *const privcmd_paths[] = {"/dev/xen/privcmd", "/proc/xen/privcmd"};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hypercall STRING...\n"
                        "Puts STRING on the hypervisor console (see it with `xl dmesg`).\n");
        return 2;
    }
    static char text[PRINT_STRING_MAX];
    size_t length = 0;
    for (int i = 1; i < argc; i++) {
        size_t part = strlen(argv[i]);
        if (length + part + (i > 1) >= sizeof text) {
            fprintf(stderr, "hypercall: the string is longer than %d bytes\n", PRINT_STRING_MAX - 1);
            return 1;
        }
        if (i > 1)
            text[length++] = ' ';
        memcpy(text + length, argv[i], part);
        length += part;
    }
    text[length] = '\0';

    int fd = -1;
    for (size_t i = 0; i < sizeof privcmd_paths / sizeof privcmd_paths[0] && fd < 0; i++)
        fd = open(privcmd_paths[i], O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "hypercall: cannot open %s: %s\n", privcmd_paths[0], strerror(errno));
        return 1;
    }
    privcmd_hypercall_t call = {.op = SYSGATE_HYPERVISOR_print_string, .arg = {(unsigned long)text}};
    if (ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call) < 0) {
        fprintf(stderr, "hypercall: print_string: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
