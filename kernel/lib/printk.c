/* Kernel messages: each goes into the kernel log (lib/log_buf.c), which keeps
 * every level, and to the console when its level is below the console level:
 * the hypervisor console when there is one (the host shows it apart from the
 * program's output), COM1 otherwise. Informational messages stay off the
 * console unless the command line says sysgate.verbose (or Linux's "debug"
 * or loglevel=N), as Linux's "quiet" does; `dmesg` shows them all. */
#include "hypervisor.h"
#include "kernel.h"
#include "lib.h"
#include "printk.h"
#include "serial.h"
#include "x86.h"

#define KERN_SOH '\001' /* the start of a level prefix: KERN_SOH, then the digit */
#define LOGLEVEL_INFO 6 /* a kprintf that names no level */

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;

static void console_write(const char *text, size_t len)
{
    if (hypervisor_present() && hypercall(HYPERVISOR_console_io, CONSOLEIO_write, len, (u64)text, 0, 0) >= 0)
        return;
    serial_write(COM1, text, len);
}

void printk_emit(int facility, int level, char *text, size_t len)
{
    if (len && text[len - 1] == '\n')
        len--;
    log_store(facility, level, text, len);
    if (level >= console_loglevel)
        return;
    text[len] = '\n';
    console_write(text, len + 1);
}

static void vkprintf(const char *fmt, va_list ap)
{
    int level = LOGLEVEL_INFO;
    if (fmt[0] == KERN_SOH && fmt[1] >= '0' && fmt[1] <= '7') {
        level = fmt[1] - '0';
        fmt += 2;
    }
    /* At most LOG_RECORD_MAX - 1 characters, as Linux keeps, and room for the console's newline. */
    char text[LOG_RECORD_MAX];
    int n = vsnprintf(text, sizeof(text), fmt, ap);
    printk_emit(LOG_FACILITY_KERN, level, text, MIN((size_t)n, sizeof(text) - 1));
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
}

void printk_init(void)
{
    if (cmdline_option("quiet"))
        console_loglevel = CONSOLE_LOGLEVEL_QUIET;
    if (kernel_verbose || cmdline_option("debug"))
        console_loglevel = CONSOLE_LOGLEVEL_DEBUG;
    const char *level = cmdline_option("loglevel=");
    if (level && *level >= '0' && *level <= '9')
        console_loglevel = (int)parse_ulong(level, NULL, 10);
    kprintf(KERN_INFO "sysgate kernel: the Linux system-call interface on x86-64, built with gcc " __VERSION__ "\n");
    kprintf(KERN_INFO "Command line: %s\n", kernel_cmdline);
}

void console_verbose(void) { console_loglevel = CONSOLE_LOGLEVEL_MOTORMOUTH; }

noreturn void panic(const char *fmt, ...)
{
    cli();
    console_verbose();
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    kprintf(KERN_ERR "Kernel panic: %s\n", message);
    dump_backtrace((u64)__builtin_frame_address(0));
    machine_crash();
}
