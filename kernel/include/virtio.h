/*
 * Virtio over memory-mapped registers (the virtio 1.x "virtio-mmio" transport, version 2) and
 * split virtqueues. The register layout, status bits, ring structures and device ids are
 * Linux's UAPI headers, as Debian ships them. QEMU's microvm machine names each transport
 * that has a device plugged in on the kernel command line (virtio_mmio.device=SIZE@BASE:IRQ),
 * which is where the kernel learns of them: it never probes.
 */
#ifndef SYSGATE_VIRTIO_H
#define SYSGATE_VIRTIO_H

#include "spinlock.h"
#include "types.h"
#include "wait.h"

#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

/* Interrupt vectors of the transports, one each, above those of apic.h. */
#define VECTOR_VIRTIO_FIRST 48
#define VIRTIO_MAX_DEVICES 16

struct virtqueue;

/* One request on a queue: buffers the device reads (out) then buffers it writes (in). */
struct virtio_buffer {
    phys_addr_t addr;
    u32 len;
};

/* Called when the device has used a request: from the interrupt handler, or from the waiting
 * caller while interrupts are still off at boot. `len` is how many bytes it wrote. */
typedef void (*virtqueue_complete)(void *token, u32 len);

struct virtqueue {
    struct virtio_device *device;
    u16 index, size;
    struct vring_desc *desc;
    struct vring_avail *avail;
    struct vring_used *used;
    u16 free_head, free_count, last_used;
    void **tokens;               /* by head descriptor: the request's token */
    virtqueue_complete complete;
    struct spinlock lock;        /* the rings, the free list and the requests' completion flags */
    struct wait_queue room;      /* callers waiting for free descriptors */
};

struct virtio_device {
    volatile u8 *regs;
    phys_addr_t base;
    u32 irq;
    u32 device_id;
    bool claimed;                /* a driver set it up */
    struct virtqueue *queues[1]; /* the queues a driver set up, for the interrupt */
};

/* The n-th transport (from 0) with a device of `device_id`, or NULL. */
struct virtio_device *virtio_find(u32 device_id, unsigned n);
/* Resets the device and negotiates features: VIRTIO_F_VERSION_1 and those of `wanted` the
 * device offers, returned in *accepted. 0 or -ENODEV. */
int virtio_device_setup(struct virtio_device *dev, u64 wanted, u64 *accepted);
/* Reads the device's configuration space. */
void virtio_config_read(struct virtio_device *dev, u32 offset, void *buf, size_t len);
/* Sets up queue `index` with up to `max_size` descriptors. 0, -ENOMEM or -ENODEV. */
int virtqueue_setup(struct virtio_device *dev, u16 index, u16 max_size, virtqueue_complete complete,
                    struct virtqueue **out);
/* DRIVER_OK: the device may use its queues; its interrupt is routed. */
void virtio_device_ready(struct virtio_device *dev);

/*
 * Submits a request and waits until `*done` (which the completion callback sets, under
 * vq->lock) is true: asleep on `wait`, woken by the callback, once the scheduler runs; before
 * that (interrupts off at boot) by reaping the used ring itself. A signal does not end the
 * wait: the device owns the buffers until it answers.
 */
void virtqueue_transact(struct virtqueue *vq, const struct virtio_buffer *bufs, unsigned out, unsigned in,
                        void *token, volatile bool *done, struct wait_queue *wait);

/* Between the transport and the rings (virtio_mmio.c, virtqueue.c). */
int virtqueue_init(struct virtqueue *vq, struct virtio_device *dev, u16 index, u16 size, virtqueue_complete complete);
void virtqueue_reap(struct virtqueue *vq); /* hands used requests to the callback */
void virtio_notify(struct virtqueue *vq);

/* From now on a request's caller sleeps until the interrupt; before, it reaps the ring. */
void virtio_scheduler_started(void);

#endif
