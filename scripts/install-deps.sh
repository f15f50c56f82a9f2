#!/usr/bin/env bash
# Installs everything schedcp needs to build and test on Debian 12 (bookworm).
# Idempotent: safe to run again; it only adds what is missing.
#   - Boost 1.81 (Debian 12's default Boost 1.74 has no Boost.JSON)
#   - yaml-cpp; toml++ (the runner reads scx_loader's TOML config with it); clang-19/llvm-19 (BPF), libelf/zlib, OpenSSL (libssl-dev: SHA-256; TLS, token hashes and JWT signatures of the HTTP transport)
#   - libbpf >= 1.4 and bpftool from bookworm-backports (libbpf 1.1 cannot load sched_ext)
#   - Node.js + npm for the MCP SDK client tests
#   - sudo: the runner test that proves schedcp-guard is no root shell through a sudoers rule
#   - bindfs: the guard test that proves nothing on a FUSE file system is trusted
#   - rt-tests, stress-ng, sysbench, linux-perf: the evaluator's built-in benchmarks (hackbench,
#     cyclictest, stress-ng, sysbench, perf bench sched) and their parsers' tests
#   - sysstat (mpstat), procps (vmstat), libbpf-tools (runqlat), util-linux (lscpu): the
#     references bench/monitor_validate.py and the `info` integration test compare against
#   - help2man (man pages from the programs' --help), lintian, systemd (systemd-analyze:
#     the units are verified and scored offline; systemd-socket-activate runs the HTTP
#     service's command line socket-activated), curl (HTTP over the unix socket): the Debian
#     packages and their test
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: must run as root (it uses apt-get)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

if ! grep -q 'VERSION_CODENAME=bookworm' /etc/os-release; then
    echo "install-deps.sh: warning: written for Debian 12 (bookworm); this is:" >&2
    grep PRETTY_NAME /etc/os-release >&2 || true
fi

# bookworm-backports, using the same mirror as the machine's own Debian entry.
backports=/etc/apt/sources.list.d/schedcp-bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        mirror=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ && $2 !~ /security/ {print $2; exit}' \
            /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
        mirror=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list)
    fi
    mirror=${mirror:-http://deb.debian.org/debian}
    cat > "$backports" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    echo "install-deps.sh: added bookworm-backports from $mirror"
fi

apt-get update -q

apt-get install -y -q --no-install-recommends \
    build-essential cmake ninja-build pkg-config git ca-certificates \
    libboost1.81-all-dev libboost-json1.81-dev \
    libyaml-cpp-dev libtomlplusplus-dev libelf-dev zlib1g-dev libzstd-dev libssl-dev \
    clang-19 llvm-19 clang-format \
    sudo bindfs \
    rt-tests stress-ng sysbench linux-perf \
    sysstat procps libbpf-tools util-linux \
    help2man lintian systemd curl

apt-get install -y -q --no-install-recommends -t bookworm-backports \
    libbpf-dev libbpf1 bpftool

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt-get install -y -q --no-install-recommends nodejs npm
fi

# Fail loudly if what we need is not what we got.
ver=$(pkg-config --modversion libbpf)
case "$ver" in
    0.*|1.[0-3]|1.[0-3].*)
        echo "install-deps.sh: libbpf $ver is too old (need >= 1.4)" >&2; exit 1 ;;
esac
test -f /usr/include/boost/json.hpp || { echo "install-deps.sh: Boost.JSON missing" >&2; exit 1; }
command -v clang-19 >/dev/null || { echo "install-deps.sh: clang-19 missing" >&2; exit 1; }
echo "install-deps.sh: ok (libbpf $ver, $(clang-19 --version | head -1), node $(node --version))"
