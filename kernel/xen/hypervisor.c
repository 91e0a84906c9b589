/*
 * The guest side of the sysgate hypervisor interface (docs/hypervisor-interface.md).
 * The kernel hands the hypervisor an 8 KiB area of its own image, the hypercall
 * page followed by the mailbox; the hypervisor fills the page with the code that
 * leaves the guest. Nothing else in the kernel knows how a hypercall travels.
 */
#include "hypervisor.h"
#include "errno.h"
#include "kernel.h"
#include "layout.h"
#include "lib.h"
#include "serial.h"
#include "syscall.h"
#include "x86.h"

#define MAILBOX_MAGIC 0x56484753
#define REGISTRATION_SPINS (1ul << 26)
/* mailbox flags: the call is made for user space, so every pointer must be
 * user-accessible (docs/hypervisor-interface.md, "The mailbox") */
#define MAILBOX_FLAG_USER 1

struct mailbox {
    volatile u32 magic;
    u32 version;
    u64 nr;
    u64 arg[5];
    u64 cr3;
    u64 flags;
    s64 result;
    volatile u32 done;
};

extern char hypercall_page[];
extern struct mailbox hypercall_mailbox;

static bool present;

bool hypervisor_present(void) { return present; }

void hypervisor_init(void)
{
    const char *value = cmdline_option("sysgate.hv=");
    if (!value)
        return;
    u16 port = (u16)parse_ulong(value, NULL, 0);
    u64 area = (u64)hypercall_page - KERNEL_VMA;
    outb(port, 'R');
    for (int i = 0; i < 8; i++)
        outb(port, (u8)(area >> (8 * i)));
    for (u64 spin = 0; spin < REGISTRATION_SPINS; spin++) {
        if (hypercall_mailbox.magic == MAILBOX_MAGIC) {
            present = true;
            privcmd_init();
            return;
        }
        cpu_relax();
    }
    kprintf(KERN_WARN "hypervisor: no answer on port 0x%x, running without it\n", port);
}

/* One call in flight at a time: interrupts stay off from setting the flags
 * until the result is back. */
static long call_through_page(unsigned nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 mailbox_flags)
{
    if (!present || nr >= HYPERCALL_ENTRIES)
        return -ENOSYS;
    register u64 r10 __asm__("r10") = a3;
    register u64 r8 __asm__("r8") = a4;
    long result;
    u64 flags = irq_save();
    hypercall_mailbox.flags = mailbox_flags;
    __asm__ volatile("call *%[entry]"
                     : "=a"(result), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8)
                     : [entry] "r"(hypercall_page + nr * 32)
                     : "memory", "cc");
    irq_restore(flags);
    return result;
}

long hypercall(unsigned nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
    return call_through_page(nr, a0, a1, a2, a3, a4, 0);
}

long hypercall_for_user(unsigned nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
    return call_through_page(nr, a0, a1, a2, a3, a4, MAILBOX_FLAG_USER);
}

static noreturn void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

/* Without a hypervisor: an empty IDT and an exception make a triple fault,
 * which ends QEMU when it runs with -no-reboot. */
static noreturn void triple_fault(void)
{
    static const struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) empty_idt = {0, 0};
    __asm__ volatile("lidt %0; int3" ::"m"(empty_idt));
    halt_forever();
}

static noreturn void shutdown(u32 reason, int exit_status)
{
    struct sysgate_sched_shutdown request = {{reason}, (u32)exit_status};
    serial_flush(COM1); /* every byte written reaches the host first */
    serial_flush(COM2);
    hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (u64)&request, 0, 0, 0);
    triple_fault();
}

noreturn void machine_poweroff(int exit_status)
{
    if (kernel_trace)
        trace_summary_print();
    shutdown(SHUTDOWN_poweroff, exit_status);
}
noreturn void machine_crash(void) { shutdown(SHUTDOWN_crash, 125); }
