/*
 * kmain: from the PVH entry to the first user process. The order matters:
 * memory first (everything allocates), then the descriptor tables, then the
 * hypervisor (so that messages reach the host), then devices and files, and
 * last the first program.
 */
#include "9p.h"
#include "apic.h"
#include "cpu.h"
#include "errno.h"
#include "fd.h"
#include "fs.h"
#include "hypervisor.h"
#include "stdio_ring.h"
#include "fpu.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "netdev.h"
#include "proc.h"
#include "printk.h"
#include "pvh.h"
#include "random.h"
#include "serial.h"
#include "signal.h"
#include "syscall.h"
#include "time.h"
#include "tty.h"
#include "uaccess.h"
#include "vdso.h"
#include "virtio.h"
#include "x86.h"

bool kernel_verbose;
bool kernel_trace;
char kernel_cmdline[1024];
u64 ram_top;

void mem_devices_init(void);
void msr_devices_init(void);
void procfs_init(void);

#define MAX_RANGES 32
static struct memory_range ram[MAX_RANGES];
static int nram;
static struct {
    u64 paddr, size;
} initrd;

const char *cmdline_option(const char *name)
{
    size_t len = strlen(name);
    for (const char *p = kernel_cmdline; p && *p;) {
        if (!strncmp(p, name, len) && (name[len - 1] == '=' || p[len] == ' ' || p[len] == 0))
            return p + len;
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return NULL;
}

/* Everything in start_info is copied out before the allocator can reuse it. */
static void read_boot_info(u64 start_info_phys)
{
    const struct hvm_start_info *si = phys_to_virt(start_info_phys);
    if (si->magic != HVM_START_MAGIC)
        panic("not started through PVH (start_info magic %x)", si->magic);
    if (si->cmdline_paddr)
        strlcpy(kernel_cmdline, phys_to_virt(si->cmdline_paddr), sizeof(kernel_cmdline));
    if (si->version >= 1 && si->memmap_paddr) {
        const struct hvm_memmap_entry *e = phys_to_virt(si->memmap_paddr);
        for (u32 i = 0; i < si->memmap_entries && nram < MAX_RANGES; i++) {
            if (e[i].type != HVM_MEMMAP_RAM)
                continue;
            ram[nram++] = (struct memory_range){e[i].addr, e[i].addr + e[i].size};
            ram_top = MAX(ram_top, e[i].addr + e[i].size);
        }
    }
    if (nram == 0)
        panic("the boot information has no memory map");
    if (si->nr_modules > 0) {
        const struct hvm_modlist_entry *m = phys_to_virt(si->modlist_paddr);
        initrd.paddr = m[0].paddr;
        initrd.size = m[0].size;
    }
}

static u32 read_vendor(void)
{
    u32 max, vendor[3];
    cpuid(0, 0, &max, &vendor[0], &vendor[2], &vendor[1]);
    if (!memcmp(vendor, "GenuineIntel", 12))
        return VENDOR_INTEL;
    if (!memcmp(vendor, "AuthenticAMD", 12) || !memcmp(vendor, "HygonGenuine", 12))
        return VENDOR_AMD;
    return VENDOR_OTHER;
}

static void cpu_features_enable(void)
{
    u32 a, b, c, d;
    cpuid(7, 0, &a, &b, &c, &d);
    struct cpu *cpu = this_cpu();
    cpu->vendor = read_vendor();
    cpu->has_smep = b & (1u << 7);
    cpu->has_smap = b & (1u << 20);
    /* x87 and SSE for user programs: no emulation, no lazy switching. */
    write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
    u64 cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (cpu->has_smep)
        cr4 |= CR4_SMEP;
    if (cpu->has_smap)
        cr4 |= CR4_SMAP;
    write_cr4(cr4);
    fpu_init();
    uaccess_init(cpu->has_smap);
    static const char *const vendor_names[] = {[VENDOR_OTHER] = "other", [VENDOR_INTEL] = "Intel", [VENDOR_AMD] = "AMD"};
    kprintf(KERN_INFO "x86/cpu: vendor %s, SMEP %s, SMAP %s\n", vendor_names[cpu->vendor], cpu->has_smep ? "on" : "off",
            cpu->has_smap ? "on" : "off");
}

extern void entry_syscall_64(void), entry_syscall_32(void), entry_sysenter_32(void);
extern u64 syscall_64_fast_limit, syscall_32_fast_limit;

void syscall_gate_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* syscall loads CS = KERNEL_CS, SS = KERNEL_CS + 8; sysret (64-bit) loads
     * CS = USER32_CS + 16 = USER_CS and SS = USER32_CS + 8 = USER_DS. */
    wrmsr(MSR_STAR, ((u64)(USER32_CS - 3) << 48) | ((u64)KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (u64)entry_syscall_64);
    /* Cleared on entry: IF (entry code runs with interrupts off until it is on
     * the kernel stack), TF, DF, AC and NT (user flags the kernel must not run with). */
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT | (3ul << 12) /* IOPL */);
    /* 32-bit programs: syscall in compatibility mode (AMD), and sysenter,
     * whose stack pointer only has to hold the user's flags (entry_64.S). */
    wrmsr(MSR_CSTAR, (u64)entry_syscall_32);
    wrmsr(MSR_SYSENTER_CS, KERNEL_CS);
    wrmsr(MSR_SYSENTER_ESP, (u64)&this_cpu()->sysenter_flags + sizeof(u64));
    wrmsr(MSR_SYSENTER_EIP, (u64)entry_sysenter_32);
    this_cpu()->vdso32_landing_pad = vdso32_landing_pad();
    if (kernel_trace)
        syscall_64_fast_limit = syscall_32_fast_limit = 0; /* every call takes the full path, which traces */
    kprintf(KERN_INFO "gates: syscall at %p (LSTAR), 32-bit syscall at %p (CSTAR), sysenter at %p, int 0x80\n",
            (void *)entry_syscall_64, (void *)entry_syscall_32, (void *)entry_sysenter_32);
}

static int open_on(int fd, const char *path, u32 flags)
{
    struct inode *inode;
    int err = path_lookup(NULL, path, true, &inode);
    if (err)
        return err;
    struct file *f = file_open_inode(inode, flags);
    if (!f)
        return -ENOMEM;
    return fd_install(f, fd, false) == fd ? 0 : -EBADF;
}

/* stdio per sysgate.stdio=XYZ (fd 0, 1, 2; t = console terminal, s = stream
 * to the host); the console terminal when not given. */
static void open_stdio(void)
{
    const char *mode = cmdline_option("sysgate.stdio=");
    static const char *const streams[3] = {"/dev/sysgate/stdin", "/dev/sysgate/stdout", "/dev/sysgate/stderr"};
    static const u32 flags[3] = {O_RDONLY, O_WRONLY, O_WRONLY};
    for (int fd = 0; fd < 3; fd++) {
        bool stream = mode && strnlen(mode, 3) == 3 && mode[fd] == 's';
        int err = open_on(fd, stream ? streams[fd] : "/dev/console", stream ? flags[fd] : O_RDWR);
        if (err)
            panic("cannot open standard stream %d: %s", fd, errno_text(err));
    }
}

/* /etc/sysgate/init.args (docs/hypervisor-interface.md): the path, then
 * counted argv and envp, then the working directory, every item NUL-terminated. */
#define MAX_INIT_STRINGS 1024
static char *init_strings[MAX_INIT_STRINGS + 2];

/* The next NUL-terminated string at *p, or NULL when the file ends first. */
static char *next_string(char **p, char *end)
{
    char *s = *p;
    char *nul = s < end ? memchr(s, 0, end - s) : NULL;
    if (!nul)
        return NULL;
    *p = nul + 1;
    return s;
}

static bool read_counted(char **p, char *end, char **out, int room, int *count)
{
    const char *number = next_string(p, end);
    const char *after;
    if (!number || !*number)
        return false;
    unsigned long n = parse_ulong(number, &after, 10);
    if (*after || n > (unsigned long)room)
        return false;
    for (unsigned long i = 0; i < n; i++)
        if (!(out[i] = next_string(p, end)))
            return false;
    out[n] = NULL;
    *count = (int)n;
    return true;
}

/* The initramfs's tree, which holds init.args even when a 9p share has become the root. */
static struct inode *boot_files_root;

static bool read_init_args(const char **path, char ***argv, char ***envp, const char **cwd)
{
    struct inode *args;
    if (path_lookup(boot_files_root, "etc/sysgate/init.args", true, &args) || !S_ISREG(args->mode))
        return false;
    char *text = kmalloc(args->size + 1);
    if (!text)
        panic("no memory for /etc/sysgate/init.args");
    if (kernel_read(args, 0, text, args->size) != (ssize_t)args->size)
        panic("cannot read /etc/sysgate/init.args");
    char *p = text, *end = text + args->size;
    int argc, envc;
    *path = next_string(&p, end);
    *argv = init_strings;
    if (!*path || !read_counted(&p, end, init_strings, MAX_INIT_STRINGS, &argc))
        panic("/etc/sysgate/init.args is malformed");
    *envp = &init_strings[argc + 1];
    if (!read_counted(&p, end, *envp, MAX_INIT_STRINGS - argc - 1, &envc) || !(*cwd = next_string(&p, end)) ||
        p != end)
        panic("/etc/sysgate/init.args is malformed");
    return true;
}


/* The host's working directory, when the root is a share that holds it; a
 * directory that cannot be entered leaves the program in / and says why. */
static void enter_working_directory(struct task *t, const char *cwd)
{
    struct inode *dir;
    int err = path_lookup(root_inode, cwd, true, &dir);
    if (!err && !S_ISDIR(dir->mode))
        err = -ENOTDIR;
    if (err) {
        kprintf(KERN_WARN "sysgate: starting in / instead of %s: %s\n", cwd, errno_text(err));
        return;
    }
    inode_get(dir);
    inode_put(t->fs->cwd);
    t->fs->cwd = dir;
}

static int exit_status_for_exec_error(int err) { return err == -ENOENT || err == -ENOTDIR ? 127 : 126; }

static void start_init(void)
{
    static char *default_env[] = {"HOME=/", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=linux", NULL};
    const char *path, *cwd;
    char **argv, **envp;
    struct task *t = task_create();
    if (!t)
        panic("cannot create the first task");
    t->files = files_create();
    t->fs = kzalloc(sizeof(*t->fs));
    if (!t->files || !t->fs)
        panic("cannot create the first task");
    *t->fs = (struct fs_info){.cwd = root_inode, .umask = 022, .users = REFCOUNT_INIT(1)};
    inode_get(root_inode);
    t->pgid = t->sid = t->pid;
    t->sighand = sighand_create();
    if (!t->sighand)
        panic("cannot create the first task");
    struct task *boot_thread = current_task();
    set_current_task(t); /* so that open_stdio fills its table */
    open_stdio();
    int err;
    if (read_init_args(&path, &argv, &envp, &cwd)) {
        enter_working_directory(t, cwd);
        kprintf(KERN_INFO "Run %s as init process\n", path);
        err = (int)do_execve(task_regs(t), path, argv, envp); /* scripts too, as execve(2) */
        if (err) {
            kprintf(KERN_ERR "sysgate: cannot execute %s: %s\n", path, errno_text(err));
            machine_poweroff(exit_status_for_exec_error(err));
        }
    } else {
        static const char *const candidates[] = {"/init", "/sbin/init", "/bin/sh"};
        err = -ENOENT;
        for (size_t i = 0; i < ARRAY_SIZE(candidates) && err; i++) {
            char *args[] = {(char *)candidates[i], NULL};
            kprintf(KERN_INFO "Run %s as init process\n", candidates[i]);
            err = exec_program(t, task_regs(t), candidates[i], args, default_env);
        }
        if (err)
            panic("no init found (tried /init, /sbin/init, /bin/sh)");
    }
    set_current_task(boot_thread);
    write_cr3(kernel_pml4);
    sched_add(t);
}

void kmain(u64 start_info_phys)
{
    percpu_init_boot(); /* before anything can reach this_cpu() or current_task() */
    serial_init(COM1);
    serial_init(COM2);
    read_boot_info(start_info_phys);
    kernel_verbose = cmdline_option("sysgate.verbose") != NULL;
    trace_init();
    printk_init();

    struct memory_range reserved[] = {
        {0, 0x100000},                              /* real-mode area, BIOS, boot information */
        {initrd.paddr, initrd.paddr + initrd.size}, /* holds the initial files' contents */
    };
    pmm_init(ram, nram, reserved, ARRAY_SIZE(reserved));
    paging_init();
    gdt_init();
    idt_init();
    cpu_features_enable();
    stdio_rings_register(); /* before the hypercall area: see stdio_ring.h */
    hypervisor_init();
    kprintf(KERN_INFO "sysgate: %lu MiB of RAM, %lu pages free\n", (ram_top >> 20), pmm_free_pages());

    apic_init();
    vdso_init();
    random_init();
    time_init();
    ramfs_init();
    if (initrd.size) {
        int err = unpack_initramfs(phys_to_virt(initrd.paddr), initrd.size);
        if (err)
            panic("the initramfs is malformed (%s)", errno_text(err));
        /* Its pages stay reserved: the files' contents live there. */
        pmm_account_in_use(ALIGN_UP(initrd.size, PAGE_SIZE) / PAGE_SIZE);
        kprintf(KERN_INFO "Unpacked the initramfs: %lu KiB\n", initrd.size >> 10);
    }
    mem_devices_init();
    msr_devices_init();
    console_devices_init();
    devices_init();
    procfs_init();
    af_unix_init();
    inet_init();
    netdev_init();
    boot_files_root = root_inode;
    v9fs_mount_root(); /* sysgate.root=TAG: a host directory becomes the root (docs/9p.md) */
    mount_boot("/dev", "devtmpfs", "devtmpfs");
    mount_boot("/proc", "proc", "proc");
    v9fs_mount_shares();
    syscall_gate_init();
    sched_init();
    start_init();
    virtio_scheduler_started(); /* requests sleep from now on, rather than wait for the device */
    sched_start();
}
