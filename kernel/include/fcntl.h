/* fcntl's commands and lock types, Linux's numbers: one place for the
 * files that serve them (fs/fcntl.c dispatches; posix_lock.c, lease.c,
 * fasync.c, pipe.c and memfd.c answer). */
#ifndef SYSGATE_FCNTL_H
#define SYSGATE_FCNTL_H

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_GETLK64 12 /* i386's fcntl64: a struct flock64 */
#define F_SETLK64 13
#define F_SETLKW64 14
#define F_SETOWN_EX 15
#define F_GETOWN_EX 16
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define F_SETLEASE 1024
#define F_GETLEASE 1025
#define F_DUPFD_CLOEXEC 1030
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034

/* struct flock's and F_SETLEASE's types */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

#endif
