/* The initramfs: a memfd holding the default archive followed by a second cpio "newc"
   archive (the kernel unpacks concatenated archives, as Linux does). Nothing touches the
   disk; file data moves with sendfile(2), inside the kernel. */
#define _GNU_SOURCE
#include "initramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define INIT_ARGS_PATH "/etc/sysgate/init.args"
#define GUEST_PROGRAM_DIRECTORY "/host"

struct cpio_writer {
    int fd;
    uint64_t offset;        /* bytes in the memfd so far */
    uint32_t next_inode;
    char **directories;     /* directories already in this archive */
    size_t directory_count;
};

static void emit(struct cpio_writer *writer, const void *bytes, size_t length)
{
    if (!write_all(writer->fd, bytes, length))
        fail(EXIT_SYSGATE_ERROR, "cannot write the initramfs: %s", strerror(errno));
    writer->offset += length;
}

static void pad_to_4(struct cpio_writer *writer)
{
    static const char zeros[4];
    if (writer->offset % 4)
        emit(writer, zeros, 4 - writer->offset % 4);
}

/* One newc header and its name; `name` is the guest path without the leading '/'. */
static void emit_header(struct cpio_writer *writer, const char *name, uint32_t mode,
                        uint64_t size, uint64_t mtime, uint32_t links)
{
    if (size > UINT32_MAX)
        fail(EXIT_SYSGATE_ERROR, "/%s: larger than 4 GiB, which cpio newc cannot hold", name);
    char header[111];
    size_t name_size = strlen(name) + 1;
    snprintf(header, sizeof header,
             "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             writer->next_inode++, mode, 0u /* uid */, 0u /* gid */, links,
             (uint32_t)mtime, (uint32_t)size, 0u, 0u, 0u, 0u, (uint32_t)name_size, 0u /* check */);
    emit(writer, header, 110);
    emit(writer, name, name_size);
    pad_to_4(writer);
}

static bool archive_has_directory(const struct cpio_writer *writer, const char *path, size_t length)
{
    for (size_t i = 0; i < writer->directory_count; i++)
        if (strlen(writer->directories[i]) == length && memcmp(writer->directories[i], path, length) == 0)
            return true;
    return false;
}

/* Emits every missing parent directory of `path` ("a/b/c" needs "a" and "a/b"). */
static void emit_parent_directories(struct cpio_writer *writer, const char *path)
{
    for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
        size_t length = (size_t)(slash - path);
        if (archive_has_directory(writer, path, length))
            continue;
        char *directory = strndup(path, length);
        if (!directory)
            fail(EXIT_SYSGATE_ERROR, "out of memory");
        emit_header(writer, directory, S_IFDIR | 0755, 0, 0, 2);
        writer->directories = xrealloc(writer->directories,
                                       (writer->directory_count + 1) * sizeof(char *));
        writer->directories[writer->directory_count++] = directory;
    }
}

/* Copies exactly `length` bytes of `source` into the archive. */
static void copy_file_data(struct cpio_writer *writer, int source, uint64_t length, const char *host_path)
{
    uint64_t copied = 0;
    off_t position = 0;
    while (copied < length) {
        size_t chunk = length - copied > (1u << 30) ? (1u << 30) : (size_t)(length - copied);
        ssize_t sent = sendfile(writer->fd, source, &position, chunk);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EINVAL || errno == ENOSYS)) {
            /* no sendfile between these files: plain read/write */
            char buffer[65536];
            ssize_t got = pread(source, buffer, chunk < sizeof buffer ? chunk : sizeof buffer, position);
            if (got > 0) {
                if (!write_all(writer->fd, buffer, (size_t)got))
                    fail(EXIT_SYSGATE_ERROR, "cannot write the initramfs: %s", strerror(errno));
                position += got;
            }
            sent = got;
        }
        if (sent < 0)
            fail(EXIT_SYSGATE_ERROR, "%s: %s", host_path, strerror(errno));
        if (sent == 0)
            fail(EXIT_SYSGATE_ERROR, "%s: the file shrank while sysgate was copying it", host_path);
        copied += (uint64_t)sent;
    }
    writer->offset += length;
}

static void emit_host_file(struct cpio_writer *writer, const char *guest_path, const char *host_path,
                           int force_mode)
{
    int source = open(host_path, O_RDONLY | O_CLOEXEC);
    if (source < 0)
        fail(EXIT_SYSGATE_ERROR, "%s: %s", host_path, strerror(errno));
    struct stat status;
    if (fstat(source, &status) != 0 || !S_ISREG(status.st_mode))
        fail(EXIT_SYSGATE_ERROR, "%s: not a regular file", host_path);
    const char *name = guest_path + 1;
    emit_parent_directories(writer, name);
    uint32_t permissions = force_mode >= 0 ? (uint32_t)force_mode : (uint32_t)(status.st_mode & 07777);
    emit_header(writer, name, S_IFREG | permissions, (uint64_t)status.st_size,
                (uint64_t)status.st_mtime, 1);
    copy_file_data(writer, source, (uint64_t)status.st_size, host_path);
    pad_to_4(writer);
    close(source);
}

static void emit_memory_file(struct cpio_writer *writer, const char *guest_path,
                             const void *data, size_t length, uint32_t permissions)
{
    const char *name = guest_path + 1;
    emit_parent_directories(writer, name);
    emit_header(writer, name, S_IFREG | permissions, length, 0, 1);
    emit(writer, data, length);
    pad_to_4(writer);
}

static void emit_trailer(struct cpio_writer *writer)
{
    emit_header(writer, "TRAILER!!!", 0, 0, 0, 1);
}

char *guest_program_path(const char *program)
{
    const char *slash = strrchr(program, '/');
    return xasprintf(GUEST_PROGRAM_DIRECTORY "/%s", slash ? slash + 1 : program);
}

/* /etc/sysgate/init.args: NUL-terminated strings, counted so that empty arguments
   survive: PATH, ARGC (decimal), ARGC arguments, ENVC (decimal), ENVC variables, the
   working directory. */
static void append_string(char **buffer, size_t *length, const char *string)
{
    size_t size = strlen(string) + 1;
    *buffer = xrealloc(*buffer, *length + size);
    memcpy(*buffer + *length, string, size);
    *length += size;
}

static void append_count(char **buffer, size_t *length, size_t count)
{
    char number[24];
    snprintf(number, sizeof number, "%zu", count);
    append_string(buffer, length, number);
}

/* Where the program starts: with a 9p root holding the host's working directory, there
   (`sysgate run --root / /bin/ls` lists it, as virtme-ng users expect); otherwise "/". */
static char *guest_working_directory(const struct options *options)
{
    char *cwd = options->root_path ? getcwd(NULL, 0) : NULL;
    if (!cwd)
        return xstrdup("/");
    const char *root = options->root_path;
    size_t root_length = strcmp(root, "/") == 0 ? 0 : strlen(root);
    char *guest = NULL;
    if (strncmp(cwd, root, root_length) == 0 && (cwd[root_length] == '/' || cwd[root_length] == '\0'))
        guest = xstrdup(cwd[root_length] ? cwd + root_length : "/");
    free(cwd);
    return guest ? guest : xstrdup("/");
}

static char *build_init_args(const struct options *options, const char *guest_path, size_t *length)
{
    char *term = getenv("TERM") ? xasprintf("TERM=%s", getenv("TERM")) : NULL;
    const char *environment[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", term};
    size_t environment_count = term ? 3 : 2;

    char *buffer = NULL;
    *length = 0;
    append_string(&buffer, length, guest_path);
    append_count(&buffer, length, (size_t)options->program_argc);
    for (int i = 0; i < options->program_argc; i++)
        append_string(&buffer, length, options->program_argv[i]);
    append_count(&buffer, length, environment_count);
    for (size_t i = 0; i < environment_count; i++)
        append_string(&buffer, length, environment[i]);
    char *cwd = guest_working_directory(options);
    append_string(&buffer, length, cwd);
    free(cwd);
    free(term);
    return buffer;
}

/* Two files for one guest path, or a file where a directory must be, would make the
   guest's view depend on unpacking order; refuse them instead. */
static void check_guest_paths(const char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < count; j++) {
            if (i == j)
                continue;
            size_t length = strlen(paths[i]);
            if (strcmp(paths[i], paths[j]) == 0 && i < j)
                fail(EXIT_SYSGATE_ERROR, "two files for %s in the guest", paths[i]);
            if (strncmp(paths[j], paths[i], length) == 0 && paths[j][length] == '/')
                fail(EXIT_SYSGATE_ERROR, "%s is a file in the guest, so %s cannot be added",
                     paths[i], paths[j]);
        }
    }
}

int build_initramfs(const char *default_archive_path, const struct options *options)
{
    int fd = memfd_create("sysgate-initramfs", MFD_CLOEXEC);
    if (fd < 0)
        fail(EXIT_SYSGATE_ERROR, "cannot create the initramfs: memfd_create: %s", strerror(errno));
    struct cpio_writer writer = {.fd = fd, .next_inode = 0x53470001};

    int archive = open(default_archive_path, O_RDONLY | O_CLOEXEC);
    struct stat status;
    if (archive < 0)
        fail(EXIT_SYSGATE_ERROR, "initramfs %s: %s", default_archive_path, strerror(errno));
    if (fstat(archive, &status) != 0 || !S_ISREG(status.st_mode))
        fail(EXIT_SYSGATE_ERROR, "initramfs %s: not a regular file", default_archive_path);
    copy_file_data(&writer, archive, (uint64_t)status.st_size, default_archive_path);
    close(archive);
    pad_to_4(&writer); /* the second archive's headers must be 4-byte aligned */

    bool running = options->command == COMMAND_RUN;
    /* With a 9p root PROGRAM is in it, not copied: only init.args names it. */
    bool copy_program = running && !options->guest_program;
    char *program_path = !running ? NULL
                         : copy_program ? guest_program_path(options->program)
                                        : xstrdup(options->guest_program);
    size_t path_count = 0;
    const char **paths = xmalloc((options->added_count + 2) * sizeof(char *));
    if (copy_program)
        paths[path_count++] = program_path;
    if (running)
        paths[path_count++] = INIT_ARGS_PATH;
    for (size_t i = 0; i < options->added_count; i++)
        paths[path_count++] = options->added_files[i].guest_path;
    check_guest_paths(paths, path_count);
    free(paths);

    if (path_count > 0) {
        if (copy_program)
            emit_host_file(&writer, program_path, options->program, 0755);
        for (size_t i = 0; i < options->added_count; i++)
            emit_host_file(&writer, options->added_files[i].guest_path,
                           options->added_files[i].host_path, -1);
        if (running) {
            size_t length;
            char *init_args = build_init_args(options, program_path, &length);
            emit_memory_file(&writer, INIT_ARGS_PATH, init_args, length, 0644);
            free(init_args);
        }
        emit_trailer(&writer);
    }
    for (size_t i = 0; i < writer.directory_count; i++)
        free(writer.directories[i]);
    free(writer.directories);
    free(program_path);

    /* The kernel unpacks the archive into RAM while it still holds the archive itself. */
    if (writer.offset > options->memory_bytes / 2)
        fail(EXIT_SYSGATE_ERROR,
             "the initramfs (%llu MiB) needs more guest RAM than --mem %lluM gives",
             (unsigned long long)(writer.offset >> 20),
             (unsigned long long)(options->memory_bytes >> 20));
    return fd;
}
