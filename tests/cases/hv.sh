# The monitor alone, against its own tiny PVH test kernel (tests/hv/README.md):
# the doorbell protocol, the hypercall page's code, the guest page walk and its
# -EFAULT cases, every way a run can end, and the relays.

test_monitor_with_test_kernel() {
    HV_TEST_OUT="$T/hv" tests/hv/run >"$T/hv.log" 2>&1 || { tail -30 "$T/hv.log" >&2; fail "tests/hv/run failed"; }
    tail -1 "$T/hv.log" | grep -Eq '^[1-9][0-9]* passed, 0 failed$' || { tail -5 "$T/hv.log" >&2; fail "no passing run"; }
}
