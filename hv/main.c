/* sysgate: the monitor that boots the sysgate kernel in QEMU.

     sysgate run [OPTIONS] PROGRAM [ARGS...]
     sysgate shell [OPTIONS]

   main() validates everything a user can get wrong before QEMU starts (each problem is one
   line on stderr and a distinct exit status), builds the initramfs and guest RAM, starts
   QEMU and hands over to the event loop in monitor.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"
#include "elfcheck.h"
#include "guestmem.h"
#include "hoststdio.h"
#include "initramfs.h"
#include "monitor.h"
#include "options.h"
#include "qemu.h"
#include "terminal.h"
#include "util.h"

/* If sysgate was started with stdin, stdout or stderr closed, the next file it opens
   would take that number and receive output meant for the terminal (or be handed to QEMU
   as its stdio). Park /dev/null there instead. */
static void ensure_standard_descriptors(void)
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int opened = open("/dev/null", O_RDWR);
        if (opened != fd)
            _exit(EXIT_SYSGATE_ERROR);
    }
}

/* kernel.elf and initramfs.cpio live next to the sysgate executable (build/). */
static char *file_next_to_executable(const char *name)
{
    char executable[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", executable, sizeof executable - 1);
    if (length < 0)
        fail(EXIT_SYSGATE_ERROR, "cannot find the sysgate executable: /proc/self/exe: %s",
             strerror(errno));
    executable[length] = '\0';
    char *slash = strrchr(executable, '/');
    if (slash)
        *slash = '\0';
    return xasprintf("%s/%s", executable, name);
}

static char *default_file(const char *given, const char *name, const char *what, const char *option)
{
    if (given)
        return xstrdup(given);
    char *path = file_next_to_executable(name);
    if (access(path, F_OK) != 0)
        fail(EXIT_SYSGATE_ERROR, "%s %s: %s (build it with 'make', or pass %s)", what, path,
             strerror(errno), option);
    return path;
}

static bool guest_has_file(const struct options *options, const char *guest_path)
{
    for (size_t i = 0; i < options->added_count; i++)
        if (strcmp(options->added_files[i].guest_path, guest_path) == 0)
            return true;
    return false;
}

static int boot(struct options *options)
{
    /* Signals are blocked from here on and read through a signalfd by the event loop, so
       a ^C during start-up still ends QEMU cleanly. */
    int signal_fd = monitor_block_signals();

    check_shares(options); /* the root first: PROGRAM is looked for in it */
    if (options->command == COMMAND_RUN) {
        struct program_info program;
        char *host_program = options->root_path ? resolve_program_in_root(options) : xstrdup(options->program);
        check_program(host_program, &program);
        /* A dynamically linked PROGRAM runs with the host's own loader and libraries. */
        if (program.interpreter && !options->root_path && !guest_has_file(options, program.interpreter)) {
            options->root_path = xstrdup("/");
            options->root_automatic = true;
            free(resolve_program_in_root(options));
            check_shares(options);
        }
        free(host_program);
        free(program.interpreter);
        share_hidden_directories(options);
        check_shares(options);
    }
    char *kernel_path = default_file(options->kernel_path, "kernel.elf", "kernel", "--kernel");
    check_kernel_image(kernel_path, options->memory_bytes);
    char *initrd_path = default_file(options->initrd_path, "initramfs.cpio", "initramfs", "--initrd");
    char *qemu_binary = find_qemu_binary(options->qemu_path);
    enum accelerator accelerator = choose_accelerator(options->accel, options->verbose);

    int initramfs_fd = build_initramfs(initrd_path, options);
    struct guest_memory memory;
    guest_memory_create(&memory, options->memory_bytes);
    struct stdio_plan stdio = plan_stdio(options->command);
    char *kernel_cmdline = build_kernel_cmdline(options, stdio.word);

    struct qemu_launch launch = {
        .binary = qemu_binary,
        .options = options,
        .accelerator = accelerator,
        .kernel_path = kernel_path,
        .kernel_cmdline = kernel_cmdline,
        .guest_ram_fd = memory.fd,
        .initramfs_fd = initramfs_fd,
    };
    struct qemu_process qemu;
    qemu_start(&launch, &qemu);
    /* QEMU has its own copies; the monitor keeps only its mapping of guest RAM */
    close(initramfs_fd);
    close(memory.fd);
    free(kernel_cmdline);
    free(qemu_binary);
    free(initrd_path);
    free(kernel_path);

    /* The guest's console is a terminal with its own line discipline when
       the guest's stdin is the console: the host's gets out of its way. */
    if (options->command == COMMAND_SHELL || stdio.word[0] == '\0' || !stdio.stdin_is_stream)
        terminal_raw_begin();
    return monitor_run(options, &stdio, &qemu, &memory, accelerator, signal_fd);
}

int main(int argc, char **argv)
{
    ensure_standard_descriptors();
    struct options options;
    parse_command_line(argc, argv, &options);
    return boot(&options);
}
