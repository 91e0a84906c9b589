/* The id tables and permission checks every System V IPC kind shares (Linux's ipc/util.c). */
#include "compat.h"
#include "cred.h"
#include "errno.h"
#include "ipc.h"
#include "lib.h"

/* x86-64's struct ipc64_perm. */
struct ipc64_perm_native {
    s32 key;
    u32 uid, gid, cuid, cgid;
    u32 mode; /* __kernel_mode_t is 32 bits on x86-64 */
    u16 seq, pad2;
    u64 unused1, unused2;
};
_Static_assert(sizeof(struct ipc64_perm_native) == 48, "x86-64 ipc64_perm");

/* i386's struct ipc64_perm (asm-generic). */
struct ipc64_perm_compat {
    s32 key;
    u32 uid, gid, cuid, cgid;
    u16 mode, pad1;
    u16 seq, pad2;
    u32 unused1, unused2;
} __attribute__((packed));
_Static_assert(sizeof(struct ipc64_perm_compat) == 36, "i386 ipc64_perm");

/* i386's old struct ipc_perm (Linux's compat_ipc_perm): 16-bit ids, mode and sequence number. */
struct ipc_perm_old {
    s32 key;
    u16 uid, gid, cuid, cgid;
    u16 mode, seq;
};
_Static_assert(sizeof(struct ipc_perm_old) == IPC_OLD_PERM_SIZE, "i386 old ipc_perm");

static struct ipc_object *find_idx(struct ipc_ids *ids, int idx)
{
    for (struct ipc_object *o = ids->objects; o && o->idx <= idx; o = o->next)
        if (o->idx == idx)
            return o;
    return NULL;
}

int ipc_add(struct ipc_ids *ids, struct ipc_object *o, s32 key, int flags)
{
    if (ids->in_use >= ids->max_objects)
        return -ENOSPC;
    int idx = ids->last_idx + 1;
    for (;; idx++) {
        if (idx >= IPC_ID_SPAN)
            idx = 0;
        if (!find_idx(ids, idx))
            break;
    }
    if (idx <= ids->last_idx && ++ids->seq >= IPC_SEQ_MAX)
        ids->seq = 0; /* the sequence moves on only when the indexes wrap, as in Linux 5.x and later */
    ids->last_idx = idx;
    const struct cred *c = current_cred();
    o->key = key;
    o->uid = o->cuid = c->euid;
    o->gid = o->cgid = c->egid;
    o->mode = (u32)flags & IPC_MODE_BITS;
    o->seq = ids->seq;
    o->idx = idx;
    struct ipc_object **link = &ids->objects;
    while (*link && (*link)->idx < idx)
        link = &(*link)->next;
    o->next = *link;
    *link = o;
    ids->in_use++;
    return 0;
}

void ipc_remove(struct ipc_ids *ids, struct ipc_object *o)
{
    for (struct ipc_object **link = &ids->objects; *link; link = &(*link)->next)
        if (*link == o) {
            *link = o->next;
            ids->in_use--;
            return;
        }
}

struct ipc_object *ipc_find_key(struct ipc_ids *ids, s32 key)
{
    for (struct ipc_object *o = ids->objects; o; o = o->next)
        if (o->key == key)
            return o;
    return NULL;
}

struct ipc_object *ipc_find_index(struct ipc_ids *ids, int idx) { return find_idx(ids, idx % IPC_ID_SPAN); }

struct ipc_object *ipc_find_id(struct ipc_ids *ids, int id)
{
    if (id < 0)
        return NULL;
    struct ipc_object *o = find_idx(ids, id % IPC_ID_SPAN);
    return o && o->seq == id / IPC_ID_SPAN ? o : NULL;
}

int ipc_max_index(const struct ipc_ids *ids)
{
    int max = 0;
    for (const struct ipc_object *o = ids->objects; o; o = o->next)
        max = o->idx;
    return max;
}

int ipc_permitted(const struct ipc_object *o, u32 flags)
{
    const struct cred *c = current_cred();
    u32 requested = (flags >> 6) | (flags >> 3) | flags;
    u32 granted = o->mode;
    if (c->euid == o->cuid || c->euid == o->uid)
        granted >>= 6;
    else if (in_group_p(o->cgid) || in_group_p(o->gid))
        granted >>= 3;
    if ((requested & ~granted & 0007) && !capable(CAP_IPC_OWNER))
        return -EACCES;
    return 0;
}

int ipc_owner_check(const struct ipc_object *o)
{
    u32 euid = current_cred()->euid;
    if (euid == o->cuid || euid == o->uid || capable(CAP_SYS_ADMIN))
        return 0;
    return -EPERM;
}

size_t ipc_perm_out(void *buf, const struct ipc_object *o)
{
    if (in_compat_syscall()) {
        struct ipc64_perm_compat p = {.key = o->key, .uid = o->uid, .gid = o->gid, .cuid = o->cuid, .cgid = o->cgid,
                                      .mode = (u16)o->mode, .seq = (u16)o->seq};
        memcpy(buf, &p, sizeof(p));
        return sizeof(p);
    }
    struct ipc64_perm_native p = {.key = o->key, .uid = o->uid, .gid = o->gid, .cuid = o->cuid, .cgid = o->cgid,
                                  .mode = o->mode, .seq = (u16)o->seq};
    memcpy(buf, &p, sizeof(p));
    return sizeof(p);
}

size_t ipc_perm_in(const void *buf, struct ipc_perm_user *out)
{
    if (in_compat_syscall()) {
        struct ipc64_perm_compat p;
        memcpy(&p, buf, sizeof(p));
        *out = (struct ipc_perm_user){p.uid, p.gid, p.mode};
        return sizeof(p);
    }
    struct ipc64_perm_native p;
    memcpy(&p, buf, sizeof(p));
    *out = (struct ipc_perm_user){p.uid, p.gid, p.mode};
    return sizeof(p);
}

/* Linux's high2lowuid: an id beyond 16 bits shows as the overflow id. */
static u16 id16(u32 id) { return id > 0xffff ? OVERFLOW_ID : (u16)id; }

size_t ipc_old_perm_out(void *buf, const struct ipc_object *o)
{
    struct ipc_perm_old p = {.key = o->key, .uid = id16(o->uid), .gid = id16(o->gid), .cuid = id16(o->cuid),
                             .cgid = id16(o->cgid), .mode = (u16)o->mode, .seq = (u16)o->seq};
    memcpy(buf, &p, sizeof(p));
    return sizeof(p);
}

void ipc_old_perm_in(const void *buf, struct ipc_perm_user *out)
{
    struct ipc_perm_old p;
    memcpy(&p, buf, sizeof(p));
    /* taken as they are, as Linux's get_compat_ipc_perm: 0xffff is an id like any other */
    *out = (struct ipc_perm_user){p.uid, p.gid, p.mode};
}

int ipc_set_perm(struct ipc_object *o, const struct ipc_perm_user *in)
{
    if (in->uid == NO_ID || in->gid == NO_ID)
        return -EINVAL;
    o->uid = in->uid;
    o->gid = in->gid;
    o->mode = (o->mode & ~(u32)IPC_MODE_BITS) | (in->mode & IPC_MODE_BITS);
    return 0;
}

bool ipc_compat_version64(int *cmd)
{
    bool v64 = *cmd & IPC_64;
    *cmd &= ~IPC_64;
    return v64;
}
