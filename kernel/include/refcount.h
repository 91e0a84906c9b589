/*
 * Reference counts, atomic so that a get and a put racing on two CPUs (or
 * around an interrupt) never lose an update.
 *
 * refcount_t counts the users of an object that lives until the last of them
 * is gone (an open file, an address space, a descriptor table): it starts at
 * 1 with its creator, and the put that reaches 0 frees it. A get on 0 (the
 * object is already being freed) or a put below 0 is a bug elsewhere: both
 * warn, and the count saturates at 0 so that nothing is freed twice.
 *
 * use_count_t counts holders of something that exists for other reasons too
 * (an inode's open files, whose name keeps it alive; a pipe's readers, which
 * may come back to a FIFO): it may rise from 0 again, and only going below 0
 * warns.
 */
#ifndef SYSGATE_REFCOUNT_H
#define SYSGATE_REFCOUNT_H

#include "lib.h"
#include "types.h"

typedef struct {
    int value;
} refcount_t;

typedef struct {
    int value;
} use_count_t;

#define REFCOUNT_INIT(n) ((refcount_t){.value = (n)})

/* `where`: the return address of the function the count was changed in. */
static inline void refcount_bug(const char *what, const void *counter, const void *where)
{
    kprintf(KERN_WARN "refcount: %s at %p (in the caller of %p)\n", what, counter, where);
}

static inline void refcount_set(refcount_t *r, int n) { __atomic_store_n(&r->value, n, __ATOMIC_RELAXED); }

static inline int refcount_read(const refcount_t *r) { return __atomic_load_n(&r->value, __ATOMIC_RELAXED); }

/* The caller already holds a reference (or reached the object through a
 * table that does), so the count cannot be 0. */
static inline void refcount_get(refcount_t *r)
{
    int old = __atomic_fetch_add(&r->value, 1, __ATOMIC_RELAXED);
    if (unlikely(old <= 0)) {
        refcount_bug("get of a freed object", r, __builtin_return_address(0));
        __atomic_store_n(&r->value, 0, __ATOMIC_RELAXED);
    }
}

/* Drops one reference; true for the caller that dropped the last one, which
 * then frees the object. The release ordering makes every earlier write to
 * the object visible to whoever frees it. */
static inline bool refcount_put(refcount_t *r)
{
    int old = __atomic_fetch_sub(&r->value, 1, __ATOMIC_RELEASE);
    if (likely(old > 1))
        return false;
    if (unlikely(old <= 0)) {
        refcount_bug("put below zero", r, __builtin_return_address(0));
        __atomic_store_n(&r->value, 0, __ATOMIC_RELAXED);
        return false;
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return true;
}

static inline int use_count_read(const use_count_t *c) { return __atomic_load_n(&c->value, __ATOMIC_ACQUIRE); }

static inline void use_count_get(use_count_t *c) { __atomic_fetch_add(&c->value, 1, __ATOMIC_RELAXED); }

/* Returns the count left. */
static inline int use_count_put(use_count_t *c)
{
    int left = __atomic_sub_fetch(&c->value, 1, __ATOMIC_ACQ_REL);
    if (unlikely(left < 0)) {
        refcount_bug("use count below zero", c, __builtin_return_address(0));
        __atomic_store_n(&c->value, 0, __ATOMIC_RELAXED);
        return 0;
    }
    return left;
}

#endif
