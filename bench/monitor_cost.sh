#!/usr/bin/env bash
# What `schedcp-cli monitor` costs as a whole process: its CPU time and its wake-ups over a
# window in the middle of a run at 1 Hz (start-up and the final summary are left out), read
# from /proc: every thread's /proc/PID/task/TID/schedstat (run time in ns) and
# voluntary/nonvoluntary_ctxt_switches in its status, plus /proc/PID/stat utime+stime (ticks)
# as a cross-check. Run as root for run-queue latency (BPF), as the monitor runs by default.
# Usage: bench/monitor_cost.sh [BUILD_DIR] [WINDOW_SECONDS (30)] [INTERVAL_MS (1000)]
# Not a test: nothing here passes or fails on time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
window=${2:-30}
interval=${3:-1000}
settle=3

cli="$build/bin/schedcp-cli"
[ -x "$cli" ] || { echo "monitor_cost.sh: $cli not built" >&2; exit 1; }

# Sum over the process's threads: "RUN_NS WAKEUPS".
threads_total() {
    local pid=$1 run=0 wakeups=0 t ns v n
    for t in /proc/"$pid"/task/*; do
        read -r ns _ < "$t/schedstat" 2>/dev/null || continue
        v=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null || echo 0)
        n=$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null || echo 0)
        run=$((run + ns))
        wakeups=$((wakeups + ${v:-0} + ${n:-0}))
    done
    echo "$run $wakeups"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
per_thread() {
    local pid=$1 t
    for t in /proc/"$pid"/task/*; do
        printf '  %-16s %s voluntary, %s nonvoluntary\n' "$(cat "$t/comm")" \
            "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")" \
            "$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$t/status")"
    done
}

"$cli" monitor -d $((window + settle + 2)) -i "$interval" --json > /tmp/monitor_cost.$$.json &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f /tmp/monitor_cost.$$.json' EXIT
sleep "$settle"
read -r run0 wake0 < <(threads_total $pid)
ticks0=$(ticks $pid)
per_thread $pid > /tmp/monitor_cost.$$.before
t0=$(date +%s.%N)
sleep "$window"
read -r run1 wake1 < <(threads_total $pid)
ticks1=$(ticks $pid)
t1=$(date +%s.%N)
echo "threads at the end of the window (context switches since the process started):"
per_thread $pid
wait $pid
runqlat=$(python3 -c 'import json,sys; print(str(json.load(open(sys.argv[1]))["runqlat"]["available"]).lower())' \
    /tmp/monitor_cost.$$.json 2>/dev/null || echo unknown)

hz=$(getconf CLK_TCK)
awk -v r0="$run0" -v r1="$run1" -v w0="$wake0" -v w1="$wake1" -v k0="$ticks0" -v k1="$ticks1" \
    -v t0="$t0" -v t1="$t1" -v hz="$hz" -v iv="$interval" -v rq="${runqlat:-unknown}" 'BEGIN {
    secs = t1 - t0
    cpu = (r1 - r0) / 1e9
    printf "schedcp-cli monitor, interval %d ms, run-queue latency available: %s\n", iv, rq
    printf "window: %.1f s\n", secs
    printf "CPU time (schedstat): %.2f ms = %.2f ms/s = %.4f%% of one CPU\n", cpu * 1e3, cpu * 1e3 / secs, 100 * cpu / secs
    printf "CPU time (stat utime+stime): %d ticks of %d ms = %.4f%% of one CPU\n", k1 - k0, 1000 / hz, 100 * (k1 - k0) / hz / secs
    printf "wake-ups (context switches, all threads): %d = %.2f/s\n", w1 - w0, (w1 - w0) / secs
}'
