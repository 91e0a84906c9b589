# inotify (tests/progs/inotify.c), against the Linux host on all three builds:
# the errors of inotify_init1, inotify_add_watch and inotify_rm_watch (EINVAL,
# EBADF, ENOENT, ENOTDIR, EEXIST, EFAULT); a directory's events for what
# happens in it (create, modify, attrib, open, access, close, truncate,
# utimensat, moves with paired cookies, links, unlink, mkdir, rmdir,
# symlinks), names padded as Linux pads them and equal events merged; a
# file's own events (IN_MOVE_SELF, IN_DELETE_SELF at its last close,
# IN_IGNORED), IN_ONESHOT, IN_MASK_ADD, IN_DONT_FOLLOW; FIONREAD, poll, epoll
# and a blocking read woken by another process; IN_Q_OVERFLOW when the queue
# is full.
test_inotify_glibc() { differential $GLIBC/inotify; }
test_inotify_musl() { differential $MUSL/inotify; }
test_inotify_i386() { differential $I386/inotify; }
