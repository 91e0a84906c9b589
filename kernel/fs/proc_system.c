/*
 * What /proc shows of the whole system, and /proc/sys, in Linux's formats.
 * The values are sysgate's own (its memory, its CPU times, its limits), or
 * the constant Linux reports where sysgate has the same behaviour built in.
 */
#include "apic.h"
#include "fs.h"
#include "inet.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "proc.h"
#include "proc_internal.h"
#include "random.h"
#include "time.h"
#include "x86.h"

#define NS_PER_CENTISECOND 10000000ul

void proc_meminfo(struct task *t, struct seq_buf *s)
{
    (void)t;
    u64 total = pmm_total_pages() * (PAGE_SIZE / 1024);
    u64 free = pmm_free_pages() * (PAGE_SIZE / 1024);
    /* No swap, and no cache that could be given back: available is free. */
    seq_printf(s,
               "MemTotal:       %8lu kB\n"
               "MemFree:        %8lu kB\n"
               "MemAvailable:   %8lu kB\n"
               "Buffers:        %8lu kB\n"
               "Cached:         %8lu kB\n"
               "SwapCached:     %8lu kB\n"
               "Shmem:          %8lu kB\n"
               "SwapTotal:      %8lu kB\n"
               "SwapFree:       %8lu kB\n",
               total, free, free, 0ul, 0ul, 0ul, 0ul, 0ul, 0ul);
}

static void seq_centiseconds(struct seq_buf *s, u64 ns)
{
    u64 centis = ns / NS_PER_CENTISECOND;
    seq_printf(s, "%lu.%02lu", centis / 100, centis % 100);
}

void proc_uptime(struct task *t, struct seq_buf *s)
{
    (void)t;
    u64 user, system, idle;
    cpu_times(&user, &system, &idle);
    seq_centiseconds(s, monotonic_ns());
    seq_printf(s, " ");
    seq_centiseconds(s, idle);
    seq_printf(s, "\n");
}

void proc_cpuinfo(struct task *t, struct seq_buf *s)
{
    (void)t;
    u32 regs[12], a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    u32 vendor[4] = {b, d, c, 0};
    for (u32 i = 0; i < 3; i++)
        cpuid(0x80000002 + i, 0, &regs[i * 4], &regs[i * 4 + 1], &regs[i * 4 + 2], &regs[i * 4 + 3]);
    char model[49];
    memcpy(model, regs, 48);
    model[48] = 0;
    cpuid(1, 0, &a, &b, &c, &d);
    seq_printf(s,
               "processor\t: 0\n"
               "vendor_id\t: %s\n"
               "cpu family\t: %u\n"
               "model\t\t: %u\n"
               "model name\t: %s\n"
               "stepping\t: %u\n\n",
               (char *)vendor, (a >> 8) & 0xf, (a >> 4) & 0xf, model, a & 0xf);
}

void proc_mounts(struct task *t, struct seq_buf *s)
{
    (void)t;
    mounts_show(s);
}

static u64 ticks(u64 ns) { return ns / NS_PER_CLOCK_TICK; }

/* The tasks that can run now (what the load average counts, with those in
 * uninterruptible sleep, which sysgate does not have). */
static int runnable_tasks(int *all)
{
    int running = 0;
    *all = 0;
    for (struct task *p = task_first(); p; p = p->next_task) {
        if (p->state == TASK_DEAD || p->state == TASK_ZOMBIE)
            continue;
        (*all)++;
        running += p->state == TASK_RUNNABLE;
    }
    return running;
}

void proc_stat(struct task *t, struct seq_buf *s)
{
    (void)t;
    u64 user, system, idle;
    cpu_times(&user, &system, &idle);
    int all, running = runnable_tasks(&all);
    for (int line = 0; line < 2; line++)
        seq_printf(s, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", line ? "cpu0" : "cpu ", ticks(user), ticks(system),
                   ticks(idle));
    seq_printf(s,
               "intr 0\nctxt %lu\nbtime %ld\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n"
               "softirq 0 0 0 0 0 0 0 0 0 0 0\n",
               sched_context_switches(), realtime_seconds() - (s64)(monotonic_ns() / NSEC_PER_SEC), last_pid(),
               running);
}

/* The load averages, as Linux computes them: every five seconds each
 * average moves toward the number of runnable tasks by a fixed factor, in
 * fixed point (11 bits of fraction). sysgate has no tick to take the
 * samples on, so it takes them when the file is read, as many as are due,
 * with the number of tasks runnable now. */
#define FSHIFT 11
#define FIXED_1 (1ul << FSHIFT)
#define LOAD_INTERVAL_NS (5 * NSEC_PER_SEC)
#define LOAD_SAMPLES_MAX 4096 /* past that many missed samples, the averages have converged */
static const u64 load_factors[3] = {1884, 2014, 2037}; /* exp(-5s/1min), /5min, /15min, in fixed point */
static u64 load_averages[3];
static u64 load_next_ns;

static void load_update(int running)
{
    u64 now = monotonic_ns();
    if (!load_next_ns)
        load_next_ns = now + LOAD_INTERVAL_NS;
    for (int n = 0; now >= load_next_ns && n < LOAD_SAMPLES_MAX; n++) {
        for (int i = 0; i < 3; i++)
            load_averages[i] =
                (load_averages[i] * load_factors[i] + running * FIXED_1 * (FIXED_1 - load_factors[i])) >> FSHIFT;
        load_next_ns += LOAD_INTERVAL_NS;
    }
    if (now >= load_next_ns)
        load_next_ns = now + LOAD_INTERVAL_NS;
}

void proc_loadavg(struct task *t, struct seq_buf *s)
{
    (void)t;
    int all, running = runnable_tasks(&all);
    load_update(running - 1); /* not counting the reader itself, which runs only to read */
    for (int i = 0; i < 3; i++) {
        u64 centis = (load_averages[i] * 100 + FIXED_1 / 2) >> FSHIFT;
        seq_printf(s, "%lu.%02lu ", centis / 100, centis % 100);
    }
    seq_printf(s, "%d/%d %d\n", running, all, last_pid());
}

void proc_version(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "%s version %s (sysgate@sysgate) (gcc) %s\n", UTS_SYSNAME, UTS_RELEASE, UTS_VERSION);
}

void proc_cmdline(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "%s\n", kernel_cmdline);
}

void proc_filesystems(struct task *t, struct seq_buf *s)
{
    (void)t;
    filesystems_show(s);
}

void proc_swaps(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
}

/* ---- /proc/sys ---- */

#define PID_MAX 4194304           /* kernel.pid_max as Debian sets it; sysgate's pids grow past 32768 */
#define FILE_MAX 9223372036854775807ul /* fs.file-max as Debian's systemd sets it: no limit */
#define NGROUPS_MAX 65536
#define CAP_LAST_CAP 40           /* CAP_CHECKPOINT_RESTORE, Linux 6.1's last */

static void show_number(struct seq_buf *s, u64 n) { seq_printf(s, "%lu\n", n); }

void proc_sys_pid_max(struct task *t, struct seq_buf *s) { (void)t, show_number(s, PID_MAX); }
void proc_sys_tainted(struct task *t, struct seq_buf *s) { (void)t, show_number(s, 0); }
void proc_sys_hostname(struct task *t, struct seq_buf *s) { (void)t, seq_printf(s, "%s\n", uts_host_name()); }
void proc_sys_domainname(struct task *t, struct seq_buf *s) { (void)t, seq_printf(s, "%s\n", uts_domain_name()); }
void proc_sys_ostype(struct task *t, struct seq_buf *s) { (void)t, seq_printf(s, "%s\n", UTS_SYSNAME); }
void proc_sys_osrelease(struct task *t, struct seq_buf *s) { (void)t, seq_printf(s, "%s\n", UTS_RELEASE); }
void proc_sys_version(struct task *t, struct seq_buf *s) { (void)t, seq_printf(s, "%s\n", UTS_VERSION); }
void proc_sys_pipe_max_size(struct task *t, struct seq_buf *s) { (void)t, show_number(s, PIPE_MAX_SIZE); }
void proc_sys_file_max(struct task *t, struct seq_buf *s) { (void)t, show_number(s, FILE_MAX); }
void proc_sys_nr_open(struct task *t, struct seq_buf *s) { (void)t, show_number(s, MAX_FDS); }
void proc_sys_overcommit_memory(struct task *t, struct seq_buf *s) { (void)t, show_number(s, 0); }
void proc_sys_ngroups_max(struct task *t, struct seq_buf *s) { (void)t, show_number(s, NGROUPS_MAX); }
void proc_sys_cap_last_cap(struct task *t, struct seq_buf *s) { (void)t, show_number(s, CAP_LAST_CAP); }
void proc_sys_somaxconn(struct task *t, struct seq_buf *s) { (void)t, show_number(s, SOMAXCONN); }

void proc_sys_ip_local_port_range(struct task *t, struct seq_buf *s)
{
    (void)t;
    seq_printf(s, "%d\t%d\n", INET_EPHEMERAL_FIRST, INET_EPHEMERAL_LAST);
}

/* Linux's estimate: the threads whose kernel stacks would take an eighth of memory. */
void proc_sys_threads_max(struct task *t, struct seq_buf *s)
{
    (void)t;
    show_number(s, pmm_total_pages() * PAGE_SIZE / (8 * KERNEL_STACK_SIZE));
}

/* A random (version 4) UUID in Linux's format. */
static void show_uuid(struct seq_buf *s, u8 bytes[16])
{
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    for (int i = 0; i < 16; i++)
        seq_printf(s, "%02x%s", bytes[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
    seq_printf(s, "\n");
}

/* The same for the whole boot, made when first read. */
void proc_sys_boot_id(struct task *t, struct seq_buf *s)
{
    (void)t;
    static u8 boot_id[16];
    static bool made;
    if (!made) {
        random_bytes(boot_id, sizeof(boot_id));
        made = true;
    }
    u8 copy[16];
    memcpy(copy, boot_id, sizeof(copy));
    show_uuid(s, copy);
}

/* A new one on each read. */
void proc_sys_uuid(struct task *t, struct seq_buf *s)
{
    (void)t;
    u8 bytes[16];
    random_bytes(bytes, sizeof(bytes));
    show_uuid(s, bytes);
}
