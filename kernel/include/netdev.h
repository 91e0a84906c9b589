/*
 * Network interfaces as programs see them (kernel/net/netdev.c,
 * docs/sockets.md): sysgate has one, the loopback `lo`, configured at boot
 * as Linux configures it (127.0.0.1/8 and ::1/128, MTU 65536). Its
 * counters count what the protocols carry over it; the interface ioctls of
 * every socket (Linux's dev_ioctl and the IPv4 address ones of devinet_ioctl)
 * and /proc/net/dev, if_inet6 and route show it.
 */
#ifndef SYSGATE_NETDEV_H
#define SYSGATE_NETDEV_H

#include "types.h"

struct socket;
struct task;
struct seq_buf;

#define IFNAMSIZ 16

#define IFF_UP 0x1
#define IFF_BROADCAST 0x2
#define IFF_DEBUG 0x4
#define IFF_LOOPBACK 0x8
#define IFF_POINTOPOINT 0x10
#define IFF_NOTRAILERS 0x20
#define IFF_RUNNING 0x40
#define IFF_NOARP 0x80
#define IFF_PROMISC 0x100
#define IFF_ALLMULTI 0x200
#define IFF_MASTER 0x400
#define IFF_SLAVE 0x800
#define IFF_MULTICAST 0x1000
#define IFF_PORTSEL 0x2000
#define IFF_AUTOMEDIA 0x4000
#define IFF_DYNAMIC 0x8000

#define ARPHRD_LOOPBACK 772

#define INADDR_LOOPBACK 0x7f000001u /* host order */
#define IN_LOOPBACKNET 127          /* 127.0.0.0/8 is the loopback's */

/* Sets `lo` up as Linux's boot does (the kernel brings its loopback up itself). */
void netdev_init(void);

/* One packet of `bytes` (from the IP header on) went out over `lo` and came
 * back in: its transmit and receive counters both count it. The protocols
 * call it for every packet they carry over loopback. */
void netdev_loopback_count(u64 bytes);

/* Whether `lo` is up (`ifconfig lo down` takes it down; traffic still flows). */
bool netdev_loopback_up(void);

/* Whether a (network-order) IPv4 address is the loopback's: 127.0.0.0/8. */
static inline bool ipv4_is_loopback(u32 addr_be) { return (addr_be & 0xff) == IN_LOOPBACKNET; }

/* The interface ioctls, on a socket of any family (called by the socket file's
 * ioctl when the family does not know the command: Linux's sock_do_ioctl). */
long netdev_ioctl(struct socket *sock, unsigned cmd, u64 arg);

/* /proc/net/arp, dev, if_inet6 and route, in Linux's formats. */
void netdev_arp_show(struct task *t, struct seq_buf *s);
void netdev_proc_show(struct task *t, struct seq_buf *s);
void netdev_if_inet6_show(struct task *t, struct seq_buf *s);
void netdev_route_show(struct task *t, struct seq_buf *s);

#endif
