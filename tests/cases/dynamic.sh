# Dynamically linked programs: execve loads the PT_INTERP interpreter (the
# host's glibc ld.so, added to the guest with the libraries ldd lists), and
# the loader and the program run as on the host. docs/dynamic-programs.md.

DYNAMIC=build/tests/dynamic
DYNAMIC32=build/tests/dynamic32

# The environment sysgate gives its first process, for the host's side.
sysgate_environment() {
    echo "env -i PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/${TERM:+ TERM=$TERM}"
}

# auxvec prints its environment and, under `setarch -R` (Linux without
# address randomisation, as sysgate places programs), where it and its break are.
test_dynamic_auxv_64() {
    HOST_WRAPPER="$(sysgate_environment) setarch -R" differential_dynamic $DYNAMIC/auxvec one "two words" ""
}
test_dynamic_auxv_32() {
    HOST_WRAPPER="$(sysgate_environment) setarch -R" differential_dynamic $DYNAMIC32/auxvec one "two words" ""
}

test_dynamic_hello_64() { differential_dynamic $DYNAMIC/hello a b; }
test_dynamic_hello_32() { differential_dynamic $DYNAMIC32/hello a b; }

# Processes, signals and threads (TLS that ld.so sets up, libc's own TLS
# descriptors) in dynamically linked programs.
test_dynamic_procs_64() { differential_dynamic $DYNAMIC/procs; }
test_dynamic_procs_32() { differential_dynamic $DYNAMIC32/procs; }
test_dynamic_signals_64() { differential_dynamic $DYNAMIC/signals; }
test_dynamic_signals_32() { differential_dynamic $DYNAMIC32/signals; }
test_dynamic_threads_64() { differential_dynamic $DYNAMIC/threads; }
test_dynamic_threads_32() { differential_dynamic $DYNAMIC32/threads; }
test_dynamic_tlsdesc_64() { differential_dynamic $DYNAMIC/tlsdesc; }
test_dynamic_tlsdesc_32() { differential_dynamic $DYNAMIC32/tlsdesc; }

# The interpreter a dynamic program names is missing: execve fails with
# ENOENT, which `sysgate run` reports as status 127, as a shell on the host.
test_dynamic_missing_interpreter() {
    differential $DYNAMIC/no-interpreter
    [ "$status" = 127 ] || fail "status $status, expected 127"
}

# Interpreters that are missing, not executable, not ELF, of the other class,
# an object file, and two that work, written by a static program and run
# through execve: the same errors (and SIGSEGV past the point of no return).
test_interpreter_errors_glibc() { differential $GLIBC/interp; }
test_interpreter_errors_musl() { differential $MUSL/interp; }
test_interpreter_errors_i386() { differential $I386/interp; }

# ls -l asks for SELinux labels and ACLs (getxattr): "none", not ENOSYS.
test_xattr_glibc() { differential $GLIBC/xattr; }
test_xattr_musl() { differential $MUSL/xattr; }
test_xattr_i386() { differential $I386/xattr; }

# glibc's ld.so registers every thread's rseq area; sched_getcpu reads it.
test_rseq_glibc() { differential $GLIBC/rseq; }
test_rseq_musl() { differential $MUSL/rseq; }
test_rseq_i386() { differential $I386/rseq; }

# cat, cp and sort advise the kernel how they will read (posix_fadvise).
test_fadvise_glibc() { differential $GLIBC/fadvise; }
test_fadvise_musl() { differential $MUSL/fadvise; }
test_fadvise_i386() { differential $I386/fadvise; }

test_coreutils_true_false() {
    differential_dynamic /bin/true
    differential_dynamic /bin/false
}

test_coreutils_echo() { differential_dynamic /bin/echo hello "two  words" -n; }

# A file added to the guest at the path it has on the host.
test_coreutils_cat() {
    local file=$PWD/tests/progs/hello.c
    SG_RUN_OPTIONS="--add $file:$file $(dynamic_adds /bin/cat)" differential /bin/cat -n "$file"
}

test_coreutils_cat_missing_file() {
    SG_RUN_OPTIONS="$(dynamic_adds /bin/cat)" differential_with_stderr /bin/cat /nonexistent/file
}

# ls (libselinux, libpcre2) on a directory the guest has with the same files.
test_coreutils_ls() {
    mkdir -p "$T/dir"
    local adds="" name
    for name in alpha beta "gamma.txt"; do
        echo "$name" >"$T/dir/$name"
        adds="$adds --add $T/dir/$name:$T/dir/$name"
    done
    SG_RUN_OPTIONS="$adds $(dynamic_adds /bin/ls)" differential /bin/ls -1 -p -s --block-size=1 "$T/dir" || return 1
    # The long format reads every file's ACL and SELinux label.
    SG_RUN_OPTIONS="$adds $(dynamic_adds /bin/ls)" sg_run /bin/ls -l "$T/dir"
    expect_status 0 || return 1
    [ ! -s "$T/err" ] || { show_run; fail "ls -l complained"; }
    [ "$(grep -c ' root root ' "$T/out")" = 3 ] || { show_run; fail "ls -l did not list the three files"; }
}

# A dynamic shell runs a dynamic program: execve from a program that the
# loader started.
test_dynamic_shell_runs_dynamic_program() {
    SG_RUN_OPTIONS="$(dynamic_adds /bin/sh /bin/echo)" \
        differential /bin/sh -c '/bin/echo from the child; exit 3'
}

# python3 running a script, with the stdlib files it imports added: json and
# hashlib bring extension modules that ld.so loads with dlopen (and libcrypto
# behind _hashlib). -I -S: no site, no environment, so only those files.
test_python3_json_hashlib() {
    local python=/usr/bin/python3
    [ -x $python ] || { fail "no $python"; return 1; }
    local script='import json, hashlib, sys; print(json.dumps({"a": [1, 2.5, None]}), hashlib.sha256(b"abc").hexdigest(), sys.argv[1:])'
    local files
    files=$($python -I -S -c "$script"'
import os
print("\n".join(sorted({m.__file__ for m in sys.modules.values() if getattr(m, "__file__", None)} | {os.__file__})))' x |
        tail -n +2) || { fail "the script fails on the host"; return 1; }
    local adds="" file
    for file in $files; do
        adds="$adds --add $file:$file"
    done
    # shellcheck disable=SC2086
    SG_RUN_OPTIONS="$adds $(dynamic_adds $python $(echo "$files" | grep '\.so$'))" \
        differential_with_stderr $python -I -S -c "$script" x
}
