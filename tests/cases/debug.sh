# The gdb workflow of `make debug` (docs/debugging.md), driven with gdb in batch mode:
# sysgate run --gdb, tools/debug/sysgate.gdb, and tests/progs/debuggates, which makes
# write(1, ...) and exit(42) through one gate from an instruction at debug_GATE_insn.
# gdb stops at the gate for the known call and prints it, steps from the program's gate
# instruction into the entry code and out again to the instruction after it, and the
# program ends with its own status.

DEBUG_INTEL_CPU=Skylake-Client-v1   # a direct sysenter is defined on Intel only
DEBUG_AMD_CPU=EPYC-v1               # __kernel_vsyscall uses 32-bit syscall
DEBUG_TIMEOUT=60                    # for gdb; the guest gets the same through --timeout

debug_symbol() { nm "$1" | awk -v name="$2" '$3 == name { print $1 }'; }

# debug_session CPU PROGRAM ARGS...: boots PROGRAM under `sysgate run --gdb` on a unix
# socket (no TCP port to find free) and runs gdb in batch mode with the commands in
# $T/commands after sg-attach. gdb's output is in $T/gdb.out, the program's in $T/out and
# $T/err, its exit status in $status. Nothing outlives the session: a guest that gdb left
# stopped ends at the monitor's --timeout, and the monitor takes QEMU with it.
debug_session() {
    local cpu=$1 program=$2 socket=$T/gdb.sock
    shift
    "$SYSGATE" run --timeout "$DEBUG_TIMEOUT" ${cpu:+--cpu "$cpu"} --gdb="$socket" "$@" \
        >"$T/out" 2>"$T/err" </dev/null &
    local monitor=$! tries=0
    # QEMU creates the socket before the guest's first instruction, which waits for gdb.
    while [ ! -S "$socket" ] && kill -0 "$monitor" 2>/dev/null && [ $tries -lt 600 ]; do
        sleep 0.05
        tries=$((tries + 1))
    done
    timeout "$DEBUG_TIMEOUT" gdb -nx -batch -x tools/debug/sysgate.gdb -ex "sg-attach $socket $program" \
        -x "$T/commands" >"$T/gdb.out" 2>&1 </dev/null || true
    status=0
    wait "$monitor" || status=$?
}

show_session() {
    echo "--- gdb:" >&2; head -c 6000 "$T/gdb.out" >&2
    show_run
}

# expect_gdb_line REGEX: gdb printed a line matching the extended REGEX.
expect_gdb_line() {
    grep -Eq -- "$1" "$T/gdb.out" || { show_session; fail "gdb printed no line matching: $1"; }
}

# gdb_value NAME: the address gdb printed as "NAME 0x...".
gdb_value() { awk -v name="$1" '$1 == name { print $2 }' "$T/gdb.out" | head -n 1; }

# The workflow from the program's gate instruction: break there, stepi into the entry
# (whose hardware breakpoint prints the call), step out, continue to exit.
debug_commands_from_instruction() {
    cat >"$T/commands" <<EOF
sg-syscalls on write exit
hbreak *debug_$1_insn
continue
printf "at-instruction %#lx\n", (unsigned long)\$pc
delete \$bpnum
stepi
printf "after-stepi %#lx\n", (unsigned long)\$pc
sg-regs
sg-step-out
printf "after-step-out %#lx\n", (unsigned long)\$pc
printf "call-returns-to %#lx\n", (unsigned long)\$sg_return
EOF
    # sysenter returns to the 32-bit vDSO's landing pad, whose symbols sg-attach loads
    [ "$1" != sysenter ] || printf '%s\n' 'printf "landing-pad %#lx\n", (unsigned long)&int80_landing_pad' >>"$T/commands"
    cat >>"$T/commands" <<EOF
continue
printf "at-exit %#lx\n", (unsigned long)\$pc
continue
EOF
}

# debug_gate_check PROGRAM GATE ENTRY RETURN WRITE_NR EXIT_NR: what gdb printed for one
# gate, entered by stepi from debug_GATE_insn; RETURN is the symbol the kernel returns to.
debug_gate_check() {
    local program=$1 gate=$2 entry=$3 return_symbol=$4 write_nr=$5 exit_nr=$6 line_gate=$7
    expect_status 42 || { show_session; return 1; }
    grep -qx "debuggates: $gate" "$T/out" || { show_session; fail "the program's line is missing"; }
    [ "$(gdb_value at-instruction)" = "0x$(debug_symbol "$program" "debug_${gate}_insn" | sed 's/^0*//')" ] ||
        { show_session; fail "gdb did not stop at the program's $gate instruction"; }
    [ "$(gdb_value after-stepi)" = "0x$(debug_symbol build/kernel.elf "$entry")" ] ||
        { show_session; fail "stepi from the $gate instruction did not reach $entry"; }
    local length=$(( ${#gate} + 13 )) # "debuggates: GATE\n"
    expect_gdb_line "^pid 1: syscall $write_nr write\\(1, \"debuggates: $gate\\\\n\", $length\\) \\[$line_gate\\]$" || return 1
    expect_gdb_line "^sysgate: back in user mode after [0-9]+ kernel instructions$" || return 1
    local back want
    back=$(gdb_value after-step-out)
    [ "$back" = "$(gdb_value call-returns-to)" ] ||
        { show_session; fail "stepping out ended at $back, not where the call returns"; }
    if [ "$return_symbol" = landing-pad ]; then
        want=$(gdb_value landing-pad)
    else
        want=0x$(debug_symbol "$program" "$return_symbol" | sed 's/^0*//')
    fi
    [ "$back" = "$want" ] || { show_session; fail "back in user mode at $back, expected $want ($return_symbol)"; }
    expect_gdb_line "^pid 1: syscall $exit_nr exit\\(42\\) \\[$line_gate\\]$" || return 1
    [ "$(gdb_value at-exit)" = "0x$(debug_symbol build/kernel.elf "$entry")" ] ||
        { show_session; fail "gdb did not stop at $entry for exit"; }
}

test_debug_syscall64() {
    debug_commands_from_instruction syscall
    debug_session "" $GLIBC/debuggates syscall
    debug_gate_check $GLIBC/debuggates syscall entry_syscall_64 debug_syscall_after 1 60 syscall
}

test_debug_int80_from_64bit() {
    debug_commands_from_instruction int80
    debug_session "" $GLIBC/debuggates int80
    debug_gate_check $GLIBC/debuggates int80 entry_int80 debug_int80_after 4 1 int80
}

test_debug_int80_i386() {
    debug_commands_from_instruction int80
    debug_session "" $I386/debuggates int80
    debug_gate_check $I386/debuggates int80 entry_int80 debug_int80_after 4 1 int80
}

# A direct sysenter only on an Intel CPU model: AMD's manual makes it #UD in long mode
# (docs/cpu-vendors.md), and the host's CPU is never the oracle.
test_debug_sysenter_intel() {
    debug_commands_from_instruction sysenter
    debug_session $DEBUG_INTEL_CPU $I386/debuggates sysenter
    debug_gate_check $I386/debuggates sysenter entry_sysenter_32 landing-pad 4 1 sysenter
}

# __kernel_vsyscall on an AMD model takes 32-bit syscall: gdb stops at its entry without
# a breakpoint in the program, and stepping out ends at the vDSO's landing pad.
test_debug_syscall32_amd() {
    cat >"$T/commands" <<'EOF'
sg-syscalls on write exit
continue
printf "at-write %#lx\n", (unsigned long)$pc
sg-step-out
printf "after-step-out %#lx\n", (unsigned long)$pc
info symbol $pc
continue
printf "at-exit %#lx\n", (unsigned long)$pc
continue
EOF
    debug_session $DEBUG_AMD_CPU $I386/debuggates vsyscall
    expect_status 42 || { show_session; return 1; }
    local entry
    entry=0x$(debug_symbol build/kernel.elf entry_syscall_32)
    [ "$(gdb_value at-write)" = "$entry" ] || { show_session; fail "no stop at entry_syscall_32"; }
    expect_gdb_line '^pid 1: syscall 4 write\(1, "debuggates: vsyscall\\n", 21\) \[syscall32\]$' || return 1
    expect_gdb_line '^__kernel_vsyscall \+ [0-9]+ in section \.text of .*vdso32\.so$' || return 1
    expect_gdb_line '^pid 1: syscall 1 exit\(42\) \[syscall32\]$' || return 1
    [ "$(gdb_value at-exit)" = "$entry" ] || { show_session; fail "no stop at entry_syscall_32 for exit"; }
}

# `dispatch`: the fast paths closed, gdb stops in the C dispatcher, sg-regs shows the
# struct regs it got, and sg-return runs to the instruction after the gate's.
test_debug_dispatcher() {
    cat >"$T/commands" <<'EOF'
sg-syscalls on dispatch write exit
continue
printf "at-write %#lx\n", (unsigned long)$pc
sg-regs
sg-return
printf "returned %#lx\n", (unsigned long)$pc
continue
printf "at-exit %#lx\n", (unsigned long)$pc
continue
EOF
    debug_session "" $GLIBC/debuggates int80
    expect_status 42 || { show_session; return 1; }
    local dispatcher
    dispatcher=0x$(debug_symbol build/kernel.elf syscall_32_dispatch)
    [ "$(gdb_value at-write)" = "$dispatcher" ] || { show_session; fail "no stop at syscall_32_dispatch"; }
    expect_gdb_line '^pid 1: syscall 4 write\(1, "debuggates: int80\\n", 18\) \[int80\]$' || return 1
    expect_gdb_line '^sysgate: the struct regs entry_int80 built for syscall_32_dispatch:$' || return 1
    expect_gdb_line 'nr = 0x4, error_code = 0x0, rip = 0x[0-9a-f]+, cs = 0x33' || return 1
    [ "$(gdb_value returned)" = "0x$(debug_symbol $GLIBC/debuggates debug_int80_after | sed 's/^0*//')" ] ||
        { show_session; fail "sg-return did not end after the int \$0x80"; }
    [ "$(gdb_value at-exit)" = "$dispatcher" ] || { show_session; fail "no stop in the dispatcher for exit"; }
}

# `trace`: every call printed, none stopped at, as strace would list them.
test_debug_trace_every_call() {
    printf 'sg-syscalls trace\ncontinue\n' >"$T/commands"
    debug_session "" $GLIBC/debuggates syscall
    expect_status 42 || { show_session; return 1; }
    expect_gdb_line '^pid 1: syscall [0-9]+ brk\(0\) \[syscall\]$' || return 1
    expect_gdb_line '^pid 1: syscall 1 write\(1, "debuggates: syscall\\n", 20\) \[syscall\]$' || return 1
    expect_gdb_line '^pid 1: syscall 60 exit\(42\) \[syscall\]$' || return 1
    ! grep -q '^Breakpoint ' "$T/gdb.out" || { show_session; fail "trace mode stopped"; }
}

# The TCP form, on a port that was free a moment ago, and --gdb's usage errors.
test_debug_tcp_port() {
    local port tries=0
    # a port nothing listens on (bash's /dev/tcp cannot connect to it)
    while port=$((20000 + RANDOM % 40000)) && (: </dev/tcp/127.0.0.1/$port) 2>/dev/null; do
        tries=$((tries + 1))
        [ $tries -lt 100 ] || { fail "no free TCP port found"; return 1; }
    done
    printf 'sg-syscalls on exit\ncontinue\ncontinue\n' >"$T/commands"
    "$SYSGATE" run --timeout "$DEBUG_TIMEOUT" --gdb="$port" build/user/exit42-syscall64 >"$T/out" 2>"$T/err" </dev/null &
    local monitor=$!
    tries=0
    until grep -q "waits for gdb at 127.0.0.1:$port" "$T/err" || ! kill -0 "$monitor" 2>/dev/null || [ $tries -ge 600 ]; do
        sleep 0.05
        tries=$((tries + 1))
    done
    local attached=0
    for tries in 1 2 3 4 5 6 7 8 9 10; do
        timeout "$DEBUG_TIMEOUT" gdb -nx -batch -x tools/debug/sysgate.gdb \
            -ex "sg-attach 127.0.0.1:$port build/user/exit42-syscall64" -x "$T/commands" >"$T/gdb.out" 2>&1 </dev/null || true
        grep -q '^pid 1: syscall 60 exit(42) \[syscall\]$' "$T/gdb.out" && { attached=1; break; }
        sleep 0.1 # QEMU may not listen yet
    done
    status=0
    wait "$monitor" || status=$?
    [ $attached = 1 ] || { show_session; fail "gdb did not catch exit(42) over TCP"; }
    expect_status 42 || return 1
    expect_stderr_line "from the source tree: gdb -x tools/debug/sysgate.gdb -ex 'sg-attach 127.0.0.1:$port build/user/exit42-syscall64'"
    for bad in 0 65536 12x -1; do
        sg_run --gdb=$bad build/user/exit42-syscall64
        expect_status 125 || return 1
        expect_stderr_line "^sysgate: --gdb=$bad: use a TCP port" || return 1
    done
}

# tools/debug/qemu-log: QEMU's CPU log through --qemu, with the int $0x80 of the program in it.
test_debug_qemu_log() {
    QEMU_LOG=$T/qemu.log sg_run --qemu tools/debug/qemu-log build/user/exit42-int80_64
    expect_status 42 || return 1
    local address
    address=$(objdump -d build/user/exit42-int80_64 | awk '$NF == "$0x80" && $(NF-1) == "int" { sub(":", "", $1); print $1 }')
    [ -n "$address" ] || fail "no int \$0x80 in exit42-int80_64"
    grep -Eq "v=80 .* cpl=3 IP=0033:0*${address}( |$)" "$T/qemu.log" ||
        { head -c 3000 "$T/qemu.log" >&2; fail "QEMU's log lacks the int \$0x80 at $address"; }
}
