# sysgate: `make` builds everything, `make run` boots the interactive system,
# `make test` runs the test suite, `make bench` compares with Linux.
BUILD := build
.DEFAULT_GOAL := all
CC := gcc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror

# ---- the kernel ----
KERNEL_DIRS := boot entry mm proc fs net drivers xen lib time sys compat ipc trace
KERNEL_C := $(foreach d,$(KERNEL_DIRS),$(wildcard kernel/$(d)/*.c))
KERNEL_S := $(foreach d,$(KERNEL_DIRS),$(wildcard kernel/$(d)/*.S)) kernel/vdso/image.S
KERNEL_OBJS := $(patsubst kernel/%,$(BUILD)/kernel/%.o,$(KERNEL_C) $(KERNEL_S))
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel \
	-mgeneral-regs-only -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -Ikernel/include -I$(BUILD)/gen -MMD -MP
GEN_HEADERS := $(BUILD)/gen/syscall_table_64.h $(BUILD)/gen/syscall_table_32.h
# The tracer's decoding tables and the errno table (docs/tracing.md).
GEN_HEADERS += $(BUILD)/gen/trace_args_64.h $(BUILD)/gen/trace_args_32.h $(BUILD)/gen/errno_table.h

# ---- the monitor ----
HV_C := $(wildcard hv/*.c)

# ---- Xen's public headers (Debian's libxen-dev) ----
# The kernel, the monitor and the tools take the interface's numbers and structures from
# them (docs/hypervisor-interface.md, "Xen's headers"). glibc builds find them in
# /usr/include; musl-gcc searches only musl's own directory, so musl builds get a
# directory of links to them and to the Linux UAPI headers <xen/sys/privcmd.h> includes.
XEN_HEADERS := /usr/include/xen/xen.h /usr/include/xen/sys/privcmd.h
MUSL_XEN_INCLUDE := $(BUILD)/musl-xen-include
$(XEN_HEADERS):
	@echo "sysgate: $@ is missing: run tools/install-deps.sh (Debian's libxen-dev)" >&2; exit 1
$(MUSL_XEN_INCLUDE)/.stamp: | $(XEN_HEADERS)
	@mkdir -p $(dir $@)
	@ln -sfn /usr/include/xen $(dir $@)xen
	@ln -sfn /usr/include/linux $(dir $@)linux
	@ln -sfn /usr/include/asm-generic $(dir $@)asm-generic
	@ln -sfn /usr/include/x86_64-linux-gnu/asm $(dir $@)asm
	@touch $@

# ---- the project's own programs, in the default userland's /bin ----
USER_INCLUDES := -Iinclude -I$(BUILD)/include
USER_PROGRAMS := $(patsubst user/%.c,$(BUILD)/user/%,$(filter-out user/init.c,$(wildcard user/*.c)))
# 32-bit builds of the programs that show the i386 paths (menu32: socketcall).
USER_PROGRAMS_32 := $(BUILD)/user/menu32
BUSYBOX := /bin/busybox
EXIT42_64 := syscall64 int80_64
EXIT42_32 := int80_32 sysenter vsyscall
EXIT42 := $(EXIT42_64:%=$(BUILD)/user/exit42-%) $(EXIT42_32:%=$(BUILD)/user/exit42-%)
USER_HEADERS := $(wildcard include/sysgate/*.h) $(BUILD)/include/sysgate/unistd_64.h $(BUILD)/include/sysgate/unistd_32.h \
	$(BUILD)/include/sysgate/unistd_32_ia32.h

# ---- user programs: the tests' and the benchmarks' ----
TEST_SOURCES := $(wildcard tests/progs/*.c)
FREESTANDING := startstate
TEST_NAMES := $(filter-out $(FREESTANDING),$(basename $(notdir $(TEST_SOURCES))))
# The test programs also built with -m32, one a line (so that additions merge).
I386_TESTS := \
	alloc64 \
	avxstate \
	compatchild \
	creat \
	creds \
	debuggates \
	echo100 \
	errsweep \
	events \
	execat \
	execthreads \
	exitcode \
	fadvise \
	fasync \
	faults \
	fdshare \
	fileops \
	fifo \
	flock \
	futex \
	futexstorm \
	fuzz \
	gates \
	groupstop \
	hello \
	iamtest \
	inet \
	inotify \
	interp \
	ipcold \
	jobstop \
	klog \
	ldt_modify \
	ldt_segments \
	leasetrunc \
	malloc_stress \
	memory \
	misccalls \
	mmapfile \
	mounts \
	mremap \
	msr \
	netdev \
	nstimes \
	pagemap \
	pdeathsig \
	posixtimer \
	privcmd \
	procfs \
	procs \
	procsignals \
	ptrace \
	ptracesig \
	ptracestrace \
	ptracexstate \
	reclocks \
	resources \
	restart \
	rlimits \
	robust \
	rseq \
	schedprio \
	seccomp \
	sendfile \
	shmanon \
	sigaltfail \
	siginfo \
	signals \
	sigregs \
	sleepflags \
	sockasync \
	socketcall \
	sockets \
	sysmisc \
	sysvipc \
	tcpstates \
	threadexit \
	threads \
	tlsdesc \
	tracecalls \
	ttyasync \
	ucmask \
	vdsogetres \
	vdsotime \
	vdsounwind \
	vfs \
	waiting \
	xattr \

# The test programs also built dynamically linked (PIE, as Debian's gcc makes
# them), 64-bit and 32-bit, and one whose interpreter does not exist.
DYNAMIC_TESTS := auxvec hello procs signals threads tlsdesc tracecalls
DYNAMIC_PROGRAMS := $(DYNAMIC_TESTS:%=$(BUILD)/tests/dynamic/%) $(DYNAMIC_TESTS:%=$(BUILD)/tests/dynamic32/%) \
	$(BUILD)/tests/dynamic/no-interpreter
# A program for gdb, with its lines and variables, in each kind gdb is tried on.
DEBUGGEE_KINDS := static dynamic i386 dynamic32
DEBUGGEE_FLAGS_static := -static
DEBUGGEE_FLAGS_dynamic :=
DEBUGGEE_FLAGS_i386 := -m32 -static
DEBUGGEE_FLAGS_dynamic32 := -m32
DEBUGGEES := $(DEBUGGEE_KINDS:%=$(BUILD)/tests/debuggee/%)
TEST_PROGRAMS := $(DEBUGGEES) $(TEST_NAMES:%=$(BUILD)/tests/glibc/%) $(TEST_NAMES:%=$(BUILD)/tests/musl/%) \
	$(FREESTANDING:%=$(BUILD)/tests/glibc/%) $(BUILD)/tests/glibc-pie/hello $(I386_TESTS:%=$(BUILD)/tests/i386/%) \
	$(DYNAMIC_PROGRAMS)
BENCH_PROGRAMS := $(patsubst bench/progs/%.c,$(BUILD)/bench/%,$(wildcard bench/progs/*.c)) $(BUILD)/bench/nullcall32
USER_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror

.PHONY: all kernel test run shell bench clean deps test-programs userland fuzz fuzz-deps
all: $(BUILD)/kernel.elf $(BUILD)/sysgate $(BUILD)/initramfs.cpio test-programs

deps:
	@tools/install-deps.sh

test-programs: $(TEST_PROGRAMS) $(BENCH_PROGRAMS) $(BUILD)/ptydrive

$(BUILD)/ptydrive: tests/tools/ptydrive.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(HOST_CFLAGS) -o $@ $< -lutil

$(BUILD)/tests/glibc/%: tests/progs/%.c $(USER_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(USER_CFLAGS) $(USER_INCLUDES) -static -pthread -o $@ $<
$(BUILD)/tests/musl/%: tests/progs/%.c $(USER_HEADERS) | $(MUSL_XEN_INCLUDE)/.stamp
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@musl-gcc $(USER_CFLAGS) $(USER_INCLUDES) -isystem $(MUSL_XEN_INCLUDE) -static -o $@ $<
$(BUILD)/tests/glibc-pie/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(USER_CFLAGS) -static-pie -fPIE -o $@ $<
$(BUILD)/tests/i386/%: tests/progs/%.c $(USER_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC -m32 $@"
	@$(CC) -m32 $(USER_CFLAGS) $(USER_INCLUDES) -static -pthread -fno-pie -no-pie -o $@ $<
$(BUILD)/tests/dynamic/%: tests/progs/%.c $(USER_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (dynamic)"
	@$(CC) $(USER_CFLAGS) $(USER_INCLUDES) -pthread -o $@ $<
$(BUILD)/tests/dynamic32/%: tests/progs/%.c $(USER_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC -m32 $@ (dynamic)"
	@$(CC) -m32 $(USER_CFLAGS) $(USER_INCLUDES) -pthread -o $@ $<
# The test programs that include tests/progs/avx.h: a change to it rebuilds them.
AVX_TESTS := avxstate ptracexstate
$(foreach kind,glibc musl i386,$(AVX_TESTS:%=$(BUILD)/tests/$(kind)/%)): tests/progs/avx.h
$(BUILD)/tests/debuggee/%: tests/debuggee/debuggee.c
	@mkdir -p $(dir $@)
	@echo "  CC -g   $@"
	@$(CC) -std=gnu11 -g -O0 -Wall -Wextra -Werror $(DEBUGGEE_FLAGS_$*) -o $@ $<
$(BUILD)/tests/dynamic/no-interpreter: tests/progs/hello.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (dynamic)"
	@$(CC) $(USER_CFLAGS) -Wl,--dynamic-linker=/nonexistent/ld.so -o $@ $<
$(FREESTANDING:%=$(BUILD)/tests/glibc/%): $(BUILD)/tests/glibc/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(USER_CFLAGS) -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -o $@ $<
$(BUILD)/bench/%: bench/progs/%.c $(USER_HEADERS) bench/progs/poweroff.h bench/progs/benchclock.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(USER_CFLAGS) $(USER_INCLUDES) -static -o $@ $<
$(BUILD)/bench/%32: bench/progs/%.c $(USER_HEADERS) bench/progs/poweroff.h bench/progs/benchclock.h
	@mkdir -p $(dir $@)
	@echo "  CC -m32 $@"
	@$(CC) -m32 $(USER_CFLAGS) $(USER_INCLUDES) -static -fno-pie -no-pie -o $@ $<

$(BUILD)/user/%: user/%.c $(USER_HEADERS) | $(MUSL_XEN_INCLUDE)/.stamp
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@musl-gcc $(USER_CFLAGS) $(USER_INCLUDES) -isystem $(MUSL_XEN_INCLUDE) -static -o $@ $<
$(USER_PROGRAMS_32): $(BUILD)/user/%32: user/%.c $(USER_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC -m32 $@"
	@$(CC) -m32 $(USER_CFLAGS) $(USER_INCLUDES) -static -fno-pie -no-pie -o $@ $<
FREESTANDING_FLAGS := -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie
$(EXIT42_64:%=$(BUILD)/user/exit42-%): $(BUILD)/user/exit42-%: user/exit42/%.c user/exit42/start.h $(USER_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(USER_CFLAGS) $(USER_INCLUDES) $(FREESTANDING_FLAGS) -o $@ $<
$(EXIT42_32:%=$(BUILD)/user/exit42-%): $(BUILD)/user/exit42-%: user/exit42/%.c user/exit42/start.h $(USER_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC -m32 $@"
	@$(CC) -m32 $(USER_CFLAGS) $(USER_INCLUDES) $(FREESTANDING_FLAGS) -o $@ $<

# ---- the default userland: the initramfs every guest starts from ----
ROOTFS_FILES := $(wildcard userland/etc/*)
# Debian's busybox-static with a link per applet, except where the project
# has its own program (whoami, and init).
$(BUILD)/initramfs.cpio: $(ROOTFS_FILES) $(USER_PROGRAMS) $(USER_PROGRAMS_32) $(EXIT42) $(BUILD)/user/init Makefile
	@echo "  CPIO    $@"
	@rm -rf $(BUILD)/rootfs && mkdir -p $(BUILD)/rootfs
	@cd $(BUILD)/rootfs && mkdir -p bin sbin usr/bin usr/sbin etc dev proc tmp host root home/user \
		&& chmod 1777 tmp && chmod 0700 root
	@cp -r userland/etc/. $(BUILD)/rootfs/etc/
	@cp $(BUSYBOX) $(BUILD)/rootfs/bin/busybox
	@cd $(BUILD)/rootfs && for applet in $$(bin/busybox --list-full); do \
		[ "$$applet" = bin/busybox ] || ln -sf /bin/busybox "$$applet"; done
	@rm -f $(BUILD)/rootfs/usr/bin/whoami $(BUILD)/rootfs/sbin/init
	@cp $(USER_PROGRAMS) $(USER_PROGRAMS_32) $(EXIT42) $(BUILD)/rootfs/bin/
	@cp $(BUILD)/user/init $(BUILD)/rootfs/sbin/init
	@cd $(BUILD)/rootfs && find . -mindepth 1 ! -path ./home/user | LC_ALL=C sort \
		| cpio --quiet -o -H newc -R 0:0 --reproducible >../initramfs.cpio.tmp
	@cd $(BUILD)/rootfs && echo ./home/user | cpio --quiet -o -H newc -R 1000:1000 --reproducible >>../initramfs.cpio.tmp
	@mv $(BUILD)/initramfs.cpio.tmp $@

# ---- using it ----
test: deps all
	@tests/run

run shell: deps all
	@$(BUILD)/sysgate shell

bench: deps all
	@bench/run

kernel: $(BUILD)/kernel.elf

# ---- debugging with gdb (docs/debugging.md) ----
# make debug [PROGRAM=FILE] [ARGS="..."] [DEBUG_FLAGS="--cpu Haswell ..."]: PROGRAM boots
# under QEMU's gdb stub and gdb attaches with tools/debug/sysgate.gdb, which stops at
# every system call. The default is the smallest demonstration: exit(42) through syscall.
PROGRAM ?= $(BUILD)/user/exit42-syscall64
ARGS ?=
DEBUG_FLAGS ?=
.PHONY: debug
debug: deps all
	@tools/debug/debug.sh $(DEBUG_FLAGS) -- $(PROGRAM) $(ARGS)

$(BUILD)/gen/syscall_table_64.h $(BUILD)/include/sysgate/unistd_64.h &: kernel/entry/syscall_64.tbl tools/gen-syscalls.sh
	@mkdir -p $(BUILD)/gen $(BUILD)/include/sysgate
	tools/gen-syscalls.sh $< 64 __NR_ $(BUILD)/gen/syscall_table_64.h $(BUILD)/include/sysgate/unistd_64.h
$(BUILD)/gen/syscall_table_32.h $(BUILD)/include/sysgate/unistd_32.h &: kernel/entry/syscall_32.tbl tools/gen-syscalls.sh
	@mkdir -p $(BUILD)/gen $(BUILD)/include/sysgate
	tools/gen-syscalls.sh $< 32 __NR_ $(BUILD)/gen/syscall_table_32.h $(BUILD)/include/sysgate/unistd_32.h
# The tracer's decoding, one table per ABI from the one description of every call's arguments.
TRACE_ARGS := kernel/trace/syscall_args.tbl
$(BUILD)/gen/trace_args_64.h: $(TRACE_ARGS) kernel/entry/syscall_64.tbl kernel/entry/syscall_32.tbl tools/gen-trace-args.sh
	@mkdir -p $(BUILD)/gen
	tools/gen-trace-args.sh $(TRACE_ARGS) 64 kernel/entry/syscall_64.tbl kernel/entry/syscall_32.tbl $@
$(BUILD)/gen/trace_args_32.h: $(TRACE_ARGS) kernel/entry/syscall_32.tbl kernel/entry/syscall_64.tbl tools/gen-trace-args.sh
	@mkdir -p $(BUILD)/gen
	tools/gen-trace-args.sh $(TRACE_ARGS) 32 kernel/entry/syscall_32.tbl kernel/entry/syscall_64.tbl $@
$(BUILD)/gen/errno_table.h: tools/gen-errno.sh
	@mkdir -p $(BUILD)/gen
	tools/gen-errno.sh $@
# The i386 numbers under their own names, for the i386 gates in 64-bit programs (Linux's unistd_32_ia32.h).
$(BUILD)/include/sysgate/unistd_32_ia32.h: kernel/entry/syscall_32.tbl tools/gen-syscalls.sh
	@mkdir -p $(BUILD)/include/sysgate
	tools/gen-syscalls.sh $< 32 __NR_ia32_ /dev/null $@

# ---- the vDSOs: user code, built as shared objects and carried in the kernel ----
# Unwind tables and their PT_GNU_EH_FRAME index, so that debuggers and
# unwinders walk through the vDSO as through Linux's.
VDSO_LDFLAGS := -nostdlib -shared -Wl,--eh-frame-hdr -Wl,--hash-style=both -Wl,-z,max-page-size=4096 -Wl,--no-undefined -Wl,--build-id=none
$(BUILD)/vdso/vdso64.so: kernel/vdso/vdso64.c kernel/vdso/vdso64.lds kernel/vdso/vclock.h kernel/include/vdso_data.h
	@mkdir -p $(dir $@)
	@echo "  VDSO    $@"
	@$(CC) -m64 -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -ffreestanding -fno-stack-protector \
		-fasynchronous-unwind-tables -Ikernel/include $(VDSO_LDFLAGS) -Wl,-T,kernel/vdso/vdso64.lds \
		-Wl,-soname=linux-vdso.so.1 -o $@ kernel/vdso/vdso64.c
$(BUILD)/vdso/vdso32.so: kernel/vdso/vdso32.S kernel/vdso/vdso32.c kernel/vdso/vdso32.lds kernel/vdso/vclock.h kernel/include/vdso_data.h
	@mkdir -p $(dir $@)
	@echo "  VDSO    $@"
	@$(CC) -m32 -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -ffreestanding -fno-stack-protector \
		-fasynchronous-unwind-tables -Ikernel/include $(VDSO_LDFLAGS) -Wl,-T,kernel/vdso/vdso32.lds \
		-Wl,-soname=linux-gate.so.1 -o $@ kernel/vdso/vdso32.S kernel/vdso/vdso32.c
# Where the kernel finds the 32-bit vDSO's entry points inside its image.
$(BUILD)/gen/vdso32_offsets.h: $(BUILD)/vdso/vdso32.so
	@mkdir -p $(dir $@)
	@nm $< | awk '$$3 ~ /^(__kernel_vsyscall|__kernel_(rt_)?sigreturn|vsyscall_.*|int80_landing_pad|__vdso_(clock_gettime|clock_gettime64|gettimeofday|time)|vdso_.*_syscall)$$/ { printf "#define VDSO32_%s 0x%s\n", $$3, $$1 }' >$@
$(BUILD)/gen/vdso64_offsets.h: $(BUILD)/vdso/vdso64.so
	@mkdir -p $(dir $@)
	@nm $< | awk '$$3 ~ /^(__vdso_(clock_gettime|gettimeofday|time)|vdso_.*_syscall)$$/ { printf "#define VDSO64_%s 0x%s\n", $$3, $$1 }' >$@
$(BUILD)/kernel/vdso/image.S.o: $(BUILD)/vdso/vdso64.so $(BUILD)/vdso/vdso32.so
GEN_HEADERS += $(BUILD)/gen/vdso32_offsets.h $(BUILD)/gen/vdso64_offsets.h

$(BUILD)/kernel/%.c.o: kernel/%.c | $(GEN_HEADERS) $(XEN_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLER__ -Wa,-I$(BUILD)/vdso -c $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) kernel/kernel.ld
	@echo "  LD      $@"
	@ld -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments -T kernel/kernel.ld -o $@ $(KERNEL_OBJS)

# What xen_version's compile_info and changeset report.
HV_BUILD_FACTS := -DSYSGATE_CHANGESET='"$(shell git describe --always --dirty 2>/dev/null || echo unknown)"' \
	-DSYSGATE_COMPILE_BY='"$(shell id -un)"' -DSYSGATE_COMPILE_DOMAIN='"$(shell hostname -d 2>/dev/null)"' \
	-DSYSGATE_COMPILER='"$(shell $(CC) --version | head -n 1)"' -DSYSGATE_COMPILE_DATE='"$(shell date)"'
$(BUILD)/sysgate: $(HV_C) $(wildcard hv/*.h) | $(XEN_HEADERS)
	@mkdir -p $(BUILD)
	$(CC) $(HOST_CFLAGS) $(HV_BUILD_FACTS) -o $@ $(HV_C)

# ---- fuzzing the monitor's parsers of guest and user data (not part of `make test`) ----
# libFuzzer with AddressSanitizer and UBSan; each target runs FUZZ_SECONDS (tests/fuzz/README.md).
FUZZ_TARGETS := elfcheck initramfs doorbell pagewalk stdioring
FUZZ_SECONDS ?= 30
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_HV_OBJS := $(patsubst hv/%.c,$(BUILD)/fuzz/obj/%.o,$(filter-out hv/main.c,$(HV_C)))
.SECONDARY: $(FUZZ_HV_OBJS)
# util.c's fail() and report() give way to the targets' own (tests/fuzz/fuzz.c)
$(BUILD)/fuzz/obj/util.o: FUZZ_RENAME := -Dfail=util_fail_replaced -Dreport=util_report_replaced
$(BUILD)/fuzz/obj/%.o: hv/%.c $(wildcard hv/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_RENAME) -c $< -o $@
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(FUZZ_HV_OBJS)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz.c $(FUZZ_HV_OBJS)

fuzz-deps:
	@tools/install-deps.sh --fuzz

fuzz: fuzz-deps $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
	@tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

-include $(KERNEL_OBJS:.o=.d)

clean:
	rm -rf $(BUILD)
