/* What the system says about itself: uname and getrandom. */
#include "errno.h"
#include "lib.h"
#include "random.h"
#include "uaccess.h"

struct utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

/* sysgate implements Linux's interface, so it answers as Linux does; the
 * release names the Linux version whose ABI it follows. */
long sys_uname(struct utsname __user *buf)
{
    struct utsname u;
    memset(&u, 0, sizeof(u));
    strlcpy(u.sysname, "Linux", sizeof(u.sysname));
    strlcpy(u.nodename, "sysgate", sizeof(u.nodename));
    strlcpy(u.release, "6.1.0-sysgate", sizeof(u.release));
    strlcpy(u.version, "#1 SMP sysgate", sizeof(u.version));
    strlcpy(u.machine, "x86_64", sizeof(u.machine));
    strlcpy(u.domainname, "(none)", sizeof(u.domainname));
    return copy_to_user(buf, &u, sizeof(u));
}

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
