/* The command line of `sysgate`. Options come before PROGRAM; the first argument that is
   not an option is PROGRAM and everything after it is PROGRAM's argv, untouched, so that
   `sysgate run ls -l` passes -l to ls. Every usage error is one line and exit status 125. */
#define _GNU_SOURCE
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static const char usage_text[] =
    "Usage: sysgate run [OPTIONS] PROGRAM [ARGS...]\n"
    "       sysgate shell [OPTIONS]\n"
    "\n"
    "Boots a fresh sysgate microVM in QEMU. `run` makes PROGRAM (a Linux x86 ELF file or #!\n"
    "script from the host, copied to /host/NAME in the guest; a script's interpreter is the\n"
    "guest's, e.g. #!/bin/sh is its busybox sh) its first process and exits with its\n"
    "status; `shell` starts the interactive system.\n"
    "\n"
    "Options:\n"
    "  --accel kvm|tcg      accelerator (default: KVM when the host has vmx/svm and\n"
    "                       /dev/kvm works, otherwise TCG)\n"
    "  --cpu MODEL          QEMU CPU model (default: host under KVM, max under TCG)\n"
    "  --mem SIZE           guest RAM, 32M to 3G; suffix K, M or G, a plain number is MiB\n"
    "                       (default: 256M)\n"
    "  --add HOST[:GUEST]   copy the host file HOST into the guest at GUEST (default\n"
    "                       /host/BASENAME); repeatable\n"
    "  --trace              trace every system call in strace's format, on stderr\n"
    "                       (adds sysgate.trace; docs/tracing.md)\n"
    "  --trace=NAME,...     trace only the system calls named\n"
    "  --trace-summary      at the end, a table of calls, errors and time per call\n"
    "  --trace-file FILE    write the trace (or the table) to FILE, not stderr\n"
    "  --timeout SECONDS    kill the guest after SECONDS and exit 124 (0: no limit)\n"
    "  --cmdline TEXT       append TEXT to the kernel command line\n"
    "  --machine microvm|pc QEMU machine type (default: microvm)\n"
    "  --kernel PATH        kernel image (default: kernel.elf next to sysgate)\n"
    "  --initrd PATH        default userland archive (default: initramfs.cpio next to sysgate)\n"
    "  --qemu PATH          QEMU binary (default: $SYSGATE_QEMU, else qemu-system-x86_64)\n"
    "  --verbose            name the accelerator, print the QEMU command line and the\n"
    "                       hypervisor console; the kernel logs more\n"
    "  --hv-console FILE    write the hypervisor console to FILE (`shell` shows it)\n"
    "  --gdb[=PORT|=PATH]   start the guest stopped, with QEMU's gdb stub on\n"
    "                       127.0.0.1:PORT (default 1234) or the unix socket PATH\n"
    "                       (docs/debugging.md)\n"
    "  --root DIR           the host directory DIR is the guest's read-only root file system\n"
    "                       (virtio-9p), with /dev, /proc and a tmpfs /tmp on it; PROGRAM is\n"
    "                       then a path in DIR, not copied. A dynamically linked PROGRAM gets\n"
    "                       --root / by itself\n"
    "  --share HOST:GUEST[:rw]\n"
    "                       the host directory HOST appears at GUEST, read-only unless :rw\n"
    "                       is given; repeatable\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n"
    "\n"
    "Exit status: PROGRAM's status; 124 on timeout; 125 for an error of sysgate, a guest\n"
    "kernel panic or a QEMU failure; 126 when PROGRAM is not executable; 127 when it does\n"
    "not exist.\n";

/* A problem with the shape of the command line: one line, with a pointer to --help. */
static _Noreturn void usage_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void usage_error(const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    fail(EXIT_SYSGATE_ERROR, "%s (try 'sysgate --help')", message);
}

/* "--mem SIZE": a number with an optional K/M/G suffix; a plain number means MiB, as for
   QEMU's -m. Must be a whole number of MiB, between GUEST_RAM_MIN and GUEST_RAM_MAX. */
static uint64_t parse_memory_size(const char *text)
{
    errno = 0;
    char *end;
    if (text[0] < '0' || text[0] > '9')
        fail(EXIT_SYSGATE_ERROR, "--mem %s: not a size (use for example 512M or 1G)", text);
    unsigned long long number = strtoull(text, &end, 10);
    uint64_t unit;
    switch (*end) {
    case '\0': unit = 1ull << 20; break;
    case 'k': case 'K': unit = 1ull << 10; end++; break;
    case 'm': case 'M': unit = 1ull << 20; end++; break;
    case 'g': case 'G': unit = 1ull << 30; end++; break;
    default: unit = 0; break;
    }
    if (unit && (*end == 'b' || *end == 'B'))
        end++; /* accept "512MB" */
    if (errno || unit == 0 || *end != '\0')
        fail(EXIT_SYSGATE_ERROR, "--mem %s: not a size (use for example 512M or 1G)", text);
    if (number > GUEST_RAM_MAX / unit || number * unit < GUEST_RAM_MIN ||
        number * unit > GUEST_RAM_MAX)
        fail(EXIT_SYSGATE_ERROR, "--mem %s: out of range (32M to 3G)", text);
    uint64_t bytes = number * unit;
    if (bytes % (1ull << 20))
        fail(EXIT_SYSGATE_ERROR, "--mem %s: must be a whole number of MiB", text);
    return bytes;
}

static double parse_timeout(const char *text)
{
    errno = 0;
    char *end;
    double seconds = strtod(text, &end);
    /* strtod accepts "inf", "nan" and hex floats; only plain decimal numbers make sense */
    bool plain = strspn(text, "0123456789.") == strlen(text) && text[0] != '\0';
    if (errno || end == text || *end != '\0' || !plain || !isfinite(seconds) || seconds < 0)
        fail(EXIT_SYSGATE_ERROR, "--timeout %s: not a number of seconds", text);
    if (seconds > 1e9)
        fail(EXIT_SYSGATE_ERROR, "--timeout %s: too large", text);
    return seconds;
}

/* Normalises an absolute guest path: collapses "//", rejects "." and "..", strips a
   trailing "/". Returns NULL when the path is not acceptable. */
static char *normalize_guest_path(const char *path)
{
    if (path[0] != '/')
        return NULL;
    char *result = xmalloc(strlen(path) + 2);
    size_t length = 0;
    const char *cursor = path;
    while (*cursor) {
        while (*cursor == '/')
            cursor++;
        if (!*cursor)
            break;
        size_t component = strcspn(cursor, "/");
        if ((component == 1 && cursor[0] == '.') ||
            (component == 2 && cursor[0] == '.' && cursor[1] == '.')) {
            free(result);
            return NULL;
        }
        result[length++] = '/';
        memcpy(result + length, cursor, component);
        length += component;
        cursor += component;
    }
    result[length] = '\0';
    if (length == 0) { /* "/" itself is a directory, not a file */
        free(result);
        return NULL;
    }
    return result;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* "--add HOST[:GUEST]". The split is at the last ':' that is followed by '/', so that host
   paths containing ':' still work when GUEST is given or the name has no ":/". */
static void parse_added_file(const char *argument, struct added_file *added)
{
    const char *separator = NULL;
    for (const char *p = strchr(argument, ':'); p; p = strchr(p + 1, ':'))
        if (p[1] == '/')
            separator = p;
    char *host = separator ? strndup(argument, (size_t)(separator - argument)) : xstrdup(argument);
    if (!host)
        fail(EXIT_SYSGATE_ERROR, "out of memory");
    if (host[0] == '\0')
        fail(EXIT_SYSGATE_ERROR, "--add %s: empty host path", argument);

    struct stat status;
    if (stat(host, &status) != 0)
        fail(EXIT_SYSGATE_ERROR, "--add %s: %s", host, strerror(errno));
    if (!S_ISREG(status.st_mode))
        fail(EXIT_SYSGATE_ERROR, "--add %s: not a regular file (only files can be added)", host);
    if (access(host, R_OK) != 0)
        fail(EXIT_SYSGATE_ERROR, "--add %s: %s", host, strerror(errno));

    char *guest;
    if (separator) {
        guest = normalize_guest_path(separator + 1);
        if (!guest)
            fail(EXIT_SYSGATE_ERROR,
                 "--add %s: bad guest path '%s' (must be absolute, without . or ..)",
                 argument, separator + 1);
    } else {
        const char *name = base_name(host);
        if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            fail(EXIT_SYSGATE_ERROR, "--add %s: cannot derive a guest file name", argument);
        guest = xasprintf("/host/%s", name);
    }
    added->host_path = host;
    added->guest_path = guest;
}

/* ---- 9p: --root and --share (docs/9p.md) ---- */

#define MAX_SHARES 8          /* microvm has 24 virtio-mmio transports; the kernel takes 16 */
#define SHARE_WORDS_MAX 512   /* of the kernel's 1 KiB command line */
#define GUEST_NAME_MAX 255    /* bytes in a file name, as Linux's NAME_MAX */

static char *resolve_directory(const char *option, const char *path)
{
    struct stat status;
    if (stat(path, &status) != 0)
        fail(EXIT_SYSGATE_ERROR, "%s %s: %s", option, path, strerror(errno));
    if (!S_ISDIR(status.st_mode))
        fail(EXIT_SYSGATE_ERROR, "%s %s: not a directory", option, path);
    char *resolved = realpath(path, NULL);
    if (!resolved)
        fail(EXIT_SYSGATE_ERROR, "%s %s: %s", option, path, strerror(errno));
    return resolved;
}

/* "--share HOST:GUEST[:ro|:rw]": the last ':' before a '/' starts GUEST, so HOST may hold ':'. */
static void parse_share(const char *argument, struct options *options)
{
    char *copy = xstrdup(argument);
    char *guest = NULL, *suffix = NULL;
    char *last = strrchr(copy, ':');
    if (last && last[1] != '/') { /* a suffix */
        suffix = last + 1;
        *last = '\0';
        last = strrchr(copy, ':');
    }
    if (!last || last[1] != '/')
        fail(EXIT_SYSGATE_ERROR, "--share %s: use HOST:GUEST with GUEST an absolute path", argument);
    *last = '\0';
    guest = last + 1;
    if (suffix && strcmp(suffix, "ro") != 0 && strcmp(suffix, "rw") != 0)
        fail(EXIT_SYSGATE_ERROR, "--share %s: unknown suffix ':%s' (use :ro or :rw)", argument, suffix);
    if (!*copy)
        fail(EXIT_SYSGATE_ERROR, "--share %s: empty host path", argument);
    if (strpbrk(guest, " \t\n:"))
        fail(EXIT_SYSGATE_ERROR, "--share %s: the guest path cannot contain white space or ':'", argument);
    char *normalized = normalize_guest_path(guest);
    if (!normalized)
        fail(EXIT_SYSGATE_ERROR, "--share %s: bad guest path '%s' (must be absolute, without . or .., not /)",
             argument, guest);
    for (const char *component = normalized + 1; *component; ) {
        size_t length = strcspn(component, "/");
        if (length > GUEST_NAME_MAX)
            fail(EXIT_SYSGATE_ERROR, "--share %s: a name in the guest path is longer than %d bytes", argument,
                 GUEST_NAME_MAX);
        component += length + (component[length] == '/');
    }
    for (size_t i = 0; i < options->share_count; i++)
        if (strcmp(options->shares[i].guest_path, normalized) == 0)
            fail(EXIT_SYSGATE_ERROR, "--share %s: %s is shared twice", argument, normalized);
    options->shares = xrealloc(options->shares, (options->share_count + 1) * sizeof(struct shared_directory));
    options->shares[options->share_count++] = (struct shared_directory){
        .host_path = resolve_directory("--share", copy),
        .guest_path = normalized,
        .writable = suffix && strcmp(suffix, "rw") == 0,
    };
    free(copy);
}

char *resolve_program_in_root(struct options *options)
{
    const char *program = options->program;
    const char *root = options->root_path;
    bool root_is_slash = strcmp(root, "/") == 0;
    if (program[0] == '/') {
        options->guest_program = xstrdup(program);
        return root_is_slash ? xstrdup(program) : xasprintf("%s%s", root, program);
    }
    char *resolved = realpath(program, NULL);
    if (!resolved) /* check_program says why, with the name as typed */
        return xstrdup(program);
    size_t length = strlen(root);
    if (root_is_slash)
        options->guest_program = xstrdup(resolved);
    else if (strncmp(resolved, root, length) == 0 && resolved[length] == '/')
        options->guest_program = xstrdup(resolved + length);
    else
        fail(EXIT_SYSGATE_ERROR, "%s is not inside the root %s (give its path in the root)", program, root);
    return resolved;
}

/* The kernel mounts a tmpfs over these directories of a read-only root (kernel/fs/v9fs_boot.c,
   mount_scratch_directories), hiding the host's own. */
static const char *const scratch_directories[] = {"/tmp", "/run", "/var/tmp"};

/* `path` (a guest path) lies under a scratch directory, not at one. */
static bool hidden_by_scratch(const char *path)
{
    for (size_t i = 0; i < sizeof scratch_directories / sizeof scratch_directories[0]; i++) {
        size_t length = strlen(scratch_directories[i]);
        if (strncmp(path, scratch_directories[i], length) == 0 && path[length] == '/')
            return true;
    }
    return false;
}

static bool covered_by_share(const struct options *options, const char *guest_path)
{
    for (size_t i = 0; i < options->share_count; i++) {
        size_t length = strlen(options->shares[i].guest_path);
        if (strncmp(guest_path, options->shares[i].guest_path, length) == 0 &&
            (guest_path[length] == '/' || guest_path[length] == '\0'))
            return true;
    }
    return false;
}

/* The host directory `host_path` as a read-only share at its place in the guest when the
   root holds it but a scratch tmpfs would hide it. */
static void share_if_hidden(struct options *options, const char *host_path)
{
    const char *root = options->root_path;
    size_t root_length = strcmp(root, "/") == 0 ? 0 : strlen(root);
    if (strncmp(host_path, root, root_length) != 0 || host_path[root_length] != '/')
        return;
    const char *guest_path = host_path + root_length;
    if (!hidden_by_scratch(guest_path) || covered_by_share(options, guest_path))
        return;
    options->shares = xrealloc(options->shares, (options->share_count + 1) * sizeof(struct shared_directory));
    options->shares[options->share_count++] = (struct shared_directory){
        .host_path = xstrdup(host_path),
        .guest_path = xstrdup(guest_path),
        .writable = false,
    };
}

void share_hidden_directories(struct options *options)
{
    if (!options->root_path)
        return;
    char *cwd = getcwd(NULL, 0);
    if (cwd)
        share_if_hidden(options, cwd);
    free(cwd);
    if (options->guest_program) {
        const char *root = strcmp(options->root_path, "/") == 0 ? "" : options->root_path;
        char *program = xasprintf("%s%s", root, options->guest_program);
        char *slash = strrchr(program, '/');
        if (slash && slash != program) {
            *slash = '\0';
            char *directory = realpath(program, NULL);
            if (directory)
                share_if_hidden(options, directory);
            free(directory);
        }
        free(program);
    }
}

void check_shares(const struct options *options)
{
    if (!options->root_path && options->share_count == 0)
        return;
    const char *why = options->root_automatic ? " (chosen because PROGRAM is dynamically linked)" : "";
    /* The kernel keeps 1 KiB of command line; QEMU adds a word per transport (~40 bytes). */
    size_t words = 0;
    for (size_t i = 0; i < options->share_count; i++)
        words += strlen(" sysgate.share=sgshareNN:") + strlen(options->shares[i].guest_path) +
                 strlen(" virtio_mmio.device=512@0xfeb00000:NN");
    if (options->share_count > MAX_SHARES || words > SHARE_WORDS_MAX)
        fail(EXIT_SYSGATE_ERROR, "--share: too many shares or guest paths too long for the kernel command line "
             "(at most %d shares, %d bytes of guest paths in all)", MAX_SHARES, SHARE_WORDS_MAX / 2);
    if (options->machine != MACHINE_MICROVM)
        fail(EXIT_SYSGATE_ERROR, "--root and --share need the microvm machine (its virtio-mmio bus)");
    if (options->root_path && options->added_count)
        fail(EXIT_SYSGATE_ERROR, "--add cannot be used with --root%s: the initramfs is not the root then; use --share",
             why);
    if (!options->root_path)
        return;
    /* The kernel mounts its /dev and /proc over the root's own, which must be there. */
    static const char *const needed[] = {"dev", "proc"};
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        char *path = xasprintf("%s/%s", strcmp(options->root_path, "/") ? options->root_path : "", needed[i]);
        struct stat status;
        if (stat(path, &status) != 0 || !S_ISDIR(status.st_mode))
            fail(EXIT_SYSGATE_ERROR, "--root %s%s: %s is not a directory (the guest mounts its /%s there)",
                 options->root_path, why, path, needed[i]);
        free(path);
    }
    for (size_t i = 0; i < options->share_count; i++) {
        char *path = xasprintf("%s%s", strcmp(options->root_path, "/") ? options->root_path : "",
                               options->shares[i].guest_path);
        struct stat status;
        if (stat(path, &status) != 0 || !S_ISDIR(status.st_mode))
            fail(EXIT_SYSGATE_ERROR, "--share %s:%s: the root has no directory %s to mount it on",
                 options->shares[i].host_path, options->shares[i].guest_path, options->shares[i].guest_path);
        free(path);
    }
}

/* "--gdb", "--gdb=PORT", "--gdb=PATH": a value with a '/' is a unix socket's path. The stub
   listens on the loopback interface only: whoever reaches it owns the guest. */
#define GDB_DEFAULT_PORT 1234
static void parse_gdb_stub(const char *value, struct options *options)
{
    options->gdb = true;
    options->gdb_port = GDB_DEFAULT_PORT;
    options->gdb_socket = NULL;
    if (!value)
        return;
    if (strchr(value, '/')) {
        options->gdb_socket = value;
        return;
    }
    char *end;
    errno = 0;
    unsigned long port = strtoul(value, &end, 10);
    if (errno || value[0] < '0' || value[0] > '9' || *end != '\0' || port == 0 || port > 65535)
        usage_error("--gdb=%s: use a TCP port (1-65535) or a socket path containing '/'", value);
    options->gdb_port = (unsigned)port;
}

/* --trace=NAME,NAME (docs/tracing.md): only those calls; the kernel gets the list as
   sysgate.trace=... */
static void parse_trace_filter(const char *value, struct options *options)
{
    if (!*value || strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_,") != strlen(value) ||
        value[0] == ',' || value[strlen(value) - 1] == ',' || strstr(value, ",,"))
        usage_error("--trace=%s: give system-call names separated by commas", value);
    options->trace_filter = value;
}

static _Noreturn void print_usage_and_exit(void)
{
    fputs(usage_text, stdout);
    exit(fflush(stdout) == 0 ? 0 : EXIT_SYSGATE_ERROR);
}

enum {
    OPTION_FIRST_LONG = 0x100, /* above every short option's character */
    OPTION_TRACE = OPTION_FIRST_LONG,
    OPTION_TRACE_SUMMARY,
    OPTION_TRACE_FILE,
    OPTION_GDB,
    OPTION_VERBOSE,
    OPTION_ACCEL,
    OPTION_MACHINE,
    OPTION_CPU,
    OPTION_MEM,
    OPTION_ADD,
    OPTION_TIMEOUT,
    OPTION_CMDLINE,
    OPTION_KERNEL,
    OPTION_INITRD,
    OPTION_QEMU,
    OPTION_HV_CONSOLE,
    OPTION_ROOT,
    OPTION_SHARE,
};

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"trace", optional_argument, NULL, OPTION_TRACE},
    {"trace-summary", no_argument, NULL, OPTION_TRACE_SUMMARY},
    {"trace-file", required_argument, NULL, OPTION_TRACE_FILE},
    {"gdb", optional_argument, NULL, OPTION_GDB},
    {"verbose", no_argument, NULL, OPTION_VERBOSE},
    {"accel", required_argument, NULL, OPTION_ACCEL},
    {"machine", required_argument, NULL, OPTION_MACHINE},
    {"cpu", required_argument, NULL, OPTION_CPU},
    {"mem", required_argument, NULL, OPTION_MEM},
    {"add", required_argument, NULL, OPTION_ADD},
    {"timeout", required_argument, NULL, OPTION_TIMEOUT},
    {"cmdline", required_argument, NULL, OPTION_CMDLINE},
    {"kernel", required_argument, NULL, OPTION_KERNEL},
    {"initrd", required_argument, NULL, OPTION_INITRD},
    {"qemu", required_argument, NULL, OPTION_QEMU},
    {"hv-console", required_argument, NULL, OPTION_HV_CONSOLE},
    {"root", required_argument, NULL, OPTION_ROOT},
    {"share", required_argument, NULL, OPTION_SHARE},
    {NULL, 0, NULL, 0},
};

void parse_command_line(int argc, char **argv, struct options *options)
{
    memset(options, 0, sizeof *options);
    options->memory_bytes = GUEST_RAM_DEFAULT;

    if (argc < 2)
        fail(EXIT_SYSGATE_ERROR, "missing command: run or shell (try 'sysgate --help')");
    const char *command = argv[1];
    if (strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0 ||
        strcmp(command, "help") == 0)
        print_usage_and_exit();
    if (strcmp(command, "--version") == 0) {
        puts("sysgate 1.0");
        exit(0);
    }
    if (strcmp(command, "run") == 0)
        options->command = COMMAND_RUN;
    else if (strcmp(command, "shell") == 0)
        options->command = COMMAND_SHELL;
    else if (command[0] == '-')
        usage_error("options go after the command: sysgate run|shell %s ...", command);
    else
        usage_error("unknown command '%s' (use run or shell)", command);

    /* getopt_long over the words after the command; '+' stops at PROGRAM, so that its own
       options stay its own, and ':' reports a missing value. */
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    optind = 1;
    opterr = 0;
    int option;
    while ((option = getopt_long(sub_argc, sub_argv, "+:h", long_options, NULL)) != -1) {
        const char *value = optarg;
        switch (option) {
        case 'h':
            print_usage_and_exit();
        case OPTION_TRACE:
            options->trace = true;
            if (value)
                parse_trace_filter(value, options);
            break;
        case OPTION_TRACE_SUMMARY:
            options->trace_summary = true;
            break;
        case OPTION_TRACE_FILE:
            if (!*value)
                usage_error("--trace-file needs a file name");
            options->trace_file_path = value;
            break;
        case OPTION_GDB:
            parse_gdb_stub(value, options);
            break;
        case OPTION_VERBOSE:
            options->verbose = true;
            break;
        case OPTION_ACCEL:
            if (strcmp(value, "kvm") == 0)
                options->accel = ACCEL_KVM;
            else if (strcmp(value, "tcg") == 0)
                options->accel = ACCEL_TCG;
            else
                usage_error("--accel %s: use kvm or tcg", value);
            break;
        case OPTION_MACHINE:
            if (strcmp(value, "microvm") == 0)
                options->machine = MACHINE_MICROVM;
            else if (strcmp(value, "pc") == 0)
                options->machine = MACHINE_PC;
            else
                usage_error("--machine %s: use microvm or pc", value);
            break;
        case OPTION_CPU:
            if (!*value)
                usage_error("--cpu needs a model name");
            options->cpu_model = value;
            break;
        case OPTION_MEM:
            options->memory_bytes = parse_memory_size(value);
            break;
        case OPTION_ADD:
            options->added_files = xrealloc(options->added_files,
                                            (options->added_count + 1) * sizeof(struct added_file));
            parse_added_file(value, &options->added_files[options->added_count++]);
            break;
        case OPTION_TIMEOUT:
            options->timeout_seconds = parse_timeout(value);
            break;
        case OPTION_CMDLINE:
            options->extra_cmdline = value;
            break;
        case OPTION_KERNEL:
            options->kernel_path = value;
            break;
        case OPTION_INITRD:
            options->initrd_path = value;
            break;
        case OPTION_QEMU:
            options->qemu_path = value;
            break;
        case OPTION_HV_CONSOLE:
            if (!*value)
                usage_error("--hv-console needs a file name");
            options->hv_console_path = value;
            break;
        case OPTION_ROOT:
            free(options->root_path);
            options->root_path = resolve_directory("--root", value);
            break;
        case OPTION_SHARE:
            parse_share(value, options);
            break;
        case ':':
            usage_error("option %s needs a value", sub_argv[optind - 1]);
        default:
            if (optopt && optopt < OPTION_FIRST_LONG)
                usage_error("unknown option '-%c'", optopt);
            usage_error("unknown option '%s'", sub_argv[optind - 1]);
        }
    }
    int index = optind + 1; /* back to argv's numbering */

    if (options->trace_file_path && !options->trace_summary)
        options->trace = true;

    if (options->command == COMMAND_SHELL) {
        if (options->root_path)
            usage_error("--root is for 'sysgate run' (the shell's userland is the initramfs)");
        if (index < argc)
            usage_error("shell takes no PROGRAM (got '%s'); did you mean 'sysgate run'?",
                        argv[index]);
        return;
    }
    if (index >= argc)
        usage_error("run needs a PROGRAM");
    options->program = argv[index];
    options->program_argv = argv + index;
    options->program_argc = argc - index;
    if (options->program[0] == '\0')
        fail(EXIT_NOT_FOUND, ": No such file or directory");
}
