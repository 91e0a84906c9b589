/* Guest RAM shared with QEMU, and guest-virtual access through the guest's page tables. */
#ifndef SYSGATE_GUESTMEM_H
#define SYSGATE_GUESTMEM_H

#include <stdbool.h>
#include <stdint.h>

/* Guest RAM is a memfd of `size` bytes that QEMU maps as its RAM backend (share=on) and
   the monitor maps too: guest-physical address P is offset P of the file. */
struct guest_memory {
    int fd;
    uint8_t *base;
    uint64_t size;
};

/* Creates, sizes, seals and maps the RAM file; exits 125 on failure. The fd is
   close-on-exec; qemu.c hands it to QEMU explicitly. */
void guest_memory_create(struct guest_memory *memory, uint64_t size);

/* Host pointer to [physical, physical + length) when the whole range is inside guest RAM,
   else NULL. Overflow-safe: every guest-supplied address goes through here. */
void *guest_physical_range(const struct guest_memory *memory, uint64_t physical, uint64_t length);

/* A guest-virtual address space: the 4-level page tables at cr3 (bits 51:12; PCID and
   flag bits ignored). `user` demands the user bit at every level, as a user-mode access
   would (privcmd calls: mailbox flags bit 0). */
struct guest_address_space {
    const struct guest_memory *memory;
    uint64_t cr3;
    bool user;
};

enum guest_access { GUEST_READ, GUEST_WRITE };

/* Translates one virtual address. On success stores the physical address and the number
   of bytes left in its page (4 KiB, 2 MiB or 1 GiB) and returns 0; returns -EFAULT for a
   non-canonical address, a page-table page outside RAM, a non-present entry, a missing
   user bit (user spaces) or a missing writable bit (writes). */
int guest_translate(const struct guest_address_space *space, uint64_t virtual_address,
                    enum guest_access access, uint64_t *physical, uint64_t *bytes_in_page);

/* Copies between the monitor and guest-virtual memory, page by page, checking every page
   and every physical range. Returns 0 or -EFAULT; copy_to checks the whole range before
   writing anything, so on -EFAULT guest memory is unchanged. */
int guest_copy_from_virtual(const struct guest_address_space *space, void *destination,
                            uint64_t virtual_address, uint64_t length);
int guest_copy_to_virtual(const struct guest_address_space *space, uint64_t virtual_address,
                          const void *source, uint64_t length);

#endif
