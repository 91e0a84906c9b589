/* What the system says about itself: uname, the host and domain names, getrandom. */
#include "errno.h"
#include "kernel.h"
#include "lib.h"
#include "random.h"
#include "uaccess.h"

struct utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

#define NAME_LEN 64 /* Linux's __NEW_UTS_LEN */

static char host_name[NAME_LEN + 1] = "sysgate";
static char domain_name[NAME_LEN + 1] = "(none)";

/* sysgate implements Linux's interface, so it answers as Linux does; the
 * release names the Linux version whose ABI it follows. */
long sys_uname(struct utsname __user *buf)
{
    struct utsname u;
    memset(&u, 0, sizeof(u));
    strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
    strlcpy(u.nodename, host_name, sizeof(u.nodename));
    strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
    strlcpy(u.version, UTS_VERSION, sizeof(u.version));
    strlcpy(u.machine, "x86_64", sizeof(u.machine));
    strlcpy(u.domainname, domain_name, sizeof(u.domainname));
    return copy_to_user(buf, &u, sizeof(u)) ? -EFAULT : 0;
}

static long set_name(char *name, const char __user *new_name, int len)
{
    if (len < 0 || len > NAME_LEN)
        return -EINVAL;
    char buf[NAME_LEN + 1];
    if (copy_from_user(buf, new_name, (size_t)len))
        return -EFAULT;
    buf[len] = 0;
    memcpy(name, buf, (size_t)len + 1);
    return 0;
}

const char *uts_host_name(void) { return host_name; }
const char *uts_domain_name(void) { return domain_name; }

long sys_sethostname(const char __user *name, int len) { return set_name(host_name, name, len); }
long sys_setdomainname(const char __user *name, int len) { return set_name(domain_name, name, len); }

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

long sys_getrandom(void __user *buf, size_t len, unsigned flags)
{
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
        return -EINVAL;
    len = MIN(len, 33554431ul); /* Linux's cap for one call */
    return random_to_user(buf, len);
}
