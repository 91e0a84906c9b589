/*
 * futexstorm.c - many threads hammering futexes at once, through the ways
 * libc uses them: mutexes, condition variables, semaphores, PI mutexes and
 * raw wait/wake on private words, and process-shared mutexes and semaphores
 * between two processes (shared keys). Only totals are printed, which must be
 * exact whatever the interleaving; the run is the same on Linux and sysgate.
 *
 *   futexstorm          one storm (100,000 operations over 8 threads)
 *   futexstorm leak     a small storm, then a full one: the second must give
 *                       all its memory back (threads, stacks, futex queues)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 8
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t pi_mutex;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER, nonfull = PTHREAD_COND_INITIALIZER;
static sem_t tokens;
static long counter, pi_counter;
static atomic_long sem_count;

/* A bounded queue: half the threads produce, half consume. */
#define QUEUE 4
static int queue[QUEUE], head, tail, queued;
static long consumed_sum;

/* A gate on a raw private futex word: the turn passes round the threads. */
static atomic_uint turn;
static atomic_long turns_taken;

static int per_thread;

static void raw_take_turn(unsigned me)
{
    for (;;) {
        unsigned t = atomic_load(&turn);
        if (t % THREADS == me)
            break;
        syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, t, NULL, NULL, 0);
    }
    atomic_fetch_add(&turns_taken, 1);
    atomic_fetch_add(&turn, 1);
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, THREADS, NULL, NULL, 0);
}

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    bool producer = me % 2 == 0;
    for (int i = 0; i < per_thread; i++) {
        switch (i % 5) {
        case 0:
            pthread_mutex_lock(&mutex);
            counter++;
            pthread_mutex_unlock(&mutex);
            break;
        case 1:
            pthread_mutex_lock(&pi_mutex);
            pi_counter++;
            pthread_mutex_unlock(&pi_mutex);
            break;
        case 2:
            pthread_mutex_lock(&mutex);
            if (producer) {
                while (queued == QUEUE)
                    pthread_cond_wait(&nonfull, &mutex);
                queue[tail] = i;
                tail = (tail + 1) % QUEUE;
                queued++;
                pthread_cond_signal(&nonempty);
            } else {
                while (queued == 0)
                    pthread_cond_wait(&nonempty, &mutex);
                consumed_sum += queue[head];
                head = (head + 1) % QUEUE;
                queued--;
                pthread_cond_broadcast(&nonfull);
            }
            pthread_mutex_unlock(&mutex);
            break;
        case 3:
            sem_post(&tokens);
            while (sem_wait(&tokens) && errno == EINTR)
                ;
            atomic_fetch_add(&sem_count, 1);
            break;
        case 4:
            if (i % 50 == 4)
                raw_take_turn(me);
            break;
        }
    }
    return NULL;
}

/* Process-shared: a mutex and two semaphores in shared anonymous memory.
 * The parent's threads serve a ball, the child's return it, so every round
 * sleeps on a futex that the other process wakes. */
struct shared_area {
    pthread_mutex_t mutex;
    sem_t serve, back;
    long counter;
    long sem_rounds;
};

static struct shared_area *area;

static void sem_wait_fully(sem_t *s)
{
    while (sem_wait(s) && errno == EINTR)
        ;
}

static void *serving_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < per_thread / 10; i++) {
        sem_post(&area->serve);
        sem_wait_fully(&area->back);
        __atomic_fetch_add(&area->sem_rounds, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void *returning_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < per_thread / 10; i++) {
        sem_wait_fully(&area->serve);
        pthread_mutex_lock(&area->mutex);
        area->counter++;
        pthread_mutex_unlock(&area->mutex);
        sem_post(&area->back);
    }
    return NULL;
}

static void run_threads(void *(*fn)(void *), int n)
{
    pthread_t t[THREADS];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, fn, (void *)(uintptr_t)i);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

static int storm(int operations, bool print)
{
    per_thread = operations / THREADS;
    counter = pi_counter = consumed_sum = 0;
    atomic_store(&sem_count, 0);
    atomic_store(&turns_taken, 0);
    atomic_store(&turn, 0);
    run_threads(worker, THREADS);

    long expected_sum = 0;
    for (int i = 2; i < per_thread; i += 5)
        expected_sum += i;
    expected_sum *= THREADS / 2;
    int per_kind = (per_thread + 4) / 5;
    int turns = 0;
    for (int i = 4; i < per_thread; i += 50)
        turns++;
    int bad = 0;
    bad += counter != (long)per_kind * THREADS;
    bad += pi_counter != (long)((per_thread + 3) / 5) * THREADS;
    bad += consumed_sum != expected_sum;
    bad += atomic_load(&sem_count) != (long)((per_thread + 1) / 5) * THREADS;
    bad += atomic_load(&turns_taken) != (long)turns * THREADS;

    area->counter = area->sem_rounds = 0;
    pid_t child = fork();
    if (child == 0) {
        run_threads(returning_worker, THREADS / 2);
        _exit(0);
    }
    run_threads(serving_worker, THREADS / 2);
    int status;
    waitpid(child, &status, 0);
    long shared_expected = (long)(per_thread / 10) * (THREADS / 2);
    bad += area->counter != shared_expected || area->sem_rounds != shared_expected;
    if (print) {
        printf("mutex counter %s\n", counter == (long)per_kind * THREADS ? "exact" : "WRONG");
        printf("PI mutex counter %s\n", pi_counter == (long)((per_thread + 3) / 5) * THREADS ? "exact" : "WRONG");
        printf("queue sum %s\n", consumed_sum == expected_sum ? "exact" : "WRONG");
        printf("semaphore rounds %s\n", atomic_load(&sem_count) == (long)((per_thread + 1) / 5) * THREADS ? "exact" : "WRONG");
        printf("raw futex turns %s\n", atomic_load(&turns_taken) == (long)turns * THREADS ? "exact" : "WRONG");
        printf("process-shared counter %s, semaphore %s, child %s\n", area->counter == shared_expected ? "exact" : "WRONG",
               area->sem_rounds == shared_expected ? "exact" : "WRONG",
               WIFEXITED(status) && !WEXITSTATUS(status) ? "ok" : "failed");
    }
    return bad;
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
    pthread_mutexattr_t pi;
    pthread_mutexattr_init(&pi);
    pthread_mutexattr_setprotocol(&pi, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi_mutex, &pi);
    sem_init(&tokens, 0, 0);
    area = mmap(NULL, sizeof(*area), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t pshared;
    pthread_mutexattr_init(&pshared);
    pthread_mutexattr_setpshared(&pshared, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&area->mutex, &pshared);
    sem_init(&area->serve, 1, 0);
    sem_init(&area->back, 1, 0);
    if (argc > 1 && !strcmp(argv[1], "leak")) {
        int bad = storm(10000, false); /* what the first round makes stays (the heap's pages) */
        unsigned long before = free_kib();
        bad += storm(100000, false);
        unsigned long after = free_kib();
        printf("%s storm totals: %d wrong\n", bad ? "FAIL" : "ok", bad);
        bool kept = after + 64 >= before;
        printf("%s free memory within 64 KiB of where it started (%lu KiB before, %lu after)\n", kept ? "ok" : "FAIL",
               before, after);
        return bad || !kept;
    }
    return storm(100000, true) != 0;
}
