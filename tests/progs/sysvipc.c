/*
 * sysvipc.c - System V shared memory with Linux's semantics: shmget's key
 * rules and errors, shmat's placement flags (SHM_RND, SHM_REMAP,
 * SHM_RDONLY, SHM_EXEC), shmdt's notion of an attach start, the attach
 * count across fork, a segment removed while attached, the shmctl
 * commands in the calling ABI's layouts, and the permission checks as an
 * unprivileged user. Semaphores: semget's rules, SETVAL/SETALL and their
 * ERANGE, semop's errors, blocking operations woken by a change, by
 * removal (EIDRM) and by a signal (EINTR), the wait counts, semtimedop's
 * timeout, SEM_UNDO at exit. Message queues: msgrcv's choice by type
 * (0, >0, <0, MSG_EXCEPT), MSG_NOERROR and E2BIG, MSG_COPY, the byte limit,
 * blocking senders and receivers, removal. On i386 the same through the direct calls as well as
 * glibc's ipc(). Prints only what is the same on every run: no ids, times
 * or pids; keys come from ftok of a fresh temporary file, and everything
 * made is removed. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <signal.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SHM_EXEC
#define SHM_EXEC 0100000
#endif
#ifndef SHM_DEST
#define SHM_DEST 01000
#endif
#ifndef SHM_LOCKED
#define SHM_LOCKED 02000
#endif

#define PAGE 4096
#define NOBODY 65534

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "ok";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case ENOENT: return "ENOENT";
    case EPERM: return "EPERM";
    case EIDRM: return "EIDRM";
    case ENOMEM: return "ENOMEM";
    case ENOSPC: return "ENOSPC";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    case EAGAIN: return "EAGAIN";
    case ERANGE: return "ERANGE";
    case E2BIG: return "E2BIG";
    case EFBIG: return "EFBIG";
    case EINTR: return "EINTR";
    case ENOMSG: return "ENOMSG";
    default: return strerror(e);
    }
}

static void show(const char *what, long result)
{
    printf("%s: %s\n", what, result == -1 ? err_name(errno) : "ok");
}

static void *attach(int id, const void *addr, int flags)
{
    void *p = shmat(id, addr, flags);
    return p == (void *)-1 ? NULL : p;
}

static void show_attach(const char *what, void *result)
{
    printf("%s: %s\n", what, result == (void *)-1 ? err_name(errno) : "ok");
}

/* What IPC_STAT says that is the same on every run. */
static void show_stat(const char *what, int id)
{
    struct shmid_ds ds;
    memset(&ds, 0xa5, sizeof(ds));
    if (shmctl(id, IPC_STAT, &ds) == -1) {
        printf("%s: stat %s\n", what, err_name(errno));
        return;
    }
    printf("%s: size %lu mode %o nattch %lu private %d owner-is-me %d creator-is-me %d cpid-is-me %d\n", what,
           (unsigned long)ds.shm_segsz, (unsigned)ds.shm_perm.mode, (unsigned long)ds.shm_nattch,
           ds.shm_perm.__key == IPC_PRIVATE, ds.shm_perm.uid == geteuid() && ds.shm_perm.gid == getegid(),
           ds.shm_perm.cuid == geteuid() && ds.shm_perm.cgid == getegid(), ds.shm_cpid == getpid());
}

static unsigned long nattch(int id)
{
    struct shmid_ds ds;
    return shmctl(id, IPC_STAT, &ds) == -1 ? 999 : (unsigned long)ds.shm_nattch;
}

/* A page-aligned address with `pages` free pages there. */
static char *free_area(size_t pages)
{
    char *p = mmap(NULL, pages * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p, pages * PAGE);
    return p;
}

static void attach_and_detach(void)
{
    int id = shmget(IPC_PRIVATE, 3 * PAGE - 100, IPC_CREAT | 0600);
    show("shmget private", id);
    show_stat("fresh", id);
    char *a = attach(id, NULL, 0);
    printf("attach: %s, zeroed %d\n", a ? "ok" : err_name(errno), a && a[0] == 0 && a[3 * PAGE - 101] == 0);
    strcpy(a, "written through the first attach");
    char *b = attach(id, NULL, SHM_RDONLY);
    printf("second attach read-only: %s, sees \"%s\"\n", b ? "ok" : err_name(errno), b ? b : "");
    printf("nattch with two attaches: %lu\n", nattch(id));
    show("mprotect PROT_WRITE on the read-only attach", mprotect(b, PAGE, PROT_READ | PROT_WRITE));
    show("mprotect PROT_READ on the writable attach's middle page", mprotect(a + PAGE, PAGE, PROT_READ));
    printf("nattch once mprotect split the mapping: %lu\n", nattch(id));
    show("mprotect back", mprotect(a + PAGE, PAGE, PROT_READ | PROT_WRITE));

    pid_t child = fork();
    if (child == 0) {
        printf("child: nattch after fork %lu\n", nattch(id));
        strcpy(a, "written by the child");
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("parent sees \"%s\", nattch after the child exited %lu\n", a, nattch(id));

    show("shmdt of an address inside the attach", shmdt(a + PAGE));
    show("shmdt of an unaligned address", shmdt(a + 1));
    show("shmdt of the read-only attach", shmdt(b));
    show("shmdt of it again", shmdt(b));
    printf("nattch: %lu\n", nattch(id));
    show("munmap of the attach", munmap(a, 3 * PAGE));
    printf("nattch after munmap: %lu\n", nattch(id));

    char *where = free_area(4);
    show_attach("shmat unaligned without SHM_RND", shmat(id, where + 123, 0));
    char *rounded = attach(id, where + 123, SHM_RND);
    printf("shmat unaligned with SHM_RND: %s, at the rounded address %d\n", rounded ? "ok" : err_name(errno),
           rounded == where);
    printf("still holds \"%s\"\n", rounded ? rounded : "");
    show_attach("shmat over an attach without SHM_REMAP", shmat(id, where, 0));
    show_attach("shmat over a partly used range without SHM_REMAP", shmat(id, where + 2 * PAGE, 0));
    char *again = attach(id, where, SHM_REMAP);
    printf("shmat with SHM_REMAP: %s, same address %d\n", again ? "ok" : err_name(errno), again == where);
    show_attach("SHM_REMAP without an address", shmat(id, NULL, SHM_REMAP));
    printf("nattch: %lu\n", nattch(id));
    char *exec = attach(id, NULL, SHM_EXEC | SHM_RDONLY);
    printf("SHM_EXEC: %s\n", exec ? "ok" : err_name(errno));
    show("shmdt", shmdt(where));
    show("shmdt SHM_EXEC attach", shmdt(exec));

    show("IPC_RMID", shmctl(id, IPC_RMID, NULL));
    show("IPC_STAT of the removed segment", shmctl(id, IPC_STAT, &(struct shmid_ds){0}));
}

/* /proc/sysvipc/NAME: its header, and the columns of the line with `key` given by `columns` (1-based). */
static void show_proc_line(const char *name, key_t key, const int *columns, int ncolumns)
{
    char path[64], line[512];
    snprintf(path, sizeof(path), "/proc/sysvipc/%s", name);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: %s\n", path, err_name(errno));
        return;
    }
    if (fgets(line, sizeof(line), f))
        printf("%s header: %s", path, line);
    int found = 0;
    while (fgets(line, sizeof(line), f)) {
        char copy[512];
        strcpy(copy, line);
        char *words[20];
        int n = 0;
        for (char *w = strtok(copy, " \n"); w && n < 20; w = strtok(NULL, " \n"))
            words[n++] = w;
        if (n < 2 || atoi(words[0]) != key)
            continue;
        found++;
        printf("%s line:", path);
        for (int i = 0; i < ncolumns; i++)
            printf(" %s", columns[i] <= n ? words[columns[i] - 1] : "?");
        printf(" (%d columns)\n", n);
    }
    printf("%s lines with the key: %d\n", path, found);
    fclose(f);
}

static void keys(key_t key)
{
    show("shmget of an absent key", shmget(key, PAGE, 0600));
    show("IPC_CREAT with size 0", shmget(key, 0, IPC_CREAT | 0600));
    int id = shmget(key, 2 * PAGE, IPC_CREAT | IPC_EXCL | 0640);
    show("IPC_CREAT | IPC_EXCL", id);
    show_stat("keyed", id);
    printf("key as given %d\n", ({
               struct shmid_ds ds;
               shmctl(id, IPC_STAT, &ds);
               ds.shm_perm.__key == key;
           }));
    show_proc_line("shm", key, (const int[]){3, 4, 7}, 3); /* perms, size, nattch */
    show("IPC_CREAT | IPC_EXCL again", shmget(key, 2 * PAGE, IPC_CREAT | IPC_EXCL | 0640));
    printf("shmget again, same id: %d\n", shmget(key, PAGE, 0) == id);
    printf("shmget IPC_CREAT again, same id: %d\n", shmget(key, 2 * PAGE, IPC_CREAT | 0600) == id);
    show("shmget larger than the segment", shmget(key, 3 * PAGE, 0));
    show("shmget asking for more than mode gives", shmget(key, PAGE, 0777)); /* root: allowed */

    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    ds.shm_perm.mode = 0400 | 01000;
    show("IPC_SET mode 0400 (and a bit outside the permissions)", shmctl(id, IPC_SET, &ds));
    show_stat("after IPC_SET", id);
    ds.shm_perm.uid = (uid_t)-1;
    show("IPC_SET uid -1", shmctl(id, IPC_SET, &ds));
#ifndef __i386__ /* glibc on i386 converts the structure itself: a bad pointer faults in the library */
    show("IPC_SET bad pointer", shmctl(id, IPC_SET, (struct shmid_ds *)8));
    show("IPC_STAT bad pointer", shmctl(id, IPC_STAT, (struct shmid_ds *)8));
#endif

    show("SHM_LOCK", shmctl(id, SHM_LOCK, NULL));
    shmctl(id, IPC_STAT, &ds);
    printf("locked mark %d\n", !!(ds.shm_perm.mode & SHM_LOCKED));
    show("SHM_UNLOCK", shmctl(id, SHM_UNLOCK, NULL));
    shmctl(id, IPC_STAT, &ds);
    printf("locked mark %d\n", !!(ds.shm_perm.mode & SHM_LOCKED));

    printf("SHM_STAT gives the id: %d\n", shmctl(id % 32768, SHM_STAT, &ds) == id);
    printf("SHM_STAT_ANY gives the id: %d\n", shmctl(id % 32768, SHM_STAT_ANY, &ds) == id);
    show("IPC_STAT of a stale id", shmctl(id + 32768, IPC_STAT, &ds));
    show("IPC_STAT of id -1", shmctl(-1, IPC_STAT, &ds));
    show("unknown command", shmctl(id, 99, &ds));

    /* Removed while attached: alive, private, marked; gone with its last attach. */
    char *p = attach(id, NULL, SHM_RDONLY);
    show("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
    show_stat("removed while attached", id);
    show("shmget of its key now", shmget(key, PAGE, 0));
    char *q = attach(id, NULL, SHM_RDONLY);
    printf("shmat of the removed segment: %s\n", q ? "ok" : err_name(errno));
    printf("nattch: %lu\n", nattch(id));
    show("IPC_RMID again", shmctl(id, IPC_RMID, NULL));
    shmdt(q);
    shmdt(p);
    show("IPC_STAT once the last attach went", shmctl(id, IPC_STAT, &ds));
    show("shmat once it went", (long)(shmat(id, NULL, 0) == (void *)-1 ? -1 : 0));
}

static void info(void)
{
    int id = shmget(IPC_PRIVATE, PAGE, 0600);
    struct shminfo limits;
    memset(&limits, 0, sizeof(limits));
    int max = shmctl(0, IPC_INFO, (struct shmid_ds *)&limits);
    printf("IPC_INFO: %s shmmin %lu shmmni %lu shmseg %lu\n", max >= 0 ? "ok" : err_name(errno),
           (unsigned long)limits.shmmin, (unsigned long)limits.shmmni, (unsigned long)limits.shmseg);
    struct shm_info usage;
    memset(&usage, 0, sizeof(usage));
    max = shmctl(0, SHM_INFO, (struct shmid_ds *)&usage);
    printf("SHM_INFO: %s used_ids at least one %d max index covers ours %d\n", max >= 0 ? "ok" : err_name(errno),
           usage.used_ids >= 1, max >= id % 32768);
    shmctl(id, IPC_RMID, NULL);
}

/* As nobody: the permission bits decide, and only the owner controls. */
static void unprivileged(key_t key)
{
    int closed = shmget(IPC_PRIVATE, PAGE, 0600);
    int open_to_all = shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0604);
    pid_t child = fork();
    if (child == 0) {
        if (setgid(NOBODY) || setuid(NOBODY)) {
            printf("cannot become nobody\n");
            _exit(1);
        }
        struct shmid_ds ds;
        show_attach("nobody: shmat of a 0600 segment", shmat(closed, NULL, SHM_RDONLY));
        show("nobody: IPC_STAT of a 0600 segment", shmctl(closed, IPC_STAT, &ds));
        show("nobody: SHM_STAT of a 0600 segment", shmctl(closed % 32768, SHM_STAT, &ds));
        printf("nobody: SHM_STAT_ANY of a 0600 segment: %d\n", shmctl(closed % 32768, SHM_STAT_ANY, &ds) == closed);
        show("nobody: IPC_RMID of root's segment", shmctl(closed, IPC_RMID, NULL));
        show("nobody: IPC_SET of root's segment", shmctl(closed, IPC_SET, &ds));
        show("nobody: SHM_LOCK of root's segment", shmctl(closed, SHM_LOCK, NULL));
        show("nobody: shmget of a 0604 key for reading", shmget(key, PAGE, 0004));
        show("nobody: shmget of a 0604 key for writing", shmget(key, PAGE, 0002));
        show_attach("nobody: read-only shmat of a 0604 segment", shmat(open_to_all, NULL, SHM_RDONLY));
        show_attach("nobody: writable shmat of a 0604 segment", shmat(open_to_all, NULL, 0));
        show_attach("nobody: SHM_EXEC shmat of a 0604 segment", shmat(open_to_all, NULL, SHM_RDONLY | SHM_EXEC));
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    shmctl(closed, IPC_RMID, NULL);
    shmctl(open_to_all, IPC_RMID, NULL);
}


union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
    struct seminfo *__buf;
};

static int semval(int id, int num) { return semctl(id, num, GETVAL); }

static int semop1(int id, unsigned short num, short op, short flags)
{
    struct sembuf sop = {num, op, flags};
    return semop(id, &sop, 1);
}

/* Until `count` tasks wait on semaphore `num` (GETNCNT, or GETZCNT): the order the test needs, not a time. */
static void wait_for_sleepers(int id, int num, int cmd, int count)
{
    while (semctl(id, num, cmd) < count)
        usleep(1000);
}

static void on_usr1(int sig) { (void)sig; }

static void semaphores(key_t key)
{
    show("semget 0 semaphores", semget(IPC_PRIVATE, 0, 0600));
    show("semget 32001 semaphores", semget(IPC_PRIVATE, 32001, 0600));
    show("semget -1 semaphores", semget(IPC_PRIVATE, -1, 0600));
    int id = semget(key, 3, IPC_CREAT | IPC_EXCL | 0600);
    show("semget keyed", id);
    show("semget again with more semaphores", semget(key, 4, 0));
    printf("semget again, fewer, same id: %d\n", semget(key, 2, 0) == id);
    show("semget IPC_EXCL again", semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));
    struct semid_ds ds;
    show("IPC_STAT", semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("nsems %lu mode %o key as given %d owner-is-me %d\n", (unsigned long)ds.sem_nsems,
           (unsigned)ds.sem_perm.mode, ds.sem_perm.__key == key, ds.sem_perm.uid == geteuid());
    printf("fresh values: %d %d %d\n", semval(id, 0), semval(id, 1), semval(id, 2));
    show_proc_line("sem", key, (const int[]){3, 4}, 2); /* perms, nsems */

    show("SETVAL 5", semctl(id, 0, SETVAL, (union semun){.val = 5}));
    printf("GETVAL %d\n", semval(id, 0));
    printf("GETPID is me %d\n", semctl(id, 0, GETPID) == getpid());
    show("SETVAL 32768", semctl(id, 0, SETVAL, (union semun){.val = 32768}));
    show("SETVAL -1", semctl(id, 0, SETVAL, (union semun){.val = -1}));
    show("SETVAL of semaphore 3", semctl(id, 3, SETVAL, (union semun){.val = 1}));
    show("GETVAL of semaphore -1", semctl(id, -1, GETVAL));
    unsigned short values[3] = {1, 2, 32767}, back[3] = {0};
    show("SETALL", semctl(id, 0, SETALL, (union semun){.array = values}));
    show("GETALL", semctl(id, 0, GETALL, (union semun){.array = back}));
    printf("values %u %u %u\n", back[0], back[1], back[2]);
    unsigned short too_big[3] = {1, 40000, 1};
    show("SETALL 40000", semctl(id, 0, SETALL, (union semun){.array = too_big}));
    printf("values unchanged: %d %d %d\n", semval(id, 0), semval(id, 1), semval(id, 2));
    show("unknown command", semctl(id, 0, 99));

    show("semop -1", semop1(id, 0, -1, 0));
    show("semop -1 IPC_NOWAIT on 0", semop1(id, 0, -1, IPC_NOWAIT));
    show("semop wait-for-zero IPC_NOWAIT on 2", semop1(id, 1, 0, IPC_NOWAIT));
    show("semop +1 past 32767", semop1(id, 2, 1, 0));
    show("semop on semaphore 3", semop1(id, 3, 1, 0));
    struct sembuf many[501];
    memset(many, 0, sizeof(many));
    show("semop of 501 operations", semop(id, many, 501));
    show("semop of 0 operations", semop(id, many, 0));
    show("semop of a bad id", semop1(-1, 0, 1, 0));
    struct sembuf pair[2] = {{1, -2, 0}, {0, 1, IPC_NOWAIT}};
    show("two operations, both possible", semop(id, pair, 2));
    printf("values %d %d %d\n", semval(id, 0), semval(id, 1), semval(id, 2));
    struct sembuf all_or_none[2] = {{0, 1, 0}, {1, -1, IPC_NOWAIT}};
    show("two operations, the second blocks", semop(id, all_or_none, 2));
    printf("values unchanged %d %d %d\n", semval(id, 0), semval(id, 1), semval(id, 2));
    struct timespec short_wait = {0, 1000000}, bad_wait = {0, 1000000000};
    show("semtimedop times out", semtimedop(id, &(struct sembuf){1, -1, 0}, 1, &short_wait));
    show("semtimedop bad timeout", semtimedop(id, &(struct sembuf){1, -1, 0}, 1, &bad_wait));

    /* Woken by a change: the child waits for 2 on semaphore 1; two +1s wake it. */
    pid_t child = fork();
    if (child == 0) {
        int r = semop1(id, 1, -2, 0);
        printf("child: woken, semop %s, value now %d\n", r ? err_name(errno) : "ok", semval(id, 1));
        _exit(0);
    }
    wait_for_sleepers(id, 1, GETNCNT, 1);
    printf("GETNCNT %d GETZCNT %d\n", semctl(id, 1, GETNCNT), semctl(id, 1, GETZCNT));
    semop1(id, 1, 1, 0);
    printf("after one +1: GETNCNT %d value %d\n", semctl(id, 1, GETNCNT), semval(id, 1));
    semop1(id, 1, 1, 0);
    waitpid(child, NULL, 0);

    /* Wait-for-zero, woken by SETVAL 0. */
    semctl(id, 2, SETVAL, (union semun){.val = 4});
    child = fork();
    if (child == 0) {
        int r = semop1(id, 2, 0, 0);
        printf("child: zero reached, semop %s\n", r ? err_name(errno) : "ok");
        _exit(0);
    }
    wait_for_sleepers(id, 2, GETZCNT, 1);
    printf("GETZCNT %d\n", semctl(id, 2, GETZCNT));
    semctl(id, 2, SETVAL, (union semun){.val = 0});
    waitpid(child, NULL, 0);

    /* A signal ends the wait with EINTR, even with SA_RESTART. */
    child = fork();
    if (child == 0) {
        struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
        sigaction(SIGUSR1, &sa, NULL);
        int r = semop1(id, 1, -1, 0);
        printf("child: semop interrupted: %s\n", r ? err_name(errno) : "ok");
        _exit(0);
    }
    wait_for_sleepers(id, 1, GETNCNT, 1);
    kill(child, SIGUSR1);
    waitpid(child, NULL, 0);
    printf("GETNCNT after it left %d\n", semctl(id, 1, GETNCNT));

    /* SEM_UNDO: undone when the process exits, within 0..32767. */
    semctl(id, 0, SETVAL, (union semun){.val = 3});
    child = fork();
    if (child == 0) {
        semop1(id, 0, 2, SEM_UNDO);
        semop1(id, 0, -4, SEM_UNDO);
        semop1(id, 0, 1, 0);
        printf("child: value before exit %d\n", semval(id, 0));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("after the child's exit: %d\n", semval(id, 0));
    child = fork();
    if (child == 0) {
        semop1(id, 0, -2, SEM_UNDO);
        semctl(id, 0, SETVAL, (union semun){.val = 1}); /* SETVAL clears the adjustment */
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("after SETVAL cleared the adjustment: %d\n", semval(id, 0));
    child = fork();
    if (child == 0) {
        semop1(id, 0, -1, SEM_UNDO);
        semctl(id, 0, SETVAL, (union semun){.val = 32767});
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("an adjustment past 32767 stops there: %d\n", semval(id, 0));

    /* Removal wakes sleepers with EIDRM. */
    semctl(id, 1, SETVAL, (union semun){.val = 0});
    child = fork();
    if (child == 0) {
        int r = semop1(id, 1, -1, 0);
        printf("child: semop on a removed set: %s\n", r ? err_name(errno) : "ok");
        _exit(0);
    }
    wait_for_sleepers(id, 1, GETNCNT, 1);
    printf("SEM_STAT gives the id: %d\n", semctl(id % 32768, 0, SEM_STAT, (union semun){.buf = &ds}) == id);
    int removed = semctl(id, 0, IPC_RMID);
    waitpid(child, NULL, 0);
    show("IPC_RMID", removed);
    show("GETVAL of the removed set", semctl(id, 0, GETVAL));

    struct seminfo info;
    memset(&info, 0, sizeof(info));
    show("IPC_INFO", semctl(0, 0, IPC_INFO, (union semun){.__buf = &info}) < 0 ? -1 : 0);
    printf("semmni %d semmsl %d semopm %d semvmx %d semaem %d semume %d semusz %d\n", info.semmni, info.semmsl,
           info.semopm, info.semvmx, info.semaem, info.semume, info.semusz);

    int closed = semget(IPC_PRIVATE, 1, 0600);
    child = fork();
    if (child == 0) {
        if (setgid(NOBODY) || setuid(NOBODY))
            _exit(1);
        show("nobody: semop on a 0600 set", semop1(closed, 0, 1, 0));
        show("nobody: GETVAL on a 0600 set", semctl(closed, 0, GETVAL));
        show("nobody: IPC_RMID of root's set", semctl(closed, 0, IPC_RMID));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    semctl(closed, 0, IPC_RMID);
}

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif
#ifndef MSG_EXCEPT
#define MSG_EXCEPT 020000
#endif

struct message {
    long mtype;
    char mtext[64];
};

static int send_text(int id, long type, const char *text, int flags)
{
    struct message m = {.mtype = type};
    strcpy(m.mtext, text);
    return msgsnd(id, &m, strlen(text) + 1, flags);
}

static void show_receive(const char *what, int id, size_t size, long type, int flags)
{
    struct message m;
    memset(&m, 0, sizeof(m));
    ssize_t n = msgrcv(id, &m, size, type, flags);
    if (n < 0)
        printf("%s: %s\n", what, err_name(errno));
    else
        printf("%s: type %ld, %zd bytes \"%.*s\"\n", what, m.mtype, n, (int)n, m.mtext);
}

static void show_queue(const char *what, int id)
{
    struct msqid_ds ds;
    if (msgctl(id, IPC_STAT, &ds) == -1) {
        printf("%s: stat %s\n", what, err_name(errno));
        return;
    }
    printf("%s: qnum %lu cbytes %lu qbytes %lu mode %o\n", what, (unsigned long)ds.msg_qnum,
           (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, (unsigned)ds.msg_perm.mode);
}

/* Until the child sleeps (in the call the test waits on): an order, not a time. */
static void wait_asleep(pid_t child)
{
    for (;;) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
        FILE *f = fopen(path, "r");
        char state = 0;
        if (f) {
            if (fscanf(f, "%*d %*s %c", &state) != 1)
                state = 0;
            fclose(f);
        }
        if (state == 'S')
            return;
        usleep(1000);
    }
}

static void message_queues(key_t key)
{
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    show("msgget keyed", id);
    show("msgget IPC_EXCL again", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
    printf("msgget again, same id: %d\n", msgget(key, 0) == id);
    show("msgget of an absent key", msgget(key + 1 == IPC_PRIVATE ? key + 2 : key + 1, 0));
    show_queue("fresh", id);
    show("msgsnd type 0", send_text(id, 0, "x", 0));
    show("msgsnd of 8193 bytes", msgsnd(id, &(struct message){1, ""}, 8193, 0));
    send_text(id, 3, "three", 0);
    send_text(id, 1, "one", 0);
    send_text(id, 2, "two", 0);
    send_text(id, 1, "one again", 0);
    send_text(id, 5, "five", 0);
    show_queue("five queued", id);
    show_proc_line("msg", key, (const int[]){3, 4, 5}, 3); /* perms, cbytes, qnum */
    show_receive("MSG_COPY 2", id, 64, 2, MSG_COPY | IPC_NOWAIT);
    show_receive("MSG_COPY 9", id, 64, 9, MSG_COPY | IPC_NOWAIT);
    show_receive("MSG_COPY without IPC_NOWAIT", id, 64, 0, MSG_COPY);
    show_receive("MSG_COPY with MSG_EXCEPT", id, 64, 0, MSG_COPY | IPC_NOWAIT | MSG_EXCEPT);
    show_receive("too small a buffer", id, 2, 0, 0);
    show_receive("type 2", id, 64, 2, 0);
    show_receive("type -2 (lowest up to 2)", id, 64, -2, 0);
    show_receive("MSG_EXCEPT 1", id, 64, 1, MSG_EXCEPT);
    show_receive("MSG_NOERROR, 3 bytes", id, 3, 0, MSG_NOERROR);
    show_receive("type 0", id, 64, 0, 0);
    show_receive("type 4, IPC_NOWAIT", id, 64, 4, IPC_NOWAIT);
    show_receive("empty, IPC_NOWAIT", id, 64, 0, IPC_NOWAIT);
    show("msgrcv negative size", msgrcv(id, &(struct message){0}, (size_t)-1, 0, IPC_NOWAIT));
    show_queue("emptied", id);

    /* The byte limit: a full queue blocks its senders, or EAGAIN. */
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 100;
    show("IPC_SET msg_qbytes 100", msgctl(id, IPC_SET, &ds));
    char big[64];
    memset(big, 'b', sizeof(big));
    struct message m = {.mtype = 7};
    memcpy(m.mtext, big, 60);
    show("msgsnd 60 bytes", msgsnd(id, &m, 60, 0));
    show("msgsnd 60 more, IPC_NOWAIT", msgsnd(id, &m, 60, IPC_NOWAIT));
    pid_t child = fork();
    if (child == 0) {
        int r = msgsnd(id, &m, 60, 0);
        printf("child: blocked send %s\n", r ? err_name(errno) : "ok");
        _exit(0);
    }
    /* the child's send waits for room: receive once it is asleep (its message is not queued yet) */
    wait_asleep(child);
    ssize_t made_room = msgrcv(id, &m, 64, 0, 0);
    waitpid(child, NULL, 0);
    printf("receive to make room: %zd bytes\n", made_room);
    show_queue("after the blocked send", id);
    show_receive("its message", id, 64, 0, 0);

    /* A blocked receiver woken by a send of its type, and one woken by removal. */
    child = fork();
    if (child == 0) {
        show_receive("child: blocked receive of type 4", id, 64, 4, 0);
        show_receive("child: blocked receive on a queue then removed", id, 64, 4, 0);
        _exit(0);
    }
    wait_asleep(child);
    send_text(id, 2, "not for it", 0);
    send_text(id, 4, "for the child", 0);
    do {
        wait_asleep(child);
        msgctl(id, IPC_STAT, &ds);
    } while (ds.msg_qnum != 1);
    printf("MSG_STAT gives the id: %d\n", msgctl(id % 32768, MSG_STAT, &ds) == id);
    int removed = msgctl(id, IPC_RMID, NULL);
    waitpid(child, NULL, 0);
    show("IPC_RMID", removed);
    show("msgsnd on the removed queue", send_text(id, 1, "x", 0));

    struct msginfo info;
    memset(&info, 0, sizeof(info));
    show("IPC_INFO", msgctl(0, IPC_INFO, (struct msqid_ds *)&info) < 0 ? -1 : 0);
    printf("msgmax %d msgmnb %d msgmni %d msgssz %d msgseg %u\n", info.msgmax, info.msgmnb, info.msgmni, info.msgssz,
           (unsigned)info.msgseg);

    int closed = msgget(IPC_PRIVATE, 0600);
    child = fork();
    if (child == 0) {
        if (setgid(NOBODY) || setuid(NOBODY))
            _exit(1);
        show("nobody: msgsnd on a 0600 queue", send_text(closed, 1, "x", 0));
        show_receive("nobody: msgrcv on a 0600 queue", closed, 64, 0, IPC_NOWAIT);
        show("nobody: IPC_RMID of root's queue", msgctl(closed, IPC_RMID, NULL));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    msgctl(closed, IPC_RMID, NULL);
}

#ifdef __i386__
/* The direct i386 calls (393-402 and semtimedop_time64), beside glibc's ipc(). */
#define IPC_64_FLAG 0x100
static void direct_calls(void)
{
    int id = syscall(395, IPC_PRIVATE, PAGE, 0600);
    show("direct shmget", id);
    char *p = (char *)syscall(397, id, 0, 0);
    printf("direct shmat: %s\n", p == (char *)-1 ? err_name(errno) : "ok");
    struct shmid_ds ds;
    show("direct shmctl IPC_STAT | IPC_64", syscall(396, id, IPC_STAT | IPC_64_FLAG, &ds));
    show("direct shmctl IPC_STAT", syscall(396, id, IPC_STAT, &ds));
    printf("direct: size %lu nattch %lu mode %o\n", (unsigned long)ds.shm_segsz, (unsigned long)ds.shm_nattch,
           (unsigned)ds.shm_perm.mode);
    show("direct shmdt", syscall(398, p));
    show("direct shmctl IPC_RMID", syscall(396, id, IPC_RMID, 0));

    int sem = syscall(393, IPC_PRIVATE, 2, 0600);
    show("direct semget", sem);
    show("direct semctl SETVAL", syscall(394, sem, 1, SETVAL, 7));
    printf("direct semctl GETVAL %ld\n", syscall(394, sem, 1, GETVAL, 0));
    struct sembuf sop = {1, -3, 0};
    struct { long long sec; long long nsec; } wait64 = {0, 1000000};
    show("direct semtimedop_time64", syscall(420, sem, &sop, 1, &wait64));
    sop.sem_op = -5;
    show("direct semtimedop_time64 times out", syscall(420, sem, &sop, 1, &wait64));
    printf("value %ld\n", syscall(394, sem, 1, GETVAL, 0));
    show("direct semctl IPC_RMID", syscall(394, sem, 0, IPC_RMID, 0));

    int q = syscall(399, IPC_PRIVATE, 0600);
    show("direct msgget", q);
    struct { int mtype; char mtext[8]; } small = {9, "abc"}, got = {0, ""};
    show("direct msgsnd (a 4-byte mtype)", syscall(400, q, &small, 4, 0));
    struct msqid_ds qds;
    show("direct msgctl IPC_STAT", syscall(402, q, IPC_STAT, &qds));
    printf("direct: qnum %lu cbytes %lu\n", (unsigned long)qds.msg_qnum, (unsigned long)qds.__msg_cbytes);
    long n = syscall(401, q, &got, sizeof(got.mtext), 0, 0);
    printf("direct msgrcv: %ld bytes, type %d \"%s\"\n", n, got.mtype, got.mtext);
    show("direct msgctl IPC_RMID", syscall(402, q, IPC_RMID, 0));
}
#endif

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char path[] = "/tmp/sysvipc-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    key_t key = ftok(path, 'S'), key2 = ftok(path, 'T'), key3 = ftok(path, 'U'), key4 = ftok(path, 'V');
    attach_and_detach();
    keys(key);
    info();
    unprivileged(key2);
    semaphores(key3);
    message_queues(key4);
#ifdef __i386__
    direct_calls();
#endif
    close(fd);
    unlink(path);
    return 0;
}
