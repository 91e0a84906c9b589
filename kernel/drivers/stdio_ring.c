/*
 * /dev/sysgate/stdin, /dev/sysgate/stdout and /dev/sysgate/stderr: the
 * program's streams to the host when they are not the console terminal
 * (sysgate.stdio=s..), as byte rings in the kernel's own memory that the
 * monitor reads and writes directly, the way Xen's PV console shares a page
 * with its back end. Each ring has free-running producer and consumer
 * indices; its bytes cross without any exit from the guest.
 *
 * Notifications are only sent to a side that said it sleeps: the monitor
 * sets consumer_waiting on an output ring it found empty, the guest rings
 * the doorbell ('I') when it finds the flag set after adding bytes; the guest
 * sets consumer_waiting on an empty stdin ring or producer_waiting on a full
 * output ring before it sleeps, and the monitor then sends a byte to COM2,
 * whose receive interrupt wakes the sleepers. Setting a flag and looking at
 * the other side's index must not be reordered (each side would miss the
 * other), so both sides put a full barrier in between; under TCG a guest
 * mfence is not one for another host process, a port read is (docs).
 *
 * Without the sysgate hypervisor there is nobody at the other end: output
 * goes to the console UART and stdin is at its end.
 */
#include "apic.h"
#include "errno.h"
#include "fs.h"
#include "hypervisor.h"
#include "ioapic.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "serial.h"
#include "signal.h"
#include "spinlock.h"
#include "stdio_ring.h"
#include "tty.h"
#include "uaccess.h"
#include "wait.h"
#include "x86.h"

/* The shared layout (docs/hypervisor-interface.md, "The stdio rings"). */
#define STDIO_AREA_MAGIC 0x4f494753u /* "SGIO" */
#define STDIO_AREA_VERSION 1u
#define STDIO_RING_SIZE (256u * 1024u)
#define STDIO_FLAG_CPU_FENCE 1u /* set by the monitor: mfence alone orders our accesses for it (KVM) */
#define DOORBELL_REGISTER_STDIO 'S'
#define DOORBELL_STDIO_NOTIFY 'I'

enum stdio_ring_index { RING_STDIN, RING_STDOUT, RING_STDERR, RING_COUNT };

struct ring_control {
    u32 producer;         /* bytes ever added: the producer's */
    u32 consumer;         /* bytes ever taken: the consumer's */
    u32 consumer_waiting; /* set by the consumer before it sleeps; the producer clears it and notifies */
    u32 producer_waiting; /* the same for a producer waiting for room */
    u32 closed;           /* stdin: the host's stdin ended; stdout/stderr: the host's reader is gone */
    u32 reserved[11];
};

struct stdio_area {
    struct {
        u32 magic;
        u32 version;
        u32 flags; /* the monitor's */
        u32 ring_size;
        u8 unused[48];
        struct ring_control ring[RING_COUNT];
    } header;
    u8 header_page_rest[PAGE_SIZE - 64 - RING_COUNT * sizeof(struct ring_control)];
    u8 data[RING_COUNT][STDIO_RING_SIZE];
};
_Static_assert(sizeof(struct ring_control) == 64, "one cache line per ring");
_Static_assert(__builtin_offsetof(struct stdio_area, data) == PAGE_SIZE, "the data follows the header page");

static struct stdio_area area __attribute__((aligned(PAGE_SIZE)));

#define SHARED_LOAD(field) __atomic_load_n(&(field), __ATOMIC_ACQUIRE)
#define SHARED_STORE(field, value) __atomic_store_n(&(field), (value), __ATOMIC_RELEASE)

/* One lock and one queue per ring: readers and pollers of stdin, writers and
 * pollers of the outputs. */
struct ring_state {
    struct spinlock lock;
    struct wait_queue wait;
};
static struct ring_state rings[RING_COUNT];
static bool rings_live; /* the monitor has them */
static u16 doorbell_port;

void stdio_rings_register(void)
{
    const char *value = cmdline_option("sysgate.hv=");
    if (!value)
        return;
    doorbell_port = (u16)parse_ulong(value, NULL, 0);
    area.header.magic = STDIO_AREA_MAGIC;
    area.header.version = STDIO_AREA_VERSION;
    area.header.ring_size = STDIO_RING_SIZE;
    u64 address = virt_to_phys(&area);
    outb(doorbell_port, DOORBELL_REGISTER_STDIO);
    for (int i = 0; i < 8; i++)
        outb(doorbell_port, (u8)(address >> (8 * i)));
    rings_live = true;
}

/* Orders this CPU's earlier stores to the rings before its later loads, as
 * the monitor sees them. */
static void shared_memory_barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!(SHARED_LOAD(area.header.flags) & STDIO_FLAG_CPU_FENCE))
        (void)inb(doorbell_port); /* QEMU takes a lock for the access: a host barrier */
}

static void notify_monitor(void) { outb(doorbell_port, DOORBELL_STDIO_NOTIFY); }

/* After the guest produced (or consumed) bytes: the monitor is told if it
 * sleeps waiting for them (or for room). */
static void notify_if_waiting(u32 *waiting_flag)
{
    shared_memory_barrier();
    if (SHARED_LOAD(*waiting_flag)) {
        SHARED_STORE(*waiting_flag, 0);
        notify_monitor();
    }
}

/* Says that this side sleeps, then looks again: a change the monitor made
 * before it saw the flag is seen here. */
static void announce_sleep(u32 *waiting_flag)
{
    SHARED_STORE(*waiting_flag, 1);
    shared_memory_barrier();
}

/* ---- output: stdout and stderr ---- */

static ssize_t ring_write(enum stdio_ring_index index, struct file *f, const char __user *buf, size_t len)
{
    struct ring_control *control = &area.header.ring[index];
    struct ring_state *state = &rings[index];
    u8 *data = area.data[index];
    size_t done = 0;
    ssize_t result = 0;
    u64 flags = spin_lock_irqsave(&state->lock);
    while (done < len) {
        if (SHARED_LOAD(control->closed)) {
            result = -EPIPE;
            break;
        }
        u32 producer = control->producer;
        u32 room = STDIO_RING_SIZE - (producer - SHARED_LOAD(control->consumer));
        if (room == 0) {
            if (f->flags & O_NONBLOCK) {
                result = -EAGAIN;
                break;
            }
            notify_if_waiting(&control->consumer_waiting);
            announce_sleep(&control->producer_waiting);
            if (producer - SHARED_LOAD(control->consumer) < STDIO_RING_SIZE || SHARED_LOAD(control->closed))
                continue;
            int err = wait_sleep(&state->wait, &state->lock, WAIT_NO_DEADLINE);
            if (err) {
                result = err;
                break;
            }
            continue;
        }
        u32 offset = producer % STDIO_RING_SIZE;
        size_t chunk = MIN(MIN(len - done, (size_t)room), (size_t)(STDIO_RING_SIZE - offset));
        if (copy_from_user(data + offset, buf + done, chunk)) {
            result = -EFAULT;
            break;
        }
        SHARED_STORE(control->producer, producer + (u32)chunk);
        done += chunk;
    }
    if (done)
        notify_if_waiting(&control->consumer_waiting);
    spin_unlock_irqrestore(&state->lock, flags);
    if (result == -EPIPE)
        signal_send_from_current(current_task(), SIGPIPE);
    return done ? (ssize_t)done : result;
}

static unsigned ring_poll_output(enum stdio_ring_index index, struct file *f, struct poll_table *table)
{
    struct ring_control *control = &area.header.ring[index];
    struct ring_state *state = &rings[index];
    poll_wait(f, &state->wait, table);
    u64 flags = spin_lock_irqsave(&state->lock);
    if (control->producer - SHARED_LOAD(control->consumer) == STDIO_RING_SIZE)
        announce_sleep(&control->producer_waiting);
    unsigned events = 0;
    if (SHARED_LOAD(control->closed))
        events = POLLOUT | POLLWRNORM | POLLERR;
    else if (control->producer - SHARED_LOAD(control->consumer) < STDIO_RING_SIZE)
        events = POLLOUT | POLLWRNORM;
    spin_unlock_irqrestore(&state->lock, flags);
    return events;
}

static ssize_t console_write_user(const char __user *buf, size_t len)
{
    char chunk[256];
    size_t done = 0;
    while (done < len) {
        size_t n = MIN(len - done, sizeof(chunk));
        if (copy_from_user(chunk, buf + done, n))
            return done ? (ssize_t)done : -EFAULT;
        serial_write(COM1, chunk, n);
        done += n;
    }
    return (ssize_t)done;
}

static ssize_t stdout_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    return rings_live ? ring_write(RING_STDOUT, f, buf, len) : console_write_user(buf, len);
}

static ssize_t stderr_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    return rings_live ? ring_write(RING_STDERR, f, buf, len) : console_write_user(buf, len);
}

static unsigned stdout_poll(struct file *f, struct poll_table *table)
{
    return rings_live ? ring_poll_output(RING_STDOUT, f, table) : POLLOUT | POLLWRNORM;
}

static unsigned stderr_poll(struct file *f, struct poll_table *table)
{
    return rings_live ? ring_poll_output(RING_STDERR, f, table) : POLLOUT | POLLWRNORM;
}

/* ---- input: stdin ---- */

static ssize_t stdin_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    if (!rings_live || len == 0)
        return 0;
    struct ring_control *control = &area.header.ring[RING_STDIN];
    struct ring_state *state = &rings[RING_STDIN];
    u64 flags = spin_lock_irqsave(&state->lock);
    u32 consumer = control->consumer;
    u32 available;
    for (;;) {
        bool closed = SHARED_LOAD(control->closed); /* before the index: the monitor closes after its last bytes */
        available = SHARED_LOAD(control->producer) - consumer;
        if (available || closed)
            break;
        if (f->flags & O_NONBLOCK) {
            spin_unlock_irqrestore(&state->lock, flags);
            return -EAGAIN;
        }
        announce_sleep(&control->consumer_waiting);
        if (SHARED_LOAD(control->producer) != consumer || SHARED_LOAD(control->closed))
            continue;
        int err = wait_sleep(&state->wait, &state->lock, WAIT_NO_DEADLINE);
        if (err) {
            spin_unlock_irqrestore(&state->lock, flags);
            return err;
        }
    }
    /* Only the monitor writes the producer index: it cannot claim more than the ring. */
    available = MIN(available, STDIO_RING_SIZE);
    size_t done = 0;
    ssize_t result = 0;
    while (done < len && done < available) {
        u32 offset = (consumer + (u32)done) % STDIO_RING_SIZE;
        size_t chunk = MIN(MIN(len - done, (size_t)(available - done)), (size_t)(STDIO_RING_SIZE - offset));
        if (copy_to_user(buf + done, area.data[RING_STDIN] + offset, chunk)) {
            result = -EFAULT;
            break;
        }
        done += chunk;
    }
    if (done) {
        SHARED_STORE(control->consumer, consumer + (u32)done);
        notify_if_waiting(&control->producer_waiting);
    }
    spin_unlock_irqrestore(&state->lock, flags);
    return done ? (ssize_t)done : result;
}

static unsigned stdin_poll(struct file *f, struct poll_table *table)
{
    if (!rings_live)
        return POLLIN | POLLRDNORM | POLLHUP;
    struct ring_control *control = &area.header.ring[RING_STDIN];
    struct ring_state *state = &rings[RING_STDIN];
    poll_wait(f, &state->wait, table);
    u64 flags = spin_lock_irqsave(&state->lock);
    if (SHARED_LOAD(control->producer) == control->consumer && !SHARED_LOAD(control->closed))
        announce_sleep(&control->consumer_waiting);
    unsigned events = 0;
    bool closed = SHARED_LOAD(control->closed);
    if (SHARED_LOAD(control->producer) != control->consumer)
        events |= POLLIN | POLLRDNORM;
    if (closed)
        events |= POLLHUP; /* as a pipe whose writer has gone */
    spin_unlock_irqrestore(&state->lock, flags);
    return events;
}

static long stream_ioctl(struct file *f, unsigned cmd, u64 arg)
{
    (void)f, (void)cmd, (void)arg;
    return -ENOTTY;
}

static const struct file_ops stdin_ops = {.read = stdin_read, .ioctl = stream_ioctl, .poll = stdin_poll, .stream = true};
static const struct file_ops stdout_ops = {.write = stdout_write, .ioctl = stream_ioctl, .poll = stdout_poll, .stream = true};
static const struct file_ops stderr_ops = {.write = stderr_write, .ioctl = stream_ioctl, .poll = stderr_poll, .stream = true};

/* The monitor's kick: a byte on COM2 means a ring it serves changed (bytes
 * for stdin, room in an output, or a closed end). */
static void stdio_interrupt(struct regs *r)
{
    (void)r;
    while (serial_read_byte(COM2) >= 0)
        ;
    for (int i = 0; i < RING_COUNT; i++)
        wake_up_all(&rings[i].wait);
    apic_eoi();
}

void stdio_devices_init(void)
{
    extern void (*irq_handlers[256])(struct regs *);
    if (rings_live) {
        irq_handlers[VECTOR_STDIO_KICK] = stdio_interrupt;
        ioapic_route(IRQ_COM2, VECTOR_STDIO_KICK);
        serial_interrupt_per_byte(COM2);
        serial_enable_rx_interrupt(COM2);
    }
    char_device_register(DEV_HOST_STDIN, &stdin_ops);
    char_device_register(DEV_HOST_STDOUT, &stdout_ops);
    char_device_register(DEV_HOST_STDERR, &stderr_ops);
}
