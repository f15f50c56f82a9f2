#!/usr/bin/env bash
# The official MCP conformance suite (server scenarios) against the real `schedcp --http`,
# with the conformance fixture plugin (tests/plugins/conformance.cpp) loaded.
#
# Usage: tests/conformance/run.sh BUILD_DIR [REVISION...]   (default: 2025-11-25 2026-07-28)
#
# Installs Node 22 (npm package `node`) and @modelcontextprotocol/conformance exactly as
# package-lock.json pins them (`npm ci`), starts schedcp on a free loopback port, and runs
# `conformance server --requirements REVISION` for each revision against it, with
# expected-failures-REVISION.yaml as the baseline: the run fails on a scenario that fails
# and is not listed, and on one that is listed but passes (a stale entry). Results go to
# BUILD_DIR/conformance-results/REVISION. Exit status: 0 when every revision matched its
# baseline.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR [REVISION...]}" && pwd)
shift
revisions=("$@")
[ ${#revisions[@]} -gt 0 ] || revisions=(2025-11-25 2026-07-28)

cd "$here"
npm ci --no-audit --no-fund --loglevel=error
# The suite needs Node >= 22; the `node` package puts it first on PATH.
export PATH="$here/node_modules/.bin:$PATH"
node --version

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/schedcp.yaml" <<YAML
data_dir: $work/data
log: {file: schedcp.log, level: debug}
plugin_dirs: [$build/tests/plugins]
server: {validate_tool_results: true}
plugins:
  - name: catalog
  - name: conformance
YAML

"$build/bin/schedcp" --config "$work/schedcp.yaml" --http 127.0.0.1:0 2> "$work/stderr" &
server_pid=$!
url=
for _ in $(seq 1 200); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/mcp' "$work/stderr" || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "schedcp did not report its address" >&2; cat "$work/stderr" >&2; exit 1; }
echo "schedcp serving $url"

status=0
for rev in "${revisions[@]}"; do
    echo "=== conformance --requirements $rev ==="
    out="$build/conformance-results/$rev"
    rm -rf "$out"
    conformance server --url "$url" --requirements "$rev" \
        --expected-failures "$here/expected-failures-$rev.yaml" -o "$out" || status=1
done
if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "schedcp died during the run:" >&2
    cat "$work/stderr" >&2
    status=1
fi
exit $status
