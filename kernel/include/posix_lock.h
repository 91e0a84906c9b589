/* POSIX record locks and OFD locks (fs/posix_lock.c). */
#ifndef SYSGATE_POSIX_LOCK_H
#define SYSGATE_POSIX_LOCK_H

#include "types.h"

struct file;
struct files;
struct inode;

enum fcntl_lock_kind { LOCK_POSIX_GET, LOCK_POSIX_SET, LOCK_POSIX_SETW, LOCK_OFD_GET, LOCK_OFD_SET, LOCK_OFD_SETW };

/* An fcntl lock command on f with the caller's struct flock at uarg (i386:
 * its struct flock64 when `i386_flock64`). */
long fcntl_lock(struct file *f, unsigned cmd, void __user *uarg, enum fcntl_lock_kind kind, bool i386_flock64);
/* A descriptor of the inode's file was closed by the process whose table is `owner`: its POSIX locks go. */
void posix_locks_remove(struct inode *inode, struct files *owner);
/* The file's last reference went: its OFD locks go. */
void ofd_locks_remove(struct file *f);

#endif
