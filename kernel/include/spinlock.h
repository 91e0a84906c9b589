/* Spinlocks that also keep interrupts off while held. With one CPU the lock
 * word never spins; it keeps the code right for more. */
#ifndef SYSGATE_SPINLOCK_H
#define SYSGATE_SPINLOCK_H

#include "x86.h"

struct spinlock {
    volatile int locked;
};

/* For a caller that already has interrupts off. */
static inline void spin_lock(struct spinlock *lock)
{
    while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
}

static inline void spin_unlock(struct spinlock *lock) { __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE); }

static inline u64 spin_lock_irqsave(struct spinlock *lock)
{
    u64 flags = irq_save();
    spin_lock(lock);
    return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *lock, u64 flags)
{
    spin_unlock(lock);
    irq_restore(flags);
}

/* For a sleeper that keeps interrupts off across the switch (wait.h). */
static inline void spin_unlock_irqs_off(struct spinlock *lock) { __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE); }
static inline void spin_lock_irqs_off(struct spinlock *lock)
{
    while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
}

#endif
