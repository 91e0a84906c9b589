/* The names the tracer gives to flags and constants: Linux's values, in
 * the order strace prints them (a flag of several bits before the single
 * bits it contains), and the printers that walk them. */
#include "lib.h"
#include "trace.h"
#include "uaccess.h"

/* O_ACCMODE's values are printed apart: they are a number, not bits. */
const struct trace_name trace_open_flags[] = {
    {020200000, "O_TMPFILE"}, {04010000, "O_SYNC"},   {0100, "O_CREAT"},        {0200, "O_EXCL"},
    {0400, "O_NOCTTY"},       {01000, "O_TRUNC"},     {02000, "O_APPEND"},      {04000, "O_NONBLOCK"},
    {010000, "O_DSYNC"},      {020000, "O_ASYNC"},    {040000, "O_DIRECT"},     {0100000, "O_LARGEFILE"},
    {0200000, "O_DIRECTORY"}, {0400000, "O_NOFOLLOW"}, {01000000, "O_NOATIME"}, {02000000, "O_CLOEXEC"},
    {010000000, "O_PATH"},    {0, NULL},
};

const struct trace_name trace_at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},        {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"},     {0x1000, "AT_EMPTY_PATH"},      {0x2000, "AT_STATX_FORCE_SYNC"},
    {0x4000, "AT_STATX_DONT_SYNC"}, {0x8000, "AT_RECURSIVE"},       {0, NULL},
};

const struct trace_name trace_prot_flags[] = {
    {0x1, "PROT_READ"},           {0x2, "PROT_WRITE"},        {0x4, "PROT_EXEC"}, {0x8, "PROT_SEM"},
    {0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"}, {0, NULL},
};

const struct trace_name trace_map_types[] = {
    {0x01, "MAP_SHARED"}, {0x02, "MAP_PRIVATE"}, {0x03, "MAP_SHARED_VALIDATE"}, {0, NULL},
};

const struct trace_name trace_map_flags[] = {
    {0x10, "MAP_FIXED"},        {0x20, "MAP_ANONYMOUS"},    {0x40, "MAP_32BIT"},     {0x100, "MAP_GROWSDOWN"},
    {0x800, "MAP_DENYWRITE"},   {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"},  {0x4000, "MAP_NORESERVE"},
    {0x8000, "MAP_POPULATE"},   {0x10000, "MAP_NONBLOCK"},  {0x20000, "MAP_STACK"},  {0x40000, "MAP_HUGETLB"},
    {0x80000, "MAP_SYNC"},      {0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"}, {0, NULL},
};

const struct trace_name trace_sighow[] = {
    {0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}, {0, NULL},
};

const struct trace_name trace_whence[] = {
    {0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"}, {0, NULL},
};

const struct trace_name trace_families[] = {
    {0, "AF_UNSPEC"}, {1, "AF_UNIX"},     {2, "AF_INET"},    {10, "AF_INET6"},
    {16, "AF_NETLINK"}, {17, "AF_PACKET"}, {0, NULL},
};

const struct trace_name trace_socktypes[] = {
    {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"},
    {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"}, {0, NULL},
};

const struct trace_name trace_sockflags[] = {
    {04000, "SOCK_NONBLOCK"}, {02000000, "SOCK_CLOEXEC"}, {0, NULL},
};

const struct trace_name trace_ip_protocols[] = {
    {0, "IPPROTO_IP"},    {1, "IPPROTO_ICMP"},    {6, "IPPROTO_TCP"}, {17, "IPPROTO_UDP"},
    {41, "IPPROTO_IPV6"}, {58, "IPPROTO_ICMPV6"}, {255, "IPPROTO_RAW"}, {0, NULL},
};

const struct trace_name trace_fcntl_cmds[] = {
    {0, "F_DUPFD"},        {1, "F_GETFD"},         {2, "F_SETFD"},         {3, "F_GETFL"},
    {4, "F_SETFL"},        {5, "F_GETLK"},         {6, "F_SETLK"},         {7, "F_SETLKW"},
    {8, "F_SETOWN"},       {9, "F_GETOWN"},        {10, "F_SETSIG"},       {11, "F_GETSIG"},
    {12, "F_GETLK64"},     {13, "F_SETLK64"},      {14, "F_SETLKW64"},     {15, "F_SETOWN_EX"},
    {16, "F_GETOWN_EX"},   {36, "F_OFD_GETLK"},    {37, "F_OFD_SETLK"},    {38, "F_OFD_SETLKW"},
    {1024, "F_SETLEASE"},  {1025, "F_GETLEASE"},   {1030, "F_DUPFD_CLOEXEC"}, {1031, "F_SETPIPE_SZ"},
    {1032, "F_GETPIPE_SZ"}, {1033, "F_ADD_SEALS"}, {1034, "F_GET_SEALS"},  {0, NULL},
};

const struct trace_name trace_clock_ids[] = {
    {0, "CLOCK_REALTIME"},         {1, "CLOCK_MONOTONIC"},        {2, "CLOCK_PROCESS_CPUTIME_ID"},
    {3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"},   {5, "CLOCK_REALTIME_COARSE"},
    {6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"},         {8, "CLOCK_REALTIME_ALARM"},
    {9, "CLOCK_BOOTTIME_ALARM"},   {11, "CLOCK_TAI"},             {0, NULL},
};

const struct trace_name trace_access_modes[] = {
    {4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}, {0, NULL},
};

const struct trace_name trace_wait_options[] = {
    {1, "WNOHANG"},         {2, "WSTOPPED"},        {4, "WEXITED"},      {8, "WCONTINUED"},
    {0x1000000, "WNOWAIT"}, {0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"}, {0x80000000, "__WCLONE"},
    {0, NULL},
};

/* The low byte of clone's flags is the exit signal, printed apart. */
const struct trace_name trace_clone_flags[] = {
    {0x100, "CLONE_VM"},           {0x200, "CLONE_FS"},           {0x400, "CLONE_FILES"},
    {0x800, "CLONE_SIGHAND"},      {0x1000, "CLONE_PIDFD"},       {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},       {0x8000, "CLONE_PARENT"},      {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},      {0x40000, "CLONE_SYSVSEM"},    {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"},
    {0x800000, "CLONE_UNTRACED"},  {0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},   {0x8000000, "CLONE_NEWIPC"},   {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},  {0x40000000, "CLONE_NEWNET"},  {0x80000000, "CLONE_IO"},
    {0, NULL},
};

/* The operation, without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME. */
const struct trace_name trace_futex_ops[] = {
    {0, "FUTEX_WAIT"},        {1, "FUTEX_WAKE"},         {2, "FUTEX_FD"},           {3, "FUTEX_REQUEUE"},
    {4, "FUTEX_CMP_REQUEUE"}, {5, "FUTEX_WAKE_OP"},      {6, "FUTEX_LOCK_PI"},      {7, "FUTEX_UNLOCK_PI"},
    {8, "FUTEX_TRYLOCK_PI"},  {9, "FUTEX_WAIT_BITSET"},  {10, "FUTEX_WAKE_BITSET"}, {11, "FUTEX_WAIT_REQUEUE_PI"},
    {12, "FUTEX_CMP_REQUEUE_PI"}, {13, "FUTEX_LOCK_PI2"}, {0, NULL},
};

const struct trace_name trace_statx_mask[] = {
    {0x7ff, "STATX_BASIC_STATS"}, {0x1, "STATX_TYPE"},     {0x2, "STATX_MODE"},    {0x4, "STATX_NLINK"},
    {0x8, "STATX_UID"},           {0x10, "STATX_GID"},     {0x20, "STATX_ATIME"},  {0x40, "STATX_MTIME"},
    {0x80, "STATX_CTIME"},        {0x100, "STATX_INO"},    {0x200, "STATX_SIZE"},  {0x400, "STATX_BLOCKS"},
    {0x800, "STATX_BTIME"},       {0x1000, "STATX_MNT_ID"}, {0x2000, "STATX_DIOALIGN"}, {0, NULL},
};

const struct trace_name trace_sa_flags[] = {
    {0x00000001, "SA_NOCLDSTOP"}, {0x00000002, "SA_NOCLDWAIT"}, {0x00000004, "SA_SIGINFO"},
    {0x04000000, "SA_RESTORER"},  {0x08000000, "SA_ONSTACK"},   {0x10000000, "SA_RESTART"},
    {0x40000000, "SA_NODEFER"},   {0x80000000, "SA_RESETHAND"}, {0, NULL},
};

const struct trace_name trace_arch_codes[] = {
    {0x1001, "ARCH_SET_GS"},    {0x1002, "ARCH_SET_FS"},    {0x1003, "ARCH_GET_FS"}, {0x1004, "ARCH_GET_GS"},
    {0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"}, {0, NULL},
};

const struct trace_name trace_resources[] = {
    {0, "RLIMIT_CPU"},     {1, "RLIMIT_FSIZE"},   {2, "RLIMIT_DATA"},       {3, "RLIMIT_STACK"},
    {4, "RLIMIT_CORE"},    {5, "RLIMIT_RSS"},     {6, "RLIMIT_NPROC"},      {7, "RLIMIT_NOFILE"},
    {8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"},      {10, "RLIMIT_LOCKS"},     {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"},    {15, "RLIMIT_RTTIME"},
    {0, NULL},
};

const struct trace_name trace_grnd_flags[] = {
    {1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}, {0, NULL},
};

const struct trace_name trace_epoll_ops[] = {
    {1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}, {0, NULL},
};

const struct trace_name trace_epoll_flags[] = {
    {02000000, "EPOLL_CLOEXEC"}, {0, NULL},
};

const struct trace_name trace_epoll_events[] = {
    {0x1, "EPOLLIN"},        {0x2, "EPOLLPRI"},         {0x4, "EPOLLOUT"},         {0x8, "EPOLLERR"},
    {0x10, "EPOLLHUP"},      {0x20, "EPOLLNVAL"},       {0x40, "EPOLLRDNORM"},     {0x80, "EPOLLRDBAND"},
    {0x100, "EPOLLWRNORM"},  {0x200, "EPOLLWRBAND"},    {0x400, "EPOLLMSG"},       {0x2000, "EPOLLRDHUP"},
    {1u << 28, "EPOLLEXCLUSIVE"}, {1u << 29, "EPOLLWAKEUP"}, {1u << 30, "EPOLLONESHOT"}, {1u << 31, "EPOLLET"},
    {0, NULL},
};

const struct trace_name trace_poll_events[] = {
    {0x1, "POLLIN"},      {0x2, "POLLPRI"},      {0x4, "POLLOUT"},      {0x8, "POLLERR"},
    {0x10, "POLLHUP"},    {0x20, "POLLNVAL"},    {0x40, "POLLRDNORM"},  {0x80, "POLLRDBAND"},
    {0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"},    {0x2000, "POLLRDHUP"},
    {0, NULL},
};

/* MS_MGC_VAL, the old magic in the high half, is printed apart. */
const struct trace_name trace_mount_flags[] = {
    {1, "MS_RDONLY"},          {2, "MS_NOSUID"},        {4, "MS_NODEV"},          {8, "MS_NOEXEC"},
    {16, "MS_SYNCHRONOUS"},    {32, "MS_REMOUNT"},      {64, "MS_MANDLOCK"},      {128, "MS_DIRSYNC"},
    {256, "MS_NOSYMFOLLOW"},   {1024, "MS_NOATIME"},    {2048, "MS_NODIRATIME"},  {4096, "MS_BIND"},
    {8192, "MS_MOVE"},         {16384, "MS_REC"},       {32768, "MS_SILENT"},     {1 << 16, "MS_POSIXACL"},
    {1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"}, {1 << 19, "MS_SLAVE"},   {1 << 20, "MS_SHARED"},
    {1 << 21, "MS_RELATIME"},  {1 << 22, "MS_KERNMOUNT"}, {1 << 23, "MS_I_VERSION"}, {1 << 24, "MS_STRICTATIME"},
    {1 << 25, "MS_LAZYTIME"},  {0, NULL},
};

const struct trace_name trace_umount_flags[] = {
    {1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"}, {0, NULL},
};

const struct trace_name trace_mlock_flags[] = {
    {1, "MCL_CURRENT"}, {2, "MCL_FUTURE"}, {4, "MCL_ONFAULT"}, {0, NULL},
};

const struct trace_name trace_madvice[] = {
    {0, "MADV_NORMAL"},       {1, "MADV_RANDOM"},          {2, "MADV_SEQUENTIAL"},    {3, "MADV_WILLNEED"},
    {4, "MADV_DONTNEED"},     {8, "MADV_FREE"},            {9, "MADV_REMOVE"},        {10, "MADV_DONTFORK"},
    {11, "MADV_DOFORK"},      {12, "MADV_MERGEABLE"},      {13, "MADV_UNMERGEABLE"},  {14, "MADV_HUGEPAGE"},
    {15, "MADV_NOHUGEPAGE"},  {16, "MADV_DONTDUMP"},       {17, "MADV_DODUMP"},       {18, "MADV_WIPEONFORK"},
    {19, "MADV_KEEPONFORK"},  {20, "MADV_COLD"},           {21, "MADV_PAGEOUT"},      {22, "MADV_POPULATE_READ"},
    {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"},
    {101, "MADV_SOFT_OFFLINE"}, {0, NULL},
};

const struct trace_name trace_personalities[] = {
    {0x0000, "PER_LINUX"}, {0x0008, "PER_LINUX32"}, {0x0400000, "PER_LINUX|ADDR_NO_RANDOMIZE"}, {0, NULL},
};

const struct trace_name trace_sched_policies[] = {
    {0, "SCHED_OTHER"}, {1, "SCHED_FIFO"}, {2, "SCHED_RR"},       {3, "SCHED_BATCH"},
    {4, "SCHED_ISO"},   {5, "SCHED_IDLE"}, {6, "SCHED_DEADLINE"}, {0, NULL},
};

const struct trace_name trace_itimer_which[] = {
    {0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"}, {0, NULL},
};

/* reboot's two magic numbers; LINUX_REBOOT_MAGIC2 is Linus' birthday. */
const struct trace_name trace_reboot_magic[] = {
    {0xfee1dead, "LINUX_REBOOT_MAGIC1"}, {672274793, "LINUX_REBOOT_MAGIC2"}, {85072278, "LINUX_REBOOT_MAGIC2A"},
    {369367448, "LINUX_REBOOT_MAGIC2B"}, {537993216, "LINUX_REBOOT_MAGIC2C"}, {0, NULL},
};

const struct trace_name trace_reboot_cmds[] = {
    {0x01234567, "LINUX_REBOOT_CMD_RESTART"},  {0xcdef0123, "LINUX_REBOOT_CMD_HALT"},
    {0x89abcdef, "LINUX_REBOOT_CMD_CAD_ON"},   {0x00000000, "LINUX_REBOOT_CMD_CAD_OFF"},
    {0x4321fedc, "LINUX_REBOOT_CMD_POWER_OFF"}, {0xa1b2c3d4, "LINUX_REBOOT_CMD_RESTART2"},
    {0xd000fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"}, {0x45584543, "LINUX_REBOOT_CMD_KEXEC"}, {0, NULL},
};

const struct trace_name trace_prctl_options[] = {
    {1, "PR_SET_PDEATHSIG"},   {2, "PR_GET_PDEATHSIG"},   {3, "PR_GET_DUMPABLE"},     {4, "PR_SET_DUMPABLE"},
    {7, "PR_GET_KEEPCAPS"},    {8, "PR_SET_KEEPCAPS"},    {15, "PR_SET_NAME"},        {16, "PR_GET_NAME"},
    {21, "PR_GET_SECCOMP"},    {22, "PR_SET_SECCOMP"},    {23, "PR_CAPBSET_READ"},    {24, "PR_CAPBSET_DROP"},
    {29, "PR_SET_TIMERSLACK"}, {30, "PR_GET_TIMERSLACK"}, {35, "PR_SET_MM"},          {36, "PR_SET_CHILD_SUBREAPER"},
    {37, "PR_GET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"}, {39, "PR_GET_NO_NEW_PRIVS"},
    {40, "PR_GET_TID_ADDRESS"}, {41, "PR_SET_THP_DISABLE"}, {42, "PR_GET_THP_DISABLE"},
    {0x53564d41, "PR_SET_VMA"}, {0x59616d61, "PR_SET_PTRACER"}, {0, NULL},
};

static const char *const signal_names[] = {
    [1] = "SIGHUP",    [2] = "SIGINT",     [3] = "SIGQUIT",  [4] = "SIGILL",    [5] = "SIGTRAP",
    [6] = "SIGABRT",   [7] = "SIGBUS",     [8] = "SIGFPE",   [9] = "SIGKILL",   [10] = "SIGUSR1",
    [11] = "SIGSEGV",  [12] = "SIGUSR2",   [13] = "SIGPIPE", [14] = "SIGALRM",  [15] = "SIGTERM",
    [16] = "SIGSTKFLT", [17] = "SIGCHLD",  [18] = "SIGCONT", [19] = "SIGSTOP",  [20] = "SIGTSTP",
    [21] = "SIGTTIN",  [22] = "SIGTTOU",   [23] = "SIGURG",  [24] = "SIGXCPU",  [25] = "SIGXFSZ",
    [26] = "SIGVTALRM", [27] = "SIGPROF",  [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
    [31] = "SIGSYS",
};
#define SIGNAL_RT_FIRST 32 /* strace's SIGRTMIN: the kernel's, not the C library's */
#define SIGNAL_COUNT 64

/* Bits named in `names`, then what is left in hexadecimal; 0 when none.
 * Bits that have no name at all get strace's comment: 0x2 / * AT_??? * /. */
void trace_print_flags(struct seq_buf *out, const struct trace_name *names, u64 value, const char *unknown)
{
    bool any = false;
    for (const struct trace_name *n = names; n->name; n++) {
        if (n->value && (value & n->value) == n->value) {
            seq_printf(out, "%s%s", any ? "|" : "", n->name);
            value &= ~n->value;
            any = true;
        }
    }
    if (value && !any && unknown)
        seq_printf(out, "0x%lx /* %s */", value, unknown);
    else if (value)
        seq_printf(out, "%s0x%lx", any ? "|" : "", value);
    else if (!any)
        seq_printf(out, "0");
}

/* A name, or the number with strace's comment: 0x2a / * SEEK_??? * /. */
void trace_print_constant(struct seq_buf *out, const struct trace_name *names, u64 value, const char *unknown)
{
    for (const struct trace_name *n = names; n->name; n++) {
        if (n->value == value) {
            seq_printf(out, "%s", n->name);
            return;
        }
    }
    seq_printf(out, "0x%lx /* %s */", value, unknown);
}

static const char *signal_name(int signo)
{
    return signo > 0 && (unsigned)signo < ARRAY_SIZE(signal_names) ? signal_names[signo] : NULL;
}

void trace_print_signal(struct seq_buf *out, int signo)
{
    const char *name = signal_name(signo);
    if (name)
        seq_printf(out, "%s", name);
    else if (signo == SIGNAL_RT_FIRST)
        seq_printf(out, "SIGRTMIN");
    else if (signo > SIGNAL_RT_FIRST && signo <= SIGNAL_COUNT)
        seq_printf(out, "SIGRT_%d", signo - SIGNAL_RT_FIRST);
    else
        seq_printf(out, "%d", signo);
}

/* One signal of a set, without "SIG": USR1, RTMIN, RT_1. */
static void print_set_member(struct seq_buf *out, int signo, bool first)
{
    const char *name = signal_name(signo);
    if (!first)
        seq_printf(out, " ");
    if (name)
        seq_printf(out, "%s", name + 3);
    else if (signo == SIGNAL_RT_FIRST)
        seq_printf(out, "RTMIN");
    else
        seq_printf(out, "RT_%d", signo - SIGNAL_RT_FIRST);
}

void trace_print_sigset(struct seq_buf *out, u64 address, u64 bytes)
{
    u64 set = 0;
    if (!address) {
        seq_printf(out, "NULL");
        return;
    }
    if (bytes > sizeof(set) || !bytes || copy_from_user(&set, (const void __user *)address, bytes)) {
        trace_print_ptr(out, address);
        return;
    }
    trace_print_sigmask(out, set, (unsigned)bytes * 8);
}

void trace_print_sigmask(struct seq_buf *out, u64 set, unsigned count)
{
    unsigned members = 0; /* no popcount instruction is assumed */
    for (u64 rest = set; rest; rest &= rest - 1)
        members++;
    /* as strace: a set of more than half the signals is shown by its complement */
    bool inverted = members > count / 2;
    if (inverted) {
        set = ~set;
        if (count < 64)
            set &= (1ull << count) - 1;
        seq_printf(out, "~");
    }
    seq_printf(out, "[");
    bool first = true;
    for (unsigned bit = 0; bit < count; bit++) {
        if (set & (1ull << bit)) {
            print_set_member(out, (int)bit + 1, first);
            first = false;
        }
    }
    seq_printf(out, "]");
}

void trace_print_file_mode(struct seq_buf *out, u32 mode)
{
    static const struct trace_name types[] = {
        {0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"}, {0060000, "S_IFBLK"},
        {0040000, "S_IFDIR"},  {0020000, "S_IFCHR"}, {0010000, "S_IFIFO"}, {0, NULL},
    };
    u32 type = mode & 0170000;
    for (const struct trace_name *n = types; n->name; n++) {
        if (n->value == type) {
            seq_printf(out, "%s|", n->name);
            type = 0;
            break;
        }
    }
    if (type)
        seq_printf(out, "0%o|", type);
    seq_printf(out, "0%02o", mode & 07777);
}
