# System V shared memory (tests/progs/sysvipc.c): shmget's key rules,
# shmat's placement flags, shmdt, the attach count across fork and
# mprotect, removal while attached, the shmctl commands and the permission
# checks as nobody; semaphores: SETVAL/SETALL, semop's errors, waits woken
# by a change, by removal and by a signal, semtimedop, SEM_UNDO at exit;
# message queues: msgrcv by type, MSG_NOERROR, MSG_COPY, the byte limit,
# blocked senders and receivers, removal;
# on the three builds (i386 through ipc() and the direct calls).

test_sysvipc_glibc() { differential $GLIBC/sysvipc; }
test_sysvipc_musl() { differential $MUSL/sysvipc; }
test_sysvipc_i386() { differential $I386/sysvipc; }
