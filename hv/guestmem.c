/* Guest RAM and guest-virtual memory access. Nothing here trusts the guest: every entry
   and every address read from guest memory is range-checked before it is used, and page
   table entries are read with single 8-byte loads, because the guest (another vCPU, or a
   hostile kernel) may change them while the monitor walks. */
#define _GNU_SOURCE
#include "guestmem.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

void guest_memory_create(struct guest_memory *memory, uint64_t size)
{
    int fd = memfd_create("sysgate-guest-ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        fail(EXIT_SYSGATE_ERROR, "cannot create guest RAM: memfd_create: %s", strerror(errno));
    if (ftruncate(fd, (off_t)size) != 0)
        fail(EXIT_SYSGATE_ERROR, "cannot size guest RAM to %llu MiB: %s",
             (unsigned long long)(size >> 20), strerror(errno));
    /* The size never changes again: sealing it means no process (QEMU included) can
       shrink the file under the monitor's mapping and turn a guest access into SIGBUS. */
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0)
        fail(EXIT_SYSGATE_ERROR, "cannot seal guest RAM: %s", strerror(errno));
    /* MAP_NORESERVE: pages are allocated when QEMU or the guest touches them, not now. */
    void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
    if (base == MAP_FAILED)
        fail(EXIT_SYSGATE_ERROR, "cannot map guest RAM: %s", strerror(errno));
    memory->fd = fd;
    memory->base = base;
    memory->size = size;
}

void *guest_physical_range(const struct guest_memory *memory, uint64_t physical, uint64_t length)
{
    if (physical > memory->size || length > memory->size - physical)
        return NULL;
    return memory->base + physical;
}

/* x86-64 paging structure entry bits (Intel SDM vol. 3, 4.5). */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITABLE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_LARGE_PAGE (1ull << 7) /* PS: a 1 GiB (PDPTE) or 2 MiB (PDE) page */
#define PTE_ADDRESS_MASK 0x000ffffffffff000ull /* bits 51:12 */

static bool is_canonical(uint64_t address)
{
    /* 4-level paging: bits 63:47 are copies of bit 47 */
    return (uint64_t)((int64_t)(address << 16) >> 16) == address;
}

static bool read_table_entry(const struct guest_memory *memory, uint64_t table,
                             unsigned index, uint64_t *entry)
{
    const uint64_t *slot = guest_physical_range(memory, table + index * 8ull, 8);
    if (!slot)
        return false;
    *entry = __atomic_load_n(slot, __ATOMIC_RELAXED);
    return true;
}

int guest_translate(const struct guest_address_space *space, uint64_t virtual_address,
                    enum guest_access access, uint64_t *physical, uint64_t *bytes_in_page)
{
    if (!is_canonical(virtual_address))
        return -EFAULT;
    uint64_t table = space->cr3 & PTE_ADDRESS_MASK;
    for (int level = 4; level >= 1; level--) {
        unsigned shift = 12 + 9 * (unsigned)(level - 1); /* 39, 30, 21, 12 */
        unsigned index = (unsigned)(virtual_address >> shift) & 511;
        uint64_t entry;
        if (!read_table_entry(space->memory, table, index, &entry))
            return -EFAULT; /* the table itself is outside RAM */
        if (!(entry & PTE_PRESENT))
            return -EFAULT;
        if (space->user && !(entry & PTE_USER))
            return -EFAULT;
        if (access == GUEST_WRITE && !(entry & PTE_WRITABLE))
            return -EFAULT;
        bool large = entry & PTE_LARGE_PAGE;
        if (large && level == 4)
            return -EFAULT; /* PS is reserved in a PML4E: the CPU would fault too */
        if (level == 1 || large) {
            uint64_t page_size = 1ull << shift;
            /* for 2 MiB and 1 GiB pages, bit 12 is PAT, not an address bit */
            uint64_t page_base = entry & PTE_ADDRESS_MASK & ~(page_size - 1);
            uint64_t offset = virtual_address & (page_size - 1);
            *physical = page_base + offset;
            *bytes_in_page = page_size - offset;
            return 0;
        }
        table = entry & PTE_ADDRESS_MASK;
    }
    return -EFAULT; /* not reached */
}

/* Walks [virtual_address, +length) one 4 KiB step at a time (a translation is never
   trusted beyond the 4 KiB page it was made for, whatever the page size), calling `copy`
   for each physical piece. */
static int for_each_guest_piece(const struct guest_address_space *space, uint64_t virtual_address,
                                uint64_t length, enum guest_access access,
                                void (*copy)(void *host, uint64_t done, uint64_t size, void *context),
                                void *context)
{
    if (length == 0)
        return 0;
    if (virtual_address + (length - 1) < virtual_address)
        return -EFAULT; /* wraps around the address space */
    uint64_t done = 0;
    while (done < length) {
        uint64_t address = virtual_address + done;
        uint64_t physical, in_page;
        int error = guest_translate(space, address, access, &physical, &in_page);
        if (error)
            return error;
        uint64_t to_page_end = 4096 - (address & 4095);
        uint64_t size = length - done;
        if (size > to_page_end)
            size = to_page_end;
        if (size > in_page)
            size = in_page;
        void *host = guest_physical_range(space->memory, physical, size);
        if (!host)
            return -EFAULT; /* the page points outside RAM */
        copy(host, done, size, context);
        done += size;
    }
    return 0;
}

static void copy_out_of_guest(void *host, uint64_t done, uint64_t size, void *destination)
{
    memcpy((uint8_t *)destination + done, host, size);
}

static void copy_into_guest(void *host, uint64_t done, uint64_t size, void *source)
{
    memcpy(host, (const uint8_t *)source + done, size);
}

int guest_copy_from_virtual(const struct guest_address_space *space, void *destination,
                            uint64_t virtual_address, uint64_t length)
{
    return for_each_guest_piece(space, virtual_address, length, GUEST_READ,
                                copy_out_of_guest, destination);
}

static void check_only(void *host, uint64_t done, uint64_t size, void *context)
{
    (void)host, (void)done, (void)size, (void)context;
}

int guest_copy_to_virtual(const struct guest_address_space *space, uint64_t virtual_address,
                          const void *source, uint64_t length)
{
    /* Check the whole range first so that a bad page at the end does not leave a
       half-written buffer behind. */
    int error = for_each_guest_piece(space, virtual_address, length, GUEST_WRITE, check_only, NULL);
    if (error)
        return error;
    return for_each_guest_piece(space, virtual_address, length, GUEST_WRITE,
                                copy_into_guest, (void *)source);
}
