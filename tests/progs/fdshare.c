/*
 * fdshare.c - descriptors shared by threads: an open file lives while a call
 * uses it, whatever another thread does to the descriptor meanwhile.
 *
 *   fdshare          the scenarios below and the stress test's summary
 *                    (deterministic: compared with Linux)
 *   fdshare leak     the stress test twice; the second round must give back
 *                    all the kernel memory it took (sysgate only: the host's
 *                    free memory moves with everything else it runs)
 *
 * Scenarios: a thread blocked in read on a pipe while another closes that
 * descriptor, or puts another file there with dup2, and writes to the pipe:
 * the write succeeds and the reader gets the byte, and only after the read
 * returns is the read end closed (EPIPE, SIGPIPE). A thread blocked in write
 * while another closes that descriptor: the write completes, then the reader
 * sees end of file. A process dies while its thread waits in read: the pipe
 * has no reader left. The stress test: 8 threads read, write, poll, close, dup
 * and dup2 on shared descriptors (pipes, /dev/null, a file in /tmp); afterwards
 * nothing it opened is still open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SETTLE_NS 100000000L /* long enough for a started thread to be asleep in its call */
#define STRESS_THREADS 8
#define STRESS_SLOTS 8
#define SLOT_BASE 100 /* the shared descriptors the stress threads fight over */
#define BIG_WRITE 200000 /* more than a pipe holds: the writer blocks */

static atomic_int sigpipes;
static void on_sigpipe(int sig) { (void)sig; atomic_fetch_add(&sigpipes, 1); }

static void settle(void)
{
    struct timespec ts = {0, SETTLE_NS};
    nanosleep(&ts, NULL);
}

static const char *errno_name(int err)
{
    switch (err) {
    case EPIPE: return "EPIPE";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    default: return "another errno";
    }
}

/* A call's result as text; one buffer per line of output is enough. */
static const char *result(long n, int err)
{
    static char text[64];
    if (n >= 0)
        snprintf(text, sizeof text, "%ld", n);
    else
        snprintf(text, sizeof text, "-1 %s", errno_name(err));
    return text;
}

struct blocked_read {
    int fd;
    atomic_int done;
    long n;
    int err;
    char byte;
};

static void *reader(void *arg)
{
    struct blocked_read *r = arg;
    r->byte = 0;
    r->n = read(r->fd, &r->byte, 1);
    r->err = errno;
    atomic_store(&r->done, 1);
    return NULL;
}

/* Close the descriptor a read is asleep on, then write to the pipe. */
static void close_while_reading(void)
{
    int p[2];
    pipe(p);
    struct blocked_read r = {.fd = p[0]};
    pthread_t t;
    pthread_create(&t, NULL, reader, &r);
    settle();
    printf("close-while-read: reader waiting: %s\n", atomic_load(&r.done) ? "no" : "yes");
    printf("close-while-read: close: %s\n", result(close(p[0]), errno));
    long w = write(p[1], "x", 1);
    printf("close-while-read: write: %s\n", result(w, errno));
    pthread_join(t, NULL);
    printf("close-while-read: read: %s byte '%c'\n", result(r.n, r.err), r.byte ? r.byte : '-');
    /* The read was the read end's last user: the pipe has no reader now. */
    int before = atomic_load(&sigpipes);
    w = write(p[1], "y", 1);
    printf("close-while-read: write after the read: %s, SIGPIPE %d\n", result(w, errno),
           atomic_load(&sigpipes) - before);
    close(p[1]);
}

/* Close both descriptors while a read waits: the write end's last reference
 * goes, so the read sees end of file. */
static void close_both_while_reading(void)
{
    int p[2];
    pipe(p);
    struct blocked_read r = {.fd = p[0]};
    pthread_t t;
    pthread_create(&t, NULL, reader, &r);
    settle();
    close(p[0]);
    printf("close-both: reader still waiting after closing the read end: %s\n", atomic_load(&r.done) ? "no" : "yes");
    close(p[1]);
    pthread_join(t, NULL);
    printf("close-both: read: %s\n", result(r.n, r.err));
}

/* dup2 another pipe over the descriptor a read waits on. */
static void dup2_while_reading(void)
{
    int p[2], q[2];
    pipe(p);
    pipe(q);
    struct blocked_read r = {.fd = p[0]};
    pthread_t t;
    pthread_create(&t, NULL, reader, &r);
    settle();
    printf("dup2-while-read: reader waiting: %s\n", atomic_load(&r.done) ? "no" : "yes");
    printf("dup2-while-read: dup2 gave the same descriptor: %s\n", dup2(q[0], p[0]) == p[0] ? "yes" : "no");
    long w = write(p[1], "a", 1);
    printf("dup2-while-read: write to the old pipe: %s\n", result(w, errno));
    pthread_join(t, NULL);
    printf("dup2-while-read: read: %s byte '%c'\n", result(r.n, r.err), r.byte ? r.byte : '-');
    write(q[1], "b", 1);
    char c = 0;
    long n = read(p[0], &c, 1);
    printf("dup2-while-read: the descriptor now reads the new pipe: %s byte '%c'\n", result(n, errno), c ? c : '-');
    int before = atomic_load(&sigpipes);
    w = write(p[1], "c", 1);
    printf("dup2-while-read: old pipe after the read: %s, SIGPIPE %d\n", result(w, errno),
           atomic_load(&sigpipes) - before);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

/* A process dies (a fault: its whole thread group ends) while one of its
 * threads waits in read: that read's reference goes with it, and the pipe is
 * left with no reader. */
static void die_while_reading(void)
{
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        prctl(PR_SET_DUMPABLE, 0); /* no core dump to wait for on the host */
        struct blocked_read r = {.fd = p[0]};
        pthread_t t;
        pthread_create(&t, NULL, reader, &r);
        close(p[1]);
        settle();
        if (atomic_load(&r.done))
            _exit(1);
        *(volatile int *)(long)atomic_load(&r.done) = 0; /* address 0 */
        _exit(2);
    }
    close(p[0]);
    int status;
    waitpid(child, &status, 0);
    printf("die-while-read: child: %s\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "exited");
    int before = atomic_load(&sigpipes);
    long w = write(p[1], "x", 1);
    printf("die-while-read: write after the death: %s, SIGPIPE %d\n", result(w, errno),
           atomic_load(&sigpipes) - before);
    close(p[1]);
}

struct blocked_write {
    int fd;
    long n;
    int err;
};

static void *big_writer(void *arg)
{
    struct blocked_write *w = arg;
    static char buf[BIG_WRITE];
    memset(buf, 'w', sizeof buf);
    w->n = write(w->fd, buf, sizeof buf);
    w->err = errno;
    return NULL;
}

/* Close the descriptor a write is asleep on (the pipe is full): the write
 * goes on to the end, and only then does the reader see end of file. */
static void close_while_writing(void)
{
    int p[2];
    pipe(p);
    struct blocked_write w = {.fd = p[1]};
    pthread_t t;
    pthread_create(&t, NULL, big_writer, &w);
    settle();
    printf("close-while-write: close: %s\n", result(close(p[1]), errno));
    long total = 0, n;
    char buf[4096];
    while ((n = read(p[0], buf, sizeof buf)) > 0)
        total += n;
    printf("close-while-write: read %ld bytes, then %s\n", total, result(n, errno));
    pthread_join(t, NULL);
    printf("close-while-write: write: %s\n", result(w.n, w.err));
    close(p[0]);
}

/* ---- the stress test ---- */

enum { PIPE_A_READ, PIPE_A_WRITE, PIPE_B_READ, PIPE_B_WRITE, DEV_NULL, TMP_FILE, ORIGINS };
static int origin[ORIGINS];
static atomic_int unexpected;
static long ops_per_thread;

static unsigned next_random(unsigned *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

/* An error the race allows: the slot was closed (EBADF), the pipe was empty
 * or full (EAGAIN), the file has no position (ESPIPE). */
static void check(long n, const char *what)
{
    if (n >= 0 || errno == EBADF || errno == EAGAIN || errno == ESPIPE)
        return;
    if (atomic_fetch_add(&unexpected, 1) < 5)
        fprintf(stderr, "unexpected %s from %s\n", strerror(errno), what);
}

static void stress_operations(unsigned *state)
{
    char buf[64];
    memset(buf, 's', sizeof buf);
    for (long i = 0; i < ops_per_thread; i++) {
        unsigned r = next_random(state);
        int slot = SLOT_BASE + (int)(r % STRESS_SLOTS);
        switch ((r / STRESS_SLOTS) % 8) {
        case 0: check(read(slot, buf, 16), "read"); break;
        case 1: check(write(slot, buf, 8), "write"); break;
        case 2: check(close(slot), "close"); break;
        case 3: check(dup2(origin[(r / 64) % ORIGINS], slot), "dup2"); break;
        case 4: {
            int fd = dup(slot);
            check(fd, "dup");
            if (fd >= 0)
                check(close(fd), "close of a dup");
            break;
        }
        case 5: {
            struct stat st;
            check(fstat(slot, &st), "fstat");
            break;
        }
        case 6: check(pwrite(slot, buf, 16, (long)(r % 4096)), "pwrite"); break;
        case 7: {
            /* Two slots, now and then with a short wait, while other
             * threads close and replace them under the poll. */
            struct pollfd fds[2] = {{slot, POLLIN | POLLOUT, 0},
                                    {SLOT_BASE + (int)((r / 7) % STRESS_SLOTS), POLLIN, 0}};
            check(poll(fds, 2, (r / 64) % 16 == 0 ? 1 : 0), "poll");
            break;
        }
        }
    }
}

/* The threads live through every round, so that a round measures only what
 * the descriptors cost (a thread's own creation and exit are not counted). */
static pthread_t workers[STRESS_THREADS];
static pthread_barrier_t round_start, round_end;
static atomic_bool workers_quit;

static void *stress_thread(void *arg)
{
    unsigned state = 2463534242u + (unsigned)(long)arg * 7919u;
    for (;;) {
        pthread_barrier_wait(&round_start);
        if (atomic_load(&workers_quit))
            return NULL;
        stress_operations(&state);
        pthread_barrier_wait(&round_end);
    }
}

static void workers_start(void)
{
    pthread_barrier_init(&round_start, NULL, STRESS_THREADS + 1);
    pthread_barrier_init(&round_end, NULL, STRESS_THREADS + 1);
    for (long i = 0; i < STRESS_THREADS; i++)
        pthread_create(&workers[i], NULL, stress_thread, (void *)i);
}

static void workers_stop(void)
{
    atomic_store(&workers_quit, true);
    pthread_barrier_wait(&round_start);
    for (int i = 0; i < STRESS_THREADS; i++)
        pthread_join(workers[i], NULL);
}

/* One round: returns the number of checks that failed. */
static int stress(long total_ops, bool report)
{
    int failures = 0;
    int first_free = open("/dev/null", O_RDONLY);
    close(first_free);
    int a[2], b[2];
    pipe2(a, O_NONBLOCK);
    pipe2(b, O_NONBLOCK);
    origin[PIPE_A_READ] = a[0], origin[PIPE_A_WRITE] = a[1];
    origin[PIPE_B_READ] = b[0], origin[PIPE_B_WRITE] = b[1];
    origin[DEV_NULL] = open("/dev/null", O_RDWR);
    char path[64];
    snprintf(path, sizeof path, "/tmp/sysgate-fdshare-%d", (int)getpid());
    origin[TMP_FILE] = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path); /* lives while something holds it open */
    for (int s = 0; s < STRESS_SLOTS; s++)
        dup2(origin[s % ORIGINS], SLOT_BASE + s);

    ops_per_thread = total_ops / STRESS_THREADS;
    pthread_barrier_wait(&round_start);
    pthread_barrier_wait(&round_end);
    for (int s = 0; s < STRESS_SLOTS; s++)
        close(SLOT_BASE + s);

    /* Pipe A's read end: every reference but the origin's is gone, so after
     * closing that one the pipe has no reader. */
    close(origin[PIPE_A_READ]);
    int before = atomic_load(&sigpipes);
    long w = write(origin[PIPE_A_WRITE], "z", 1);
    bool no_reader = w < 0 && errno == EPIPE && atomic_load(&sigpipes) - before == 1;
    failures += !no_reader;
    /* Pipe B's write end likewise: the reader drains it and sees end of file. */
    close(origin[PIPE_B_WRITE]);
    char buf[4096];
    long n;
    while ((n = read(origin[PIPE_B_READ], buf, sizeof buf)) > 0)
        ;
    bool end_of_file = n == 0;
    failures += !end_of_file;
    for (int i = 0; i < ORIGINS; i++)
        close(origin[i]);
    int fd = open("/dev/null", O_RDONLY);
    bool all_closed = fd == first_free;
    failures += !all_closed;
    close(fd);
    int odd = atomic_exchange(&unexpected, 0);
    failures += odd != 0;
    if (report) {
        printf("stress: %d threads, %ld operations on %d shared descriptors\n", STRESS_THREADS,
               ops_per_thread * STRESS_THREADS, STRESS_SLOTS);
        printf("stress: unexpected results: %d\n", odd);
        printf("stress: pipe with every read end closed: %s\n", no_reader ? "EPIPE and SIGPIPE" : "still has a reader");
        printf("stress: pipe with every write end closed: %s\n", end_of_file ? "end of file" : "still has a writer");
        printf("stress: lowest free descriptor as at the start: %s\n", all_closed ? "yes" : "no");
    }
    return failures;
}

static unsigned long free_kib(void)
{
    struct sysinfo si;
    sysinfo(&si);
    return si.freeram / 1024 * si.mem_unit;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa = {.sa_handler = on_sigpipe};
    sigaction(SIGPIPE, &sa, NULL);
    if (argc > 1 && !strcmp(argv[1], "leak")) {
        workers_start();
        int failures = stress(10000, false); /* what the first round makes stays (the heap's pages) */
        unsigned long before = free_kib();
        failures += stress(100000, false);
        unsigned long after = free_kib();
        workers_stop();
        printf("%s stress rounds: %d failed checks\n", failures ? "FAIL" : "ok", failures);
        bool kept = after + 64 >= before;
        printf("%s free memory within 64 KiB of where it started (%lu KiB before, %lu after)\n",
               kept ? "ok" : "FAIL", before, after);
        return failures || !kept;
    }
    close_while_reading();
    close_both_while_reading();
    dup2_while_reading();
    die_while_reading();
    close_while_writing();
    workers_start();
    int failures = stress(100000, true);
    workers_stop();
    return failures != 0;
}
