/* A test kernel for the sysgate monitor (hv/): one scenario per run, chosen by "test=NAME"
   on the kernel command line ("ram=MIB" tells it the RAM size). It speaks the doorbell
   protocol of docs/hypervisor-interface.md directly, calls the hypercall page the monitor
   writes, and also rings the doorbell by hand with hostile mailbox contents. It reports
   through its exit status and COM1; tests/hv/run says what each scenario expects. */
#include <stdint.h>
#include <stddef.h>

#define DOORBELL 0x504
#define COM1 0x3f8
#define COM2 0x2f8

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0,%1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1,%0" : "=a"(v) : "Nd"(port)); return v; }

extern uint64_t boot_pml4[512], boot_pdpt[512], boot_pd[512];

/* hypercall area: 4K page + 4K mailbox; never executed before registration */
static uint8_t hc_area[8192] __attribute__((aligned(4096)));
static uint8_t hc_area2[8192] __attribute__((aligned(4096)));
#define MBOX ((volatile uint8_t *)(hc_area + 4096))
#define MB64(off) (*(volatile uint64_t *)(MBOX + (off)))
#define MB32(off) (*(volatile uint32_t *)(MBOX + (off)))

static void serial_putc(uint16_t port, char c)
{
    while (!(inb(port + 5) & 0x20)) ;
    outb(port, c);
}
static void serial_puts(uint16_t port, const char *s) { while (*s) serial_putc(port, *s++); }
static void serial_drain(uint16_t port) { while (!(inb(port + 5) & 0x40)) ; }
static size_t kstrlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

static void register_area(uint64_t addr)
{
    outb(DOORBELL, 'R');
    for (int i = 0; i < 8; i++) outb(DOORBELL, (uint8_t)(addr >> (8 * i)));
}
static void wait_magic(void) { while (MB32(0) != 0x56484753) __asm__ volatile("pause"); }

static long hypercall(unsigned nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    register uint64_t r10 __asm__("r10") = a3;
    register uint64_t r8 __asm__("r8") = a4;
    long ret;
    void *entry = hc_area + nr * 32;
    __asm__ volatile("call *%[e]" : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8)
                     : [e] "r"(entry) : "memory", "cc", "rcx", "r9", "r11");
    return ret;
}
/* Ring the doorbell by hand, with whatever mailbox contents we like (bogus cr3...). */
static long raw_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t cr3, uint64_t flags)
{
    MB64(8) = nr; MB64(16) = a0; MB64(24) = a1; MB64(32) = a2; MB64(40) = 0; MB64(48) = 0;
    MB64(56) = cr3; MB64(64) = flags; MB32(80) = 0;
    outb(DOORBELL, 'C');
    while (MB32(80) == 0) __asm__ volatile("pause");
    return (long)MB64(72);
}

struct sched_shutdown { uint32_t reason, exit_status; };
static void shutdown(uint32_t reason, uint32_t status)
{
    serial_drain(COM1);
    serial_drain(COM2);
    static struct sched_shutdown sd;
    sd.reason = reason; sd.exit_status = status;
    hypercall(29, 2, (uint64_t)&sd, 0, 0, 0);
    for (;;) __asm__ volatile("cli; hlt");
}
static long console_write(const void *buf, uint64_t n) { return hypercall(18, 0, n, (uint64_t)buf, 0, 0); }

static const char *cmdline;
static const char *find_arg(const char *key)
{
    size_t kl = kstrlen(key);
    for (const char *p = cmdline; p && *p; ) {
        while (*p == ' ') p++;
        const char *w = p;
        while (*p && *p != ' ') p++;
        if ((size_t)(p - w) > kl && w[kl] == '=') {
            size_t i = 0;
            while (i < kl && w[i] == key[i]) i++;
            if (i == kl) return w + kl + 1;
        }
    }
    return NULL;
}
static int arg_is(const char *v, const char *s) { if (!v) return 0; while (*s && *v == *s) v++, s++; return *s == 0 && (*v == 0 || *v == ' '); }
static unsigned long arg_num(const char *key, unsigned long def)
{
    const char *v = find_arg(key);
    if (!v) return def;
    unsigned long n = 0;
    while (*v >= '0' && *v <= '9') n = n * 10 + (unsigned long)(*v++ - '0');
    return n;
}

/* Extra page tables for translation tests, under PML4 slot 256 (0xffff800000000000). */
static uint64_t t_pdpt[512] __attribute__((aligned(4096)));
static uint64_t t_pd[512] __attribute__((aligned(4096)));
static uint64_t t_pt[512] __attribute__((aligned(4096)));
static char t_page[3][4096] __attribute__((aligned(4096)));
#define VBASE 0xffff800000000000ull
static void flush_tlb(void) { uint64_t c; __asm__ volatile("mov %%cr3,%0; mov %0,%%cr3" : "=r"(c) :: "memory"); }

static int failures;
static void check(const char *what, long got, long want)
{
    if (got != want) {
        char buf[160]; int n = 0;
        const char *p = "FAIL ";
        while (*p) buf[n++] = *p++;
        while (*what && n < 100) buf[n++] = *what++;
        buf[n++] = ' ';
        unsigned long v = (unsigned long)got; char tmp[24]; int t = 0;
        if (got < 0) { buf[n++] = '-'; v = (unsigned long)-got; }
        do { tmp[t++] = '0' + v % 10; v /= 10; } while (v);
        while (t) buf[n++] = tmp[--t];
        buf[n++] = '\n'; buf[n] = 0;
        serial_puts(COM1, buf);
        failures++;
    }
}

static void test_hypercalls(uint64_t ram)
{
    /* basic calls */
    check("xen_version", hypercall(17, 0, 0, 0, 0, 0), 0x10000);
    check("xen_version extraversion, non-canonical", hypercall(17, 1, 0x0000900000000000ull, 0, 0, 0), -14);
    check("xen_version cmd 99", hypercall(17, 99, 0, 0, 0, 0), -38);
    static char extra[16];
    check("xen_version extraversion", hypercall(17, 1, (uint64_t)extra, 0, 0, 0), 0);
    check("extraversion text", extra[0] == '-' && extra[15] == 0, 1);
    static const char line[] = "print_string from the test kernel";
    check("print_string", hypercall(39, (uint64_t)line, 0, 0, 0, 0), 0);
    static char too_long[1100];
    for (unsigned i = 0; i < sizeof too_long - 1; i++)
        too_long[i] = 'x';
    check("print_string 1099 bytes", hypercall(39, (uint64_t)too_long, 0, 0, 0, 0), -7);
    too_long[1023] = 0;
    check("print_string 1023 bytes", hypercall(39, (uint64_t)too_long, 0, 0, 0, 0), 0);
    /* struct xen_sysctl: cmd, interface_version, then the union at 8 (136 bytes) */
    static uint32_t op[34];
    op[0] = 1; /* XEN_SYSCTL_readconsole */
    op[1] = 0x14; /* not this Xen's XEN_SYSCTL_INTERFACE_VERSION */
    check("sysctl old interface", hypercall(35, (uint64_t)op, 0, 0, 0, 0), -13);
    op[1] = 0x15;
    op[0] = 77;
    check("sysctl unknown cmd", hypercall(35, (uint64_t)op, 0, 0, 0, 0), -38);
    static char ring[64];
    op[0] = 1;
    op[2] = 0;                                  /* clear, incremental, pads */
    op[3] = 0;                                  /* index */
    op[4] = (uint32_t)(uint64_t)ring;           /* buffer, 64 bits */
    op[5] = (uint32_t)((uint64_t)ring >> 32);
    op[6] = sizeof ring;                        /* count */
    check("sysctl readconsole", hypercall(35, (uint64_t)op, 0, 0, 0, 0), 0);
    check("readconsole count", op[6], sizeof ring);
    check("readconsole text", ring[0] == '(' && ring[1] == 'X', 1);
    check("sysctl non-canonical", hypercall(35, 0x0000900000000000ull, 0, 0, 0, 0), -14);
    check("console read, nothing waiting", hypercall(18, 1, 16, (uint64_t)ring, 0, 0), 0);
    check("unknown 5", hypercall(5, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555), -38);
    /* the page stored nr, every argument and cr3 where the mailbox layout says */
    uint64_t my_cr3;
    __asm__ volatile("mov %%cr3,%0" : "=r"(my_cr3));
    check("mailbox nr", (long)MB64(8), 5);
    check("mailbox arg0 (rdi)", (long)MB64(16), 0x1111);
    check("mailbox arg1 (rsi)", (long)MB64(24), 0x2222);
    check("mailbox arg2 (rdx)", (long)MB64(32), 0x3333);
    check("mailbox arg3 (r10)", (long)MB64(40), 0x4444);
    check("mailbox arg4 (r8)", (long)MB64(48), 0x5555);
    check("mailbox cr3", (long)MB64(56), (long)my_cr3);
    check("mailbox done", (long)MB32(80), 1);
    check("unknown 63", hypercall(63, 0, 0, 0, 0, 0), -38);
    check("unknown 1000 raw", raw_hypercall(1000, 0, 0, 0, 0, 0), -38);
    check("yield", hypercall(29, 0, 0, 0, 0, 0), 0);
    check("sched bad cmd", hypercall(29, 77, 0, 0, 0, 0), -38);
    check("console cmd 9", hypercall(18, 9, 0, 0, 0, 0), -38);
    check("console too big", console_write((void *)0x100000, 65537), -22);
    check("console zero", console_write((void *)0, 0), 0);
    check("console 64K", console_write((void *)0x200000, 0), 0);

    /* page tables for the walk: PML4[256] -> t_pdpt
       t_pdpt[0] -> t_pd (4K/2M area), t_pdpt[1] = 1G page at phys 0, t_pdpt[2] = 1G page beyond RAM,
       t_pdpt[3] -> not present, t_pdpt[4] -> pd beyond RAM */
    boot_pml4[256] = (uint64_t)t_pdpt | 3;
    t_pdpt[0] = (uint64_t)t_pd | 3;
    t_pdpt[1] = 0x0 | 0x83;                         /* 1G page: phys 0..1G, supervisor */
    t_pdpt[2] = (64ull << 30) | 0x83;               /* 1G page far beyond RAM */
    t_pdpt[3] = 0;
    t_pdpt[4] = (ram + 0x1000) | 3;                 /* page directory beyond RAM */
    t_pdpt[5] = (uint64_t)t_pd | 7;                 /* user-accessible path to t_pd */
    t_pd[0] = (uint64_t)t_pt | 7;                   /* user PT */
    t_pd[1] = 0x0 | 0x83;                           /* 2M page phys 0, supervisor */
    t_pd[2] = 0x200000 | 0x87;                      /* 2M page phys 2M, user */
    t_pd[3] = (ram & ~0x1fffffull) | 0x83;          /* 2M page at the end of RAM (beyond if ram is 2M aligned) */
    t_pt[0] = (uint64_t)t_page[0] | 7;              /* user page */
    t_pt[1] = (uint64_t)t_page[1] | 3;              /* supervisor page */
    t_pt[2] = 0;                                    /* not present */
    t_pt[3] = (uint64_t)t_page[2] | 7;              /* user page */
    t_pt[4] = (ram - 0x1000) | 3;                   /* last page of RAM */
    t_pt[5] = ram | 3;                              /* first page beyond RAM */
    t_pt[6] = (uint64_t)t_page[2] | 5;              /* user read-only */
    flush_tlb();

    static const char msg[] = "0123456789";
    char *p0 = (char *)(VBASE + 0 * 4096), *p1 = (char *)(VBASE + 4096);
    for (int i = 0; i < 4096; i++) { t_page[0][i] = 'a' + i % 26; t_page[1][i] = 'A' + i % 26; t_page[2][i] = '0' + i % 10; }
    t_page[0][4095] = '\n';
    check("4K page", console_write(p0 + 4090, 6), 6);
    check("crossing into supervisor page", console_write(p0 + 4094, 4), 4);
    check("crossing into not-present", console_write(p1 + 4094, 4), -14);
    check("not present", console_write(p1 + 4096, 1), -14);
    check("2M page", console_write((void *)(VBASE + 0x200000 + 0x1000 + (uint64_t)msg), 10), 10);
    check("1G page", console_write((void *)(VBASE + (1ull << 30) + (uint64_t)msg), 10), 10);
    check("1G page beyond RAM", console_write((void *)(VBASE + (2ull << 30)), 1), -14);
    check("PD beyond RAM", console_write((void *)(VBASE + (4ull << 30)), 1), -14);
    check("unmapped PML4 slot", console_write((void *)0xffff900000000000ull, 1), -14);
    check("non-canonical", console_write((void *)0x0000900000000000ull, 1), -14);
    check("last page of RAM", console_write((void *)(VBASE + 4 * 4096 + 4090), 6), 6);
    check("cross end of RAM", console_write((void *)(VBASE + 4 * 4096 + 4090), 7), -14);
    check("beyond RAM", console_write((void *)(VBASE + 5 * 4096), 1), -14);
    check("2M page at end", console_write((void *)(VBASE + 3 * 0x200000 + 0x1ff000), 1),
          ((ram & ~0x1fffffull) + 0x1ff000 < ram) ? 1 : -14);
    check("wrap around", console_write((void *)0xfffffffffffffff0ull, 32), -14);
    check("huge count", console_write((void *)0x100000, 0xffffffffffffffffull), -22);

    /* user flag (bit 0): supervisor pages must fail; user pages (via the user path t_pdpt[5]) pass */
    uint64_t cr3; __asm__ volatile("mov %%cr3,%0" : "=r"(cr3));
    uint64_t uva = VBASE + (5ull << 30);          /* t_pdpt[5]: user path to t_pd */
    boot_pml4[256] |= 4;
    flush_tlb();
    check("user: user page", raw_hypercall(18, 0, 3, uva + 0, cr3, 1), 3);
    check("user: supervisor page", raw_hypercall(18, 0, 3, uva + 4096, cr3, 1), -14);
    check("user: cross to supervisor", raw_hypercall(18, 0, 3, uva + 4094, cr3, 1), -14);
    check("user: 2M user page", raw_hypercall(18, 0, 3, uva + 0x400000 + 0x100, cr3, 1), 3);
    check("user: 2M supervisor", raw_hypercall(18, 0, 3, uva + 0x200000, cr3, 1), -14);
    check("user: supervisor PDPT path", raw_hypercall(18, 0, 3, VBASE + 0, cr3, 1), -14);
    check("kernel: same page", raw_hypercall(18, 0, 3, VBASE + 4096, cr3, 0), 3);
    boot_pml4[256] &= ~4ull;
    check("user: PML4 supervisor", raw_hypercall(18, 0, 3, uva + 0, cr3, 1), -14);
    /* bogus cr3 values */
    check("cr3 beyond RAM", raw_hypercall(18, 0, 3, 0x100000, ram, 0), -14);
    check("cr3 huge", raw_hypercall(18, 0, 3, 0x100000, 0xfffffffffffff000ull, 0), -14);
    check("cr3 with pcid bits", raw_hypercall(18, 0, 3, 0x100000, cr3 | 0x5, 0), 3);
    /* shutdown with a bad pointer: -EFAULT and the guest goes on */
    check("shutdown bad ptr", hypercall(29, 2, 0xffff900000000000ull, 0, 0, 0), -14);
    /* a shutdown struct whose second half lies on a non-present page */
    check("shutdown cross to not-present", hypercall(29, 2, VBASE + 2 * 4096 - 4, 0, 0, 0), -14);
    /* mailbox flags back to 0 for the real calls */
    MB64(64) = 0;
    check("nr in high bits", raw_hypercall(0x100000011ull, 0, 0, 0, cr3, 0), -38);
}

/* The hypercall page must preserve every register but rax. */
void regs_test(uint64_t before[14], uint64_t after[15], void *entry);
static void test_registers(void)
{
    uint64_t before[14], after[15];
    for (int i = 0; i < 14; i++) before[i] = 0x1111111111111111ull * (uint64_t)(i + 1);
    regs_test(before, after, hc_area + 17 * 32);   /* rdi = before[4]: not XENVER_version */
    for (int i = 0; i < 14; i++) check("register preserved", (long)after[i], (long)before[i]);
    check("regs result", (long)after[14], -38);
}

void kmain(uint32_t start_info)
{
    const volatile uint8_t *si = (const uint8_t *)(uintptr_t)start_info;
    cmdline = (const char *)(uintptr_t)*(const volatile uint64_t *)(si + 24);
    uint64_t ram = arg_num("ram", 256) << 20;
    const char *test = find_arg("test");

    if (arg_is(test, "none")) {      /* no hypervisor at all: just print and hang */
        serial_puts(COM1, "hello COM1\n");
        serial_puts(COM2, "hello COM2\n");
        for (;;) __asm__ volatile("cli; hlt");
    }
    if (arg_is(test, "triple")) {
        static const struct { uint16_t limit; uint64_t base; } __attribute__((packed)) null_idt = {0, 0};
        __asm__ volatile("lidt %0; int3" :: "m"(null_idt));
    }
    if (arg_is(test, "badreg")) { register_area((uint64_t)hc_area + 12); for (;;) __asm__ volatile("pause"); }
    if (arg_is(test, "badreg2")) { register_area(ram - 4096); for (;;) __asm__ volatile("pause"); }
    if (arg_is(test, "badreg3")) { register_area(0xfffffffffffff000ull); for (;;) __asm__ volatile("pause"); }
    if (arg_is(test, "garbage")) { outb(DOORBELL, 'X'); outb(DOORBELL, 'C'); outb(DOORBELL, 0); outb(DOORBELL, 'Y'); }
    if (arg_is(test, "partial")) { outb(DOORBELL, 'R'); outb(DOORBELL, 1); for (;;) __asm__ volatile("pause"); }
    register_area((uint64_t)hc_area);
    wait_magic();
    if (arg_is(test, "doublereg")) { register_area((uint64_t)hc_area2); for (;;) __asm__ volatile("pause"); }

    if (arg_is(test, "hang")) for (;;) __asm__ volatile("pause");
    if (arg_is(test, "console")) {
        static const char m[] = "hello from the hypercall console\nsecond line without newline";
        long n = console_write(m, sizeof m - 1);
        static const char m2[] = " ... continued\nthird\n";
        console_write(m2, sizeof m2 - 1);
        shutdown(0, n == (long)(sizeof m - 1) ? 0 : 1);
    }
    if (arg_is(test, "serial")) {
        /* lots of COM1 output (n lines), a little COM2, then shut down immediately */
        unsigned long lines = arg_num("lines", 10000);
        for (unsigned long i = 0; i < lines; i++) serial_puts(COM1, "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n");
        serial_puts(COM2, "to COM2\n");
        serial_puts(COM1, "END\n");
        shutdown(0, 0);
    }
    if (arg_is(test, "echo")) {
        /* echo COM1 input back (upper-cased) until 'q' */
        for (;;) {
            while (!(inb(COM1 + 5) & 1)) __asm__ volatile("pause");
            char c = (char)inb(COM1);
            if (c == 'q') break;
            if (c >= 'a' && c <= 'z') c -= 32;
            serial_putc(COM1, c);
        }
        shutdown(0, 3);
    }
    if (arg_is(test, "panic")) { serial_puts(COM1, "about to panic\n"); shutdown(3, 0); }
    if (arg_is(test, "reboot")) shutdown(1, 0);
    if (arg_is(test, "hypercalls")) {
        test_hypercalls(ram);
        test_registers();
        serial_puts(COM1, failures ? "hypercall tests FAILED\n" : "hypercall tests ok\n");
        shutdown(0, failures ? 1 : 0);
    }
    if (arg_is(test, "regs")) { test_registers(); shutdown(0, failures ? 1 : 0); }
    if (arg_is(test, "bench")) {
        unsigned long n = arg_num("n", 10000);
        for (unsigned long i = 0; i < n; i++) hypercall(17, 0, 0, 0, 0, 0);
        shutdown(0, 0);
    }
    shutdown(0, (uint32_t)arg_num("exit", 42));
}
