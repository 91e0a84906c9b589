/*
 * alloc64.c - 64 MiB of memory through the two ways a process gets it:
 *
 *   brk   (32 MiB): grow the break, write every page with a pattern, read it
 *         back, shrink the break back and check that it went down and that
 *         the released pages are gone;
 *   mmap  (32 MiB, MAP_PRIVATE|MAP_ANONYMOUS): pages start zeroed, touch
 *         every page, read back, mprotect one page PROT_READ, munmap the whole
 *         range, and the error cases: munmap of an unaligned address and mmap
 *         of length 0 give EINVAL; a PROT_NONE mapping made RW by mprotect
 *         can then be written.
 *
 * brk is called through syscall(SYS_brk, ...), not brk()/sbrk(): musl's
 * brk() and sbrk(n != 0) always fail with ENOMEM by design, and glibc's sbrk
 * caches the break. Nothing is printed while the break is raised, so stdio
 * cannot allocate from it. Whether an address is mapped is tested with
 * mprotect, which fails with ENOMEM on unmapped pages.
 *
 * Prints "ok NAME" or "FAIL NAME (detail)" per check; exits 0 if all passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MiB (1024UL * 1024UL)
#define PAGE 4096UL
#define AREA (32 * MiB)

static int failures;

static void result(int ok, const char *name, const char *detail, int err)
{
    if (ok) {
        printf("ok %s\n", name);
    } else {
        failures++;
        printf("FAIL %s (%s", name, detail);
        if (err)
            printf(", errno %d %s", err, strerror(err));
        printf(")\n");
    }
}

static uint64_t pattern(uintptr_t offset, uint64_t seed)
{
    return (offset * 0x9e3779b97f4a7c15ULL) ^ seed;
}

/* Writes the pattern into the first and last word of every page, and one
 * word in the middle, so every page is touched (and faulted in). */
static void fill(char *p, size_t len, uint64_t seed)
{
    for (size_t off = 0; off < len; off += PAGE) {
        size_t words[3] = { off, off + PAGE / 2, off + PAGE - 8 };
        for (int i = 0; i < 3; i++)
            *(volatile uint64_t *)(p + words[i]) = pattern(words[i], seed);
    }
}

static size_t verify(const char *p, size_t len, uint64_t seed)
{
    size_t bad = 0;
    for (size_t off = 0; off < len; off += PAGE) {
        size_t words[3] = { off, off + PAGE / 2, off + PAGE - 8 };
        for (int i = 0; i < 3; i++)
            if (*(const volatile uint64_t *)(p + words[i]) != pattern(words[i], seed))
                bad++;
    }
    return bad;
}

static int is_mapped(void *page)
{
    /* mprotect to the same protection we do not know; PROT_READ is harmless
     * for the pages this is used on, and fails with ENOMEM if unmapped. */
    return mprotect(page, PAGE, PROT_READ) == 0 || errno != ENOMEM;
}

static void test_brk(void)
{
    /* Results are gathered first and printed after the break is restored. */
    uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
    uintptr_t want = cur + AREA;
    uintptr_t got = (uintptr_t)syscall(SYS_brk, want);
    int grew = got == want;
    size_t bad = 0;
    if (grew) {
        /* the whole pages of the new area */
        char *start = (char *)((cur + PAGE - 1) & ~(PAGE - 1));
        size_t len = (want & ~(PAGE - 1)) - (uintptr_t)start;
        fill(start, len, 0xb4b4);
        bad = verify(start, len, 0xb4b4);
    }
    uintptr_t back = (uintptr_t)syscall(SYS_brk, cur);
    uintptr_t now = (uintptr_t)syscall(SYS_brk, 0);
    /* a page well inside the released area must no longer be mapped */
    void *released = (void *)(((cur + PAGE - 1) & ~(PAGE - 1)) + 16 * PAGE);
    int gone = grew && !is_mapped(released);

    result(cur != 0, "brk_query", "brk(0) returned 0", 0);
    result(grew, "brk_grow_32MiB", "brk(cur + 32 MiB) did not return the new break", 0);
    result(grew && bad == 0, "brk_pattern", "pattern read back differs", 0);
    result(back == cur && now == cur, "brk_shrink", "break did not go back down", 0);
    result(gone, "brk_released", "released pages are still mapped", 0);
}

static void test_mmap(void)
{
    char *p = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int mapped = p != MAP_FAILED;
    result(mapped, "mmap_32MiB", "mmap failed", mapped ? 0 : errno);
    if (!mapped)
        return;
    result(((uintptr_t)p & (PAGE - 1)) == 0, "mmap_aligned", "not page-aligned", 0);

    size_t nonzero = 0;
    for (size_t off = 0; off < AREA; off += PAGE / 4)
        if (*(volatile uint64_t *)(p + off))
            nonzero++;
    result(nonzero == 0, "mmap_zeroed", "anonymous memory not zero", 0);

    fill(p, AREA, 0x3a3a);
    result(verify(p, AREA, 0x3a3a) == 0, "mmap_pattern", "pattern read back differs", 0);

    char *ro = p + 100 * PAGE;
    int r = mprotect(ro, PAGE, PROT_READ);
    result(r == 0, "mprotect_read", "mprotect(PROT_READ) failed", r ? errno : 0);
    result(*(volatile uint64_t *)ro == pattern(100 * PAGE, 0x3a3a), "mprotect_readable",
           "read-only page lost its data", 0);

    r = munmap(p, AREA);
    result(r == 0, "munmap", "munmap failed", r ? errno : 0);
    result(!is_mapped(p + 7 * PAGE), "munmap_released", "pages still mapped after munmap", 0);

    errno = 0;
    r = munmap(p + 1, PAGE);
    result(r == -1 && errno == EINVAL, "munmap_unaligned_einval", "expected EINVAL", errno);

    errno = 0;
    void *z = mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result(z == MAP_FAILED && errno == EINVAL, "mmap_len0_einval", "expected EINVAL", errno);

    char *n = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result(n != MAP_FAILED, "mmap_prot_none", "mmap(PROT_NONE) failed", n == MAP_FAILED ? errno : 0);
    if (n == MAP_FAILED)
        return;
    r = mprotect(n, 2 * PAGE, PROT_READ | PROT_WRITE);
    result(r == 0, "mprotect_none_to_rw", "mprotect(PROT_READ|PROT_WRITE) failed", r ? errno : 0);
    if (r == 0) {
        memset(n, 0x5a, 2 * PAGE);
        result(n[0] == 0x5a && n[2 * PAGE - 1] == 0x5a, "prot_none_then_rw_write",
               "data written after mprotect differs", 0);
    }
    r = munmap(n, 2 * PAGE);
    result(r == 0, "munmap_small", "munmap failed", r ? errno : 0);
}

int main(void)
{
    test_brk();
    test_mmap();
    printf(failures ? "alloc64: %d FAILED\n" : "alloc64: all ok\n", failures);
    return failures ? 1 : 0;
}
