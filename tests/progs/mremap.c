/*
 * mremap.c - mremap as Linux does it: growing in place when there is room,
 * ENOMEM without MREMAP_MAYMOVE when there is not, moving with the data,
 * shrinking, MREMAP_FIXED, the argument errors, glibc's realloc of large
 * blocks, and a file mapping that grows; msync on what is and is not mapped.
 * Prints deterministic lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#define PAGE 4096
static void show(const char *what, void *p)
{
    if (p == MAP_FAILED) printf("%s: %s\n", what, strerror(errno));
    else printf("%s: ok\n", what);
}
int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* a hole after the mapping: grows in place */
    char *area = mmap(NULL, 16 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area, 16 * PAGE);
    char *a = mmap(area, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    memset(a, 'a', 2 * PAGE);
    char *g = mremap(a, 2 * PAGE, 4 * PAGE, 0);
    printf("grown in place: %d, old bytes %c, new bytes %d\n", g == a, g[PAGE + 5], g[3 * PAGE]);
    /* blocked: without MAYMOVE ENOMEM, with it moves */
    char *blocker = mmap(a + 4 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    (void)blocker;
    show("grow blocked without MREMAP_MAYMOVE", mremap(a, 4 * PAGE, 8 * PAGE, 0));
    char *m = mremap(a, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    printf("moved: %d, bytes kept %c %c, new %d\n", m != a, m[0], m[2 * PAGE - 1], m[7 * PAGE]);
    printf("old address gone: %d\n", msync(a, PAGE, 0) == -1 && errno == ENOMEM);
    /* shrink */
    char *s = mremap(m, 8 * PAGE, 3 * PAGE, 0);
    printf("shrunk in place: %d, tail gone: %d\n", s == m, msync(m + 3 * PAGE, PAGE, 0) == -1);
    /* fixed */
    char *target = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *f = mremap(s, 3 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    printf("fixed: %d %c\n", f == target, f[1]);
    /* errors */
    show("unaligned", mremap(f + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    show("FIXED without MAYMOVE", mremap(f, PAGE, 2 * PAGE, MREMAP_FIXED, a));
    show("bad flags", mremap(f, PAGE, 2 * PAGE, 0x80));
    show("new size 0", mremap(f, PAGE, 0, MREMAP_MAYMOVE));
    show("not mapped", mremap(a, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    show("beyond the mapping", mremap(f, 5 * PAGE, 6 * PAGE, MREMAP_MAYMOVE));
    show("overlapping FIXED", mremap(f, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, f + PAGE));
    /* realloc of a big block uses mremap in glibc */
    size_t n = 1 << 20;
    char *big = malloc(n);
    memset(big, 7, n);
    for (int i = 0; i < 6; i++) {
        n *= 2;
        big = realloc(big, n);
        big[n - 1] = 1;
    }
    long sum = 0;
    for (size_t i = 0; i < (1 << 20); i++) sum += big[i];
    printf("realloc to %zu MiB keeps the data: %ld\n", n >> 20, sum);
    free(big);
    /* a private file mapping moves with its file */
    FILE *t = tmpfile();
    for (int i = 0; i < 3 * PAGE; i++) fputc('A' + i % 26, t);
    fflush(t);
    char *fm = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fileno(t), 0);
    char *fm2 = mremap(fm, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE);
    printf("file mapping grown: %c %c\n", fm2[1], fm2[2 * PAGE + 1]);
    return 0;
}
