# gdb script for sysgate under QEMU's gdb stub (docs/debugging.md). From the top of the tree:
#
#   build/sysgate run --gdb build/user/exit42-syscall64 &
#   gdb -x tools/debug/sysgate.gdb -ex 'sg-attach 127.0.0.1:1234 build/user/exit42-syscall64'
#
# or simply `make debug PROGRAM=...`. The commands (sg-attach, sg-syscalls, sg-regs,
# sg-step-out, sg-return) live in sysgate.py next to this file; `help sg-syscalls` etc.
source tools/debug/sysgate.py
