# The system-call tables agree with Linux's own headers, line for line.

# sysgate's own calls (SPEC section 6): the only lines Linux does not have.
CUSTOM_CALLS='iam|whoami|kstack_size'

# The numbers Linux has beyond the host's headers (Debian 12's are Linux 6.1's).
NEWER_LINUX=tests/data/linux-6.18-newer-syscalls.txt

# tbl_matches_linux TABLE HEADER ABI: every __NR_ of the header and every
# number of the newer Linux is a line of the table with the same number and
# name, and the table has no other lines but the custom calls.
tbl_matches_linux() {
    grep -v '^[[:space:]]*\(#\|$\)' "$1" | awk '{print $1, $3}' | grep -Ev " ($CUSTOM_CALLS)\$" | sort >"$T/table"
    sed -n 's/^#define __NR_\([a-z0-9_]*\)[[:space:]]\+\([0-9]\+\).*/\2 \1/p' "$2" >"$T/linux"
    [ -s "$T/linux" ] || fail "no numbers found in $2"
    awk -v abi="$3" '$1 == abi {print $2, $3}' $NEWER_LINUX >>"$T/linux"
    sort -u -o "$T/linux" "$T/linux"
    diff -u "$T/linux" "$T/table" >&2 || fail "$1 differs from Linux's numbers"
}

test_syscall_64_table_matches_linux() {
    tbl_matches_linux kernel/entry/syscall_64.tbl /usr/include/x86_64-linux-gnu/asm/unistd_64.h 64
}

test_syscall_32_table_matches_linux() {
    tbl_matches_linux kernel/entry/syscall_32.tbl /usr/include/x86_64-linux-gnu/asm/unistd_32.h 32
}

# Every entry point named in the tables is a function the kernel defines
# (ptregs_FUNCTION names FUNCTION; the i386 table's compat column wins).
entry_points_exist() { # TABLE COLUMN
    awk -v col="$2" '!/^[[:space:]]*(#|$)/ && NF >= 4 {print (NF >= col ? $col : $4)}' "$1" |
        sed 's/^ptregs_//' | sort -u >"$T/entries"
    nm build/kernel.elf | awk '$2 == "T" {print $3}' | sort -u >"$T/defined"
    missing=$(comm -23 "$T/entries" "$T/defined")
    [ -z "$missing" ] || fail "entry points without a function: $missing"
}
test_syscall_64_entry_points_exist() { entry_points_exist kernel/entry/syscall_64.tbl 4; }
test_syscall_32_entry_points_exist() { entry_points_exist kernel/entry/syscall_32.tbl 5; }

# The custom calls have exactly SPEC section 6's numbers, the same on both
# ABIs, in ranges Linux keeps empty: no Linux we know of uses them.
test_custom_call_numbers() {
    local abi tbl nr name nr_name
    for abi in 64 32; do
        tbl=kernel/entry/syscall_$abi.tbl
        for nr_name in 387:iam 388:whoami 389:kstack_size; do
            nr=${nr_name%%:*} name=${nr_name#*:}
            grep -Eq "^$nr[[:space:]]+(common|i386)[[:space:]]+$name[[:space:]]" $tbl || fail "$tbl: $name is not $nr"
            ! grep -Eq "define __NR_[a-z0-9_]+[[:space:]]+$nr\$" /usr/include/x86_64-linux-gnu/asm/unistd_$abi.h ||
                fail "Linux's headers use $nr"
            ! grep -q "^$abi $nr " $NEWER_LINUX || fail "Linux 6.18 uses $abi-bit $nr"
        done
    done
}
