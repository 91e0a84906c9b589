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
#include "user_desc.h"

#define TLS_FIRST 12
#define TLS_COUNT 3

/* All zeros but the entry number: what many programs pass to mean "no
 * segment", and Linux clears the slot for it too. */
static bool desc_is_zero(const struct user_desc *d)
{
    return d->base_addr == 0 && d->limit == 0 && d->contents == 0 && d->read_exec_only == 0 && d->seg_32bit == 0 &&
           d->limit_in_pages == 0 && d->seg_not_present == 0 && d->useable == 0;
}

/* Linux's tls_desc_okay: 16-bit segments would need espfix (which only the
 * LDT has), only data segments belong in the TLS slots, and a not-present
 * DPL 3 segment is refused (clearing is the way to remove one). */
static bool desc_is_acceptable(const struct user_desc *d)
{
    if (user_desc_is_empty(d) || desc_is_zero(d))
        return true;
    return d->seg_32bit && d->contents <= USER_DESC_CONTENTS_EXPAND_DOWN_DATA && !d->seg_not_present;
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
    t->tls[index - TLS_FIRST] = user_desc_is_empty(&d) || desc_is_zero(&d) ? 0 : user_desc_encode(&d);
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
        user_desc_decode(desc, &d);
    else
        d = (struct user_desc){.read_exec_only = 1, .seg_not_present = 1};
    d.entry_number = index;
    return copy_to_user(uinfo, &d, sizeof(d)) ? -EFAULT : 0;
}
