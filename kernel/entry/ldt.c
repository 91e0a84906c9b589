/*
 * modify_ldt(2): each address space's local descriptor table, where a
 * program puts code and data segments of its own (16- and 32-bit, DPL 3)
 * and reaches them with selectors that have the table-indicator bit set
 * (index << 3 | 4 | 3). Linux's semantics: arch/x86/kernel/ldt.c.
 *
 * The table belongs to the address space (struct mm): its threads share
 * it, fork copies it, exec starts without one. A change builds a new table
 * and swaps the pointer under mm->ldt_lock, so a CPU that still has the old
 * one loaded reads consistent descriptors until it reloads; switch_to loads
 * the next task's (ldt_load). docs/ldt.md has the design.
 */
#include "cpu.h"
#include "errno.h"
#include "ldt.h"
#include "lib.h"
#include "mm.h"
#include "proc.h"
#include "spinlock.h"
#include "uaccess.h"
#include "user_desc.h"

#define LDT_ENTRY_SIZE 8
#define LDT_DEFAULT_BYTES 128 /* x86-64 Linux's read_default_ldt: that many zero bytes */

/* modify_ldt's functions. */
#define LDT_FUNC_READ 0
#define LDT_FUNC_WRITE_OLD 1 /* the old mode: no `useable` bit; base 0 and limit 0 clear the entry */
#define LDT_FUNC_READ_DEFAULT 2
#define LDT_FUNC_WRITE 0x11

static struct ldt *ldt_alloc(u32 entries)
{
    struct ldt *ldt = kzalloc(sizeof(*ldt) + entries * LDT_ENTRY_SIZE);
    if (ldt)
        ldt->entries = entries;
    return ldt;
}

/* fork: the child gets a copy of the parent's table (the child is not
 * running yet, nothing else can see its mm). */
int ldt_copy(struct mm *child, struct mm *parent)
{
    u64 flags = spin_lock_irqsave(&parent->ldt_lock);
    const struct ldt *old = parent->ldt;
    u32 entries = old ? old->entries : 0;
    spin_unlock_irqrestore(&parent->ldt_lock, flags);
    if (!entries)
        return 0;
    struct ldt *copy = ldt_alloc(entries);
    if (!copy)
        return -ENOMEM;
    /* The parent's table may have been replaced meanwhile by another of
     * its threads: copy whatever is current, as much as fits. */
    flags = spin_lock_irqsave(&parent->ldt_lock);
    old = parent->ldt;
    if (old) {
        u32 n = old->entries < entries ? old->entries : entries;
        memcpy(copy->desc, old->desc, n * LDT_ENTRY_SIZE);
    }
    spin_unlock_irqrestore(&parent->ldt_lock, flags);
    child->ldt = copy;
    return 0;
}

/* The address space is going away (its last task left it or exec replaced
 * it). A CPU still using the table stops first: the null LDT until the
 * next switch loads another. */
void ldt_free(struct mm *mm)
{
    struct ldt *ldt = mm->ldt;
    if (!ldt)
        return;
    mm->ldt = NULL;
    u64 flags = irq_save();
    gdt_unload_ldt(ldt->desc);
    irq_restore(flags);
    kfree(ldt);
}

/* Makes mm's LDT the one this CPU uses (the null LDT for none); interrupts
 * off, as in switch_to. */
void ldt_load(const struct mm *mm)
{
    const struct ldt *ldt = mm ? mm->ldt : NULL;
    if (ldt)
        gdt_load_ldt(ldt->desc, ldt->entries);
    else
        gdt_load_ldt(NULL, 0);
}

/* %ds and %es keep the descriptor they were loaded with until reloaded;
 * after a change to the table, ones that name an LDT entry are reloaded so
 * that the change applies at once (an entry cleared or made not present
 * leaves the register null), as Linux's refresh_ldt_segments. %fs and %gs
 * are reloaded at the next context switch. While the kernel runs, %ds and
 * %es are still the user's. */
static void refresh_ldt_segments(void)
{
    u64 ds, es;
    __asm__ volatile("mov %%ds, %0; mov %%es, %1" : "=r"(ds), "=r"(es));
    if (ds & SELECTOR_LDT_BIT)
        load_user_segment(ds, ds);
    if (es & SELECTOR_LDT_BIT)
        load_user_segment(es, es);
}

/* Every thread of the address space must see the new table before
 * modify_ldt returns. On this CPU that is a reload; a thread running on
 * another CPU would need that CPU to reload too (Linux's flush_ldt by IPI):
 * with one CPU, the others are not running and load the new table when
 * switch_to next picks them. */
static void install_ldt(struct mm *mm)
{
    ldt_load(mm);
    refresh_ldt_segments();
}

static long read_ldt(void __user *ptr, u64 bytecount)
{
    struct mm *mm = current_task()->mm;
    u64 flags = spin_lock_irqsave(&mm->ldt_lock);
    u32 entries = mm->ldt ? mm->ldt->entries : 0;
    spin_unlock_irqrestore(&mm->ldt_lock, flags);
    if (!entries)
        return 0;
    if (bytecount > LDT_ENTRIES * LDT_ENTRY_SIZE)
        bytecount = LDT_ENTRIES * LDT_ENTRY_SIZE;
    /* A snapshot, taken under the lock, goes out without it: copying to
     * the user may fault and sleep. */
    u64 size = (u64)entries * LDT_ENTRY_SIZE;
    u8 *snapshot = kzalloc(size);
    if (!snapshot)
        return -ENOMEM;
    flags = spin_lock_irqsave(&mm->ldt_lock);
    if (mm->ldt) {
        u64 now = (u64)mm->ldt->entries * LDT_ENTRY_SIZE; /* a table only grows */
        memcpy(snapshot, mm->ldt->desc, now < size ? now : size);
    }
    spin_unlock_irqrestore(&mm->ldt_lock, flags);
    u64 copied = size < bytecount ? size : bytecount;
    int err = copy_to_user(ptr, snapshot, copied);
    kfree(snapshot);
    if (err)
        return -EFAULT;
    /* The rest, past the table's end, reads as zeros: bytecount in all. */
    if (copied < bytecount && clear_user((u8 __user *)ptr + copied, bytecount - copied))
        return -EFAULT;
    return (long)bytecount;
}

static long read_default_ldt(void __user *ptr, u64 bytecount)
{
    if (bytecount > LDT_DEFAULT_BYTES)
        bytecount = LDT_DEFAULT_BYTES;
    return clear_user(ptr, bytecount) ? -EFAULT : (long)bytecount;
}

/* Linux's order: the size, the copy, the entry number, conforming code
 * (old mode never, new mode only not present), then clear or build. */
static long write_ldt(const void __user *ptr, u64 bytecount, bool oldmode)
{
    struct user_desc info;
    if (bytecount != sizeof(info))
        return -EINVAL;
    if (copy_from_user(&info, ptr, sizeof(info)))
        return -EFAULT;
    if (info.entry_number >= LDT_ENTRIES)
        return -EINVAL;
    if (info.contents == USER_DESC_CONTENTS_CONFORMING_CODE && (oldmode || !info.seg_not_present))
        return -EINVAL;
    u64 desc = 0; /* the user clears the entry */
    if (!((oldmode && !info.base_addr && !info.limit) || user_desc_is_empty(&info))) {
        if (oldmode)
            info.useable = 0;
        desc = user_desc_encode(&info);
    }

    struct mm *mm = current_task()->mm;
    for (;;) {
        u64 flags = spin_lock_irqsave(&mm->ldt_lock);
        u32 old_entries = mm->ldt ? mm->ldt->entries : 0;
        spin_unlock_irqrestore(&mm->ldt_lock, flags);
        u32 entries = info.entry_number + 1 > old_entries ? info.entry_number + 1 : old_entries;
        struct ldt *new = ldt_alloc(entries);
        if (!new)
            return -ENOMEM;
        flags = spin_lock_irqsave(&mm->ldt_lock);
        struct ldt *old = mm->ldt;
        if ((old ? old->entries : 0) != old_entries) {
            /* Another thread replaced the table meanwhile: size again. */
            spin_unlock_irqrestore(&mm->ldt_lock, flags);
            kfree(new);
            continue;
        }
        if (old)
            memcpy(new->desc, old->desc, old->entries * LDT_ENTRY_SIZE);
        new->desc[info.entry_number] = desc;
        mm->ldt = new;
        install_ldt(mm);
        spin_unlock_irqrestore(&mm->ldt_lock, flags);
        kfree(old);
        return 0;
    }
}

/* The result is an int in a 64-bit register, zero-extended as Linux's
 * (unsigned int) cast makes it: an error comes back to a 64-bit caller as
 * 0xffffffea rather than -22, and syscall(2) does not see an error. */
long sys_modify_ldt(int func, void __user *ptr, u64 bytecount)
{
    long ret;
    switch (func) {
    case LDT_FUNC_READ:
        ret = read_ldt(ptr, bytecount);
        break;
    case LDT_FUNC_WRITE_OLD:
        ret = write_ldt(ptr, bytecount, true);
        break;
    case LDT_FUNC_READ_DEFAULT:
        ret = read_default_ldt(ptr, bytecount);
        break;
    case LDT_FUNC_WRITE:
        ret = write_ldt(ptr, bytecount, false);
        break;
    default:
        ret = -ENOSYS;
        break;
    }
    return (long)(u32)(int)ret;
}
