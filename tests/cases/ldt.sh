# modify_ldt(2) and segments of a program's own (docs/ldt.md), against the
# Linux host.

test_ldt_modify_glibc() { differential $GLIBC/ldt_modify; }
test_ldt_modify_musl() { differential $MUSL/ldt_modify; }
test_ldt_modify_i386() { differential $I386/ldt_modify; }
