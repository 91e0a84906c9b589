/*
 * futex.c - futex(2) and futex_waitv(2) as Linux defines them, run on the
 * host and on sysgate alike: the errors of bad words and arguments, timeouts
 * on each clock, waking across threads and processes (private and shared
 * keys, shared anonymous and file mappings), bitsets, requeueing, wake-op,
 * waiting on several words, PI locks and robust locks whose owner dies.
 * Every wait that needs a partner is paired by polling the wake's result, so
 * the output does not depend on timing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define NR_FUTEX_WAITV 449

/* The kernel's struct timespec of this ABI (32-bit fields on i386). */
struct ktimespec {
    long tv_sec, tv_nsec;
};

static long fx(volatile uint32_t *uaddr, int op, uint32_t val, const void *timeout, volatile uint32_t *uaddr2,
               uint32_t val3)
{
    long r = syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
    return r < 0 ? -errno : r;
}

/* The requeue and wake-op forms: a count where the timeout goes. */
static long fx2(volatile uint32_t *uaddr, int op, uint32_t val, unsigned long val2, volatile uint32_t *uaddr2,
                uint32_t val3)
{
    long r = syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
    return r < 0 ? -errno : r;
}

static const char *err(long r)
{
    static char buf[32];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    switch (-r) {
    case EAGAIN: return "EAGAIN";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EINTR: return "EINTR";
    case EPERM: return "EPERM";
    case EDEADLK: return "EDEADLK";
    case ESRCH: return "ESRCH";
    default: snprintf(buf, sizeof buf, "errno %ld", -r); return buf;
    }
}

static struct ktimespec after_ns(clockid_t clock, long ns)
{
    struct timespec now;
    clock_gettime(clock, &now);
    long long total = (long long)now.tv_sec * 1000000000 + now.tv_nsec + ns;
    return (struct ktimespec){(long)(total / 1000000000), (long)(total % 1000000000)};
}

static void pause_ms(int ms) { usleep(ms * 1000); }

/* Wakes `n` waiters on the word, retrying until that many were asleep. */
static long wake_when_waiting(volatile uint32_t *word, int op, int n)
{
    long woken = 0;
    for (int tries = 0; tries < 2000 && woken < n; tries++) {
        long r = fx(word, op, n - woken, NULL, NULL, 0);
        if (r < 0)
            return r;
        woken += r;
        if (woken < n)
            pause_ms(1);
    }
    return woken;
}

static void check_errors(void)
{
    static uint32_t word = 7;
    struct ktimespec zero = {0, 0}, bad = {0, 1000000000}, negative = {-1, 0};
    printf("wait on a changed word: %s\n", err(fx(&word, FUTEX_WAIT, 6, NULL, NULL, 0)));
    printf("misaligned wait: %s\n", err(fx((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 7, NULL, NULL, 0)));
    printf("misaligned wake: %s\n", err(fx((uint32_t *)((char *)&word + 2), FUTEX_WAKE, 1, NULL, NULL, 0)));
    printf("wake nobody: %s\n", err(fx(&word, FUTEX_WAKE, 1, NULL, NULL, 0)));
    void *unmapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, 4096);
    printf("wait on unmapped: %s\n", err(fx(unmapped, FUTEX_WAIT, 0, NULL, NULL, 0)));
    printf("shared wake on unmapped: %s\n", err(fx(unmapped, FUTEX_WAKE, 1, NULL, NULL, 0)));
    printf("private wake on unmapped: %s\n", err(fx(unmapped, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0)));
    printf("shared wake on PROT_NONE: %s\n", err(fx(none, FUTEX_WAKE, 1, NULL, NULL, 0)));
    printf("wait on PROT_NONE: %s\n", err(fx(none, FUTEX_WAIT | FUTEX_PRIVATE, 0, NULL, NULL, 0)));
    uint32_t *kernel = (uint32_t *)(uintptr_t)(sizeof(long) == 8 ? 0xffffffff81000000ul : 0xc0000000ul);
    printf("wake at a kernel address: %s\n", err(fx(kernel, FUTEX_WAKE, 1, NULL, NULL, 0)));
    printf("wait with a bad timeout pointer: %s\n", err(fx(&word, FUTEX_WAIT, 7, unmapped, NULL, 0)));
    printf("wait with nsec 1e9: %s\n", err(fx(&word, FUTEX_WAIT, 7, &bad, NULL, 0)));
    printf("wait with negative seconds: %s\n", err(fx(&word, FUTEX_WAIT, 7, &negative, NULL, 0)));
    printf("relative zero timeout: %s\n", err(fx(&word, FUTEX_WAIT, 7, &zero, NULL, 0)));
    printf("bitset 0 wait: %s\n", err(fx(&word, FUTEX_WAIT_BITSET, 7, NULL, NULL, 0)));
    printf("bitset 0 wake: %s\n", err(fx(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0)));
    printf("FUTEX_WAIT with CLOCK_REALTIME: %s\n", err(fx(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 7, NULL, NULL, 0)));
    printf("FUTEX_WAKE with CLOCK_REALTIME: %s\n", err(fx(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0)));
    printf("FUTEX_FD: %s\n", err(fx(&word, FUTEX_FD, 0, NULL, NULL, 0)));
    printf("op 99: %s\n", err(fx(&word, 99, 0, NULL, NULL, 0)));
    printf("requeue with negative count: %s\n", err(fx2(&word, FUTEX_REQUEUE, 1, (unsigned long)-1, &word, 0)));
    printf("cmp_requeue with a stale value: %s\n", err(fx2(&word, FUTEX_CMP_REQUEUE, 1, 1, &word, 8)));
    munmap(none, 4096);
}

static void check_timeouts(void)
{
    static uint32_t word;
    struct ktimespec rel = {0, 20 * 1000000};
    printf("relative timeout: %s\n", err(fx(&word, FUTEX_WAIT | FUTEX_PRIVATE, 0, &rel, NULL, 0)));
    struct ktimespec mono = after_ns(CLOCK_MONOTONIC, 20 * 1000000);
    printf("absolute monotonic: %s\n",
           err(fx(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE, 0, &mono, NULL, 0xffffffff)));
    struct ktimespec real = after_ns(CLOCK_REALTIME, 20 * 1000000);
    printf("absolute realtime: %s\n",
           err(fx(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &real, NULL, 0xffffffff)));
    struct ktimespec past = {1, 0};
    printf("deadline in the past: %s\n", err(fx(&word, FUTEX_WAIT_BITSET, 0, &past, NULL, 0xffffffff)));
    /* The timed wait really waits: the clock moved past the deadline. */
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    fx(&word, FUTEX_WAIT, 0, &rel, NULL, 0);
    clock_gettime(CLOCK_MONOTONIC, &after);
    long long waited = (after.tv_sec - before.tv_sec) * 1000000000ll + after.tv_nsec - before.tv_nsec;
    printf("waited at least the timeout: %s\n", waited >= 20 * 1000000 ? "yes" : "no");
#if !defined(__x86_64__)
    /* i386's futex_time64 takes a 64-bit timespec. */
    struct {
        int64_t sec, nsec;
    } rel64 = {0, 10 * 1000000};
    long r = syscall(422, &word, FUTEX_WAIT, 0, &rel64, NULL, 0);
    printf("futex_time64 relative timeout: %s\n", err(r < 0 ? -errno : r));
#endif
}

/* ---- waking threads ---- */

static volatile uint32_t word_a, word_b;
static long results[4];

static void *waiter(void *arg)
{
    long i = (long)arg;
    results[i] = fx(&word_a, FUTEX_WAIT_BITSET | FUTEX_PRIVATE, 0, NULL, NULL, i == 0 ? 1 : 2);
    return NULL;
}

static void *waiter_any(void *arg)
{
    long i = (long)arg;
    results[i] = fx(&word_a, FUTEX_WAIT | FUTEX_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

static void check_wake_threads(void)
{
    pthread_t t[3];
    word_a = 0;
    pthread_create(&t[0], NULL, waiter, (void *)0); /* bitset 1 */
    pthread_create(&t[1], NULL, waiter, (void *)1); /* bitset 2 */
    pause_ms(30);
    printf("wake bitset 4: %s\n", err(fx(&word_a, FUTEX_WAKE_BITSET | FUTEX_PRIVATE, 2, NULL, NULL, 4)));
    long r = 0;
    for (int i = 0; i < 2000 && r == 0; i++, pause_ms(1))
        r = fx(&word_a, FUTEX_WAKE_BITSET | FUTEX_PRIVATE, 2, NULL, NULL, 2);
    printf("wake bitset 2: %s\n", err(r));
    printf("plain wake: %s\n", err(wake_when_waiting(&word_a, FUTEX_WAKE | FUTEX_PRIVATE, 1)));
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
    printf("waiters returned %s and %s\n", err(results[0]), err(results[1]));

    /* Three waiters: one woken, two moved to word_b, then woken there. */
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, waiter_any, (void *)i);
    long moved = 0;
    for (int i = 0; i < 2000; i++, pause_ms(1)) {
        /* Only requeue once all three sleep: a requeue onto the same word counts them. */
        long probe = fx2(&word_a, FUTEX_REQUEUE | FUTEX_PRIVATE, 0, 3, &word_a, 0);
        if (probe == 3) {
            moved = fx2(&word_a, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE, 1, 2, &word_b, 0);
            break;
        }
    }
    printf("cmp_requeue woke and moved: %s\n", err(moved));
    printf("wake on word_a after the move: %s\n", err(fx(&word_a, FUTEX_WAKE | FUTEX_PRIVATE, 5, NULL, NULL, 0)));
    printf("wake on word_b: %s\n", err(fx(&word_b, FUTEX_WAKE | FUTEX_PRIVATE, 5, NULL, NULL, 0)));
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);

    /* Wake-op: word_b becomes 1 (it was 0, which the compare tests). */
    word_b = 0;
    pthread_create(&t[0], NULL, waiter_any, (void *)0);
    while (fx2(&word_a, FUTEX_REQUEUE | FUTEX_PRIVATE, 0, 1, &word_a, 0) != 1)
        pause_ms(1);
    uint32_t op = (0u << 28) | (0u << 24) | (1u << 12) | 0u; /* SET 1, if old == 0 */
    r = fx2(&word_a, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 1, &word_b, op);
    printf("wake_op: %s, word_b now %u\n", err(r), word_b);
    pthread_join(t[0], NULL);
    uint32_t add = (1u << 28) | (4u << 24) | (5u << 12) | 0u; /* ADD 5, if old > 0 */
    r = fx2(&word_a, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 1, &word_b, add);
    printf("wake_op add: %s, word_b now %u\n", err(r), word_b);
    uint32_t shift = (2u << 28) | (8u << 28) | (0u << 24) | (4u << 12) | 99u; /* OR 1<<4 */
    r = fx2(&word_a, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 1, &word_b, shift);
    printf("wake_op or-shift: %s, word_b now %u\n", err(r), word_b);
    uint32_t bad_op = (7u << 28);
    printf("wake_op bad op: %s\n", err(fx2(&word_a, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 1, &word_b, bad_op)));
    uint32_t bad_cmp = (15u << 24);
    r = fx2(&word_a, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 1, &word_b, bad_cmp);
    printf("wake_op bad compare: %s, word_b now %u\n", err(r), word_b);
    void *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4096);
    printf("wake_op on unmapped: %s\n", err(fx2(&word_a, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 1, gone, op)));
}

/* ---- futex_waitv ---- */

struct futex_waitv {
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};

static long waitv(struct futex_waitv *w, unsigned n, unsigned flags, const void *timeout, int clock)
{
    long r = syscall(NR_FUTEX_WAITV, w, n, flags, timeout, clock);
    return r < 0 ? -errno : r;
}

static struct futex_waitv vw[2];

static void *waitv_thread(void *arg)
{
    (void)arg;
    results[0] = waitv(vw, 2, 0, NULL, 0);
    return NULL;
}

static void check_waitv(void)
{
    word_a = 1, word_b = 2;
    vw[0] = (struct futex_waitv){1, (uintptr_t)&word_a, 2 | FUTEX_PRIVATE, 0};
    vw[1] = (struct futex_waitv){2, (uintptr_t)&word_b, 2 | FUTEX_PRIVATE, 0};
    struct {
        int64_t sec, nsec;
    } soon = {0, 0}, past = {1, 0};
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    soon.sec = now.tv_sec, soon.nsec = now.tv_nsec + 20000000;
    if (soon.nsec >= 1000000000)
        soon.sec++, soon.nsec -= 1000000000;
    printf("waitv timeout: %s\n", err(waitv(vw, 2, 0, &soon, CLOCK_MONOTONIC)));
    printf("waitv past realtime deadline: %s\n", err(waitv(vw, 2, 0, &past, CLOCK_REALTIME)));
    printf("waitv flags 1: %s\n", err(waitv(vw, 2, 1, NULL, 0)));
    printf("waitv none: %s\n", err(waitv(vw, 0, 0, NULL, 0)));
    printf("waitv 129: %s\n", err(waitv(vw, 129, 0, NULL, 0)));
    printf("waitv bad clock: %s\n", err(waitv(vw, 2, 0, &past, CLOCK_BOOTTIME)));
    printf("waitv bad array: %s\n", err(waitv((void *)8, 2, 0, NULL, 0)));
    vw[1].val = 3;
    printf("waitv changed word: %s\n", err(waitv(vw, 2, 0, NULL, 0)));
    vw[1].val = 2;
    vw[1].reserved = 1;
    printf("waitv reserved: %s\n", err(waitv(vw, 2, 0, NULL, 0)));
    vw[1].reserved = 0;
    vw[1].flags = 3;
    printf("waitv 64-bit word: %s\n", err(waitv(vw, 2, 0, NULL, 0)));
    vw[1].flags = 2 | FUTEX_PRIVATE;
    vw[1].val = 0x100000002ull;
    printf("waitv value too wide: %s\n", err(waitv(vw, 2, 0, NULL, 0)));
    vw[1].val = 2;
    pthread_t t;
    pthread_create(&t, NULL, waitv_thread, NULL);
    printf("wake the second word: %s\n", err(wake_when_waiting(&word_b, FUTEX_WAKE | FUTEX_PRIVATE, 1)));
    pthread_join(t, NULL);
    printf("waitv returned the index %s\n", err(results[0]));
}

/* ---- across processes ---- */

static volatile uint32_t *solo_word;
static const struct ktimespec *solo_timeout;
static long solo_result;

static void *solo_waiter(void *arg)
{
    (void)arg;
    solo_result = fx(solo_word, FUTEX_WAIT, 0, solo_timeout, NULL, 0);
    return NULL;
}

/* A thread waits on the word as a shared futex; private wakes cannot reach it. */
static long solo_pair(volatile uint32_t *word, const struct ktimespec *timeout)
{
    solo_word = word, solo_timeout = timeout;
    pthread_t t;
    pthread_create(&t, NULL, solo_waiter, NULL);
    long woken = 0;
    for (int i = 0; i < 10; i++, pause_ms(1))
        woken += fx(word, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0);
    pthread_join(t, NULL);
    printf("the shared waiter: %s\n", err(solo_result));
    return woken;
}

static void check_shared(void)
{
    volatile uint32_t *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    anon[0] = 0;
    char path[64];
    snprintf(path, sizeof path, "/tmp/futex-test-%d", getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 8192);
    unlink(path);
    volatile uint32_t *file_a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t child = fork();
    if (child == 0) {
        /* Mapped again in the child, at another address: the same page. */
        volatile uint32_t *file_b = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        long a = fx(anon, FUTEX_WAIT, 0, NULL, NULL, 0);
        long b = fx(&file_b[1024 + 1], FUTEX_WAIT, 0, NULL, NULL, 0);
        struct ktimespec t = {0, 50 * 1000000};
        long c = fx(anon, FUTEX_WAIT | FUTEX_PRIVATE, 0, &t, NULL, 0);
        _exit((a == 0) | (b == 0) << 1 | (c == -ETIMEDOUT) << 2);
    }
    printf("shared anonymous wake: %s\n", err(wake_when_waiting(anon, FUTEX_WAKE, 1)));
    printf("shared file wake: %s\n", err(wake_when_waiting(&file_a[1024 + 1], FUTEX_WAKE, 1)));
    pause_ms(10);
    printf("private wake from another process: %s\n", err(fx(anon, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0)));
    /* A private and a shared wait on the same private word are not the same
     * futex (Linux keys them apart). */
    static uint32_t solo;
    struct ktimespec brief = {0, 20 * 1000000};
    printf("private wake of a shared waiter in private memory: %s\n", err(solo_pair(&solo, &brief)));
    int status;
    waitpid(child, &status, 0);
    printf("child saw: %d\n", WEXITSTATUS(status));
    close(fd);
}

/* ---- PI locks ---- */

static volatile uint32_t pi_word;
static long pi_result;
static uint32_t pi_word_after;

static long my_tid(void) { return syscall(SYS_gettid); }

static void *pi_locker(void *arg)
{
    (void)arg;
    pi_result = fx(&pi_word, FUTEX_LOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0);
    pi_word_after = pi_word;
    if ((pi_word & FUTEX_TID_MASK) == (uint32_t)my_tid())
        pi_word_after = 1; /* "mine" */
    fx(&pi_word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

static volatile uint32_t owner_tid;

static void *live_owner(void *arg)
{
    (void)arg;
    owner_tid = (uint32_t)my_tid();
    while (!word_a)
        fx(&word_a, FUTEX_WAIT | FUTEX_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

static void check_pi(void)
{
    uint32_t me = (uint32_t)my_tid();
    pi_word = 0;
    long r = fx(&pi_word, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0);
    printf("trylock free: %s, owner is me: %s\n", err(r), pi_word == me ? "yes" : "no");
    printf("lock again: %s\n", err(fx(&pi_word, FUTEX_LOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0)));
    printf("trylock again: %s\n", err(fx(&pi_word, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0)));
    pthread_t t;
    pthread_create(&t, NULL, pi_locker, NULL);
    while (!(pi_word & FUTEX_WAITERS))
        pause_ms(1);
    printf("a waiter set FUTEX_WAITERS: yes\n");
    pause_ms(20); /* the waiter is asleep in the kernel by now, or soon will be */
    long wake;
    while ((wake = fx(&pi_word, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0)) == 0)
        pause_ms(1);
    printf("plain wake on a PI word with a waiter: %s\n", err(wake));
    printf("unlock hands over: %s\n", err(fx(&pi_word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0)));
    pthread_join(t, NULL);
    printf("the waiter got it: %s, word then %s\n", err(pi_result), pi_word_after == 1 ? "its tid" : "other");
    printf("word after its unlock: %u\n", pi_word);
    pi_word = 0x3ffffff0; /* an owner that does not exist */
    printf("lock with a dead owner: %s\n", err(fx(&pi_word, FUTEX_LOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0)));
    printf("unlock not owned: %s\n", err(fx(&pi_word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0)));
    pthread_t owner;
    word_a = 0;
    owner_tid = 0;
    pthread_create(&owner, NULL, live_owner, NULL);
    while (!owner_tid)
        pause_ms(1);
    pi_word = owner_tid; /* held by a thread that lives on */
    struct ktimespec soon = after_ns(CLOCK_REALTIME, 20 * 1000000);
    printf("lock_pi times out: %s\n", err(fx(&pi_word, FUTEX_LOCK_PI | FUTEX_PRIVATE, 0, &soon, NULL, 0)));
    struct ktimespec mono = after_ns(CLOCK_MONOTONIC, 20 * 1000000);
    printf("lock_pi2 times out: %s\n", err(fx(&pi_word, FUTEX_LOCK_PI2 | FUTEX_PRIVATE, 0, &mono, NULL, 0)));
    printf("trylock held by another: %s\n", err(fx(&pi_word, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE, 0, NULL, NULL, 0)));
    word_a = 1;
    fx(&word_a, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0);
    pthread_join(owner, NULL);
}

/* glibc's and musl's PI mutexes over the same calls. */
static pthread_mutex_t pi_mutex;
static int pi_counter;

static void *pi_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&pi_mutex);
        pi_counter++;
        if (i % 100 == 0)
            sched_yield();
        pthread_mutex_unlock(&pi_mutex);
    }
    return NULL;
}

static void check_pi_mutex(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi_mutex, &a);
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, pi_worker, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("PI mutex counter: %d\n", pi_counter);
}

/* ---- robust locks ---- */

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL; /* ends with the lock held */
}

static void check_robust(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_t t;
    pthread_create(&t, NULL, die_holding, NULL);
    pthread_join(t, NULL);
    int r = pthread_mutex_lock(&robust);
    printf("lock after the owner thread died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : r ? "error" : "0");
    pthread_mutex_consistent(&robust);
    pthread_mutex_unlock(&robust);
    printf("lock after it was made consistent: %d\n", pthread_mutex_lock(&robust));
    pthread_mutex_unlock(&robust);

    /* A process-shared robust mutex whose owner process dies while the
     * parent waits for it. */
    pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(m, &a);
    volatile int *held = (volatile int *)(m + 1);
    *held = 0;
    pid_t child = fork();
    if (child == 0) {
        pthread_mutex_lock(m);
        *held = 1;
        pause_ms(50);
        _exit(0);
    }
    while (!*held)
        pause_ms(1);
    r = pthread_mutex_lock(m);
    printf("lock after the owner process died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : r ? "error" : "0");
    waitpid(child, NULL, 0);

    void *head;
    size_t len;
    long g = syscall(SYS_get_robust_list, 0, &head, &len);
    printf("get_robust_list: %s, length %s\n", err(g < 0 ? -errno : g),
           len == (sizeof(long) == 8 ? 24 : 12) ? "of this ABI" : "wrong");
    g = syscall(SYS_get_robust_list, 0x3ffffff0, &head, &len);
    printf("get_robust_list of nobody: %s\n", err(g < 0 ? -errno : g));
    printf("set_robust_list bad length: %s\n", err(syscall(SYS_set_robust_list, head, 7) < 0 ? -errno : 0));
}

/* ---- libc's timed waits ---- */

static void check_libc_timed(void)
{
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20000000;
    if (ts.tv_nsec >= 1000000000)
        ts.tv_sec++, ts.tv_nsec -= 1000000000;
    pthread_mutex_lock(&mu);
    int r = pthread_cond_timedwait(&cv, &mu, &ts);
    pthread_mutex_unlock(&mu);
    printf("pthread_cond_timedwait: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "other");
    sem_t sem;
    sem_init(&sem, 0, 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20000000;
    if (ts.tv_nsec >= 1000000000)
        ts.tv_sec++, ts.tv_nsec -= 1000000000;
    r = sem_timedwait(&sem, &ts);
    printf("sem_timedwait: %s\n", r == -1 && errno == ETIMEDOUT ? "ETIMEDOUT" : "other");
}

/* ---- signals ---- */

static void on_alarm(int sig) { (void)sig; }

static void check_signals(void)
{
    static uint32_t word;
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm; /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 30000}};
    setitimer(ITIMER_REAL, &it, NULL);
    printf("untimed wait, handler without SA_RESTART: %s\n", err(fx(&word, FUTEX_WAIT, 0, NULL, NULL, 0)));
    setitimer(ITIMER_REAL, &it, NULL);
    struct ktimespec long_wait = {5, 0};
    printf("timed wait, handler: %s\n", err(fx(&word, FUTEX_WAIT, 0, &long_wait, NULL, 0)));
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    struct ktimespec later = after_ns(CLOCK_MONOTONIC, 100 * 1000000);
    printf("absolute wait, SA_RESTART handler: %s\n",
           err(fx(&word, FUTEX_WAIT_BITSET, 0, &later, NULL, 0xffffffff)));
}

static const struct {
    const char *name;
    void (*check)(void);
} checks[] = {
    {"errors", check_errors}, {"timeouts", check_timeouts}, {"wake", check_wake_threads},
    {"waitv", check_waitv},   {"shared", check_shared},     {"pi", check_pi},
    {"pimutex", check_pi_mutex}, {"robust", check_robust},  {"libc", check_libc_timed},
    {"signals", check_signals},
};

/* futex [CHECK...]: the named checks, or all of them. */
int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (unsigned i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        bool wanted = argc == 1;
        for (int a = 1; a < argc; a++)
            wanted |= !strcmp(argv[a], checks[i].name);
        if (wanted)
            checks[i].check();
    }
    return 0;
}
