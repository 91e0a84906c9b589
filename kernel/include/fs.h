/* The VFS: inodes of the in-memory file system, open files and path lookup. */
#ifndef SYSGATE_FS_H
#define SYSGATE_FS_H

#include "types.h"

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
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)

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
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define O_PATH 010000000

#define AT_FDCWD -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000

struct file;
struct regs;

struct file_ops {
    ssize_t (*read)(struct file *f, char __user *buf, size_t len, u64 *pos);
    ssize_t (*write)(struct file *f, const char __user *buf, size_t len, u64 *pos);
    long (*ioctl)(struct file *f, unsigned cmd, u64 arg);
    void (*release)(struct file *f); /* the last reference is gone */
    /* For poll and select: which of POLLIN/POLLOUT/POLLHUP/POLLERR hold now. */
    unsigned (*poll)(struct file *f);
    /* Directories whose entries are made on demand (procfs): the entry, or NULL. */
    struct inode *(*lookup)(struct inode *dir, const char *name, size_t len);
    /* Symbolic links whose target is made on demand: its length, written to buf. */
    size_t (*readlink)(const struct inode *link, char *buf, size_t size);
    bool stream; /* no file position: lseek gives ESPIPE (terminals, pipes) */
};

struct dirent_node {
    char name[256];
    struct inode *inode;
    struct dirent_node *next;
};

struct inode {
    u64 ino;
    u32 mode;
    u32 uid, gid;
    u32 nlink;
    u32 rdev;                  /* character devices: (major << 8) | minor */
    u64 size;
    u8 *data;                  /* regular files and symlink targets */
    u64 capacity;
    bool data_borrowed;        /* data is the initramfs's, not the heap's */
    struct flock_holder *flocks; /* flock(2) holders (fs/flock.c) */
    bool nameless;             /* an anonymous pipe's: freed with its last file, whatever nlink says */
    struct pipe *pipe;         /* a FIFO's while it is open; an anonymous pipe's */
    phys_addr_t *cache;        /* the page cache: cache_pages pages of the contents, 0 where not made */
    u64 cache_pages;
    bool cache_written;        /* a shared mapping may have written the cached pages */
    struct dirent_node *children;
    struct inode *parent;
    s64 atime, mtime, ctime;   /* seconds */
    const struct file_ops *fops;
    void *private;             /* the file system's own (procfs: the generator) */
    int refs;
};

struct file {
    struct inode *inode;
    const struct file_ops *ops;
    u64 pos;
    u32 flags;
    int refs;
    void *private; /* the driver's (a pipe's buffer) */
};

#define O_LARGEFILE 0100000

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

extern struct inode *root_inode;

void ramfs_init(void);
struct inode *inode_create(struct inode *dir, const char *name, u32 mode);
struct inode *pipe_inode_create(void);
struct inode *dir_lookup(struct inode *dir, const char *name);
int dir_unlink(struct inode *dir, const char *name);
int dir_link(struct inode *dir, const char *name, struct inode *inode);
int dir_move(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname);
int dir_exchange(struct inode *dir_a, const char *name_a, struct inode *dir_b, const char *name_b);
void inode_release(struct inode *inode);
u32 current_umask(void);
long inode_path(struct inode *dir, const char *file_name, char *out, size_t size);
long inode_full_path(struct inode *inode, char *out, size_t size);
int copy_path_from_user(char *dst, const char __user *src);
struct timespec_k;
long do_utimensat(int dirfd, const char __user *path, const struct timespec_k *times, int flags);
long do_sendfile(int out_fd, int in_fd, s64 *offset, u64 count);
int inode_set_size(struct inode *inode, u64 size);
void inode_borrow_data(struct inode *inode, const u8 *data, u64 size);
int fifo_open(struct file *f);
void flock_release(struct file *f);

/* poll and select with the timeout already read (fs/poll.c): 0 waits for
 * ever, -1 does not wait, else nanoseconds; the signal mask is a user pointer. */
struct pollfd;
long poll_timed(struct pollfd __user *fds, u32 nfds, s64 timeout_ns, const u64 __user *sigmask, u64 size);
long select_timed(int nfds, u64 __user *in, u64 __user *out, u64 __user *ex, s64 timeout_ns,
                  const u64 __user *sigmask, u64 size);
struct inode *inode_create_detached(u32 mode);

/* Mounts (fs/mount.c): what a directory shows, and the ways up and out of a mounted tree. */
struct inode *mount_cross(struct inode *dir);
int path_lookup_covered(const char *path, bool follow_last, struct inode **out);
struct inode *mount_parent(struct inode *dir);
struct inode *mount_point_of(struct inode *root);
void mount_boot(const char *path, const char *source, const char *fstype);
int mounts_text(char *buf, size_t size);
phys_addr_t file_page(struct inode *inode, u64 index);
/* The object behind a MAP_SHARED anonymous (or /dev/zero) mapping: an
 * unnamed inode of `size` bytes whose page cache is its only copy. */
struct inode *shmem_inode_create(u64 size);
void file_sync(struct inode *inode);
int unpack_initramfs(const u8 *archive, u64 size);

/* Path lookup relative to `base` (NULL: the root). Returns 0 and the inode, or
 * a negative errno. With follow_last, a final symlink is followed. */
int path_lookup(struct inode *base, const char *path, bool follow_last, struct inode **out);
int path_lookup_parent(struct inode *base, const char *path, struct inode **dir, const char **last);
size_t symlink_target(const struct inode *link, char *buf, size_t size);

struct file *file_open_inode(struct inode *inode, u32 flags);
void file_put(struct file *f);
void file_get(struct file *f);

/* Character devices: the kernel registers them; mknod-style nodes in /dev refer
 * to them by number. */
void char_device_register(u32 rdev, const struct file_ops *ops);
const struct file_ops *char_device_ops(u32 rdev);
void devices_init(void);

extern const struct file_ops ramfs_file_ops;

#define MKDEV(major, minor) (((major) << 8) | (minor))

#endif
