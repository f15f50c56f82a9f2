#!/usr/bin/env bash
# Checks installed systemd units and the sudoers drop-in, offline (no running systemd needed):
#   check_units.sh SUDOERS_FILE UNIT_FILE...
# - `systemd-analyze verify` on every unit (its ExecStart program must exist: run it on an
#   installed tree); man pages are not looked up (--man=no), CI may have no man-db;
# - `systemd-analyze security --offline=true` prints every service's exposure and fails
#   above MAX_EXPOSURE (3.0 unless set; schedcp-default.service scores 2.4 today), so
#   hardening cannot silently regress;
# - `visudo -cf` on the sudoers drop-in, which must also contain no active rule (disabled by
#   default) and sudo's required 0440 mode.
set -euo pipefail
fail() { echo "check_units: FAIL: $*" >&2; exit 1; }
max_exposure=${MAX_EXPOSURE:-3.0}
sudoers=$1
shift
[ $# -gt 0 ] || fail "no unit files given"

for unit in "$@"; do
    [ -f "$unit" ] || fail "$unit: no such unit file"
    out=$(systemd-analyze verify --man=no "$unit" 2>&1) || fail "systemd-analyze verify $unit: $out"
    [ -z "$out" ] || fail "systemd-analyze verify $unit printed warnings: $out"
    echo "check_units: verified $unit"
    case "$unit" in
    *.service)
        threshold=$(awk -v m="$max_exposure" 'BEGIN { printf "%d", m * 10 }')
        report=$(systemd-analyze security --offline=true --threshold="$threshold" "$unit" 2>&1) \
            || fail "$unit: exposure above $max_exposure:
$report"
        echo "check_units: $(echo "$report" | grep 'Overall exposure level')"
        ;;
    esac
done

[ -f "$sudoers" ] || fail "$sudoers: no such file"
[ "$(stat -c %a "$sudoers")" = 440 ] || fail "$sudoers: mode $(stat -c %a "$sudoers"), sudo wants 0440"
out=$(visudo -cf "$sudoers" 2>&1) || fail "visudo -cf $sudoers: $out"
if grep -Ev '^[[:space:]]*(#|$)' "$sudoers"; then
    fail "$sudoers has an active line above: it must ship disabled"
fi
grep -Eq '^# %schedcp ALL=\(root\) NOPASSWD: /[^ ]*/lib/schedcp/libexec/schedcp-guard$' "$sudoers" \
    || fail "$sudoers: no commented rule for exactly schedcp-guard"
# The commented rule, enabled, must itself be valid sudoers syntax.
enabled=$(mktemp)
trap 'rm -f "$enabled"' EXIT
sed -n 's/^# \(%schedcp ALL=.*\)$/\1/p' "$sudoers" > "$enabled"
out=$(visudo -cf "$enabled" 2>&1) || fail "the rule, once uncommented, is invalid: $out"
echo "check_units: $sudoers ok (visudo -cf; rule disabled; valid once enabled)"
