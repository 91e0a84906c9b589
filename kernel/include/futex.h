#ifndef SYSGATE_FUTEX_H
#define SYSGATE_FUTEX_H

#include "types.h"

struct mm;
/* Wakes up to `count` tasks waiting on the futex word at uaddr in mm. */
int futex_wake(struct mm *mm, u64 uaddr, int count);

#endif
