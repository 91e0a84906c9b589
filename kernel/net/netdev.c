/*
 * The loopback interface, `lo`, and the interface ioctls (Linux's
 * net/core/dev_ioctl.c and the address half of net/ipv4/devinet.c). There is
 * one interface, made at boot and never freed; one lock guards its settings,
 * and its counters are bumped atomically by the protocols that carry packets
 * over it.
 *
 * Every process in sysgate is root, so the commands that need CAP_NET_ADMIN
 * on Linux are allowed to all.
 */
#include "compat.h"
#include "errno.h"
#include "lib.h"
#include "net.h"
#include "netdev.h"
#include "seq_buf.h"
#include "spinlock.h"
#include "uaccess.h"

#define LOOPBACK_MTU 65536
#define LOOPBACK_TXQUEUELEN 1000
#define LOOPBACK_IFINDEX 1
#define LOOPBACK_NETMASK 0xff000000u /* host order: /8 */
#define ETH_ALEN 6                   /* lo's hardware address: six zero bytes, as Linux's */
#define IPV6_LOOPBACK_PREFIX 128
#define IFA_HOST_SCOPE 0x10          /* /proc/net/if_inet6: IPV6_ADDR_LOOPBACK's scope */
#define IFA_F_PERMANENT 0x80

/* The flags a SIOCSIFFLAGS may change, besides IFF_UP (Linux's __dev_change_flags). */
#define IFF_SETTABLE (IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC | IFF_MULTICAST | IFF_PORTSEL | IFF_AUTOMEDIA)
/* The ones whose state is the device's or is counted (promiscuity), kept apart. */
#define IFF_COUNTED (IFF_PROMISC | IFF_ALLMULTI)

/* The interface commands (linux/sockios.h). */
#define SOCK_IOC_TYPE 0x89
#define SIOCGIFNAME 0x8910
#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCSIFFLAGS 0x8914
#define SIOCGIFADDR 0x8915
#define SIOCSIFADDR 0x8916
#define SIOCGIFDSTADDR 0x8917
#define SIOCSIFDSTADDR 0x8918
#define SIOCGIFBRDADDR 0x8919
#define SIOCSIFBRDADDR 0x891a
#define SIOCGIFNETMASK 0x891b
#define SIOCSIFNETMASK 0x891c
#define SIOCGIFMETRIC 0x891d
#define SIOCSIFMETRIC 0x891e
#define SIOCGIFMEM 0x891f
#define SIOCSIFMEM 0x8920
#define SIOCGIFMTU 0x8921
#define SIOCSIFMTU 0x8922
#define SIOCGIFHWADDR 0x8927
#define SIOCGIFINDEX 0x8933
#define SIOCSIFPFLAGS 0x8934
#define SIOCGIFPFLAGS 0x8935
#define SIOCGIFTXQLEN 0x8942
#define SIOCGIFMAP 0x8970

struct net_device {
    char name[IFNAMSIZ];
    int ifindex;
    u32 flags;          /* IFF_UP, IFF_LOOPBACK and the settable ones */
    u32 gflags;         /* IFF_PROMISC, IFF_ALLMULTI as set */
    int mtu;
    int tx_queue_len;
    u16 type;           /* ARPHRD_LOOPBACK */
    u8 addr_len;        /* its hardware address: addr_len zero bytes */
    u32 ipv4_addr;      /* network order */
    u32 ipv4_mask;
    u8 ipv6_addr[16];
    u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
};

static struct net_device loopback_dev;
static struct spinlock netdev_lock;

void netdev_init(void)
{
    struct net_device *dev = &loopback_dev;
    strlcpy(dev->name, "lo", sizeof(dev->name));
    dev->ifindex = LOOPBACK_IFINDEX;
    dev->flags = IFF_UP | IFF_LOOPBACK;
    dev->mtu = LOOPBACK_MTU;
    dev->tx_queue_len = LOOPBACK_TXQUEUELEN;
    dev->type = ARPHRD_LOOPBACK;
    dev->addr_len = ETH_ALEN;
    dev->ipv4_addr = __builtin_bswap32(INADDR_LOOPBACK);
    dev->ipv4_mask = __builtin_bswap32(LOOPBACK_NETMASK);
    dev->ipv6_addr[15] = 1;
}

void netdev_loopback_count(u64 bytes)
{
    struct net_device *dev = &loopback_dev;
    __atomic_add_fetch(&dev->tx_packets, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&dev->tx_bytes, bytes, __ATOMIC_RELAXED);
    __atomic_add_fetch(&dev->rx_packets, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&dev->rx_bytes, bytes, __ATOMIC_RELAXED);
}

bool netdev_loopback_up(void) { return __atomic_load_n(&loopback_dev.flags, __ATOMIC_RELAXED) & IFF_UP; }

/* What SIOCGIFFLAGS shows: RUNNING while up (lo's carrier is always on), Linux's dev_get_flags. */
static u32 device_flags(const struct net_device *dev)
{
    u32 flags = dev->flags | dev->gflags;
    if (dev->flags & IFF_UP)
        flags |= IFF_RUNNING;
    return flags;
}

static struct net_device *device_by_name(const char *name)
{
    return strcmp(name, loopback_dev.name) ? NULL : &loopback_dev;
}

static struct net_device *device_by_index(int ifindex)
{
    return ifindex == loopback_dev.ifindex ? &loopback_dev : NULL;
}

/* ---- the ioctls ---- */

/* struct ifreq: the name, then a union whose size differs between the ABIs
 * (struct ifmap holds two longs), so that i386 callers' is smaller. */
#define IFREQ_SIZE 40
#define COMPAT_IFREQ_SIZE 32
#define IFREQ_UNION_OFFSET IFNAMSIZ

struct kifreq {
    char name[IFNAMSIZ];
    union {
        struct {
            u16 family;
            u8 data[14];
        } addr;
        s16 flags;
        s32 value; /* ifindex, metric, mtu, qlen */
        u8 raw[IFREQ_SIZE - IFNAMSIZ];
    };
};
_Static_assert(sizeof(struct kifreq) == IFREQ_SIZE, "struct ifreq is 40 bytes");

struct sockaddr_in_k {
    u16 family;
    u16 port;
    u32 addr;
    u8 zero[8];
};

static size_t ifreq_size(void) { return in_compat_syscall() ? COMPAT_IFREQ_SIZE : IFREQ_SIZE; }

/* Linux's get_user_ifreq: as many bytes as the caller's ABI has. */
static int ifreq_from_user(struct kifreq *ifr, u64 arg)
{
    memset(ifr, 0, sizeof(*ifr));
    return copy_from_user(ifr, (const void __user *)arg, ifreq_size()) ? -EFAULT : 0;
}

static int ifreq_to_user(const struct kifreq *ifr, u64 arg)
{
    return copy_to_user((void __user *)arg, ifr, ifreq_size()) ? -EFAULT : 0;
}

/* struct ifmap, each ABI's: its memory range is two longs. */
struct ifmap_k {
    u64 mem_start, mem_end;
    u16 base_addr;
    u8 irq, dma, port;
};
struct compat_ifmap {
    u32 mem_start, mem_end;
    u16 base_addr;
    u8 irq, dma, port;
};

/* struct ifmap's fields (every one is zero for lo, which has no I/O
 * resources); only the fields are written, not the padding after them. */
static void fill_ifmap(struct kifreq *ifr)
{
    size_t fields = in_compat_syscall() ? offsetof(struct compat_ifmap, port) + 1 : offsetof(struct ifmap_k, port) + 1;
    memset(ifr->raw, 0, fields);
}

static long set_flags(struct net_device *dev, s16 requested)
{
    u32 flags = (u32)(u16)requested;
    u64 irq = spin_lock_irqsave(&netdev_lock);
    dev->flags = (flags & (IFF_SETTABLE | IFF_UP)) | (dev->flags & IFF_LOOPBACK);
    dev->gflags = flags & IFF_COUNTED;
    spin_unlock_irqrestore(&netdev_lock, irq);
    return 0;
}

static long set_mtu(struct net_device *dev, s32 mtu)
{
    if (mtu < 0)
        return -EINVAL; /* lo has no minimum or maximum of its own */
    u64 irq = spin_lock_irqsave(&netdev_lock);
    dev->mtu = mtu;
    spin_unlock_irqrestore(&netdev_lock, irq);
    return 0;
}

/* Linux's dev_ioctl: the commands any socket takes. *copy_out says whether
 * the ifreq goes back to the caller. */
static long device_ioctl(unsigned cmd, struct kifreq *ifr, bool *copy_out)
{
    *copy_out = true;
    if (cmd == SIOCGIFNAME) {
        ifr->name[IFNAMSIZ - 1] = 0;
        struct net_device *dev = device_by_index(ifr->value);
        if (!dev)
            return -ENODEV;
        strlcpy(ifr->name, dev->name, IFNAMSIZ);
        return 0;
    }
    ifr->name[IFNAMSIZ - 1] = 0;
    /* An alias label ("lo:0") names its device. */
    char name[IFNAMSIZ];
    strlcpy(name, ifr->name, sizeof(name));
    char *colon = strchr(name, ':');
    if (colon)
        *colon = 0;
    switch (cmd) {
    case SIOCGIFFLAGS:
    case SIOCGIFMETRIC:
    case SIOCGIFMTU:
    case SIOCGIFMAP:
    case SIOCGIFINDEX:
    case SIOCGIFTXQLEN:
    case SIOCGIFHWADDR: {
        struct net_device *dev = device_by_name(name);
        if (!dev)
            return -ENODEV;
        u64 irq = spin_lock_irqsave(&netdev_lock);
        switch (cmd) {
        case SIOCGIFFLAGS: ifr->flags = (s16)device_flags(dev); break;
        case SIOCGIFMETRIC: ifr->value = 0; break;
        case SIOCGIFMTU: ifr->value = dev->mtu; break;
        case SIOCGIFMAP: fill_ifmap(ifr); break;
        case SIOCGIFINDEX: ifr->value = dev->ifindex; break;
        case SIOCGIFTXQLEN: ifr->value = dev->tx_queue_len; break;
        case SIOCGIFHWADDR:
            ifr->addr.family = dev->type;
            memset(ifr->addr.data, 0, dev->addr_len);
            break;
        }
        spin_unlock_irqrestore(&netdev_lock, irq);
        return 0;
    }
    case SIOCSIFFLAGS:
    case SIOCSIFMETRIC:
    case SIOCSIFMTU: {
        *copy_out = false;
        struct net_device *dev = device_by_name(name);
        if (!dev)
            return -ENODEV;
        if (cmd == SIOCSIFFLAGS)
            return set_flags(dev, ifr->flags);
        if (cmd == SIOCSIFMTU)
            return set_mtu(dev, ifr->value);
        return -EOPNOTSUPP; /* the metric is unused, and Linux refuses to set it */
    }
    default:
        return -ENOTTY;
    }
}

/* The IPv4 commands of an AF_INET socket (Linux's devinet_ioctl): the address,
 * netmask, broadcast and destination of the interface's address whose label
 * is the name given ("lo:0" names none: EADDRNOTAVAIL). */
static long inet_address_ioctl(unsigned cmd, struct kifreq *ifr, bool *copy_out)
{
    *copy_out = false;
    ifr->name[IFNAMSIZ - 1] = 0;
    switch (cmd) {
    case SIOCGIFADDR:
    case SIOCGIFBRDADDR:
    case SIOCGIFDSTADDR:
    case SIOCGIFNETMASK:
        break;
    case SIOCSIFFLAGS:
        return device_ioctl(cmd, ifr, copy_out);
    case SIOCSIFADDR:
    case SIOCSIFBRDADDR:
    case SIOCSIFNETMASK:
    case SIOCSIFDSTADDR:
        /* lo keeps the addresses it was given at boot. */
        return -ENOSYS;
    default:
        return -EINVAL;
    }
    char name[IFNAMSIZ];
    strlcpy(name, ifr->name, sizeof(name));
    char *colon = strchr(name, ':');
    if (colon)
        *colon = 0;
    struct net_device *dev = device_by_name(name);
    if (!dev)
        return -ENODEV;
    if (strcmp(ifr->name, dev->name))
        return -EADDRNOTAVAIL;
    struct sockaddr_in_k sin = {.family = AF_INET};
    switch (cmd) {
    case SIOCGIFADDR:
    case SIOCGIFDSTADDR: sin.addr = dev->ipv4_addr; break;
    case SIOCGIFNETMASK: sin.addr = dev->ipv4_mask; break;
    case SIOCGIFBRDADDR: sin.addr = 0; break; /* lo's address has no broadcast */
    }
    memcpy(&ifr->addr, &sin, sizeof(sin));
    *copy_out = true;
    return 0;
}

static bool is_inet_address_cmd(unsigned cmd)
{
    switch (cmd) {
    case SIOCGIFADDR:
    case SIOCGIFBRDADDR:
    case SIOCGIFNETMASK:
    case SIOCGIFDSTADDR:
    case SIOCGIFPFLAGS:
    case SIOCSIFADDR:
    case SIOCSIFBRDADDR:
    case SIOCSIFNETMASK:
    case SIOCSIFDSTADDR:
    case SIOCSIFPFLAGS:
    case SIOCSIFFLAGS:
        return true;
    default:
        return false;
    }
}

/* struct ifconf: the buffer's length, then its pointer (4 bytes for i386). */
struct kifconf {
    s32 len;
    u32 pad;
    u64 buf;
};
struct compat_ifconf {
    s32 len;
    u32 buf;
};

/* Linux's dev_ifconf: one ifreq per IPv4 address (the name and a
 * sockaddr_in), as many as fit; a NULL buffer asks for the length. */
static long get_ifconf(u64 arg)
{
    void __user *uifc = (void __user *)arg;
    u64 buf;
    s32 len;
    size_t size = ifreq_size();
    if (in_compat_syscall()) {
        struct compat_ifconf c;
        if (copy_from_user(&c, uifc, sizeof(c)))
            return -EFAULT;
        buf = (u64)compat_ptr(c.buf);
        len = c.len;
    } else {
        struct kifconf c;
        if (copy_from_user(&c, uifc, sizeof(c)))
            return -EFAULT;
        buf = c.buf;
        len = c.len;
    }
    s32 total = 0;
    if (!buf) {
        total = (s32)size;
    } else if (len >= (s32)size) {
        struct kifreq ifr;
        memset(&ifr, 0, sizeof(ifr));
        u64 irq = spin_lock_irqsave(&netdev_lock);
        strlcpy(ifr.name, loopback_dev.name, IFNAMSIZ);
        struct sockaddr_in_k sin = {.family = AF_INET, .addr = loopback_dev.ipv4_addr};
        spin_unlock_irqrestore(&netdev_lock, irq);
        memcpy(&ifr.addr, &sin, sizeof(sin));
        if (copy_to_user((void __user *)buf, &ifr, size))
            return -EFAULT;
        total = (s32)size;
    }
    return put_user(total, (s32 __user *)uifc) ? -EFAULT : 0;
}

/* The interface commands an i386 caller may give (Linux's
 * compat_sock_ioctl_trans translates these and refuses the rest). */
static bool compat_knows(unsigned cmd)
{
    switch (cmd) {
    case SIOCGIFNAME:
    case SIOCGIFCONF:
    case SIOCGIFFLAGS:
    case SIOCSIFFLAGS:
    case SIOCGIFMETRIC:
    case SIOCSIFMETRIC:
    case SIOCGIFMTU:
    case SIOCSIFMTU:
    case SIOCGIFMEM:
    case SIOCSIFMEM:
    case SIOCGIFHWADDR:
    case SIOCGIFINDEX:
    case SIOCGIFMAP:
    case SIOCGIFTXQLEN:
        return true;
    default:
        return is_inet_address_cmd(cmd);
    }
}

long netdev_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
    if (((cmd >> 8) & 0xff) != SOCK_IOC_TYPE)
        return -ENOTTY;
    if (in_compat_syscall() && !compat_knows(cmd))
        return -ENOTTY;
    if (cmd == SIOCGIFCONF)
        return get_ifconf(arg);
    struct kifreq ifr;
    if (ifreq_from_user(&ifr, arg))
        return -EFAULT;
    bool copy_out;
    long err;
    if (sock->family == AF_INET && is_inet_address_cmd(cmd))
        err = inet_address_ioctl(cmd, &ifr, &copy_out);
    else
        err = device_ioctl(cmd, &ifr, &copy_out);
    if (!err && copy_out && ifreq_to_user(&ifr, arg))
        return -EFAULT;
    return err;
}

/* ---- /proc/net ---- */

void netdev_proc_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    struct net_device *dev = &loopback_dev;
    seq_printf(s, "Inter-|   Receive                                                |  Transmit\n"
                  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
                  "drop fifo colls carrier compressed\n");
    seq_printf(s,
               "%6s: %7lu %7lu %4lu %4lu %4lu %5lu %10lu %9lu "
               "%8lu %7lu %4lu %4lu %4lu %5lu %7lu %10lu\n",
               dev->name, __atomic_load_n(&dev->rx_bytes, __ATOMIC_RELAXED),
               __atomic_load_n(&dev->rx_packets, __ATOMIC_RELAXED), 0ul, 0ul, 0ul, 0ul, 0ul, 0ul,
               __atomic_load_n(&dev->tx_bytes, __ATOMIC_RELAXED),
               __atomic_load_n(&dev->tx_packets, __ATOMIC_RELAXED), 0ul, 0ul, 0ul, 0ul, 0ul, 0ul);
}

/* ::1 while lo is up: Linux takes the IPv6 addresses away with the interface. */
void netdev_if_inet6_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    struct net_device *dev = &loopback_dev;
    if (!netdev_loopback_up())
        return;
    for (int i = 0; i < 16; i++)
        seq_printf(s, "%02x", dev->ipv6_addr[i]);
    seq_printf(s, " %02x %02x %02x %02x %8s\n", dev->ifindex, IPV6_LOOPBACK_PREFIX, IFA_HOST_SCOPE, IFA_F_PERMANENT,
               dev->name);
}

/* The neighbour table: lo needs no neighbours, so there is only the header. */
void netdev_arp_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "IP address       HW type     Flags       HW address            Mask     Device\n");
}

/* The main routing table: lo's routes are all in the local table, which this
 * file does not show, so there is only the header. */
void netdev_route_show(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "%-127s\n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
}
