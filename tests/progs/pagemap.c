/*
 * pagemap.c - /proc/PID/smaps, smaps_rollup and pagemap in Linux's formats,
 * where they are deterministic: the field names and their order, the sizes
 * of a mapping this program made (four pages, two of them written), and
 * pagemap's bits for those pages and for the program's own code. The output
 * is compared with the Linux host's (run as root: frame numbers shown).
 *
 *   - pagemap: 8 bytes per page at (address / page size) * 8; EINVAL for an
 *     offset or a count that is not a multiple of 8; nothing past the top of
 *     user space; present (63), exclusive (56), file (61), soft-dirty (55);
 *   - a process without CAP_SYS_ADMIN reads frame numbers as 0.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define PAGES 4
#define PM_PRESENT (1ull << 63)
#define PM_FILE (1ull << 61)
#define PM_EXCLUSIVE (1ull << 56)
#define PM_SOFT_DIRTY (1ull << 55)
#define PM_PFN ((1ull << 55) - 1)
#if defined(__x86_64__)
#define USER_TOP 0x7ffffffff000ull
#else
#define USER_TOP 0xffffe000ull
#endif
#define MAX_TEXT (1 << 20)

static char *slurp(const char *path)
{
    char *buf = malloc(MAX_TEXT);
    int fd = open(path, O_RDONLY);
    size_t len = 0;
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf + len, MAX_TEXT - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = 0;
    if (fd >= 0)
        close(fd);
    return buf;
}

/* A field line is "Name:" then spaces and a value; a mapping's line is not. */
static int is_field(const char *line)
{
    const char *colon = strchr(line, ':'), *space = strchr(line, ' ');
    return colon && (!space || colon < space);
}

static void show_smaps(uintptr_t mine)
{
    char *text = slurp("/proc/self/smaps");
    char first[2048] = "", current[2048] = "";
    int blocks = 0, consistent = 1, found = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (!is_field(line)) {
            if (blocks == 1)
                strcpy(first, current);
            else if (blocks > 1 && strcmp(current, first) != 0)
                consistent = 0;
            blocks++;
            current[0] = 0;
            found = strtoull(line, NULL, 16) == mine;
            if (found)
                printf("mine: %s\n", strchr(line, ' ') + 1);
            continue;
        }
        strncat(current, line, strcspn(line, ":") + 1);
        if (found && (!strncmp(line, "Size:", 5) || !strncmp(line, "Rss:", 4) || !strncmp(line, "Anonymous:", 10) ||
                      !strncmp(line, "Private_Dirty:", 14) || !strncmp(line, "Swap:", 5) ||
                      !strncmp(line, "VmFlags:", 8) || !strncmp(line, "KernelPageSize:", 15)))
            printf("mine: %s\n", line);
    }
    if (blocks == 1)
        strcpy(first, current);
    else if (strcmp(current, first) != 0)
        consistent = 0;
    printf("smaps fields: %s\n", first);
    printf("smaps: every mapping has them: %s\n", consistent ? "yes" : "no");
    free(text);

    text = slurp("/proc/self/smaps_rollup");
    char *line = strtok(text, "\n");
    printf("rollup: %s\n", line && strstr(line, " ---p 00000000 00:00 0 ") && strstr(line, "[rollup]") ? "header" : "no header");
    current[0] = 0;
    while ((line = strtok(NULL, "\n")))
        strncat(current, line, strcspn(line, ":") + 1);
    printf("rollup fields: %s\n", current);
    free(text);
}

static const char *pread_result(int fd, void *buf, size_t len, off_t off)
{
    static char out[64];
    ssize_t n = pread(fd, buf, len, off);
    if (n < 0)
        snprintf(out, sizeof(out), "%s", strerror(errno));
    else
        snprintf(out, sizeof(out), "%zd bytes", n);
    return out;
}

static void show_entry(const char *what, uint64_t e)
{
    printf("%s: present %d exclusive %d file %d soft-dirty %d pfn %s\n", what, !!(e & PM_PRESENT),
           !!(e & PM_EXCLUSIVE), !!(e & PM_FILE), !!(e & PM_SOFT_DIRTY), e & PM_PFN ? "shown" : "0");
}

static void show_pagemap(unsigned char *mine)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0) {
        perror("pagemap");
        return;
    }
    uint64_t entries[PAGES];
    off_t at = (off_t)((uintptr_t)mine / PAGE * 8);
    printf("read 4 entries: %s\n", pread_result(fd, entries, sizeof(entries), at));
    uint64_t written = entries[0];
    for (int i = 0; i < PAGES; i++) {
        char what[32];
        snprintf(what, sizeof(what), "page %d (%s)", i, i % 2 ? "untouched" : "written");
        show_entry(what, entries[i]);
    }
    uint64_t code;
    pread(fd, &code, sizeof(code), (off_t)((uintptr_t)show_pagemap / PAGE * 8));
    printf("code: present %d file %d\n", !!(code & PM_PRESENT), !!(code & PM_FILE));
    printf("unaligned offset: %s\n", pread_result(fd, entries, 8, at + 4));
    printf("unaligned count: %s\n", pread_result(fd, entries, 12, at));
    printf("count 0: %s\n", pread_result(fd, entries, 0, at));
    printf("at the top: %s\n", pread_result(fd, entries, 8, (off_t)(USER_TOP / PAGE * 8)));
    printf("across the top: %s\n", pread_result(fd, entries, 16, (off_t)(USER_TOP / PAGE * 8 - 8)));
    lseek(fd, at, SEEK_SET);
    printf("read after lseek: %zd bytes, same %s\n", read(fd, &code, 8), code == written ? "yes" : "no");
    printf("position after: %s\n", lseek(fd, 0, SEEK_CUR) == at + 8 ? "moved 8" : "elsewhere");
    close(fd);
}

/* Without CAP_SYS_ADMIN (an ordinary user, still able to open its own
 * pagemap once it is dumpable again), frame numbers read as 0. */
static void show_unprivileged(unsigned char *mine)
{
    pid_t child = fork();
    if (child == 0) {
        if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) {
            perror("setresuid");
            _exit(1);
        }
        prctl(PR_SET_DUMPABLE, 1);
        mine[0] = 2; /* the child's own copy */
        int fd = open("/proc/self/pagemap", O_RDONLY);
        if (fd < 0) {
            perror("pagemap as nobody");
            _exit(1);
        }
        uint64_t e = 0;
        pread(fd, &e, sizeof(e), (off_t)((uintptr_t)mine / PAGE * 8));
        show_entry("unprivileged, written", e);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* Between two inaccessible pages, so that Linux merges it with no neighbour. */
    unsigned char *reserved = mmap(NULL, (PAGES + 2) * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (reserved == MAP_FAILED)
        return 1;
    unsigned char *mine = reserved + PAGE;
    if (mprotect(mine, PAGES * PAGE, PROT_READ | PROT_WRITE))
        return 1;
    mine[0] = 1;
    mine[2 * PAGE] = 1;
    show_smaps((uintptr_t)mine);
    show_pagemap(mine);
    if (geteuid() == 0)
        show_unprivileged(mine);
    return 0;
}
