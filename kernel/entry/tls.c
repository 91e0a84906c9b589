/*
 * set_thread_area and get_thread_area: the three GDT slots (selectors 0x63,
 * 0x6b, 0x73) that 32-bit programs point %gs at for thread-local storage.
 * Each task has its own three descriptors; the scheduler loads them.
 */
#include "cpu.h"
#include "errno.h"
#include "lib.h"
#include "proc.h"
#include "uaccess.h"

struct user_desc {
    u32 entry_number;
    u32 base_addr;
    u32 limit;
    u32 seg_32bit : 1;
    u32 contents : 2;
    u32 read_exec_only : 1;
    u32 limit_in_pages : 1;
    u32 seg_not_present : 1;
    u32 useable : 1;
    u32 lm : 1;
};

#define TLS_FIRST 12
#define TLS_COUNT 3

/* The "empty" descriptor user space passes to clear a slot. */
static bool desc_is_empty(const struct user_desc *d)
{
    return d->base_addr == 0 && d->limit == 0 && d->contents == 0 && d->read_exec_only == 1 && d->seg_32bit == 0 &&
           d->limit_in_pages == 0 && d->seg_not_present == 1 && d->useable == 0;
}

/* All zeros but the entry number: what many programs pass to mean "no
 * segment", and Linux clears the slot for it too. */
static bool desc_is_zero(const struct user_desc *d)
{
    return d->base_addr == 0 && d->limit == 0 && d->contents == 0 && d->read_exec_only == 0 && d->seg_32bit == 0 &&
           d->limit_in_pages == 0 && d->seg_not_present == 0 && d->useable == 0;
}

#define CONTENTS_EXPAND_DOWN_DATA 1 /* above this, code segments */

/* Linux's tls_desc_okay: 16-bit segments would need espfix (which only the
 * LDT has), only data segments belong in the TLS slots, and a not-present
 * DPL 3 segment is refused (clearing is the way to remove one). */
static bool desc_is_acceptable(const struct user_desc *d)
{
    if (desc_is_empty(d) || desc_is_zero(d))
        return true;
    return d->seg_32bit && d->contents <= CONTENTS_EXPAND_DOWN_DATA && !d->seg_not_present;
}

/* A user data or code segment descriptor, DPL 3, accessed bit set. */
static u64 encode_descriptor(const struct user_desc *d)
{
    u64 base = d->base_addr, limit = d->limit;
    u64 type = 1 | ((u64)!d->read_exec_only << 1) | ((u64)d->contents << 2);
    return (limit & 0xffff) | ((base & 0xffffff) << 16) | (type << 40) | (1ul << 44) /* code/data */ |
           (3ul << 45) /* DPL 3 */ | ((u64)!d->seg_not_present << 47) | (((limit >> 16) & 0xf) << 48) |
           ((u64)d->useable << 52) | ((u64)d->seg_32bit << 54) | ((u64)d->limit_in_pages << 55) |
           ((base >> 24) << 56);
}

static void decode_descriptor(u64 desc, struct user_desc *d)
{
    memset(d, 0, sizeof(*d));
    d->base_addr = (u32)(((desc >> 16) & 0xffffff) | ((desc >> 56) << 24));
    d->limit = (u32)((desc & 0xffff) | (((desc >> 48) & 0xf) << 16));
    d->read_exec_only = !((desc >> 41) & 1);
    d->contents = (desc >> 42) & 3;
    d->seg_not_present = !((desc >> 47) & 1);
    d->useable = (desc >> 52) & 1;
    d->seg_32bit = (desc >> 54) & 1;
    d->limit_in_pages = (desc >> 55) & 1;
}

/* Linux's order of checks: the descriptor first, then the slot. Only
 * set_thread_area may ask for a free slot (entry_number -1); clone's
 * CLONE_SETTLS names one. */
static long tls_set_entry(struct task *t, struct user_desc __user *uinfo, bool can_allocate, u32 *slot)
{
    struct user_desc d;
    if (copy_from_user(&d, uinfo, sizeof(d)))
        return -EFAULT;
    if (!desc_is_acceptable(&d))
        return -EINVAL;
    u32 index = d.entry_number;
    if (index == (u32)-1 && can_allocate) {
        for (index = TLS_FIRST; index < TLS_FIRST + TLS_COUNT; index++)
            if (!t->tls[index - TLS_FIRST])
                break;
        if (index == TLS_FIRST + TLS_COUNT)
            return -ESRCH;
        if (put_user(index, &uinfo->entry_number))
            return -EFAULT;
    }
    if (index < TLS_FIRST || index >= TLS_FIRST + TLS_COUNT)
        return -EINVAL;
    t->tls[index - TLS_FIRST] = desc_is_empty(&d) || desc_is_zero(&d) ? 0 : encode_descriptor(&d);
    *slot = index;
    return 0;
}

/* Sets one of t's TLS descriptors for clone's CLONE_SETTLS from a 32-bit
 * program (a struct user_desc). */
long tls_set(struct task *t, struct user_desc __user *uinfo)
{
    u32 slot;
    return tls_set_entry(t, uinfo, false, &slot);
}

/* A segment register holding the changed selector keeps the old descriptor
 * in its hidden part until reloaded, so Linux reloads it: the new base and
 * limit apply at once. A cleared slot leaves the register null, as Linux's
 * faulting reload does. The user's %gs is the inactive one here. */
static void reload_segments_using(u32 slot, u64 desc)
{
    u16 modified = (u16)(slot << 3 | 3), reload = desc ? modified : 0;
    u16 ds, es, fs, gs;
    u64 flags = irq_save();
    __asm__ volatile("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; swapgs; mov %%gs, %3; swapgs"
                     : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
    if (ds == modified)
        __asm__ volatile("mov %0, %%ds" ::"r"(reload));
    if (es == modified)
        __asm__ volatile("mov %0, %%es" ::"r"(reload));
    if (fs == modified)
        __asm__ volatile("mov %0, %%fs" ::"r"(reload));
    if (gs == modified)
        __asm__ volatile("swapgs; mov %0, %%gs; swapgs" ::"r"(reload));
    irq_restore(flags);
}

long sys_set_thread_area(struct user_desc __user *uinfo)
{
    struct task *t = current_task();
    u32 slot;
    long err = tls_set_entry(t, uinfo, true, &slot);
    if (err)
        return err;
    gdt_load_tls(t->tls);
    reload_segments_using(slot, t->tls[slot - TLS_FIRST]);
    return 0;
}

/* The base address a segment selector gives t, if it names one of t's TLS
 * descriptors; `otherwise` if not. */
u64 tls_selector_base(const struct task *t, u64 selector, u64 otherwise)
{
    u64 index = (selector & 0xffff) >> 3;
    if (index < TLS_FIRST || index >= TLS_FIRST + TLS_COUNT || !t->tls[index - TLS_FIRST])
        return otherwise;
    u64 desc = t->tls[index - TLS_FIRST];
    return ((desc >> 16) & 0xffffff) | ((desc >> 56) << 24);
}

long tls_get(struct task *t, u32 index, void __user *uinfo);

long sys_get_thread_area(struct user_desc __user *uinfo)
{
    u32 index;
    if (get_user(index, &uinfo->entry_number))
        return -EFAULT;
    return tls_get(current_task(), index, uinfo);
}

/* One of t's descriptors as a struct user_desc (get_thread_area, and
 * ptrace's PTRACE_GET_THREAD_AREA for a tracee). */
long tls_get(struct task *t, u32 index, void __user *uinfo)
{
    if (index < TLS_FIRST || index >= TLS_FIRST + TLS_COUNT)
        return -EINVAL;
    struct user_desc d;
    u64 desc = t->tls[index - TLS_FIRST];
    if (desc)
        decode_descriptor(desc, &d);
    else
        d = (struct user_desc){.read_exec_only = 1, .seg_not_present = 1};
    d.entry_number = index;
    return copy_to_user(uinfo, &d, sizeof(d)) ? -EFAULT : 0;
}
