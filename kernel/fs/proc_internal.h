/*
 * procfs's own header: what its files show, for the tree in procfs.c.
 * proc_pid.c shows a process (or a thread: /proc/PID/task/TID), and
 * proc_system.c the whole system.
 */
#ifndef SYSGATE_PROC_INTERNAL_H
#define SYSGATE_PROC_INTERNAL_H

#include "seq_buf.h"
#include "types.h"

struct task;

/* A file's text, a link's target (its length, 0 when it has none). */
typedef void proc_show_fn(struct task *t, struct seq_buf *s);
typedef size_t proc_link_fn(struct task *t, char *buf, size_t size);
/* The same for an entry of a directory made of numbers (fd/N, fdinfo/N). */
typedef void proc_show_nr_fn(struct task *t, long n, struct seq_buf *s);
/* Where a magic link leads (an inode, uncounted), or NULL when it is gone. */
typedef struct inode *proc_follow_fn(struct task *t);
typedef struct inode *proc_follow_nr_fn(struct task *t, long n);
typedef size_t proc_link_nr_fn(struct task *t, long n, char *buf, size_t size);

/* /proc/PID and /proc/PID/task/TID */
proc_show_fn proc_pid_cmdline, proc_pid_environ, proc_pid_auxv, proc_pid_comm, proc_pid_stat, proc_pid_status, proc_pid_maps,
    proc_pid_limits, proc_pid_mountinfo, proc_pid_smaps, proc_pid_smaps_rollup;
proc_link_fn proc_pid_exe, proc_pid_cwd, proc_pid_root;
proc_follow_fn proc_pid_cwd_inode, proc_pid_root_inode;
/* pagemap: a file of its own operations, and the process such a file shows
 * (NULL once it is gone). */
struct file;
extern const struct file_ops proc_pagemap_ops;
extern const struct file_ops proc_pid_mem_ops;
struct task *proc_file_task(struct file *f);
/* fd/ and fdinfo/: the descriptors from `from` on (-1: no more), and each one. */
long proc_next_fd(struct task *t, long from);
proc_link_nr_fn proc_pid_fd_link;
proc_follow_nr_fn proc_pid_fd_inode;
u32 proc_pid_fd_mode(struct task *t, long fd); /* a link readable/writable as the file was opened */
proc_show_nr_fn proc_pid_fdinfo;
/* task/: the process's threads, from `from` on. */
long proc_next_thread(struct task *t, long from);

/* The whole system */
proc_show_fn proc_meminfo, proc_uptime, proc_cpuinfo, proc_mounts, proc_stat, proc_loadavg, proc_version,
    proc_cmdline, proc_filesystems, proc_swaps;
/* /proc/sys */
proc_show_fn proc_sys_pid_max, proc_sys_tainted, proc_sys_hostname, proc_sys_domainname, proc_sys_ostype,
    proc_sys_osrelease, proc_sys_version, proc_sys_boot_id, proc_sys_uuid, proc_sys_threads_max,
    proc_sys_pipe_max_size, proc_sys_file_max, proc_sys_nr_open, proc_sys_overcommit_memory, proc_sys_ngroups_max,
    proc_sys_cap_last_cap, proc_sys_ip_local_port_range, proc_sys_somaxconn;

#endif
