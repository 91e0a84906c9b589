# set_thread_area and get_thread_area (i386's table, also through int $0x80
# from 64-bit code) with Linux's validation, against the Linux host.

test_tlsdesc_glibc() { differential $GLIBC/tlsdesc; }
test_tlsdesc_musl() { differential $MUSL/tlsdesc; }
test_tlsdesc_i386() { differential $I386/tlsdesc; }
