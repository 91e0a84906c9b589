/* The command line and the initramfs writer (hv/options.c, hv/initramfs.c) on arguments
   from the input: whatever the user types, the second archive is well-formed cpio "newc"
   and /etc/sysgate/init.args gives back PROGRAM's argv exactly, or sysgate refuses with a
   message. Input: NUL-separated arguments after `sysgate run`; one starting with byte 1
   becomes --add=FILE:REST, one starting with byte 2 names a program file in a scratch
   directory (byte 2 and REST: the file's name). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../hv/initramfs.h"
#include "../../hv/options.h"
#include "fuzz.h"

#define MAX_ARGUMENTS 64
#define ADD_MARKER 1
#define PROGRAM_MARKER 2

#define FD_LIMIT 1024

static char scratch[64];
static bool open_before[FD_LIMIT]; /* the descriptors libFuzzer and the target hold */
static char added_file[128], default_archive[128];

/* A refused input leaves the files it was copying open (sysgate would exit there): close
   whatever this input opened. */
static void close_new_descriptors(void)
{
    for (int fd = 0; fd < FD_LIMIT; fd++)
        if (!open_before[fd] && fcntl(fd, F_GETFD) >= 0)
            close(fd);
}

static void make_scratch(void)
{
    for (int fd = 0; fd < FD_LIMIT; fd++)
        open_before[fd] = fcntl(fd, F_GETFD) >= 0;
    strcpy(scratch, "/tmp/sysgate-fuzz-XXXXXX");
    if (!mkdtemp(scratch))
        abort();
    snprintf(added_file, sizeof added_file, "%s/added", scratch);
    snprintf(default_archive, sizeof default_archive, "%s/default.cpio", scratch);
    FILE *file = fopen(added_file, "w");
    fputs("added file\n", file);
    fclose(file);
    file = fopen(default_archive, "w"); /* an archive with only its trailer */
    fprintf(file, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 0, 0, 0, 0, 1, 0,
            0, 0, 0, 0, 0, 11, 0);
    fwrite("TRAILER!!!\0\0\0\0", 1, 14, file);
    fclose(file);
}

static uint32_t hex_field(const uint8_t *header, unsigned index)
{
    char text[9];
    memcpy(text, header + 6 + 8 * index, 8);
    text[8] = '\0';
    char *end;
    uint32_t value = (uint32_t)strtoul(text, &end, 16);
    if (*end)
        abort(); /* not hex */
    return value;
}

/* Walks the second archive; returns init.args's contents (malloc'd) or NULL. */
static char *check_archive(const uint8_t *archive, size_t size, size_t *args_length)
{
    char *init_args = NULL;
    size_t offset = 0;
    for (;;) {
        if (offset + 110 > size || memcmp(archive + offset, "070701", 6) != 0)
            abort(); /* every entry starts with a newc header, up to the trailer */
        uint32_t file_size = hex_field(archive + offset, 6);
        uint32_t name_size = hex_field(archive + offset, 11);
        const char *name = (const char *)archive + offset + 110;
        if (name_size == 0 || offset + 110 + name_size > size || name[name_size - 1] != '\0' ||
            strlen(name) != name_size - 1)
            abort();
        size_t data = (offset + 110 + name_size + 3) & ~(size_t)3;
        if (data + file_size > size)
            abort();
        if (strcmp(name, "TRAILER!!!") == 0)
            return init_args;
        if (strcmp(name, "etc/sysgate/init.args") == 0) {
            init_args = malloc(file_size + 1);
            memcpy(init_args, archive + data, file_size);
            *args_length = file_size;
        }
        offset = (data + file_size + 3) & ~(size_t)3;
    }
}

/* init.args must give back the path, then argc and argv as given. */
static void check_init_args(const char *args, size_t length, const struct options *options)
{
    const char *end = args + length, *p = args;
    const char *strings[MAX_ARGUMENTS + 8];
    size_t count = 0;
    while (p < end) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        if (!nul || count == MAX_ARGUMENTS + 8)
            abort();
        strings[count++] = p;
        p = nul + 1;
    }
    if (count < 2 || strtol(strings[1], NULL, 10) != options->program_argc)
        abort();
    for (int i = 0; i < options->program_argc; i++)
        if ((size_t)(2 + i) >= count || strcmp(strings[2 + i], options->program_argv[i]) != 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!scratch[0])
        make_scratch();
    char *arguments[MAX_ARGUMENTS + 3] = {"sysgate", "run"};
    int count = 2;
    char program_path[512] = "";
    size_t start = 0;
    for (size_t i = 0; i <= size && count < MAX_ARGUMENTS + 2; i++) {
        if (i < size && data[i] != '\0')
            continue;
        size_t length = i - start;
        const char *text = (const char *)data + start;
        char *argument;
        if (length > 0 && text[0] == ADD_MARKER) {
            if (asprintf(&argument, "--add=%s:%.*s", added_file, (int)length - 1, text + 1) < 0)
                abort();
        } else if (length > 0 && text[0] == PROGRAM_MARKER && length < 200 &&
                   !memchr(text + 1, '/', length - 1) && length > 1) {
            snprintf(program_path, sizeof program_path, "%s/%.*s", scratch, (int)length - 1, text + 1);
            int fd = open(program_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
            if (fd >= 0)
                close(fd);
            argument = strdup(program_path);
        } else {
            argument = strndup(text, length);
        }
        /* --help and --version print and exit 0 by design */
        if (strcmp(argument, "-h") == 0 || strcmp(argument, "--help") == 0 ||
            strcmp(argument, "--version") == 0 || strcmp(argument, "help") == 0)
            argument[0] = 'x';
        arguments[count++] = argument;
        start = i + 1;
    }
    arguments[count] = NULL;

    struct options options;
    int fd = -1;
    if (setjmp(fuzz_refused) == 0) {
        parse_command_line(count, arguments, &options);
        fd = build_initramfs(default_archive, &options);
        off_t archive_size = lseek(fd, 0, SEEK_END);
        uint8_t *archive = mmap(NULL, (size_t)archive_size, PROT_READ, MAP_SHARED, fd, 0);
        if (archive == MAP_FAILED)
            abort();
        size_t first = 124; /* the default archive, padded to 4 */
        size_t args_length = 0;
        char *init_args = (size_t)archive_size > first
                              ? check_archive(archive + first, (size_t)archive_size - first, &args_length)
                              : NULL;
        if (!init_args)
            abort(); /* `run` always writes init.args */
        check_init_args(init_args, args_length, &options);
        free(init_args);
        munmap(archive, (size_t)archive_size);
    }
    if (fd >= 0)
        close(fd);
    close_new_descriptors();
    if (program_path[0])
        unlink(program_path);
    for (int i = 2; i < count; i++)
        free(arguments[i]);
    return 0;
}
