/* Asynchronous I/O notification (O_ASYNC, F_SETOWN, F_SETSIG): SIGIO, or the
 * chosen signal with a siginfo, to a file's owner when it becomes ready. */
#ifndef SYSGATE_FASYNC_H
#define SYSGATE_FASYNC_H

#include "signal.h" /* POLL_IN... */
#include "types.h"

struct file;

/* The file readiness the driver announces (Linux's kill_fasync): each open
 * file of `object` (a pipe, a socket: the file's private object) that has
 * O_ASYNC on sends its owner the signal. `reason` is POLL_IN, POLL_OUT,
 * POLL_HUP...: POLL_IN goes to the files that read, POLL_OUT to those that
 * write. Safe from any context a wake_up is. */
void fasync_notify(const void *object, int reason);

/* fcntl's F_GETOWN, F_SETOWN, F_GETOWN_EX, F_SETOWN_EX, F_GETSIG, F_SETSIG. */
long fasync_fcntl(struct file *f, unsigned cmd, u64 arg);
/* O_ASYNC turned on or off through descriptor `fd` (F_SETFL, FIOASYNC): the
 * signal's si_fd is the descriptor that turned it on. */
int fasync_set(struct file *f, int fd, bool on);
/* FIOASYNC: ENOTTY for a file that never notifies, as on Linux. */
long fasync_ioctl_async(struct file *f, int fd, const int __user *arg);
/* A socket's FIOSETOWN/SIOCSPGRP and FIOGETOWN/SIOCGPGRP. */
long fasync_ioctl_owner(struct file *f, bool set, int __user *arg);
/* A lease set through f makes the setter's process its owner unless it has one (Linux's lease_setup). */
int fasync_claim_owner(struct file *f);
/* O_ASYNC's owner where none was set: process group `pgrp`, or the
 * caller's process if 0 (a terminal's, Linux's __tty_fasync). */
int fasync_default_owner(struct file *f, pid_t pgrp);
/* A lease's end takes the owner and the signal with it (Linux's lease_modify). */
void fasync_drop_owner(struct file *f);
/* Signals f's owner whatever O_ASYNC says (a lease break: POLL_MSG), si_fd `fd`. */
void fasync_signal(struct file *f, int fd, int reason);
/* The last reference to f is gone (file_put). */
void fasync_release(struct file *f);

#endif
