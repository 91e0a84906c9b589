/*
 * Files with no name and no inode of their own (Linux's anon_inodefs):
 * eventfd, timerfd, signalfd and epoll. All of them share the one inode of
 * an internal superblock; their state is the file's `private`.
 */
#ifndef SYSGATE_ANON_INODES_H
#define SYSGATE_ANON_INODES_H

#include "types.h"

struct file;
struct file_ops;

/* A new open file with one reference, the caller's; NULL when out of memory.
 * `name` is what Linux's /proc/PID/fd shows ("[eventfd]"); `flags` are the
 * open flags (O_ACCMODE, O_NONBLOCK; O_CLOEXEC is the descriptor's). */
struct file *anon_inode_getfile(const char *name, const struct file_ops *fops, void *private, u32 flags);
/* The same, installed at the lowest free descriptor: the descriptor or a
 * negative errno; on failure the caller still owns `private`. */
int anon_inode_getfd(const char *name, const struct file_ops *fops, void *private, u32 flags);

/* The llseek of eventfd, timerfd and signalfd (Linux's noop_llseek). */
s64 anon_noop_llseek(struct file *f, s64 offset, unsigned whence);

/* Readers of the kinds of anonymous files, for epoll and each other. */
bool file_is_epoll(const struct file *f);
/* Called by file_put before the driver's release: the epoll items watching
 * the file go with it (Linux's eventpoll_release). */
void eventpoll_release_file(struct file *f);

#endif
