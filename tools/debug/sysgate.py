# gdb commands for debugging sysgate in QEMU's gdb stub (docs/debugging.md).
#
# Loaded by tools/debug/sysgate.gdb. Loads build/kernel.elf's symbols and defines:
#
#   sg-attach TARGET [PROGRAM]   connect to `sysgate run --gdb` (host:port or a socket path),
#                                load PROGRAM's symbols, arm the system-call breakpoints
#   sg-syscalls [on|trace|off] [entry|dispatch] [GATE...] [NAME...]
#                                stop at (or only print) every system call
#   sg-regs                      the user's registers of the call in progress
#   sg-step-out [MAX]            single-step until the CPU is back in user mode
#   sg-return                    run until the call returns to user mode
#
# Every call is printed as `pid 1: syscall 60 exit(42) [syscall]`: the number, the name
# from the kernel's own tables (syscall_names_64/_32), the arguments formatted by the
# types of the kernel function that serves the call, and the gate.
import os

import gdb

TREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_ELF = os.environ.get("SYSGATE_KERNEL", os.path.join(TREE, "build", "kernel.elf"))

KERNEL_HALF = 0xFFFF800000000000  # the canonical upper half: kernel addresses only
MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1


def kernel_constant(header, name, fallback):
    """A #define of a kernel header, which gdb does not see without -g3."""
    try:
        with open(os.path.join(TREE, "kernel", "include", header)) as text:
            for line in text:
                words = line.split()
                if len(words) >= 3 and words[0] == "#define" and words[1] == name:
                    return int(words[2].rstrip("ulUL"), 0)
    except (OSError, ValueError):
        pass
    return fallback


USER_TOP = kernel_constant("layout.h", "USER_TOP", 0x00007FFFFFFFF000)  # user space is below
KERNEL_STACK_SIZE = kernel_constant("layout.h", "KERNEL_STACK_SIZE", 32768)
PAGE_SIZE = kernel_constant("layout.h", "PAGE_SIZE", 4096)
# Where exec places a static-PIE program and the vDSOs (kernel/proc/exec.c, vdso.c: the
# vDSO is the second page above the stack's top, after the vvar page).
USER_PIE_BASE = kernel_constant("layout.h", "USER_PIE_BASE", 0x0000555555554000)
COMPAT_PIE_BASE = kernel_constant("compat.h", "COMPAT_PIE_BASE", 0x56555000)
VDSO64_ADDRESS = kernel_constant("layout.h", "USER_STACK_TOP", 0x00007FFFFFFDE000) + 2 * PAGE_SIZE
VDSO32_ADDRESS = kernel_constant("compat.h", "COMPAT_STACK_TOP", 0xFFFD0000) + 2 * PAGE_SIZE


class Gate:
    """One way into the kernel: its entry label (the first instruction after the CPU's
    switch), the C dispatcher its full path calls, and where the arguments are."""

    def __init__(self, name, entry, dispatcher, wide):
        self.name = name
        self.entry = entry
        self.dispatcher = dispatcher
        self.wide = wide  # the x86-64 table; otherwise i386's


GATES = [
    Gate("syscall", "entry_syscall_64", "syscall_64_dispatch", True),
    Gate("int80", "entry_int80", "syscall_32_dispatch", False),
    Gate("sysenter", "entry_sysenter_32", "sysenter_32_dispatch", False),
    Gate("syscall32", "entry_syscall_32", "syscall32_dispatch", False),
]
GATE_BY_NAME = {gate.name: gate for gate in GATES}

# Calls whose table entry takes the whole frame (SYSCALL_PTREGS in the .tbl files): the
# function's type does not say how many arguments the user passed.
WHOLE_FRAME_ARGUMENTS = {
    "clone": 5, "execve": 3, "execveat": 5, "fork": 0, "vfork": 0,
    "rt_sigreturn": 0, "sigreturn": 0, "sigaltstack": 2,
}


def value_of(expression):
    return int(gdb.parse_and_eval(expression)) & MASK64


def register(name):
    return value_of("$" + name)


def read_u32(address):
    return int.from_bytes(bytes(gdb.selected_inferior().read_memory(address, 4)), "little")


def read_u64(address):
    return int.from_bytes(bytes(gdb.selected_inferior().read_memory(address, 8)), "little")


def this_cpu():
    """The running CPU's struct cpu: %gs's base in the kernel, the swapped-out base while
    the user's %gs is loaded (a gate's first instructions, before swapgs)."""
    base = register("gs_base")
    return base if base >= KERNEL_HALF else register("k_gs_base")


def current_pid():
    try:
        return int(gdb.parse_and_eval("((struct cpu *)%d)->current->pid" % this_cpu()))
    except gdb.error:
        return None


class Call:
    """A system call caught at a gate: number, six raw arguments, and where it returns."""

    def __init__(self, gate, nr, args, return_address):
        self.gate = gate
        self.nr = nr
        self.args = args  # six values; None for one the kernel cannot read either
        self.return_address = return_address

    @classmethod
    def at_entry(cls, gate):
        """The registers are still the user's: the gate has saved nothing yet."""
        reg = {name: register(name) for name in
               ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10")}
        if gate.name == "syscall":  # Linux reads the number as an int
            return cls(gate, reg["rax"] & MASK32,
                       [reg["rdi"], reg["rsi"], reg["rdx"], reg["r10"], reg["r8"], reg["r9"]],
                       reg["rcx"])
        narrow = {name: value & MASK32 for name, value in reg.items()}
        if gate.name == "int80":  # the CPU pushed the user's rip on the kernel stack
            return cls(gate, narrow["rax"],
                       [narrow["rbx"], narrow["rcx"], narrow["rdx"], narrow["rsi"], narrow["rdi"],
                        narrow["rbp"]], read_u64(reg["rsp"]))
        # sysenter and 32-bit syscall come through the vDSO (or a caller doing its job),
        # which saved the sixth argument at the top of the user stack: ebp for sysenter,
        # esp for syscall (whose second argument travels in ebp: ecx holds the return).
        landing_pad = value_of("((struct cpu *)%d)->vdso32_landing_pad" % this_cpu())
        if gate.name == "sysenter":
            second, stack = narrow["rcx"], narrow["rbp"]
        else:
            second, stack = narrow["rbp"], narrow["rsp"]
        return cls(gate, narrow["rax"],
                   [narrow["rbx"], second, narrow["rdx"], narrow["rsi"], narrow["rdi"],
                    Call.user_word(stack)], landing_pad)

    @classmethod
    def at_dispatcher(cls, gate):
        """First instruction of the C dispatcher: %rdi is its struct regs *."""
        regs = gdb.parse_and_eval("(struct regs *)$rdi").dereference()
        r = {field.name: int(regs[field.name]) & MASK64 for field in regs.type.fields()}
        if gate.wide:
            return cls(gate, r["nr"] & MASK32,
                       [r["rdi"], r["rsi"], r["rdx"], r["r10"], r["r8"], r["r9"]], r["rip"])
        narrow = {name: value & MASK32 for name, value in r.items()}
        if gate.name == "int80":
            return cls(gate, narrow["nr"],
                       [narrow["rbx"], narrow["rcx"], narrow["rdx"], narrow["rsi"], narrow["rdi"],
                        narrow["rbp"]], r["rip"])
        landing_pad = value_of("((struct cpu *)%d)->vdso32_landing_pad" % this_cpu())
        second = narrow["rcx"] if gate.name == "sysenter" else narrow["rbp"]
        return cls(gate, narrow["nr"],
                   [narrow["rbx"], second, narrow["rdx"], narrow["rsi"], narrow["rdi"],
                    Call.user_word(narrow["rsp"])], landing_pad)

    @staticmethod
    def user_word(address):
        try:
            return read_u32(address)
        except gdb.MemoryError:
            return None  # the kernel answers EFAULT

    def name(self):
        table, count = ("64", "syscall_count_64") if self.gate.wide else ("32", "syscall_count_32")
        if self.nr >= value_of(count):
            return None
        name = gdb.parse_and_eval("syscall_names_%s[%d]" % (table, self.nr))
        return name.string() if int(name) else None

    def service(self):
        """The block of the kernel function serving the call (None for a whole-frame call)."""
        table = "syscall_table_64" if self.gate.wide else "syscall_table_32"
        address = value_of("(unsigned long)%s[%d]" % (table, self.nr))
        block = gdb.block_for_pc(address)
        # the innermost block may be a function inlined at the entry point
        while block is not None and block.superblock is not None and not block.superblock.is_static:
            block = block.superblock
        if block is None or block.function is None or block.function.name == "ptregs_stub":
            return None
        return block

    def describe(self):
        name = self.name()
        if name is None:
            return "syscall %d: no such call (-ENOSYS) [%s]" % (self.nr, self.gate.name)
        service = self.service()
        implemented = service is None or service.function.name != "sys_ni_syscall"
        parameters = None  # (name, type) of each
        if service is not None and implemented:
            types = [field.type for field in service.function.type.fields()]
            names = [symbol.name for symbol in service if symbol.is_argument]
            parameters = list(zip(names if len(names) == len(types) else [""] * len(types), types))
        elif service is None and name in WHOLE_FRAME_ARGUMENTS:
            parameters = [("", None)] * WHOLE_FRAME_ARGUMENTS[name]
        if parameters is None:
            parameters = [("", None)] * len(self.args)
        args = self.args[:len(parameters)]
        text = ", ".join(format_argument(args, index, parameters) for index in range(len(args)))
        note = "" if implemented else " (not implemented: -ENOSYS)"
        pid = current_pid()
        prefix = "pid %d: " % pid if pid is not None else ""
        return "%ssyscall %d %s(%s) [%s]%s" % (prefix, self.nr, name, text, self.gate.name, note)


STRING_LIMIT = 32  # bytes shown of a string argument, as strace -s 32


def format_argument(args, index, parameters):
    """An argument as its C type in the kernel reads it: a `const char *` as the string it
    points to, other pointers in hex (NULL for 0), signed integers in decimal, unsigned ones
    in decimal while small; without a type, hex."""
    value, (name, kind) = args[index], parameters[index]
    if value is None:
        return "?"
    if kind is None:
        return hex(value)
    kind = kind.strip_typedefs()
    if kind.code == gdb.TYPE_CODE_PTR:
        if value == 0:
            return "NULL"
        target = kind.target()
        if target.code == gdb.TYPE_CODE_INT and target.sizeof == 1 and target == target.const():
            # a buffer with its length next (write's) is that long, a path ends at its NUL
            length = None
            if "buf" in name and index + 1 < len(args) and args[index + 1] is not None and \
                    parameters[index + 1][1] is not None and \
                    parameters[index + 1][1].strip_typedefs().code == gdb.TYPE_CODE_INT:
                length = args[index + 1]
            return format_user_string(value, length)
        return hex(value)
    bits = 8 * kind.sizeof
    value &= (1 << bits) - 1
    signed = kind.is_signed if hasattr(kind, "is_signed") else not (kind.name or "").startswith("unsigned")
    if signed and kind.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_ENUM):
        if value >> (bits - 1):
            value -= 1 << bits
        return str(value)
    return str(value) if value < 0x10000 else hex(value)


ESCAPES = {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r", ord('"'): '\\"', ord("\\"): "\\\\"}


def format_user_string(address, length):
    """The user's bytes at address, quoted and escaped like strace's; the address in hex when
    they cannot be read."""
    wanted = STRING_LIMIT if length is None else min(length, STRING_LIMIT)
    data = b""
    try:
        for offset in range(wanted):  # byte by byte: the string may end just before a hole
            byte = bytes(gdb.selected_inferior().read_memory(address + offset, 1))
            if length is None and byte == b"\0":
                break
            data += byte
    except gdb.MemoryError:
        if not data:
            return hex(address)
    text = "".join(ESCAPES.get(byte, chr(byte) if 32 <= byte < 127 else "\\x%02x" % byte) for byte in data)
    cut = (length is None and len(data) == STRING_LIMIT) or (length is not None and length > len(data))
    return '"%s"%s' % (text, "..." if cut else "")


class State:
    mode = "on"        # on: stop; trace: print and go on; off
    where = "entry"    # entry: the gate's first instruction; dispatch: the C dispatcher
    gates = [gate.name for gate in GATES]
    names = set()      # empty: every call
    breakpoints = []
    saved_limits = None  # the fast paths' limits before `dispatch` closed them
    last = None          # the Call last caught
    pending_limits = None


def set_convenience(call):
    gdb.set_convenience_variable("sg_nr", call.nr)
    gdb.set_convenience_variable("sg_return", call.return_address)
    gdb.set_convenience_variable("sg_gate", call.gate.name)


class GateBreakpoint(gdb.Breakpoint):
    """A hardware breakpoint (it works under KVM too) at a gate's entry or dispatcher."""

    def __init__(self, gate, where):
        symbol = gate.entry if where == "entry" else gate.dispatcher
        super().__init__("*%s" % symbol, type=gdb.BP_HARDWARE_BREAKPOINT)
        self.gate = gate
        self.where = where

    def stop(self):
        try:
            call = Call.at_entry(self.gate) if self.where == "entry" else Call.at_dispatcher(self.gate)
            name = call.name()
            if State.names and name not in State.names:
                return False
            State.last = call
            set_convenience(call)
            gdb.write(call.describe() + "\n")
            gdb.flush()
        except gdb.error as error:
            gdb.write("sysgate: cannot decode the call at %s: %s\n" % (self.location, error))
            return True
        return State.mode == "on"


class LimitsBreakpoint(gdb.Breakpoint):
    """Closes the fast paths once the kernel has set its gates up (the first return to user
    space), when `dispatch` was asked for before the kernel ran."""

    def __init__(self):
        super().__init__("*ret_to_user_from_new_task", type=gdb.BP_HARDWARE_BREAKPOINT, internal=True)

    def stop(self):
        if State.pending_limits is self:
            close_fast_paths()
            State.pending_limits = None
            gdb.post_event(self.delete)  # not from its own stop()
        return False


def delete_breakpoint(breakpoint):
    if breakpoint is not None and breakpoint.is_valid():  # the user may have deleted it
        breakpoint.delete()


FAST_LIMITS = ("syscall_64_fast_limit", "syscall_32_fast_limit")


def close_fast_paths():
    """Every call takes the full path to the C dispatcher, as with sysgate.trace: the
    entry code sends numbers at or above these limits there."""
    if State.saved_limits is None:
        State.saved_limits = [value_of(limit) for limit in FAST_LIMITS]
    for limit in FAST_LIMITS:
        gdb.execute("set var %s = 0" % limit, to_string=True)


def reopen_fast_paths():
    delete_breakpoint(State.pending_limits)
    State.pending_limits = None
    if State.saved_limits is None:
        return
    for limit, saved in zip(FAST_LIMITS, State.saved_limits):
        gdb.execute("set var %s = %d" % (limit, saved), to_string=True)
    State.saved_limits = None


def kernel_data_readable():
    try:
        value_of(FAST_LIMITS[0])
        return True
    except gdb.MemoryError:
        return False  # paging is not on yet: the guest is stopped before its first instruction


def connected():
    inferior = gdb.selected_inferior()
    return inferior is not None and inferior.pid != 0


def arm():
    """Puts State into effect: the breakpoints, and the fast paths for `dispatch`."""
    for breakpoint in State.breakpoints:
        delete_breakpoint(breakpoint)
    State.breakpoints = []
    if State.where != "dispatch" or State.mode == "off":
        reopen_fast_paths()
    if State.mode == "off" or not connected():
        return
    if State.where == "dispatch" and State.saved_limits is None and State.pending_limits is None:
        if kernel_data_readable():
            close_fast_paths()
        else:
            State.pending_limits = LimitsBreakpoint()
    for name in State.gates:
        State.breakpoints.append(GateBreakpoint(GATE_BY_NAME[name], State.where))


def known_call_names():
    """Read from kernel.elf's read-only data: before the kernel has turned paging on, the
    guest has nothing at those addresses."""
    names = set()
    trusted = gdb.parameter("trust-readonly-sections")
    gdb.execute("set trust-readonly-sections on")
    try:
        for table, count in (("syscall_names_64", "syscall_count_64"), ("syscall_names_32", "syscall_count_32")):
            for nr in range(value_of(count)):
                name = gdb.parse_and_eval("%s[%d]" % (table, nr))
                if int(name):
                    names.add(name.string())
    finally:
        gdb.execute("set trust-readonly-sections %s" % ("on" if trusted else "off"))
    return names


class SyscallsCommand(gdb.Command):
    """Stop at every system call, or only print it, through the gates' hardware breakpoints.

sg-syscalls [on|trace|off] [entry|dispatch] [GATE...] [NAME...]

  on        stop at each call (the default) and print it
  trace     print each call and go on, like strace
  off       remove the breakpoints
  entry     break at the gate's first instruction (entry_syscall_64, entry_int80,
            entry_sysenter_32, entry_syscall_32): every call passes there (the default)
  dispatch  break at the C dispatchers instead (syscall_64_dispatch, syscall_32_dispatch,
            sysenter_32_dispatch, syscall32_dispatch), with the entry code's fast paths
            closed so that every call reaches them, as with sysgate.trace
  GATE      syscall, int80, sysenter, syscall32: only these gates (all four by default;
            under KVM a gate costs one of the CPU's four debug registers)
  NAME      only these calls (exit, write, ...; any earlier list is replaced)

Without arguments, shows the settings."""

    def __init__(self):
        super().__init__("sg-syscalls", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if not words:
            self.show()
            return
        gates, names = [], set()
        for word in words:
            if word in ("on", "trace", "off"):
                State.mode = word
            elif word in ("entry", "dispatch"):
                State.where = word
            elif word in GATE_BY_NAME:
                gates.append(word)
            else:
                names.add(word)
        if names:
            unknown = names - known_call_names()
            if unknown:
                raise gdb.GdbError("sg-syscalls: no system call named %s" % ", ".join(sorted(unknown)))
        State.gates = gates or [gate.name for gate in GATES]
        State.names = names
        arm()
        self.show()

    @staticmethod
    def show():
        if State.mode == "off":
            gdb.write("sysgate: system calls are not watched\n")
            return
        gdb.write("sysgate: system calls %s at the %s of %s%s%s\n" % (
            {"on": "stop", "trace": "are printed"}[State.mode],
            "entry" if State.where == "entry" else "C dispatcher",
            ", ".join(State.gates),
            "; only " + ", ".join(sorted(State.names)) if State.names else "",
            "" if connected() else " (armed by sg-attach)"))


class AttachCommand(gdb.Command):
    """Connect to a guest started with `sysgate run --gdb`.

sg-attach TARGET [PROGRAM]

TARGET is host:port (127.0.0.1:1234 for --gdb) or the unix socket of --gdb=PATH. PROGRAM's
symbols are added when given (a static program: its own addresses). Then the system-call
breakpoints of `sg-syscalls` are armed; the guest stays stopped before its first
instruction until `continue`."""

    def __init__(self):
        super().__init__("sg-attach", gdb.COMMAND_RUNNING)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if len(words) not in (1, 2):
            raise gdb.GdbError("usage: sg-attach TARGET [PROGRAM]")
        gdb.execute("target remote %s" % words[0], from_tty=False)
        if len(words) == 2:
            load_program_symbols(words[1])
        arm()
        SyscallsCommand.show()


def load_program_symbols(program):
    """PROGRAM's symbols where exec puts them, and those of the vDSO of its ABI."""
    if not os.path.isfile(program):
        gdb.write("sysgate: %s is not a host file: no symbols for the program\n" % program)
        return
    with open(program, "rb") as elf:
        header = elf.read(18)
    if header[:4] != b"\x7fELF":
        gdb.write("sysgate: %s is not an ELF file: no symbols for the program\n" % program)
        return
    ELFCLASS32, ET_DYN = 1, 3
    is32 = header[4] == ELFCLASS32
    offset = ""
    if int.from_bytes(header[16:18], "little") == ET_DYN:
        offset = " -o 0x%x" % (COMPAT_PIE_BASE if is32 else USER_PIE_BASE)
    gdb.execute("add-symbol-file %s%s" % (program, offset), from_tty=False, to_string=True)
    gdb.write("sysgate: symbols of %s loaded\n" % program)
    vdso = os.path.join(os.path.dirname(KERNEL_ELF), "vdso", "vdso32.so" if is32 else "vdso64.so")
    if os.path.isfile(vdso):
        gdb.execute("add-symbol-file %s -o 0x%x" % (vdso, VDSO32_ADDRESS if is32 else VDSO64_ADDRESS),
                    from_tty=False, to_string=True)


REGISTER_ORDER = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10",
                  "r11", "r12", "r13", "r14", "r15", "rip", "rflags", "cs", "ss")


class RegsCommand(gdb.Command):
    """The user's registers of the system call in progress.

At a gate's entry they are still in the CPU (rip from rcx for syscall, from the kernel
stack's iret frame for int $0x80; sysenter and 32-bit syscall return to the vDSO's landing
pad); at a dispatcher they are its struct regs; elsewhere in the kernel they are the
current task's struct regs at the top of its kernel stack, complete when the task entered
through an interrupt or a gate's full path (the fast paths keep only what they need)."""

    def __init__(self):
        super().__init__("sg-regs", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        pc = register("pc")
        if pc < USER_TOP:
            raise gdb.GdbError("sg-regs: the CPU is in user mode: use `info registers`")
        for gate in GATES:
            if pc == value_of("(unsigned long)&%s" % gate.entry):
                self.show_live(gate)
                return
        for gate in GATES:
            if pc == value_of("(unsigned long)&%s" % gate.dispatcher):
                gdb.write("sysgate: the struct regs %s built for %s:\n" % (gate.entry, gate.dispatcher))
                gdb.execute("print/x *(struct regs *)$rdi")
                return
        task = "((struct cpu *)%d)->current" % this_cpu()
        address = value_of("%s->kstack" % task) + KERNEL_STACK_SIZE - value_of("sizeof(struct regs)")
        gdb.write("sysgate: the struct regs at the top of pid %s's kernel stack:\n" % current_pid())
        gdb.execute("print/x *(struct regs *)%d" % address)

    @staticmethod
    def show_live(gate):
        call = Call.at_entry(gate)
        # cs and ss are the kernel's already: only int $0x80's frame has the user's
        values = {name: register(name) for name in REGISTER_ORDER if name not in ("rip", "rflags", "cs", "ss")}
        values["rip"] = call.return_address
        if gate.name == "syscall":
            values["rflags"] = values["r11"]
        elif gate.name == "int80":
            frame = register("rsp")
            values["cs"], values["rflags"] = read_u64(frame + 8), read_u64(frame + 16)
            values["rsp"], values["ss"] = read_u64(frame + 24), read_u64(frame + 32)
        elif gate.name == "sysenter":
            values["rsp"] = values["rbp"] & MASK32  # the vDSO's frame; the CPU keeps no user rsp
            values["rflags"] = register("eflags")
        else:
            values["rflags"] = values["r11"]
        gdb.write("sysgate: still in the CPU at %s's first instruction (rip is where the call "
                  "returns):\n" % gate.entry)
        for name in REGISTER_ORDER:
            if name in values:
                gdb.write("  %-6s 0x%016x\n" % (name, values[name]))


class StepOutCommand(gdb.Command):
    """Single-step (stepi) until the CPU is back in user mode, and say how many
instructions the kernel ran. A call that sleeps never returns this way: use sg-return.

sg-step-out [MAX]   (MAX instructions at most, 100000 by default)"""

    def __init__(self):
        super().__init__("sg-step-out", gdb.COMMAND_RUNNING)

    def invoke(self, argument, from_tty):
        limit = int(argument) if argument.strip() else 100000
        steps = 0
        with quiet_stops():
            while register("pc") >= USER_TOP and steps < limit:
                try:
                    gdb.execute("stepi", to_string=True)
                except gdb.error as error:  # exit and execve of a bad file do not return
                    raise gdb.GdbError("sg-step-out: the guest ended after %d kernel instructions "
                                       "(%s)" % (steps, error))
                steps += 1
        if register("pc") >= USER_TOP:
            raise gdb.GdbError("sg-step-out: still in the kernel after %d instructions, at %s"
                               % (steps, gdb.execute("x/i $pc", to_string=True).strip()))
        gdb.write("sysgate: back in user mode after %d kernel instructions\n" % steps)
        gdb.execute("x/i $pc")


class quiet_stops:
    """Keeps gdb from printing the location of every instruction stepped."""

    def __enter__(self):
        gdb.execute("set suppress-cli-notifications on", to_string=True)

    def __exit__(self, *exception):
        gdb.execute("set suppress-cli-notifications off", to_string=True)
        return False


class ReturnCommand(gdb.Command):
    """Run until the system call last caught returns to user mode ($sg_return), with a
temporary hardware breakpoint there."""

    def __init__(self):
        super().__init__("sg-return", gdb.COMMAND_RUNNING)

    def invoke(self, argument, from_tty):
        if State.last is None:
            raise gdb.GdbError("sg-return: no system call caught yet")
        gdb.execute("thbreak *0x%x" % State.last.return_address, to_string=True)
        gdb.execute("continue")


gdb.execute("set pagination off")
gdb.execute("set confirm off")
if os.path.isfile(KERNEL_ELF):
    gdb.execute("file %s" % KERNEL_ELF, to_string=True)
    gdb.write("sysgate: kernel symbols from %s\n" % KERNEL_ELF)
else:
    gdb.write("sysgate: %s is missing: run make first\n" % KERNEL_ELF)
SyscallsCommand()
AttachCommand()
RegsCommand()
StepOutCommand()
ReturnCommand()
