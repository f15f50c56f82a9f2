#!/usr/bin/env bash
# The Debian packages, for real: builds them from BUILD_DIR (cpack -G DEB), runs lintian,
# installs them the way the README says (apt-get install ./FILE.deb: apt's resolver, not
# dpkg -i), runs the installed
# schedcp-cli and an MCP tools/list through the installed schedcp with the installed config
# and no environment variables, checks the units and the sudoers drop-in, runs the HTTP
# service's command line socket-activated (systemd-socket-activate), builds
# examples/hello-plugin against the installed schedcp-dev and runs its tests, purges both,
# and checks that nothing they installed or created is left (/var/lib/schedcp included).
#   deb_test.sh BUILD_DIR SOURCE_DIR
# Root only: it installs into /usr. The machine may be shared, so:
#   - it runs in a mount namespace of its own where /var/lib/schedcp is a fresh directory
#     (the rest of /var/lib is the real one, bind-mounted), so the data dir other programs
#     use here is neither seen nor removed by the purge;
#   - one run at a time (a lock), and the packages are purged on every exit, failures too;
#   - it refuses to start when schedcp or schedcp-dev is already installed (not ours to
#     remove), and removes only the packages that apt-get pulled in for it.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "must run as root (it installs the packages)"

if [ -z "${SCHEDCP_DEB_TEST_NAMESPACE:-}" ]; then
    mkdir -p /run/lock
    exec 9>/run/lock/schedcp-deb-test.lock
    flock -w 900 9 || fail "another deb_test run holds /run/lock/schedcp-deb-test.lock"
    SCHEDCP_DEB_TEST_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
fi

# /var/lib as seen here: a tmpfs holding binds of every real entry except schedcp.
real_var_lib=$(mktemp -d /run/schedcp-deb-test.XXXXXX)
mount --bind /var/lib "$real_var_lib"
mount -t tmpfs -o mode=0755 schedcp-deb-test /var/lib
shopt -s dotglob nullglob
for entry in "$real_var_lib"/*; do
    name=${entry##*/}
    [ "$name" != schedcp ] || continue
    if [ -L "$entry" ]; then
        cp -a "$entry" "/var/lib/$name"
    elif [ -d "$entry" ]; then
        mkdir "/var/lib/$name" && mount --bind "$entry" "/var/lib/$name"
    else
        touch "/var/lib/$name" && mount --bind "$entry" "/var/lib/$name"
    fi
done
shopt -u dotglob nullglob

export DEBIAN_FRONTEND=noninteractive
unset SCHEDCP_CONFIG SCHEDCP_SUDO_PASSWORD
work=$(mktemp -d)
packages_before=$work/packages-before
dpkg-query -W -f '${Package}\n' | sort > "$packages_before"
for p in schedcp schedcp-dev; do
    if dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qv '^not-installed$'; then
        fail "$p is already installed here; this test installs and purges its own"
    fi
done

cleanup() {
    local code=$?
    set +e
    dpkg --purge schedcp-dev schedcp >/dev/null 2>&1
    # What apt-get pulled in for the packages, and only that.
    dpkg-query -W -f '${Package}\n' | sort | comm -13 "$packages_before" - > "$work/pulled-in"
    if [ -s "$work/pulled-in" ]; then
        echo "deb_test: removing what was installed for the packages: $(tr '\n' ' ' < "$work/pulled-in")"
        xargs apt-get purge -y -q < "$work/pulled-in" >/dev/null 2>&1
    fi
    rm -rf "$work"
    umount -l /var/lib 2>/dev/null
    umount "$real_var_lib" 2>/dev/null && rmdir "$real_var_lib"
    exit $code
}
trap cleanup EXIT

# 1. Build the packages.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" > "$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
deb=$(ls "$work"/out/schedcp_*.deb)
dev=$(ls "$work"/out/schedcp-dev_*.deb)
echo "deb_test: built $(basename "$deb") $(basename "$dev")"
# What the compiler plugin dlopens (no DT_NEEDED, so dpkg-shlibdeps does not add it).
depends=$(dpkg-deb -f "$deb" Depends)
echo "$depends" | tr ',' '\n' | grep -qx ' *libssl3\( (.*)\)\? *' \
    || fail "schedcp's Depends lacks libssl3 (libcrypto.so.3, dlopened by compiler.so): $depends"

# 2. Lintian (when installed): errors and warnings fail the test (overrides, each with its
#    reason, are in packaging/debian/*.lintian-overrides).
if command -v lintian >/dev/null; then
    code=0
    lintian --fail-on error,warning "$deb" "$dev" > "$work/lintian.log" 2>&1 || code=$?
    # (sed, not grep -v: a clean run prints nothing, and grep would fail on that)
    sed -e '/running with root privileges/d' -e 's/^/deb_test: lintian: /' "$work/lintian.log"
    [ $code -eq 0 ] || fail "lintian reports errors or warnings (above)"
else
    echo "deb_test: lintian is not installed: not run"
fi

# 3. Install as the README does, with apt's resolver (without recommends: only what is needed).
# Every path in the trees a package writes to, before: compared with after the purge (file
# times cannot be used: this machine's clock and its files' times disagree). Bookkeeping
# (dpkg, apt, sudo's timestamps) and other services' state are left out.
list_paths() {
    find /etc /usr /lib /opt /var/lib \( -path /var/lib/dpkg -o -path /var/lib/apt \
        -o -path /var/lib/sudo -o -path /var/lib/postgresql -o -path /var/lib/systemd \) -prune \
        -o -print 2>/dev/null | grep -v -e '^/etc/ld\.so\.cache$' | sort
}
list_paths > "$work/paths-before"
# The paths start with '/', so apt takes them as package files, not names.
apt-get install -y -q --no-install-recommends "$deb" "$dev" > "$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; fail "apt-get install $deb $dev"; }
for p in schedcp schedcp-dev; do
    [ "$(dpkg-query -W -f '${db:Status-Status}' "$p")" = installed ] || fail "$p is not installed"
done
dpkg -L schedcp schedcp-dev | sort -u > "$work/package-files"

# 4. What postinst did: the data dir, private; the group.
[ "$(stat -c '%a %U' /var/lib/schedcp)" = "700 root" ] || fail "/var/lib/schedcp is not 0700 root"
getent group schedcp >/dev/null || fail "postinst created no schedcp group"

# 5. The installed programs with the installed config, no environment variables.
cd /
out=$(schedcp-cli list 2>&1) || fail "schedcp-cli list: $out"
echo "$out" | grep -q scx_rusty || fail "schedcp-cli list does not list scx_rusty: $out"
out=$(schedcp-cli plugins --json) || fail "schedcp-cli plugins --json"
echo "$out" | grep -q '"/etc/schedcp/schedcp.yaml"' || fail "not the installed config: $out"
echo "$out" | grep -q '/usr/lib/schedcp/plugins/runner.so' || fail "not the installed plugins: $out"
requests='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"deb_test","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
out=$(echo "$requests" | timeout 60 schedcp) || fail "schedcp (MCP over stdio) exited $?"
tools=$(echo "$out" | grep '"id":2') || fail "no tools/list answer: $out"
for tool in list_schedulers run_scheduler create_and_verify_scheduler system_monitor \
            workload get_system_info evaluate_scheduler scheduler_default; do
    echo "$tools" | grep -q "\"name\":\"$tool\"" || fail "tools/list lacks $tool: $tools"
done
echo "deb_test: schedcp-cli list and MCP tools/list through /usr/bin with /etc/schedcp/schedcp.yaml"

# 6. The guard finds its default policy in /etc/schedcp: through sudo it accepts only that one.
out=$(SUDO_UID=65534 /usr/lib/schedcp/libexec/schedcp-guard --policy /tmp/other.policy \
      --scheduler scx_simple 2>&1 < /dev/null) && fail "the guard accepted another policy through sudo"
echo "$out" | grep -q 'only the default policy /etc/schedcp/guard.policy may be named' \
    || fail "the guard's default policy is not /etc/schedcp/guard.policy: $out"

# 7. Units, sudoers drop-in, man pages.
"$here/check_units.sh" /etc/sudoers.d/schedcp /lib/systemd/system/schedcp-*
for page in schedcp schedcp-cli; do
    [ -f "/usr/share/man/man1/$page.1.gz" ] || fail "no man page $page(1)"
done

# 7b. schedcp-http.service's own command line, socket-activated: systemd-socket-activate
# listens on a unix socket, as schedcp-http.socket does, and on the first connection execs
# the installed unit's ExecStart with the socket as LISTEN_FDS (no running systemd needed).
if command -v systemd-socket-activate >/dev/null && command -v curl >/dev/null; then
    read -r -a exec_start <<< "$(sed -n 's/^ExecStart=//p' /lib/systemd/system/schedcp-http.service)"
    [ "${exec_start[*]}" = "/usr/bin/schedcp --config /etc/schedcp/schedcp.yaml --http systemd" ] \
        || fail "schedcp-http.service runs '${exec_start[*]}'"
    sock=$work/http.sock
    systemd-socket-activate -l "$sock" "${exec_start[@]}" > "$work/activate.log" 2>&1 &
    activated=$!
    for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
    curl_unix() { curl -s --max-time 60 --unix-socket "$sock" "$@"; }
    health=$(curl_unix http://localhost/healthz) || fail "GET /healthz over $sock: $(cat "$work/activate.log")"
    [ "$health" = ok ] || fail "/healthz answered '$health'"
    mcp_headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
    init=$(curl_unix -D "$work/init.headers" "${mcp_headers[@]}" http://localhost/mcp \
        -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"deb_test","version":"0"}}}') \
        || fail "initialize over $sock"
    session=$(sed -n 's/^Mcp-Session-Id: *\([^[:space:]]*\).*/\1/Ip' "$work/init.headers")
    [ -n "$session" ] || fail "no Mcp-Session-Id over $sock: $init"
    tools=$(curl_unix "${mcp_headers[@]}" -H "Mcp-Session-Id: $session" http://localhost/mcp \
        -d '{"jsonrpc":"2.0","id":2,"method":"tools/list"}') || fail "tools/list over $sock"
    echo "$tools" | grep -q '"name":"run_scheduler"' || fail "tools/list over $sock: $tools"
    kill -TERM "$activated"
    wait "$activated" || fail "the socket-activated schedcp exited $? on SIGTERM: $(cat "$work/activate.log")"
    echo "deb_test: schedcp-http.service's ExecStart socket-activated on a unix socket: /healthz, initialize, tools/list"
else
    echo "deb_test: systemd-socket-activate or curl missing: socket activation not run"
fi

# 8. The out-of-tree example against the installed schedcp-dev (CMake finds it in /usr).
cmake -S "$src/examples/hello-plugin" -B "$work/hello" -G Ninja > "$work/hello.log" 2>&1 \
    || { cat "$work/hello.log" >&2; fail "configuring examples/hello-plugin against schedcp-dev"; }
grep -q 'schedcp_sdk_DIR:PATH=/usr/lib/cmake/schedcp_sdk' "$work/hello/CMakeCache.txt" \
    || fail "examples/hello-plugin did not use the installed schedcp-dev: $(grep schedcp_sdk_DIR "$work/hello/CMakeCache.txt")"
cmake --build "$work/hello" >> "$work/hello.log" 2>&1 \
    || { cat "$work/hello.log" >&2; fail "building examples/hello-plugin"; }
ctest --test-dir "$work/hello" --output-on-failure > "$work/hello-test.log" 2>&1 \
    || { cat "$work/hello-test.log" >&2; fail "the example's tests with the installed schedcp-cli"; }
echo "deb_test: examples/hello-plugin built against schedcp-dev, its tests pass with /usr/bin/schedcp-cli"

# 9. Purge, and nothing is left.
dpkg --purge schedcp-dev schedcp > "$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge"; }
[ ! -e /var/lib/schedcp ] || fail "purge left /var/lib/schedcp"
left=""
while read -r f; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    # A directory other packages own too (/usr/bin, /lib: a symbolic link on usrmerge).
    if [ -d "$f" ] && dpkg -S "$f" >/dev/null 2>&1; then continue; fi
    left+="$f "
done < "$work/package-files"
[ -z "$left" ] || fail "purge left files of the packages: $left"
# Anything else created since the install, outside bookkeeping. The schedcp group stays in
# /etc/group, as Debian leaves system groups (files may still carry it).
newer=$(list_paths | comm -13 "$work/paths-before" -)
[ -z "$newer" ] || fail "left after purge: $newer"
echo "deb_test: purged; nothing left (the schedcp group stays, as Debian leaves system groups)"
echo "deb_test: ok"
