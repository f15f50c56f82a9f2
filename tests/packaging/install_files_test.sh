#!/usr/bin/env bash
# What `cmake --install` puts outside <prefix>/bin and <prefix>/lib, for two prefixes, into
# temporary directories only (nothing on this machine changes):
#   - the prefix /usr (what the Debian packages hold), through DESTDIR: the config and the
#     guard's policy in /etc/schedcp, the sudoers drop-in in /etc/sudoers.d, the units in
#     /lib/systemd/system, each unit's programs named by their /usr paths; the HTTP
#     service's token credential, its socket the schedcp group's unix socket only;
#   - a temporary prefix P: the same under P/etc and P/lib/systemd/system, where the units
#     and the sudoers drop-in are checked (tests/packaging/check_units.sh), since their
#     programs exist there.
# Usage: install_files_test.sh BUILD_DIR
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "install_files: FAIL: $*" >&2; exit 1; }

DESTDIR="$work/root" cmake --install "$build" --prefix /usr --component runtime >/dev/null
root=$work/root
for f in etc/schedcp/schedcp.yaml etc/schedcp/guard.policy etc/sudoers.d/schedcp \
         lib/systemd/system/schedcp-default.service lib/systemd/system/schedcp-http.service \
         lib/systemd/system/schedcp-http.socket usr/bin/schedcp usr/bin/schedcp-cli \
         usr/lib/schedcp/libexec/schedcp-guard usr/lib/schedcp/libexec/schedcp-loader \
         usr/lib/schedcp/libexec/schedcp-http \
         usr/lib/schedcp/plugins/runner.so usr/share/man/man1/schedcp-cli.1.gz \
         usr/share/man/man1/schedcp.1.gz usr/share/doc/schedcp/copyright; do
    [ -e "$root/$f" ] || fail "prefix /usr: /$f was not installed"
done
for wrong in usr/etc usr/lib/systemd; do
    [ ! -e "$root/$wrong" ] || fail "prefix /usr: something was installed in /$wrong"
done
[ ! -e "$root/usr/include" ] || fail "the runtime component installed headers (they are dev's)"
grep -qx 'ExecStart=/usr/bin/schedcp-cli --config /etc/schedcp/schedcp.yaml default run' \
    "$root/lib/systemd/system/schedcp-default.service" || fail "prefix /usr: wrong ExecStart"
grep -qx 'ExecStart=/usr/bin/schedcp --config /etc/schedcp/schedcp.yaml --http systemd' \
    "$root/lib/systemd/system/schedcp-http.service" || fail "prefix /usr: wrong HTTP ExecStart"
# The token file reaches the service as a credential, and its absence is not fatal.
grep -qx 'LoadCredential=tokens:/etc/schedcp/tokens' "$root/lib/systemd/system/schedcp-http.service" \
    || fail "schedcp-http.service does not load /etc/schedcp/tokens as the credential tokens"
grep -q '^SetCredential=tokens:' "$root/lib/systemd/system/schedcp-http.service" \
    || fail "schedcp-http.service has no fallback for a missing token file"
# The socket: the group's unix socket only (no TCP port open to every local user).
socket_unit=$root/lib/systemd/system/schedcp-http.socket
[ "$(grep -c '^ListenStream=' "$socket_unit")" = 1 ] && grep -qx 'ListenStream=/run/schedcp/http.sock' "$socket_unit" \
    || fail "schedcp-http.socket must listen on /run/schedcp/http.sock only: $(grep '^Listen' "$socket_unit")"
grep -qx 'SocketGroup=schedcp' "$socket_unit" && grep -qx 'SocketMode=0660' "$socket_unit" \
    || fail "schedcp-http.socket is not root:schedcp 0660"
grep -q '^# %schedcp ALL=(root) NOPASSWD: /usr/lib/schedcp/libexec/schedcp-guard$' \
    "$root/etc/sudoers.d/schedcp" || fail "prefix /usr: the sudoers rule names another guard"
# The man pages are the programs' own --help.
zcat "$root/usr/share/man/man1/schedcp-cli.1.gz" | grep -q 'create\\-and\\-run' \
    || fail "schedcp-cli(1) lacks the plugins' commands"

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" --component runtime >/dev/null
[ -f "$prefix/etc/schedcp/schedcp.yaml" ] || fail "prefix P: no P/etc/schedcp/schedcp.yaml"
grep -qx "ExecStart=$prefix/bin/schedcp-cli --config $prefix/etc/schedcp/schedcp.yaml default run" \
    "$prefix/lib/systemd/system/schedcp-default.service" || fail "prefix P: wrong ExecStart"
grep -qx "ExecStart=$prefix/bin/schedcp --config $prefix/etc/schedcp/schedcp.yaml --http systemd" \
    "$prefix/lib/systemd/system/schedcp-http.service" || fail "prefix P: wrong HTTP ExecStart"
"$here/check_units.sh" "$prefix/etc/sudoers.d/schedcp" "$prefix"/lib/systemd/system/*
echo "install_files: ok"
