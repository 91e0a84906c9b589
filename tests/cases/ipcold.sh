# System V IPC's old i386 layouts (tests/progs/ipcold.c): ipc(117) without
# IPC_64 reads and writes struct shmid_ds, semid_ds, msqid_ds and shminfo
# with 16-bit ids; the IPC_64 forms beside them; ipc()'s version quirks
# (msgrcv's ipc_kludge, shmat's address through the third argument); the
# direct i386 calls with the flag; x86-64 refusing it.

test_ipcold_glibc() { differential $GLIBC/ipcold; }
test_ipcold_musl() { differential $MUSL/ipcold; }
test_ipcold_i386() { differential $I386/ipcold; }
