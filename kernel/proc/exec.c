/*
 * execve's core: a fresh address space with the program and its interpreter
 * (binfmt_elf.c) and the initial stack the System V ABI and Linux describe:
 * argc, argv, envp, the auxiliary vector, and the strings and random bytes
 * they point to; #! scripts; execve and execveat.
 */
#include "binfmt.h"
#include "compat.h"
#include "cred.h"
#include "elf.h"
#include "errno.h"
#include "futex.h"
#include "fs.h"
#include "kernel.h"
#include "ldt.h"
#include "lib.h"
#include "mm.h"
#include "mman.h"
#include "proc.h"
#include "ptrace.h"
#include "random.h"
#include "uaccess.h"
#include "vdso.h"
#include "fd.h"
#include "syscall.h"
#include "time.h"
#include "signal.h"
#include "x86.h"

#define MAX_ARG_STRINGS 0x7fffffff
#define MAX_ARG_BYTES (128 * 1024)

/* Pushes bytes below sp and returns the new sp. */
static int push_bytes(struct mm *mm, u64 *sp, const void *data, size_t len)
{
    *sp -= len;
    return copy_to_mm(mm, *sp, data, len);
}

/* The initial stack, as the ABI of the program's class lays it out: argc,
 * argv[], NULL, envp[], NULL, then the auxiliary vector, with the strings,
 * the platform name and 16 random bytes above them. Words are 4 bytes for
 * 32-bit programs and 8 for 64-bit ones. */
static int build_stack(struct mm *mm, const struct loaded_image *img, const struct cred *cred, bool secure,
                       const char *execfn, char *const argv[], char *const envp[], u64 *out_sp)
{
    int argc = 0, envc = 0;
    size_t bytes = 0;
    while (argv[argc])
        bytes += strlen(argv[argc++]) + 1;
    while (envp[envc])
        bytes += strlen(envp[envc++]) + 1;
    if (bytes > MAX_ARG_BYTES)
        return -E2BIG;

    u64 sp = mm->stack_top - sizeof(u64); /* a zero word ends the stack, as on Linux */
    u64 *string_addr = kmalloc((argc + envc) * sizeof(u64) + 1);
    if (!string_addr)
        return -ENOMEM;
    int err = push_bytes(mm, &sp, execfn, strlen(execfn) + 1);
    u64 execfn_addr = sp;
    for (int i = envc - 1; i >= 0 && !err; i--) {
        err = push_bytes(mm, &sp, envp[i], strlen(envp[i]) + 1);
        string_addr[argc + i] = sp;
    }
    u64 args_end = sp;
    for (int i = argc - 1; i >= 0 && !err; i--) {
        err = push_bytes(mm, &sp, argv[i], strlen(argv[i]) + 1);
        string_addr[i] = sp;
    }
    mm->arg_start = sp;
    mm->arg_end = args_end;
    mm->env_start = args_end;
    mm->env_end = execfn_addr;
    const char *platform = img->is32 ? "i686" : "x86_64";
    err = err ?: push_bytes(mm, &sp, platform, strlen(platform) + 1);
    u64 platform_addr = sp;
    u8 random[16];
    random_bytes(random, sizeof(random));
    sp = ALIGN_DOWN(sp, 16);
    err = err ?: push_bytes(mm, &sp, random, sizeof(random));
    u64 random_addr = sp;

    u32 a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    /* Linux's order: its ARCH_DLINFO entries first. AT_IGNORE marks an
     * entry this ABI has not, left out. */
    u64 auxv[][2] = {
        {img->is32 ? AT_SYSINFO : AT_IGNORE, img->vsyscall},
        {AT_SYSINFO_EHDR, img->vdso_ehdr},
        {AT_MINSIGSTKSZ, signal_frame_max_size(img->is32)},
        {AT_HWCAP, d},
        {AT_PAGESZ, PAGE_SIZE},
        {AT_CLKTCK, 100},
        {AT_PHDR, img->phdr},
        {AT_PHENT, img->phent},
        {AT_PHNUM, img->phnum},
        {AT_BASE, img->interp_base},
        {AT_FLAGS, 0},
        {AT_ENTRY, img->program_entry},
        {AT_UID, cred->uid},
        {AT_EUID, cred->euid},
        {AT_GID, cred->gid},
        {AT_EGID, cred->egid},
        {AT_SECURE, secure},
        {AT_RANDOM, random_addr},
        {AT_HWCAP2, 0},
        {AT_EXECFN, execfn_addr},
        {AT_PLATFORM, platform_addr},
        {AT_RSEQ_FEATURE_SIZE, rseq_feature_size()},
        {AT_RSEQ_ALIGN, rseq_alignment()},
        {AT_NULL, 0},
    };
    size_t auxv_words = 0;
    for (size_t i = 0; i < ARRAY_SIZE(auxv); i++)
        auxv_words += auxv[i][0] == AT_IGNORE ? 0 : 2;
    size_t word = img->is32 ? 4 : 8;
    size_t words = 1 + (argc + 1) + (envc + 1) + auxv_words;
    /* The pointer table is written as one block; rsp ends 16-byte aligned. */
    u8 *table = kzalloc(words * word);
    if (!table) {
        kfree(string_addr);
        return -ENOMEM;
    }
    size_t w = 0;
#define PUT_WORD(v)                                                                  \
    do {                                                                             \
        u64 _v = (v);                                                                \
        memcpy(table + (w++) * word, &_v, word);                                     \
    } while (0)
    PUT_WORD((u64)argc);
    for (int i = 0; i < argc; i++)
        PUT_WORD(string_addr[i]);
    PUT_WORD(0);
    for (int i = 0; i < envc; i++)
        PUT_WORD(string_addr[argc + i]);
    PUT_WORD(0);
    for (size_t i = 0; i < ARRAY_SIZE(auxv); i++) {
        if (auxv[i][0] == AT_IGNORE)
            continue;
        PUT_WORD(auxv[i][0]);
        PUT_WORD(auxv[i][1]);
    }
#undef PUT_WORD
    sp = ALIGN_DOWN(sp - words * word, 16);
    err = err ?: copy_to_mm(mm, sp, table, words * word);
    mm->auxv_end = sp + words * word;
    mm->auxv_start = mm->auxv_end - auxv_words * word;
    kfree(table);
    kfree(string_addr);
    *out_sp = sp;
    return err;
}

/* The state fninit and the ABI's MXCSR default give: FCW 0x37f, MXCSR 0x1f80. */
void fpu_reset(struct task *t)
{
    fpu_set_initial(t->fpu);
    if (t == current_task())
        fpu_restore(t->fpu);
}

/* Replaces the current task's program. Strings are kernel copies. */
int exec_program(struct task *t, struct regs *r, const char *path, char *const argv[], char *const envp[])
{
    struct inode *file;
    int err = path_lookup(t->fs ? t->fs->cwd : NULL, path, true, &file);
    if (err)
        return err;
    if (!S_ISREG(file->mode))
        return -EACCES;
    err = inode_permission(file, MAY_EXEC);
    if (err)
        return err;
    bool secure = false;
    struct cred *cred = cred_for_exec(file, &secure);
    if (!cred)
        return -ENOMEM;
    struct mm *mm = mm_create();
    if (!mm) {
        cred_put(cred);
        return -ENOMEM;
    }
    struct loaded_image img;
    u64 sp = 0;
    err = elf_load(mm, file, &img);
    if (!err) {
        mm->stack_top = img.is32 ? COMPAT_STACK_TOP : USER_STACK_TOP;
        err = vma_insert(mm, mm->stack_top - USER_STACK_MAX, mm->stack_top, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | VMA_STACK, NULL, 0);
    }
    err = err ?: vdso_map(mm, img.is32, &img.vdso_ehdr, &img.vsyscall);
    err = err ?: build_stack(mm, &img, cred, secure, path, argv, envp, &sp);
    if (err) {
        mm_destroy(mm);
        cred_put(cred);
        /* A caller with a program of its own (not the boot's first exec)
         * would have lost it on Linux by now. */
        if (img.past_point_of_no_return && t == current_task() && t->mm)
            task_exit_group_by_signal(SIGSEGV);
        return err;
    }
    cred_put(t->cred);
    t->cred = cred;
    mm->brk_start = mm->brk = img.brk;

    /* The old image's robust and PI locks end with it, as at exit, and its rseq area. */
    if (t == current_task())
        futex_exit(t);
    rseq_exec(t);
    struct mm *old = t->mm;
    t->mm = mm;
    if (t == current_task())
        write_cr3(mm->pml4);
    if (old) /* a vfork parent may still use it */
        mm_put(old);
    memset(r, 0, sizeof(*r));
    r->rip = img.entry;
    r->rsp = sp;
    r->cs = img.is32 ? USER32_CS : USER_CS;
    r->ss = USER_DS;
    r->rflags = 0x202;
    t->compat = img.is32;
    t->fs_base = 0;
    t->gs_base = 0;
    t->fs_selector = 0;
    t->gs_selector = 0;
    t->ds_selector = USER_DS; /* the old program may have pointed them at its LDT */
    t->es_selector = USER_DS;
    memset(t->tls, 0, sizeof(t->tls));
    fpu_reset(t);
    if (t == current_task()) {
        gdt_load_tls(t->tls);
        ldt_load(t->mm); /* none: a new address space has no LDT */
        __asm__ volatile("mov %0, %%ds; mov %0, %%es" ::"r"((u64)USER_DS));
        __asm__ volatile("mov %0, %%fs; swapgs; mov %0, %%gs; swapgs" ::"r"(0ul));
        wrmsr(MSR_FS_BASE, 0);
        wrmsr(MSR_KERNEL_GS_BASE, 0);
    }
    const char *base = strrchr(path, '/');
    strlcpy(t->comm, base ? base + 1 : path, sizeof(t->comm));
    /* /proc/PID/exe names the file itself, whatever path (or link) reached it. */
    if (inode_full_path(file, t->exe_path, sizeof(t->exe_path)) < 0)
        strlcpy(t->exe_path, path, sizeof(t->exe_path));
    return 0;
}

/* ---- execve ---- */

#define MAX_ARG_COUNT 4096
#define SCRIPT_DEPTH 4

/* The user's argv or envp array (pointers of the caller's ABI) copied into
 * one kernel block: a NULL-terminated pointer array followed by the strings. */
static long copy_string_array(const void __user *array, bool wide, char ***out)
{
    *out = NULL;
    size_t word = wide ? 8 : 4, count = 0, bytes = 0;
    if (array) {
        for (;; count++) {
            u64 p = 0;
            if (count >= MAX_ARG_COUNT)
                return -E2BIG;
            if (copy_from_user(&p, (const u8 __user *)array + count * word, word))
                return -EFAULT;
            if (!p)
                break;
        }
    }
    char **block = kmalloc((count + 1) * sizeof(char *) + MAX_ARG_BYTES);
    if (!block)
        return -ENOMEM;
    char *strings = (char *)(block + count + 1);
    for (size_t i = 0; i < count; i++) {
        u64 p = 0;
        if (copy_from_user(&p, (const u8 __user *)array + i * word, word)) {
            kfree(block);
            return -EFAULT;
        }
        long n = strncpy_from_user(strings + bytes, (const char __user *)p, MAX_ARG_BYTES - bytes);
        if (n < 0) {
            kfree(block);
            return n == -ENAMETOOLONG ? -E2BIG : n;
        }
        block[i] = strings + bytes;
        bytes += (size_t)n + 1;
    }
    block[count] = NULL;
    *out = block;
    return (long)count;
}

/* "#!interpreter [one argument]": returns 1 and fills the two strings when
 * the file is a script, 0 when it is not, or a negative errno. */
static int parse_shebang(struct inode *file, char *interp, char *arg)
{
    char head[256];
    ssize_t got = kernel_read(file, 0, head, sizeof(head));
    if (got < 0)
        return (int)got;
    if (got < 2 || head[0] != '#' || head[1] != '!')
        return 0;
    size_t end = 2;
    while (end < (size_t)got && head[end] != '\n')
        end++;
    char line[257];
    memcpy(line, head + 2, end - 2);
    line[end - 2] = 0;
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    char *name = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (*p)
        *p++ = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t arg_len = strlen(p);
    while (arg_len && (p[arg_len - 1] == ' ' || p[arg_len - 1] == '\t'))
        p[--arg_len] = 0;
    if (!*name)
        return -ENOEXEC;
    strlcpy(interp, name, PATH_MAX);
    strlcpy(arg, p, PATH_MAX);
    return 1;
}

void files_close_on_exec(struct files *files);

long do_execve(struct regs *r, const char *path, char **argv, char **envp)
{
    struct task *t = current_task();
    char *interp = kmalloc(PATH_MAX), *interp_arg = kmalloc(PATH_MAX);
    char **script_argv = kmalloc((MAX_ARG_COUNT + 4) * sizeof(char *));
    char *current_path = kmalloc(PATH_MAX);
    long err = interp && interp_arg && script_argv && current_path ? 0 : -ENOMEM;
    if (!err)
        strlcpy(current_path, path, PATH_MAX);
    for (int depth = 0; !err; depth++) {
        struct inode *file;
        err = path_lookup(t->fs ? t->fs->cwd : NULL, current_path, true, &file);
        if (err)
            break;
        int script = S_ISREG(file->mode) && !inode_permission(file, MAY_EXEC) ? parse_shebang(file, interp, interp_arg) : 0;
        if (script < 0) {
            err = script;
            break;
        }
        if (!script) {
            err = exec_program(t, r, current_path, argv, envp);
            break;
        }
        if (depth == SCRIPT_DEPTH) {
            err = -ELOOP;
            break;
        }
        /* interpreter [arg] script-path original-argv[1...] */
        int n = 0;
        script_argv[n++] = interp;
        if (*interp_arg)
            script_argv[n++] = interp_arg;
        script_argv[n++] = current_path;
        for (int i = 1; argv[i] && n < MAX_ARG_COUNT + 2; i++)
            script_argv[n++] = argv[i];
        script_argv[n] = NULL;
        /* The interpreter becomes the file to run; its arguments stay in
         * script_argv, whose strings live in buffers that survive the loop. */
        char *swap = current_path;
        current_path = interp;
        interp = swap;
        argv = script_argv;
        if (depth > 0) {
            err = -ELOOP; /* an interpreter that is itself a script: Linux allows a few; keep it simple */
            break;
        }
    }
    if (!err) {
        task_end_other_threads();
        files_close_on_exec(t->files);
        signals_reset_on_exec(t);
        posix_timers_exit(t->group_leader);
        if (t->vfork_parent_waiting) {
            t->vfork_parent_waiting = false;
            wake_up_all(&t->vfork_done);
        }
        if (unlikely(t->ptracer))
            ptrace_exec_notify();
    }
    kfree(interp);
    kfree(interp_arg);
    kfree(script_argv);
    kfree(current_path);
    return err;
}

#define AT_FDCWD -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000

/* execve and execveat: the file named by dirfd and path (execveat's flags:
 * AT_EMPTY_PATH runs the file dirfd is, AT_SYMLINK_NOFOLLOW refuses a
 * symbolic link), with argv and envp in the caller's ABI. A file named
 * relative to a descriptor is run through /proc/self/fd, as Linux's
 * /dev/fd/N names it, so that a script's interpreter can open it. An empty
 * argv becomes one empty argument, as Linux (5.18 on) gives the program. */
static long exec_at(struct regs *r, int dirfd, const char __user *upath, const void __user *uargv,
                    const void __user *uenvp, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    bool wide = !in_compat_syscall();
    char *given = kmalloc(PATH_MAX), *path = kmalloc(PATH_MAX);
    long err = given && path ? 0 : -ENOMEM;
    long n = err ? 0 : strncpy_from_user(given, upath, PATH_MAX);
    if (!err && n < 0)
        err = n;
    else if (!err && n == 0 && !(flags & AT_EMPTY_PATH))
        err = -ENOENT;
    if (!err) {
        if (given[0] == '/' || dirfd == AT_FDCWD)
            strlcpy(path, n ? given : ".", PATH_MAX);
        else if (n == 0)
            snprintf(path, PATH_MAX, "/proc/self/fd/%d", dirfd);
        else
            snprintf(path, PATH_MAX, "/proc/self/fd/%d/%s", dirfd, given);
        struct file *dir = dirfd != AT_FDCWD && given[0] != '/' ? fdget_raw(dirfd) : NULL;
        if (dirfd != AT_FDCWD && given[0] != '/' && !dir)
            err = -EBADF;
        fdput(dir);
    }
    /* The file is found and checked before the arguments are read, as by
     * Linux's alloc_bprm: a missing file is ENOENT whatever argv is. */
    if (!err) {
        struct inode *file;
        err = path_lookup(current_task()->fs ? current_task()->fs->cwd : NULL, path,
                          !(flags & AT_SYMLINK_NOFOLLOW), &file);
        if (!err)
            err = S_ISLNK(file->mode) ? -ELOOP : !S_ISREG(file->mode) ? -EACCES : inode_permission(file, MAY_EXEC);
    }
    char **argv = NULL, **envp = NULL;
    if (!err)
        err = copy_string_array(uargv, wide, &argv);
    if (err >= 0)
        err = copy_string_array(uenvp, wide, &envp);
    if (err >= 0) {
        char *empty_argv[] = {"", NULL};
        err = do_execve(r, path, argv[0] ? argv : empty_argv, envp);
    }
    kfree(given);
    kfree(path);
    kfree(argv);
    kfree(envp);
    return err;
}

long sys_execve(struct regs *r)
{
    u64 a[6];
    long err = syscall_args(r, a);
    return err ? err : exec_at(r, AT_FDCWD, (const char __user *)a[0], (const void __user *)a[1],
                               (const void __user *)a[2], 0);
}

long sys_execveat(struct regs *r)
{
    u64 a[6];
    long err = syscall_args(r, a);
    return err ? err : exec_at(r, (int)a[0], (const char __user *)a[1], (const void __user *)a[2],
                               (const void __user *)a[3], (int)a[4]);
}
