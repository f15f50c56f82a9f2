#!/usr/bin/env bash
# Runs the benchmarks with their defaults and prints their tables: MCP round trips (floor,
# schedcp, the TypeScript SDK server), the server's in-process share of a request,
# start-up, memory after 100,000 calls, the compile
# through MCP against bare clang, one monitor sample, and the evaluator's cost per run.
# Usage: bench/run-all.sh [BUILD_DIR]        (default: build; builds what it runs)
# The compile benchmark needs BTF of a sched_ext kernel: $SCHEDCP_TEST_SCHED_EXT_BTF, else
# the e2e kernel's vmlinux when cached (ctest -R e2e_kernel builds it), else
# /sys/kernel/btf/vmlinux. Benchmarks are not tests: nothing here passes or fails on time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}

cmake --build "$build" --target mcp_rtt mcp_dispatch_bench mcp_http_rtt mcp_compile_bench monitor_sample_bench evaluator_overhead_bench sched_ext_manager_bench

# The reference server's npm packages, pinned by bench/ts-server/package-lock.json.
if [ ! -d "$root/bench/ts-server/node_modules" ] && command -v npm >/dev/null; then
    (cd "$root/bench/ts-server" && npm ci --no-audit --no-fund --loglevel=error)
fi

btf=${SCHEDCP_TEST_SCHED_EXT_BTF:-}
if [ -z "$btf" ]; then
    for candidate in "${SCHEDCP_E2E_CACHE:-/var/cache/schedcp-e2e}"/*/vmlinux; do
        [ -f "$candidate" ] && btf=$candidate && break
    done
fi
btf=${btf:-/sys/kernel/btf/vmlinux}

echo "== MCP round trips (bench/mcp_rtt)"
"$build/bench/mcp_rtt"
echo
echo "== the server's own share of a request, in-process (bench/mcp_dispatch_bench)"
"$build/bench/mcp_dispatch_bench"
echo
echo "== MCP round trips over Streamable HTTP against stdio (bench/mcp_http_rtt)"
"$build/bench/mcp_http_rtt"
echo
echo "== start-up (bench/mcp_rtt --startup)"
"$build/bench/mcp_rtt" --startup
echo
echo "== memory (bench/mcp_rtt --rss)"
"$build/bench/mcp_rtt" --rss
echo
echo "== create_and_verify_scheduler against bare clang (bench/mcp_compile_bench, BTF $btf)"
"$build/bench/mcp_compile_bench" --btf "$btf"
echo
echo "== one monitor sample (bench/monitor_sample_bench)"
"$build/bench/monitor_sample_bench"
echo "== who is in charge of sched_ext (bench/sched_ext_manager_bench)"
"$build/bench/sched_ext_manager_bench"
echo
echo "== the whole schedcp-cli monitor process at 1 Hz (bench/monitor_cost.sh)"
cmake --build "$build" --target schedcp-cli schedcp_plugin_monitor
"$root/bench/monitor_cost.sh" "$build" 30
echo
echo "== the evaluator's cost per run beyond the workload (bench/evaluator_overhead_bench)"
"$build/bench/evaluator_overhead_bench"
