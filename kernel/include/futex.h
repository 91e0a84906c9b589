/* Futexes: user-space words the kernel sleeps and wakes on (kernel/proc/futex*.c). */
#ifndef SYSGATE_FUTEX_H
#define SYSGATE_FUTEX_H

#include "types.h"

/* The futex(2) operations and flags, as Linux numbers them. */
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
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* The word of a PI or robust futex: the owner's thread id and two flags. */
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

/* futex_waitv (futex2): flags of each entry. */
#define FUTEX2_SIZE_U32 0x02
#define FUTEX2_SIZE_MASK 0x03
#define FUTEX2_NUMA 0x04
#define FUTEX2_PRIVATE FUTEX_PRIVATE_FLAG
#define FUTEX_WAITV_MAX 128

struct mm;
struct task;

/* What a waiter is keyed by. A private futex is its address space and
 * address; a shared one in a file or shared anonymous mapping is the inode and
 * the offset in it, so every process that maps the page finds the same
 * waiters; a shared one in private memory is the address space and address
 * again, but a different key from the private one, as on Linux. */
enum futex_key_kind { FUTEX_KEY_PRIVATE, FUTEX_KEY_SHARED_MM, FUTEX_KEY_INODE };
struct futex_key {
    const void *object; /* a struct mm or, for FUTEX_KEY_INODE, a struct inode (held) */
    u64 offset;
    enum futex_key_kind kind;
};

/* Wakes up to `count` tasks waiting on the private futex word at uaddr in mm
 * (CLONE_CHILD_CLEARTID's wake). */
int futex_wake(struct mm *mm, u64 uaddr, int count);
/* A task that ends or execs: its robust list is walked (each lock it held is
 * marked FUTEX_OWNER_DIED and one waiter woken) and PI locks it held are
 * handed on. The task's address space must be the current one. */
void futex_exit(struct task *t);

#endif
