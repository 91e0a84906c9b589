/*
 * The 9P2000.L client: messages to a virtio-9p device and the replies. Each request is one
 * chain on the device's only queue: the T-message the device reads, then the buffers it
 * writes the R-message into (for Tread, the reply's header and then the very pages the data
 * is for, so file data is never copied inside the kernel). Requests in flight have distinct
 * tags, given from a 64-bit mask; fids are numbers the client gives and takes back.
 *
 * The server's errors come as Rlerror with a Linux errno, which is passed on unchanged.
 */
#include "9p.h"
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "printk.h"
#include "proc.h"
#include "virtio.h"

#include <linux/virtio_9p.h>

#define P9_VERSION_STRING "9P2000.L"
#define P9_WANTED_MSIZE (512u * 1024)    /* large reads: 128 pages in one message */
#define P9_MIN_MSIZE 8192u
#define P9_QUEUE_SIZE 256
#define P9_SMALL_MESSAGE 4096            /* every T-message but none of the data-carrying ones */
#define P9_MAX_READ_PAGES 64             /* a chain of the header and this many pages */
#define P9_TAG_MAX 64                    /* bytes in a mount tag, with room to spare */
#define P9_IOHDRSZ 24                    /* the header Linux's client reserves in each read's msize */

/* ---- marshalling ---- */

struct p9_buf {
    u8 *data;
    u32 size, pos;
    bool bad; /* ran past the end: the message is malformed (or would not fit) */
};

static u8 *take(struct p9_buf *b, u32 n)
{
    if (b->bad || n > b->size - b->pos) {
        b->bad = true;
        return NULL;
    }
    u8 *p = b->data + b->pos;
    b->pos += n;
    return p;
}

static void put(struct p9_buf *b, u64 value, u32 bytes)
{
    u8 *p = take(b, bytes);
    for (u32 i = 0; p && i < bytes; i++)
        p[i] = (u8)(value >> (8 * i)); /* 9P is little-endian */
}

static u64 get(struct p9_buf *b, u32 bytes)
{
    u8 *p = take(b, bytes);
    u64 value = 0;
    for (u32 i = 0; p && i < bytes; i++)
        value |= (u64)p[i] << (8 * i);
    return value;
}

static void put_str(struct p9_buf *b, const char *s, size_t len)
{
    put(b, len, 2);
    u8 *p = len <= 0xffff ? take(b, (u32)len) : NULL;
    if (p)
        memcpy(p, s, len);
    else
        b->bad = true;
}

/* A string of the reply, in place (not NUL-terminated): its bytes and length. */
static const char *get_str(struct p9_buf *b, u16 *len)
{
    *len = (u16)get(b, 2);
    return (const char *)take(b, *len);
}

static void get_qid(struct p9_buf *b, struct p9_qid *qid)
{
    qid->type = (u8)get(b, 1);
    qid->version = (u32)get(b, 4);
    qid->path = get(b, 8);
}

/* ---- tags and fids ---- */

static u16 tag_alloc(struct p9_client *c)
{
    u64 flags = spin_lock_irqsave(&c->lock);
    while (c->tags_in_use == ~0ull) {
        if (wait_sleep(&c->tag_free, &c->lock, WAIT_NO_DEADLINE)) {
            /* A signal: the requests in flight end all the same; they get the CPU meanwhile. */
            spin_unlock_irqrestore(&c->lock, flags);
            schedule();
            flags = spin_lock_irqsave(&c->lock);
        }
    }
    u16 tag = (u16)__builtin_ctzll(~c->tags_in_use);
    c->tags_in_use |= 1ull << tag;
    spin_unlock_irqrestore(&c->lock, flags);
    return tag;
}

static void tag_free(struct p9_client *c, u16 tag)
{
    u64 flags = spin_lock_irqsave(&c->lock);
    c->tags_in_use &= ~(1ull << tag);
    wake_up(&c->tag_free);
    spin_unlock_irqrestore(&c->lock, flags);
}

u32 p9_fid_alloc(struct p9_client *c)
{
    u64 flags = spin_lock_irqsave(&c->lock);
    u32 fid = c->free_fid_count ? c->free_fids[--c->free_fid_count] : c->next_fid++;
    spin_unlock_irqrestore(&c->lock, flags);
    return fid;
}

void p9_fid_forget(struct p9_client *c, u32 fid)
{
    u64 flags = spin_lock_irqsave(&c->lock);
    if (c->free_fid_count == c->free_fid_room) {
        u32 room = c->free_fid_room ? c->free_fid_room * 2 : 64;
        u32 *grown = kmalloc(room * sizeof(u32));
        if (!grown) { /* the number is simply not given again */
            spin_unlock_irqrestore(&c->lock, flags);
            return;
        }
        if (c->free_fids)
            memcpy(grown, c->free_fids, c->free_fid_count * sizeof(u32));
        kfree(c->free_fids);
        c->free_fids = grown;
        c->free_fid_room = room;
    }
    c->free_fids[c->free_fid_count++] = fid;
    spin_unlock_irqrestore(&c->lock, flags);
}

/* ---- requests ---- */

struct p9_request {
    volatile bool done;
    u32 received;
    struct wait_queue wait;
};

static void request_complete(void *token, u32 len)
{
    struct p9_request *req = token;
    req->received = len;
    req->done = true;
    wake_up_all(&req->wait);
}

/* A T-message in a fresh buffer, its header to be filled by rpc. */
static bool message_begin(struct p9_buf *b, u32 size)
{
    *b = (struct p9_buf){.data = kmalloc(size), .size = size, .pos = P9_HEADER_SIZE};
    return b->data != NULL;
}

/*
 * Sends tx (of `type`) and waits for the reply, which goes into the `in` buffers (the first
 * holds at least the header). On success `reply` reads the first buffer from after the
 * header. 0, the server's -errno, or -EIO for a reply that is not the answer.
 */
static int rpc_with_data(struct p9_client *c, struct p9_buf *tx, u8 type, const struct virtio_buffer *data,
                         struct virtio_buffer *in, unsigned in_count, struct p9_buf *reply)
{
    if (tx->bad)
        return -ENAMETOOLONG; /* only names can make a T-message too long */
    u16 tag = type == P9_TVERSION ? P9_NOTAG : tag_alloc(c);
    u32 length = tx->pos;
    tx->pos = 0;
    put(tx, length + (data ? data->len : 0), 4);
    put(tx, type, 1);
    put(tx, tag, 2);
    tx->pos = length;

    struct virtio_buffer bufs[2 + 1 + P9_MAX_READ_PAGES];
    unsigned out = 0;
    bufs[out++] = (struct virtio_buffer){virt_to_phys(tx->data), length};
    if (data)
        bufs[out++] = *data; /* Twrite's bytes, where they are */
    for (unsigned i = 0; i < in_count; i++)
        bufs[out + i] = in[i];
    struct p9_request req = {0};
    virtqueue_transact(c->vq, bufs, out, in_count, &req, &req.done, &req.wait);
    if (tag != P9_NOTAG)
        tag_free(c, tag);

    u8 *first = phys_to_virt(in[0].addr);
    *reply = (struct p9_buf){.data = first, .size = MIN(in[0].len, req.received)};
    u32 size = (u32)get(reply, 4);
    u8 rtype = (u8)get(reply, 1);
    u16 rtag = (u16)get(reply, 2);
    if (reply->bad || rtag != tag || size > req.received)
        return -EIO;
    if (rtype == P9_RLERROR) {
        u32 ecode = (u32)get(reply, 4);
        return reply->bad || ecode == 0 || ecode > 4095 ? -EIO : -(int)ecode;
    }
    reply->size = MIN(reply->size, size);
    return rtype == type + 1 ? 0 : -EIO;
}

static int rpc(struct p9_client *c, struct p9_buf *tx, u8 type, struct virtio_buffer *in, unsigned in_count,
               struct p9_buf *reply)
{
    return rpc_with_data(c, tx, type, NULL, in, in_count, reply);
}

/* The common case: a small T-message, a reply into one buffer of `reply_room` bytes. */
struct p9_call {
    struct p9_buf tx, reply;
    u8 *rx;
};

static bool call_begin(struct p9_call *call, u32 reply_room)
{
    call->rx = kmalloc(reply_room);
    if (!call->rx || !message_begin(&call->tx, P9_SMALL_MESSAGE)) {
        kfree(call->rx);
        return false;
    }
    call->reply.size = reply_room;
    return true;
}

static int call_send(struct p9_client *c, struct p9_call *call, u8 type)
{
    struct virtio_buffer in = {virt_to_phys(call->rx), call->reply.size};
    return rpc(c, &call->tx, type, &in, 1, &call->reply);
}

static void call_end(struct p9_call *call)
{
    kfree(call->tx.data);
    kfree(call->rx);
}

#define SMALL_REPLY 512 /* room for every fixed-size R-message and a 16-name Rwalk */

/* ---- messages ---- */

void p9_clunk(struct p9_client *c, u32 fid)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return; /* the fid stays open on the server: only its number is lost */
    put(&call.tx, fid, 4);
    call_send(c, &call, P9_TCLUNK); /* a failed clunk frees the fid all the same (9P's rule) */
    call_end(&call);
    p9_fid_forget(c, fid);
}

int p9_walk(struct p9_client *c, u32 fid, u32 newfid, const char *const *names, unsigned count, struct p9_qid *qid)
{
    if (count > P9_MAX_WALK_NAMES)
        return -ENAMETOOLONG;
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    put(&call.tx, newfid, 4);
    put(&call.tx, count, 2);
    for (unsigned i = 0; i < count; i++)
        put_str(&call.tx, names[i], strlen(names[i]));
    int err = call_send(c, &call, P9_TWALK);
    if (!err) {
        u16 walked = (u16)get(&call.reply, 2);
        struct p9_qid last = {0};
        for (u16 i = 0; i < walked; i++)
            get_qid(&call.reply, &last);
        /* A partial walk makes no newfid: the first name that failed does not exist. */
        err = call.reply.bad ? -EIO : walked != count ? -ENOENT : 0;
        if (!err && qid)
            *qid = last;
    }
    call_end(&call);
    return err;
}

int p9_getattr(struct p9_client *c, u32 fid, struct p9_attr *attr)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    put(&call.tx, P9_GETATTR_BASIC, 8);
    int err = call_send(c, &call, P9_TGETATTR);
    if (!err) {
        struct p9_buf *r = &call.reply;
        get(r, 8); /* valid */
        get_qid(r, &attr->qid);
        attr->mode = (u32)get(r, 4);
        attr->uid = (u32)get(r, 4);
        attr->gid = (u32)get(r, 4);
        attr->nlink = get(r, 8);
        attr->rdev = get(r, 8);
        attr->size = get(r, 8);
        attr->blksize = get(r, 8);
        attr->blocks = get(r, 8);
        struct timespec_k *times[] = {&attr->atime, &attr->mtime, &attr->ctime};
        for (size_t i = 0; i < ARRAY_SIZE(times); i++) {
            times[i]->tv_sec = (s64)get(r, 8);
            times[i]->tv_nsec = (s64)get(r, 8);
        }
        err = r->bad ? -EIO : 0;
    }
    call_end(&call);
    return err;
}

int p9_lopen(struct p9_client *c, u32 fid, u32 flags, u32 *iounit)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    put(&call.tx, flags, 4);
    int err = call_send(c, &call, P9_TLOPEN);
    if (!err) {
        struct p9_qid qid;
        get_qid(&call.reply, &qid);
        *iounit = (u32)get(&call.reply, 4);
        err = call.reply.bad ? -EIO : 0;
    }
    call_end(&call);
    return err;
}

unsigned p9_max_read_pages(const struct p9_client *c)
{
    return MIN((unsigned)P9_MAX_READ_PAGES, (c->msize - P9_IOHDRSZ) / PAGE_SIZE);
}

ssize_t p9_read_pages(struct p9_client *c, u32 fid, u64 offset, void *const *pages, unsigned count)
{
    if (count == 0 || count > p9_max_read_pages(c))
        return -EINVAL;
    struct p9_buf tx;
    u8 *header = kmalloc(P9_READ_HEADER_SIZE);
    if (!header || !message_begin(&tx, P9_SMALL_MESSAGE)) {
        kfree(header);
        return -ENOMEM;
    }
    put(&tx, fid, 4);
    put(&tx, offset, 8);
    put(&tx, count * PAGE_SIZE, 4);
    struct virtio_buffer in[1 + P9_MAX_READ_PAGES];
    in[0] = (struct virtio_buffer){virt_to_phys(header), P9_READ_HEADER_SIZE};
    for (unsigned i = 0; i < count; i++)
        in[1 + i] = (struct virtio_buffer){virt_to_phys(pages[i]), PAGE_SIZE};
    struct p9_buf reply;
    ssize_t result = rpc(c, &tx, P9_TREAD, in, 1 + count, &reply);
    if (!result) {
        u32 got = (u32)get(&reply, 4);
        result = reply.bad || got > count * PAGE_SIZE ? -EIO : (ssize_t)got;
    }
    kfree(tx.data);
    kfree(header);
    return result;
}

ssize_t p9_readdir(struct p9_client *c, u32 fid, u64 offset, void *buf, u32 size)
{
    struct p9_buf tx;
    if (size <= P9_READ_HEADER_SIZE || !message_begin(&tx, P9_SMALL_MESSAGE))
        return -ENOMEM;
    u32 count = MIN(size, c->msize) - P9_READ_HEADER_SIZE;
    put(&tx, fid, 4);
    put(&tx, offset, 8);
    put(&tx, count, 4);
    struct virtio_buffer in = {virt_to_phys(buf), count + P9_READ_HEADER_SIZE};
    struct p9_buf reply;
    ssize_t result = rpc(c, &tx, P9_TREADDIR, &in, 1, &reply);
    if (!result) {
        u32 got = (u32)get(&reply, 4);
        if (reply.bad || got > count) {
            result = -EIO;
        } else {
            memmove(buf, (u8 *)buf + P9_READ_HEADER_SIZE, got);
            result = got;
        }
    }
    kfree(tx.data);
    return result;
}

ssize_t p9_readlink(struct p9_client *c, u32 fid, char *buf, size_t size)
{
    struct p9_call call;
    if (!call_begin(&call, P9_SMALL_MESSAGE + P9_HEADER_SIZE))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    ssize_t result = call_send(c, &call, P9_TREADLINK);
    if (!result) {
        u16 len;
        const char *target = get_str(&call.reply, &len);
        if (!target)
            result = -EIO;
        else if (len >= size)
            result = -ENAMETOOLONG;
        else {
            memcpy(buf, target, len);
            buf[len] = 0;
            result = len;
        }
    }
    call_end(&call);
    return result;
}

int p9_statfs(struct p9_client *c, u32 fid, struct p9_statfs *out)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    int err = call_send(c, &call, P9_TSTATFS);
    if (!err) {
        struct p9_buf *r = &call.reply;
        out->type = (u32)get(r, 4);
        out->bsize = (u32)get(r, 4);
        out->blocks = get(r, 8);
        out->bfree = get(r, 8);
        out->bavail = get(r, 8);
        out->files = get(r, 8);
        out->ffree = get(r, 8);
        out->fsid = get(r, 8);
        out->namelen = (u32)get(r, 4);
        err = r->bad ? -EIO : 0;
    }
    call_end(&call);
    return err;
}

/* ---- changes, for writable shares ---- */

/* The common tail of the calls that make a file and answer with its qid. */
static int call_for_qid(struct p9_client *c, struct p9_call *call, u8 type, struct p9_qid *qid)
{
    int err = call_send(c, call, type);
    if (!err) {
        struct p9_qid got;
        get_qid(&call->reply, qid ? qid : &got);
        err = call->reply.bad ? -EIO : 0;
    }
    call_end(call);
    return err;
}

int p9_lcreate(struct p9_client *c, u32 fid, const char *name, u32 flags, u32 mode, u32 gid, struct p9_qid *qid)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    put_str(&call.tx, name, strlen(name));
    put(&call.tx, flags, 4);
    put(&call.tx, mode, 4);
    put(&call.tx, gid, 4);
    return call_for_qid(c, &call, P9_TLCREATE, qid); /* iounit[4] follows; reads are sized by msize */
}

int p9_mkdir(struct p9_client *c, u32 dfid, const char *name, u32 mode, u32 gid, struct p9_qid *qid)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, dfid, 4);
    put_str(&call.tx, name, strlen(name));
    put(&call.tx, mode, 4);
    put(&call.tx, gid, 4);
    return call_for_qid(c, &call, P9_TMKDIR, qid);
}

int p9_symlink(struct p9_client *c, u32 dfid, const char *name, const char *target, u32 gid, struct p9_qid *qid)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, dfid, 4);
    put_str(&call.tx, name, strlen(name));
    put_str(&call.tx, target, strlen(target));
    put(&call.tx, gid, 4);
    return call_for_qid(c, &call, P9_TSYMLINK, qid);
}

int p9_mknod(struct p9_client *c, u32 dfid, const char *name, u32 mode, u32 major, u32 minor, u32 gid,
             struct p9_qid *qid)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, dfid, 4);
    put_str(&call.tx, name, strlen(name));
    put(&call.tx, mode, 4);
    put(&call.tx, major, 4);
    put(&call.tx, minor, 4);
    put(&call.tx, gid, 4);
    return call_for_qid(c, &call, P9_TMKNOD, qid);
}

/* A call whose reply carries nothing: Tlink, Tunlinkat, Trenameat, Tsetattr. */
static int call_for_nothing(struct p9_client *c, struct p9_call *call, u8 type)
{
    int err = call_send(c, call, type);
    call_end(call);
    return err;
}

int p9_link(struct p9_client *c, u32 dfid, u32 fid, const char *name)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, dfid, 4);
    put(&call.tx, fid, 4);
    put_str(&call.tx, name, strlen(name));
    return call_for_nothing(c, &call, P9_TLINK);
}

int p9_unlinkat(struct p9_client *c, u32 dfid, const char *name, u32 flags)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, dfid, 4);
    put_str(&call.tx, name, strlen(name));
    put(&call.tx, flags, 4);
    return call_for_nothing(c, &call, P9_TUNLINKAT);
}

int p9_renameat(struct p9_client *c, u32 old_dfid, const char *old_name, u32 new_dfid, const char *new_name)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, old_dfid, 4);
    put_str(&call.tx, old_name, strlen(old_name));
    put(&call.tx, new_dfid, 4);
    put_str(&call.tx, new_name, strlen(new_name));
    return call_for_nothing(c, &call, P9_TRENAMEAT);
}

int p9_setattr(struct p9_client *c, u32 fid, const struct p9_setattr *attr)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    put(&call.tx, attr->valid, 4);
    put(&call.tx, attr->mode, 4);
    put(&call.tx, attr->uid, 4);
    put(&call.tx, attr->gid, 4);
    put(&call.tx, attr->size, 8);
    put(&call.tx, (u64)attr->atime.tv_sec, 8);
    put(&call.tx, (u64)attr->atime.tv_nsec, 8);
    put(&call.tx, (u64)attr->mtime.tv_sec, 8);
    put(&call.tx, (u64)attr->mtime.tv_nsec, 8);
    return call_for_nothing(c, &call, P9_TSETATTR);
}

ssize_t p9_write(struct p9_client *c, u32 fid, u64 offset, const void *data, u32 count)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, fid, 4);
    put(&call.tx, offset, 8);
    put(&call.tx, count, 4);
    struct virtio_buffer bytes = {virt_to_phys(data), count};
    struct virtio_buffer in = {virt_to_phys(call.rx), call.reply.size};
    ssize_t result = rpc_with_data(c, &call.tx, P9_TWRITE, &bytes, &in, 1, &call.reply);
    if (!result) {
        u32 written = (u32)get(&call.reply, 4);
        result = call.reply.bad || written > count ? -EIO : (ssize_t)written;
    }
    call_end(&call);
    return result;
}

static int version(struct p9_client *c)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    put(&call.tx, P9_WANTED_MSIZE, 4);
    put_str(&call.tx, P9_VERSION_STRING, strlen(P9_VERSION_STRING));
    int err = call_send(c, &call, P9_TVERSION);
    if (!err) {
        u32 msize = (u32)get(&call.reply, 4);
        u16 len;
        const char *name = get_str(&call.reply, &len);
        if (!name || len != strlen(P9_VERSION_STRING) || memcmp(name, P9_VERSION_STRING, len))
            err = -EPROTONOSUPPORT;
        else if (msize < P9_MIN_MSIZE)
            err = -EIO; /* too small for any message of ours */
        else
            c->msize = MIN(msize, P9_WANTED_MSIZE);
    }
    call_end(&call);
    return err;
}

static int attach(struct p9_client *c, struct p9_qid *root)
{
    struct p9_call call;
    if (!call_begin(&call, SMALL_REPLY))
        return -ENOMEM;
    c->root_fid = p9_fid_alloc(c);
    put(&call.tx, c->root_fid, 4);
    put(&call.tx, P9_NOFID, 4);
    put_str(&call.tx, "root", 4); /* uname: the server (security_model=none) ignores it */
    put_str(&call.tx, "", 0);     /* aname: the export's root */
    put(&call.tx, 0, 4);          /* n_uname: uid 0 */
    int err = call_send(c, &call, P9_TATTACH);
    if (!err) {
        get_qid(&call.reply, root);
        err = call.reply.bad ? -EIO : 0;
    }
    call_end(&call);
    return err;
}

/* The mount tag in a virtio-9p device's configuration: tag_len[2] then the bytes. */
static bool device_has_tag(struct virtio_device *dev, const char *tag)
{
    u16 len;
    char name[P9_TAG_MAX];
    virtio_config_read(dev, 0, &len, sizeof(len));
    if (len >= sizeof(name))
        return false;
    virtio_config_read(dev, sizeof(len), name, len);
    name[len] = 0;
    return !strcmp(name, tag);
}

int p9_connect(const char *tag, struct p9_client **out, struct p9_qid *root_qid)
{
    struct virtio_device *dev = NULL;
    for (unsigned n = 0; (dev = virtio_find(VIRTIO_ID_9P, n)); n++)
        if (!dev->claimed && device_has_tag(dev, tag))
            break;
    if (!dev)
        return -ENODEV;
    u64 features;
    int err = virtio_device_setup(dev, 1ull << VIRTIO_9P_MOUNT_TAG, &features);
    if (err)
        return err;
    struct p9_client *c = kzalloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    err = virtqueue_setup(dev, 0, P9_QUEUE_SIZE, request_complete, &c->vq);
    if (err) {
        kfree(c);
        return err;
    }
    virtio_device_ready(dev);
    err = version(c);
    err = err ?: attach(c, root_qid);
    if (err) {
        kprintf(KERN_ERR "9p: %s: cannot attach: %s\n", tag, errno_text(err));
        return err; /* the device stays claimed: nothing else may use it half set up */
    }
    kprintf(KERN_INFO "9p: %s: 9P2000.L, msize %u\n", tag, c->msize);
    *out = c;
    return 0;
}
