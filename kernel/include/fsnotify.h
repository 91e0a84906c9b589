/*
 * What the VFS tells inotify (fs/inotify.c), as Linux's fsnotify hooks: each
 * call is cheap when nobody watches the inodes concerned. Called from
 * system calls, never from interrupts.
 */
#ifndef SYSGATE_FSNOTIFY_H
#define SYSGATE_FSNOTIFY_H

#include "types.h"

struct inode;
struct file;

/* `name` was made in dir (a file, directory, node or symbolic link). */
void fsnotify_create(struct inode *dir, const char *name, struct inode *inode);
/* A new hard link to inode: its link count changed, dir has a new name. */
void fsnotify_link(struct inode *dir, const char *name, struct inode *inode);
/* `name`, which was inode, was removed from dir (unlink or rmdir). */
void fsnotify_unlinked(struct inode *dir, const char *name, struct inode *inode);
/* inode moved from olddir/oldname to newdir/newname; `replaced` is the
 * inode the new name named before, if any. */
void fsnotify_move(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
                   struct inode *inode, struct inode *replaced);
/* The contents were read; changed (write, truncate, fallocate). */
void fsnotify_access(struct inode *inode);
void fsnotify_modify(struct inode *inode);
/* Metadata changed: mode, owner, times. */
void fsnotify_attrib(struct inode *inode);
/* A file was opened; its last reference went (after the lease counts). */
void fsnotify_open(struct file *f);
void fsnotify_close(struct file *f);

#endif
