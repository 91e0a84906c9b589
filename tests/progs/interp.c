/*
 * interp.c - execve of programs with a PT_INTERP, written by this program
 * into a scratch directory so that the host and sysgate see the same files:
 * a missing interpreter, one that is a directory, not executable, not ELF,
 * too short, of the other class or machine, an object file, a PT_INTERP
 * without its NUL or of a bad size, and two that work: tiny ET_DYN and
 * ET_EXEC interpreters that exit 42, which the kernel must have loaded and
 * started instead of the program (whose own code exits 7). Each case is
 * written for both classes. Prints one line per case: the errno of execve,
 * or how the child ended. Exits 0.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Named after the process, so that the builds' tests can run at once on the host. */
static char dir_path[64], program_path[80], interp_path[80], relative_interp_path[80];
#define PROGRAM_ADDRESS_64 0x400000u
#define PROGRAM_ADDRESS_32 0x8048000u
#define INTERP_EXEC_ADDRESS 0x10000000u
#define CODE_OFFSET 0x200 /* the code, after the headers and the interpreter's path */
#define FILE_SIZE 0x300

/* exit(status) in each class: mov $60,%eax; mov $N,%edi; syscall and
 * mov $1,%eax; mov $N,%ebx; int $0x80. */
static const unsigned char exit_code_64[] = {0xb8, 60, 0, 0, 0, 0xbf, 0, 0, 0, 0, 0x0f, 0x05};
static const unsigned char exit_code_32[] = {0xb8, 1, 0, 0, 0, 0xbb, 0, 0, 0, 0, 0xcd, 0x80};
#define EXIT_STATUS_BYTE 6

enum interp_field { INTERP_GOOD, INTERP_NO_NUL, INTERP_ONE_BYTE };

/* An ELF file of the class: type, machine, an optional PT_INTERP holding
 * `interp`, one PT_LOAD of the whole file at `address`, code exiting with
 * `status`. */
static void write_elf(const char *path, bool is64, int type, int machine, unsigned address, const char *interp,
                      enum interp_field field, int status)
{
    unsigned char image[FILE_SIZE] = {0};
    int phnum = interp ? 2 : 1;
    unsigned interp_offset = 0x100;
    unsigned interp_size = interp ? (unsigned)strlen(interp) + 1 : 0;
    if (field == INTERP_NO_NUL)
        interp_size--;
    if (field == INTERP_ONE_BYTE)
        interp_size = 1;
    if (interp)
        memcpy(image + interp_offset, interp, strlen(interp));
    const unsigned char *code = is64 ? exit_code_64 : exit_code_32;
    memcpy(image + CODE_OFFSET, code, sizeof(exit_code_64));
    image[CODE_OFFSET + EXIT_STATUS_BYTE] = (unsigned char)status;
    if (is64) {
        Elf64_Ehdr eh = {.e_type = type, .e_machine = machine, .e_version = EV_CURRENT,
                         .e_entry = address + CODE_OFFSET, .e_phoff = sizeof(Elf64_Ehdr),
                         .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = phnum};
        memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS64;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        Elf64_Phdr ph[2] = {
            {.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = address, .p_paddr = address,
             .p_filesz = FILE_SIZE, .p_memsz = FILE_SIZE, .p_align = 0x1000},
            {.p_type = PT_INTERP, .p_flags = PF_R, .p_offset = interp_offset, .p_vaddr = address + interp_offset,
             .p_filesz = interp_size, .p_memsz = interp_size, .p_align = 1},
        };
        if (interp) { /* PT_INTERP first, as the linker writes it */
            Elf64_Phdr load = ph[0];
            ph[0] = ph[1];
            ph[1] = load;
        }
        memcpy(image, &eh, sizeof(eh));
        memcpy(image + sizeof(eh), ph, phnum * sizeof(ph[0]));
    } else {
        Elf32_Ehdr eh = {.e_type = type, .e_machine = machine, .e_version = EV_CURRENT,
                         .e_entry = address + CODE_OFFSET, .e_phoff = sizeof(Elf32_Ehdr),
                         .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = phnum};
        memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS32;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        Elf32_Phdr ph[2] = {
            {.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = address, .p_paddr = address,
             .p_filesz = FILE_SIZE, .p_memsz = FILE_SIZE, .p_align = 0x1000},
            {.p_type = PT_INTERP, .p_flags = PF_R, .p_offset = interp_offset, .p_vaddr = address + interp_offset,
             .p_filesz = interp_size, .p_memsz = interp_size, .p_align = 1},
        };
        if (interp) {
            Elf32_Phdr load = ph[0];
            ph[0] = ph[1];
            ph[1] = load;
        }
        memcpy(image, &eh, sizeof(eh));
        memcpy(image + sizeof(eh), ph, phnum * sizeof(ph[0]));
    }
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, image, sizeof(image)) != (ssize_t)sizeof(image) || close(fd)) {
        perror(path);
        exit(1);
    }
}

static void write_text(const char *path, const char *text, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd)) {
        perror(path);
        exit(1);
    }
}

static const char *err_name(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case ELIBBAD: return "ELIBBAD";
    case EIO: return "EIO";
    case EINVAL: return "EINVAL";
    case ENOTDIR: return "ENOTDIR";
    default: return strerror(e);
    }
}

/* Runs program_path in a child and says how that went. */
static void run(const char *name)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {program_path, NULL};
        char *envp[] = {NULL};
        execve(program_path, argv, envp);
        printf("%s: execve %s\n", name, err_name(errno));
        fflush(stdout);
        _exit(100);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        exit(1);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 100)
        printf("%s: exited %d\n", name, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by %s\n", name, strsignal(WTERMSIG(status)));
}

static void cases(bool is64)
{
    const char *cls = is64 ? "64" : "32";
    int machine = is64 ? EM_X86_64 : EM_386;
    int other_machine = is64 ? EM_386 : EM_X86_64;
    unsigned address = is64 ? PROGRAM_ADDRESS_64 : PROGRAM_ADDRESS_32;
    char name[64];
#define CASE(what) (snprintf(name, sizeof(name), "%s %s", cls, what), name)

    rmdir(interp_path);
    unlink(interp_path);
    write_elf(program_path, is64, ET_EXEC, machine, address, interp_path, INTERP_GOOD, 7);
    run(CASE("missing interpreter"));

    write_elf(program_path, is64, ET_EXEC, machine, address, "/nonexistent/ld.so", INTERP_GOOD, 7);
    run(CASE("interpreter in a missing directory"));

    mkdir(interp_path, 0755);
    write_elf(program_path, is64, ET_EXEC, machine, address, interp_path, INTERP_GOOD, 7);
    run(CASE("interpreter is a directory"));
    rmdir(interp_path);

    write_elf(interp_path, is64, ET_DYN, machine, 0, NULL, INTERP_GOOD, 42);
    chmod(interp_path, 0644);
    run(CASE("interpreter not executable"));

    write_text(interp_path, "#!/bin/sh\nexit 3\n", 0755);
    run(CASE("interpreter is a short script"));

    write_text(interp_path,
               "#!/bin/sh\n# a script long enough to fill an ELF header's worth of bytes, and more\nexit 3\n",
               0755);
    run(CASE("interpreter is a script"));

    write_text(interp_path, "\177ELF\002\001\001", 0755);
    run(CASE("interpreter is a truncated ELF header"));

    write_elf(interp_path, !is64, ET_DYN, other_machine, 0, NULL, INTERP_GOOD, 42);
    run(CASE("interpreter of the other class"));

    write_elf(interp_path, is64, ET_DYN, other_machine, 0, NULL, INTERP_GOOD, 42);
    run(CASE("interpreter for the other machine"));

    write_elf(interp_path, is64, ET_REL, machine, 0, NULL, INTERP_GOOD, 42);
    run(CASE("interpreter is an object file"));

    write_elf(interp_path, is64, ET_DYN, machine, 0, NULL, INTERP_GOOD, 42);
    run(CASE("ET_DYN interpreter"));

    write_elf(interp_path, is64, ET_EXEC, machine, INTERP_EXEC_ADDRESS, NULL, INTERP_GOOD, 42);
    run(CASE("ET_EXEC interpreter"));

    write_elf(interp_path, is64, ET_DYN, machine, 0, NULL, INTERP_GOOD, 42);
    write_elf(program_path, is64, ET_DYN, machine, 0, interp_path, INTERP_GOOD, 7);
    run(CASE("ET_DYN program, ET_DYN interpreter"));

    /* A relative path (no linker writes one) is taken from the current directory. */
    write_elf(interp_path, is64, ET_DYN, machine, 0, NULL, INTERP_GOOD, 43);
    write_elf(program_path, is64, ET_EXEC, machine, address, relative_interp_path, INTERP_GOOD, 7);
    if (chdir("/tmp") == 0)
        run(CASE("relative interpreter path from /tmp"));
    if (chdir("/") == 0)
        run(CASE("relative interpreter path from /"));

    write_elf(program_path, is64, ET_EXEC, machine, address, interp_path, INTERP_NO_NUL, 7);
    run(CASE("PT_INTERP without its NUL"));

    write_elf(program_path, is64, ET_EXEC, machine, address, interp_path, INTERP_ONE_BYTE, 7);
    run(CASE("PT_INTERP of one byte"));
#undef CASE
}

int main(void)
{
    snprintf(dir_path, sizeof(dir_path), "/tmp/interp-test.%d", (int)getpid());
    snprintf(program_path, sizeof(program_path), "%s/prog", dir_path);
    snprintf(interp_path, sizeof(interp_path), "%s/interp", dir_path);
    snprintf(relative_interp_path, sizeof(relative_interp_path), "%s/interp", dir_path + strlen("/tmp/"));
    mkdir(dir_path, 0755);
    cases(true);
    cases(false);
    unlink(program_path);
    unlink(interp_path);
    rmdir(dir_path);
    return 0;
}
