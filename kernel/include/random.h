#ifndef SYSGATE_RANDOM_H
#define SYSGATE_RANDOM_H

#include "types.h"

void random_init(void);
u64 random_u64(void);
void random_bytes(void *buf, size_t len);
/* Fills a user buffer; returns len or -EFAULT. */
ssize_t random_to_user(void __user *buf, size_t len);

#endif
