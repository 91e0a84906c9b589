/*
 * The 9p shares the monitor asks for on the command line (docs/9p.md):
 *   sysgate.root=TAG           the share with mount tag TAG becomes the root file system
 *   sysgate.share=TAG:PATH[:rw]  the share is mounted at PATH, writable with :rw (repeatable)
 * The initramfs was the root until then, and still holds what the kernel itself reads at
 * boot (/etc/sysgate/init.args), which kmain reads from the tree it keeps a hold of.
 */
#include "9p.h"
#include "errno.h"
#include "fs.h"
#include "kernel.h"
#include "lib.h"
#include "printk.h"

#define ROOT_WORD "sysgate.root="
#define SHARE_WORD "sysgate.share="
#define TAG_MAX 32
#define WRITABLE_SUFFIX ":rw"

/* The next word of the command line that starts with `prefix`, from *cursor on: what follows
 * the prefix, `len` bytes up to the next space. */
static const char *next_word(const char **cursor, const char *prefix, size_t *len)
{
    size_t prefix_len = strlen(prefix);
    for (const char *p = *cursor; p && *p;) {
        const char *end = strchr(p, ' ');
        if (!end)
            end = p + strlen(p);
        if (!strncmp(p, prefix, prefix_len)) {
            *cursor = end;
            *len = (size_t)(end - p) - prefix_len;
            return p + prefix_len;
        }
        p = *end ? end + 1 : end;
    }
    return NULL;
}

static struct super_block *mount_share_or_panic(const char *tag, bool writable)
{
    struct super_block *sb;
    int err = v9fs_mount_share(tag, writable, &sb);
    if (err)
        panic("cannot mount the 9p share %s: %s", tag, errno_text(err));
    return sb;
}

bool v9fs_mount_root(void)
{
    const char *cursor = kernel_cmdline;
    size_t len;
    const char *tag = next_word(&cursor, ROOT_WORD, &len);
    if (!tag)
        return false;
    char name[TAG_MAX];
    if (len >= sizeof(name))
        panic("sysgate.root: tag too long");
    memcpy(name, tag, len);
    name[len] = 0;
    struct super_block *sb = mount_share_or_panic(name, false);
    sb->mounts++;
    root_inode = sb->root;
    kprintf(KERN_INFO "9p: the share %s is the root file system (read-only)\n", name);
    return true;
}

/* PATH as a directory, made in a writable root (the initramfs) when missing. */
static void make_directories(const char *path)
{
    char partial[PATH_MAX];
    size_t len = strlen(path);
    if (len >= sizeof(partial))
        panic("9p: mount point %s too long", path);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != 0)
            continue;
        memcpy(partial, path, i);
        partial[i] = 0;
        struct inode *dir;
        if (!path_lookup(NULL, partial, true, &dir))
            continue;
        const char *last;
        int err = path_lookup_parent(NULL, partial, &dir, &last);
        err = err ?: vfs_create(mount_cross(dir), last, S_IFDIR | 0755, 0, NULL);
        if (err)
            panic("9p: cannot make the mount point %s: %s", partial, errno_text(err));
    }
}

/* Scratch space a program expects to write in, over the read-only root's own directories. */
static void mount_scratch_directories(void)
{
    static const char *const scratch[] = {"/tmp", "/run", "/var/tmp"};
    for (size_t i = 0; i < ARRAY_SIZE(scratch); i++) {
        struct inode *dir;
        if (!path_lookup(NULL, scratch[i], true, &dir) && S_ISDIR(dir->mode))
            mount_boot(scratch[i], "tmpfs", "tmpfs");
    }
}

void v9fs_mount_shares(void)
{
    if (root_inode->sb->read_only)
        mount_scratch_directories();
    size_t len;
    const char *cursor = kernel_cmdline, *word;
    while ((word = next_word(&cursor, SHARE_WORD, &len))) {
        const char *colon = memchr(word, ':', len);
        char tag[TAG_MAX], path[PATH_MAX];
        size_t tag_len = colon ? (size_t)(colon - word) : 0, path_len = colon ? len - tag_len - 1 : 0;
        if (!colon || tag_len >= sizeof(tag) || path_len >= sizeof(path) || path_len == 0 || colon[1] != '/')
            panic("sysgate.share: malformed (%.*s)", (int)len, word);
        memcpy(tag, word, tag_len);
        tag[tag_len] = 0;
        memcpy(path, colon + 1, path_len);
        path[path_len] = 0;
        /* ":rw" at the end: writable (the monitor refuses ':' in guest paths) */
        bool writable = path_len > strlen(WRITABLE_SUFFIX) &&
                        !strcmp(path + path_len - strlen(WRITABLE_SUFFIX), WRITABLE_SUFFIX);
        if (writable)
            path[path_len - strlen(WRITABLE_SUFFIX)] = 0;
        make_directories(path);
        struct super_block *sb = mount_share_or_panic(tag, writable);
        int err = mount_boot_tree(path, sb, tag);
        if (err)
            panic("cannot mount the 9p share %s on %s: %s", tag, path, errno_text(err));
        kprintf(KERN_INFO "9p: the share %s is mounted on %s (%s)\n", tag, path, writable ? "read-write" : "read-only");
    }
}
