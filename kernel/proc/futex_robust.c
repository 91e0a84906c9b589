/*
 * Robust futexes: a thread registers the head of a list of the locks it holds
 * (set_robust_list); when it ends without unlocking them, the kernel marks
 * each lock's word FUTEX_OWNER_DIED and wakes a waiter, which then learns
 * that the data the lock guarded may be inconsistent (EOWNERDEAD in
 * pthread_mutex_lock). The list lives in user memory, so every step of the
 * walk is checked and the walk is bounded.
 */
#include "errno.h"
#include "futex_queue.h"
#include "proc.h"
#include "uaccess.h"

/* Linux's bound on the walk, against lists that loop. */
#define ROBUST_LIST_LIMIT 2048

/* The list head: {next, futex_offset, list_op_pending}, pointers of the
 * thread's ABI (24 bytes, or 12 for i386). An entry's lowest bit says the
 * lock is a PI futex. */
#define ROBUST_HEAD_SIZE_64 24
#define ROBUST_HEAD_SIZE_32 12

static long set_robust_list(u64 head, u64 len, u64 head_size)
{
    if (len != head_size)
        return -EINVAL;
    current_task()->robust_list = head;
    current_task()->robust_list_len = len;
    return 0;
}

long sys_set_robust_list(u64 head, u64 len) { return set_robust_list(head, len, ROBUST_HEAD_SIZE_64); }
long compat_sys_set_robust_list(u32 head, u32 len) { return set_robust_list(head, len, ROBUST_HEAD_SIZE_32); }

static long get_robust_list(int pid, u64 head_ptr, u64 len_ptr, bool compat)
{
    struct task *t = pid ? task_find(pid) : current_task();
    if (!t)
        return -ESRCH;
    int err;
    if (compat) {
        u32 head = (u32)t->robust_list, len = (u32)t->robust_list_len;
        err = put_user(len, (u32 __user *)len_ptr) ?: put_user(head, (u32 __user *)head_ptr);
    } else {
        u64 head = t->robust_list, len = t->robust_list_len;
        err = put_user(len, (u64 __user *)len_ptr) ?: put_user(head, (u64 __user *)head_ptr);
    }
    return err;
}

long sys_get_robust_list(int pid, u64 head_ptr, u64 len_ptr) { return get_robust_list(pid, head_ptr, len_ptr, false); }
long compat_sys_get_robust_list(int pid, u32 head_ptr, u32 len_ptr)
{
    return get_robust_list(pid, head_ptr, len_ptr, true);
}

/* Reads one pointer of the list in the thread's ABI. */
static int read_pointer(u64 addr, bool compat, u64 *out)
{
    if (compat) {
        u32 v;
        if (get_user(v, (const u32 __user *)addr))
            return -EFAULT;
        *out = v;
        return 0;
    }
    return get_user(*out, (const u64 __user *)addr);
}

/* The lock at uaddr, perhaps held by the ending thread `tid`. A lock whose
 * acquisition or release was under way (list_op_pending) and is free may
 * have a waiter that nobody will wake: it gets one wake. */
static void futex_owner_died(u64 uaddr, u32 tid, bool pi, bool pending)
{
    if (uaddr % sizeof(u32))
        return;
    if (pi) {
        futex_pi_owner_died(uaddr, tid);
        return;
    }
    for (;;) {
        u32 word, found;
        if (get_user(word, (const u32 __user *)uaddr))
            return;
        if (pending && !word) {
            futex_wake(current_task()->mm, uaddr, 1);
            return;
        }
        if ((word & FUTEX_TID_MASK) != tid)
            return;
        u32 died = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (user_cmpxchg_u32((u32 __user *)uaddr, word, died, &found))
            return;
        if (found != word)
            continue;
        if (word & FUTEX_WAITERS)
            futex_wake(current_task()->mm, uaddr, 1);
        return;
    }
}

static void walk_robust_list(struct task *t)
{
    bool compat = t->robust_list_len == ROBUST_HEAD_SIZE_32;
    u64 word = compat ? 4 : 8;
    u64 head = t->robust_list;
    u64 entry, offset_raw, pending;
    if (read_pointer(head, compat, &entry) || read_pointer(head + word, compat, &offset_raw) ||
        read_pointer(head + 2 * word, compat, &pending))
        return;
    s64 offset = compat ? (s64)(s32)offset_raw : (s64)offset_raw;
    u32 tid = (u32)t->pid;
    for (int n = 0; (entry & ~1ull) != head && n < ROBUST_LIST_LIMIT; n++) {
        u64 next;
        if (read_pointer(entry & ~1ull, compat, &next))
            return;
        /* The pending entry is handled last, once. */
        if (entry != pending)
            futex_owner_died((entry & ~1ull) + (u64)offset, tid, entry & 1, false);
        entry = next;
    }
    if (pending)
        futex_owner_died((pending & ~1ull) + (u64)offset, tid, pending & 1, true);
}

void futex_exit(struct task *t)
{
    if (!t->mm)
        return;
    if (t->robust_list)
        walk_robust_list(t);
    t->robust_list = 0;
    futex_pi_exit(t);
}
