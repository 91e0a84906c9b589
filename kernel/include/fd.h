/* File descriptors of the current task. */
#ifndef SYSGATE_FD_H
#define SYSGATE_FD_H

#include "types.h"

struct file;
struct files;
struct task;

/* The open file behind a descriptor, with a reference the caller holds until
 * its fdput (on every return path); NULL for a descriptor not open. Another
 * thread may close the descriptor meanwhile: the file stays until the fdput. */
struct file *fdget(int fd);
/* The same, O_PATH descriptors included: fstat, fchdir, dup, fcntl's few, a dirfd, fstatfs. */
struct file *fdget_raw(int fd);
void fdput(struct file *f); /* NULL is ignored */
/* Puts f at the lowest free descriptor >= min_fd; takes over the caller's reference. */
int fd_install(struct file *f, int min_fd, bool cloexec);
int fd_close(int fd);
int fd_limit(void);
struct files *files_create(void);
struct files *files_copy(struct files *parent);
void files_get(struct files *files);
void files_close_on_exec(struct files *files);
bool fd_is_cloexec(int fd);
void fd_set_cloexec(int fd, bool on);
int fd_install_at(struct file *f, int fd, bool cloexec);
void files_put(struct files *files);

#endif
