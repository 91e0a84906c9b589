/* struct user_desc, the segment descriptor user space hands to
 * set_thread_area and modify_ldt, and its translation to and from the
 * 8-byte descriptor the CPU reads (Linux's fill_ldt and its inverse). */
#ifndef SYSGATE_USER_DESC_H
#define SYSGATE_USER_DESC_H

#include "types.h"

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

#define USER_DESC_CONTENTS_EXPAND_DOWN_DATA 1 /* above this, code segments */
#define USER_DESC_CONTENTS_CONFORMING_CODE 3

/* The "empty" descriptor user space passes to clear a slot (Linux's
 * LDT_empty, which looks at every field but lm). */
static inline bool user_desc_is_empty(const struct user_desc *d)
{
    return d->base_addr == 0 && d->limit == 0 && d->contents == 0 && d->read_exec_only == 1 && d->seg_32bit == 0 &&
           d->limit_in_pages == 0 && d->seg_not_present == 1 && d->useable == 0;
}

/* A user data or code segment descriptor, DPL 3, accessed bit set (so that
 * the CPU never writes to it). The lm bit is ignored as on Linux: a 64-bit
 * code segment of the user's own would confuse every check that looks for
 * USER_CS. */
static inline u64 user_desc_encode(const struct user_desc *d)
{
    u64 base = d->base_addr, limit = d->limit;
    u64 type = 1 | ((u64)!d->read_exec_only << 1) | ((u64)d->contents << 2);
    return (limit & 0xffff) | ((base & 0xffffff) << 16) | (type << 40) | (1ul << 44) /* code/data */ |
           (3ul << 45) /* DPL 3 */ | ((u64)!d->seg_not_present << 47) | (((limit >> 16) & 0xf) << 48) |
           ((u64)d->useable << 52) | ((u64)d->seg_32bit << 54) | ((u64)d->limit_in_pages << 55) |
           ((base >> 24) << 56);
}

static inline void user_desc_decode(u64 desc, struct user_desc *d)
{
    *d = (struct user_desc){0};
    d->base_addr = (u32)(((desc >> 16) & 0xffffff) | ((desc >> 56) << 24));
    d->limit = (u32)((desc & 0xffff) | (((desc >> 48) & 0xf) << 16));
    d->read_exec_only = !((desc >> 41) & 1);
    d->contents = (desc >> 42) & 3;
    d->seg_not_present = !((desc >> 47) & 1);
    d->useable = (desc >> 52) & 1;
    d->seg_32bit = (desc >> 54) & 1;
    d->limit_in_pages = (desc >> 55) & 1;
}

#endif
