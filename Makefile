# sysgate: `make` builds everything, `make run` boots the interactive system,
# `make test` runs the test suite, `make bench` compares with Linux.
BUILD := build
CC := gcc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror

# ---- the kernel ----
KERNEL_DIRS := boot entry mm proc fs drivers xen lib time sys
KERNEL_C := $(foreach d,$(KERNEL_DIRS),$(wildcard kernel/$(d)/*.c))
KERNEL_S := $(foreach d,$(KERNEL_DIRS),$(wildcard kernel/$(d)/*.S))
KERNEL_OBJS := $(patsubst kernel/%,$(BUILD)/kernel/%.o,$(KERNEL_C) $(KERNEL_S))
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel \
	-mgeneral-regs-only -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -Ikernel/include -I$(BUILD)/gen -MMD -MP
GEN_HEADERS := $(BUILD)/gen/syscall_table_64.h $(BUILD)/gen/syscall_table_32.h

# ---- the monitor ----
HV_C := $(wildcard hv/*.c)

.PHONY: all kernel test run shell bench clean deps
all: $(BUILD)/kernel.elf $(BUILD)/sysgate userland test-programs

kernel: $(BUILD)/kernel.elf

$(BUILD)/gen/syscall_table_64.h $(BUILD)/include/sysgate/unistd_64.h &: kernel/entry/syscall_64.tbl tools/gen-syscalls.sh
	@mkdir -p $(BUILD)/gen $(BUILD)/include/sysgate
	tools/gen-syscalls.sh $< 64 __NR_ $(BUILD)/gen/syscall_table_64.h $(BUILD)/include/sysgate/unistd_64.h
$(BUILD)/gen/syscall_table_32.h $(BUILD)/include/sysgate/unistd_32.h &: kernel/entry/syscall_32.tbl tools/gen-syscalls.sh
	@mkdir -p $(BUILD)/gen $(BUILD)/include/sysgate
	tools/gen-syscalls.sh $< 32 __NR_ $(BUILD)/gen/syscall_table_32.h $(BUILD)/include/sysgate/unistd_32.h

$(BUILD)/kernel/%.c.o: kernel/%.c | $(GEN_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) kernel/kernel.ld
	@echo "  LD      $@"
	@ld -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments -T kernel/kernel.ld -o $@ $(KERNEL_OBJS)

$(BUILD)/sysgate: $(HV_C) $(wildcard hv/*.h)
	@mkdir -p $(BUILD)
	$(CC) $(HOST_CFLAGS) -o $@ $(HV_C)

-include $(KERNEL_OBJS:.o=.d)

clean:
	rm -rf $(BUILD)
