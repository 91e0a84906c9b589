/* reboot(2): powering the machine off (or halting it, the same for a
 * virtual machine) ends the guest with status 0 through the hypervisor.
 * Restarting, kexec and suspend are not implemented. */
#include "errno.h"
#include "hypervisor.h"

#define MAGIC1 0xfee1deadu
#define MAGIC2 672274793u
#define MAGIC2A 85072278u
#define MAGIC2B 369367448u
#define MAGIC2C 537993216u

#define CMD_RESTART 0x01234567u
#define CMD_HALT 0xcdef0123u
#define CMD_CAD_ON 0x89abcdefu
#define CMD_CAD_OFF 0x00000000u
#define CMD_POWER_OFF 0x4321fedcu
#define CMD_RESTART2 0xa1b2c3d4u
#define CMD_SW_SUSPEND 0xd000fce2u
#define CMD_KEXEC 0x45584543u

long sys_reboot(u32 magic1, u32 magic2, u32 cmd, void __user *arg)
{
    (void)arg;
    if (magic1 != MAGIC1 || (magic2 != MAGIC2 && magic2 != MAGIC2A && magic2 != MAGIC2B && magic2 != MAGIC2C))
        return -EINVAL;
    switch (cmd) {
    case CMD_CAD_ON:
    case CMD_CAD_OFF:
        return 0; /* a virtual machine has no Ctrl-Alt-Del to route */
    case CMD_HALT:
    case CMD_POWER_OFF:
        machine_poweroff(0);
    case CMD_RESTART:
    case CMD_RESTART2:
    case CMD_KEXEC:
    case CMD_SW_SUSPEND:
        return -ENOSYS;
    default:
        return -EINVAL;
    }
}
