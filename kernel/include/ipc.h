/*
 * System V IPC (kernel/ipc/), as Linux keeps it: each kind of object (shared
 * memory segments, semaphore sets, message queues) has
 * a table of ids, an id being the table index plus the object's sequence
 * number times IPC_ID_SPAN, so a stale id of a reused slot is refused.
 */
#ifndef SYSGATE_IPC_H
#define SYSGATE_IPC_H

#include "types.h"

/* ipcget's flags and the control commands every kind shares (linux/ipc.h). */
#define IPC_PRIVATE 0
#define IPC_CREAT 00001000
#define IPC_EXCL 00002000
#define IPC_NOWAIT 00004000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3
#define IPC_64 0x0100 /* in an i386 cmd: the layouts with 32-bit ids and 64-bit times */

#define IPC_ID_SPAN 32768 /* Linux's IPCMNI: ids are index + sequence * IPC_ID_SPAN */
#define IPC_SEQ_MAX (0x7fffffff / IPC_ID_SPAN)
#define IPC_MODE_BITS 0777 /* S_IRWXUGO: what ipcget and IPC_SET may set */

/* The ownership and permissions every object has (Linux's kern_ipc_perm). */
struct ipc_object {
    s32 key;
    u32 uid, gid, cuid, cgid;
    u32 mode;
    int seq;
    int idx;
    struct ipc_object *next; /* the table's list, by index */
};

/* One kind's table. */
struct ipc_ids {
    struct ipc_object *objects;
    int in_use;
    int last_idx; /* indexes are handed out cyclically, as Linux's idr_alloc_cyclic */
    int seq;
    int max_objects;
};

static inline int ipc_id(const struct ipc_object *o) { return o->seq * IPC_ID_SPAN + o->idx; }

/* Takes a fresh index for `o` (its owner and creator the caller's effective
 * ids, its mode `flags` & IPC_MODE_BITS): 0, or -ENOSPC. */
int ipc_add(struct ipc_ids *ids, struct ipc_object *o, s32 key, int flags);
void ipc_remove(struct ipc_ids *ids, struct ipc_object *o);
struct ipc_object *ipc_find_key(struct ipc_ids *ids, s32 key);
/* By full id (a stale sequence number is no object), or by index alone (the *_STAT commands). */
struct ipc_object *ipc_find_id(struct ipc_ids *ids, int id);
struct ipc_object *ipc_find_index(struct ipc_ids *ids, int idx);
/* The highest index in use, 0 if none: what the *_INFO commands return. */
int ipc_max_index(const struct ipc_ids *ids);

/* ipcperms: `flags` asks for the S_IRUGO/S_IWUGO bits. 0 or -EACCES. */
int ipc_permitted(const struct ipc_object *o, u32 flags);
/* IPC_RMID and IPC_SET: the owner, the creator or CAP_SYS_ADMIN. 0 or -EPERM. */
int ipc_owner_check(const struct ipc_object *o);

/* The user's view of the perm structure: struct ipc64_perm of the calling ABI. */
struct ipc_perm_user {
    u32 uid, gid, mode;
};
/* Writes the ABI's ipc64_perm at `buf` (bytes), returns its size. */
size_t ipc_perm_out(void *buf, const struct ipc_object *o);
/* Reads uid, gid and mode of the ABI's ipc64_perm: its size. */
size_t ipc_perm_in(const void *buf, struct ipc_perm_user *out);
/* i386's old struct ipc_perm, what ipc() without IPC_64 in the command
 * reads and writes: ids above 16 bits show as the overflow id. */
#define IPC_OLD_PERM_SIZE 16
size_t ipc_old_perm_out(void *buf, const struct ipc_object *o);
void ipc_old_perm_in(const void *buf, struct ipc_perm_user *out);
/* IPC_SET's change of owner and mode: 0 or -EINVAL for an id that is no id. */
int ipc_set_perm(struct ipc_object *o, const struct ipc_perm_user *in);

/* ipc() on i386: the cmd's IPC_64 flag, stripped; false for the old layouts. */
bool ipc_compat_version64(int *cmd);
/* i386's direct semctl and msgctl choose the command with IPC_64 masked off
 * but pass it on flagged, as Linux's compat_ksys_semctl/msgctl: the steps that
 * compare the whole command take a flagged one for another. */
static inline int ipc_compat_command(int cmd) { return cmd & ~IPC_64; }

/* shm.c's entry points, shared by the two ABIs' tables and ipc(). */
long sys_shmget(s32 key, u64 size, int flags);
long do_shmat(int shmid, u64 addr, int flags, u64 *attached);
long sys_shmat(int shmid, u64 addr, int flags);
long sys_shmdt(u64 addr);
long sys_shmctl(int shmid, int cmd, void __user *buf);
long compat_sys_shmctl(int shmid, int cmd, u32 buf);
long compat_sys_old_shmctl(int shmid, int cmd, u32 buf); /* ipc()'s: cmd may carry IPC_64 */
long sys_semget(s32 key, int nsems, int flags);
long sys_semop(int semid, const void __user *sops, u32 nsops);
long sys_semtimedop(int semid, const void __user *sops, u32 nsops, const void __user *timeout);
long compat_sys_semtimedop_time64(int semid, u32 sops, u32 nsops, u32 timeout);
long compat_semtimedop_time32(int semid, u32 sops, u32 nsops, u32 timeout);
long sys_semctl(int semid, int semnum, int cmd, u64 arg);
long compat_sys_semctl(int semid, int semnum, int cmd, u32 arg);
long compat_sys_old_semctl(int semid, int semnum, int cmd, u32 arg);
/* The last thread of process `tgid` is leaving: its SEM_UNDO adjustments apply. */
void sem_exit(pid_t tgid);
long sys_msgget(s32 key, int flags);
long sys_msgsnd(int msqid, const void __user *msgp, u64 size, int flags);
long compat_sys_msgsnd(int msqid, u32 msgp, s32 size, int flags);
long sys_msgrcv(int msqid, void __user *msgp, u64 size, s64 type, int flags);
long compat_sys_msgrcv(int msqid, u32 msgp, s32 size, s32 type, int flags);
long sys_msgctl(int msqid, int cmd, void __user *buf);
long compat_sys_msgctl(int msqid, int cmd, u32 buf);
long compat_sys_old_msgctl(int msqid, int cmd, u32 buf);
/* /proc/sysvipc/{shm,sem,msg}, in Linux's formats. */
struct task;
struct seq_buf;
void shm_proc_show(struct task *t, struct seq_buf *s);
void sem_proc_show(struct task *t, struct seq_buf *s);
void msg_proc_show(struct task *t, struct seq_buf *s);

long compat_sys_ipc(u32 call, int first, int second, u32 third, u32 ptr, u32 fifth);

#endif
