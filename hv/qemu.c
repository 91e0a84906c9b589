/* QEMU's command line and process. The machine is built from options verified against
   QEMU 7.2 (docs/monitor.md): guest RAM is the monitor's memfd as a shared
   memory-backend-file, the initramfs is another memfd, COM1 is the stdio chardev on pipes,
   COM2 a socket chardev on a socket pair, the doorbell a `file` chardev on a pipe; all reach QEMU as /proc/self/fd/N,
   the descriptors being inherited. Nothing goes through the file system. */
#define _GNU_SOURCE
#include "qemu.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hypervisor.h"
#include "util.h"

#define DEFAULT_QEMU "qemu-system-x86_64"
#define APT_HINT "install it with: apt-get install qemu-system-x86"

static bool is_executable_file(const char *path)
{
    struct stat status;
    return stat(path, &status) == 0 && S_ISREG(status.st_mode) && access(path, X_OK) == 0;
}

char *find_qemu_binary(const char *requested)
{
    const char *origin = "--qemu";
    if (!requested) {
        requested = getenv("SYSGATE_QEMU");
        origin = "$SYSGATE_QEMU";
        if (requested && !*requested)
            requested = NULL;
    }
    if (!requested) {
        requested = DEFAULT_QEMU;
        origin = NULL;
    }
    if (strchr(requested, '/')) {
        if (!is_executable_file(requested))
            fail(EXIT_SYSGATE_ERROR, "%s %s: %s", origin ? origin : "QEMU", requested,
                 access(requested, F_OK) == 0 ? "not an executable file" : "No such file or directory");
        return xstrdup(requested);
    }
    const char *search = getenv("PATH");
    if (!search || !*search)
        search = "/usr/local/bin:/usr/bin:/bin";
    for (const char *directory = search; ; ) {
        size_t length = strcspn(directory, ":");
        char *candidate = length ? xasprintf("%.*s/%s", (int)length, directory, requested)
                                 : xasprintf("./%s", requested);
        if (is_executable_file(candidate))
            return candidate;
        free(candidate);
        if (directory[length] == '\0')
            break;
        directory += length + 1;
    }
    if (origin)
        fail(EXIT_SYSGATE_ERROR, "%s %s: not found in PATH", origin, requested);
    fail(EXIT_SYSGATE_ERROR, "%s not found in PATH; " APT_HINT, requested);
}

/* ---- 9p shares (docs/9p.md): the root is mount tag ROOT_TAG, --share N is SHARE_TAG N ---- */
#define ROOT_TAG "sgroot"
#define SHARE_TAG "sgshare"

/* "sysgate.root=TAG sysgate.share=TAG:PATH ...", or "" without shares. */
static char *share_words(const struct options *options)
{
    char *words = xstrdup(options->root_path ? " sysgate.root=" ROOT_TAG : "");
    for (size_t i = 0; i < options->share_count; i++) {
        char *longer = xasprintf("%s sysgate.share=" SHARE_TAG "%zu:%s%s", words, i, options->shares[i].guest_path,
                                 options->shares[i].writable ? ":rw" : "");
        free(words);
        words = longer;
    }
    return words;
}

char *build_kernel_cmdline(const struct options *options, const char *stdio_word)
{
    const char *size_word = terminal_size_word();
    char *shares = share_words(options);
    char *cmdline = xasprintf("sysgate.hv=0x%x%s%s%s%s%s%s%s%s%s%s%s%s", DOORBELL_PORT,
                     *stdio_word ? " " : "", stdio_word,
                     *size_word ? " " : "", size_word,
                     options->trace ? " sysgate.trace" : "",
                     options->trace && options->trace_filter ? "=" : "",
                     options->trace && options->trace_filter ? options->trace_filter : "",
                     options->trace_summary ? " sysgate.trace_summary" : "",
                     options->verbose ? " sysgate.verbose" : "",
                     shares,
                     options->extra_cmdline ? " " : "",
                     options->extra_cmdline ? options->extra_cmdline : "");
    free(shares);
    return cmdline;
}

struct argument_list {
    char **items;
    size_t count;
};

static void add(struct argument_list *list, const char *argument)
{
    list->items = xrealloc(list->items, (list->count + 2) * sizeof(char *));
    list->items[list->count++] = xstrdup(argument);
    list->items[list->count] = NULL;
}

static void add_format(struct argument_list *list, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static void add_format(struct argument_list *list, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *argument = NULL;
    if (vasprintf(&argument, format, args) < 0)
        fail(EXIT_SYSGATE_ERROR, "out of memory");
    va_end(args);
    list->items = xrealloc(list->items, (list->count + 2) * sizeof(char *));
    list->items[list->count++] = argument;
    list->items[list->count] = NULL;
}

/* A path inside a QEMU option value: its commas doubled. */
static char *qemu_option_escape(const char *text)
{
    char *escaped = xmalloc(2 * strlen(text) + 1), *out = escaped;
    for (; *text; text++) {
        *out++ = *text;
        if (*text == ',')
            *out++ = ',';
    }
    *out = '\0';
    return escaped;
}

static void add_share_device(struct argument_list *list, const char *tag, const char *host_path, bool writable)
{
    char *path = qemu_option_escape(host_path);
    /* passthrough needs root, to keep files' owners; none works as any user */
    add(list, "-fsdev");
    add_format(list, "local,id=fs-%s,path=%s,security_model=%s%s,multidevs=remap", tag, path,
               geteuid() == 0 ? "passthrough" : "none", writable ? "" : ",readonly=on");
    add(list, "-device");
    add_format(list, "virtio-9p-device,fsdev=fs-%s,mount_tag=%s", tag, tag);
    free(path);
}

/* virtio-9p devices on microvm's virtio-mmio transports, in the modern (version 2) layout;
   QEMU names each transport on the kernel command line. multidevs=remap keeps inode numbers
   (qid.path) unique across the host file systems under a shared directory. */
static void add_share_devices(struct argument_list *list, const struct options *options)
{
    if (!options->root_path && options->share_count == 0)
        return;
    add(list, "-global");
    add(list, "virtio-mmio.force-legacy=false");
    if (options->root_path)
        add_share_device(list, ROOT_TAG, options->root_path, false);
    for (size_t i = 0; i < options->share_count; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, SHARE_TAG "%zu", i);
        add_share_device(list, tag, options->shares[i].host_path, options->shares[i].writable);
    }
}

/* --gdb: QEMU's gdb stub (-gdb), the CPU stopped until gdb lets it go (-S). */
static void add_gdb_stub(struct argument_list *list, const struct options *options)
{
    add(list, "-gdb");
    if (options->gdb_socket) {
        char *path = qemu_option_escape(options->gdb_socket);
        add_format(list, "unix:%s,server=on,wait=off", path);
        free(path);
    } else {
        add_format(list, "tcp:127.0.0.1:%u", options->gdb_port);
    }
    add(list, "-S");
}

/* How to attach (docs/debugging.md): QEMU listens moments after its exec. */
static void print_gdb_hint(const struct options *options)
{
    char *target = options->gdb_socket ? xstrdup(options->gdb_socket)
                                       : xasprintf("127.0.0.1:%u", options->gdb_port);
    report("the guest waits for gdb at %s; from the source tree: gdb -x tools/debug/sysgate.gdb "
           "-ex 'sg-attach %s%s%s'", target, target, options->program ? " " : "",
           options->program ? options->program : "");
    free(target);
}

/* The fds named in the command line are the child's fd numbers: they are inherited as
   they are (only stdin, stdout and stderr are moved), so they are the same numbers. */
static char **build_qemu_argv(const struct qemu_launch *launch, int serial2_fd, int doorbell_fd)
{
    const struct options *options = launch->options;
    bool kvm = launch->accelerator == ACCELERATOR_KVM;
    struct argument_list list = {0};
    add(&list, launch->binary);
    add(&list, "-M");
    /* The kernel finds its devices without ACPI (the I/O APIC and the UARTs
     * sit at their standard addresses); building the tables costs QEMU ~4 ms. */
    add(&list, options->machine == MACHINE_PC ? "pc" : "microvm,acpi=off");
    add(&list, "-nodefaults");
    add(&list, "-no-user-config");
    add(&list, "-display");
    add(&list, "none");
    add(&list, "-no-reboot"); /* a guest reset ends QEMU: the monitor reports it */
    add(&list, "-accel");
    add(&list, kvm ? "kvm" : "tcg");
    add(&list, "-cpu");
    add(&list, options->cpu_model ? options->cpu_model : kvm ? "host" : "max");
    add(&list, "-m");
    add_format(&list, "%lluM", (unsigned long long)(options->memory_bytes >> 20));
    add(&list, "-object");
    add_format(&list, "memory-backend-file,id=ram,size=%llu,mem-path=/proc/self/fd/%d,share=on",
               (unsigned long long)options->memory_bytes, launch->guest_ram_fd);
    add(&list, "-machine");
    add(&list, "memory-backend=ram");
    add(&list, "-kernel");
    add(&list, launch->kernel_path);
    add(&list, "-initrd");
    add_format(&list, "/proc/self/fd/%d", launch->initramfs_fd);
    add(&list, "-append");
    add(&list, launch->kernel_cmdline);
    /* COM1: QEMU's stdin and stdout, which are pipes to the monitor. signal=off: a ^C byte
       is input for the guest, never a signal for QEMU. */
    add(&list, "-chardev");
    add(&list, "stdio,id=console,signal=off");
    add(&list, "-serial");
    add(&list, "chardev:console");
    /* COM2 (0x2f8, IRQ 3): the monitor's kicks for the stdio rings come in as received
       bytes (its interrupt wakes the guest); what a guest writes there reaches stderr */
    add(&list, "-chardev");
    add_format(&list, "socket,id=serial2,fd=%d", serial2_fd);
    add(&list, "-device");
    add(&list, "isa-serial,chardev=serial2,index=1");
    /* the doorbell: each byte the guest writes is written to the pipe synchronously */
    add(&list, "-chardev");
    add_format(&list, "file,id=doorbell,path=/proc/self/fd/%d", doorbell_fd);
    add(&list, "-device");
    add_format(&list, "isa-debugcon,iobase=0x%x,chardev=doorbell", DOORBELL_PORT);
    add_share_devices(&list, options);
    if (options->gdb)
        add_gdb_stub(&list, options);
    return list.items;
}

/* Quotes an argument for a POSIX shell when it needs it, for --verbose. */
static void append_quoted(char **line, size_t *length, const char *argument)
{
    bool plain = *argument && strspn(argument, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                               "0123456789_-+=/.,:@%") == strlen(argument);
    size_t needed = *length + 4 * strlen(argument) + 4;
    *line = xrealloc(*line, needed);
    char *out = *line + *length;
    if (*length)
        *out++ = ' ';
    if (plain) {
        out = stpcpy(out, argument);
    } else {
        *out++ = '\'';
        for (const char *c = argument; *c; c++) {
            if (*c == '\'')
                out = stpcpy(out, "'\\''");
            else
                *out++ = *c;
        }
        *out++ = '\'';
    }
    *out = '\0';
    *length = (size_t)(out - *line);
}

static void print_command_line(char **argv)
{
    char *line = NULL;
    size_t length = 0;
    for (char **argument = argv; *argument; argument++)
        append_quoted(&line, &length, *argument);
    report("%s", line);
    free(line);
}

static void make_pipe(int ends[2])
{
    if (pipe2(ends, O_CLOEXEC) != 0)
        fail(EXIT_SYSGATE_ERROR, "pipe: %s", strerror(errno));
}

/* The exit handler: whatever path the monitor leaves by, QEMU does not outlive it. */
static pid_t running_qemu;

static void kill_qemu_at_exit(void)
{
    if (running_qemu > 0) {
        kill(-running_qemu, SIGKILL);
        kill(running_qemu, SIGKILL);
        while (waitpid(running_qemu, NULL, 0) < 0 && errno == EINTR)
            ;
        running_qemu = 0;
    }
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static _Noreturn void exec_qemu(char **argv, pid_t parent, int console_input, int console_output,
                                int diagnostics, const int *inherited, size_t inherited_count,
                                int exec_error_pipe)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* the monitor died before prctl took effect */
        _exit(127);
    if (dup2(console_input, STDIN_FILENO) < 0 || dup2(console_output, STDOUT_FILENO) < 0 ||
        dup2(diagnostics, STDERR_FILENO) < 0)
        goto failed;
    for (size_t i = 0; i < inherited_count; i++) {
        int flags = fcntl(inherited[i], F_GETFD);
        if (flags < 0 || fcntl(inherited[i], F_SETFD, flags & ~FD_CLOEXEC) < 0)
            goto failed;
    }
    execv(argv[0], argv);
failed:;
    int error = errno;
    ssize_t ignored = write(exec_error_pipe, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

void qemu_start(const struct qemu_launch *launch, struct qemu_process *process)
{
    int console_input[2], console_output[2], serial2[2], doorbell[2], diagnostics[2], exec_error[2];
    make_pipe(console_input);
    make_pipe(console_output);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, serial2) != 0)
        fail(EXIT_SYSGATE_ERROR, "socketpair: %s", strerror(errno));
    make_pipe(doorbell);
    make_pipe(diagnostics);
    make_pipe(exec_error);

    char **argv = build_qemu_argv(launch, serial2[1], doorbell[1]);
    if (launch->options->verbose)
        print_command_line(argv);
    int inherited[] = {launch->guest_ram_fd, launch->initramfs_fd, serial2[1], doorbell[1]};

    if (!running_qemu)
        atexit(kill_qemu_at_exit);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        fail(EXIT_SYSGATE_ERROR, "fork: %s", strerror(errno));
    if (pid == 0)
        exec_qemu(argv, parent, console_input[0], console_output[1], diagnostics[1], inherited,
                  ARRAY_SIZE(inherited), exec_error[1]);
    running_qemu = pid;
    setpgid(pid, pid); /* also here, so that it holds before either side goes on */

    close(console_input[0]);
    close(console_output[1]);
    close(serial2[1]);
    close(doorbell[1]);
    close(diagnostics[1]);
    close(exec_error[1]);
    for (char **argument = argv; *argument; argument++)
        free(*argument);
    free(argv);

    /* Wait for exec: the pipe closes on success (close-on-exec) or carries errno. */
    int error = 0;
    ssize_t got;
    while ((got = read(exec_error[0], &error, sizeof error)) < 0 && errno == EINTR)
        ;
    close(exec_error[0]);
    if (got == (ssize_t)sizeof error)
        fail(EXIT_SYSGATE_ERROR, "cannot run %s: %s", launch->binary, strerror(error));
    if (launch->options->gdb)
        print_gdb_hint(launch->options);

    process->pid = pid;
    process->console_input = console_input[1];
    process->console_output = console_output[0];
    process->serial2 = serial2[0];
    process->doorbell = doorbell[0];
    process->diagnostics = diagnostics[0];
    int ends[] = {process->console_input, process->console_output, process->serial2,
                  process->doorbell, process->diagnostics};
    for (size_t i = 0; i < ARRAY_SIZE(ends); i++)
        set_nonblocking(ends[i], true);
}

void qemu_kill(struct qemu_process *process)
{
    if (process->pid > 0 && running_qemu == process->pid) {
        kill(-process->pid, SIGKILL);
        kill(process->pid, SIGKILL);
    }
}

void qemu_forget(struct qemu_process *process)
{
    if (running_qemu == process->pid)
        running_qemu = 0;
}
