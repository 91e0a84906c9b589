/* Kernel messages go to the hypervisor console when there is one (the host
 * shows them on stderr, apart from the program's output) and to COM1 otherwise.
 * Informational messages are kept quiet unless the command line says
 * sysgate.verbose, as Linux's "quiet" does. */
#include "hypervisor.h"
#include "kernel.h"
#include "lib.h"
#include "serial.h"
#include "x86.h"

static void log_write(const char *text, size_t len)
{
    if (hypervisor_present() && hypercall(HYPERVISOR_console_io, CONSOLEIO_write, len, (u64)text, 0, 0) >= 0)
        return;
    serial_write(COM1, text, len);
}

static void vkprintf(const char *fmt, va_list ap)
{
    int level = 6;
    if (fmt[0] == '\001' && fmt[1]) {
        level = fmt[1] - '0';
        fmt += 2;
    }
    if (level > 4 && !kernel_verbose)
        return;
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    log_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
}

noreturn void panic(const char *fmt, ...)
{
    cli();
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    kprintf(KERN_ERR "Kernel panic: %s\n", message);
    dump_backtrace((u64)__builtin_frame_address(0));
    machine_crash();
}
