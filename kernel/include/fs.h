/* The VFS: superblocks, inodes, open files, the page cache, path lookup. */
#ifndef SYSGATE_FS_H
#define SYSGATE_FS_H

#include "refcount.h"
#include "time.h"
#include "types.h"
#include "wait.h"

#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define PATH_MAX 4096 /* bytes in a path, with its NUL, as on Linux */
#define S_IFIFO 0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_IXGRP 00010

#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_TMPFILE_FLAG 020000000 /* Linux's __O_TMPFILE; O_TMPFILE is it with O_DIRECTORY */
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define O_PATH 010000000

#define AT_FDCWD -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000

struct file;
struct regs;
struct poll_table;
struct inode;
struct super_block;
struct statfs_k;
struct dir_context;

/*
 * The VFS's four objects, each with the table of operations its file system
 * fills in (docs/architecture.md, "The VFS"):
 *   struct super_block   one mounted instance of a file system (super_operations)
 *   struct inode         a file, directory, link or device node (inode_operations)
 *   struct file          an open file (file_ops)
 *   struct address_space the pages of a file's contents, the page cache
 *                        (address_space_operations)
 * sysgate has no dentry cache: a directory's entries are the file system's
 * own, reached through lookup and iterate, and each inode records the
 * directory it was made in (`parent`), which is what ".." and getcwd need.
 */

/* An open file's operations (Linux's file_operations). */
struct file_ops {
    ssize_t (*read)(struct file *f, char __user *buf, size_t len, u64 *pos);
    ssize_t (*write)(struct file *f, const char __user *buf, size_t len, u64 *pos);
    /* NULL: the VFS's default (fs/read_write.c: regular files and directories
     * seek, devices ignore seeks, streams give ESPIPE). */
    s64 (*llseek)(struct file *f, s64 offset, unsigned whence);
    long (*ioctl)(struct file *f, unsigned cmd, u64 arg);
    /* Called once the file exists, before a descriptor names it: a device
     * node's replaces f->ops with its driver's. */
    int (*open)(struct inode *inode, struct file *f);
    void (*release)(struct file *f); /* the last reference is gone */
    /* For poll and select: which of POLLIN/POLLOUT/POLLHUP/POLLERR hold now.
     * With a table, first poll_wait()s on each queue that announces a change
     * of them (wait.h). */
    unsigned (*poll)(struct file *f, struct poll_table *table);
    /* mmap's say before a mapping is made: 0 or its errno. NULL: a file
     * with a page cache maps it, any other is ENODEV. */
    int (*mmap)(struct file *f);
    /* Directories: emits the entries at positions >= ctx->pos (0 and 1 are
     * "." and "..", which the VFS emits). Takes the inode, not the file, so
     * that getcwd can search a directory without opening it. */
    int (*iterate)(struct inode *dir, struct dir_context *ctx);
    bool stream; /* no file position: lseek gives ESPIPE (terminals, pipes) */
    bool fasync; /* announces readiness to O_ASYNC owners (fasync_notify): FIOASYNC takes it */
    /* O_ASYNC turned on (it was off): a driver's choice of owner where none is set. */
    int (*async_on)(struct file *f);
};

/* What a directory walk reports each entry to: getdents's buffer, or getcwd's search. */
struct dir_context {
    /* false: no room, the walk stops and the entry is given again next time */
    bool (*emit)(struct dir_context *ctx, const char *name, size_t len, u64 ino, u32 mode);
    u64 pos; /* the entry being emitted; the next one once emit returns true */
};

#define ATTR_SIZE 1
/* chmod, chown and utimensat, for a file system with a store behind it (a writable 9p
 * share), told before the VFS changes the inode; one without ignores them. */
#define ATTR_MODE 2
#define ATTR_UID 4
#define ATTR_GID 8
#define ATTR_ATIME 16
#define ATTR_MTIME 32
struct iattr {
    u32 valid; /* ATTR_*: which members apply */
    u64 size;
    u32 mode, uid, gid;
    struct timespec_k atime, mtime;
};
/* Tells the file system of a change of attributes (fs/vfs_ops.c): 0 or its error. */
int inode_store_attributes(struct inode *inode, const struct iattr *attr);

/*
 * An inode's operations. Directory operations take the parent and the final
 * name; the VFS has already checked what is generic (the name is free or
 * names the right kind of inode, both directories are on this file system).
 * A NULL member is an operation the file system does not have: the VFS gives
 * Linux's error for it (EPERM for changes, EACCES for creating files).
 */
struct kstat;
struct inode_operations {
    /* The entry `name` (len bytes, no NUL needed), uncounted like every look-up's result, or NULL. */
    struct inode *(*lookup)(struct inode *dir, const char *name, size_t len);
    int (*create)(struct inode *dir, const char *name, u32 mode, struct inode **out);
    int (*mkdir)(struct inode *dir, const char *name, u32 mode, struct inode **out);
    int (*mknod)(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out);
    int (*symlink)(struct inode *dir, const char *name, const char *target);
    int (*link)(struct inode *inode, struct inode *dir, const char *name);
    int (*unlink)(struct inode *dir, const char *name);
    int (*rmdir)(struct inode *dir, const char *name); /* ENOTEMPTY is the file system's to say */
    /* flags: RENAME_NOREPLACE/RENAME_EXCHANGE; a replaced directory must be empty. */
    int (*rename)(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
                  unsigned flags);
    /* A symbolic link's target, NUL-terminated in buf; returns its length. */
    size_t (*get_link)(struct inode *link, char *buf, size_t size);
    /* A "magic" link (/proc/PID/fd/N, cwd, root) leads to an inode, not a
     * path: following it gives that inode, uncounted, or NULL when it is gone.
     * Its get_link text is only what readlink shows. */
    struct inode *(*follow_magic)(struct inode *link);
    /* O_TMPFILE: a new file of `mode` on dir's file system that no directory names yet. */
    int (*tmpfile)(struct inode *dir, u32 mode, struct inode **out);
    /* What the VFS cannot change alone (the size: the page cache and the store). */
    int (*setattr)(struct inode *inode, const struct iattr *attr);
    /* What only the file system knows of a file (a 9p host's block count): it
     * corrects the kstat the VFS filled from the inode. */
    void (*getattr)(const struct inode *inode, struct kstat *st);
};

/*
 * Where a file's pages come from and go to. The VFS keeps the pages (one
 * copy of each, shared by read, write, every mapping, exec and sendfile);
 * the file system fills a page the first time it is needed.
 */
struct address_space_operations {
    /* Fills `page` (PAGE_SIZE bytes, zeroed) with the contents at index * PAGE_SIZE. */
    int (*read_page)(struct inode *inode, u64 index, void *page);
    /* A cached page changed (write, a shared writable mapping). A file system
     * with a store behind the cache (a 9P client) notes it to write back;
     * NULL where the cache is the file (ramfs). */
    void (*set_page_dirty)(struct inode *inode, u64 index);
};

struct address_space {
    phys_addr_t *pages; /* by index; 0 where not in the cache */
    u64 slots;
    const struct address_space_operations *ops; /* NULL: the file has no page cache */
};

struct super_operations {
    /* A zeroed inode, inside the file system's own larger structure. */
    struct inode *(*alloc_inode)(struct super_block *sb);
    void (*destroy_inode)(struct inode *inode);
    /* An inode nothing holds any more: whether it goes now. NULL: when no
     * directory names it (nlink 0). */
    bool (*drop_inode)(struct inode *inode);
    void (*statfs)(struct super_block *sb, struct statfs_k *out);
    void (*put_super)(struct super_block *sb); /* its last mount is gone */
};

struct file_system_type {
    const char *name;
    /* The superblock a mount(2) of this type shows: a new one (tmpfs) or the
     * one instance (proc, devtmpfs); NULL and *err on failure. */
    struct super_block *(*mount)(struct file_system_type *type, const char *options, long *err);
    struct file_system_type *next;
};

struct super_block {
    struct file_system_type *type;
    const struct super_operations *ops;
    u64 magic;         /* statfs's f_type */
    u32 dev;           /* st_dev of its inodes: an anonymous device number, as Linux gives */
    struct inode *root;
    u64 next_ino;
    u32 mounts;        /* mounts showing it */
    u64 inodes;        /* inodes alive in it */
    bool retired;      /* unmounted for good: freed with its last inode */
    bool stores_nothing; /* its sizes are not storage (procfs): st_blocks is 0 */
    bool read_only;    /* changes fail with EROFS (a read-only 9p share), Linux's SB_RDONLY */
    void *fs_info;     /* the file system's own (Linux's s_fs_info) */
    bool records_birth;  /* statx shows its inodes' btime (tmpfs) */
};

struct inode {
    struct super_block *sb;
    u64 ino;
    u32 mode;
    u32 uid, gid;
    u32 nlink;
    u32 rdev;                  /* device nodes: (major << 8) | minor */
    u64 size;
    /* Since the epoch, to the nanosecond; btime is the birth (statx). */
    struct timespec_k atime, mtime, ctime, btime;
    const struct inode_operations *iops;
    const struct file_ops *fops;
    struct address_space mapping; /* the page cache */
    /* The directory it was made in (held): ".." for a directory, the path of
     * a file for /proc/PID/exe; a root is its own. */
    struct inode *parent;
    struct pipe *pipe;         /* a FIFO's while it is open; an anonymous pipe's */
    struct flock_holder *flocks; /* flock(2) holders (fs/flock.c) */
    struct wait_queue flock_waiters;
    struct file_lock *posix_locks; /* fcntl record and OFD locks (fs/posix_lock.c) */
    struct wait_queue posix_waiters;
    struct lease *leases;      /* F_SETLEASE's (fs/lease.c) */
    u32 open_readers, open_writers; /* open files of a regular file, for the leases' conflicts */
    bool linkable;             /* an O_TMPFILE file without O_EXCL: linkat may give it a name (Linux's I_LINKABLE) */
    bool sealable;             /* a memfd: F_ADD_SEALS and F_GET_SEALS apply (fs/memfd.c) */
    u32 seals;                 /* F_SEAL_* */
    char *unnamed_path;        /* owned: what /proc/PID/fd shows of a file no directory names ("/memfd:NAME") */
    use_count_t refs;          /* open files and mappings of it, mounts on or of it, current directories, children */
    struct inotify_watch *inotify_watches; /* the watches on it (fs/inotify.c), each holding it */
};

struct file {
    struct inode *inode;
    const struct file_ops *ops;
    u64 pos;
    u32 flags;
    refcount_t refs; /* descriptors naming it, calls using it (fdget), flock waiters */
    void *private; /* the driver's (a pipe's buffer) */
    struct epitem *epitems; /* epoll items watching it, which go with it (fs/eventpoll.c) */
    const char *anon_name;  /* an anon_inodefs file's kind, as /proc/PID/fd shows it ("[eventfd]") */
    struct fasync *fasync;  /* its O_ASYNC owner and signal (fs/fasync.c), once set */
};

#define O_LARGEFILE 0100000
#define O_ASYNC 020000 /* signals the owner when ready (fs/fasync.c) */

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

extern struct inode *root_inode;

/* Superblocks and file-system types (fs/super.c). */
void register_filesystem(struct file_system_type *type);
struct file_system_type *find_filesystem(const char *name);
struct super_block *super_create(struct file_system_type *type, const struct super_operations *ops, u64 magic);
/* For a type that makes a superblock per mount, once its last mount is gone. */
void super_retire(struct super_block *sb);
/* A new inode of `sb` with one name (nlink 1, 2 for a directory), no reference. */
struct inode *inode_alloc(struct super_block *sb, u32 mode);
void inode_set_parent(struct inode *inode, struct inode *parent);
void init_special_inode(struct inode *inode, u32 mode, u32 rdev);
void statfs_ram(struct super_block *sb, struct statfs_k *out);
void inode_release(struct inode *inode);
void inode_get(struct inode *inode);
/* Drops a reference; the inode goes once nothing references or names it. */
void inode_put(struct inode *inode);

/* Leases (fs/lease.c). An open of a regular file is counted (opened,
 * closed) and breaks the leases it conflicts with, waiting for their holders
 * unless O_NONBLOCK (-EWOULDBLOCK); closing drops the file's lease. */
void lease_file_opened(struct file *f);
int lease_break_for_open(struct file *f);
/* truncate(2): breaks every lease and waits for the holders (0 or -EINTR...). */
int lease_break_for_truncate(struct inode *inode);
void lease_file_closed(struct file *f);
/* F_SETLEASE and F_GETLEASE; fd is the break signal's si_fd. */
long lease_fcntl(struct file *f, int fd, unsigned cmd, u64 arg);

/* ramfs and tmpfs (fs/ramfs.c). */
void ramfs_init(void);
struct super_block *ramfs_super_create(struct file_system_type *type, u32 root_mode, u64 magic);
/* The contents are `size` bytes the inode does not own (the initramfs's). */
void inode_borrow_data(struct inode *inode, const u8 *data, u64 size);
/* An inode in no directory, freed with its last reference: a tmpfs root, a shared anonymous object. */
struct inode *inode_create_detached(u32 mode);
struct inode *pipe_inode_create(void);

/* The VFS side of the directory operations (fs/vfs_ops.c): Linux's errors
 * for what a file system lacks, then its inode_operations. */
struct inode *dir_lookup(struct inode *dir, const char *name);
/* Creates `name` in dir: a regular file, directory, FIFO or device node by mode. */
struct inode *inode_create(struct inode *dir, const char *name, u32 mode);
/* Permission checks (fs/permission.c): MAY_* is what the caller wants to
 * do; each returns 0 or the errno Linux gives. */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4
int inode_permission(const struct inode *inode, int mask);
/* -EROFS for an inode of a read-only file system (Linux's mnt_want_write), else 0. */
int inode_fs_writable(const struct inode *inode);
bool inode_owner_or_capable(const struct inode *inode);
int may_create(const struct inode *dir);
int may_delete(const struct inode *dir, const struct inode *victim);
void inode_init_owner(struct inode *inode, const struct inode *dir);
int vfs_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out);
int vfs_symlink(struct inode *dir, const char *name, const char *target);
int vfs_link(struct inode *inode, struct inode *dir, const char *name);
int vfs_unlink(struct inode *dir, const char *name);
int vfs_rmdir(struct inode *dir, const char *name);
int vfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname, unsigned flags);
int inode_set_size(struct inode *inode, u64 size);

/* The page cache (fs/page_cache.c). */
/* The cached page at `index` of a file, read in if absent; 0 past the end of file or when out of memory. */
phys_addr_t file_page(struct inode *inode, u64 index);
bool page_cache_has(struct inode *inode, u64 index); /* without reading it in */
ssize_t page_cache_read(struct inode *inode, char __user *buf, size_t len, u64 *pos);
ssize_t page_cache_write(struct inode *inode, const char __user *buf, size_t len, u64 *pos);
/* Into the kernel: bytes read (short at the end of file), or a negative errno. */
ssize_t kernel_read(struct inode *inode, u64 pos, void *buf, size_t len);
void page_cache_truncate(struct inode *inode, u64 size);
void page_cache_release(struct inode *inode);
void page_cache_mark_dirty(struct inode *inode, u64 index);
/* Puts a page the file system read ahead into the cache: false (the caller keeps
 * the page) when the slot is already filled or the table cannot grow. */
bool page_cache_add(struct inode *inode, u64 index, phys_addr_t page);
/* Lets go of the cached pages [first, end) of a file whose store keeps them (9p): a later
 * use reads them again. Mappings keep the pages they map. */
void page_cache_drop(struct inode *inode, u64 first, u64 end);
s64 generic_file_llseek(struct file *f, s64 offset, unsigned whence);

u32 current_umask(void);
long inode_path(struct inode *dir, const char *file_name, char *out, size_t size);
/* The name of inode in its parent (NAME_MAX + 1 bytes at `name`); false once removed. */
bool inode_name_in_parent(struct inode *inode, char *name);
long inode_full_path(struct inode *inode, char *out, size_t size);
/* What /proc/PID/fd shows for an open file: its path, or "pipe:[INO]",
 * "socket:[INO]", "anon_inode:[eventfd]". The length with its NUL, or -errno. */
long file_path(struct file *f, char *out, size_t size);
int copy_path_from_user(char *dst, const char __user *src);
long sys_fadvise64(int fd, s64 offset, s64 len, int advice);
long sys_readahead(int fd, s64 offset, u64 count);
struct timespec_k;
long do_utimensat(int dirfd, const char __user *path, const struct timespec_k *times, int flags);
long do_sendfile(int out_fd, int in_fd, s64 *offset, u64 count);
int fifo_open(struct file *f);
#define PIPE_MAX_SIZE (1u << 20) /* fs.pipe-max-size: F_SETPIPE_SZ's limit without CAP_SYS_RESOURCE */
/* F_GETPIPE_SZ and F_SETPIPE_SZ: EBADF for a file that is not a pipe. */
long pipe_fcntl(struct file *f, unsigned cmd, u32 arg);

/* Seals (fs/memfd.c). */
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#define F_SEAL_FUTURE_WRITE 0x0010
#define F_SEAL_EXEC 0x0020
#define F_SEAL_ALL 0x003f
/* F_ADD_SEALS and F_GET_SEALS: EINVAL for a file that is not a memfd. */
long memfd_fcntl(struct file *f, unsigned cmd, u32 seals);
/* 0, or -EPERM when the inode's seals forbid the write or the new size. */
int seals_allow_write(struct inode *inode, u64 pos, u64 len);
int seals_allow_resize(struct inode *inode, u64 size);
void flock_release(struct file *f);

/* poll and select with the timeout already read (fs/poll.c): 0 waits for
 * ever, -1 does not wait, else nanoseconds; the signal mask is a user pointer. */
struct pollfd;
long poll_timed(struct pollfd __user *fds, u32 nfds, s64 timeout_ns, const u64 __user *sigmask, u64 size);
/* The time left of a timeout (poll_timed's convention) started at start_ns,
 * which select, pselect6 and ppoll write back as Linux does; -1: nothing to
 * write (no timeout, or a zero one). */
s64 poll_time_left(s64 timeout_ns, u64 start_ns);
/* ppoll, pselect6 and epoll_pwait: runs wait(arg) with the user's signal
 * mask (sigsetsize `size`) in force; EINTR keeps it for the handler. */
long poll_with_sigmask(const u64 __user *umask, u64 size, long (*wait)(void *), void *arg);
long select_timed(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, s64 timeout_ns,
                  const u64 __user *sigmask, u64 size);

/* Mounts (fs/mount.c): what a directory shows, and the ways up and out of a mounted tree. */
struct inode *mount_cross(struct inode *dir);
int path_lookup_covered(const char *path, bool follow_last, struct inode **out);
struct inode *mount_parent(struct inode *dir);
struct inode *mount_point_of(struct inode *root);
void mount_boot(const char *path, const char *source, const char *fstype);
int mount_boot_tree(const char *path, struct super_block *sb, const char *source);
struct seq_buf;
void mounts_show(struct seq_buf *s);    /* /proc/mounts */
void mountinfo_show(struct seq_buf *s); /* /proc/PID/mountinfo */
void filesystems_show(struct seq_buf *s); /* /proc/filesystems */
/* The id /proc/PID/mountinfo gives the mount of a superblock (0: mounted nowhere). */
int mount_id_of(struct super_block *sb);
/* The object behind a MAP_SHARED anonymous (or /dev/zero) mapping: an
 * unnamed inode of `size` bytes whose page cache is its only copy. */
struct inode *shmem_inode_create(u64 size);
int unpack_initramfs(const u8 *archive, u64 size);

/* Path lookup relative to `base` (NULL: the root). Returns 0 and the inode, or
 * a negative errno. With follow_last, a final symlink is followed. */
int path_lookup(struct inode *base, const char *path, bool follow_last, struct inode **out);
int path_lookup_parent(struct inode *base, const char *path, struct inode **dir, const char **last);
size_t symlink_target(struct inode *link, char *buf, size_t size);

/* A new open file with one reference, the caller's. */
struct file *file_open_inode(struct inode *inode, u32 flags);
/* The same, saying why not: 0, -ENOMEM, or the error of the driver's open
 * (ENXIO for a device no driver claims). */
int file_open(struct inode *inode, u32 flags, struct file **out);
/* The last put releases the file: its flocks, its driver's state (a pipe end
 * closes here, not when a descriptor does), its inode reference. */
void file_put(struct file *f);
void file_get(struct file *f);

/* Character devices: the kernel registers them; device nodes refer to them
 * by number and open through chrdev_file_ops (fs/devfs.c). */
void char_device_register(u32 rdev, const struct file_ops *ops);
const struct file_ops *char_device_ops(u32 rdev);
void devices_init(void);
extern const struct file_ops chrdev_file_ops, blkdev_file_ops;
extern const struct file_ops fifo_file_ops;

#define MKDEV(major, minor) (((major) << 8) | (minor))
#define MAJOR(dev) ((u32)(dev) >> 8)
#define MINOR(dev) ((u32)(dev) & 0xff)

#endif
