/*
 * The virtio-mmio transport (virtio 1.x, register layout version 2). QEMU's microvm machine
 * appends "virtio_mmio.device=512@0xfeb00e00:12" to the kernel command line for each of its
 * transports that has a device plugged in, as Linux's virtio_mmio driver reads it; the
 * monitor asks QEMU for the modern layout (virtio-mmio.force-legacy=false), so version 1
 * (legacy) transports are refused with a message rather than driven half-right.
 *
 * Each transport's interrupt line is an ISA-style line of the I/O APIC, routed to a vector of
 * its own; the handler acknowledges the interrupt, then hands every used request of the
 * device's queues to the queue's completion callback (kernel/drivers/virtqueue.c).
 */
#include "apic.h"
#include "cpu.h"
#include "errno.h"
#include "ioapic.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "printk.h"
#include "virtio.h"

#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_MMIO_VERSION_MODERN 2
#define CMDLINE_WORD "virtio_mmio.device="
#define IOAPIC_PINS 24

static struct virtio_device devices[VIRTIO_MAX_DEVICES];
static unsigned device_count;

static u32 reg_read(struct virtio_device *dev, u32 offset) { return *(volatile u32 *)(dev->regs + offset); }
static void reg_write(struct virtio_device *dev, u32 offset, u32 value) { *(volatile u32 *)(dev->regs + offset) = value; }

static void virtio_interrupt(struct regs *r)
{
    (void)r;
    for (unsigned i = 0; i < device_count; i++) {
        struct virtio_device *dev = &devices[i];
        if (!dev->claimed)
            continue;
        u32 status = reg_read(dev, VIRTIO_MMIO_INTERRUPT_STATUS);
        if (!status)
            continue;
        reg_write(dev, VIRTIO_MMIO_INTERRUPT_ACK, status);
        /* Reaped after the acknowledgement, so a request used meanwhile raises the line again. */
        for (size_t q = 0; q < ARRAY_SIZE(dev->queues); q++)
            if (dev->queues[q])
                virtqueue_reap(dev->queues[q]);
    }
    apic_eoi();
}

/* "SIZE@BASE:IRQ" with Linux's memparse suffixes on SIZE (QEMU writes 512). */
static bool parse_device_word(const char *word, u64 *size, u64 *base, u32 *irq)
{
    const char *p;
    *size = parse_ulong(word, &p, 0);
    if (*p == 'K' || *p == 'k')
        *size <<= 10, p++;
    if (*p++ != '@')
        return false;
    *base = parse_ulong(p, &p, 0);
    if (*p++ != ':')
        return false;
    *irq = (u32)parse_ulong(p, &p, 0);
    return (*p == ' ' || *p == '\0' || *p == ':') && *size >= VIRTIO_MMIO_CONFIG && *irq < IOAPIC_PINS;
}

static void probe(u64 size, u64 base, u32 irq)
{
    if (device_count == VIRTIO_MAX_DEVICES) {
        kprintf(KERN_WARN "virtio-mmio: more than %d transports, 0x%lx ignored\n", VIRTIO_MAX_DEVICES, base);
        return;
    }
    struct virtio_device *dev = &devices[device_count];
    dev->regs = map_mmio(base, size);
    dev->base = base;
    dev->irq = irq;
    if (reg_read(dev, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC) {
        kprintf(KERN_WARN "virtio-mmio: no transport at 0x%lx\n", base);
        return;
    }
    u32 version = reg_read(dev, VIRTIO_MMIO_VERSION);
    dev->device_id = reg_read(dev, VIRTIO_MMIO_DEVICE_ID);
    if (version != VIRTIO_MMIO_VERSION_MODERN) {
        kprintf(KERN_WARN "virtio-mmio: 0x%lx has register layout version %u, only %u is supported\n", base,
                version, VIRTIO_MMIO_VERSION_MODERN);
        return;
    }
    if (dev->device_id == 0)
        return; /* a transport with nothing behind it */
    kprintf(KERN_INFO "virtio-mmio: device %u at 0x%lx, IRQ %u\n", dev->device_id, base, irq);
    device_count++;
}

/* Reads the transports' words off the command line; called once, early, before any driver. */
static void probe_command_line(void)
{
    static bool probed;
    if (probed)
        return;
    probed = true;
    size_t word_len = strlen(CMDLINE_WORD);
    for (const char *p = kernel_cmdline; p && *p;) {
        if (!strncmp(p, CMDLINE_WORD, word_len)) {
            u64 size, base;
            u32 irq;
            if (parse_device_word(p + word_len, &size, &base, &irq))
                probe(size, base, irq);
            else
                kprintf(KERN_WARN "virtio-mmio: cannot parse %s\n", p);
        }
        p = strchr(p, ' ');
        if (p)
            p++;
    }
}

struct virtio_device *virtio_find(u32 device_id, unsigned n)
{
    probe_command_line();
    for (unsigned i = 0; i < device_count; i++)
        if (devices[i].device_id == device_id && n-- == 0)
            return &devices[i];
    return NULL;
}

static void set_status(struct virtio_device *dev, u32 bits)
{
    reg_write(dev, VIRTIO_MMIO_STATUS, reg_read(dev, VIRTIO_MMIO_STATUS) | bits);
}

int virtio_device_setup(struct virtio_device *dev, u64 wanted, u64 *accepted)
{
    reg_write(dev, VIRTIO_MMIO_STATUS, 0); /* reset */
    set_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    set_status(dev, VIRTIO_CONFIG_S_DRIVER);
    u64 offered = 0;
    for (u32 half = 0; half < 2; half++) {
        reg_write(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, half);
        offered |= (u64)reg_read(dev, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * half);
    }
    u64 mandatory = 1ull << VIRTIO_F_VERSION_1;
    if (!(offered & mandatory)) {
        set_status(dev, VIRTIO_CONFIG_S_FAILED);
        return -ENODEV;
    }
    u64 chosen = offered & (wanted | mandatory);
    for (u32 half = 0; half < 2; half++) {
        reg_write(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, half);
        reg_write(dev, VIRTIO_MMIO_DRIVER_FEATURES, (u32)(chosen >> (32 * half)));
    }
    set_status(dev, VIRTIO_CONFIG_S_FEATURES_OK);
    if (!(reg_read(dev, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK)) {
        set_status(dev, VIRTIO_CONFIG_S_FAILED);
        return -ENODEV;
    }
    dev->claimed = true;
    *accepted = chosen;
    return 0;
}

void virtio_config_read(struct virtio_device *dev, u32 offset, void *buf, size_t len)
{
    /* Byte by byte: the generation counter is moot for the read-once configurations used here. */
    for (size_t i = 0; i < len; i++)
        ((u8 *)buf)[i] = *(volatile u8 *)(dev->regs + VIRTIO_MMIO_CONFIG + offset + i);
}

static void write_address(struct virtio_device *dev, u32 low_reg, u32 high_reg, phys_addr_t address)
{
    reg_write(dev, low_reg, (u32)address);
    reg_write(dev, high_reg, (u32)(address >> 32));
}

int virtqueue_setup(struct virtio_device *dev, u16 index, u16 max_size, virtqueue_complete complete,
                    struct virtqueue **out)
{
    if (index >= ARRAY_SIZE(dev->queues))
        return -ENODEV;
    reg_write(dev, VIRTIO_MMIO_QUEUE_SEL, index);
    if (reg_read(dev, VIRTIO_MMIO_QUEUE_READY))
        return -ENODEV;
    u32 device_max = reg_read(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (device_max == 0)
        return -ENODEV;
    u16 size = (u16)MIN(device_max, max_size);
    struct virtqueue *vq = kzalloc(sizeof(*vq));
    if (!vq)
        return -ENOMEM;
    int err = virtqueue_init(vq, dev, index, size, complete);
    if (err) {
        kfree(vq);
        return err;
    }
    reg_write(dev, VIRTIO_MMIO_QUEUE_NUM, size);
    write_address(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, VIRTIO_MMIO_QUEUE_DESC_HIGH, virt_to_phys(vq->desc));
    write_address(dev, VIRTIO_MMIO_QUEUE_AVAIL_LOW, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, virt_to_phys(vq->avail));
    write_address(dev, VIRTIO_MMIO_QUEUE_USED_LOW, VIRTIO_MMIO_QUEUE_USED_HIGH, virt_to_phys(vq->used));
    reg_write(dev, VIRTIO_MMIO_QUEUE_READY, 1);
    dev->queues[index] = vq;
    *out = vq;
    return 0;
}

void virtio_device_ready(struct virtio_device *dev)
{
    extern void (*irq_handlers[256])(struct regs *);
    unsigned vector = VECTOR_VIRTIO_FIRST + (unsigned)(dev - devices);
    irq_handlers[vector] = virtio_interrupt;
    ioapic_route(dev->irq, (u8)vector);
    set_status(dev, VIRTIO_CONFIG_S_DRIVER_OK);
}

void virtio_notify(struct virtqueue *vq) { reg_write(vq->device, VIRTIO_MMIO_QUEUE_NOTIFY, vq->index); }
