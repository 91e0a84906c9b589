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

/* Sets one of t's TLS descriptors from a user's struct user_desc (also for
 * clone's CLONE_SETTLS from a 32-bit program). */
long tls_set(struct task *t, struct user_desc __user *uinfo)
{
    struct user_desc d;
    if (copy_from_user(&d, uinfo, sizeof(d)))
        return -EFAULT;
    u32 index = d.entry_number;
    if (index == (u32)-1) {
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
    t->tls[index - TLS_FIRST] = desc_is_empty(&d) ? 0 : encode_descriptor(&d);
    return 0;
}

long sys_set_thread_area(struct user_desc __user *uinfo)
{
    long err = tls_set(current_task(), uinfo);
    if (!err)
        gdt_load_tls(current_task()->tls);
    return err;
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

long sys_get_thread_area(struct user_desc __user *uinfo)
{
    u32 index;
    if (get_user(index, &uinfo->entry_number))
        return -EFAULT;
    if (index < TLS_FIRST || index >= TLS_FIRST + TLS_COUNT)
        return -EINVAL;
    struct user_desc d;
    u64 desc = current_task()->tls[index - TLS_FIRST];
    if (desc)
        decode_descriptor(desc, &d);
    else
        d = (struct user_desc){.read_exec_only = 1, .seg_not_present = 1};
    d.entry_number = index;
    return copy_to_user(uinfo, &d, sizeof(d));
}
