/*
 * mount and umount2. A mount makes a directory (the mount point) stand for
 * the root of a superblock's tree, or of a directory in one (a bind mount):
 * path lookup crosses from the one to the other, and ".." at a mounted root
 * leaves through its mount point. mount(2) finds the file-system type by
 * name (fs/super.c) and the type gives the superblock: "tmpfs" and "ramfs" a
 * new one per mount, "proc" and "devtmpfs" their one instance (as Linux has
 * a single devtmpfs). At boot the kernel mounts /dev and /proc, so
 * /proc/mounts lists them; an init that mounts them again stacks a mount,
 * as Linux would; those two boot mounts cannot be unmounted (EBUSY).
 * Read-only and noexec mounts are not supported (EINVAL) rather than
 * accepted and not enforced; nosuid and nodev are accepted and have nothing
 * to do (every process is root, and only the kernel makes device nodes).
 */
#include "errno.h"
#include "fs.h"
#include "lib.h"
#include "mm.h"
#include "seq_buf.h"
#include "uaccess.h"


#define MAX_MOUNTS 32
#define FSTYPE_MAX 16

#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_REMOUNT 32
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_BIND 4096
#define MS_REC 16384
#define MS_SILENT 32768
#define MS_RELATIME (1 << 21)
#define MS_STRICTATIME (1 << 24)
#define MS_MGC_MASK 0xffff0000u
#define MS_MGC_VAL 0xc0ed0000u
#define MNT_FORCE 1
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8

struct mount {
    struct inode *mountpoint; /* the directory covered */
    struct inode *root;       /* what is seen there */
    struct super_block *sb;   /* root's */
    char source[32], fstype[FSTYPE_MAX];
    u32 flags;                /* MS_NOSUID | MS_NODEV | the atime flags, for /proc/mounts */
    bool kernel_made;         /* /proc and /dev at boot: their trees cannot be taken away */
};

/* In the order made: a later mount on the same point covers an earlier one. */
static struct mount mounts[MAX_MOUNTS];
static int mount_count;

struct inode *mount_cross(struct inode *dir)
{
    for (int hops = 0, crossed = 1; crossed && hops < MAX_MOUNTS; hops++) {
        crossed = 0;
        for (int i = mount_count - 1; i >= 0; i--) {
            if (mounts[i].mountpoint == dir && mounts[i].root != dir) {
                dir = mounts[i].root;
                crossed = 1;
                break;
            }
        }
    }
    return dir;
}

/* The newest mount seen at the place of `covered`, the directory a path names
 * before any mount: mounts stack, each over the root of the one before. */
static struct mount *mount_at(struct inode *covered)
{
    struct mount *top = NULL;
    struct inode *dir = covered;
    for (int hops = 0; hops < MAX_MOUNTS; hops++) {
        struct mount *found = NULL;
        for (int i = mount_count - 1; i >= 0 && &mounts[i] > top; i--) {
            if (mounts[i].mountpoint == dir) {
                found = &mounts[i];
                break;
            }
        }
        if (!found)
            break;
        top = found;
        if (found->root == dir)
            break; /* mounted over itself: nothing stacks through it */
        dir = found->root;
    }
    return top;
}

/* The directory a mounted tree's root stands over (the newest such mount),
 * or NULL for a directory that is not the root of a mount elsewhere. */
struct inode *mount_point_of(struct inode *root)
{
    for (int i = mount_count - 1; i >= 0; i--)
        if (mounts[i].root == root && mounts[i].mountpoint != root)
            return mounts[i].mountpoint;
    return NULL;
}

/* "..": out of a mounted root to its mount point first (as often as mounts
 * stack; never more than there are mounts), then up, then into what is
 * mounted there. */
struct inode *mount_parent(struct inode *dir)
{
    for (int hops = 0; hops < MAX_MOUNTS; hops++) {
        struct inode *covered = mount_point_of(dir);
        if (!covered)
            break;
        dir = covered;
    }
    if (dir == root_inode)
        return dir;
    return mount_cross(dir->parent);
}

static int add_mount(struct inode *mountpoint, struct inode *root, const char *source, const char *fstype, u32 flags)
{
    if (mount_count == MAX_MOUNTS)
        return -ENOMEM;
    struct mount *m = &mounts[mount_count++];
    m->mountpoint = mountpoint;
    m->root = root;
    m->sb = root->sb;
    m->sb->mounts++;
    inode_get(mountpoint);
    inode_get(root);
    strlcpy(m->source, source, sizeof(m->source));
    strlcpy(m->fstype, fstype, sizeof(m->fstype));
    m->flags = flags;
    return 0;
}

/* The mounts the kernel makes at boot, before the first process: the type's
 * instance over `path` in the root file system (made if the initramfs has
 * no such directory). */
void mount_boot(const char *path, const char *source, const char *fstype)
{
    struct inode *dir;
    if (path_lookup(NULL, path, true, &dir) && !(dir = inode_create(root_inode, path + 1, S_IFDIR | 0755)))
        panic("cannot create %s", path);
    struct file_system_type *type = find_filesystem(fstype);
    long err = -ENODEV;
    struct super_block *sb = type && type->mount ? type->mount(type, "", &err) : NULL;
    if (!sb || add_mount(dir, sb->root, source, fstype, 0))
        panic("cannot mount %s on %s (error %ld)", fstype, path, err);
    mounts[mount_count - 1].kernel_made = true;
}

/* A tree the kernel mounts at boot (a 9p share) over the directory `path`, which must exist. */
int mount_boot_tree(const char *path, struct super_block *sb, const char *source)
{
    struct inode *dir;
    int err = path_lookup(NULL, path, true, &dir);
    if (err)
        return err;
    dir = mount_cross(dir);
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    err = add_mount(dir, sb->root, source, sb->type->name, 0);
    if (!err)
        mounts[mount_count - 1].kernel_made = true;
    return err;
}

/* Mount ids as Linux numbers them from its first mount: the root file system 1, then each mount. */
#define ROOT_MOUNT_ID 1
static int mount_id(int index) { return ROOT_MOUNT_ID + 1 + index; }

int mount_id_of(struct super_block *sb)
{
    if (sb == root_inode->sb)
        return ROOT_MOUNT_ID;
    for (int i = 0; i < mount_count; i++)
        if (mounts[i].sb == sb)
            return mount_id(i);
    return 0;
}

/* The mount a directory lies in: the latest one whose tree holds it. */
static int mount_id_containing(struct inode *dir)
{
    for (int hops = 0; hops < 4096; hops++, dir = dir->parent) {
        for (int i = mount_count - 1; i >= 0; i--)
            if (mounts[i].root == dir)
                return mount_id(i);
        if (dir == root_inode || dir->parent == dir)
            break;
    }
    return ROOT_MOUNT_ID;
}

/* A mount's options as /proc shows them. */
static const char *mount_options(const struct mount *m, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s", m->sb->read_only ? "ro" : "rw", m->flags & MS_NOSUID ? ",nosuid" : "", m->flags & MS_NODEV ? ",nodev" : "",
             m->flags & MS_NOATIME ? ",noatime" : m->flags & MS_STRICTATIME ? "" : ",relatime");
    return buf;
}

/* /proc/mounts (the fstab format) or /proc/PID/mountinfo (with ids and devices). */
static void mounts_show_as(struct seq_buf *s, bool info)
{
    /* The root: the initramfs's rootfs, or a 9p share the kernel made the root (docs/9p.md). */
    struct super_block *root_sb = root_inode->sb;
    const char *root_type = root_sb->type->name, *root_mode = root_sb->read_only ? "ro" : "rw";
    const char *root_source = root_sb->read_only ? "sysgate-root" : root_type;
    if (info)
        seq_printf(s, "%d %d %u:%u / / %s - %s %s %s\n", ROOT_MOUNT_ID, ROOT_MOUNT_ID, MAJOR(root_sb->dev),
                   MINOR(root_sb->dev), root_mode, root_type, root_source, root_mode);
    else
        seq_printf(s, "%s / %s %s 0 0\n", root_source, root_type, root_mode);
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return;
    for (int i = 0; i < mount_count && !s->overflow; i++) {
        struct mount *m = &mounts[i];
        char options[64];
        if (inode_full_path(m->mountpoint, path, PATH_MAX) < 0)
            continue;
        mount_options(m, options, sizeof(options));
        if (info)
            seq_printf(s, "%d %d %u:%u / %s %s - %s %s %s\n", mount_id(i), mount_id_containing(m->mountpoint),
                       MAJOR(m->sb->dev), MINOR(m->sb->dev), path, options, m->fstype, m->source,
                       m->sb->read_only ? "ro" : "rw");
        else
            seq_printf(s, "%s %s %s %s 0 0\n", m->source, path, m->fstype, options);
    }
    kfree(path);
}

void mounts_show(struct seq_buf *s) { mounts_show_as(s, false); }
void mountinfo_show(struct seq_buf *s) { mounts_show_as(s, true); }

/* The root of a new mount of `fstype`: the superblock its type gives. */
static struct inode *fs_root(const char *fstype, const char *options, long *err)
{
    struct file_system_type *type = find_filesystem(fstype);
    if (!type || !type->mount) {
        *err = -ENODEV; /* as Linux says for a type it does not know */
        return NULL;
    }
    struct super_block *sb = type->mount(type, options, err);
    return sb ? sb->root : NULL;
}

long sys_mount(const char __user *usource, const char __user *utarget, const char __user *utype, u64 flags,
               const void __user *udata)
{
    if ((flags & MS_MGC_MASK) == MS_MGC_VAL)
        flags &= ~(u64)MS_MGC_MASK; /* the old magic number, which Linux drops */
    char *target = kmalloc(PATH_MAX);
    char source[32] = "none", fstype[FSTYPE_MAX] = "", options[128] = "";
    long err = target ? copy_path_from_user(target, utarget) : -ENOMEM;
    if (!err && usource) {
        long n = strncpy_from_user(source, usource, sizeof(source));
        err = n < 0 ? n : 0;
        source[sizeof(source) - 1] = 0;
    }
    if (!err && utype && !(flags & (MS_BIND | MS_REMOUNT))) {
        long n = strncpy_from_user(fstype, utype, sizeof(fstype));
        err = n < 0 ? n : n == (long)sizeof(fstype) ? -ENODEV : 0;
    }
    if (!err && udata && !(flags & MS_BIND)) {
        long n = strncpy_from_user(options, udata, sizeof(options));
        err = n < 0 ? n : 0;
        options[sizeof(options) - 1] = 0;
    }
    struct inode *covered = NULL;
    if (!err)
        err = path_lookup_covered(target, true, &covered);
    kfree(target);
    if (err)
        return err;
    struct inode *dir = mount_cross(covered); /* a new mount goes on top of what is there */
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    u32 known = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_REMOUNT | MS_NOATIME | MS_NODIRATIME | MS_BIND |
                MS_REC | MS_SILENT | MS_RELATIME | MS_STRICTATIME;
    if ((flags & ~(u64)known) || (flags & (MS_RDONLY | MS_NOEXEC)))
        return -EINVAL; /* see above: what sysgate would not enforce it does not accept */
    u32 shown = (u32)flags & (MS_NOSUID | MS_NODEV | MS_NOATIME | MS_STRICTATIME);
    if (flags & MS_REMOUNT) {
        struct mount *m = mount_at(covered);
        if (!m)
            return -EINVAL;
        m->flags = shown;
        return 0;
    }
    struct inode *root;
    if (flags & MS_BIND) {
        char *from = kmalloc(PATH_MAX);
        err = from ? copy_path_from_user(from, usource) : -ENOMEM;
        err = err ?: path_lookup(NULL, from, true, &root);
        kfree(from);
        if (err)
            return err;
        if (!S_ISDIR(root->mode))
            return -EINVAL; /* binding files is not supported */
        strlcpy(fstype, root->sb->type->name, sizeof(fstype));
    } else {
        if (!*fstype)
            return -ENODEV;
        root = fs_root(fstype, options, &err);
        if (!root)
            return err;
    }
    return add_mount(dir, root, source, fstype, shown);
}

long sys_umount2(const char __user *utarget, int flags)
{
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return -EINVAL;
    if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
        return -EINVAL;
    char *target = kmalloc(PATH_MAX);
    long err = target ? copy_path_from_user(target, utarget) : -ENOMEM;
    struct inode *covered = NULL;
    if (!err)
        err = path_lookup_covered(target, !(flags & UMOUNT_NOFOLLOW), &covered);
    kfree(target);
    if (err)
        return err;
    if (flags & MNT_EXPIRE)
        return -EAGAIN; /* the first call only marks the mount, as on Linux */
    struct mount *m = mount_at(covered);
    if (!m)
        return -EINVAL; /* not a mount point */
    if (m->kernel_made)
        return -EBUSY; /* the kernel's own /proc and /dev stay */
    struct super_block *sb = m->sb;
    inode_put(m->mountpoint);
    inode_put(m->root);
    if (--sb->mounts == 0 && sb->ops->put_super)
        super_retire(sb); /* a tmpfs: nothing can reach its tree again */
    memmove(m, m + 1, (size_t)(&mounts[mount_count] - (m + 1)) * sizeof(*m)); /* the rest keep their order */
    mount_count--;
    return 0;
}

long sys_oldumount(const char __user *target) { return sys_umount2(target, 0); }
