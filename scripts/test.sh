#!/usr/bin/env bash
# Builds schedcp and runs every test: Boost.Test units, integration tests over the real
# binaries' stdio, the official MCP TypeScript SDK clients against the real server, the
# official MCP conformance suite over HTTP, and the end-to-end suite on a sched_ext kernel.
# Usage: scripts/test.sh [BUILD_DIR]        (default: build)
# Needs what scripts/install-deps.sh installs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build"

# The SDK clients are npm packages pinned by tests/sdk-client/package-lock.json.
if [ -f "$root/tests/sdk-client/package-lock.json" ]; then
    (cd "$root/tests/sdk-client" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The Kubernetes manifests' validator (kubernetes-models), pinned the same way.
if [ -f "$root/tests/kubernetes/package-lock.json" ]; then
    (cd "$root/tests/kubernetes" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$build"
# `conformance` (the official MCP conformance suite over HTTP) runs against its baseline of
# expected failures (tests/conformance/expected-failures-*.yaml, docs/http-transport.md): a new
# failure fails it, and so does a listed scenario that now passes.
ctest --output-on-failure --timeout 900 -j2
