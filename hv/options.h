/* The command line of `sysgate`: commands, options and their validation. */
#ifndef SYSGATE_OPTIONS_H
#define SYSGATE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum command {
    COMMAND_RUN,   /* sysgate run [OPTIONS] PROGRAM [ARGS...] */
    COMMAND_SHELL, /* sysgate shell [OPTIONS] */
};

enum accel_request { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };
enum machine_type { MACHINE_MICROVM, MACHINE_PC };

/* Guest RAM limits. Below 32 MiB nothing useful boots; above 3 GiB QEMU would split RAM
   around the 32-bit PCI hole, and guest-physical address P would no longer be offset P
   of the RAM file (docs/monitor.md). */
#define GUEST_RAM_MIN (32ull << 20)
#define GUEST_RAM_MAX (3ull << 30)
#define GUEST_RAM_DEFAULT (256ull << 20)

struct added_file {
    const char *host_path;
    char *guest_path; /* normalised: absolute, no "." or ".." or empty components */
};

/* --share HOST:GUEST: a host directory mounted in the guest through virtio-9p (docs/9p.md). */
struct shared_directory {
    char *host_path;  /* the directory, resolved (realpath) */
    char *guest_path; /* normalised: absolute, without "." or ".." */
    bool writable;    /* ":rw": changes reach HOST */
};

struct options {
    enum command command;
    enum accel_request accel;
    enum machine_type machine;
    const char *cpu_model;      /* NULL: "max" under TCG, "host" under KVM */
    uint64_t memory_bytes;
    struct added_file *added_files;
    size_t added_count;
    bool trace;                 /* --trace, --trace=NAME,... */
    const char *trace_filter;   /* NAME,NAME of --trace=, NULL for every call */
    bool trace_summary;         /* --trace-summary */
    const char *trace_file_path; /* --trace-file FILE, NULL: the trace goes to stderr */
    bool verbose;
    double timeout_seconds;     /* 0: no timeout */
    const char *extra_cmdline;  /* --cmdline, NULL if not given */
    const char *kernel_path;    /* NULL: kernel.elf next to the sysgate executable */
    const char *initrd_path;    /* NULL: initramfs.cpio next to the sysgate executable */
    const char *qemu_path;      /* NULL: $SYSGATE_QEMU, else qemu-system-x86_64 from PATH */
    const char *hv_console_path; /* --hv-console FILE: the hypervisor console goes there */
    /* --gdb[=PORT|=PATH]: QEMU's gdb stub on 127.0.0.1:gdb_port or on the unix socket
       gdb_socket, the guest stopped before its first instruction (docs/debugging.md) */
    bool gdb;
    unsigned gdb_port;
    const char *gdb_socket;     /* NULL: TCP */
    const char *program;        /* run: PROGRAM as typed */
    char **program_argv;        /* run: PROGRAM and its arguments, NULL-terminated */
    int program_argc;
    /* 9p: the guest's root file system and further shares (hv/options.c). */
    char *root_path;            /* --root DIR resolved, or "/" for a dynamically linked PROGRAM; NULL: the initramfs */
    bool root_automatic;        /* chosen for PROGRAM's sake, not given */
    struct shared_directory *shares;
    size_t share_count;
    char *guest_program;        /* with a root: PROGRAM's path in the guest, not copied into it */
};

/* With a root directory: where PROGRAM is in the guest (an absolute PROGRAM is a path in the
   root, a relative one a host path that must lie inside it) and in the host, which the
   caller frees. Exits 125 when a relative PROGRAM is outside the root. */
char *resolve_program_in_root(struct options *options);
/* Checks the 9p options together once PROGRAM is known: 125 and one line when they conflict. */
void check_shares(const struct options *options);
/* With a root: the working directory and PROGRAM's directory, when a scratch tmpfs of the
   guest (/tmp, /run, /var/tmp) would hide them, become read-only shares at their own paths,
   so that `cd /tmp/work && sysgate run /bin/ls` sees what the host sees. */
void share_hidden_directories(struct options *options);

/* Parses argv. Prints help or version and exits 0 when asked; prints one line and
   exits 125 on any usage error. */
void parse_command_line(int argc, char **argv, struct options *options);

#endif
