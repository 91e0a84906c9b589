/*
 * exit0.c - the boot-to-poweroff benchmark program: it does nothing and ends
 * at once, so the time from starting QEMU to QEMU's exit is the cost of
 * booting the kernel, starting one static program and powering off.
 *
 * As PID 1 on Linux, exiting would make the kernel panic ("Attempted to kill
 * init!"), so it powers the machine off with reboot(RB_POWER_OFF). On sysgate
 * the exit of PID 1 itself powers off, so it simply exits. It does not need
 * to know which kernel it is on: when it is PID 1 it tries reboot(), and if
 * that fails (sysgate, or any kernel without the call) it falls back to
 * exit(0). Outside a VM (not PID 1) it just exits 0, so it runs on the host.
 *
 * Build: gcc -static -O2 -o build/bench/exit0 bench/progs/exit0.c
 */
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
    if (getpid() == 1) {
        sync();
        reboot(RB_POWER_OFF);   /* returns only if it failed */
    }
    return 0;
}
