/*
 * Split virtqueues (virtio 1.x, 2.6): a descriptor table, the ring of requests offered to
 * the device (avail) and the ring of those it has used. A request is a chain of descriptors,
 * the device-readable ones first; its head descriptor's index names it, and the token
 * stored under that index is what the completion callback receives.
 *
 * The rings are shared with the device, so the order of the stores matters: a descriptor
 * is complete before its index enters the avail ring, and the ring's index is published
 * before the device is notified. x86 keeps stores in order; the fences keep the compiler
 * from reordering them.
 */
#include "errno.h"
#include "lib.h"
#include "mm.h"
#include "printk.h"
#include "proc.h"
#include "virtio.h"
#include "x86.h"

#define DESC_END 0xffff /* no next free descriptor */

static bool can_sleep; /* the scheduler runs: waiters sleep, the interrupt wakes them */

void virtio_scheduler_started(void) { can_sleep = true; }

int virtqueue_init(struct virtqueue *vq, struct virtio_device *dev, u16 index, u16 size, virtqueue_complete complete)
{
    /* One page per part holds a ring of up to 256 descriptors, which the caller's size respects. */
    if (size > PAGE_SIZE / sizeof(struct vring_desc))
        size = PAGE_SIZE / sizeof(struct vring_desc);
    phys_addr_t desc = page_alloc(), avail = page_alloc(), used = page_alloc();
    vq->tokens = kzalloc(size * sizeof(void *));
    if (!desc || !avail || !used || !vq->tokens) {
        if (desc)
            page_free(desc);
        if (avail)
            page_free(avail);
        if (used)
            page_free(used);
        kfree(vq->tokens);
        return -ENOMEM;
    }
    vq->device = dev;
    vq->index = index;
    vq->size = size;
    vq->desc = phys_to_virt(desc);
    vq->avail = phys_to_virt(avail);
    vq->used = phys_to_virt(used);
    vq->complete = complete;
    for (u16 i = 0; i < size; i++)
        vq->desc[i].next = (u16)(i + 1 < size ? i + 1 : DESC_END);
    vq->free_head = 0;
    vq->free_count = size;
    return 0;
}

/* Called with vq->lock held. */
static void add_chain(struct virtqueue *vq, const struct virtio_buffer *bufs, unsigned out, unsigned in, void *token)
{
    unsigned count = out + in;
    u16 head = vq->free_head, last = head;
    u16 d = head;
    for (unsigned i = 0; i < count; i++) {
        struct vring_desc *desc = &vq->desc[d];
        desc->addr = bufs[i].addr;
        desc->len = bufs[i].len;
        desc->flags = (u16)((i >= out ? VRING_DESC_F_WRITE : 0) | (i + 1 < count ? VRING_DESC_F_NEXT : 0));
        last = d;
        d = desc->next;
    }
    vq->free_head = vq->desc[last].next;
    vq->free_count = (u16)(vq->free_count - count);
    vq->tokens[head] = token;
    u16 avail_index = vq->avail->idx;
    vq->avail->ring[avail_index % vq->size] = head;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the entry before the index that shows it */
    vq->avail->idx = (u16)(avail_index + 1);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the index before the notification */
    virtio_notify(vq);
}

/* The chain from `head` goes back on the free list. */
static void free_chain(struct virtqueue *vq, u16 head)
{
    u16 d = head, count = 1;
    while (vq->desc[d].flags & VRING_DESC_F_NEXT) {
        d = vq->desc[d].next;
        count++;
    }
    vq->desc[d].next = vq->free_head;
    vq->free_head = head;
    vq->free_count = (u16)(vq->free_count + count);
}

void virtqueue_reap(struct virtqueue *vq)
{
    u64 flags = spin_lock_irqsave(&vq->lock);
    bool freed = false;
    for (;;) {
        u16 used_index = *(volatile u16 *)&vq->used->idx;
        if (used_index == vq->last_used)
            break;
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the element after the index that shows it */
        struct vring_used_elem *elem = &vq->used->ring[vq->last_used % vq->size];
        u16 head = (u16)elem->id;
        u32 len = elem->len;
        vq->last_used++;
        if (head >= vq->size || !vq->tokens[head])
            continue; /* a device that names no request of ours: nothing to hand over */
        void *token = vq->tokens[head];
        vq->tokens[head] = NULL;
        free_chain(vq, head);
        freed = true;
        vq->complete(token, len);
    }
    if (freed)
        wake_up_all(&vq->room);
    spin_unlock_irqrestore(&vq->lock, flags);
}

/* Waits, vq->lock held, until `condition` holds; see virtqueue_transact for how. */
static void wait_locked(struct virtqueue *vq, struct wait_queue *q, volatile bool *done, u16 needed, u64 *flags)
{
    while (done ? !*done : vq->free_count < needed) {
        if (!can_sleep) {
            spin_unlock_irqrestore(&vq->lock, *flags);
            cpu_relax();
            virtqueue_reap(vq);
            *flags = spin_lock_irqsave(&vq->lock);
        } else if (wait_sleep(q, &vq->lock, WAIT_NO_DEADLINE)) {
            /* A signal: the device still owns the buffers, so the request is waited for
             * all the same (the caller finishes its call and the signal is delivered then),
             * giving the CPU to others meanwhile, as vfork's parent does. */
            spin_unlock_irqrestore(&vq->lock, *flags);
            schedule();
            *flags = spin_lock_irqsave(&vq->lock);
        }
    }
}

void virtqueue_transact(struct virtqueue *vq, const struct virtio_buffer *bufs, unsigned out, unsigned in,
                        void *token, volatile bool *done, struct wait_queue *wait)
{
    u16 needed = (u16)(out + in);
    if (needed > vq->size)
        panic("virtio: a request of %u buffers on a queue of %u", needed, vq->size); /* a driver's bug */
    u64 flags = spin_lock_irqsave(&vq->lock);
    wait_locked(vq, &vq->room, NULL, needed, &flags);
    add_chain(vq, bufs, out, in, token);
    wait_locked(vq, wait, done, 0, &flags);
    spin_unlock_irqrestore(&vq->lock, flags);
}
