/*
 * threads.c - POSIX threads on clone(CLONE_THREAD | CLONE_SETTLS | ...),
 * futexes and the clear-tid wake-up that pthread_join waits for: four threads
 * count with an atomic and with a mutex, and return values come back.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
static atomic_int counter;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int shared;
static void *work(void *arg) {
    for (int i = 0; i < 10000; i++) { atomic_fetch_add(&counter, 1); pthread_mutex_lock(&m); shared++; pthread_mutex_unlock(&m); }
    return arg;
}
int main(void) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], 0, work, (void*)i);
    long sum = 0;
    for (int i = 0; i < 4; i++) { void *r; pthread_join(t[i], &r); sum += (long)r; }
    printf("counter %d shared %d sum %ld\n", atomic_load(&counter), shared, sum);
    return 0;
}
