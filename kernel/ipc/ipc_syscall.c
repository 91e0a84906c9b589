/* i386's ipc(117): every System V IPC call through one number, as glibc and musl on i386 make them. */
#include "compat.h"
#include "errno.h"
#include "ipc.h"
#include "uaccess.h"

/* The `call` argument's low half (linux/ipc.h); the high half is a version. */
#define IPCOP_SEMOP 1
#define IPCOP_SEMGET 2
#define IPCOP_SEMCTL 3
#define IPCOP_SEMTIMEDOP 4
#define IPCOP_MSGSND 11
#define IPCOP_MSGRCV 12
#define IPCOP_MSGGET 13
#define IPCOP_MSGCTL 14
#define IPCOP_SHMAT 21
#define IPCOP_SHMDT 22
#define IPCOP_SHMGET 23
#define IPCOP_SHMCTL 24
#define IPC_CALL_VERSION_SHIFT 16
#define SHMAT_IBCS2_VERSION 1 /* iBCS2's shmat: Linux refuses it for 32-bit callers */

long compat_sys_ipc(u32 call, int first, int second, u32 third, u32 ptr, u32 fifth)
{
    u32 version = call >> IPC_CALL_VERSION_SHIFT;
    switch (call & 0xffff) {
    case IPCOP_SEMOP:
        return compat_semtimedop_time32(first, ptr, (u32)second, 0);
    case IPCOP_SEMTIMEDOP:
        return compat_semtimedop_time32(first, ptr, (u32)second, fifth);
    case IPCOP_SEMGET:
        return sys_semget(first, second, (int)third);
    case IPCOP_SEMCTL: {
        /* ptr points at the union semun, passed by value to semctl itself */
        u32 arg;
        if (!ptr)
            return -EINVAL;
        if (get_user(arg, (u32 __user *)compat_ptr(ptr)))
            return -EFAULT;
        return compat_sys_old_semctl(first, second, (int)third, arg);
    }
    case IPCOP_MSGSND:
        return compat_sys_msgsnd(first, ptr, second, (int)third);
    case IPCOP_MSGRCV: {
        if (first < 0 || second < 0)
            return -EINVAL;
        if (version)
            return compat_sys_msgrcv(first, ptr, second, (s32)fifth, (int)third);
        /* version 0: ptr points at the buffer's address and the type (glibc's and musl's way) */
        struct {
            compat_uptr_t msgp;
            s32 msgtyp;
        } kludge;
        if (!ptr)
            return -EINVAL;
        if (copy_from_user(&kludge, compat_ptr(ptr), sizeof(kludge)))
            return -EFAULT;
        return compat_sys_msgrcv(first, kludge.msgp, second, kludge.msgtyp, (int)third);
    }
    case IPCOP_MSGGET:
        return sys_msgget(first, second);
    case IPCOP_MSGCTL:
        return compat_sys_old_msgctl(first, second, ptr);
    case IPCOP_SHMAT: {
        if (version == SHMAT_IBCS2_VERSION)
            return -EINVAL;
        u64 attached;
        long err = do_shmat(first, ptr, second, &attached);
        if (err)
            return err;
        compat_ulong_t result = (compat_ulong_t)attached;
        return put_user(result, (compat_ulong_t __user *)compat_ptr(third)) ? -EFAULT : 0;
    }
    case IPCOP_SHMDT:
        return sys_shmdt(ptr);
    case IPCOP_SHMGET:
        return sys_shmget(first, (u32)second, (int)third);
    case IPCOP_SHMCTL:
        return compat_sys_old_shmctl(first, second, ptr);
    default:
        return -ENOSYS;
    }
}
