/*
 * A 9P2000.L client (kernel/fs/v9fs_client.c) over virtio (the virtio-9p device, "trans=virtio"
 * in Linux's words), and the file system built on it (kernel/fs/v9fs.c). docs/9p.md tells the
 * design: which messages, how fids and tags are allotted, how inodes and pages are cached.
 */
#ifndef SYSGATE_9P_H
#define SYSGATE_9P_H

#include "spinlock.h"
#include "time.h"
#include "types.h"
#include "wait.h"

/* Message types of 9P2000.L that the client sends (T) and the replies it expects (T + 1). */
enum p9_msg_type {
    P9_RLERROR = 7,
    P9_TSTATFS = 8,
    P9_TLOPEN = 12,
    P9_TLCREATE = 14,
    P9_TSYMLINK = 16,
    P9_TMKNOD = 18,
    P9_TREADLINK = 22,
    P9_TGETATTR = 24,
    P9_TSETATTR = 26,
    P9_TREADDIR = 40,
    P9_TLINK = 70,
    P9_TMKDIR = 72,
    P9_TRENAMEAT = 74,
    P9_TUNLINKAT = 76,
    P9_TVERSION = 100,
    P9_TATTACH = 104,
    P9_TWALK = 110,
    P9_TREAD = 116,
    P9_TWRITE = 118,
    P9_TCLUNK = 120,
};

#define P9_NOTAG 0xffff
#define P9_NOFID 0xffffffffu
#define P9_HEADER_SIZE 7          /* size[4] type[1] tag[2] */
#define P9_READ_HEADER_SIZE 11    /* Rread's header and count[4]; Rlerror is as long */
#define P9_QID_SIZE 13
#define P9_MAX_WALK_NAMES 16      /* wname's limit in one Twalk (MAXWELEM) */
#define P9_GETATTR_BASIC 0x000007ffull /* mode through blocks: what stat shows */

struct p9_qid {
    u8 type;
    u32 version;
    u64 path;
};

struct p9_attr {
    struct p9_qid qid;
    u32 mode, uid, gid;
    u64 nlink, rdev, size, blksize, blocks;
    struct timespec_k atime, mtime, ctime;
};

/* Tsetattr's valid bits */
#define P9_SETATTR_MODE 0x001
#define P9_SETATTR_UID 0x002
#define P9_SETATTR_GID 0x004
#define P9_SETATTR_SIZE 0x008
#define P9_SETATTR_ATIME 0x010
#define P9_SETATTR_MTIME 0x020
#define P9_SETATTR_ATIME_SET 0x080
#define P9_SETATTR_MTIME_SET 0x100

struct p9_setattr {
    u32 valid, mode, uid, gid;
    u64 size;
    struct timespec_k atime, mtime;
};

struct p9_statfs {
    u32 type, bsize;
    u64 blocks, bfree, bavail, files, ffree, fsid;
    u32 namelen;
};

struct virtqueue;

/* One connection: one virtio-9p device, one attached tree. */
struct p9_client {
    struct virtqueue *vq;
    u32 msize;                /* negotiated: the largest message either side sends */
    u32 root_fid;
    struct spinlock lock;     /* tags and fids */
    u64 tags_in_use;          /* bit per tag: one per request in flight, so at most 64 */
    struct wait_queue tag_free;
    u32 next_fid;
    u32 *free_fids;           /* clunked fids, to be given again */
    u32 free_fid_count, free_fid_room;
};

/* Finds the virtio-9p device whose mount tag is `tag`, negotiates the version and msize,
 * attaches to its tree. 0 or a negative errno. */
int p9_connect(const char *tag, struct p9_client **out, struct p9_qid *root_qid);

u32 p9_fid_alloc(struct p9_client *c);
/* Gives back a fid the server never made (its walk failed). */
void p9_fid_forget(struct p9_client *c, u32 fid);
/* Clunks the fid on the server and gives its number back. */
void p9_clunk(struct p9_client *c, u32 fid);

/* Walks from `fid` through `count` names (0: a clone) to `newfid`; the qid of the last. */
int p9_walk(struct p9_client *c, u32 fid, u32 newfid, const char *const *names, unsigned count, struct p9_qid *qid);
int p9_getattr(struct p9_client *c, u32 fid, struct p9_attr *attr);
/* Opens `fid` (Linux open flags); *iounit is the server's largest transfer, 0 for no limit. */
int p9_lopen(struct p9_client *c, u32 fid, u32 flags, u32 *iounit);
/* Reads into pages (each PAGE_SIZE bytes, `count` of them, at most p9_max_read_pages) from
 * `offset`: bytes read, or a negative errno. */
ssize_t p9_read_pages(struct p9_client *c, u32 fid, u64 offset, void *const *pages, unsigned count);
unsigned p9_max_read_pages(const struct p9_client *c);
/* Raw Rreaddir data (qid[13] offset[8] type[1] name[s] ...) into buf: its length, or -errno. */
ssize_t p9_readdir(struct p9_client *c, u32 fid, u64 offset, void *buf, u32 size);
/* A symbolic link's target, NUL-terminated: its length, or -errno (-ENAMETOOLONG past size). */
ssize_t p9_readlink(struct p9_client *c, u32 fid, char *buf, size_t size);
int p9_statfs(struct p9_client *c, u32 fid, struct p9_statfs *out);

/* Changes, for writable shares. Tlcreate turns `fid` (a directory's clone) into the new file,
 * open with `flags`; the others leave their fids as they were. */
int p9_lcreate(struct p9_client *c, u32 fid, const char *name, u32 flags, u32 mode, u32 gid, struct p9_qid *qid);
int p9_mkdir(struct p9_client *c, u32 dfid, const char *name, u32 mode, u32 gid, struct p9_qid *qid);
int p9_symlink(struct p9_client *c, u32 dfid, const char *name, const char *target, u32 gid, struct p9_qid *qid);
int p9_mknod(struct p9_client *c, u32 dfid, const char *name, u32 mode, u32 major, u32 minor, u32 gid,
             struct p9_qid *qid);
int p9_link(struct p9_client *c, u32 dfid, u32 fid, const char *name);
int p9_unlinkat(struct p9_client *c, u32 dfid, const char *name, u32 flags);
int p9_renameat(struct p9_client *c, u32 old_dfid, const char *old_name, u32 new_dfid, const char *new_name);
int p9_setattr(struct p9_client *c, u32 fid, const struct p9_setattr *attr);
/* Writes `count` bytes of kernel memory that lie in one page: bytes written, or -errno. */
ssize_t p9_write(struct p9_client *c, u32 fid, u64 offset, const void *data, u32 count);

/* The file system: mounts the share with mount tag `tag` read-only as a new superblock. */
struct super_block;
int v9fs_mount_share(const char *tag, bool writable, struct super_block **out);
/* Boot (kernel/fs/v9fs_boot.c): sysgate.root=TAG makes that share the root (true when it
 * did); then, once /dev and /proc are mounted, tmpfs goes on the root share's /tmp, /run and
 * /var/tmp and each sysgate.share=TAG:PATH is mounted. Failures panic: the monitor checked. */
bool v9fs_mount_root(void);
void v9fs_mount_shares(void);

#endif
