#!/usr/bin/env bash
# Installs schedcp from BUILD_DIR into a temporary prefix, builds examples/hello-plugin
# out of tree against the installed SDK (find_package(schedcp_sdk)), and checks that the
# installed binaries load it: the SDK's install, CMake package and ABI, end to end.
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "out_of_tree: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/hello-plugin" -B "$work/hello" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null \
    || fail "configuring the example against the installed SDK"
cmake --build "$work/hello" >/dev/null || fail "building the example"
[ -f "$work/hello/hello.so" ] || fail "hello.so was not built"
# The example's own tests (docs/plugin-guide.md): the installed schedcp-cli loads it.
ctest --test-dir "$work/hello" --output-on-failure >/dev/null || fail "the example's own ctest failed"

# The installed ConfigVersion file: the example asks for 0.1 (accepted above); a 0.x SDK
# promises nothing across minor versions, so a request for 0.2 or 1.0 must be refused.
for wanted in 0.2 1.0; do
    mkdir -p "$work/want-$wanted"
    cat > "$work/want-$wanted/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(wants_sdk_$wanted LANGUAGES CXX)
find_package(schedcp_sdk $wanted REQUIRED)
CMAKE
    set +e
    err=$(cmake -S "$work/want-$wanted" -B "$work/want-$wanted/build" -G Ninja \
        -DCMAKE_PREFIX_PATH="$work/prefix" 2>&1 >/dev/null); code=$?
    set -e
    [ $code -ne 0 ] || fail "find_package(schedcp_sdk $wanted) accepted SDK 0.1"
    echo "$err" | grep -q "schedcp_sdkConfig.cmake, version: 0.1.0" \
        || fail "find_package(schedcp_sdk $wanted) failed without naming the installed version: $err"
done

# Built without CMake, with the command line plugin.hpp documents (prefix and names filled
# in), into a directory of its own: the header comment must be enough.
header="$work/prefix/include/schedcp/sdk/plugin.hpp"
cmdline=$(sed -n '/^\/\/     g++ /,/^\/\/         -pthread/p' "$header" | sed 's|^//||; s|\\$||' | tr '\n' ' ')
[ -n "$cmdline" ] || fail "plugin.hpp documents no g++ command line"
cmdline=${cmdline//<prefix>/$work/prefix}
cmdline=${cmdline//<name>/$work/plain/hello}
cmdline=${cmdline//<sources>/$src/examples/hello-plugin/hello_plugin.cpp}
mkdir -p "$work/plain"
read -ra argv <<<"$cmdline"
"${argv[@]}" || fail "the documented g++ command line failed: $cmdline"
[ -f "$work/plain/hello.so" ] || fail "the documented command line built no hello.so"

# Without BOOST_LOG_DYN_LINK the SDK refuses to compile, naming the define.
nolog=()
for a in "${argv[@]}"; do [ "$a" = -DBOOST_LOG_DYN_LINK ] || nolog+=("$a"); done
nolog=("${nolog[@]/#$work\/plain\/hello.so/$work/plain/nolog.so}")
set +e
err=$("${nolog[@]}" 2>&1); code=$?
set -e
[ $code -ne 0 ] || fail "a plugin built without -DBOOST_LOG_DYN_LINK compiled"
echo "$err" | grep -q '#error "schedcp SDK: compile with -DBOOST_LOG_DYN_LINK' \
    || fail "no #error naming BOOST_LOG_DYN_LINK: $err"

cat > "$work/plain.yaml" <<YAML
data_dir: $work/data
plugin_dirs: [$work/plain]
plugins:
  - name: hello
YAML
out=$("$work/prefix/bin/schedcp-cli" --config "$work/plain.yaml" hello world) \
    || fail "the plugin built by the documented command line does not load"
[ "$out" = "Hello, world!" ] || fail "plain build: unexpected output: $out"

cat > "$work/schedcp.yaml" <<YAML
data_dir: $work/data
plugin_dirs: [$work/hello]
plugins:
  - name: catalog
  - name: hello
    settings: {greeting: Howdy}
YAML
cli="$work/prefix/bin/schedcp-cli --config $work/schedcp.yaml"

out=$($cli hello world) || fail "schedcp-cli hello world exited $?"
[ "$out" = "Howdy, world!" ] || fail "unexpected output: $out"

out=$($cli call hello '{"who":"MCP"}' --json)
echo "$out" | grep -q '"message": "Howdy, MCP!"' || fail "call hello: $out"
# The catalog plugin is loaded: the example finds its service.
echo "$out" | grep -q '"schedulers_known": [1-9]' || fail "the catalog service was not found: $out"

# Its settings table is what `plugins --settings` prints.
out=$($cli plugins --settings)
echo "$out" | grep -q "exclamations" || fail "plugins --settings lacks the example's settings: $out"

set +e
err=$($cli hello nobody 2>&1 >/dev/null); code=$?
set -e
[ $code -eq 2 ] || fail "a thrown sdk::InvalidArgument should exit 2, got $code"
echo "$err" | grep -q "'who' must name somebody" || fail "error message lost: $err"

# The installed default config is found beside the installed binaries.
out=$(SCHEDCP_CONFIG= HOME=$work "$work/prefix/bin/schedcp-cli" plugins --json)
echo "$out" | grep -q "$work/prefix/etc/schedcp/schedcp.yaml" || fail "installed default config not used: $out"
echo "out_of_tree: ok"
