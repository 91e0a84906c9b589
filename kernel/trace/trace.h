/* The tracer's inside: the decoding tables generated from syscall_args.tbl,
 * the printers they name, and the text of one trace line. */
#ifndef SYSGATE_TRACE_INTERNAL_H
#define SYSGATE_TRACE_INTERNAL_H

#include "seq_buf.h"
#include "syscall.h"
#include "types.h"

/* What a result looks like (syscall_args.tbl's second column). */
enum trace_result {
    TRACE_RESULT_INT,
    TRACE_RESULT_HEX,
    TRACE_RESULT_OCT,
    TRACE_RESULT_NONE,
    TRACE_RESULT_POLICY, /* a number followed by its scheduling policy's name: 0 (SCHED_OTHER) */
    TRACE_RESULT_PERSONA, /* hexadecimal followed by the personality's name: 0 (PER_LINUX) */
};

/* The argument types of syscall_args.tbl, each a printer in trace_args.c,
 * trace_flags.c or trace_structs.c. The output types (TRACE_ARG_O*) are
 * printed when the call returns. */
enum trace_arg_type {
    TRACE_ARG_INT,
    TRACE_ARG_UINT,
    TRACE_ARG_LONG,
    TRACE_ARG_ULONG,
    TRACE_ARG_HEX,
    TRACE_ARG_PTR,
    TRACE_ARG_FD,
    TRACE_ARG_DIRFD,
    TRACE_ARG_MODE,
    TRACE_ARG_OPENMODE,
    TRACE_ARG_PATH,
    TRACE_ARG_STR,
    TRACE_ARG_IBUF,
    TRACE_ARG_LLHIGH,
    TRACE_ARG_SKIP,
    TRACE_ARG_ARGV,
    TRACE_ARG_ENVP,
    TRACE_ARG_OFLAGS,
    TRACE_ARG_FDFLAGS,
    TRACE_ARG_SOCKFLAGS,
    TRACE_ARG_STATXFLAGS,
    TRACE_ARG_FCNTLARG,
    TRACE_ARG_ATFLAGS,
    TRACE_ARG_PROT,
    TRACE_ARG_MAPFLAGS,
    TRACE_ARG_SIGNO,
    TRACE_ARG_SIGHOW,
    TRACE_ARG_WHENCE,
    TRACE_ARG_FAMILY,
    TRACE_ARG_SOCKTYPE,
    TRACE_ARG_SOCKPROTO,
    TRACE_ARG_FCNTLCMD,
    TRACE_ARG_CLOCKID,
    TRACE_ARG_ACCMODE,
    TRACE_ARG_WAITOPTS,
    TRACE_ARG_CLONEFLAGS,
    TRACE_ARG_CLONE, /* all of clone's arguments, named as strace names them */
    TRACE_ARG_FUTEXOP,
    TRACE_ARG_FUTEXARGS, /* futex's last four, as its operation uses them */
    TRACE_ARG_FUTEXARGS64,
    TRACE_ARG_IOCTLREQ,
    TRACE_ARG_ARCHCODE,
    TRACE_ARG_RESOURCE,
    TRACE_ARG_GRNDFLAGS,
    TRACE_ARG_IRLIMIT,
    TRACE_ARG_IRLIMIT64,
    TRACE_ARG_STATXMASK,
    TRACE_ARG_ITIMESPEC,
    TRACE_ARG_ITIMESPEC64,
    TRACE_ARG_ISIGACTION,
    TRACE_ARG_ISIGSET,
    TRACE_ARG_ISOCKADDR,
    TRACE_ARG_IIOVEC,
    TRACE_ARG_EPOLLOP,
    TRACE_ARG_EPOLLFLAGS,
    TRACE_ARG_MOUNTFLAGS,
    TRACE_ARG_UMOUNTFLAGS,
    TRACE_ARG_MLOCKFLAGS,
    TRACE_ARG_MADVICE,
    TRACE_ARG_PERSONALITY,
    TRACE_ARG_SCHEDPOLICY,
    TRACE_ARG_ITIMERWHICH,
    TRACE_ARG_REBOOTMAGIC,
    TRACE_ARG_REBOOTCMD,
    TRACE_ARG_IEPOLLEVENT,
    TRACE_ARG_IPOLLFDS, /* the events asked for; the revents follow the result */
    TRACE_ARG_IFDSET,   /* select's sets: [0 3]; those returned follow the result */
    TRACE_ARG_IITIMERSPEC,
    TRACE_ARG_IITIMERSPEC64,
    TRACE_ARG_IITIMERVAL,
    TRACE_ARG_ITIMEVAL,
    TRACE_ARG_ISCHEDPARAM,
    TRACE_ARG_ISIGINFO,
    TRACE_ARG_FIRST_OUTPUT, /* the types below are printed at exit */
    TRACE_ARG_OBUF = TRACE_ARG_FIRST_OUTPUT,
    TRACE_ARG_OHEXBUF, /* every byte in hexadecimal, as strace shows random bytes */
    TRACE_ARG_ORLIMIT,
    TRACE_ARG_ORLIMIT64,
    TRACE_ARG_OSTR,
    TRACE_ARG_OPIPE,
    TRACE_ARG_OOFF,
    TRACE_ARG_OWSTATUS,
    TRACE_ARG_OSTAT,
    TRACE_ARG_OSTAT64,
    TRACE_ARG_OSTATX,
    TRACE_ARG_OTIMESPEC,
    TRACE_ARG_OTIMESPEC64,
    TRACE_ARG_OREMAINING,   /* a sleep's time left: written only when interrupted */
    TRACE_ARG_OREMAINING64,
    TRACE_ARG_OSIGACTION,
    TRACE_ARG_OSIGSET,
    TRACE_ARG_OSOCKADDR,
    TRACE_ARG_OIOVEC,
    TRACE_ARG_OEPOLLEVENTS,
    TRACE_ARG_OITIMERSPEC,
    TRACE_ARG_OITIMERSPEC64,
    TRACE_ARG_OITIMERVAL,
    TRACE_ARG_OSCHEDPARAM,
    TRACE_ARG_OUID,   /* an id written through a pointer: [1000] */
    TRACE_ARG_OUID16, /* i386's 16-bit ones */
    TRACE_ARG_OTMS,
    TRACE_ARG_OSYSINFO,
    TRACE_ARG_OUNAME,
    TRACE_ARG_OPRCTL, /* all of prctl's arguments, as its option uses them */
    TRACE_ARG_OSIGRETURN, /* the mask the frame restored: {mask=[USR1]} */
};

struct trace_arg {
    u8 type;      /* enum trace_arg_type */
    u8 companion; /* another argument's number, from 1; 0 for none */
};

struct trace_call {
    const char *name;
    u8 result; /* enum trace_result */
    s8 count;  /* -1: not described, the six registers are shown */
    struct trace_arg args[6];
};

extern const struct trace_call trace_calls_64[], trace_calls_32[];
#define TRACE_NUMBERS_MAX 1024 /* above the highest number of either table */

/* What the printers know of the call they decode. */
struct trace_ctx {
    struct seq_buf *out;
    const u64 *args; /* the six arguments, as the ABI passed them */
    bool compat;     /* an i386 call: longs and pointers are 32 bits */
    long result;     /* at exit */
};

/* Argument `index` (from 0) as a number of the ABI (32 bits for i386). */
u64 trace_arg_value(const struct trace_ctx *ctx, unsigned index);
/* Prints argument `index` (from 0) of type `arg`. */
void trace_print_arg(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index);
/* An argument strace leaves out: open's mode without O_CREAT, the low half
 * of a split offset. */
bool trace_arg_absent(const struct trace_ctx *ctx, const struct trace_arg *arg);

/* Pieces the printers share. */
void trace_print_ptr(struct seq_buf *out, u64 value);
/* A user string as strace -s 32 shows it: quoted, escaped, and followed by
 * "..." when cut; `len` bytes, or up to the NUL when `nul_terminated`. */
void trace_print_user_string(struct seq_buf *out, u64 address, u64 len, bool nul_terminated, u64 max);
/* The same with every byte as \xNN. */
void trace_print_user_hex(struct seq_buf *out, u64 address, u64 len, u64 max);
#define TRACE_STRING_MAX 32 /* strace's default -s */
#define TRACE_PATH_MAX 4096 /* paths are shown whole, as strace does */

/* Constants and flags: name tables ending with a NULL name. */
struct trace_name {
    u64 value;
    const char *name;
};
void trace_print_flags(struct seq_buf *out, const struct trace_name *names, u64 value, const char *unknown);
void trace_print_constant(struct seq_buf *out, const struct trace_name *names, u64 value, const char *unknown);
/* A file mode's type and permissions: S_IFREG|0644. */
void trace_print_file_mode(struct seq_buf *out, u32 mode);
void trace_print_signal(struct seq_buf *out, int signo);
/* A siginfo as strace shows it: {si_signo=SIGUSR1, si_code=SI_USER, si_pid=2, si_uid=0}. */
struct ksiginfo;
void trace_print_siginfo(struct seq_buf *out, const struct ksiginfo *info);
/* The same read from the user, in the ABI's layout (`compat`: i386's). */
void trace_print_user_siginfo(struct seq_buf *out, u64 address, bool compat);
/* A signal set of `bytes` bytes at `address`, as strace's [USR1 TERM]. */
void trace_print_sigset(struct seq_buf *out, u64 address, u64 bytes);
/* The same of a set in hand, of `count` signals. */
void trace_print_sigmask(struct seq_buf *out, u64 set, unsigned count);

/* The structure printers (trace_structs.c), by type. */
void trace_print_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index);
/* A timespec of the ABI (`narrow`: i386's 32-bit one) at `address`. */
void trace_print_timespec(struct seq_buf *out, u64 address, bool narrow);

/* The flag and constant tables (trace_flags.c). */
extern const struct trace_name trace_open_flags[], trace_at_flags[], trace_prot_flags[], trace_map_flags[],
    trace_map_types[], trace_sighow[], trace_whence[], trace_families[], trace_socktypes[], trace_sockflags[],
    trace_ip_protocols[], trace_fcntl_cmds[], trace_clock_ids[], trace_access_modes[], trace_wait_options[],
    trace_clone_flags[], trace_futex_ops[], trace_statx_mask[], trace_sa_flags[], trace_arch_codes[],
    trace_resources[], trace_grnd_flags[], trace_epoll_ops[], trace_epoll_flags[], trace_epoll_events[], trace_poll_events[],
    trace_mount_flags[], trace_umount_flags[], trace_mlock_flags[], trace_madvice[], trace_personalities[],
    trace_sched_policies[], trace_itimer_which[], trace_reboot_magic[], trace_reboot_cmds[], trace_prctl_options[];

/* What strace prints after some calls' result: poll's revents, " (Timeout)". */
void trace_print_result_note(const struct trace_ctx *ctx, const struct trace_call *call);
/* The structures of the poll family (trace_poll.c), of time (trace_time.c)
 * and of processes (trace_proc.c): false when `arg` is none of theirs. */
bool trace_print_poll_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index);
bool trace_print_time_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index);
bool trace_print_proc_struct(const struct trace_ctx *ctx, const struct trace_arg *arg, unsigned index);
/* Reads a user structure; when it cannot, prints its address (or NULL) and fails. */
bool trace_fetch(struct seq_buf *out, u64 address, void *into, size_t size);
/* `count` words of an ABI's structure: 32-bit ones (`narrow`, i386's longs)
 * widened with or without their sign, or 64-bit ones, as trace_fetch. */
#define TRACE_WORDS_MAX 4
bool trace_fetch_words(struct seq_buf *out, u64 address, bool narrow, bool is_signed, u64 *values, unsigned count);

/* PER_LINUX, or the number in hexadecimal. */
void trace_print_personality(struct seq_buf *out, u64 value);

/* The errno's name and strerror text: NULL when the number has none. */
const char *trace_errno_name(int err);

/* One line (or several), newline included, onto the trace channel. */
void trace_emit(const char *text, size_t len);
bool trace_keeps_summary(void);
/* i386's socketcall: the description of the call it carries, its
 * arguments (read from the user's array) put in `args`; NULL for any
 * other call, or one that cannot be read. */
const struct trace_call *trace_socketcall(bool compat, unsigned nr, u64 args[6]);
/* How many numbers an ABI's decoding table covers. */
unsigned trace_call_count(bool compat);

/* The summary (trace_summary.c): one call of `nr` through an ABI took `ns`. */
void trace_count(bool compat, unsigned nr, long result, u64 ns);

#endif
