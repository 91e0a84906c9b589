/*
 * ipcold.c - System V IPC control commands in the layouts Linux keeps for
 * old i386 programs: through ipc(117) without IPC_64 in the command, the
 * structures with 16-bit ids, modes, sequence numbers and pids (struct
 * compat_ipc_perm, compat_shmid_ds, compat_semid_ds, compat_msqid_ds, and
 * struct shminfo of ints for shmctl's IPC_INFO), beside the same commands
 * with IPC_64; ipc()'s version quirks (msgrcv's version 0 passing a struct
 * ipc_kludge, shmat's address through the third argument, iBCS2's shmat
 * refused); and the direct calls, which know only the IPC_64 layouts and
 * refuse the flag. On x86-64 the flag is no part of a command either.
 * Made with raw system calls, since the C libraries always pass IPC_64.
 * Prints only what is the same on every run: the number of bytes each
 * command writes, ids that do not fit in 16 bits, no raw ids or times.
 * Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/syscall.h>
#include <unistd.h>

#define IPC_64_FLAG 0x100
#define PAGE 4096
#define FILL 0xa5
/* Commands beyond the common ones (linux/shm.h, sem.h, msg.h). */
#define SHM_STAT_CMD 13
#define SHM_INFO_CMD 14
#define SEM_GETVAL 12
#define SEM_SETVAL 16
#define SEM_STAT_CMD 18
#define SEM_INFO_CMD 19
#define MSG_STAT_CMD 11
#define MSG_INFO_CMD 12

static const char *err_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOMSG: return "ENOMSG";
    default: return "other";
    }
}

static void show(const char *what, long ret)
{
    if (ret < 0)
        printf("%s: -1 %s\n", what, err_name(errno));
    else
        printf("%s: ok\n", what);
}

/* How many bytes a command wrote into a buffer filled with FILL: up to the last changed byte. */
static size_t written(const unsigned char *buf, size_t size)
{
    while (size && buf[size - 1] == FILL)
        size--;
    return size;
}

#ifdef __i386__
/* ipc()'s operations (linux/ipc.h): the low half of `call`, the version in the high half. */
#define IPCOP_SEMGET 2
#define IPCOP_SEMCTL 3
#define IPCOP_MSGSND 11
#define IPCOP_MSGRCV 12
#define IPCOP_MSGGET 13
#define IPCOP_MSGCTL 14
#define IPCOP_SHMAT 21
#define IPCOP_SHMDT 22
#define IPCOP_SHMGET 23
#define IPCOP_SHMCTL 24
#define IPC_VERSION(v) ((v) << 16)
#define NR_SHMCTL 396
#define NR_SEMCTL 394
#define NR_MSGCTL 402

static long ipc(long call, long first, long second, long third, void *ptr, long fifth)
{
    return syscall(SYS_ipc, call, first, second, third, ptr, fifth);
}

/* The old struct ipc_perm as Linux's compat code writes it. */
struct old_perm {
    int32_t key;
    uint16_t uid, gid, cuid, cgid, mode, seq;
};
struct old_shmid {
    struct old_perm perm;
    int32_t segsz, atime, dtime, ctime;
    uint16_t cpid, lpid, nattch, unused;
    uint32_t unused2, unused3;
};
struct old_semid {
    struct old_perm perm;
    int32_t otime, ctime;
    uint32_t base, pending, pending_last, undo;
    uint16_t nsems;
};
struct old_msqid {
    struct old_perm perm;
    uint32_t first, last;
    int32_t stime, rtime, ctime;
    uint32_t lcbytes, lqbytes;
    uint16_t cbytes, qnum, qbytes, lspid, lrpid;
};
/* i386's ipc64_perm. */
struct perm64 {
    int32_t key;
    uint32_t uid, gid, cuid, cgid;
    uint16_t mode, pad1, seq, pad2;
    uint32_t unused1, unused2;
};

static void show_old_perm(const char *what, const struct old_perm *p)
{
    printf("%s: key %d uid %u gid %u cuid %u cgid %u mode %o\n", what, p->key, p->uid, p->gid, p->cuid, p->cgid,
           p->mode);
}

static unsigned char buf[512];

static void fill(void) { memset(buf, FILL, sizeof(buf)); }

static void shared_memory(void)
{
    int id = ipc(IPCOP_SHMGET, IPC_PRIVATE, 3 * PAGE + 5, IPC_CREAT | 0640, NULL, 0);
    show("shmget", id);
    uint32_t addr = 0;
    show("shmat version 0 (address through the third argument)", ipc(IPCOP_SHMAT, id, 0, (long)&addr, NULL, 0));
    printf("shmat's address %s\n", addr && addr % PAGE == 0 ? "page-aligned" : "wrong");
    show("shmat version 1 (iBCS2)", ipc(IPCOP_SHMAT | IPC_VERSION(1), id, 0, (long)&addr, NULL, 0));
    show("shmat to a bad address for the result",
         ipc(IPCOP_SHMAT, id, 0, (long)(uintptr_t)8, NULL, 0));

    fill();
    show("old IPC_STAT", ipc(IPCOP_SHMCTL, id, IPC_STAT, 0, buf, 0));
    printf("old IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    struct old_shmid s;
    memcpy(&s, buf, sizeof(s));
    show_old_perm("old shm perm", &s.perm);
    printf("old shm: seq matches %d segsz %d nattch %u cpid matches %d atime set %d dtime %d ctime set %d\n",
           s.perm.seq == (uint16_t)(id / 32768), s.segsz, s.nattch, s.cpid == (uint16_t)getpid(), s.atime != 0,
           s.dtime, s.ctime != 0);

    fill();
    show("IPC_STAT | IPC_64 through ipc()", ipc(IPCOP_SHMCTL, id, IPC_STAT | IPC_64_FLAG, 0, buf, 0));
    printf("IPC_64 IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    uint32_t atime64;
    memcpy(&atime64, buf + sizeof(struct perm64) + 4, sizeof(atime64));
    printf("the two layouts' atime agree %d\n", (int32_t)atime64 == s.atime);

    fill();
    long r = ipc(IPCOP_SHMCTL, id % 32768, SHM_STAT_CMD, 0, buf, 0);
    printf("old SHM_STAT returns the id %d, writes %zu bytes\n", r == id, written(buf, sizeof(buf)));

    fill();
    r = ipc(IPCOP_SHMCTL, 0, IPC_INFO, 0, buf, 0);
    int32_t info[5];
    memcpy(info, buf, sizeof(info));
    printf("old IPC_INFO: %s, writes %zu bytes: shmmax %d shmmin %d shmmni %d shmseg %d shmall %d\n",
           r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)), info[0], info[1], info[2], info[3], info[4]);
    fill();
    r = ipc(IPCOP_SHMCTL, 0, IPC_INFO | IPC_64_FLAG, 0, buf, 0);
    uint32_t info64[9];
    memcpy(info64, buf, sizeof(info64));
    printf("IPC_64 IPC_INFO: %s, writes %zu bytes: shmmax %u shmmin %u shmmni %u shmseg %u shmall %u\n",
           r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)), info64[0], info64[1], info64[2], info64[3],
           info64[4]);
    fill();
    r = ipc(IPCOP_SHMCTL, 0, SHM_INFO_CMD, 0, buf, 0);
    printf("old SHM_INFO: %s, writes %zu bytes\n", r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)));
    fill();
    r = ipc(IPCOP_SHMCTL, 0, SHM_INFO_CMD | IPC_64_FLAG, 0, buf, 0);
    printf("IPC_64 SHM_INFO: %s, writes %zu bytes\n", r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)));

    /* IPC_SET reads only uid, gid and mode of the old perm; an id of 16 bits is taken as it is. */
    s.perm.uid = 4321;
    s.perm.gid = 0xffff;
    s.perm.mode = 0604;
    s.segsz = 1;
    show("old IPC_SET", ipc(IPCOP_SHMCTL, id, IPC_SET, 0, &s, 0));
    fill();
    ipc(IPCOP_SHMCTL, id, IPC_STAT, 0, buf, 0);
    memcpy(&s, buf, sizeof(s));
    show_old_perm("after old IPC_SET", &s.perm);
    printf("segsz still %d\n", s.segsz);

    /* An id that does not fit in 16 bits shows as the overflow id in the old layout. */
    struct perm64 p64;
    ipc(IPCOP_SHMCTL, id, IPC_STAT | IPC_64_FLAG, 0, buf, 0);
    memcpy(&p64, buf, sizeof(p64));
    p64.uid = 70000;
    p64.gid = 0x10001;
    memcpy(buf, &p64, sizeof(p64));
    show("IPC_64 IPC_SET to ids beyond 16 bits", ipc(IPCOP_SHMCTL, id, IPC_SET | IPC_64_FLAG, 0, buf, 0));
    fill();
    ipc(IPCOP_SHMCTL, id, IPC_STAT, 0, buf, 0);
    memcpy(&s, buf, sizeof(s));
    show_old_perm("old IPC_STAT of ids beyond 16 bits", &s.perm);
    show("old IPC_STAT to a bad address", ipc(IPCOP_SHMCTL, id, IPC_STAT, 0, (void *)8, 0));
    show("old IPC_SET from a bad address", ipc(IPCOP_SHMCTL, id, IPC_SET, 0, (void *)8, 0));

    /* The direct call knows only the IPC_64 layout, and refuses the flag. */
    fill();
    show("direct shmctl IPC_STAT", syscall(NR_SHMCTL, id, IPC_STAT, buf));
    printf("direct IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    show("direct shmctl IPC_STAT | IPC_64", syscall(NR_SHMCTL, id, IPC_STAT | IPC_64_FLAG, buf));
    fill();
    show("direct shmctl IPC_INFO", syscall(NR_SHMCTL, 0, IPC_INFO, buf));
    printf("direct IPC_INFO writes %zu bytes\n", written(buf, sizeof(buf)));

    show("shmdt", ipc(IPCOP_SHMDT, 0, 0, 0, (void *)(uintptr_t)addr, 0));
    show("old IPC_RMID", ipc(IPCOP_SHMCTL, id, IPC_RMID, 0, NULL, 0));
}

static long old_semctl(int id, int num, int cmd, void *arg)
{
    /* ipc()'s SEMCTL takes the address of the union semun, whose value semctl gets */
    return ipc(IPCOP_SEMCTL, id, num, cmd, &arg, 0);
}

static void semaphores(void)
{
    int id = ipc(IPCOP_SEMGET, IPC_PRIVATE, 3, IPC_CREAT | 0600, NULL, 0);
    show("semget", id);
    show("SETVAL through ipc()", old_semctl(id, 1, SEM_SETVAL, (void *)(uintptr_t)9));
    printf("GETVAL %ld\n", old_semctl(id, 1, SEM_GETVAL, NULL));
    fill();
    show("old IPC_STAT", old_semctl(id, 0, IPC_STAT, buf));
    printf("old IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    struct old_semid s;
    memcpy(&s, buf, sizeof(s));
    show_old_perm("old sem perm", &s.perm);
    printf("old sem: nsems %u otime %d ctime set %d\n", s.nsems, s.otime, s.ctime != 0);
    fill();
    show("IPC_64 IPC_STAT", old_semctl(id, 0, IPC_STAT | IPC_64_FLAG, buf));
    printf("IPC_64 IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    fill();
    long r = old_semctl(id % 32768, 0, SEM_STAT_CMD, buf);
    printf("old SEM_STAT returns the id %d, writes %zu bytes\n", r == id, written(buf, sizeof(buf)));
    fill();
    r = old_semctl(0, 0, IPC_INFO, buf);
    printf("old IPC_INFO: %s, writes %zu bytes\n", r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)));
    fill();
    r = old_semctl(0, 0, SEM_INFO_CMD, buf);
    printf("old SEM_INFO: %s, writes %zu bytes\n", r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)));

    s.perm.uid = 77;
    s.perm.mode = 0660;
    show("old IPC_SET", old_semctl(id, 0, IPC_SET, &s));
    ipc(IPCOP_SEMCTL, id, 0, IPC_STAT, &(void *){buf}, 0);
    memcpy(&s, buf, sizeof(s));
    show_old_perm("after old IPC_SET", &s.perm);
    show("old IPC_STAT to a bad address", old_semctl(id, 0, IPC_STAT, (void *)8));
    show("old IPC_SET from a bad address", old_semctl(id, 0, IPC_SET, (void *)8));
    show("ipc SEMCTL without the union", ipc(IPCOP_SEMCTL, id, 0, IPC_STAT, NULL, 0));

    fill();
    show("direct semctl IPC_STAT", syscall(NR_SEMCTL, id, 0, IPC_STAT, buf));
    printf("direct IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    fill();
    show("direct semctl IPC_STAT | IPC_64", syscall(NR_SEMCTL, id, 0, IPC_STAT | IPC_64_FLAG, buf));
    printf("direct IPC_STAT | IPC_64 writes %zu bytes\n", written(buf, sizeof(buf)));
    /* The direct call sees past the flag to choose the command, but not where Linux compares the whole command. */
    long r64 = syscall(NR_SEMCTL, id, 0, IPC_STAT | IPC_64_FLAG, buf);
    printf("direct semctl IPC_STAT | IPC_64 returns %s\n", r64 == id ? "the id" : r64 == 0 ? "0" : "other");
    fill();
    r64 = syscall(NR_SEMCTL, 0, 0, SEM_INFO_CMD | IPC_64_FLAG, buf);
    int32_t seminfo[10];
    memcpy(seminfo, buf, sizeof(seminfo));
    printf("direct semctl SEM_INFO | IPC_64: %s, semusz %d semaem %d\n", r64 >= 0 ? "ok" : err_name(errno),
           seminfo[7], seminfo[9]);
    show("direct semctl GETVAL | IPC_64", syscall(NR_SEMCTL, id, 1, SEM_GETVAL | IPC_64_FLAG, 0));
    show("direct semctl SETVAL | IPC_64", syscall(NR_SEMCTL, id, 1, SEM_SETVAL | IPC_64_FLAG, 4));
    printf("GETVAL %ld\n", syscall(NR_SEMCTL, id, 1, SEM_GETVAL, 0));
    show("direct semctl IPC_SET | IPC_64", syscall(NR_SEMCTL, id, 0, IPC_SET | IPC_64_FLAG, buf));
    show("direct semctl IPC_RMID | IPC_64", syscall(NR_SEMCTL, id, 0, IPC_RMID | IPC_64_FLAG, 0));
    show("old IPC_RMID", old_semctl(id, 0, IPC_RMID, NULL));
}

static void message_queues(void)
{
    int id = ipc(IPCOP_MSGGET, IPC_PRIVATE, IPC_CREAT | 0600, 0, NULL, 0);
    show("msgget", id);
    struct {
        int32_t type;
        char text[16];
    } msg = {5, "hello"}, got;
    show("msgsnd", ipc(IPCOP_MSGSND, id, 6, 0, &msg, 0));
    msg.type = 7;
    strcpy(msg.text, "second");
    show("msgsnd", ipc(IPCOP_MSGSND, id, 7, 0, &msg, 0));

    fill();
    show("old IPC_STAT", ipc(IPCOP_MSGCTL, id, IPC_STAT, 0, buf, 0));
    printf("old IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    struct old_msqid q;
    memcpy(&q, buf, sizeof(q));
    show_old_perm("old msg perm", &q.perm);
    printf("old msg: cbytes %u qnum %u qbytes %u lcbytes %u lqbytes %u lspid matches %d lrpid %u stime set %d "
           "rtime %d\n",
           q.cbytes, q.qnum, q.qbytes, q.lcbytes, q.lqbytes, q.lspid == (uint16_t)getpid(), q.lrpid, q.stime != 0,
           q.rtime);
    fill();
    show("IPC_64 IPC_STAT", ipc(IPCOP_MSGCTL, id, IPC_STAT | IPC_64_FLAG, 0, buf, 0));
    printf("IPC_64 IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    fill();
    long r = ipc(IPCOP_MSGCTL, id % 32768, MSG_STAT_CMD, 0, buf, 0);
    printf("old MSG_STAT returns the id %d, writes %zu bytes\n", r == id, written(buf, sizeof(buf)));
    fill();
    r = ipc(IPCOP_MSGCTL, 0, IPC_INFO, 0, buf, 0);
    printf("old IPC_INFO: %s, writes %zu bytes\n", r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)));
    fill();
    r = ipc(IPCOP_MSGCTL, 0, MSG_INFO_CMD, 0, buf, 0);
    printf("old MSG_INFO: %s, writes %zu bytes\n", r >= 0 ? "ok" : err_name(errno), written(buf, sizeof(buf)));

    q.perm.mode = 0640;
    q.qbytes = 1000;
    q.lcbytes = 99999;
    show("old IPC_SET (qbytes 1000)", ipc(IPCOP_MSGCTL, id, IPC_SET, 0, &q, 0));
    ipc(IPCOP_MSGCTL, id, IPC_STAT, 0, buf, 0);
    memcpy(&q, buf, sizeof(q));
    show_old_perm("after old IPC_SET", &q.perm);
    printf("qbytes %u\n", q.qbytes);
    show("old IPC_STAT to a bad address", ipc(IPCOP_MSGCTL, id, IPC_STAT, 0, (void *)8, 0));

    /* msgrcv, version 0: ptr is a struct ipc_kludge with the buffer's address and the type */
    struct {
        uint32_t msgp;
        int32_t type;
    } kludge = {(uint32_t)(uintptr_t)&got, 7};
    memset(&got, 0, sizeof(got));
    r = ipc(IPCOP_MSGRCV, id, sizeof(got.text), IPC_NOWAIT, &kludge, 0);
    printf("msgrcv version 0: %ld bytes, type %d \"%s\"\n", r, got.type, got.text);
    show("msgrcv version 0 without the kludge", ipc(IPCOP_MSGRCV, id, 16, IPC_NOWAIT, NULL, 0));
    show("msgrcv version 0, kludge at a bad address", ipc(IPCOP_MSGRCV, id, 16, IPC_NOWAIT, (void *)8, 0));
    memset(&got, 0, sizeof(got));
    r = ipc(IPCOP_MSGRCV | IPC_VERSION(1), id, sizeof(got.text), IPC_NOWAIT, &got, 0);
    printf("msgrcv version 1: %ld bytes, type %d \"%s\"\n", r, got.type, got.text);
    show("msgrcv version 1, empty", ipc(IPCOP_MSGRCV | IPC_VERSION(1), id, 16, IPC_NOWAIT, &got, 0));
    show("msgrcv negative size", ipc(IPCOP_MSGRCV | IPC_VERSION(1), id, -1, IPC_NOWAIT, &got, 0));

    fill();
    r = ipc(IPCOP_MSGCTL, id, IPC_STAT, 0, buf, 0);
    memcpy(&q, buf, sizeof(q));
    printf("after receiving: qnum %u cbytes %u lrpid matches %d\n", q.qnum, q.cbytes, q.lrpid == (uint16_t)getpid());

    fill();
    show("direct msgctl IPC_STAT", syscall(NR_MSGCTL, id, IPC_STAT, buf));
    printf("direct IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    r = syscall(NR_MSGCTL, id, IPC_STAT | IPC_64_FLAG, buf);
    printf("direct msgctl IPC_STAT | IPC_64 returns %s\n", r == id ? "the id" : r == 0 ? "0" : "other");
    fill();
    r = syscall(NR_MSGCTL, 0, MSG_INFO_CMD | IPC_64_FLAG, buf);
    int32_t msginfo[8];
    memcpy(msginfo, buf, sizeof(msginfo));
    printf("direct msgctl MSG_INFO | IPC_64: %s, msgpool %d msgmap %d\n", r >= 0 ? "ok" : err_name(errno), msginfo[0],
           msginfo[1]);
    show("direct msgctl IPC_SET | IPC_64", syscall(NR_MSGCTL, id, IPC_SET | IPC_64_FLAG, buf));
    show("direct msgctl IPC_RMID | IPC_64", syscall(NR_MSGCTL, id, IPC_RMID | IPC_64_FLAG, 0));
    show("direct msgctl IPC_INFO, negative id", syscall(NR_MSGCTL, -1, IPC_INFO, buf));
    show("direct shmctl IPC_INFO, negative id", syscall(NR_SHMCTL, -1, IPC_INFO, buf));
    show("direct semctl IPC_INFO, negative id", syscall(NR_SEMCTL, -1, 0, IPC_INFO, buf));
    show("old IPC_RMID", ipc(IPCOP_MSGCTL, id, IPC_RMID, 0, NULL, 0));
    show("unknown ipc() operation", ipc(99, 0, 0, 0, NULL, 0));
}
#else
/* x86-64 has no old layouts: IPC_64 in a command is an unknown command. */
static void flag_refused(void)
{
    unsigned char buf[256];
    int shm = syscall(SYS_shmget, IPC_PRIVATE, PAGE, 0600);
    show("shmctl IPC_STAT | IPC_64", syscall(SYS_shmctl, shm, IPC_STAT | IPC_64_FLAG, buf));
    memset(buf, FILL, sizeof(buf));
    show("shmctl IPC_STAT", syscall(SYS_shmctl, shm, IPC_STAT, buf));
    printf("IPC_STAT writes %zu bytes\n", written(buf, sizeof(buf)));
    syscall(SYS_shmctl, shm, IPC_RMID, 0);
    int sem = syscall(SYS_semget, IPC_PRIVATE, 1, 0600);
    show("semctl IPC_STAT | IPC_64", syscall(SYS_semctl, sem, 0, IPC_STAT | IPC_64_FLAG, buf));
    syscall(SYS_semctl, sem, 0, IPC_RMID, 0);
    int msg = syscall(SYS_msgget, IPC_PRIVATE, 0600);
    show("msgctl IPC_STAT | IPC_64", syscall(SYS_msgctl, msg, IPC_STAT | IPC_64_FLAG, buf));
    syscall(SYS_msgctl, msg, IPC_RMID, 0);
}
#endif

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
#ifdef __i386__
    shared_memory();
    semaphores();
    message_queues();
#else
    flag_refused();
#endif
    return 0;
}
