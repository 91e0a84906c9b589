/* File descriptors of the current task. */
#ifndef SYSGATE_FD_H
#define SYSGATE_FD_H

#include "types.h"

struct file;
struct files;

struct file *fd_get(int fd);
/* Puts f at the lowest free descriptor >= min_fd; takes over the caller's reference. */
int fd_install(struct file *f, int min_fd, bool cloexec);
int fd_close(int fd);
int fd_limit(void);
struct files *files_create(void);
struct files *files_copy(struct files *parent);
void files_close_on_exec(struct files *files);
bool fd_is_cloexec(int fd);
void fd_set_cloexec(int fd, bool on);
int fd_install_at(struct file *f, int fd, bool cloexec);
void files_put(struct files *files);

#endif
