/* The monitor's event loop. One poll(2) over every descriptor, so nothing can block the
   monitor forever: the guest's console output (COM1 to stdout, COM2 to stderr), the user's
   input, the doorbell, QEMU's own stderr, the signalfd (SIGCHLD, SIGINT, SIGTERM, SIGHUP)
   and the --timeout deadline as poll's timeout. After every wake-up it serves the stdio
   rings in guest RAM (stdioring.c): the program's stdout and stderr to the host's, the
   host's stdin to the program; the guest rings the doorbell when it adds bytes the monitor
   waits for, and the monitor kicks the guest through COM2 when a guest sleeper waits.

   Flow control: a source is read only while the queue in front of its destination is
   shorter than QUEUE_LIMIT, so a slow reader of sysgate's stdout slows the guest down
   (its ring fills and its writer sleeps) instead of growing memory.

   The end: once the outcome is known (shutdown hypercall, bad registration, timeout,
   signal, or QEMU exiting), QEMU is killed and reaped, and the loop goes on until its
   pipes reach end-of-file and the queues are written out. The pipes keep every byte
   QEMU wrote before it died, so everything the guest sent before its shutdown call
   reaches the host. */
#define _GNU_SOURCE
#include "monitor.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bytequeue.h"
#include "hypervisor.h"
#include "util.h"

#define QUEUE_LIMIT (1u << 20)   /* stop reading a source while its queue holds this much */
#define READ_CHUNK (64u * 1024u)
#define NOWAIT_WRITE_MAX (1u << 20)
#define KICK_BYTE 'K'            /* any byte: COM2's receive interrupt is the event */
#define DOORBELL_CHUNK 64u       /* the guest waits after each 'C'; a burst is garbage */
#define QEMU_STDERR_TAIL 4096u   /* how much of QEMU's own stderr is kept to show */

/* Where the host's stdin goes: the guest's stdin ring when it registered one before its
   hypercall area and its stdin is a stream, COM1 (the console, or a guest without rings)
   otherwise. */
enum stdin_route { STDIN_UNDECIDED, STDIN_TO_RING, STDIN_TO_CONSOLE };

enum outcome {
    OUTCOME_NONE,
    OUTCOME_GUEST_ENDED,  /* see hypervisor.end */
    OUTCOME_TIMED_OUT,
    OUTCOME_SIGNALLED,
    OUTCOME_QEMU_EXITED,
    OUTCOME_MONITOR_FAILED, /* poll(2) itself failed: nothing sensible left to do */
};

/* A descriptor the monitor reads until end-of-file. */
struct source {
    int fd;
    bool open;
};

/* The monitor's stdout or stderr. */
struct sink {
    int fd;
    bool broken;        /* EPIPE or another error: discard from now on */
    size_t write_chunk; /* PIPE_BUF for pipes and terminals (never blocks after POLLOUT) */
    bool nowait_writes; /* a pipe that takes RWF_NOWAIT writes: any size, never blocking */
    struct byte_queue queue;
};

struct monitor {
    const struct options *options;
    const struct stdio_plan *stdio;
    struct qemu_process *qemu;
    struct hypervisor *hypervisor;
    int signal_fd;

    bool qemu_running;
    int qemu_status;      /* from waitpid */
    bool qemu_killed;

    struct source console_output, serial2_output, doorbell, diagnostics;
    struct source user_input;      /* the monitor's stdin */
    int console_input;             /* QEMU's stdin; -1 once closed */
    struct byte_queue to_guest;
    enum stdin_route stdin_route;  /* decided once the guest has registered */
    bool rings_drained;            /* the output rings were emptied after QEMU ended */
    struct sink out, err;

    char qemu_stderr_tail[QEMU_STDERR_TAIL];
    size_t qemu_stderr_length;     /* bytes in the tail (the newest ones) */

    enum outcome outcome;
    int signal_number;
    int64_t deadline_ms;           /* -1: no --timeout */
    bool abandon_output;           /* a second signal: stop flushing, exit now */
};

int monitor_block_signals(void)
{
    sigset_t handled;
    sigemptyset(&handled);
    sigaddset(&handled, SIGCHLD);
    sigaddset(&handled, SIGINT);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &handled, NULL) != 0)
        fail(EXIT_SYSGATE_ERROR, "sigprocmask: %s", strerror(errno));
    int fd = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0)
        fail(EXIT_SYSGATE_ERROR, "signalfd: %s", strerror(errno));
    /* writing to a closed stdout must be an EPIPE error, not death */
    signal(SIGPIPE, SIG_IGN);
    return fd;
}

static void init_sink(struct sink *sink, int fd)
{
    struct stat status;
    sink->fd = fd;
    sink->broken = false;
    bool have_status = fstat(fd, &status) == 0;
    sink->write_chunk = have_status && S_ISREG(status.st_mode) ? READ_CHUNK : PIPE_BUF;
    sink->nowait_writes = have_status && S_ISFIFO(status.st_mode);
    sink->queue = (struct byte_queue){0};
}

static void decide(struct monitor *monitor, enum outcome outcome)
{
    if (monitor->outcome == OUTCOME_NONE) {
        monitor->outcome = outcome;
        /* later host messages must not continue an unfinished console line */
        hv_console_finish_line(&monitor->hypervisor->console, &monitor->err.queue);
    }
    if (monitor->qemu_running && !monitor->qemu_killed) {
        qemu_kill(monitor->qemu);
        monitor->qemu_killed = true;
    }
}

static void close_source(struct source *source)
{
    if (source->open && source->fd > STDERR_FILENO)
        close(source->fd);
    source->open = false;
}

/* --- reading ------------------------------------------------------------------------- */

/* Reads once from `source` into `queue`. Returns false at end-of-file or on an error
   (the source is then closed). EAGAIN counts as success. */
static bool read_source(struct source *source, struct byte_queue *queue, size_t max)
{
    ssize_t got = byte_queue_read_from(queue, source->fd, max);
    if (got > 0 || (got < 0 && (errno == EAGAIN || errno == EINTR)))
        return true;
    close_source(source);
    return false;
}

/* Reads everything available right now (non-blocking descriptors only). */
static void drain_source(struct source *source, struct byte_queue *queue)
{
    while (source->open) {
        ssize_t got = byte_queue_read_from(queue, source->fd, READ_CHUNK);
        if (got > 0)
            continue;
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && errno == EAGAIN)
            return;
        close_source(source);
    }
}

static void keep_qemu_stderr(struct monitor *monitor, const unsigned char *bytes, size_t count)
{
    if (count >= QEMU_STDERR_TAIL) {
        memcpy(monitor->qemu_stderr_tail, bytes + count - QEMU_STDERR_TAIL, QEMU_STDERR_TAIL);
        monitor->qemu_stderr_length = QEMU_STDERR_TAIL;
        return;
    }
    size_t keep = monitor->qemu_stderr_length;
    if (keep + count > QEMU_STDERR_TAIL) {
        size_t drop = keep + count - QEMU_STDERR_TAIL;
        memmove(monitor->qemu_stderr_tail, monitor->qemu_stderr_tail + drop, keep - drop);
        keep -= drop;
    }
    memcpy(monitor->qemu_stderr_tail + keep, bytes, count);
    monitor->qemu_stderr_length = keep + count;
}

static void read_qemu_stderr(struct monitor *monitor)
{
    unsigned char buffer[4096];
    ssize_t got = read(monitor->diagnostics.fd, buffer, sizeof buffer);
    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (got <= 0) {
        close_source(&monitor->diagnostics);
        return;
    }
    keep_qemu_stderr(monitor, buffer, (size_t)got);
    if (monitor->options->verbose) /* QEMU's warnings, live */
        byte_queue_append(&monitor->err.queue, buffer, (size_t)got);
}

static void serve_doorbell(struct monitor *monitor)
{
    /* stderr bytes written before the doorbell rang go out before the hypercall's
       console echo: both end on stderr, and their order must be the guest's. */
    drain_source(&monitor->serial2_output, &monitor->err.queue);
    stdio_ring_take(&monitor->hypervisor->stdio, STDIO_STDERR,
                    monitor->err.broken ? NULL : &monitor->err.queue, SIZE_MAX);
    unsigned char bytes[DOORBELL_CHUNK];
    ssize_t got = read(monitor->doorbell.fd, bytes, sizeof bytes);
    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (got <= 0) {
        close_source(&monitor->doorbell);
        return;
    }
    doorbell_feed(monitor->hypervisor, bytes, (size_t)got);
    if (monitor->hypervisor->end != GUEST_RUNNING)
        decide(monitor, OUTCOME_GUEST_ENDED);
}

static void read_user_input(struct monitor *monitor, short revents)
{
    if (revents & POLLNVAL) {
        monitor->user_input.open = false;
        return;
    }
    if (monitor->stdin_route == STDIN_UNDECIDED)
        monitor->stdin_route = monitor->stdio->stdin_is_stream && monitor->hypervisor->stdio.area
                                   ? STDIN_TO_RING : STDIN_TO_CONSOLE;
    if (monitor->stdin_route == STDIN_TO_RING) {
        /* the ring carries bytes as they are, and its end as a flag (service_rings) */
        ssize_t got = byte_queue_read_from(&monitor->to_guest, STDIN_FILENO, READ_CHUNK);
        if (got < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (got <= 0)
            monitor->user_input.open = false;
        return;
    }
    unsigned char bytes[4096];
    ssize_t got = read(STDIN_FILENO, bytes, sizeof bytes);
    if (got > 0) {
        /* a terminal's ^A ^A ^A switches its input to the hypervisor and back */
        unsigned char for_guest[sizeof bytes + HV_CONSOLE_SWITCH_PRESSES];
        size_t count = monitor->stdio->stdin_is_terminal
                           ? hv_console_route_input(&monitor->hypervisor->console, bytes, (size_t)got, for_guest)
                           : (size_t)got;
        encode_stdin(monitor->stdio, &monitor->to_guest,
                     monitor->stdio->stdin_is_terminal ? for_guest : bytes, count);
        return;
    }
    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (got < 0) { /* EIO: a terminal we lost; nothing more will come */
        monitor->user_input.open = false;
        return;
    }
    /* end of input: tell the guest (end-of-stream marker or ^D, per the contract). A
       terminal can be read again after ^D, unless it hung up. */
    if (encode_stdin_end(monitor->stdio, &monitor->to_guest) || (revents & (POLLHUP | POLLERR)))
        monitor->user_input.open = false;
}

/* --- writing ------------------------------------------------------------------------- */

static void write_sink(struct sink *sink, short revents)
{
    if (!(revents & POLLOUT)) {
        if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
            sink->broken = true;
            byte_queue_discard(&sink->queue);
        }
        return;
    }
    ssize_t written;
    if (sink->nowait_writes) {
        written = byte_queue_write_nowait(&sink->queue, sink->fd, NOWAIT_WRITE_MAX);
        if (written < 0 && (errno == EOPNOTSUPP || errno == EINVAL)) {
            sink->nowait_writes = false; /* an older kernel: PIPE_BUF at a time */
            return;
        }
    } else {
        written = byte_queue_write_to(&sink->queue, sink->fd, sink->write_chunk);
    }
    if (written < 0 && errno != EAGAIN && errno != EINTR) {
        sink->broken = true; /* e.g. `sysgate run prog | head -1` */
        byte_queue_discard(&sink->queue);
    }
}

static void write_guest_input(struct monitor *monitor)
{
    ssize_t written = byte_queue_write_to(&monitor->to_guest, monitor->console_input, PIPE_BUF);
    if (written < 0 && errno != EAGAIN && errno != EINTR) {
        close(monitor->console_input); /* QEMU is gone */
        monitor->console_input = -1;
        byte_queue_discard(&monitor->to_guest);
    }
}

/* --- the stdio rings ----------------------------------------------------------------- */

static void kick_guest(struct monitor *monitor)
{
    /* the socket's buffer full means kicks are already waiting: one more adds nothing */
    if (monitor->serial2_output.open)
        (void)!write(monitor->serial2_output.fd, (const char[]){KICK_BYTE}, 1);
}

static void serve_output_ring(struct stdio_rings *rings, enum stdio_ring_index ring, struct sink *sink)
{
    if (sink->broken) {
        /* the program learns it (EPIPE, SIGPIPE), and its bytes are dropped, as the
           sink's queue is */
        stdio_ring_close(rings, ring);
        stdio_ring_take(rings, ring, NULL, SIZE_MAX);
    } else if (sink->queue.length < QUEUE_LIMIT) {
        stdio_ring_take(rings, ring, &sink->queue, QUEUE_LIMIT - sink->queue.length);
    }
}

static void service_rings(struct monitor *monitor)
{
    struct hypervisor *hypervisor = monitor->hypervisor;
    struct stdio_rings *rings = &hypervisor->stdio;
    if (!rings->area)
        return;
    if (monitor->outcome == OUTCOME_NONE) {
        serve_output_ring(rings, STDIO_STDOUT, &monitor->out);
        serve_output_ring(rings, STDIO_STDERR, &monitor->err);
        if (monitor->stdin_route == STDIN_TO_RING) {
            stdio_ring_give(rings, &monitor->to_guest);
            if (!monitor->user_input.open && monitor->to_guest.length == 0)
                stdio_ring_close(rings, STDIO_STDIN);
        }
    } else if (!monitor->qemu_running && !monitor->rings_drained) {
        /* the guest is gone: what it wrote before is all there, whatever the limits */
        monitor->rings_drained = true;
        stdio_ring_take(rings, STDIO_STDOUT, monitor->out.broken ? NULL : &monitor->out.queue, SIZE_MAX);
        stdio_ring_take(rings, STDIO_STDERR, monitor->err.broken ? NULL : &monitor->err.queue, SIZE_MAX);
    }
    if (rings->problem[0] && hypervisor->end == GUEST_RUNNING) {
        hypervisor->end = GUEST_BROKE_STDIO_RING;
        snprintf(hypervisor->end_message, sizeof hypervisor->end_message, "%s", rings->problem);
        decide(monitor, OUTCOME_GUEST_ENDED);
    }
    if (rings->kick) {
        rings->kick = false;
        kick_guest(monitor);
    }
}

/* --- signals ------------------------------------------------------------------------- */

static void reap_qemu(struct monitor *monitor)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(monitor->qemu->pid, &status, WNOHANG)) < 0 && errno == EINTR)
        ;
    if (pid != monitor->qemu->pid)
        return;
    monitor->qemu_running = false;
    monitor->qemu_status = status;
    qemu_forget(monitor->qemu);
    if (monitor->outcome == OUTCOME_NONE)
        decide(monitor, OUTCOME_QEMU_EXITED);
}

static void handle_signals(struct monitor *monitor)
{
    struct signalfd_siginfo info;
    while (read(monitor->signal_fd, &info, sizeof info) == (ssize_t)sizeof info) {
        int number = (int)info.ssi_signo;
        if (number == SIGCHLD) {
            reap_qemu(monitor);
        } else if (monitor->outcome == OUTCOME_NONE) {
            monitor->signal_number = number;
            decide(monitor, OUTCOME_SIGNALLED);
        } else {
            /* a second ^C while output is still being written out (to a stuck terminal,
               say): stop waiting for it */
            monitor->abandon_output = true;
        }
    }
}

/* --- the loop ------------------------------------------------------------------------ */

static bool finished(const struct monitor *monitor)
{
    if (monitor->abandon_output && !monitor->qemu_running)
        return true;
    return monitor->outcome != OUTCOME_NONE && !monitor->qemu_running &&
           (monitor->rings_drained || !monitor->hypervisor->stdio.area) &&
           !monitor->console_output.open && !monitor->serial2_output.open &&
           !monitor->diagnostics.open &&
           (monitor->out.queue.length == 0 || monitor->out.broken) &&
           (monitor->err.queue.length == 0 || monitor->err.broken);
}

static int poll_timeout(const struct monitor *monitor)
{
    if (monitor->outcome != OUTCOME_NONE || monitor->deadline_ms < 0)
        return -1;
    int64_t left = monitor->deadline_ms - monotonic_ms();
    return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

enum slot {
    SLOT_SIGNALS,
    SLOT_CONSOLE_OUTPUT,
    SLOT_SERIAL2_OUTPUT,
    SLOT_QEMU_STDERR,
    SLOT_DOORBELL,
    SLOT_USER_INPUT,
    SLOT_CONSOLE_INPUT,
    SLOT_STDOUT,
    SLOT_STDERR,
    SLOT_COUNT,
};

static void watch(struct pollfd *slots, enum slot slot, int fd, short events)
{
    slots[slot].fd = fd;
    slots[slot].events = events;
}

static void run_loop(struct monitor *monitor)
{
    while (!finished(monitor)) {
        struct pollfd slots[SLOT_COUNT];
        for (int i = 0; i < SLOT_COUNT; i++)
            slots[i] = (struct pollfd){.fd = -1};
        bool going_on = monitor->outcome == OUTCOME_NONE;

        watch(slots, SLOT_SIGNALS, monitor->signal_fd, POLLIN);
        if (monitor->console_output.open && monitor->out.queue.length < QUEUE_LIMIT)
            watch(slots, SLOT_CONSOLE_OUTPUT, monitor->console_output.fd, POLLIN);
        if (monitor->serial2_output.open && monitor->err.queue.length < QUEUE_LIMIT)
            watch(slots, SLOT_SERIAL2_OUTPUT, monitor->serial2_output.fd, POLLIN);
        if (monitor->diagnostics.open)
            watch(slots, SLOT_QEMU_STDERR, monitor->diagnostics.fd, POLLIN);
        if (going_on && monitor->doorbell.open && monitor->err.queue.length < QUEUE_LIMIT)
            watch(slots, SLOT_DOORBELL, monitor->doorbell.fd, POLLIN);
        /* Input waits for the guest's registration: QEMU's 16550 throws away what it has
           received whenever the guest switches the UART's FIFO on, which its driver does
           at start-up, and the kernel registers only after that; and only then is it known
           whether the guest has a stdin ring. */
        if (going_on && monitor->user_input.open && monitor->to_guest.length < QUEUE_LIMIT &&
            monitor->hypervisor->registered)
            watch(slots, SLOT_USER_INPUT, STDIN_FILENO, POLLIN);
        if (monitor->console_input >= 0 && monitor->to_guest.length > 0 &&
            monitor->stdin_route == STDIN_TO_CONSOLE)
            watch(slots, SLOT_CONSOLE_INPUT, monitor->console_input, POLLOUT);
        /* An empty queue is watched too (for no event), so that a reader who goes away
           (POLLERR on a pipe) is noticed before the next write: the program's next write
           fails then, as on Linux. */
        if (!monitor->out.broken)
            watch(slots, SLOT_STDOUT, monitor->out.fd, monitor->out.queue.length > 0 ? POLLOUT : 0);
        if (!monitor->err.broken)
            watch(slots, SLOT_STDERR, monitor->err.fd, monitor->err.queue.length > 0 ? POLLOUT : 0);

        int ready = poll(slots, SLOT_COUNT, poll_timeout(monitor));
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            report("poll: %s", strerror(errno));
            decide(monitor, OUTCOME_MONITOR_FAILED);
            monitor->abandon_output = true;
            continue;
        }

        if (slots[SLOT_SIGNALS].revents)
            handle_signals(monitor);
        if (slots[SLOT_CONSOLE_OUTPUT].revents)
            read_source(&monitor->console_output, &monitor->out.queue, READ_CHUNK);
        if (slots[SLOT_SERIAL2_OUTPUT].revents)
            read_source(&monitor->serial2_output, &monitor->err.queue, READ_CHUNK);
        if (slots[SLOT_QEMU_STDERR].revents)
            read_qemu_stderr(monitor);
        if (slots[SLOT_DOORBELL].revents && monitor->outcome == OUTCOME_NONE)
            serve_doorbell(monitor);
        if (slots[SLOT_USER_INPUT].revents && monitor->outcome == OUTCOME_NONE)
            read_user_input(monitor, slots[SLOT_USER_INPUT].revents);
        if (slots[SLOT_CONSOLE_INPUT].revents)
            write_guest_input(monitor);
        if (slots[SLOT_STDOUT].revents)
            write_sink(&monitor->out, slots[SLOT_STDOUT].revents);
        if (slots[SLOT_STDERR].revents)
            write_sink(&monitor->err, slots[SLOT_STDERR].revents);
        /* nobody reads a broken sink: keep consuming the guest's output, so that the guest
           never stalls on a full pipe, and drop it */
        if (monitor->out.broken)
            byte_queue_discard(&monitor->out.queue);
        if (monitor->err.broken)
            byte_queue_discard(&monitor->err.queue);

        service_rings(monitor);

        if (monitor->outcome == OUTCOME_NONE && monitor->deadline_ms >= 0 &&
            monotonic_ms() >= monitor->deadline_ms)
            decide(monitor, OUTCOME_TIMED_OUT);
    }
}

/* --- the outcome --------------------------------------------------------------------- */

static const char *shutdown_reason_name(uint32_t reason)
{
    switch (reason) {
    case SHUTDOWN_REBOOT: return "reboot";
    case SHUTDOWN_SUSPEND: return "suspend";
    case SHUTDOWN_WATCHDOG: return "watchdog";
    case SHUTDOWN_SOFT_RESET: return "soft reset";
    default: return "unknown";
    }
}

/* The newest lines of QEMU's stderr, as QEMU wrote them. */
static void show_qemu_stderr(const struct monitor *monitor)
{
    const char *tail = monitor->qemu_stderr_tail;
    size_t length = monitor->qemu_stderr_length;
    if (length == QEMU_STDERR_TAIL) { /* cut: start at a line boundary */
        const char *newline = memchr(tail, '\n', length);
        if (newline) {
            length -= (size_t)(newline + 1 - tail);
            tail = newline + 1;
        }
    }
    if (length == 0)
        return;
    write_all(STDERR_FILENO, tail, length);
    if (tail[length - 1] != '\n')
        write_all(STDERR_FILENO, "\n", 1);
}

static int exit_status(const struct monitor *monitor)
{
    const struct hypervisor *hypervisor = monitor->hypervisor;
    switch (monitor->outcome) {
    case OUTCOME_GUEST_ENDED:
        if (hypervisor->end == GUEST_BAD_REGISTRATION || hypervisor->end == GUEST_BROKE_STDIO_RING) {
            report("%s", hypervisor->end_message);
            return EXIT_SYSGATE_ERROR;
        }
        if (hypervisor->shutdown_reason == SHUTDOWN_POWEROFF)
            return (int)(hypervisor->shutdown_status & 255);
        if (hypervisor->shutdown_reason == SHUTDOWN_CRASH) {
            report("guest kernel panic");
            return EXIT_SYSGATE_ERROR;
        }
        report("guest shut down with reason %u (%s) instead of powering off",
               hypervisor->shutdown_reason, shutdown_reason_name(hypervisor->shutdown_reason));
        return EXIT_SYSGATE_ERROR;
    case OUTCOME_TIMED_OUT:
        report("timed out after %g second%s", monitor->options->timeout_seconds,
               monitor->options->timeout_seconds == 1 ? "" : "s");
        return EXIT_TIMED_OUT;
    case OUTCOME_SIGNALLED:
        return 128 + monitor->signal_number;
    case OUTCOME_MONITOR_FAILED:
        return EXIT_SYSGATE_ERROR;
    case OUTCOME_QEMU_EXITED: {
        int status = monitor->qemu_status;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            report(hypervisor->registered
                       ? "the guest reset or powered off without the shutdown hypercall"
                       : "the guest reset or powered off before it registered its hypercall page");
        else if (WIFEXITED(status))
            report("QEMU exited with status %d%s", WEXITSTATUS(status),
                   monitor->qemu_stderr_length ? ":" : "");
        else
            report("QEMU was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
        if (!monitor->options->verbose) /* --verbose showed it as it came */
            show_qemu_stderr(monitor);
        return EXIT_SYSGATE_ERROR;
    }
    case OUTCOME_NONE:
        break;
    }
    return EXIT_SYSGATE_ERROR;
}

int monitor_run(const struct options *options, const struct stdio_plan *stdio,
                struct qemu_process *qemu, const struct guest_memory *memory,
                enum accelerator accelerator, int signal_fd)
{
    struct monitor *monitor = xmalloc(sizeof *monitor);
    memset(monitor, 0, sizeof *monitor);
    monitor->options = options;
    monitor->stdio = stdio;
    monitor->qemu = qemu;
    monitor->signal_fd = signal_fd;
    monitor->qemu_running = true;
    monitor->console_output = (struct source){qemu->console_output, true};
    monitor->serial2_output = (struct source){qemu->serial2, true};
    monitor->doorbell = (struct source){qemu->doorbell, true};
    monitor->diagnostics = (struct source){qemu->diagnostics, true};
    monitor->user_input = (struct source){STDIN_FILENO, true};
    monitor->console_input = qemu->console_input;
    init_sink(&monitor->out, STDOUT_FILENO);
    init_sink(&monitor->err, STDERR_FILENO);
    monitor->deadline_ms = options->timeout_seconds > 0
                               ? monotonic_ms() + (int64_t)(options->timeout_seconds * 1000.0 + 0.5)
                               : -1;
    monitor->hypervisor = xmalloc(sizeof *monitor->hypervisor);
    hypervisor_init(monitor->hypervisor, memory, &monitor->err.queue, options);
    monitor->hypervisor->stdio_cpu_fence_is_enough = accelerator == ACCELERATOR_KVM;

    run_loop(monitor);

    if (monitor->qemu_running) { /* only after a second signal: do not wait for output */
        qemu_kill(qemu);
        while (waitpid(qemu->pid, &monitor->qemu_status, 0) < 0 && errno == EINTR)
            ;
        qemu_forget(qemu);
    }
    int status = exit_status(monitor);
    byte_queue_free(&monitor->out.queue);
    byte_queue_free(&monitor->err.queue);
    byte_queue_free(&monitor->to_guest);
    free(monitor->hypervisor);
    free(monitor);
    return status;
}
