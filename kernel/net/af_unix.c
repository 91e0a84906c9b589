/*
 * AF_UNIX: stream, datagram and seqpacket sockets on one machine (Linux's
 * af_unix design). Every socket has a receive queue of message buffers
 * (struct unix_skb): a send copies the bytes into buffers and queues them on
 * the peer; a stream read runs across buffers, a datagram or seqpacket read
 * takes one. A buffer carries its sender's address and credentials and any
 * descriptors passed with it (held files), and is charged to its sender until
 * it is read (the sender's wmem, against SO_SNDBUF). A stream connect makes
 * the server's side at once, an "embryo" waiting on the listener's accept
 * queue, so the client can write before the accept.
 *
 * One lock (unix_lock) guards every AF_UNIX socket's state; each socket has
 * one wait queue, on which its readers, acceptors, pollers, the writers whose
 * buffers it holds and the senders waiting for room in it sleep, and which
 * every change of that state wakes. Files are put (which may release another
 * socket) only with the lock dropped.
 */
#include "errno.h"
#include "fasync.h"
#include "fd.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "proc.h"
#include "random.h"
#include "seq_buf.h"
#include "signal.h"
#include "uaccess.h"

#define SUN_PATH_OFFSET 2       /* offsetof(struct sockaddr_un, sun_path) */
#define SOCKADDR_UN_SIZE 110    /* sizeof(struct sockaddr_un) */
#define UNIX_MAX_DGRAM_QLEN 10  /* net.unix.max_dgram_qlen */
#define UNIX_SKB_OVERHEAD 256   /* charged per buffer besides its bytes, as Linux's truesize */
#define UNIX_STREAM_CHUNK 65536 /* the most one stream buffer holds */
#define UNIX_DGRAM_HEADROOM 32  /* a datagram may be SO_SNDBUF less this, as Linux */
#define AUTOBIND_NAME_LEN 5     /* "\0" and five hex digits */
#define AUTOBIND_NAMES 0x100000
#define SIOCINQ 0x541B
#define SIOCOUTQ 0x5411
#define SHUTDOWN_MASK (RCV_SHUTDOWN | SEND_SHUTDOWN)

enum unix_state { UNIX_CLOSED, UNIX_LISTENING, UNIX_CONNECTED };

struct unix_addr {
    int len; /* 0: unbound */
    u8 bytes[SOCKADDR_UN_SIZE + 1];
};

struct unix_sock;

struct unix_skb {
    struct unix_skb *next;
    u64 len, consumed;         /* stream reads take bytes from the front */
    struct unix_sock *sender;  /* held, charged truesize until freed */
    u64 truesize;
    struct unix_addr addr;     /* the sender's, when sent */
    struct ucred creds;
    int nfds;
    struct file **files;       /* held while in flight */
    u8 data[];
};

struct unix_sock {
    refcount_t refs;           /* its socket, a peer pointing at it, its buffers in flight, a sleeper */
    struct socket *sock;       /* NULL for an embryo not yet accepted, and once released */
    int type;
    enum unix_state state;
    bool dead;
    u32 shutdown;              /* RCV_SHUTDOWN, SEND_SHUTDOWN */
    int err;                   /* SO_ERROR: ECONNRESET when the peer closed with data unread */
    struct unix_sock *peer;    /* held */
    struct unix_addr addr;
    struct inode *inode;       /* a path-bound socket's inode, held */
    struct unix_sock *bound_next;
    struct unix_skb *rx_head, *rx_tail;
    u32 rx_count;
    u64 rx_bytes;
    u64 wmem;                  /* bytes of its buffers not yet read */
    int backlog;
    struct unix_sock *accept_head, *accept_tail, *accept_next;
    u32 accept_count;
    struct ucred peercred;     /* SO_PEERCRED: the peer's at connect, listen or socketpair */
    struct wait_queue wait;
    struct unix_sock *all_prev, *all_next; /* every socket not yet released, for /proc/net/unix */
};

static struct spinlock unix_lock;
static struct unix_sock *bound_sockets;
static struct unix_sock *all_sockets;
static u32 autobind_next;

static struct unix_sock *unix_sk(struct socket *sock) { return sock->sk; }

static struct unix_sock *unix_sock_alloc(int type)
{
    struct unix_sock *u = kzalloc(sizeof(*u));
    if (!u)
        return NULL;
    refcount_set(&u->refs, 1);
    u->type = type;
    u->peercred = (struct ucred){0, (u32)-1, (u32)-1};
    u64 flags = spin_lock_irqsave(&unix_lock);
    u->all_next = all_sockets;
    if (all_sockets)
        all_sockets->all_prev = u;
    all_sockets = u;
    spin_unlock_irqrestore(&unix_lock, flags);
    return u;
}

/* Called with unix_lock held, as the socket is released. */
static void unlist_locked(struct unix_sock *u)
{
    if (u->all_prev)
        u->all_prev->all_next = u->all_next;
    else if (all_sockets == u)
        all_sockets = u->all_next;
    if (u->all_next)
        u->all_next->all_prev = u->all_prev;
    u->all_prev = u->all_next = NULL;
}

static void unix_sock_get(struct unix_sock *u) { refcount_get(&u->refs); }

static void unix_sock_put(struct unix_sock *u)
{
    if (refcount_put(&u->refs))
        kfree(u);
}

static bool connection_based(int type) { return type == SOCK_STREAM || type == SOCK_SEQPACKET; }

/* ---- buffers ---- */

static struct unix_skb *skb_alloc(struct unix_sock *sender, u64 len)
{
    struct unix_skb *skb = kzalloc(sizeof(*skb) + len);
    if (!skb)
        return NULL;
    skb->len = len;
    skb->truesize = len + UNIX_SKB_OVERHEAD;
    skb->addr = sender->addr;
    skb->creds = current_ucred();
    return skb;
}

/* Charges the buffer to its sender: called under unix_lock as it is queued. */
static void skb_charge(struct unix_skb *skb, struct unix_sock *sender)
{
    unix_sock_get(sender);
    skb->sender = sender;
    sender->wmem += skb->truesize;
}

static void skb_enqueue(struct unix_sock *u, struct unix_skb *skb)
{
    if (u->rx_tail)
        u->rx_tail->next = skb;
    else
        u->rx_head = skb;
    u->rx_tail = skb;
    u->rx_count++;
    u->rx_bytes += skb->len;
    wake_up_all(&u->wait);
    fasync_notify(u->sock, POLL_IN);
}

static struct unix_skb *skb_dequeue(struct unix_sock *u)
{
    struct unix_skb *skb = u->rx_head;
    u->rx_head = skb->next;
    if (!u->rx_head)
        u->rx_tail = NULL;
    skb->next = NULL;
    u->rx_count--;
    u->rx_bytes -= skb->len - skb->consumed;
    wake_up_all(&u->wait); /* senders waiting for room in this queue */
    return skb;
}

static bool unix_writable(const struct unix_sock *u)
{
    return u->state != UNIX_LISTENING && (u->wmem << 2) <= (u64)u->sock->sndbuf;
}

/* Uncharges the sender (under unix_lock); the files, if any, are left for skb_free. */
static void skb_uncharge(struct unix_skb *skb)
{
    struct unix_sock *sender = skb->sender;
    if (!sender)
        return;
    sender->wmem -= skb->truesize;
    wake_up_all(&sender->wait);
    /* Linux's unix_write_space: room again for a sender that found none */
    if (sender->sock && unix_writable(sender))
        socket_room_announce(sender->sock);
    skb->sender = NULL;
    unix_sock_put(sender);
}

/* With unix_lock dropped: the files it still carries may be the last references to sockets. */
static void skb_free(struct unix_skb *skb)
{
    for (int i = 0; i < skb->nfds; i++)
        file_put(skb->files[i]);
    kfree(skb->files);
    kfree(skb);
}

static void skb_free_list(struct unix_skb *list)
{
    while (list) {
        struct unix_skb *next = list->next;
        skb_free(list);
        list = next;
    }
}

/* Moves the message's control data onto its first buffer. */
static void skb_attach_scm(struct unix_skb *skb, struct kmsg *msg)
{
    struct scm *scm = msg->scm;
    if (!scm)
        return;
    if (scm->has_creds)
        skb->creds = scm->creds;
    if (scm->nfds) {
        skb->files = kmalloc(sizeof(struct file *) * scm->nfds);
        if (skb->files) {
            memcpy(skb->files, scm->files, sizeof(struct file *) * scm->nfds);
            skb->nfds = scm->nfds;
            scm->nfds = 0;
        }
    }
    msg->scm = NULL;
    scm_destroy(scm);
}

/* ---- addresses ---- */

/* Linux's unix_validate_addr. */
static int validate_addr(const void *addr, int len)
{
    if (len < SUN_PATH_OFFSET || ((const u16 *)addr)[0] != AF_UNIX)
        return -EINVAL;
    if (len > SOCKADDR_UN_SIZE)
        return -EINVAL;
    return 0;
}

static bool is_abstract(const struct unix_addr *a) { return a->len > SUN_PATH_OFFSET && a->bytes[SUN_PATH_OFFSET] == 0; }

/* The address as Linux keeps it: an abstract name as given, a path up to its NUL with the NUL counted. */
static void make_addr(const void *addr, int len, struct unix_addr *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->bytes, addr, (size_t)len);
    if (len > SUN_PATH_OFFSET && out->bytes[SUN_PATH_OFFSET] == 0) {
        out->len = len;
        return;
    }
    out->bytes[len] = 0;
    out->len = SUN_PATH_OFFSET + (int)strlen((const char *)out->bytes + SUN_PATH_OFFSET) + 1;
}

/* An abstract name is looked up with its type (another type's is not found); type -1: any. */
static struct unix_sock *find_abstract(const struct unix_addr *a, int type)
{
    for (struct unix_sock *u = bound_sockets; u; u = u->bound_next)
        if (!u->inode && u->addr.len == a->len && !memcmp(u->addr.bytes, a->bytes, (size_t)a->len) &&
            (type < 0 || u->type == type))
            return u;
    return NULL;
}

static struct unix_sock *find_by_inode(struct inode *inode)
{
    for (struct unix_sock *u = bound_sockets; u; u = u->bound_next)
        if (u->inode == inode)
            return u;
    return NULL;
}

int dirfd_base(int dirfd, const char *path, struct inode **base);

/* The socket an address names, held: Linux's unix_find_other. */
static int find_other(const void *addr, int len, int type, struct unix_sock **out)
{
    struct unix_addr a;
    make_addr(addr, len, &a);
    if (is_abstract(&a)) {
        u64 flags = spin_lock_irqsave(&unix_lock);
        struct unix_sock *u = find_abstract(&a, type);
        if (u)
            unix_sock_get(u);
        spin_unlock_irqrestore(&unix_lock, flags);
        if (!u)
            return -ECONNREFUSED;
        *out = u;
        return 0;
    }
    const char *path = (const char *)a.bytes + SUN_PATH_OFFSET;
    struct inode *base, *inode;
    int err = dirfd_base(AT_FDCWD, path, &base);
    err = err ?: path_lookup(base, path, true, &inode);
    if (err)
        return err;
    if ((inode->mode & S_IFMT) != S_IFSOCK)
        return -ECONNREFUSED;
    u64 flags = spin_lock_irqsave(&unix_lock);
    struct unix_sock *u = find_by_inode(inode);
    if (u)
        unix_sock_get(u);
    spin_unlock_irqrestore(&unix_lock, flags);
    if (!u)
        return -ECONNREFUSED;
    if (u->type != type) {
        unix_sock_put(u);
        return -EPROTOTYPE;
    }
    *out = u;
    return 0;
}

/* Called with unix_lock held. */
static void bind_locked(struct unix_sock *u, const struct unix_addr *a, struct inode *inode)
{
    u->addr = *a;
    u->inode = inode;
    u->bound_next = bound_sockets;
    bound_sockets = u;
}

/* An abstract name of five hex digits, as Linux's unix_autobind. */
static int autobind(struct unix_sock *u)
{
    u64 flags = spin_lock_irqsave(&unix_lock);
    if (u->addr.len) {
        spin_unlock_irqrestore(&unix_lock, flags);
        return 0;
    }
    if (!autobind_next)
        autobind_next = (u32)random_u64() % AUTOBIND_NAMES;
    for (u32 tries = 0; tries < AUTOBIND_NAMES; tries++) {
        struct unix_addr a = {.len = SUN_PATH_OFFSET + 1 + AUTOBIND_NAME_LEN};
        a.bytes[0] = AF_UNIX;
        snprintf((char *)a.bytes + SUN_PATH_OFFSET + 1, AUTOBIND_NAME_LEN + 1, "%05x", autobind_next);
        autobind_next = (autobind_next + 1) % AUTOBIND_NAMES;
        if (!find_abstract(&a, -1)) {
            bind_locked(u, &a, NULL);
            spin_unlock_irqrestore(&unix_lock, flags);
            return 0;
        }
    }
    spin_unlock_irqrestore(&unix_lock, flags);
    return -ENOSPC;
}

static int unix_bind(struct socket *sock, const void *addr, int len)
{
    struct unix_sock *u = unix_sk(sock);
    if (len == SUN_PATH_OFFSET && ((const u16 *)addr)[0] == AF_UNIX)
        return autobind(u); /* nothing to do when bound already, as Linux */
    int err = validate_addr(addr, len);
    if (err)
        return err;
    struct unix_addr a;
    make_addr(addr, len, &a);
    if (is_abstract(&a)) {
        u64 flags = spin_lock_irqsave(&unix_lock);
        if (u->addr.len)
            err = -EINVAL;
        else if (find_abstract(&a, -1))
            err = -EADDRINUSE;
        else
            bind_locked(u, &a, NULL);
        spin_unlock_irqrestore(&unix_lock, flags);
        return err;
    }
    /* A path: a new S_IFSOCK inode there, through the VFS. */
    char path[SOCKADDR_UN_SIZE + 1];
    memcpy(path, a.bytes + SUN_PATH_OFFSET, (size_t)(a.len - SUN_PATH_OFFSET));
    struct inode *base, *dir;
    const char *last;
    err = dirfd_base(AT_FDCWD, path, &base);
    err = err ?: path_lookup_parent(base, path, &dir, &last);
    if (err)
        return err;
    if (!*last || !strcmp(last, ".") || !strcmp(last, "..") || strchr(last, '/'))
        return -EADDRINUSE;
    if (dir_lookup(dir, last))
        return -EADDRINUSE;
    struct inode *inode;
    err = vfs_create(dir, last, S_IFSOCK | (0777 & ~current_umask()), 0, &inode);
    if (err)
        return err;
    inode_get(inode);
    u64 flags = spin_lock_irqsave(&unix_lock);
    bool lost = u->addr.len != 0; /* another thread bound it meanwhile */
    if (!lost)
        bind_locked(u, &a, inode);
    spin_unlock_irqrestore(&unix_lock, flags);
    if (lost) {
        vfs_unlink(dir, last);
        inode_put(inode);
        return -EINVAL;
    }
    return 0;
}

static int unix_getname(struct socket *sock, void *addr, bool peer)
{
    struct unix_sock *u = unix_sk(sock);
    u64 flags = spin_lock_irqsave(&unix_lock);
    struct unix_sock *target = u;
    int len;
    if (peer) {
        target = u->peer;
        if (!target) {
            spin_unlock_irqrestore(&unix_lock, flags);
            return -ENOTCONN;
        }
    }
    if (target->addr.len) {
        len = target->addr.len;
        memcpy(addr, target->addr.bytes, (size_t)len);
    } else {
        u16 family = AF_UNIX;
        len = sizeof(family);
        memcpy(addr, &family, sizeof(family));
    }
    spin_unlock_irqrestore(&unix_lock, flags);
    return len;
}

/* ---- connections ---- */

static int unix_listen(struct socket *sock, int backlog)
{
    struct unix_sock *u = unix_sk(sock);
    if (!connection_based(u->type))
        return -EOPNOTSUPP;
    u64 flags = spin_lock_irqsave(&unix_lock);
    int err = 0;
    if (!u->addr.len || (u->state != UNIX_CLOSED && u->state != UNIX_LISTENING)) {
        err = -EINVAL;
    } else {
        u->backlog = backlog;
        u->state = UNIX_LISTENING;
        u->peercred = current_ucred();
        sock->listening = true;
        wake_up_all(&u->wait); /* connectors waiting for a larger backlog */
    }
    spin_unlock_irqrestore(&unix_lock, flags);
    return err;
}

/* Connects two sockets both ways (each holds the other). Called with unix_lock held. */
static void pair_locked(struct unix_sock *a, struct unix_sock *b)
{
    unix_sock_get(b);
    a->peer = b;
    unix_sock_get(a);
    b->peer = a;
    a->state = b->state = UNIX_CONNECTED;
}

static int unix_socketpair(struct socket *a, struct socket *b)
{
    u64 flags = spin_lock_irqsave(&unix_lock);
    pair_locked(unix_sk(a), unix_sk(b));
    unix_sk(a)->peercred = unix_sk(b)->peercred = current_ucred();
    a->state = b->state = SS_CONNECTED;
    spin_unlock_irqrestore(&unix_lock, flags);
    return 0;
}

static int stream_connect(struct socket *sock, const void *addr, int len, u32 file_flags)
{
    struct unix_sock *u = unix_sk(sock);
    int err = validate_addr(addr, len);
    if (err)
        return err;
    if (sock->passcred && (err = autobind(u)))
        return err;
    struct unix_sock *embryo = unix_sock_alloc(u->type);
    if (!embryo)
        return -ENOMEM;
    u64 timeout = sock->sndtimeo_ns, deadline = socket_deadline(timeout);
    struct unix_sock *other = NULL;
    for (;;) {
        err = find_other(addr, len, u->type, &other);
        if (err)
            break;
        u64 flags = spin_lock_irqsave(&unix_lock);
        if (other->dead || other->state != UNIX_LISTENING || (other->shutdown & RCV_SHUTDOWN)) {
            err = -ECONNREFUSED;
        } else if (u->state == UNIX_CONNECTED) {
            err = -EISCONN;
        } else if (u->state != UNIX_CLOSED) {
            err = -EINVAL;
        } else if (other->accept_count > (u32)other->backlog) {
            if (file_flags & O_NONBLOCK) {
                err = -EAGAIN;
            } else {
                err = socket_sleep_errno(wait_sleep(&other->wait, &unix_lock, deadline), timeout);
                spin_unlock_irqrestore(&unix_lock, flags);
                unix_sock_put(other);
                if (err)
                    break;
                continue; /* the listener may be gone: look it up again */
            }
        } else {
            /* The server's side exists from now on, queued for accept. */
            pair_locked(u, embryo);
            embryo->addr = other->addr;
            embryo->peercred = current_ucred();
            u->peercred = other->peercred;
            sock->state = SS_CONNECTED;
            if (other->accept_tail)
                other->accept_tail->accept_next = embryo;
            else
                other->accept_head = embryo;
            other->accept_tail = embryo;
            other->accept_count++;
            embryo = NULL;
            wake_up_all(&other->wait);
            fasync_notify(other->sock, POLL_IN); /* a connection to accept */
        }
        spin_unlock_irqrestore(&unix_lock, flags);
        unix_sock_put(other);
        break;
    }
    if (embryo)
        unix_sock_put(embryo);
    return err;
}

static int dgram_connect(struct socket *sock, const void *addr, int len)
{
    struct unix_sock *u = unix_sk(sock);
    if (len >= (int)sizeof(u16) && ((const u16 *)addr)[0] == AF_UNSPEC) {
        /* Dissolves the association, as Linux. */
        u64 flags = spin_lock_irqsave(&unix_lock);
        struct unix_sock *old = u->peer;
        u->peer = NULL;
        u->state = UNIX_CLOSED;
        sock->state = SS_UNCONNECTED;
        spin_unlock_irqrestore(&unix_lock, flags);
        if (old)
            unix_sock_put(old);
        return 0;
    }
    int err = validate_addr(addr, len);
    if (err)
        return err;
    if (sock->passcred && (err = autobind(u)))
        return err;
    struct unix_sock *other;
    err = find_other(addr, len, u->type, &other);
    if (err)
        return err;
    u64 flags = spin_lock_irqsave(&unix_lock);
    if (other->dead) {
        spin_unlock_irqrestore(&unix_lock, flags);
        unix_sock_put(other);
        return -ECONNREFUSED;
    }
    struct unix_sock *old = u->peer;
    u->peer = other; /* find_other's reference */
    u->state = UNIX_CONNECTED;
    sock->state = SS_CONNECTED;
    wake_up_all(&u->wait);
    spin_unlock_irqrestore(&unix_lock, flags);
    if (old)
        unix_sock_put(old);
    return 0;
}

static int unix_connect(struct socket *sock, const void *addr, int len, u32 file_flags)
{
    if (connection_based(sock->type))
        return stream_connect(sock, addr, len, file_flags);
    return dgram_connect(sock, addr, len);
}

static int unix_accept(struct socket *sock, struct socket *child, u32 file_flags)
{
    struct unix_sock *u = unix_sk(sock);
    if (!connection_based(u->type))
        return -EOPNOTSUPP;
    u64 timeout = sock->rcvtimeo_ns, deadline = socket_deadline(timeout);
    u64 flags = spin_lock_irqsave(&unix_lock);
    int err = 0;
    for (;;) {
        if (u->state != UNIX_LISTENING) {
            err = -EINVAL;
            break;
        }
        if (u->accept_head)
            break;
        if (file_flags & O_NONBLOCK) {
            err = -EAGAIN;
            break;
        }
        err = wait_sleep(&u->wait, &unix_lock, deadline);
        if (err) {
            err = socket_sleep_errno(err, timeout);
            break;
        }
    }
    if (!err) {
        struct unix_sock *embryo = u->accept_head;
        u->accept_head = embryo->accept_next;
        if (!u->accept_head)
            u->accept_tail = NULL;
        embryo->accept_next = NULL;
        u->accept_count--;
        embryo->sock = child;
        child->sk = embryo; /* the accept queue's reference becomes the socket's */
        child->state = SS_CONNECTED;
        wake_up_all(&u->wait); /* connectors waiting for room in the backlog */
    }
    spin_unlock_irqrestore(&unix_lock, flags);
    return err;
}

static int unix_shutdown(struct socket *sock, int how)
{
    struct unix_sock *u = unix_sk(sock);
    u32 mode = (u32)how + 1; /* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both */
    u64 flags = spin_lock_irqsave(&unix_lock);
    u->shutdown |= mode;
    wake_up_all(&u->wait);
    struct unix_sock *other = u->peer;
    if (other && connection_based(u->type)) {
        u32 peer_mode = 0;
        if (mode & RCV_SHUTDOWN)
            peer_mode |= SEND_SHUTDOWN;
        if (mode & SEND_SHUTDOWN)
            peer_mode |= RCV_SHUTDOWN;
        other->shutdown |= peer_mode;
        wake_up_all(&other->wait);
        if (peer_mode == SHUTDOWN_MASK)
            fasync_notify(other->sock, POLL_HUP);
        else if (peer_mode & RCV_SHUTDOWN)
            fasync_notify(other->sock, POLL_IN); /* its reads end: end of file to read */
    }
    spin_unlock_irqrestore(&unix_lock, flags);
    return 0;
}

/* Closes a socket or an unaccepted embryo, as Linux's unix_release_sock. */
static void release_sock(struct unix_sock *u)
{
    u64 flags = spin_lock_irqsave(&unix_lock);
    for (struct unix_sock **p = &bound_sockets; *p; p = &(*p)->bound_next) {
        if (*p == u) {
            *p = u->bound_next;
            break;
        }
    }
    struct inode *inode = u->inode;
    unlist_locked(u);
    u->inode = NULL;
    u->dead = true;
    u->sock = NULL;
    u->state = UNIX_CLOSED;
    u->shutdown = SHUTDOWN_MASK;
    struct unix_sock *peer = u->peer;
    u->peer = NULL;
    if (peer && connection_based(u->type)) {
        peer->shutdown = SHUTDOWN_MASK;
        if (u->rx_head || u->accept_head)
            peer->err = ECONNRESET;
        wake_up_all(&peer->wait);
        fasync_notify(peer->sock, POLL_HUP);
    }
    struct unix_skb *unread = u->rx_head, *skb;
    for (skb = unread; skb; skb = skb->next)
        skb_uncharge(skb);
    u->rx_head = u->rx_tail = NULL;
    u->rx_count = 0;
    u->rx_bytes = 0;
    struct unix_sock *embryos = u->accept_head;
    u->accept_head = u->accept_tail = NULL;
    u->accept_count = 0;
    wake_up_all(&u->wait);
    spin_unlock_irqrestore(&unix_lock, flags);
    skb_free_list(unread);
    while (embryos) {
        struct unix_sock *next = embryos->accept_next;
        release_sock(embryos);
        embryos = next;
    }
    if (peer)
        unix_sock_put(peer);
    if (inode)
        inode_put(inode);
    unix_sock_put(u);
}

static void unix_release(struct socket *sock)
{
    struct unix_sock *u = unix_sk(sock);
    sock->sk = NULL;
    if (u)
        release_sock(u);
}

/* ---- sending ---- */

static long pipe_error(u32 flags)
{
    if (!(flags & MSG_NOSIGNAL))
        signal_send_from_current(current_task(), SIGPIPE);
    return -EPIPE;
}

static long stream_sendmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct unix_sock *u = unix_sk(sock);
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (msg->namelen)
        return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
    if (!u->peer)
        return -ENOTCONN;
    u64 timeout = sock->sndtimeo_ns, deadline = socket_deadline(timeout);
    u64 sent = 0;
    do {
        u64 chunk = MIN(len - sent, (u64)MIN((u32)(sock->sndbuf / 2 - 64), (u32)UNIX_STREAM_CHUNK));
        struct unix_skb *skb = skb_alloc(u, chunk);
        if (!skb)
            return sent ? (long)sent : -ENOMEM;
        if (kmsg_copy_from(msg, sent, skb->data, chunk)) {
            skb_free(skb);
            return sent ? (long)sent : -EFAULT;
        }
        if (sent == 0)
            skb_attach_scm(skb, msg);
        u64 irq = spin_lock_irqsave(&unix_lock);
        long err = 0;
        for (;;) {
            struct unix_sock *other = u->peer;
            if ((u->shutdown & SEND_SHUTDOWN) || !other || other->dead || (other->shutdown & RCV_SHUTDOWN)) {
                err = -EPIPE;
                break;
            }
            if (u->wmem < (u64)sock->sndbuf)
                break;
            socket_no_room(sock);
            if (socket_nonblocking(sock, flags)) {
                err = -EAGAIN;
                break;
            }
            err = wait_sleep(&u->wait, &unix_lock, deadline);
            if (err) {
                err = socket_sleep_errno(err, timeout);
                break;
            }
        }
        if (!err) {
            skb_charge(skb, u);
            skb_enqueue(u->peer, skb);
        }
        spin_unlock_irqrestore(&unix_lock, irq);
        if (err) {
            skb_free(skb);
            if (err == -EPIPE) {
                long e = pipe_error(flags);
                return sent ? (long)sent : e;
            }
            return sent ? (long)sent : err;
        }
        sent += chunk;
    } while (sent < len);
    return (long)sent;
}

static long dgram_sendmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct unix_sock *u = unix_sk(sock);
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (u->type == SOCK_SEQPACKET) {
        if (u->state != UNIX_CONNECTED)
            return -ENOTCONN;
        msg->namelen = 0;
    }
    int err;
    if (msg->namelen && (err = validate_addr(msg->name, msg->namelen)))
        return err;
    if (sock->passcred && (err = autobind(u)))
        return err;
    if (len > (u64)(sock->sndbuf - UNIX_DGRAM_HEADROOM))
        return -EMSGSIZE;
    struct unix_skb *skb = skb_alloc(u, len);
    if (!skb)
        return -ENOMEM;
    if (kmsg_copy_from(msg, 0, skb->data, len)) {
        skb_free(skb);
        return -EFAULT;
    }
    struct unix_sock *other = NULL;
    if (msg->namelen) {
        err = find_other(msg->name, msg->namelen, u->type, &other);
        if (err) {
            skb_free(skb);
            return err;
        }
    }
    skb_attach_scm(skb, msg);
    u64 timeout = sock->sndtimeo_ns, deadline = socket_deadline(timeout);
    u64 irq = spin_lock_irqsave(&unix_lock);
    if (!other) {
        other = u->peer;
        if (other)
            unix_sock_get(other);
    }
    long result = 0;
    for (;;) {
        if (!other) {
            result = -ENOTCONN;
            break;
        }
        if (u->shutdown & SEND_SHUTDOWN) {
            result = -EPIPE;
            break;
        }
        if (other->dead) {
            if (u->peer == other && u->type == SOCK_SEQPACKET) {
                result = -EPIPE;
            } else {
                result = -ECONNREFUSED;
                if (u->peer == other) {
                    /* The peer is gone: the association dissolves, as Linux's. */
                    u->peer = NULL;
                    u->state = UNIX_CLOSED;
                    sock->state = SS_UNCONNECTED;
                    unix_sock_put(other);
                }
            }
            break;
        }
        if (other->peer && other->peer != u && u->type == SOCK_DGRAM) {
            result = -EPERM; /* it takes datagrams only from its own peer */
            break;
        }
        if (other->shutdown & RCV_SHUTDOWN) {
            result = -EPIPE;
            break;
        }
        bool queue_full = other->peer != u && other->rx_count > UNIX_MAX_DGRAM_QLEN;
        bool no_room = u->wmem >= (u64)sock->sndbuf;
        if (!queue_full && !no_room)
            break;
        if (no_room)
            socket_no_room(sock);
        if (socket_nonblocking(sock, flags)) {
            result = -EAGAIN;
            break;
        }
        int e = wait_sleep(queue_full ? &other->wait : &u->wait, &unix_lock, deadline);
        if (e) {
            result = socket_sleep_errno(e, timeout);
            break;
        }
    }
    if (!result) {
        skb_charge(skb, u);
        skb_enqueue(other, skb);
        skb = NULL;
        result = (long)len;
    }
    spin_unlock_irqrestore(&unix_lock, irq);
    if (skb)
        skb_free(skb);
    if (other)
        unix_sock_put(other);
    return result; /* EPIPE without SIGPIPE here, seqpacket's too, as Linux's unix_dgram_sendmsg */
}

static long unix_sendmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    if (sock->type == SOCK_STREAM)
        return stream_sendmsg(sock, msg, len, flags);
    return dgram_sendmsg(sock, msg, len, flags);
}

/* ---- receiving ---- */

/* What a receive found beside the bytes, delivered with unix_lock dropped. */
struct received_scm {
    bool has_creds;
    struct ucred creds;
    int nfds;
    struct file **files;
};

static void take_scm(struct unix_skb *skb, bool peek, bool passcred, struct received_scm *out)
{
    if (passcred && !out->has_creds) {
        out->has_creds = true;
        out->creds = skb->creds;
    }
    if (!skb->nfds || out->nfds)
        return;
    if (peek) {
        /* A peek sees copies of the descriptors; the message keeps its own. */
        out->files = kmalloc(sizeof(struct file *) * skb->nfds);
        if (!out->files)
            return;
        for (int i = 0; i < skb->nfds; i++) {
            file_get(skb->files[i]);
            out->files[i] = skb->files[i];
        }
        out->nfds = skb->nfds;
        return;
    }
    out->files = skb->files;
    out->nfds = skb->nfds;
    skb->files = NULL;
    skb->nfds = 0;
}

static int deliver_scm(struct kmsg *msg, struct received_scm *scm)
{
    int err = 0;
    if (scm->has_creds || scm->nfds)
        err = scm_deliver(msg, scm->has_creds ? &scm->creds : NULL, scm->files, scm->nfds);
    kfree(scm->files);
    return err;
}

static void copy_sender_addr(struct kmsg *msg, const struct unix_skb *skb)
{
    if (!msg->name)
        return;
    msg->namelen = skb->addr.len;
    memcpy(msg->name, skb->addr.bytes, (size_t)skb->addr.len);
}

/* Nothing to receive: a pending error (reported once), the end (the peer
 * shut down its sending side: 1), EAGAIN for a non-blocking call, or a sleep
 * until something comes (0: look again). unix_lock is held. */
static long wait_for_rx(struct socket *sock, struct unix_sock *u, u32 flags, u64 deadline, u64 timeout)
{
    if (u->err) {
        long err = -u->err;
        u->err = 0;
        return err;
    }
    if (u->shutdown & RCV_SHUTDOWN)
        return 1;
    if (socket_nonblocking(sock, flags))
        return -EAGAIN;
    int e = wait_sleep(&u->wait, &unix_lock, deadline);
    return e ? socket_sleep_errno(e, timeout) : 0;
}

static long stream_recvmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct unix_sock *u = unix_sk(sock);
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    msg->namelen = 0;
    u64 irq = spin_lock_irqsave(&unix_lock);
    if (u->state != UNIX_CONNECTED) {
        spin_unlock_irqrestore(&unix_lock, irq);
        return -EINVAL;
    }
    u64 target = (flags & MSG_WAITALL) ? len : MIN(len, (u64)1);
    u64 timeout = sock->rcvtimeo_ns, deadline = socket_deadline(timeout);
    bool peek = flags & MSG_PEEK;
    u64 copied = 0, skip = 0;
    long err = 0;
    struct received_scm scm = {0};
    struct unix_skb *done = NULL; /* fully read buffers, freed with the lock dropped */
    struct unix_skb *skb = u->rx_head;
    while (copied < len) {
        if (peek) {
            while (skb && skip >= skb->len - skb->consumed) {
                skip -= skb->len - skb->consumed;
                skb = skb->next;
            }
        } else {
            skb = u->rx_head;
        }
        if (!skb) {
            if (copied >= target)
                break;
            long waited = wait_for_rx(sock, u, flags, deadline, timeout);
            if (waited) {
                err = waited < 0 ? waited : 0;
                break;
            }
            if (peek)
                skb = u->rx_head;
            continue;
        }
        if (copied == 0)
            copy_sender_addr(msg, skb);
        else if (skb->nfds && scm.nfds)
            break; /* one message's descriptors at a time */
        u64 offset = skb->consumed + (peek ? skip : 0);
        u64 chunk = MIN(skb->len - offset, len - copied);
        if (kmsg_copy_to(msg, copied, skb->data + offset, chunk)) {
            err = -EFAULT;
            break;
        }
        copied += chunk;
        take_scm(skb, peek, sock->passcred, &scm);
        if (peek) {
            skip += chunk;
        } else {
            skb->consumed += chunk;
            u->rx_bytes -= chunk;
            if (skb->consumed == skb->len) {
                skb = skb_dequeue(u);
                skb_uncharge(skb);
                skb->next = done;
                done = skb;
            }
        }
        if (scm.nfds)
            break;
    }
    spin_unlock_irqrestore(&unix_lock, irq);
    skb_free_list(done);
    int scm_err = deliver_scm(msg, &scm);
    if (copied)
        return (long)copied;
    return err ?: scm_err;
}

static long dgram_recvmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct unix_sock *u = unix_sk(sock);
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    msg->namelen = 0;
    u64 irq = spin_lock_irqsave(&unix_lock);
    if (u->type == SOCK_SEQPACKET && u->state != UNIX_CONNECTED) {
        spin_unlock_irqrestore(&unix_lock, irq);
        return -ENOTCONN;
    }
    u64 timeout = sock->rcvtimeo_ns, deadline = socket_deadline(timeout);
    long err = 0;
    while (!u->rx_head) {
        long waited = wait_for_rx(sock, u, flags, deadline, timeout);
        if (waited) {
            err = waited < 0 ? waited : 0;
            break;
        }
    }
    struct unix_skb *skb = u->rx_head;
    struct received_scm scm = {0};
    long result = err;
    if (skb) {
        copy_sender_addr(msg, skb);
        u64 chunk = MIN(skb->len, len);
        if (kmsg_copy_to(msg, 0, skb->data, chunk)) {
            result = -EFAULT;
            skb = NULL;
        } else {
            if (skb->len > len)
                msg->flags |= MSG_TRUNC;
            result = (long)((flags & MSG_TRUNC) ? skb->len : chunk);
            take_scm(skb, flags & MSG_PEEK, sock->passcred, &scm);
            if (flags & MSG_PEEK) {
                skb = NULL;
            } else {
                skb = skb_dequeue(u);
                skb_uncharge(skb);
            }
        }
    }
    spin_unlock_irqrestore(&unix_lock, irq);
    if (skb)
        skb_free(skb);
    int scm_err = deliver_scm(msg, &scm);
    return result < 0 ? result : (scm_err ?: result);
}

static long unix_recvmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    if (sock->type == SOCK_STREAM)
        return stream_recvmsg(sock, msg, len, flags);
    return dgram_recvmsg(sock, msg, len, flags);
}

/* ---- readiness, options, ioctl ---- */

static unsigned unix_poll(struct socket *sock, struct file *f, struct poll_table *table)
{
    struct unix_sock *u = unix_sk(sock);
    poll_wait(f, &u->wait, table);
    u64 irq = spin_lock_irqsave(&unix_lock);
    struct unix_sock *other = u->peer;
    if (u->type == SOCK_DGRAM && other && other->sock && other->sock->file && other->peer != u)
        poll_wait(other->sock->file, &other->wait, table); /* room in its queue makes us writable */
    unsigned mask = 0;
    if (u->err)
        mask |= POLLERR;
    if (u->shutdown == SHUTDOWN_MASK)
        mask |= POLLHUP;
    if (u->shutdown & RCV_SHUTDOWN)
        mask |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (u->rx_head || (u->state == UNIX_LISTENING && u->accept_head))
        mask |= POLLIN | POLLRDNORM;
    if (connection_based(u->type) && u->state == UNIX_CLOSED)
        mask |= POLLHUP;
    bool writable = unix_writable(u);
    if (u->type == SOCK_DGRAM && other && other->peer != u && other->rx_count > UNIX_MAX_DGRAM_QLEN)
        writable = false;
    if (writable)
        mask |= POLLOUT | POLLWRNORM;
    spin_unlock_irqrestore(&unix_lock, irq);
    return mask;
}

static int unix_getsockopt(struct socket *sock, int level, int name, void *value, u32 *len)
{
    struct unix_sock *u = unix_sk(sock);
    if (level != SOL_SOCKET)
        return -EOPNOTSUPP;
    if (name == SO_PEERCRED) {
        u64 irq = spin_lock_irqsave(&unix_lock);
        struct ucred cred = u->peercred;
        spin_unlock_irqrestore(&unix_lock, irq);
        *len = MIN(*len, (u32)sizeof(cred));
        memcpy(value, &cred, *len);
        return 0;
    }
    if (name == SO_ERROR) {
        u64 irq = spin_lock_irqsave(&unix_lock);
        int v = u->err;
        u->err = 0;
        spin_unlock_irqrestore(&unix_lock, irq);
        *len = MIN(*len, (u32)sizeof(v));
        memcpy(value, &v, *len);
        return 0;
    }
    return sock_getsockopt_common(sock, name, value, len);
}

static long unix_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
    struct unix_sock *u = unix_sk(sock);
    if (cmd != SIOCINQ && cmd != SIOCOUTQ)
        return -ENOIOCTLCMD;
    u64 irq = spin_lock_irqsave(&unix_lock);
    int amount;
    long err = 0;
    if (cmd == SIOCOUTQ)
        amount = (int)u->wmem;
    else if (u->state == UNIX_LISTENING)
        err = -EINVAL;
    else if (u->type == SOCK_STREAM)
        amount = (int)u->rx_bytes;
    else
        amount = u->rx_head ? (int)u->rx_head->len : 0;
    spin_unlock_irqrestore(&unix_lock, irq);
    if (err)
        return err;
    return put_user(amount, (int __user *)arg) ? -EFAULT : 0;
}

static const struct proto_ops unix_ops = {
    .family = AF_UNIX,
    .release = unix_release,
    .socketpair = unix_socketpair,
    .bind = unix_bind,
    .connect = unix_connect,
    .listen = unix_listen,
    .accept = unix_accept,
    .getname = unix_getname,
    .poll = unix_poll,
    .shutdown = unix_shutdown,
    .getsockopt = unix_getsockopt,
    .sendmsg = unix_sendmsg,
    .recvmsg = unix_recvmsg,
    .ioctl = unix_ioctl,
};

static int unix_create(struct socket *sock, int protocol)
{
    if (protocol && protocol != AF_UNIX)
        return -EPROTONOSUPPORT;
    switch (sock->type) {
    case SOCK_RAW:
        sock->type = SOCK_DGRAM; /* BSD allows it, and so does Linux */
        break;
    case SOCK_STREAM:
    case SOCK_DGRAM:
    case SOCK_SEQPACKET:
        break;
    default:
        return -ESOCKTNOSUPPORT;
    }
    struct unix_sock *u = unix_sock_alloc(sock->type);
    if (!u)
        return -ENOMEM;
    u->sock = sock;
    sock->sk = u;
    sock->ops = &unix_ops;
    return 0;
}

/* ---- /proc/net/unix ---- */

#define SO_ACCEPTCON_FLAG 0x10000 /* Linux's __SO_ACCEPTCON: the socket listens */
/* The St column: Linux's socket_state numbers (SS_FREE is 0). */
enum { PROC_SS_UNCONNECTED = 1, PROC_SS_CONNECTING, PROC_SS_CONNECTED, PROC_SS_DISCONNECTING };

/* Linux's unix_seq_show: one line per socket. The kernel address Linux
 * shows first is zeros, as Linux shows it to readers without CAP_SYSLOG;
 * the reference count is Linux's (one for the socket, one for its place in
 * the table of sockets, one per peer pointing at it). */
void unix_proc_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "Num       RefCount Protocol Flags    Type St Inode Path\n");
    u64 irq = spin_lock_irqsave(&unix_lock);
    for (struct unix_sock *u = all_sockets; u; u = u->all_next) {
        u32 refs = 2;
        for (struct unix_sock *other = all_sockets; other; other = other->all_next)
            refs += other->peer == u;
        /* A connection not yet accepted has no socket: Linux shows it connecting. */
        int state;
        if (u->sock)
            state = u->state == UNIX_CONNECTED ? PROC_SS_CONNECTED : PROC_SS_UNCONNECTED;
        else
            state = u->state == UNIX_CONNECTED ? PROC_SS_CONNECTING : PROC_SS_DISCONNECTING;
        u64 ino = u->sock && u->sock->file ? u->sock->file->inode->ino : 0;
        seq_printf(s, "%016lx: %08X %08X %08X %04X %02X %5lu", 0ul, refs, 0u,
                   u->state == UNIX_LISTENING ? SO_ACCEPTCON_FLAG : 0u, (u32)u->type, (u32)state, ino);
        if (u->addr.len) {
            const u8 *path = u->addr.bytes + SUN_PATH_OFFSET;
            int len = u->addr.len - SUN_PATH_OFFSET;
            char line[SOCKADDR_UN_SIZE + 2];
            int n = 0;
            line[n++] = ' ';
            int i = 0;
            if (path[0]) {
                len--; /* the NUL the length counts */
            } else {
                line[n++] = '@';
                i++;
            }
            for (; i < len; i++)
                line[n++] = path[i] ? (char)path[i] : '@';
            seq_write(s, line, (size_t)n);
        }
        seq_write(s, "\n", 1);
    }
    spin_unlock_irqrestore(&unix_lock, irq);
}

void af_unix_init(void) { net_family_register(AF_UNIX, unix_create); }
