# The system-call tables agree with Linux's own headers, line for line.

# sysgate's own calls (SPEC section 6): the only lines Linux does not have.
CUSTOM_CALLS='iam|whoami|kstack_size'

# tbl_matches_header TABLE HEADER: every __NR_ of the header is a line of the
# table with the same number and name, and the table has no other lines but
# the custom calls.
tbl_matches_header() {
    grep -v '^[[:space:]]*\(#\|$\)' "$1" | awk '{print $1, $3}' | grep -Ev " ($CUSTOM_CALLS)\$" | sort >"$T/table"
    sed -n 's/^#define __NR_\([a-z0-9_]*\)[[:space:]]\+\([0-9]\+\).*/\2 \1/p' "$2" | sort >"$T/header"
    [ -s "$T/header" ] || fail "no numbers found in $2"
    diff -u "$T/header" "$T/table" >&2 || fail "$1 differs from $2"
}

test_syscall_64_table_matches_linux() {
    tbl_matches_header kernel/entry/syscall_64.tbl /usr/include/x86_64-linux-gnu/asm/unistd_64.h
}

test_syscall_32_table_matches_linux() {
    tbl_matches_header kernel/entry/syscall_32.tbl /usr/include/x86_64-linux-gnu/asm/unistd_32.h
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

# The custom calls have exactly SPEC section 6's numbers, in holes of Linux's.
test_custom_call_numbers() {
    grep -Eq '^335[[:space:]]+common[[:space:]]+iam[[:space:]]' kernel/entry/syscall_64.tbl
    grep -Eq '^336[[:space:]]+common[[:space:]]+whoami[[:space:]]' kernel/entry/syscall_64.tbl
    grep -Eq '^337[[:space:]]+common[[:space:]]+kstack_size[[:space:]]' kernel/entry/syscall_64.tbl
    grep -Eq '^387[[:space:]]+i386[[:space:]]+iam[[:space:]]' kernel/entry/syscall_32.tbl
    grep -Eq '^388[[:space:]]+i386[[:space:]]+whoami[[:space:]]' kernel/entry/syscall_32.tbl
    grep -Eq '^389[[:space:]]+i386[[:space:]]+kstack_size[[:space:]]' kernel/entry/syscall_32.tbl
    for nr in 335 336 337; do
        ! grep -Eq "define __NR_[a-z0-9_]+[[:space:]]+$nr\$" /usr/include/x86_64-linux-gnu/asm/unistd_64.h || fail "Linux uses $nr"
    done
    for nr in 387 388 389; do
        ! grep -Eq "define __NR_[a-z0-9_]+[[:space:]]+$nr\$" /usr/include/x86_64-linux-gnu/asm/unistd_32.h || fail "Linux uses $nr"
    done
}
