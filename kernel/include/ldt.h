/* The local descriptor table of an address space (modify_ldt(2),
 * kernel/entry/ldt.c), and loading user segment registers safely. */
#ifndef SYSGATE_LDT_H
#define SYSGATE_LDT_H

#include "types.h"

struct mm;

/* An address space's LDT: shared by its threads, copied by fork, gone at
 * exec. Replaced whole on every change (never edited in place), so that a
 * CPU that still has the old one loaded reads a consistent table. */
struct ldt {
    u32 entries;
    u64 desc[];
};

#define LDT_ENTRIES 8192 /* the most a 13-bit selector index can name */

int ldt_copy(struct mm *child, struct mm *parent);
void ldt_free(struct mm *mm);
void ldt_load(const struct mm *mm);

/* Loads a user selector into %ds, %es or %fs. One the descriptor tables
 * refuse (an LDT entry another thread cleared or marked not present) leaves
 * the register null instead, as Linux's loadsegment does: the fault is the
 * kernel's (traps.c applies the fixup), the user sees a null selector. */
#define load_user_segment(seg, selector)                                                \
    do {                                                                                \
        u64 _sel = (selector);                                                          \
        __asm__ volatile("1: movl %k0, %%" #seg "\n"                                    \
                         ".pushsection .text.fixup, \"ax\"\n"                           \
                         "2: xorl %k0, %k0\n"                                           \
                         "   jmp 1b\n"                                                  \
                         ".popsection\n"                                                \
                         ".pushsection __ex_table, \"a\"\n"                             \
                         ".quad 1b, 2b\n"                                               \
                         ".popsection"                                                  \
                         : "+r"(_sel)                                                   \
                         :                                                              \
                         : "memory");                                                   \
    } while (0)

/* The same for the user's %gs, the inactive one while the kernel runs. A
 * fault between the two swapgs finds the user's GS base, which the entry
 * code recognises (entry_64.S, interrupt_from_kernel). */
static inline void load_user_gs(u64 selector)
{
    __asm__ volatile("swapgs\n"
                     "1: movl %k0, %%gs\n"
                     "swapgs\n"
                     ".pushsection .text.fixup, \"ax\"\n"
                     "2: xorl %k0, %k0\n"
                     "   jmp 1b\n"
                     ".popsection\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".quad 1b, 2b\n"
                     ".popsection"
                     : "+r"(selector)
                     :
                     : "memory");
}

#endif
