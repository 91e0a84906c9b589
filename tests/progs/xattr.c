/*
 * xattr.c - the extended-attribute calls on a file that has none, as `ls -l`
 * and `cp -a` ask them (SELinux labels, ACLs, user attributes): ENODATA,
 * an empty list, and the errors of a bad name, path or descriptor. Prints
 * one line per check; the same on the host and on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Named after the process, so that the builds' tests can run at once on the host. */
static char file_path[64];

static const char *err_name(int e)
{
    switch (e) {
    case ENODATA: return "ENODATA";
    case ERANGE: return "ERANGE";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return strerror(e);
    }
}

static void show(const char *what, long ret)
{
    if (ret < 0)
        printf("%s: %s\n", what, err_name(errno));
    else
        printf("%s: %ld\n", what, ret);
}

int main(void)
{
    snprintf(file_path, sizeof(file_path), "/tmp/xattr-test.%d", (int)getpid());
    char value[64], list[256], long_name[300];
    int fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(file_path);
        return 1;
    }
    show("getxattr user", getxattr(file_path, "user.test", value, sizeof(value)));
    show("getxattr size 0", getxattr(file_path, "user.test", NULL, 0));
    show("lgetxattr security.selinux", lgetxattr(file_path, "security.selinux", value, sizeof(value)));
    show("getxattr posix acl", getxattr(file_path, "system.posix_acl_access", value, sizeof(value)));
    show("getxattr directory acl", getxattr("/tmp", "system.posix_acl_default", value, sizeof(value)));
    show("fgetxattr user", fgetxattr(fd, "user.test", value, sizeof(value)));
    show("getxattr empty name", getxattr(file_path, "", value, sizeof(value)));
    memset(long_name, 'a', sizeof(long_name) - 1);
    memcpy(long_name, "user.", 5);
    long_name[sizeof(long_name) - 1] = 0;
    show("getxattr long name", getxattr(file_path, long_name, value, sizeof(value)));
    show("getxattr missing file", getxattr("/nonexistent/file", "user.test", value, sizeof(value)));
    show("fgetxattr bad fd", fgetxattr(-1, "user.test", value, sizeof(value)));
    show("user attribute of /dev/null", getxattr("/dev/null", "user.test", value, sizeof(value)));
    show("listxattr", listxattr(file_path, list, sizeof(list)));
    show("llistxattr size 0", llistxattr(file_path, NULL, 0));
    show("flistxattr", flistxattr(fd, list, sizeof(list)));
    show("listxattr missing file", listxattr("/nonexistent/file", list, sizeof(list)));
    show("removexattr user", removexattr(file_path, "user.test"));
    show("setxattr bad flags", setxattr(file_path, "user.test", "v", 1, 4));
    show("setxattr replace missing", setxattr(file_path, "user.test", "v", 1, XATTR_REPLACE));
    close(fd);
    unlink(file_path);
    return 0;
}
