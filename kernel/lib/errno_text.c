/* The text of an errno value, as glibc's strerror words it, for the kernel's
 * own messages (a user reads "No such file or directory", not "error 2"). */
#include "errno.h"
#include "lib.h"

static const char *const texts[] = {
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [EIO] = "Input/output error",
    [ENXIO] = "No such device or address",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENFILE] = "Too many open files in system",
    [EMFILE] = "Too many open files",
    [ENOTTY] = "Inappropriate ioctl for device",
    [EFBIG] = "File too large",
    [ENOSPC] = "No space left on device",
    [EROFS] = "Read-only file system",
    [EPIPE] = "Broken pipe",
    [ENAMETOOLONG] = "File name too long",
    [ENOSYS] = "Function not implemented",
    [ELOOP] = "Too many levels of symbolic links",
    [ENODATA] = "No data available",
    [EOVERFLOW] = "Value too large for defined data type",
    [ELIBBAD] = "Accessing a corrupted shared library",
};

const char *errno_text(int err)
{
    if (err < 0)
        err = -err;
    if ((unsigned)err < ARRAY_SIZE(texts) && texts[err])
        return texts[err];
    return "Unknown error";
}
