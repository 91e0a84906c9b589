/*
 * malloc_stress.c - many malloc/calloc/realloc/free calls of varied sizes,
 * driven by a fixed-seed pseudo-random generator so every run does exactly
 * the same thing and prints exactly the same summary.
 *
 * Sizes: mostly small (1 B .. 4 KiB), some medium (.. 16 KiB) and some
 * large (128 KiB .. 384 KiB), so both of malloc's paths are used: the heap it
 * grows with brk (glibc) or small-object groups (musl), and the mmap path
 * for large blocks. Every block is filled with a pattern that depends on its
 * slot and generation; before a block is freed or reallocated its contents
 * are checked, and realloc must keep the old contents up to the smaller
 * size. Pointers must be 16-byte aligned; calloc memory must be zero.
 *
 * Prints the operation counts, the number of bytes handed out, a checksum of
 * everything read back, and the error count; exits 0 if there were no errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 1024
#define OPS 30000

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)   /* xorshift64 */
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

struct slot {
    unsigned char *p;
    size_t size;
    unsigned gen;       /* the fill byte pattern's seed */
};

static struct slot slots[SLOTS];
static unsigned long n_malloc, n_calloc, n_realloc, n_free, n_large, errors;
static unsigned long long bytes_handed_out;
static uint64_t checksum = 0xcbf29ce484222325ULL;    /* FNV-1a over verified data */

static unsigned char fill_byte(unsigned gen, size_t i)
{
    return (unsigned char)(gen * 31u + (unsigned)(i * 7u) + (unsigned)(i >> 9));
}

static void fill(struct slot *s, size_t from)
{
    for (size_t i = from; i < s->size; i++)
        s->p[i] = fill_byte(s->gen, i);
}

/* Checks the first n bytes of slot s, and folds a sample into the checksum. */
static void verify(const struct slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s->p[i] != fill_byte(s->gen, i)) {
            errors++;
            return;
        }
        if ((i & 63) == 0)
            checksum = (checksum ^ s->p[i]) * 0x100000001b3ULL;
    }
}

static size_t random_size(void)
{
    uint64_t r = rng();
    switch (r % 128) {
    case 0:                                  /* large: 128 KiB .. 384 KiB */
        n_large++;
        return 128 * 1024 + (size_t)((r >> 8) % (256 * 1024));
    case 1: case 2: case 3: case 4:          /* medium: up to 16 KiB */
        return 1 + (size_t)((r >> 8) % (16 * 1024));
    default:                                 /* small: 1 B .. 4 KiB */
        return 1 + (size_t)((r >> 8) % 4096);
    }
}

static void check_pointer(const void *p)
{
    if (((uintptr_t)p & 15) != 0)
        errors++;
}

int main(void)
{
    unsigned gen = 0;

    for (int op = 0; op < OPS; op++) {
        struct slot *s = &slots[rng() % SLOTS];
        unsigned what = (unsigned)(rng() % 8);

        if (s->p == NULL) {
            s->size = random_size();
            s->gen = ++gen;
            if (what == 0) {                 /* calloc: must be zeroed */
                s->p = calloc(1, s->size);
                n_calloc++;
                if (s->p)
                    for (size_t i = 0; i < s->size; i++)
                        if (s->p[i] != 0) {
                            errors++;
                            break;
                        }
            } else {
                s->p = malloc(s->size);
                n_malloc++;
            }
            if (s->p == NULL) {
                errors++;
                continue;
            }
            check_pointer(s->p);
            bytes_handed_out += s->size;
            fill(s, 0);
        } else if (what < 3) {               /* realloc to a new size */
            size_t old = s->size, size = random_size();
            verify(s, old);
            unsigned char *q = realloc(s->p, size);
            n_realloc++;
            if (q == NULL) {
                errors++;
                continue;
            }
            check_pointer(q);
            s->p = q;
            s->size = size;
            verify(s, old < size ? old : size);  /* contents kept */
            fill(s, old < size ? old : size);
            bytes_handed_out += size;
        } else {                             /* free */
            verify(s, s->size);
            free(s->p);
            n_free++;
            s->p = NULL;
        }
    }

    size_t live = 0, live_bytes = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            verify(&slots[i], slots[i].size);
            live++;
            live_bytes += slots[i].size;
            free(slots[i].p);
            n_free++;
        }
    }

    printf("malloc_stress: %d operations over %d slots\n", OPS, SLOTS);
    printf("malloc %lu, calloc %lu, realloc %lu, free %lu (large blocks %lu)\n",
           n_malloc, n_calloc, n_realloc, n_free, n_large);
    printf("bytes handed out %llu, live at end %zu blocks / %zu bytes\n",
           bytes_handed_out, live, live_bytes);
    printf("checksum %016llx\n", (unsigned long long)checksum);
    printf("errors %lu\n", errors);
    return errors ? 1 : 0;
}
