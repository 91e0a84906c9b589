/*
 * Mapping the vDSOs into processes. At boot each image is copied into pages
 * of its own (the 32-bit one patched for this CPU's fastest gate); every
 * process then maps those same pages read-only, as Linux does.
 */
#include "compat.h"
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "vdso.h"
#include "vdso32_offsets.h"
#include "vdso64_offsets.h"
#include "x86.h"

extern const u8 vdso64_image[], vdso64_image_end[], vdso32_image[], vdso32_image_end[];

struct vdso_pages {
    phys_addr_t first;
    size_t count;
};

static struct vdso_pages vvar, vdso64, vdso32;

/* The data page, then the vDSO, one page above the stack of each ABI. */
#define VVAR_ADDR (USER_STACK_TOP + PAGE_SIZE)
#define VDSO64_ADDR (VVAR_ADDR + PAGE_SIZE)
#define VVAR32_ADDR (COMPAT_STACK_TOP + PAGE_SIZE)
#define VDSO32_ADDR (VVAR32_ADDR + PAGE_SIZE)

static struct vdso_pages copy_image(const u8 *start, const u8 *end)
{
    size_t count = ALIGN_UP((size_t)(end - start), PAGE_SIZE) / PAGE_SIZE;
    phys_addr_t first = pages_alloc(count);
    if (!first)
        panic("no memory for the vDSO");
    memset(phys_to_virt(first), 0, count * PAGE_SIZE);
    memcpy(phys_to_virt(first), start, end - start);
    return (struct vdso_pages){first, count};
}

enum vsyscall_kind { VSYSCALL_INT80, VSYSCALL_SYSENTER, VSYSCALL_SYSCALL };
static const char *const vsyscall_names[] = {"int $0x80", "sysenter", "syscall"};

/* Linux's rule: sysenter on Intel (AMD CPUs do not allow it in
 * compatibility mode), syscall on AMD (and Hygon), int $0x80 elsewhere. */
static enum vsyscall_kind choose_vsyscall(void)
{
    switch (this_cpu()->vendor) {
    case VENDOR_INTEL: return VSYSCALL_SYSENTER;
    case VENDOR_AMD: return VSYSCALL_SYSCALL;
    default: return VSYSCALL_INT80;
    }
}

/* Writes `jmp target` (rel32) at `at`, both offsets into an image. */
static void patch_jump(struct vdso_pages image, u32 at, u32 target)
{
    u8 *code = (u8 *)phys_to_virt(image.first) + at;
    s32 rel = (s32)(target - (at + 5));
    code[0] = 0xe9;
    memcpy(code + 1, &rel, sizeof(rel));
}

void vdso_init(void)
{
    vvar = (struct vdso_pages){page_alloc(), 1};
    if (!vvar.first)
        panic("no memory for the vDSO");
    vdso64 = copy_image(vdso64_image, vdso64_image_end);
    vdso32 = copy_image(vdso32_image, vdso32_image_end);

    enum vsyscall_kind kind = choose_vsyscall();
    static const u32 targets[] = {VDSO32_vsyscall_int80, VDSO32_vsyscall_sysenter, VDSO32_vsyscall_syscall};
    BUG_ON(((u8 *)phys_to_virt(vdso32.first))[VDSO32_vsyscall_gate] != 0xe9);
    patch_jump(vdso32, VDSO32_vsyscall_gate, targets[kind]);
    kprintf(KERN_INFO "vdso: __kernel_vsyscall uses %s\n", vsyscall_names[kind]);

    if (!tsc_init(phys_to_virt(vvar.first))) {
        patch_jump(vdso64, VDSO64___vdso_clock_gettime, VDSO64_vdso_clock_gettime_syscall);
        patch_jump(vdso64, VDSO64___vdso_gettimeofday, VDSO64_vdso_gettimeofday_syscall);
        patch_jump(vdso64, VDSO64___vdso_time, VDSO64_vdso_time_syscall);
        patch_jump(vdso32, VDSO32___vdso_clock_gettime, VDSO32_vdso_clock_gettime_syscall);
        patch_jump(vdso32, VDSO32___vdso_clock_gettime64, VDSO32_vdso_clock_gettime64_syscall);
        patch_jump(vdso32, VDSO32___vdso_gettimeofday, VDSO32_vdso_gettimeofday_syscall);
        patch_jump(vdso32, VDSO32___vdso_time, VDSO32_vdso_time_syscall);
    }
}

u64 vdso32_landing_pad(void) { return VDSO32_ADDR + VDSO32_int80_landing_pad; }
u64 vdso32_sigreturn(void) { return VDSO32_ADDR + VDSO32___kernel_sigreturn; }
u64 vdso32_rt_sigreturn(void) { return VDSO32_ADDR + VDSO32___kernel_rt_sigreturn; }

static int map_pages(struct mm *mm, u64 addr, struct vdso_pages pages, u32 prot)
{
    int err = vma_insert(mm, addr, addr + pages.count * PAGE_SIZE, prot, MAP_SHARED | VMA_SPECIAL, NULL, 0);
    if (err)
        return err;
    u64 flags = PTE_USER | (prot & PROT_EXEC ? 0 : supported_pte_nx);
    for (size_t i = 0; i < pages.count; i++) {
        phys_addr_t pa = pages.first + i * PAGE_SIZE;
        err = map_page(mm->pml4, addr + i * PAGE_SIZE, pa, flags);
        if (err)
            return err;
        page_get(pa);
    }
    return 0;
}

int vdso_map(struct mm *mm, bool is32, u64 *ehdr, u64 *vsyscall)
{
    if (is32) {
        *ehdr = VDSO32_ADDR;
        *vsyscall = VDSO32_ADDR + VDSO32___kernel_vsyscall;
        return map_pages(mm, VVAR32_ADDR, vvar, PROT_READ) ?: map_pages(mm, VDSO32_ADDR, vdso32, PROT_READ | PROT_EXEC);
    }
    *ehdr = VDSO64_ADDR;
    *vsyscall = 0;
    return map_pages(mm, VVAR_ADDR, vvar, PROT_READ) ?: map_pages(mm, VDSO64_ADDR, vdso64, PROT_READ | PROT_EXEC);
}
