/*
 * TCP on loopback (docs/sockets.md): bytes go from socket to socket, each
 * send copied once into a buffer queued on the peer, each receive copied once
 * out of it, with no segments. What a program sees follows Linux's TCP state
 * machine, whose states are kept as Linux's (getsockopt TCP_INFO and
 * /proc/net/tcp show them), with loopback's timing: every segment arrives at
 * once, so a connect to a listener with room completes before it returns,
 * a FIN is acknowledged as it is sent, and a reset reaches the peer at once.
 *
 * - connect makes the server's side at once, an embryo on the listener's
 *   accept queue connected both ways, so the client may write before the
 *   accept. Past the backlog (more queued than it), the connector waits in
 *   SYN_SENT on the listener's queue of connectors until an accept makes room.
 * - A FIN (close, shutdown SHUT_WR) ends the peer's reads (CLOSE_WAIT); the
 *   side that closed first ends in TIME_WAIT: a small struct tcp_timewait in
 *   the port table for 60 s, which keeps its port from bind.
 * - A reset (close with unread data, SO_LINGER 0, data sent to a closed
 *   socket) gives the peer ECONNRESET (EPIPE after its own FIN), as Linux's
 *   tcp_reset.
 *
 * Every socket's state is guarded by inet_lock; a socket's wait queue is woken
 * by each change of its state, by data arriving, and by its peer reading
 * (which makes room for its writes).
 */
#include "apic.h"
#include "errno.h"
#include "fasync.h"
#include "inet.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "seq_buf.h"
#include "signal.h"
#include "uaccess.h"

#define TCP_DEFAULT_SNDBUF 16384   /* net.ipv4.tcp_wmem[1] */
#define TCP_DEFAULT_RCVBUF 131072  /* net.ipv4.tcp_rmem[1] */
#define TCP_MSS_DEFAULT 536        /* before a connection: RFC 1122's */
#define TCP_MSS_LOOPBACK_V4 32741  /* lo's, bounded to half the first window as Linux does */
#define TCP_MSS_LOOPBACK_V6 32732
#define TCP_MIN_MSS 88
#define TCP_MAX_WINDOW 32767
#define TCP_MAX_KEEPIDLE 32767
#define TCP_MAX_KEEPINTVL 32767
#define TCP_MAX_KEEPCNT 127
#define TCP_MAX_SYNCNT 127
#define TCP_DEFAULT_KEEPIDLE 7200
#define TCP_DEFAULT_KEEPINTVL 75
#define TCP_DEFAULT_KEEPCNT 9
#define TCP_DEFAULT_SYNCNT 6
#define TCP_INFO_SIZE 280          /* Linux 6.18's struct tcp_info */
#define TCP_INIT_CWND 10
#define TCP_RTO_USEC 200000
#define TCP_BUF_ALLOC (16 * PAGE_SIZE - 16) /* a run of 16 pages, less kmalloc's header */
#define SHUTDOWN_MASK (RCV_SHUTDOWN | SEND_SHUTDOWN)
#define SIOCINQ 0x541B
#define SIOCOUTQ 0x5411
#define SIOCOUTQNSD 0x894B

#define TCP_NODELAY 1
#define TCP_MAXSEG 2
#define TCP_CORK 3
#define TCP_KEEPIDLE 4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT 6
#define TCP_SYNCNT 7
#define TCP_INFO 11
#define TCP_QUICKACK 12
#define TCP_USER_TIMEOUT 18

struct tcp_buf {
    struct tcp_buf *next;
    u32 len, off;              /* reads take bytes from the front */
    u8 data[];
};

#define TCP_CHUNK (TCP_BUF_ALLOC - sizeof(struct tcp_buf))

struct tcp_sock {
    struct inet_sock inet;
    struct tcp_sock *peer;     /* held: the other end, while the connection has one */
    struct tcp_buf *rx_head, *rx_tail;
    u64 rx_bytes;
    bool done;                 /* the peer's FIN came: reads end there (Linux's SOCK_DONE) */
    bool orphan;               /* closed, lingering in FIN_WAIT2 for the peer's FIN */
    bool embryo;               /* on a listener's accept queue, which owns it */
    /* A listener's: */
    int backlog;
    struct tcp_sock *accept_head, *accept_tail, *accept_next;
    u32 accept_count;
    struct tcp_sock *syn_head, *syn_tail, *syn_next; /* connectors waiting for room */
    struct tcp_sock *listener; /* held by a connector waiting for room */
    struct timer timer;        /* an orphan's FIN_WAIT2 timeout */
    u64 bytes_sent, bytes_received;
    /* SOL_TCP options */
    bool nodelay, cork;
    int user_mss, keepidle, keepintvl, keepcnt, syncnt, user_timeout;
};

struct tcp_timewait {
    struct inet_sock inet;
    struct timer timer;
};

static struct tcp_sock *tcp_sk(struct socket *sock) { return sock->sk; }

static struct tcp_sock *tcp_alloc(int family)
{
    struct tcp_sock *t = kzalloc(sizeof(*t));
    if (!t)
        return NULL;
    inet_sock_init(&t->inet, NULL, family, IPPROTO_TCP);
    t->keepidle = TCP_DEFAULT_KEEPIDLE;
    t->keepintvl = TCP_DEFAULT_KEEPINTVL;
    t->keepcnt = TCP_DEFAULT_KEEPCNT;
    t->syncnt = TCP_DEFAULT_SYNCNT;
    return t;
}

static void tcp_get(struct tcp_sock *t) { refcount_get(&t->inet.refs); }

static struct tcp_buf *rx_take_all(struct tcp_sock *t)
{
    struct tcp_buf *list = t->rx_head;
    t->rx_head = t->rx_tail = NULL;
    t->rx_bytes = 0;
    return list;
}

static void buf_free_list(struct tcp_buf *b)
{
    while (b) {
        struct tcp_buf *next = b->next;
        kfree(b);
        b = next;
    }
}

/* Frees nothing another object could reach: safe under inet_lock. */
static void tcp_put(struct tcp_sock *t)
{
    if (refcount_put(&t->inet.refs)) {
        buf_free_list(rx_take_all(t));
        kfree(t);
    }
}

/* ---- the state machine (called with inet_lock held) ---- */

static void pair(struct tcp_sock *a, struct tcp_sock *b)
{
    tcp_get(b);
    a->peer = b;
    tcp_get(a);
    b->peer = a;
}

/* The connection has no other end any more: each lets go of the other. The
 * caller holds its own reference to t. */
static void unpair(struct tcp_sock *t)
{
    struct tcp_sock *p = t->peer;
    if (!p)
        return;
    t->peer = NULL;
    p->peer = NULL;
    tcp_put(p);
    tcp_put(t);
}

static void orphan_finish(struct tcp_sock *t);

/* Linux's tcp_done: the connection is over for this side. */
static void set_closed(struct tcp_sock *t)
{
    t->inet.state = TCP_CLOSE;
    t->inet.shutdown = SHUTDOWN_MASK;
    if (!t->inet.port_locked)
        inet_port_unbind(&tcp_ports, &t->inet);
    unpair(t);
    wake_up_all(&t->inet.wait);
    if (t->orphan)
        orphan_finish(t);
}

/* The peer's reset arrives (Linux's tcp_reset). */
static void receive_reset(struct tcp_sock *t)
{
    struct socket *sock = t->inet.sock; /* NULL once closed: an orphan may be freed below */
    switch (t->inet.state) {
    case TCP_SYN_SENT:
        t->inet.err = ECONNREFUSED;
        break;
    case TCP_CLOSE_WAIT:
        t->inet.err = EPIPE;
        break;
    case TCP_CLOSE:
        return;
    default:
        t->inet.err = ECONNRESET;
    }
    set_closed(t);
    fasync_notify(sock, POLL_ERR); /* Linux's sk_error_report */
}

/* t aborts the connection: its peer gets a reset. */
static void send_reset(struct tcp_sock *t)
{
    struct tcp_sock *p = t->peer;
    if (!p)
        return;
    tcp_get(p);
    unpair(t);
    receive_reset(p);
    tcp_put(p);
}

static void timewait_expire(struct timer *timer)
{
    struct tcp_timewait *tw = container_of(timer, struct tcp_timewait, timer);
    u64 irq = spin_lock_irqsave(&inet_lock);
    inet_port_unbind(&tcp_ports, &tw->inet);
    spin_unlock_irqrestore(&inet_lock, irq);
    kfree(tw);
}

/* t's side of the connection ends in TIME_WAIT: a timewait holds its port
 * for 60 s, and t itself is closed (Linux's tcp_time_wait). */
static void enter_timewait(struct tcp_sock *t)
{
    struct tcp_timewait *tw = t->inet.bound ? kzalloc(sizeof(*tw)) : NULL;
    if (tw) {
        inet_sock_init(&tw->inet, NULL, t->inet.family, IPPROTO_TCP);
        tw->inet.state = TCP_TIME_WAIT;
        tw->inet.timewait = true;
        tw->inet.local = t->inet.local;
        tw->inet.remote = t->inet.remote;
        tw->inet.reuse = t->inet.sock ? t->inet.sock->reuseaddr : t->inet.reuse;
        tw->inet.v6only = t->inet.v6only;
        inet_port_add(&tcp_ports, &tw->inet, &t->inet.local);
        timer_start(&tw->timer, monotonic_ns() + INET_TIMEWAIT_NS, timewait_expire);
    }
    set_closed(t);
}

/* The peer's FIN arrives. O_ASYNC owners hear of it as Linux's tcp_fin
 * and tcp_data_ready tell them: POLL_HUP when both directions are over
 * (POLL_IN when only reading is), then POLL_IN for the end of file. */
static void receive_fin(struct tcp_sock *t)
{
    struct socket *sock = t->inet.sock; /* NULL once closed: an orphan may be freed below */
    t->done = true;
    t->inet.shutdown |= RCV_SHUTDOWN;
    wake_up_all(&t->inet.wait);
    if (t->inet.state == TCP_ESTABLISHED || t->inet.state == TCP_SYN_RECV)
        t->inet.state = TCP_CLOSE_WAIT;
    else if (t->inet.state == TCP_FIN_WAIT2 || t->inet.state == TCP_FIN_WAIT1)
        enter_timewait(t);
    if (sock) {
        bool over = t->inet.shutdown == SHUTDOWN_MASK || t->inet.state == TCP_CLOSE;
        fasync_notify(sock, over ? POLL_HUP : POLL_IN);
        fasync_notify(sock, POLL_IN);
    }
}

/* t sends its FIN, acknowledged at once (Linux's tcp_close_state and tcp_send_fin). */
static void send_fin(struct tcp_sock *t)
{
    struct tcp_sock *p = t->peer;
    if (t->inet.state == TCP_ESTABLISHED)
        t->inet.state = TCP_FIN_WAIT2;
    else if (t->inet.state == TCP_CLOSE_WAIT)
        t->inet.state = TCP_LAST_ACK;
    else
        return;
    if (p) {
        tcp_get(p);
        receive_fin(p);
        tcp_put(p);
    }
    if (t->inet.state == TCP_LAST_ACK)
        set_closed(t);
}

/* An orphan's end: out of the port table, its last reference gone. */
static void orphan_finish(struct tcp_sock *t)
{
    t->orphan = false;
    timer_cancel(&t->timer);
    t->inet.port_locked = false;
    inet_port_unbind(&tcp_ports, &t->inet);
    unpair(t);
    tcp_put(t);
}

static void orphan_expire(struct timer *timer)
{
    struct tcp_sock *t = container_of(timer, struct tcp_sock, timer);
    u64 irq = spin_lock_irqsave(&inet_lock);
    if (t->orphan)
        orphan_finish(t);
    spin_unlock_irqrestore(&inet_lock, irq);
}

/* ---- listening and connecting ---- */

static void accept_queue_add(struct tcp_sock *l, struct tcp_sock *e)
{
    if (l->accept_tail)
        l->accept_tail->accept_next = e;
    else
        l->accept_head = e;
    l->accept_tail = e;
    l->accept_count++;
    wake_up_all(&l->inet.wait);
    fasync_notify(l->inet.sock, POLL_IN); /* a connection to accept */
}

static bool backlog_full(const struct tcp_sock *l) { return l->accept_count > (u32)l->backlog; }

/* Connects c to the listener l through the embryo e: both ESTABLISHED. */
static void establish(struct tcp_sock *l, struct tcp_sock *c, struct tcp_sock *e, const struct inet_endpoint *dest)
{
    struct socket *ls = l->inet.sock;
    e->embryo = true;
    e->inet.state = TCP_ESTABLISHED;
    e->inet.local = *dest;
    e->inet.remote = c->inet.local;
    e->inet.reuse = ls ? ls->reuseaddr : l->inet.reuse;
    e->inet.port_locked = l->inet.port_locked;
    e->inet.v6only = l->inet.v6only;
    e->inet.tos = l->inet.tos;
    e->inet.ttl = l->inet.ttl;
    e->inet.hops = l->inet.hops;
    e->inet.sndbuf = ls ? ls->sndbuf : TCP_DEFAULT_SNDBUF;
    e->inet.rcvbuf = ls ? ls->rcvbuf : TCP_DEFAULT_RCVBUF;
    e->nodelay = l->nodelay;
    e->user_mss = l->user_mss;
    e->keepidle = l->keepidle;
    e->keepintvl = l->keepintvl;
    e->keepcnt = l->keepcnt;
    inet_port_add(&tcp_ports, &e->inet, dest);
    c->inet.state = TCP_ESTABLISHED;
    c->inet.remote = *dest;
    pair(c, e);
    accept_queue_add(l, e);
    wake_up_all(&c->inet.wait);
}

/* The listener l took one from its accept queue, or grew its backlog: the
 * connectors waiting for room get in (their SYN, sent again, is answered). */
static void admit_waiting(struct tcp_sock *l)
{
    while (l->syn_head && !backlog_full(l)) {
        struct tcp_sock *c = l->syn_head;
        struct tcp_sock *e = tcp_alloc(l->inet.family);
        if (!e)
            return;
        l->syn_head = c->syn_next;
        if (!l->syn_head)
            l->syn_tail = NULL;
        c->syn_next = NULL;
        c->listener = NULL;
        establish(l, c, e, &c->inet.remote);
        tcp_put(l); /* the connector's hold on the listener */
    }
}

static void syn_queue_remove(struct tcp_sock *c)
{
    struct tcp_sock *l = c->listener;
    if (!l)
        return;
    for (struct tcp_sock **p = &l->syn_head; *p; p = &(*p)->syn_next) {
        if (*p == c) {
            *p = c->syn_next;
            if (l->syn_tail == c) {
                struct tcp_sock *last = l->syn_head;
                while (last && last->syn_next)
                    last = last->syn_next;
                l->syn_tail = last;
            }
            break;
        }
    }
    c->syn_next = NULL;
    c->listener = NULL;
    tcp_put(l);
}

/* A listener stops (close, shutdown SHUT_RD): its embryos are reset, its waiting connectors refused. */
static void stop_listening(struct tcp_sock *l)
{
    while (l->accept_head) {
        struct tcp_sock *e = l->accept_head;
        l->accept_head = e->accept_next;
        e->accept_next = NULL;
        e->embryo = false;
        send_reset(e);
        set_closed(e);
        e->inet.port_locked = false;
        inet_port_unbind(&tcp_ports, &e->inet);
        tcp_put(e);
    }
    l->accept_tail = NULL;
    l->accept_count = 0;
    while (l->syn_head) {
        struct tcp_sock *c = l->syn_head;
        tcp_get(c);
        syn_queue_remove(c);
        receive_reset(c);
        tcp_put(c);
    }
    l->inet.state = TCP_CLOSE;
    if (l->inet.sock)
        l->inet.sock->listening = false;
    wake_up_all(&l->inet.wait);
}

static struct tcp_sock *find_listener(const struct inet_endpoint *dest)
{
    struct tcp_sock *best = NULL;
    int best_score = 0;
    for (struct inet_sock *e = inet_port_chain(&tcp_ports, dest->port); e; e = e->port_next) {
        if (e->local.port != dest->port || e->state != TCP_LISTEN || !inet_local_matches(e, dest->addr))
            continue;
        int score = 1 + (memcmp(e->local.addr, dest->addr, INET_ADDR_LEN) ? 0 : 2) +
                    ((e->family == AF_INET) == inet_addr_is_v4(dest->addr));
        if (score > best_score) {
            best_score = score;
            best = (struct tcp_sock *)e;
        }
    }
    return best;
}

static int tcp_listen(struct socket *sock, int backlog)
{
    struct tcp_sock *t = tcp_sk(sock);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = 0;
    if (sock->state != SS_UNCONNECTED || (t->inet.state != TCP_CLOSE && t->inet.state != TCP_LISTEN)) {
        err = -EINVAL;
    } else if (t->inet.state == TCP_CLOSE) {
        bool autobound = false;
        t->inet.reuse = sock->reuseaddr;
        if (!t->inet.bound) {
            struct inet_endpoint any = t->inet.local;
            any.port = 0; /* (a port given back may still show) */
            err = inet_port_bind(&tcp_ports, &t->inet, &any, -EADDRINUSE);
            autobound = !err;
        }
        if (!err) {
            t->inet.state = TCP_LISTEN;
            if (inet_port_listen_conflict(&tcp_ports, &t->inet)) {
                t->inet.state = TCP_CLOSE;
                if (autobound)
                    inet_port_unbind(&tcp_ports, &t->inet);
                err = -EADDRINUSE;
            }
        }
    }
    if (!err) {
        t->backlog = backlog;
        sock->listening = true;
        admit_waiting(t);
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

/* Back to a fresh CLOSE socket, as Linux's tcp_disconnect (connect with
 * AF_UNSPEC, shutdown of a listener or a connector, a connect that failed). */
static void disconnect(struct socket *sock, struct tcp_sock *t)
{
    int old = t->inet.state;
    if (old == TCP_LISTEN) {
        stop_listening(t);
    } else if (old == TCP_SYN_SENT) {
        syn_queue_remove(t);
        t->inet.err = ECONNRESET;
    } else if (old != TCP_CLOSE) {
        send_reset(t);
    }
    t->inet.state = TCP_CLOSE;
    unpair(t);
    if (!t->inet.port_locked)
        inet_port_unbind(&tcp_ports, &t->inet);
    if (!t->inet.addr_locked && !t->inet.bound) {
        memset(t->inet.local.addr, 0, INET_ADDR_LEN);
        if (t->inet.family == AF_INET)
            inet_addr_set_v4(t->inet.local.addr, 0);
    }
    buf_free_list(rx_take_all(t));
    t->inet.shutdown = 0;
    t->done = false;
    memset(&t->inet.remote, 0, sizeof(t->inet.remote));
    sock->state = SS_UNCONNECTED;
    sock->listening = false;
    wake_up_all(&t->inet.wait);
}

/* Sends the SYN: the listener answers at once, or its backlog is full and
 * the connector waits in SYN_SENT, or nobody listens and a reset answers. */
static int start_connect(struct tcp_sock *t, const void *addr, int len, struct tcp_sock **embryo)
{
    u16 sa_family;
    memcpy(&sa_family, addr, sizeof(sa_family));
    if (t->inet.family == AF_INET6 && sa_family == AF_INET && len >= SIN6_LEN_RFC2133)
        return -EAFNOSUPPORT;
    struct inet_endpoint dest;
    int err = inet_addr_from_user(t->inet.family, INET_USE_CONNECT, addr, len, &dest);
    if (err)
        return err;
    if (t->inet.family == AF_INET6 && sa_family == AF_INET)
        return len < SIN6_LEN_RFC2133 ? -EINVAL : -EAFNOSUPPORT;
    u8 saddr[INET_ADDR_LEN];
    err = inet_route(&t->inet, dest.addr, saddr);
    if (err)
        return err;
    if (!t->inet.bound) {
        struct inet_endpoint ep = {.port = 0};
        memcpy(ep.addr, saddr, INET_ADDR_LEN);
        t->inet.reuse = t->inet.sock->reuseaddr;
        err = inet_port_bind(&tcp_ports, &t->inet, &ep, -EADDRNOTAVAIL);
        if (err)
            return err;
    } else if (inet_addr_is_any(t->inet.local.addr)) {
        memcpy(t->inet.local.addr, saddr, INET_ADDR_LEN);
    }
    t->inet.remote = dest;
    t->inet.err = 0;
    t->inet.shutdown = 0;
    t->done = false;
    t->inet.state = TCP_SYN_SENT;
    struct tcp_sock *l = find_listener(&dest);
    if (!l || (l->inet.shutdown & RCV_SHUTDOWN)) {
        receive_reset(t);
    } else if (backlog_full(l)) {
        /* Linux drops the SYN and the client sends it again: it gets in once an accept makes room. */
        tcp_get(l);
        t->listener = l;
        if (l->syn_tail)
            l->syn_tail->syn_next = t;
        else
            l->syn_head = t;
        l->syn_tail = t;
    } else {
        struct tcp_sock *e = *embryo;
        *embryo = NULL;
        e->inet.family = l->inet.family;
        establish(l, t, e, &dest);
    }
    return 0;
}

static int tcp_connect(struct socket *sock, const void *addr, int len, u32 file_flags)
{
    struct tcp_sock *t = tcp_sk(sock);
    if (len < (int)sizeof(u16))
        return -EINVAL;
    u16 sa_family;
    memcpy(&sa_family, addr, sizeof(sa_family));
    struct tcp_sock *embryo = tcp_alloc(t->inet.family);
    if (!embryo)
        return -ENOBUFS;
    u64 timeout = sock->sndtimeo_ns, deadline = socket_deadline(timeout);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err;
    if (sa_family == AF_UNSPEC) {
        disconnect(sock, t);
        err = 0;
        goto out;
    }
    switch (sock->state) {
    case SS_CONNECTED:
        err = -EISCONN;
        goto out;
    case SS_CONNECTING:
        err = -EALREADY;
        break;
    case SS_UNCONNECTED:
        if (t->inet.state != TCP_CLOSE) {
            err = -EISCONN;
            goto out;
        }
        err = start_connect(t, addr, len, &embryo);
        if (err)
            goto out;
        sock->state = SS_CONNECTING;
        err = -EINPROGRESS;
        /* A non-blocking connect hears the answer after it returns, as Linux's does. */
        if (file_flags & O_NONBLOCK)
            goto out;
        break;
    default:
        err = -EINVAL;
        goto out;
    }
    if (t->inet.state == TCP_SYN_SENT) {
        if (file_flags & O_NONBLOCK)
            goto out;
        while (t->inet.state == TCP_SYN_SENT) {
            int e = wait_sleep(&t->inet.wait, &inet_lock, deadline);
            if (e == -ETIMEDOUT) {
                err = -EINPROGRESS;
                goto out;
            }
            if (e) {
                err = socket_sleep_errno(e, timeout);
                goto out;
            }
        }
    }
    if (t->inet.state == TCP_CLOSE) {
        err = inet_take_error(&t->inet) ?: -ECONNABORTED;
        disconnect(sock, t);
        goto out;
    }
    sock->state = SS_CONNECTED;
    err = 0;
out:
    spin_unlock_irqrestore(&inet_lock, irq);
    if (embryo)
        tcp_put(embryo);
    return err;
}

static int tcp_accept(struct socket *sock, struct socket *child, u32 file_flags)
{
    struct tcp_sock *t = tcp_sk(sock);
    u64 timeout = sock->rcvtimeo_ns, deadline = socket_deadline(timeout);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = 0;
    for (;;) {
        if (t->inet.state != TCP_LISTEN) {
            err = -EINVAL;
            break;
        }
        if (t->accept_head)
            break;
        if (file_flags & O_NONBLOCK) {
            err = -EAGAIN;
            break;
        }
        err = wait_sleep(&t->inet.wait, &inet_lock, deadline);
        if (err) {
            err = socket_sleep_errno(err, timeout);
            break;
        }
    }
    if (!err) {
        struct tcp_sock *e = t->accept_head;
        t->accept_head = e->accept_next;
        if (!t->accept_head)
            t->accept_tail = NULL;
        e->accept_next = NULL;
        t->accept_count--;
        e->embryo = false;
        e->inet.sock = child;
        child->sk = e; /* the accept queue's reference becomes the socket's */
        child->state = SS_CONNECTED;
        /* The options a connection inherits from its listener, as Linux's sk_clone. */
        child->sndbuf = sock->sndbuf;
        child->rcvbuf = sock->rcvbuf;
        child->reuseaddr = sock->reuseaddr;
        child->keepalive = sock->keepalive;
        child->linger_onoff = sock->linger_onoff;
        child->linger_secs = sock->linger_secs;
        child->rcvtimeo_ns = sock->rcvtimeo_ns;
        child->sndtimeo_ns = sock->sndtimeo_ns;
        admit_waiting(t);
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

static int tcp_shutdown(struct socket *sock, int how)
{
    struct tcp_sock *t = tcp_sk(sock);
    u32 mode = (u32)how + 1; /* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both */
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = 0;
    int state = t->inet.state;
    if (sock->state == SS_CONNECTING)
        sock->state = (state == TCP_SYN_SENT || state == TCP_CLOSE) ? SS_DISCONNECTING : SS_CONNECTED;
    switch (state) {
    case TCP_CLOSE:
        err = -ENOTCONN;
        t->inet.shutdown |= mode; /* still, as Linux: poll shows it */
        break;
    case TCP_LISTEN:
        if (mode & RCV_SHUTDOWN)
            disconnect(sock, t);
        break;
    case TCP_SYN_SENT:
        disconnect(sock, t);
        break;
    default:
        t->inet.shutdown |= mode;
        if (mode & SEND_SHUTDOWN)
            send_fin(t);
        break;
    }
    wake_up_all(&t->inet.wait);
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

static void tcp_release(struct socket *sock)
{
    struct tcp_sock *t = tcp_sk(sock);
    if (!t)
        return;
    u64 irq = spin_lock_irqsave(&inet_lock);
    sock->sk = NULL;
    t->inet.sock = NULL;
    t->inet.reuse = sock->reuseaddr; /* what its TIME_WAIT will go by */
    bool unread = t->rx_bytes != 0;
    struct tcp_buf *rx = rx_take_all(t);
    switch (t->inet.state) {
    case TCP_LISTEN:
        stop_listening(t);
        break;
    case TCP_SYN_SENT:
        syn_queue_remove(t);
        t->inet.state = TCP_CLOSE;
        break;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
    case TCP_FIN_WAIT2:
        if (unread || (sock->linger_onoff && !sock->linger_secs)) {
            send_reset(t);
            t->inet.state = TCP_CLOSE;
        } else {
            send_fin(t);
        }
        break;
    }
    if (t->inet.state == TCP_FIN_WAIT2) {
        /* Closed first: it waits for the peer's FIN (tcp_fin_timeout), then TIME_WAIT. */
        t->orphan = true;
        timer_start(&t->timer, monotonic_ns() + INET_TIMEWAIT_NS, orphan_expire);
    } else {
        t->inet.state = TCP_CLOSE;
        t->inet.port_locked = false;
        inet_port_unbind(&tcp_ports, &t->inet);
        unpair(t);
        tcp_put(t);
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    buf_free_list(rx);
}

/* ---- sending and receiving ---- */

static bool established(const struct tcp_sock *t)
{
    return t->inet.state == TCP_ESTABLISHED || t->inet.state == TCP_CLOSE_WAIT;
}

/* What the peer holds beyond its receive buffer: still "in flight" for the sender (SIOCOUTQ). */
static u64 unacked_bytes(const struct tcp_sock *t)
{
    const struct tcp_sock *p = t->peer;
    if (!p)
        return 0;
    u64 window = (u64)inet_rcvbuf(&p->inet);
    return p->rx_bytes > window ? p->rx_bytes - window : 0;
}

static bool has_room(const struct tcp_sock *t, const struct tcp_sock *p)
{
    return p->rx_bytes < (u64)inet_rcvbuf(&p->inet) + (u64)inet_sndbuf(&t->inet);
}

static void rx_enqueue(struct tcp_sock *p, struct tcp_buf *b)
{
    if (p->rx_tail)
        p->rx_tail->next = b;
    else
        p->rx_head = b;
    p->rx_tail = b;
    p->rx_bytes += b->len;
    wake_up_all(&p->inet.wait);
    fasync_notify(p->inet.sock, POLL_IN);
}

static long tcp_sendmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct tcp_sock *t = tcp_sk(sock);
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    u64 timeout = sock->sndtimeo_ns, deadline = socket_deadline(timeout);
    u64 irq = spin_lock_irqsave(&inet_lock);
    long err = 0;
    /* Linux's sk_stream_wait_connect */
    while (!established(t)) {
        if (t->inet.err) {
            err = inet_take_error(&t->inet);
            break;
        }
        if (t->inet.state != TCP_SYN_SENT) {
            err = -EPIPE;
            break;
        }
        if (socket_nonblocking(sock, flags)) {
            err = -EAGAIN;
            break;
        }
        int e = wait_sleep(&t->inet.wait, &inet_lock, deadline);
        if (e) {
            err = socket_sleep_errno(e, timeout);
            break;
        }
    }
    u64 sent = 0;
    while (!err && sent < len) {
        u64 chunk = MIN(len - sent, (u64)TCP_CHUNK);
        spin_unlock_irqrestore(&inet_lock, irq);
        struct tcp_buf *b = kmalloc(sizeof(*b) + chunk);
        int copy_err = !b ? -ENOBUFS : kmsg_copy_from(msg, sent, b->data, chunk);
        irq = spin_lock_irqsave(&inet_lock);
        if (copy_err) {
            kfree(b);
            err = copy_err;
            break;
        }
        b->next = NULL;
        b->len = (u32)chunk;
        b->off = 0;
        struct tcp_sock *p;
        for (;;) {
            p = t->peer;
            if (t->inet.err || (t->inet.shutdown & SEND_SHUTDOWN) || !established(t)) {
                err = -EPIPE;
                break;
            }
            if (!p || p->orphan)
                break;
            if (has_room(t, p))
                break;
            socket_no_room(sock);
            if (socket_nonblocking(sock, flags)) {
                err = -EAGAIN;
                break;
            }
            int e = wait_sleep(&t->inet.wait, &inet_lock, deadline);
            if (e) {
                err = socket_sleep_errno(e, timeout);
                break;
            }
        }
        if (err) {
            kfree(b);
            break;
        }
        if (!p || p->orphan) {
            /* The data reaches a socket that is closed, which answers with a reset. */
            kfree(b);
            if (p) {
                tcp_get(p);
                unpair(t);
                set_closed(p);
                tcp_put(p);
            }
            receive_reset(t);
            sent = len;
            break;
        }
        rx_enqueue(p, b);
        inet_count_packet(t->inet.remote.addr, chunk, TCP_HEADER_LEN);
        sent += chunk;
        t->bytes_sent += chunk;
    }
    bool sigpipe = false;
    long result = (long)sent;
    if (!sent) {
        if (err == -EPIPE)
            err = inet_take_error(&t->inet) ?: -EPIPE; /* Linux's sk_stream_error */
        sigpipe = err == -EPIPE && !(flags & MSG_NOSIGNAL);
        result = err;
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    if (sigpipe)
        signal_send_from_current(current_task(), SIGPIPE);
    return result;
}

static bool writable(const struct socket *sock, const struct tcp_sock *t);

/* t read some of what its peer sent: room for the peer's writes (Linux's
 * sk_stream_write_space, once the acknowledgement comes). */
static void room_made(struct tcp_sock *t)
{
    struct tcp_sock *p = t->peer;
    if (!p)
        return;
    wake_up_all(&p->inet.wait);
    struct socket *writer = p->inet.sock;
    if (writer && writable(writer, p) && !(p->inet.shutdown & SEND_SHUTDOWN))
        socket_room_announce(writer);
}

static long tcp_recvmsg(struct socket *sock, struct kmsg *msg, u64 len, u32 flags)
{
    struct tcp_sock *t = tcp_sk(sock);
    msg->namelen = 0;
    if (flags & MSG_ERRQUEUE)
        return -EAGAIN; /* Linux's inet_recv_error on an empty error queue, whatever the state */
    if (flags & MSG_OOB)
        return -EINVAL; /* no urgent data ever comes */
    u64 timeout = sock->rcvtimeo_ns, deadline = socket_deadline(timeout);
    u64 irq = spin_lock_irqsave(&inet_lock);
    if (t->inet.state == TCP_LISTEN) {
        spin_unlock_irqrestore(&inet_lock, irq);
        return -ENOTCONN;
    }
    bool peek = flags & MSG_PEEK, discard = flags & MSG_TRUNC;
    u64 target = (flags & MSG_WAITALL) && len ? len : 1; /* a read of 0 bytes waits for data too, as Linux's */
    u64 copied = 0;
    long err = 0;
    bool consumed = false;
    struct tcp_buf *done = NULL;
    while (copied < len || !len) {
        struct tcp_buf *b = t->rx_head;
        u64 off = b ? b->off : 0;
        if (peek) {
            u64 skip = copied;
            while (b && skip >= b->len - b->off) {
                skip -= b->len - b->off;
                b = b->next;
            }
            off = b ? b->off + skip : 0;
        }
        if (b) {
            if (!len)
                break;
            u64 n = MIN(b->len - off, len - copied);
            if (!discard && kmsg_copy_to(msg, copied, b->data + off, n)) {
                err = -EFAULT;
                break;
            }
            copied += n;
            if (!peek) {
                b->off += (u32)n;
                t->rx_bytes -= n;
                t->bytes_received += n;
                consumed = true;
                if (b->off == b->len) {
                    t->rx_head = b->next;
                    if (!t->rx_head)
                        t->rx_tail = NULL;
                    b->next = done;
                    done = b;
                }
            }
            continue;
        }
        if (copied >= target)
            break;
        bool nonblocking = socket_nonblocking(sock, flags);
        if (copied) {
            if (t->inet.err || t->inet.state == TCP_CLOSE || (t->inet.shutdown & RCV_SHUTDOWN) || nonblocking)
                break;
        } else {
            if (t->done)
                break;
            if (t->inet.err) {
                err = inet_take_error(&t->inet);
                break;
            }
            if (t->inet.shutdown & RCV_SHUTDOWN)
                break;
            if (t->inet.state == TCP_CLOSE) {
                err = -ENOTCONN;
                break;
            }
            if (nonblocking) {
                err = -EAGAIN;
                break;
            }
        }
        if (consumed)
            room_made(t);
        int e = wait_sleep(&t->inet.wait, &inet_lock, deadline);
        if (e) {
            if (!copied)
                err = socket_sleep_errno(e, timeout);
            break;
        }
    }
    if (consumed)
        room_made(t);
    spin_unlock_irqrestore(&inet_lock, irq);
    buf_free_list(done);
    return copied ? (long)copied : err;
}

/* ---- readiness, options, ioctl ---- */

static bool writable(const struct socket *sock, const struct tcp_sock *t)
{
    /* Linux's sk_stream_is_writeable: a third of the send buffer free */
    u64 queued = unacked_bytes(t);
    return queued * 3 <= (u64)sock->sndbuf * 2;
}

static unsigned tcp_poll(struct socket *sock, struct file *f, struct poll_table *table)
{
    struct tcp_sock *t = tcp_sk(sock);
    poll_wait(f, &t->inet.wait, table);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int state = t->inet.state;
    unsigned mask = 0;
    if (state == TCP_LISTEN) {
        mask = t->accept_head ? POLLIN | POLLRDNORM : 0;
        spin_unlock_irqrestore(&inet_lock, irq);
        return mask;
    }
    u32 shutdown = t->inet.shutdown;
    if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
        mask |= POLLHUP;
    if (shutdown & RCV_SHUTDOWN)
        mask |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
        if (t->rx_bytes)
            mask |= POLLIN | POLLRDNORM;
        if ((shutdown & SEND_SHUTDOWN) || writable(sock, t))
            mask |= POLLOUT | POLLWRNORM;
    }
    if (t->inet.err)
        mask |= POLLERR;
    spin_unlock_irqrestore(&inet_lock, irq);
    return mask;
}

static int tcp_setsockopt(struct socket *sock, int level, int name, const void *value, u32 len)
{
    if (level != SOL_TCP)
        return inet_setsockopt(sock, level, name, value, len);
    struct tcp_sock *t = tcp_sk(sock);
    if (len < sizeof(int))
        return -EINVAL;
    int v;
    memcpy(&v, value, sizeof(v));
    u64 irq = spin_lock_irqsave(&inet_lock);
    int err = 0;
    switch (name) {
    case TCP_NODELAY:
        t->nodelay = v != 0;
        break;
    case TCP_CORK:
        t->cork = v != 0;
        break;
    case TCP_MAXSEG:
        if (v && (v < TCP_MIN_MSS || v > TCP_MAX_WINDOW))
            err = -EINVAL;
        else
            t->user_mss = v;
        break;
    case TCP_KEEPIDLE:
        if (v < 1 || v > TCP_MAX_KEEPIDLE)
            err = -EINVAL;
        else
            t->keepidle = v;
        break;
    case TCP_KEEPINTVL:
        if (v < 1 || v > TCP_MAX_KEEPINTVL)
            err = -EINVAL;
        else
            t->keepintvl = v;
        break;
    case TCP_KEEPCNT:
        if (v < 1 || v > TCP_MAX_KEEPCNT)
            err = -EINVAL;
        else
            t->keepcnt = v;
        break;
    case TCP_SYNCNT:
        if (v < 1 || v > TCP_MAX_SYNCNT)
            err = -EINVAL;
        else
            t->syncnt = v;
        break;
    case TCP_USER_TIMEOUT:
        if (v < 0)
            err = -EINVAL;
        else
            t->user_timeout = v;
        break;
    case TCP_QUICKACK:
        break; /* every segment is acknowledged at once here */
    default:
        err = -ENOPROTOOPT;
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    return err;
}

static int mss_of(const struct tcp_sock *t)
{
    int state = t->inet.state;
    if (state == TCP_CLOSE || state == TCP_LISTEN || state == TCP_SYN_SENT)
        return t->user_mss ?: TCP_MSS_DEFAULT;
    int mss = inet_addr_is_v4(t->inet.remote.addr) ? TCP_MSS_LOOPBACK_V4 : TCP_MSS_LOOPBACK_V6;
    return t->user_mss && t->user_mss < mss ? t->user_mss : mss;
}

/* The beginning of Linux's struct tcp_info; the rest stays zero. */
struct tcp_info_k {
    u8 state, ca_state, retransmits, probes, backoff, options, wscale, app_limited;
    u32 rto, ato, snd_mss, rcv_mss;
    u32 unacked, sacked, lost, retrans, fackets;
    u32 last_data_sent, last_ack_sent, last_data_recv, last_ack_recv;
    u32 pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh, snd_cwnd, advmss, reordering;
    u32 rcv_rtt, rcv_space, total_retrans;
    u64 pacing_rate, max_pacing_rate, bytes_acked, bytes_received;
    u32 segs_out, segs_in, notsent_bytes, min_rtt, data_segs_in, data_segs_out;
    u64 delivery_rate, busy_time, rwnd_limited, sndbuf_limited;
    u32 delivered, delivered_ce;
    u64 bytes_sent, bytes_retrans;
    u8 rest[TCP_INFO_SIZE - 216];
};

#define TCP_INFINITE_SSTHRESH 0x7fffffff
#define TCP_REORDERING 3
#define TCP_ATO_USEC 40000
#define LOOPBACK_MTU 65536

static void fill_tcp_info(const struct tcp_sock *t, struct tcp_info_k *info)
{
    memset(info, 0, sizeof(*info));
    info->state = (u8)t->inet.state;
    info->rto = TCP_RTO_USEC;
    info->ato = TCP_ATO_USEC;
    info->snd_mss = info->rcv_mss = info->advmss = (u32)mss_of(t);
    info->pmtu = LOOPBACK_MTU;
    info->snd_ssthresh = TCP_INFINITE_SSTHRESH;
    info->rcv_ssthresh = (u32)inet_rcvbuf(&t->inet);
    info->snd_cwnd = TCP_INIT_CWND;
    info->reordering = TCP_REORDERING;
    info->rcv_space = (u32)inet_rcvbuf(&t->inet);
    info->bytes_acked = info->bytes_sent = t->bytes_sent;
    info->bytes_received = t->bytes_received;
}

static int tcp_getsockopt(struct socket *sock, int level, int name, void *value, u32 *len)
{
    if (level != SOL_TCP)
        return inet_getsockopt(sock, level, name, value, len);
    struct tcp_sock *t = tcp_sk(sock);
    u64 irq = spin_lock_irqsave(&inet_lock);
    int v = 0, err = 0;
    switch (name) {
    case TCP_NODELAY: v = t->nodelay; break;
    case TCP_CORK: v = t->cork; break;
    case TCP_MAXSEG: v = mss_of(t); break;
    case TCP_KEEPIDLE: v = t->keepidle; break;
    case TCP_KEEPINTVL: v = t->keepintvl; break;
    case TCP_KEEPCNT: v = t->keepcnt; break;
    case TCP_SYNCNT: v = t->syncnt; break;
    case TCP_USER_TIMEOUT: v = t->user_timeout; break;
    case TCP_QUICKACK: v = 1; break;
    case TCP_INFO: {
        struct tcp_info_k info;
        fill_tcp_info(t, &info);
        spin_unlock_irqrestore(&inet_lock, irq);
        *len = MIN(*len, (u32)sizeof(info));
        memcpy(value, &info, *len);
        return 0;
    }
    default:
        err = -ENOPROTOOPT;
    }
    spin_unlock_irqrestore(&inet_lock, irq);
    if (err)
        return err;
    *len = MIN(*len, (u32)sizeof(v));
    memcpy(value, &v, *len);
    return 0;
}

static long tcp_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
    struct tcp_sock *t = tcp_sk(sock);
    if (cmd != SIOCINQ && cmd != SIOCOUTQ && cmd != SIOCOUTQNSD)
        return -ENOIOCTLCMD; /* the interface ioctls' (netdev_ioctl) */
    u64 irq = spin_lock_irqsave(&inet_lock);
    int amount = 0;
    long err = 0;
    if (t->inet.state == TCP_LISTEN)
        err = -EINVAL;
    else if (t->inet.state == TCP_SYN_SENT)
        amount = 0;
    else if (cmd == SIOCINQ)
        amount = (int)t->rx_bytes;
    else
        amount = (int)unacked_bytes(t);
    spin_unlock_irqrestore(&inet_lock, irq);
    if (err)
        return err;
    return put_user(amount, (int __user *)arg) ? -EFAULT : 0;
}

/* ---- /proc/net/tcp and tcp6, in Linux's format ---- */

#define TCP4_LINE_WIDTH 149   /* Linux pads each line of /proc/net/tcp to this */
#define USER_HZ 100

static void pad_line(struct seq_buf *m, size_t start)
{
    while (m->len - start < TCP4_LINE_WIDTH && !m->overflow)
        seq_write(m, " ", 1);
    seq_write(m, "\n", 1);
}

static void show_one(struct seq_buf *m, int i, struct inet_sock *s, bool v6)
{
    size_t start = m->len;
    seq_printf(m, "%4d: ", i);
    inet_show_endpoint(m, &s->local, v6);
    seq_write(m, " ", 1);
    inet_show_endpoint(m, &s->remote, v6);
    if (s->timewait) {
        struct tcp_timewait *tw = (struct tcp_timewait *)s;
        u64 now = monotonic_ns();
        u64 left = tw->timer.expires > now ? tw->timer.expires - now : 0;
        seq_printf(m, " %02X %08X:%08X %02X:%08lX %08X %5d %8d %d %d %016lx", s->state, 0, 0, 3,
                   (unsigned long)(left / (NSEC_PER_SEC / USER_HZ)), 0, 0, 0, 0, 3, 0ul);
    } else {
        struct tcp_sock *t = (struct tcp_sock *)s;
        bool listening = s->state == TCP_LISTEN;
        u64 rxq = listening ? t->accept_count : t->rx_bytes;
        seq_printf(m, " %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016lx %s", s->state,
                   (u32)unacked_bytes(t), (u32)rxq, 0, 0ul, 0, 0u, 0, (unsigned long)inet_ino(s), 1, 0ul,
                   listening ? "100 0 0 10 0" : "20 4 30 10 -1");
    }
    if (v6)
        seq_write(m, "\n", 1);
    else
        pad_line(m, start);
}

static void tcp_proc_show(struct seq_buf *m, bool v6)
{
    if (v6) {
        seq_printf(m, "  sl  local_address                         remote_address                        st tx_queue "
                      "rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
    } else {
        size_t start = m->len;
        seq_printf(m, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
        pad_line(m, start);
    }
    int family = v6 ? AF_INET6 : AF_INET;
    u64 irq = spin_lock_irqsave(&inet_lock);
    int i = 0;
    /* Listeners first, then connections and timewaits, as Linux's two hash tables come. */
    for (int listening = 1; listening >= 0; listening--)
        for (size_t c = 0; c < ARRAY_SIZE(tcp_ports.chains); c++)
            for (struct inet_sock *s = tcp_ports.chains[c]; s; s = s->port_next)
                if (s->family == family && s->state != TCP_CLOSE && (s->state == TCP_LISTEN) == listening)
                    show_one(m, i++, s, v6);
    spin_unlock_irqrestore(&inet_lock, irq);
}

void tcp4_proc_show(struct task *task, struct seq_buf *m)
{
    (void)task;
    tcp_proc_show(m, false);
}

void tcp6_proc_show(struct task *task, struct seq_buf *m)
{
    (void)task;
    tcp_proc_show(m, true);
}

static const struct proto_ops tcp_ops = {
    .family = AF_INET,
    .release = tcp_release,
    .bind = inet_bind,
    .connect = tcp_connect,
    .listen = tcp_listen,
    .accept = tcp_accept,
    .getname = inet_getname,
    .poll = tcp_poll,
    .shutdown = tcp_shutdown,
    .setsockopt = tcp_setsockopt,
    .getsockopt = tcp_getsockopt,
    .sendmsg = tcp_sendmsg,
    .recvmsg = tcp_recvmsg,
    .ioctl = tcp_ioctl,
};

int tcp_create(struct socket *sock, int family)
{
    struct tcp_sock *t = tcp_alloc(family);
    if (!t)
        return -ENOBUFS;
    t->inet.sock = sock;
    sock->sk = t;
    sock->ops = &tcp_ops;
    sock->sndbuf = TCP_DEFAULT_SNDBUF;
    sock->rcvbuf = TCP_DEFAULT_RCVBUF;
    return 0;
}
