# The memory calls' edge cases (tests/progs/memory.c): mmap's errors and
# flags, SIGBUS past the end of a mapped file, MAP_GROWSDOWN, mlock and
# VmLck, mincore, MAP_POPULATE, process_vm_readv/writev; on the three builds.

test_memory_glibc() { differential $GLIBC/memory; }
test_memory_musl() { differential $MUSL/memory; }
test_memory_i386() { differential $I386/memory; }
