# MenuOS's `menu` (user/menu.c), 64-bit and 32-bit (menu32, whose socket calls
# all go through socketcall): scripted on stdin, the same on the host and on
# sysgate once the times are taken out.

menu_script() { printf 'help\nversion\ntime\ntime-asm\nnosuch\n\nquit\n'; }

# The clock's reading differs by the moment; its format must not.
menu_normalized() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC/<date> UTC/' "$1"; }

menu_differential() {
    menu_script | "$1" >"$T/host.out" 2>&1
    status=0
    menu_script | "$SYSGATE" run --timeout "$RUN_TIMEOUT" "$1" >"$T/out" 2>"$T/err" || status=$?
    expect_status 0
    diff -u <(menu_normalized "$T/host.out") <(menu_normalized "$T/out") >&2 || fail "menu differs from the host"
    grep -q '^MenuOS>>time (int \$0x80): <date> UTC' <(menu_normalized "$T/out") || { show_run; fail "no time-asm line"; }
}
test_menu_commands() { menu_differential build/user/menu; }
test_menu32_commands() { menu_differential build/user/menu32; }

# replyhi and hello over loopback TCP: a hello before the server runs is
# refused, a second replyhi finds the first, each hello gets "hi". On the host
# in a network namespace of its own (tests/lib.sh), where port 5001 is free.
menu_net_script() { printf 'hello\nreplyhi\nreplyhi\nhello\nhello\nquit\n'; }

menu_replyhi_hello() {
    menu_net_script | in_net_namespace "$1" >"$T/host.out" 2>&1 || fail "$1 failed on the host"
    status=0
    menu_net_script | "$SYSGATE" run --timeout "$RUN_TIMEOUT" "$1" >"$T/out" 2>"$T/err" || status=$?
    expect_status 0
    diff -u "$T/host.out" "$T/out" >&2 || fail "menu differs from the host"
    [ "$(grep -c 'received "hi"' "$T/out")" = 2 ] || { show_run; fail "$1: no reply"; }
    grep -q '^MenuOS>>hello: Connection refused' "$T/out" || { show_run; fail "$1: a hello without the server was not refused"; }
}
test_menu_replyhi_hello() { menu_replyhi_hello build/user/menu; }
test_menu32_replyhi_hello() { menu_replyhi_hello build/user/menu32; }

# menu32 makes every socket call through socketcall (102), the path the
# MenuOS lab traces: sysgate's trace of replyhi and hello shows socket, bind,
# listen, accept, connect, send, recv and setsockopt, in the menu and in its
# server, each decoded as strace does and marked as carried by socketcall
# ("[int80 socketcall]", docs/tracing.md), and no direct socket call.
test_menu32_socket_calls_go_through_socketcall() {
    status=0
    printf 'replyhi\nhello\nquit\n' | "$SYSGATE" run --trace --timeout "$RUN_TIMEOUT" build/user/menu32 >"$T/out" 2>"$T/err" || status=$?
    expect_status 0
    grep -q 'received "hi"' "$T/out" || { show_run; fail "no reply"; }
    local call calls='socket|bind|connect|listen|accept4?|send|recv|sendto|recvfrom|setsockopt'
    for call in socket bind connect listen accept send recv setsockopt; do
        grep -Eq "^[0-9]+ ($call\(|<\.\.\. $call resumed>).* \[(int80|sysenter|syscall32) socketcall\]\$" "$T/err" ||
            fail "no $call through socketcall in the trace"
    done
    ! grep -E "^[0-9]+ ($calls)\(.*\[(syscall|int80|sysenter|syscall32)\]\$" "$T/err" >&2 ||
        fail "a socket call made directly"
}
