#!/bin/bash
# The scenario driver. Runs INSIDE the e2e VM, chrooted into the host's root file system
# (shared read-only over 9p), started by the initramfs's /init that run.sh writes:
#
#   guest.sh BUILD_DIR
#
# Environment (from /init): SCHEDCP_E2E_BIN (the example schedulers), SCHEDCP_E2E_DATA
# (a tmpfs for the tests' data), SCHEDCP_E2E_RESULTS (the writable results share).
#
# It runs every test case of BUILD_DIR/tests/e2e_tests as its own process (so a crash or
# hang in one is reported and the others still run) and writes one line per check to
# $SCHEDCP_E2E_RESULTS/results.tsv: PASS|FAIL <tab> name <tab> message. The full log of
# each case is $SCHEDCP_E2E_RESULTS/<case>.log. The list of cases it meant to run goes to
# expected.txt first and "done" is written last, so the host can tell a run that stopped
# halfway from one that finished.
set -u
build=$1
out=${SCHEDCP_E2E_RESULTS:?}
tests=$build/tests/e2e_tests
results=$out/results.tsv
case_timeout=${SCHEDCP_E2E_CASE_TIMEOUT:-300}
sx=/sys/kernel/sched_ext
: >"$results"

say() { echo "e2e-guest: $*"; }
record() {  # PASS|FAIL name message
    printf '%s\t%s\t%s\n' "$1" "$2" "$(printf '%s' "$3" | tr '\t\n' '  ')" >>"$results"
    say "$1 $2"
}
join_lines() { awk 'BEGIN { ORS = "" } { print (NR > 1 ? " | " : "") $0 }'; }
state() { cat $sx/state 2>/dev/null || echo "<no $sx/state>"; }
ops() { cat $sx/root/ops 2>/dev/null || echo "<none>"; }

# Unloads whatever a scenario left behind (SIGINT: a clean unregister; then SIGKILL).
unload_leftovers() {
    local p argv0 pids=()
    for p in /proc/[0-9]*; do   # user processes only: kthreads (scx_ops_enable_helper) have no cmdline
        argv0=$(tr '\0' '\n' <"$p/cmdline" 2>/dev/null | head -1) || continue
        [[ ${argv0##*/} == scx_* ]] && pids+=("${p#/proc/}")
    done
    [ ${#pids[@]} -eq 0 ] && return
    kill -INT "${pids[@]}" 2>/dev/null
    for _ in $(seq 50); do
        [ "$(state)" = disabled ] && break
        sleep 0.2
    done
    kill -KILL "${pids[@]}" 2>/dev/null
}

# --- preflight: the kernel, the schedulers, the binaries --------------------------------
if [ -d $sx ] && [ "$(state)" = disabled ]; then
    record PASS kernel_has_sched_ext "Linux $(uname -r): $sx/state disabled, enable_seq $(cat $sx/enable_seq 2>/dev/null), /proc/schedstat $(head -1 /proc/schedstat 2>/dev/null)"
else
    record FAIL kernel_has_sched_ext "Linux $(uname -r): $sx/state is '$(state)' (want disabled)"
fi
missing=""
for s in scx_simple scx_qmap scx_central scx_flatcg; do
    [ -x "${SCHEDCP_E2E_BIN:?}/$s" ] || missing="$missing $s"
done
for b in "$build/bin/schedcp" "$build/bin/schedcp-cli" "$tests"; do
    [ -x "$b" ] || missing="$missing $b"
done
if [ -z "$missing" ]; then
    record PASS binaries_present "schedulers in $SCHEDCP_E2E_BIN; schedcp, schedcp-cli, e2e_tests in $build"
else
    record FAIL binaries_present "missing:$missing"
fi

# --- the scenarios -----------------------------------------------------------------------
cases=$("$tests" --list_content 2>&1 | sed -n 's/^\([A-Za-z0-9_]*\)\*$/\1/p')
printf '%s\n' $cases >"$out/expected.txt"
if [ -z "$cases" ]; then
    record FAIL list_test_cases "$tests --list_content listed no test case: $("$tests" --list_content 2>&1 | head -3)"
fi
for c in $cases; do
    say "running $c"
    start=$(date +%s.%N)
    timeout -s KILL "$case_timeout" "$tests" --run_test="$c" --log_level=message \
        --report_level=no --color_output=no >"$out/$c.log" 2>&1
    rc=$?
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ $rc -eq 0 ]; then
        msg=$(grep -v -e '^Running [0-9]* test case' -e '^$' "$out/$c.log" | join_lines)
        record PASS "$c" "(${secs} s) $msg"
    else
        why=$rc
        [ $rc -eq 137 ] && why="killed after ${case_timeout} s (timeout)"
        errs=$(grep -E '(error|fatal error|exception): ' "$out/$c.log" |
            sed -E 's|^.*/e2e_tests\.cpp\(([0-9]+)\): |line \1: |; s|^unknown location\(0\): ||; s|in "[A-Za-z0-9_]+": ||' |
            head -8 | join_lines)
        [ -n "$errs" ] || errs=$(tail -5 "$out/$c.log" | join_lines)
        record FAIL "$c" "(${secs} s, exit $why) $errs"
    fi
    # Whatever happened, the next scenario needs a disabled kernel.
    if [ "$(state)" != disabled ]; then
        record FAIL "after_${c}_kernel_disabled" "after $c: state '$(state)', ops '$(ops)'; unloading"
        unload_leftovers
    fi
done
echo "$(wc -l <"$results") checks" >"$out/done"
sync
