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

# replyhi and hello over loopback TCP, on Linux: the program itself is right
# (sysgate's AF_INET, and this test run on it, come with the networking work).
test_menu_replyhi_hello_on_the_host() {
    for menu in build/user/menu build/user/menu32; do
        printf 'replyhi\nhello\nhello\nquit\n' | timeout 20 "$menu" >"$T/host.out" 2>&1 || fail "$menu failed"
        [ "$(grep -c 'received "hi"' "$T/host.out")" = 2 ] || { cat "$T/host.out" >&2; fail "$menu: no reply"; }
    done
}
